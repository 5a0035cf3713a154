import { useQuery } from '@tanstack/react-query';
import type { Me } from '../../contracts/access';
import type { Permission } from '../../contracts/policy';
import { get } from '../api';

export const meQueryKey = ['me'] as const;

export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: ({ signal }) => get<Me>('/api/me', undefined, signal), retry: false, staleTime: 60_000 });
}

/** Whether the signed-in person holds a permission (from GET /api/me). */
export function useCan(permission: Permission): boolean {
  const { data } = useMe();
  return !!data?.permissions.includes(permission);
}
