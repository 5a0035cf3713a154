import { Badge, Paper, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { MailSummary } from '../../../contracts/admin';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDateTime } from '../../ui/format';
import { EmptyRow, ListFooter, useCursorList } from '../../ui/list';
import { AnchorLink } from '../../ui/AnchorLink';
import { PageHeader } from '../../ui/PageHeader';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';

const STATUS_COLORS: Record<string, string> = { sent: 'teal', queued: 'blue', retry: 'orange', failed: 'red', outbox: 'gray' };

export function MailStatusBadge({ status }: { status: string }) {
  return (
    <Badge variant="light" size="sm" color={STATUS_COLORS[status] ?? 'gray'}>
      {status}
    </Badge>
  );
}

export function OutboxPage() {
  const navigate = useNavigate();
  const [to, setTo] = useState('');
  const [debouncedTo] = useDebouncedValue(to, 300);
  const [kind, setKind] = useState('');
  const [debouncedKind] = useDebouncedValue(kind, 300);
  const [status, setStatus] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState<'createdAt'>>({ sort: 'createdAt', order: 'desc' });

  const list = useCursorList<MailSummary>('/api/outbox', { to: debouncedTo.trim(), kind: debouncedKind.trim(), status, order: sort.order });

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;

  return (
    <>
      <PageHeader title="Outbox" description="Every email Tandem has written: invitations, password resets and notifications, with their delivery status." />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 3 }}>
          <SearchInput label="Recipient" placeholder="Email address" value={to} onChange={setTo} />
          <TextInput label="Kind" placeholder="e.g. invitation" value={kind} onChange={(e) => setKind(e.currentTarget.value)} />
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={['outbox', 'queued', 'sending', 'retry', 'sent', 'failed']}
            value={status}
            onChange={setStatus}
          />
        </FilterGrid>
      </FilterPanel>
      <Paper>
        <Table.ScrollContainer minWidth={760}>
          <Table data-testid="outbox-table">
            <Table.Thead>
              <Table.Tr>
                <SortableTh field="createdAt" state={sort} onChange={setSort}>
                  Written
                </SortableTh>
                <Table.Th>To</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Attempts</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={6}>No messages match these filters.</EmptyRow>}
              {list.items.map((m) => (
                <Table.Tr key={m.id} className="tandem-row-link" onClick={() => void navigate({ to: '/admin/outbox/$id', params: { id: m.id } })}>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(m.createdAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{m.toAddress}</Text>
                  </Table.Td>
                  <Table.Td>
                    <AnchorLink to="/admin/outbox/$id" params={{ id: m.id }} size="sm" onClick={(e) => e.stopPropagation()}>
                      {m.subject}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{m.kind}</Text>
                  </Table.Td>
                  <Table.Td>
                    {m.lastError ? (
                      <Tooltip label={m.lastError} multiline w={320}>
                        <span>
                          <MailStatusBadge status={m.status} />
                        </span>
                      </Tooltip>
                    ) : (
                      <MailStatusBadge status={m.status} />
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{m.attempts}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter list={list} noun="messages" />
    </>
  );
}
