import { Button, Card, Group, Select, Table, Text } from '@mantine/core';
import { IconArchive, IconPlus, IconUsers } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { EDITION_STATUS_LABELS, EDITION_STATUSES, NEWSLETTER_CADENCE_LABELS, type Edition, type EditionSummary } from '../../../contracts/newsletter';
import { post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { formatDateTime } from '../../ui/format';
import { EmptyRow, ListFooter, useCursorList } from '../../ui/list';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { QueryError } from '../../ui/StatusPages';
import { EditionStatusBadge, periodText } from './shared';

/** Editions for the editors: drafts, scheduled, sending and sent; a new one drafts itself from the period. */
export function EditionsPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const [cadence, setCadence] = useState<'weekly' | 'monthly'>('monthly');
  const list = useCursorList<EditionSummary>('/api/newsletter/editions', { status: status ?? undefined });
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
            value={status}
            onChange={setStatus}
            w={180}
            ml="auto"
          />
        </Group>
      </Card>
      {list.isError ? (
        <QueryError embedded error={list.error} />
      ) : (
        <Card withBorder p={0}>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Edition</Table.Th>
                  <Table.Th>Period</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Recipients</Table.Th>
                  <Table.Th>Sent / scheduled</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.length === 0 && !list.isPending && <EmptyRow colSpan={5}>No editions yet: draft the first one above.</EmptyRow>}
                {list.items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>
                      <AnchorLink to="/newsletter/editions/$id" params={{ id: e.id }}>
                        {e.ref} · {e.title}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{periodText(e.cadence, e.periodFrom, e.periodTo)}</Text>
                      <Text size="xs" c="dimmed">
                        {NEWSLETTER_CADENCE_LABELS[e.cadence]}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <EditionStatusBadge status={e.status} />
                    </Table.Td>
                    <Table.Td>{e.status === 'draft' || e.status === 'scheduled' ? '—' : e.recipients}</Table.Td>
                    <Table.Td>{formatDateTime(e.sentAt ?? e.scheduledAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <ListFooter list={list} noun="editions" />
    </>
  );
}
