import { Badge, Group, Select, Text, TextInput, Tooltip } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import type { MailSummary } from '../../../contracts/admin';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDateTime } from '../../ui/format';
import { ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { AnchorLink } from '../../ui/AnchorLink';
import { PageHeader } from '../../ui/PageHeader';

const STATUS_COLORS: Record<string, string> = { sent: 'teal', queued: 'blue', sending: 'cyan', retry: 'orange', failed: 'red', outbox: 'gray' };

export function MailStatusBadge({ status }: { status: string }) {
  return (
    <Badge variant="light" size="sm" color={STATUS_COLORS[status] ?? 'gray'}>
      {status}
    </Badge>
  );
}

export function OutboxPage() {
  const navigate = useNavigate();
  const list = useUrlList<MailSummary, 'createdAt'>({ key: 'outbox', path: '/api/outbox', sort: { sort: 'createdAt', order: 'desc' } });
  const to = useUrlText(list, 'to');
  const kind = useUrlText(list, 'kind');

  return (
    <>
      <PageHeader title="Outbox" description="Every email Tandem has written: invitations, password resets and notifications, with their delivery status." />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 3 }}>
          <SearchInput label="Recipient" placeholder="Email address" {...to} />
          <TextInput label="Kind" placeholder="e.g. invitation" value={kind.value} onChange={(e) => kind.onChange(e.currentTarget.value)} />
          <Select label="Status" placeholder="Any status" clearable data={['outbox', 'queued', 'sending', 'retry', 'sent', 'failed']} {...list.field('status')} />
        </FilterGrid>
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>
      <ListTable
        list={list}
        testId="outbox-table"
        minWidth={760}
        noun="messages"
        empty="No messages match these filters."
        onRowClick={(m) => void navigate({ to: '/admin/outbox/$id', params: { id: m.id } })}
        columns={[
          { key: 'createdAt', header: 'Written', sort: 'createdAt', nowrap: true, cell: (m) => <Text size="sm">{formatDateTime(m.createdAt)}</Text> },
          { key: 'to', header: 'To', cell: (m) => <Text size="sm">{m.toAddress}</Text> },
          {
            key: 'subject',
            header: 'Subject',
            cell: (m) => (
              <AnchorLink to="/admin/outbox/$id" params={{ id: m.id }} size="sm" onClick={(e) => e.stopPropagation()}>
                {m.subject}
              </AnchorLink>
            ),
          },
          { key: 'kind', header: 'Kind', cell: (m) => <Text size="sm">{m.kind}</Text> },
          {
            key: 'status',
            header: 'Status',
            cell: (m) => (
              <>
                {m.lastError ? (
                  <Tooltip label={m.lastError} multiline w={320}>
                    <span>
                      <MailStatusBadge status={m.status} />
                    </span>
                  </Tooltip>
                ) : (
                  <MailStatusBadge status={m.status} />
                )}
                {m.lastError && (
                  <Text size="xs" c="dimmed" lineClamp={2} maw={260}>
                    {m.lastError}
                  </Text>
                )}
              </>
            ),
          },
          { key: 'attempts', header: 'Attempts', align: 'right', cell: (m) => m.attempts },
        ]}
      />
    </>
  );
}
