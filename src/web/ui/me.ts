import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Me } from '../../contracts/access';
import type { Permission } from '../../contracts/policy';
import { get } from '../api';

export const meQueryKey = ['me'] as const;

/** The signed-in person (GET /api/me); the app frame's loader fetches it with the frame's code. */
export const meQuery = queryOptions({ queryKey: meQueryKey, queryFn: ({ signal }) => get<Me>('/api/me', undefined, signal), retry: false, staleTime: 60_000 });

export function useMe() {
  return useQuery(meQuery);
}

/** Whether the signed-in person holds a permission (from GET /api/me). */
export function useCan(permission: Permission): boolean {
  const { data } = useMe();
  return !!data?.permissions.includes(permission);
}
