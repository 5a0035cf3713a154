import { ActionIcon, Anchor, Badge, Box, Button, Divider, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Notification, NotificationPage } from '../../contracts/notifications';
import { get, post } from '../api';
import { fromNow } from './format';
import { notifyError } from './notify';

export const NOTIFICATIONS_KEY = ['notifications'] as const;

/** Opens a notification: marks it read, then goes to its record. */
export function useOpenNotification() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async (n: Notification) => {
    if (!n.readAt) {
      try {
        await post(`/api/notifications/${n.id}/read`);
      } catch (err) {
        notifyError(err, 'Could not mark it read');
      }
      void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    }
    await navigate({ href: n.link });
  };
}

export function NotificationItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  return (
    <UnstyledButton onClick={() => onOpen(n)} p="xs" style={{ borderRadius: 'var(--mantine-radius-sm)', display: 'block', width: '100%' }} data-testid="notification-item">
      <Group gap={8} wrap="nowrap" align="flex-start">
        <Box w={8} h={8} mt={6} style={{ borderRadius: 8, flex: 'none', background: n.readAt ? 'transparent' : 'var(--mantine-color-blue-6)' }} />
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text size="sm" fw={n.readAt ? 400 : 600} lineClamp={2}>
            {/* Said by screen readers, shown by the blue dot: the button's name is its visible text. */}
            {!n.readAt && <VisuallyHidden>Unread: </VisuallyHidden>}
            {n.title}
          </Text>
          {n.body && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {n.body}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {[n.actorName, fromNow(n.createdAt)].filter(Boolean).join(' · ')}
          </Text>
        </Stack>
      </Group>
    </UnstyledButton>
  );
}

/** The bell in the top bar: unread count, the latest notifications, mark all read. */
export function NotificationBell() {
  const [opened, setOpened] = useState(false);
  const queryClient = useQueryClient();
  const open = useOpenNotification();
  const count = useQuery({ queryKey: [...NOTIFICATIONS_KEY, 'count'], queryFn: () => get<{ unread: number }>('/api/notifications/unread-count'), refetchInterval: 30_000 });
  const latest = useQuery({ queryKey: [...NOTIFICATIONS_KEY, 'latest'], queryFn: () => get<NotificationPage>('/api/notifications', { limit: 8 }), enabled: opened });
  const readAll = useMutation({
    mutationFn: () => post('/api/notifications/read-all'),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
    onError: (err) => notifyError(err, 'Could not mark them read'),
  });
  const unread = count.data?.unread ?? 0;
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md" withinPortal>
      <Indicator label={unread > 99 ? '99+' : unread} size={18} disabled={unread === 0} offset={4} color="red">
        <Popover.Target>
          <ActionIcon variant="subtle" color="gray" size="lg" onClick={() => setOpened((o) => !o)} aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'} data-testid="notification-bell">
            <IconBell size={20} stroke={1.7} />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p="xs" maw="calc(100vw - 16px)">
        <Group justify="space-between" px="xs" pb={4}>
          <Text fw={600} size="sm">
            Notifications {unread > 0 && <Badge size="sm" variant="light" color="red">{unread} unread</Badge>}
          </Text>
          <Button variant="subtle" size="compact-xs" disabled={unread === 0} loading={readAll.isPending} onClick={() => readAll.mutate()}>
            Mark all read
          </Button>
        </Group>
        <Divider />
        <ScrollArea.Autosize mah={400}>
          {latest.isPending ? (
            <Text size="sm" c="dimmed" p="sm">
              Loading…
            </Text>
          ) : latest.data?.items.length ? (
            latest.data.items.map((n) => (
              <NotificationItem
                key={n.id}
                n={n}
                onOpen={(item) => {
                  setOpened(false);
                  void open(item);
                }}
              />
            ))
          ) : (
            <Text size="sm" c="dimmed" p="sm">
              Nothing yet. You will hear here when something needs you.
            </Text>
          )}
        </ScrollArea.Autosize>
        <Divider />
        <Group justify="space-between" px="xs" pt={6}>
          <Anchor component={Link} to="/notifications" size="sm" onClick={() => setOpened(false)}>
            See all
          </Anchor>
          <Anchor component={Link} to="/notifications/settings" size="sm" onClick={() => setOpened(false)}>
            Preferences
          </Anchor>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
