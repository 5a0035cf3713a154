import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconMailPlus } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { Edition, EditionPreview, EditionSummary } from '../../../contracts/newsletter';
import { get, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { formatDate } from '../../ui/format';
import { ListPager, useUrlList } from '../../ui/list';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { PageHeader, RecordHeading } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { MailPreview, periodText } from './shared';

function SubscribeButton() {
  const subscribe = useMutation({
    mutationFn: () => post<{ status: string; optIn: boolean }>('/api/newsletter/subscribe'),
    onSuccess: (s) =>
      notifySuccess(s.status === 'active' && s.optIn ? 'You already receive every edition.' : 'Check your mailbox: follow the link in the message we sent to confirm.', 'Subscription'),
    onError: (err) => notifyError(err),
  });
  return (
    <Button variant="default" leftSection={<IconMailPlus size={16} />} onClick={() => subscribe.mutate()} loading={subscribe.isPending}>
      Send it to me
    </Button>
  );
}

/** Every sent edition, for everyone, newest first. */
export function ArchivePage() {
  const list = useUrlList<EditionSummary>({ key: 'newsletter-archive', path: '/api/newsletter/archive', limit: 20 });
  return (
    <>
      <PageHeader title="Newsletter" description="Every edition of the Security & IT newsletter, as it was sent." actions={<SubscribeButton />} />
      {list.query.isPending ? (
        <PageLoader embedded />
      ) : list.query.isError ? (
        <QueryError embedded error={list.query.error} retry={() => void list.query.refetch()} />
      ) : (
        <Stack>
          {list.items.length === 0 && (
            <Text c="dimmed" size="sm">
              No edition has been sent yet.
            </Text>
          )}
          {list.items.map((e) => (
            <Card withBorder key={e.id} data-testid="archive-edition">
              <Group justify="space-between" wrap="wrap">
                <div>
                  <AnchorLink to="/newsletter/archive/$id" params={{ id: e.id }} fw={600}>
                    {e.title} — {periodText(e.cadence, e.periodFrom, e.periodTo)}
                  </AnchorLink>
                  <Text size="sm" c="dimmed">
                    {e.ref} · sent {formatDate(e.sentAt)}
                  </Text>
                </div>
              </Group>
            </Card>
          ))}
          <ListPager list={list} noun="editions" />
        </Stack>
      )}
    </>
  );
}

const editionRoute = getRouteApi('/_app/newsletter/archive/$id');

export function ArchiveEditionPage() {
  const { id } = editionRoute.useParams();
  const edition = useQuery({ queryKey: ['/api/newsletter/archive', id], queryFn: () => get<Edition & EditionPreview>(`/api/newsletter/archive/${id}`) });
  if (edition.isPending) return <PageLoader />;
  if (edition.isError) return <QueryError error={edition.error} />;
  const e = edition.data;
  return (
    <>
      <PageBreadcrumbs to="/newsletter/archive" label="Newsletter" current={e.ref} />
      <Group mb="md">
        <RecordHeading reference={e.ref} badges={null} title={e.title}>
          <Text size="sm" c="dimmed">
            {periodText(e.cadence, e.periodFrom, e.periodTo)} · sent {formatDate(e.sentAt)}
          </Text>
        </RecordHeading>
      </Group>
      <MailPreview preview={e} title={e.title} />
    </>
  );
}
