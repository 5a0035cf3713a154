import { Button, Card, Group, Select, Text } from '@mantine/core';
import { IconArchive, IconPlus, IconUsers } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { EDITION_STATUS_LABELS, EDITION_STATUSES, NEWSLETTER_CADENCE_LABELS, type Edition, type EditionSummary } from '../../../contracts/newsletter';
import { post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { formatDateTime } from '../../ui/format';
import { ListTable, ListTools, useUrlList } from '../../ui/list';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { EditionStatusBadge, periodText } from './shared';

/** Editions for the editors: drafts, scheduled, sending and sent; a new one drafts itself from the period. */
export function EditionsPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [cadence, setCadence] = useState<'weekly' | 'monthly'>('monthly');
  const list = useUrlList<EditionSummary, 'number' | 'period' | 'status' | 'sent'>({ key: 'newsletter-editions', path: '/api/newsletter/editions', sort: { sort: 'number', order: 'desc' } });
  const create = useMutation({
    mutationFn: () => post<Edition>('/api/newsletter/editions', { cadence }),
    onSuccess: (e) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/newsletter/editions'] });
      notifySuccess(`${e.ref} was drafted from the period's work (${e.sections.length} sections).`);
      void navigate({ to: '/newsletter/editions/$id', params: { id: e.id } });
    },
    onError: (err) => notifyError(err),
  });
  return (
    <>
      <PageHeader
        title="Newsletter editions"
        description="Each edition drafts itself from the period's work in every module; edit, preview and send it."
        actions={
          <>
            <Button component={Link} to="/newsletter/subscribers" variant="default" leftSection={<IconUsers size={16} />}>
              Subscribers
            </Button>
            <Button component={Link} to="/newsletter/archive" variant="default" leftSection={<IconArchive size={16} />}>
              Archive
            </Button>
          </>
        }
      />
      <Card withBorder mb="md">
        <Group align="flex-end" wrap="wrap">
          <Select
            label="New edition"
            description="Drafted for the last full week or month"
            data={[
              { value: 'monthly', label: 'Monthly' },
              { value: 'weekly', label: 'Weekly' },
            ]}
            value={cadence}
            onChange={(v) => setCadence((v as 'weekly' | 'monthly') ?? 'monthly')}
            allowDeselect={false}
            w={220}
          />
          <Button leftSection={<IconPlus size={16} />} onClick={() => create.mutate()} loading={create.isPending}>
            Draft edition
          </Button>
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={EDITION_STATUSES.map((s) => ({ value: s, label: EDITION_STATUS_LABELS[s] }))}
            {...list.field('status')}
            w={180}
            ml="auto"
          />
          <ListTools list={list} />
        </Group>
      </Card>
      <ListTable
        list={list}
        testId="editions"
        minWidth={640}
        noun="editions"
        empty={list.hasFilters ? 'No editions match these filters.' : 'No editions yet: draft the first one above.'}
        columns={[
          {
            key: 'edition',
            header: 'Edition',
            sort: 'number',
            cell: (e) => (
              <AnchorLink to="/newsletter/editions/$id" params={{ id: e.id }}>
                {e.ref} · {e.title}
              </AnchorLink>
            ),
          },
          {
            key: 'period',
            header: 'Period',
            sort: 'period',
            cell: (e) => (
              <>
                <Text size="sm">{periodText(e.cadence, e.periodFrom, e.periodTo)}</Text>
                <Text size="xs" c="dimmed">
                  {NEWSLETTER_CADENCE_LABELS[e.cadence]}
                </Text>
              </>
            ),
          },
          { key: 'status', header: 'Status', sort: 'status', cell: (e) => <EditionStatusBadge status={e.status} /> },
          { key: 'recipients', header: 'Recipients', align: 'right', cell: (e) => (e.status === 'draft' || e.status === 'scheduled' ? '—' : e.recipients) },
          { key: 'sent', header: 'Sent / scheduled', sort: 'sent', nowrap: true, cell: (e) => formatDateTime(e.sentAt ?? e.scheduledAt) },
        ]}
      />
    </>
  );
}
