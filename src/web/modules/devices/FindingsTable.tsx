import { Paper, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { FINDING_RULE_LABELS, type Finding, type FindingState } from '../../../contracts/devices';
import { formatDate } from '../../ui/format';
import { EmptyRow, ListFooter, useCursorList } from '../../ui/list';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { FindingModal } from './FindingModal';
import { FindingStateBadge, SeverityBadge } from './shared';

type SortKey = 'severity' | 'dueDate' | 'openedAt' | 'store' | 'rule';
type Filters = Record<string, string | null | undefined>;

/** Findings as a sortable table; a row opens the finding with its actions. */
export function FindingsTable({ filters, showDevice = true }: { filters: Filters; showDevice?: boolean }) {
  const [sort, setSort] = useState<SortState<SortKey>>({ sort: 'severity', order: 'asc' });
  const [open, setOpen] = useState<Finding | null>(null);
  const list = useCursorList<Finding>('/api/device-findings', { ...filters, ...sort });
  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;
  return (
    <>
      <Paper>
        <Table.ScrollContainer minWidth={860}>
          <Table highlightOnHover data-testid="findings-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ref</Table.Th>
                <SortableTh field="severity" state={sort} onChange={setSort}>
                  Severity
                </SortableTh>
                <SortableTh field="rule" state={sort} onChange={setSort}>
                  Finding
                </SortableTh>
                {showDevice && (
                  <SortableTh field="store" state={sort} onChange={setSort}>
                    Device
                  </SortableTh>
                )}
                <Table.Th>State</Table.Th>
                <Table.Th>Owner</Table.Th>
                <SortableTh field="dueDate" state={sort} onChange={setSort}>
                  Due
                </SortableTh>
                <SortableTh field="openedAt" state={sort} onChange={setSort}>
                  Age
                </SortableTh>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={showDevice ? 8 : 7}>No findings here.</EmptyRow>}
              {list.items.map((f) => (
                <Table.Tr key={f.id} style={{ cursor: 'pointer' }} onClick={() => setOpen(f)}>
                  <Table.Td ff="monospace">{f.ref}</Table.Td>
                  <Table.Td>
                    <SeverityBadge severity={f.severity} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {FINDING_RULE_LABELS[f.rule]}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {f.detail}
                    </Text>
                  </Table.Td>
                  {showDevice && (
                    <Table.Td>
                      <Text size="sm">{f.deviceName}</Text>
                      <Text size="xs" c="dimmed">
                        {f.storeCode}
                      </Text>
                    </Table.Td>
                  )}
                  <Table.Td>
                    <FindingStateBadge state={f.state as FindingState} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{f.ownerName ?? f.ownerDepartmentName ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={f.overdue ? 'red' : undefined}>
                      {formatDate(f.dueDate)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{f.ageDays} d</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter list={list} noun="findings" />
      <FindingModal finding={open} onClose={() => setOpen(null)} />
    </>
  );
}
