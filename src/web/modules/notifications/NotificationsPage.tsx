import { Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { NotificationPage } from '../../../contracts/notifications';
import { get, post } from '../../api';
import { NOTIFICATIONS_KEY, NotificationItem, useOpenNotification } from '../../ui/NotificationBell';
import { notifyError } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';

export function NotificationsPage() {
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const queryClient = useQueryClient();
  const open = useOpenNotification();
  const list = useInfiniteQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'page', filter],
    queryFn: ({ pageParam }) => get<NotificationPage>('/api/notifications', { unread: filter === 'unread' ? 'true' : undefined, cursor: pageParam, limit: 30 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const readAll = useMutation({
    mutationFn: () => post('/api/notifications/read-all'),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
    onError: (err) => notifyError(err, 'Could not mark them read'),
  });
  if (list.isPending) return <PageLoader />;
  if (list.isError) return <QueryError error={list.error} retry={() => void list.refetch()} />;
  const first = list.data.pages[0];
  const items = list.data.pages.flatMap((p) => p.items);
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
          onChange={(v) => setFilter(v as 'all' | 'unread')}
          data={[
            { value: 'all', label: 'All' },
            { value: 'unread', label: `Unread (${first.unread})` },
          ]}
          aria-label="Show"
        />
        <Text size="sm" c="dimmed">
          {first.total} notification{first.total === 1 ? '' : 's'}
        </Text>
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
      {list.hasNextPage && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            Show more
          </Button>
        </Group>
      )}
    </>
  );
}
