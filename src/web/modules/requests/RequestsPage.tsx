import { Button, Checkbox, Group, Modal, Paper, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowsExchange, IconPlus } from '@tabler/icons-react';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { PRIORITY_CODES, REQUEST_STATUSES, REQUEST_STATUS_LABELS, type TandemRequest } from '../../../contracts/requests';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { fromNow } from '../../ui/format';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { departmentOptions, useDepartments } from '../../ui/lookups';
import { useCan, useMe } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { RequestForm } from './RequestForm';
import { OverdueBadge, PriorityBadge, RequestStatusBadge } from './requestUi';

const route = getRouteApi('/_app/requests');

type SortKey = 'number' | 'createdAt' | 'updatedAt' | 'priority' | 'title' | 'resolutionDueAt';

export { validateRequestsSearch, type RequestsSearch } from './search';


export function RequestsPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const me = useMe();
  const canCreate = useCan('requests:create');
  const departments = useDepartments();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [direction, setDirection] = useState<string>(search.direction ?? 'all');
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(search.status ?? null);
  const [priority, setPriority] = useState<string | null>(null);
  const [assignee, setAssignee] = useState<string | null>(search.assignee ?? null);
  const [overdue, setOverdue] = useState(search.overdue ?? false);
  const [sort, setSort] = useState<SortState<SortKey>>({ sort: 'number', order: 'desc' });
  const [creating, setCreating] = useState(false);

  const filters = {
    q: debouncedQ.trim(),
    direction: direction === 'all' ? undefined : direction,
    departmentId,
    status,
    priority,
    assignee,
    overdue: overdue ? 'true' : undefined,
  };
  const list = useCursorList<TandemRequest>('/api/requests', { ...filters, ...sort });

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;
  const myDeptName = me.data?.departmentName ?? 'my department';

  return (
    <>
      <PageHeader
        title="Requests"
        description="What departments ask of each other, with response and resolution clocks."
        actions={
          <>
            <Button component={Link} to="/requests/ledger" variant="default" leftSection={<IconArrowsExchange size={16} />}>
              Give and take
            </Button>
            <ExportButton path="/api/requests/export" filters={{ ...filters, ...sort }} />
            {canCreate && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                New request
              </Button>
            )}
          </>
        }
      />

      <FilterPanel>
        <Group mb="sm" justify="space-between" gap="sm">
          {me.data?.departmentId ? (
            <SegmentedControl
              value={direction}
              onChange={setDirection}
              data={[
                { value: 'all', label: 'All' },
                { value: 'to', label: 'Received' },
                { value: 'from', label: 'Sent' },
              ]}
              aria-label={`Direction: received by or sent from ${myDeptName}`}
              title={`Requests received by or sent from ${myDeptName}`}
            />
          ) : (
            <span />
          )}
          <Checkbox label="Only overdue" checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} color="red" />
        </Group>
        <FilterGrid cols={{ base: 1, xs: 2, md: 5 }}>
          <SearchInput placeholder="Title, text or REQ-42" value={q} onChange={setQ} />
          <Select label="Other department" placeholder="Any department" clearable searchable data={departmentOptions(departments.data)} value={departmentId} onChange={setDepartmentId} />
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={[{ value: 'open', label: 'Open (new, accepted, in progress)' }, { value: 'closed', label: 'Closed' }, ...REQUEST_STATUSES.map((s) => ({ value: s, label: REQUEST_STATUS_LABELS[s] }))]}
            value={status}
            onChange={setStatus}
          />
          <Select label="Priority" placeholder="Any priority" clearable data={[...PRIORITY_CODES]} value={priority} onChange={setPriority} />
          <Select
            label="Assignee"
            placeholder="Anyone"
            clearable
            data={[
              { value: 'me', label: 'Assigned to me' },
              { value: 'none', label: 'Unassigned' },
            ]}
            value={assignee}
            onChange={setAssignee}
          />
        </FilterGrid>
      </FilterPanel>

      {/* Phones: one compact card per request instead of a wide table. */}
      <Stack gap="xs" hiddenFrom="sm" data-testid="requests-cards">
        {list.items.length === 0 && (
          <Text c="dimmed" size="sm" ta="center" py="lg">
            No requests match these filters.
          </Text>
        )}
        {list.items.map((r) => (
          <Paper key={r.id} p="sm" bg={r.overdue ? 'var(--mantine-color-red-0)' : undefined}>
            <Group justify="space-between" gap={4} mb={4} wrap="nowrap">
              <Text size="xs" ff="monospace" c="dimmed">
                {r.ref}
              </Text>
              <Group gap={4} wrap="nowrap">
                <PriorityBadge code={r.priority} />
                <RequestStatusBadge status={r.status} />
                <OverdueBadge request={r} />
              </Group>
            </Group>
            <AnchorLink to="/requests/$ref" params={{ ref: String(r.number) }} fw={600} size="sm">
              {r.title}
            </AnchorLink>
            <Text size="xs" c="dimmed" mt={2}>
              {r.fromDepartmentName} → {r.toDepartmentName} · {r.assigneeName ?? 'Unassigned'} · filed {fromNow(r.createdAt)}
            </Text>
          </Paper>
        ))}
      </Stack>

      <Paper visibleFrom="sm">
        <Table.ScrollContainer minWidth={1000}>
          <Table data-testid="requests-table">
            <Table.Thead>
              <Table.Tr>
                <SortableTh field="number" state={sort} onChange={setSort}>
                  Ref
                </SortableTh>
                <SortableTh field="title" state={sort} onChange={setSort}>
                  Request
                </SortableTh>
                <Table.Th>From → to</Table.Th>
                <SortableTh field="priority" state={sort} onChange={setSort}>
                  Priority
                </SortableTh>
                <Table.Th>Status</Table.Th>
                <Table.Th>Assignee</Table.Th>
                <SortableTh field="resolutionDueAt" state={sort} onChange={setSort}>
                  Resolve by
                </SortableTh>
                <SortableTh field="createdAt" state={sort} onChange={setSort}>
                  Filed
                </SortableTh>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={8}>No requests match these filters.</EmptyRow>}
              {list.items.map((r) => (
                <Table.Tr key={r.id} bg={r.overdue ? 'var(--mantine-color-red-0)' : undefined} className="tandem-row-link" onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a')) return;
                  void navigate({ to: '/requests/$ref', params: { ref: String(r.number) } });
                }}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm" ff="monospace" c="dimmed">
                      {r.ref}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={380}>
                    <AnchorLink to="/requests/$ref" params={{ ref: String(r.number) }} fw={600} size="sm" lineClamp={2}>
                      {r.title}
                    </AnchorLink>
                    <Text size="xs" c="dimmed">
                      {r.typeName}
                      {r.storeCode ? ` · ${r.storeCode}` : ''} · {r.requesterName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {r.fromDepartmentName}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      → {r.toDepartmentName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge code={r.priority} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <RequestStatusBadge status={r.status} />
                      <OverdueBadge request={r} />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={r.assigneeName ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                      {r.assigneeName ?? 'Unassigned'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={r.overdueReasons.some((x) => x !== 'response') ? 'red.8' : 'dimmed'} style={{ whiteSpace: 'nowrap' }} title={r.resolutionDueAt}>
                      {['done', 'declined', 'cancelled'].includes(r.status) ? '—' : r.dueDate ? `due ${r.dueDate}` : fromNow(r.resolutionDueAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }} title={r.createdAt}>
                      {fromNow(r.createdAt)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter list={list} noun="requests" />

      <Modal opened={creating} onClose={() => setCreating(false)} title="New request" size="lg">
        <RequestForm
          onCancel={() => setCreating(false)}
          onSaved={(r) => {
            setCreating(false);
            void navigate({ to: '/requests/$ref', params: { ref: String(r.number) } });
          }}
        />
      </Modal>
    </>
  );
}
