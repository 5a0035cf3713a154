import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { lazy, startTransition, StrictMode, Suspense, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { queryClient } from './queryClient';
import { notificationArea } from './ui/notificationArea';
import { router } from './router';
import { theme } from './theme';

const container = document.getElementById('root')!;

/**
 * Where notifications show: it draws nothing until there is one, so it is mounted when the first is
 * shown (ui/notify.ts), not while a page starts. Notifications shown before it mounts wait in
 * Mantine's store and appear when it does.
 */
const Notifications = lazy(() => import('@mantine/notifications').then((m) => ({ default: m.Notifications })));
function NotificationsLater() {
  const show = useSyncExternalStore(notificationArea.subscribe, notificationArea.wanted);
  return show ? (
    <Suspense fallback={null}>
      <Notifications position="top-right" />
    </Suspense>
  ) : null;
}

/**
 * The app (main.tsx loads it once the shell has painted). index.html paints a shell of the page
 * (sign-in card or app frame) while the scripts download. The app replaces it in one step once the
 * first page is ready: its code and its loaders' data (started by index.html) are in, so the page
 * appears whole instead of through spinners. The first render is a transition, which React splits
 * into short tasks so the page stays responsive while it builds.
 */
function start() {
  delete window.__tandemStarted;
  startTransition(() => {
    createRoot(container).render(
      <StrictMode>
        {/* The theme's CSS variables come with the stylesheets (built by vite.config.ts, themeVariables). */}
        <MantineProvider theme={theme} withCssVariables={false} defaultColorScheme="auto">
          <NotificationsLater />
          <QueryClientProvider client={queryClient}>
            <RouterProvider router={router} />
          </QueryClientProvider>
        </MantineProvider>
      </StrictMode>,
    );
  });
}

router.load().then(start, start);
