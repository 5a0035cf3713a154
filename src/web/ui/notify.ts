import { notifications } from '@mantine/notifications';
import { isApiError } from '../api';
import { wantNotificationArea } from './notificationArea';

export function notifySuccess(message: string, title?: string) {
  wantNotificationArea();
  notifications.show({ color: 'teal', title, message });
}

export function notifyError(err: unknown, title = 'That did not work') {
  const message = err instanceof Error ? err.message : String(err);
  wantNotificationArea();
  notifications.show({ color: 'red', title, message, autoClose: 8000 });
  if (!isApiError(err)) console.error(err);
}
