import { Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { Notification, NotificationPage } from '../../../contracts/notifications';
import { post } from '../../api';
import { ListPager, useUrlList } from '../../ui/list';
import { NOTIFICATIONS_KEY, NotificationItem, useOpenNotification } from '../../ui/NotificationBell';
import { notifyError } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';

export function NotificationsPage() {
  const queryClient = useQueryClient();
  const open = useOpenNotification();
  const list = useUrlList<Notification>({ key: 'notifications', path: '/api/notifications', limit: 30, queryKey: [...NOTIFICATIONS_KEY, 'page'] });
  const filter = list.params.unread === 'true' ? 'unread' : 'all';
  const readAll = useMutation({
    mutationFn: () => post('/api/notifications/read-all'),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
    onError: (err) => notifyError(err, 'Could not mark them read'),
  });
  if (list.query.isPending) return <PageLoader />;
  if (list.query.isError && !list.query.data) return <QueryError error={list.query.error} retry={() => void list.query.refetch()} />;
  const first = list.query.data as unknown as NotificationPage;
  const items = list.items;
  return (
    <>
      <PageHeader
        title="Notifications"
        description="What happened to your requests, ideas and assignments. Email and chat follow your preferences."
        actions={
          <>
            <Button variant="default" component={Link} to="/notifications/settings">
              Preferences
            </Button>
            <Button onClick={() => readAll.mutate()} disabled={first.unread === 0} loading={readAll.isPending}>
              Mark all read
            </Button>
          </>
        }
      />
      <Group mb="sm" justify="space-between">
        <SegmentedControl
          value={filter}
          onChange={(v) => list.set({ unread: v === 'unread' })}
          data={[
            { value: 'all', label: 'All' },
            { value: 'unread', label: `Unread (${first.unread})` },
          ]}
          aria-label="Show"
        />
      </Group>
      <Paper p="xs" data-testid="notifications-list">
        {items.length ? (
          <Stack gap={0}>
            {items.map((n) => (
              <NotificationItem key={n.id} n={n} onOpen={(item) => void open(item)} />
            ))}
          </Stack>
        ) : (
          <Text c="dimmed" p="md" ta="center">
            {filter === 'unread' ? 'All caught up: nothing unread.' : 'No notifications yet.'}
          </Text>
        )}
      </Paper>
      <ListPager list={list} noun="notifications" />
    </>
  );
}
