import { Text } from '@mantine/core';
import { useState } from 'react';
import { FINDING_RULE_LABELS, type Finding, type FindingState } from '../../../contracts/devices';
import { formatDate } from '../../ui/format';
import { ListTable, useUrlList, type UrlList } from '../../ui/list';
import { FindingModal } from './FindingModal';
import { FindingStateBadge, SeverityBadge } from './shared';

export type FindingSortKey = 'severity' | 'dueDate' | 'openedAt' | 'store' | 'rule';
export const FINDINGS_SORT = { sort: 'severity', order: 'asc' } as const;

/** Findings as a sortable table (state in the URL); a row opens the finding with its actions. */
export function FindingsTable({ list, showDevice = true }: { list: UrlList<Finding, FindingSortKey>; showDevice?: boolean }) {
  const [open, setOpen] = useState<Finding | null>(null);
  return (
    <>
      <ListTable
        list={list}
        testId="findings-table"
        minWidth={860}
        noun="findings"
        empty="No findings here."
        onRowClick={setOpen}
        columns={[
          { key: 'ref', header: 'Ref', cell: (f) => <Text ff="monospace" size="sm">{f.ref}</Text> },
          { key: 'severity', header: 'Severity', sort: 'severity', cell: (f) => <SeverityBadge severity={f.severity} /> },
          {
            key: 'rule',
            header: 'Finding',
            sort: 'rule',
            cell: (f) => (
              <>
                <Text size="sm" fw={600}>
                  {FINDING_RULE_LABELS[f.rule]}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {f.detail}
                </Text>
              </>
            ),
          },
          {
            key: 'device',
            header: 'Device',
            sort: 'store',
            when: showDevice,
            cell: (f) => (
              <>
                <Text size="sm">{f.deviceName}</Text>
                <Text size="xs" c="dimmed">
                  {f.storeCode}
                </Text>
              </>
            ),
          },
          { key: 'state', header: 'State', cell: (f) => <FindingStateBadge state={f.state as FindingState} /> },
          { key: 'owner', header: 'Owner', cell: (f) => <Text size="sm">{f.ownerName ?? f.ownerDepartmentName ?? '—'}</Text> },
          {
            key: 'due',
            header: 'Due',
            sort: 'dueDate',
            nowrap: true,
            cell: (f) => (
              <Text size="sm" c={f.overdue ? 'red' : undefined}>
                {formatDate(f.dueDate)}
                {f.overdue ? ' (overdue)' : ''}
              </Text>
            ),
          },
          { key: 'age', header: 'Age', sort: 'openedAt', nowrap: true, cell: (f) => `${f.ageDays} d` },
        ]}
      />
      <FindingModal finding={open} onClose={() => setOpen(null)} />
    </>
  );
}

/** One device's findings, on its page. */
export function DeviceFindings({ deviceId }: { deviceId: string }) {
  const list = useUrlList<Finding, FindingSortKey>({ key: 'device-findings', path: '/api/device-findings', sort: FINDINGS_SORT, toQuery: (f) => ({ ...f, deviceId }) });
  return <FindingsTable list={list} showDevice={false} />;
}
