/**
 * Whether the notification area (Mantine's <Notifications />, app.tsx) is needed yet. It draws
 * nothing until there is a notification, so it is mounted when the first one is shown (notify.ts)
 * rather than on every page load: its code and first render stay out of the page's start-up.
 * No dependency on @mantine/notifications here, so app.tsx can watch it without loading that.
 */
let wanted = false;
const listeners = new Set<() => void>();

export function wantNotificationArea() {
  if (wanted) return;
  wanted = true;
  listeners.forEach((l) => l());
}

export const notificationArea = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
  wanted: () => wanted,
};
