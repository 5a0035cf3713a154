import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/notifications/styles.css';
import './app.css';

import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isApiError } from './api';
import { router } from './router';
import { cssVariablesResolver, theme } from './theme';
import { meQueryKey } from './ui/me';

/** A session that ended while the app was open: drop cached data and let the frame send the person to sign in. */
const onSessionLost = (err: unknown, key?: readonly unknown[]) => {
  if (!isApiError(err, 401)) return;
  if (key && key[0] === meQueryKey[0]) return; // the frame handles this one itself
  void queryClient.invalidateQueries({ queryKey: meQueryKey });
};

const queryClient = new QueryClient({
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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
