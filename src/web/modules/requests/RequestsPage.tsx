import { Button, Checkbox, Group, Modal, SegmentedControl, Select, Text } from '@mantine/core';
import { IconArrowsExchange, IconPlus } from '@tabler/icons-react';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { PRIORITY_CODES, REQUEST_STATUSES, REQUEST_STATUS_LABELS, type TandemRequest } from '../../../contracts/requests';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDateTime, fromNow } from '../../ui/format';
import { ExportButton, listSearch, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { departmentOptions, useDepartments } from '../../ui/lookups';
import { useCan, useMe } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { RequestForm } from './RequestForm';
import { LateClock, PriorityBadge, RequestStatusBadge } from './requestUi';

type SortKey = 'number' | 'createdAt' | 'updatedAt' | 'priority' | 'title' | 'resolutionDueAt';

/** The requests list's URL: direction, status, overdue, assignee, department, priority, q, sort, page (src/web/ui/list.tsx). */
export const validateRequestsSearch = listSearch;

export function RequestsPage() {
  const navigate = useNavigate();
  const me = useMe();
  const canCreate = useCan('requests:create');
  const departments = useDepartments();
  const [creating, setCreating] = useState(false);
  const list = useUrlList<TandemRequest, SortKey>({ key: 'requests', path: '/api/requests', sort: { sort: 'number', order: 'desc' }, views: true });
  const q = useUrlText(list);
  const direction = list.params.direction ?? 'all';
  const overdue = list.params.overdue === 'true';

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
            <ExportButton href={list.exportHref} />
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
              onChange={(v) => list.set({ direction: v === 'all' ? null : v })}
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
          <Group gap="sm">
            <Checkbox label="Only overdue" checked={overdue} onChange={(e) => list.set({ overdue: e.currentTarget.checked })} color="red" />
            <ListTools list={list} />
          </Group>
        </Group>
        <FilterGrid cols={{ base: 1, xs: 2, md: 5 }}>
          <SearchInput placeholder="Title, text or REQ-42" {...q} />
          <Select label="Other department" placeholder="Any department" clearable searchable data={departmentOptions(departments.data)} {...list.field('departmentId')} />
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={[{ value: 'open', label: 'Open (new, accepted, in progress)' }, { value: 'closed', label: 'Closed' }, ...REQUEST_STATUSES.map((s) => ({ value: s, label: REQUEST_STATUS_LABELS[s] }))]}
            {...list.field('status')}
          />
          <Select label="Priority" placeholder="Any priority" clearable data={[...PRIORITY_CODES]} {...list.field('priority')} />
          <Select
            label="Assignee"
            placeholder="Anyone"
            clearable
            data={[
              { value: 'me', label: 'Assigned to me' },
              { value: 'none', label: 'Unassigned' },
            ]}
            {...list.field('assignee')}
          />
        </FilterGrid>
      </FilterPanel>

      <ListTable
        list={list}
        testId="requests-table"
        minWidth={1000}
        noun="requests"
        empty="No requests match these filters."
        rowProps={(r) => ({ bg: r.overdue ? 'var(--mantine-color-red-light)' : undefined })}
        onRowClick={(r) => void navigate({ to: '/requests/$ref', params: { ref: String(r.number) } })}
        card={(r) => (
          <>
            <Group justify="space-between" gap={4} mb={4} wrap="nowrap">
              <Text size="xs" ff="monospace" c="dimmed">
                {r.ref}
              </Text>
              <Group gap={4} wrap="nowrap">
                <PriorityBadge code={r.priority} />
                <RequestStatusBadge status={r.status} />
              </Group>
            </Group>
            <AnchorLink to="/requests/$ref" params={{ ref: String(r.number) }} fw={600} size="sm">
              {r.title}
            </AnchorLink>
            <LateClock request={r} />
            <Text size="xs" c="dimmed" mt={2}>
              {r.fromDepartmentName} → {r.toDepartmentName} · {r.assigneeName ?? 'Unassigned'} · filed {fromNow(r.createdAt)}
            </Text>
          </>
        )}
        columns={[
          {
            key: 'ref',
            header: 'Ref',
            sort: 'number',
            nowrap: true,
            cell: (r) => (
              <Text size="sm" ff="monospace" c="dimmed">
                {r.ref}
              </Text>
            ),
          },
          {
            key: 'title',
            header: 'Request',
            sort: 'title',
            maw: 380,
            cell: (r) => (
              <>
                <AnchorLink to="/requests/$ref" params={{ ref: String(r.number) }} fw={600} size="sm" lineClamp={2}>
                  {r.title}
                </AnchorLink>
                <Text size="xs" c="dimmed">
                  {r.typeName}
                  {r.storeCode ? ` · ${r.storeCode}` : ''} · {r.requesterName}
                </Text>
              </>
            ),
          },
          {
            key: 'route',
            header: 'From → to',
            nowrap: true,
            cell: (r) => (
              <>
                <Text size="sm">{r.fromDepartmentName}</Text>
                <Text size="xs" c="dimmed">
                  → {r.toDepartmentName}
                </Text>
              </>
            ),
          },
          { key: 'priority', header: 'Priority', sort: 'priority', cell: (r) => <PriorityBadge code={r.priority} /> },
          { key: 'status', header: 'Status', cell: (r) => <RequestStatusBadge status={r.status} /> },
          {
            key: 'assignee',
            header: 'Assignee',
            nowrap: true,
            cell: (r) => (
              <Text size="sm" c={r.assigneeName ? undefined : 'dimmed'}>
                {r.assigneeName ?? 'Unassigned'}
              </Text>
            ),
          },
          { key: 'due', header: 'Clock', sort: 'resolutionDueAt', cell: (r) => <LateClock request={r} /> },
          {
            key: 'createdAt',
            header: 'Filed',
            sort: 'createdAt',
            nowrap: true,
            cell: (r) => (
              <Text size="sm" c="dimmed" title={formatDateTime(r.createdAt)}>
                {fromNow(r.createdAt)}
              </Text>
            ),
          },
        ]}
      />

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
