import { MutationCache, QueryCache, QueryClient, type FetchQueryOptions, type QueryKey } from '@tanstack/react-query';
import { isApiError } from './api';
import { meQueryKey } from './ui/me';

/** A session that ended while the app was open: drop cached data and let the frame send the person to sign in. */
const onSessionLost = (err: unknown, key?: QueryKey) => {
  if (!isApiError(err, 401)) return;
  if (key && key[0] === meQueryKey[0]) return; // the frame handles this one itself
  // Only a session that was there ends: a page's data asked for before the sign-in check came back needs nothing more.
  if (queryClient.getQueryData(meQueryKey) === undefined) return;
  void queryClient.invalidateQueries({ queryKey: meQueryKey });
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (err, query) => onSessionLost(err, query.queryKey) }),
  mutationCache: new MutationCache({ onError: (err) => onSessionLost(err) }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !isApiError(err) && count < 2,
    },
  },
});

/**
 * A route's loader: the data its page shows first, fetched alongside the page's code rather than
 * after it. Waits only when nothing is cached yet (a cached answer shows at once and refreshes in the
 * background as usual), and never fails: the page's own query shows errors as it always does.
 */
export function preloadQuery<T, K extends QueryKey>(options: FetchQueryOptions<T, Error, T, K>): Promise<void> | undefined {
  if (queryClient.getQueryData(options.queryKey) !== undefined) return undefined;
  return queryClient.prefetchQuery(options);
}
