import { queryOptions, useQuery } from '@tanstack/react-query';
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

/**
 * Every store (for selects and filters). The idea form's route loads it with the page's code, and
 * index.html starts its first request (GET /api/stores?sort=code&limit=200) on that address.
 */
export const storesQuery = queryOptions({
  queryKey: ['/api/stores', 'all'],
  queryFn: () => getAll<Store>('/api/stores', { sort: 'code' }),
  staleTime: 60_000,
});
export function useStores() {
  return useQuery(storesQuery);
}

export const HQ = '__hq';

export function departmentOptions(deps: Department[] | undefined, includeInactiveId?: string | null) {
  return (deps ?? [])
    .filter((d) => d.active || d.id === includeInactiveId)
    .map((d) => ({ value: d.id, label: d.active ? d.name : `${d.name} (inactive)` }));
}

/**
 * Where a person works: headquarters, a region, a district or one store, as grouped select options.
 * Values: HQ, `region:<name>`, `district:<name>` or a store id (see `placeOf` / `placeValue`).
 */
export function placeOptions(stores: Store[] | undefined, includeInactiveId?: string | null) {
  const active = (stores ?? []).filter((s) => s.active);
  const regions = [...new Set(active.map((s) => s.region))].sort();
  const districts = [...new Set(active.map((s) => s.district))].sort();
  return [
    { group: 'Chain', items: [{ value: HQ, label: 'Headquarters (every store)' }] },
    { group: 'Regions (every store of the region)', items: regions.map((r) => ({ value: `region:${r}`, label: `Region ${r}` })) },
    { group: 'Districts (every store of the district)', items: districts.map((d) => ({ value: `district:${d}`, label: `District ${d}` })) },
    { group: 'Stores', items: storeOptions(stores, includeInactiveId) },
  ].filter((g) => g.items.length > 0);
}

/** The select value of a person's place. */
export function placeValue(p: { storeId: string | null; district: string | null; region: string | null } | undefined) {
  if (p?.storeId) return p.storeId;
  if (p?.district) return `district:${p.district}`;
  if (p?.region) return `region:${p.region}`;
  return HQ;
}

/** The API fields of a place value. */
export function placeOf(value: string) {
  if (value.startsWith('district:')) return { storeId: null, district: value.slice(9), region: null };
  if (value.startsWith('region:')) return { storeId: null, district: null, region: value.slice(7) };
  return { storeId: value === HQ ? null : value, district: null, region: null };
}

export function storeOptions(stores: Store[] | undefined, includeInactiveId?: string | null) {
  return (stores ?? [])
    .filter((s) => s.active || s.id === includeInactiveId)
    .map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }));
}
