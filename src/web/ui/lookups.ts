import { useQuery } from '@tanstack/react-query';
import type { Department, Store } from '../../contracts/people';
import { getAll } from '../api';

/** Every department (for selects and filters). */
export function useDepartments() {
  return useQuery({
    queryKey: ['/api/departments', 'all'],
    queryFn: () => getAll<Department>('/api/departments', { sort: 'name' }),
    staleTime: 60_000,
  });
}

/** Every store (for selects and filters). */
export function useStores() {
  return useQuery({
    queryKey: ['/api/stores', 'all'],
    queryFn: () => getAll<Store>('/api/stores', { sort: 'code' }),
    staleTime: 60_000,
  });
}

export const HQ = '__hq';

export function departmentOptions(deps: Department[] | undefined, includeInactiveId?: string | null) {
  return (deps ?? [])
    .filter((d) => d.active || d.id === includeInactiveId)
    .map((d) => ({ value: d.id, label: d.active ? d.name : `${d.name} (inactive)` }));
}

export function storeOptions(stores: Store[] | undefined, includeInactiveId?: string | null) {
  return (stores ?? [])
    .filter((s) => s.active || s.id === includeInactiveId)
    .map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }));
}
