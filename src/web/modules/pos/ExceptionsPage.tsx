import { Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconChartBar, IconVideo } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { Person } from '../../../contracts/people';
import { BANDS, EXCEPTION_STATUSES, type ExceptionStatus, type PosException } from '../../../contracts/pos';
import { getAll } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { CollapsedFilters, FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDay, formatStoreTime } from '../../ui/format';
import { ExportButton, listSearch, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan, useMe } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { BAND_LABELS, BandBadge, bandOf, ExceptionStatusBadge, formatMoney, RULE_OPTIONS, ruleLabel, STATUS_LABELS } from './shared';
import { usePosSettings } from './usePos';

/** The exception queue's URL: storeId, status, kind, rule, band, assignee, cashierId, q, sort, order, page. */
export const validateExceptionsSearch = listSearch;

type SortKey = 'occurredAt' | 'score' | 'amountCents' | 'createdAt';
const OPEN = 'open';
const ALL = 'all';
const ME = 'me';

/** People who may review exceptions (for the assignee filter and assignment). */
export function useReviewers(enabled: boolean) {
  return useQuery({
    queryKey: ['/api/people', 'pos-reviewers'],
    queryFn: async () => (await getAll<Person>('/api/people', { status: 'active', sort: 'name' })).filter((p) => p.role === 'admin' || p.role === 'lead' || p.role === 'member'),
    enabled,
    staleTime: 60_000,
  });
}

export function ExceptionsPage() {
  const me = useMe();
  const canListPeople = useCan('people:read');
  const stores = useStores();
  const reviewers = useReviewers(canListPeople);
  const settings = usePosSettings();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const wide = useMediaQuery('(min-width: 62em)', true);
  const list = useUrlList<PosException, SortKey>({
    key: 'pos-exceptions',
    path: '/api/pos/exceptions',
    sort: { sort: 'occurredAt', order: 'desc' },
    views: true,
    toQuery: ({ status, assignee, ...rest }) => ({
      ...rest,
      status: status && status !== OPEN && status !== ALL ? status : undefined,
      open: !status || status === OPEN ? 'true' : undefined,
      assigneeId: assignee === ME ? me.data?.id : assignee,
    }),
  });
  const q = useUrlText(list);
  const p = list.params;
  const status = p.status ?? OPEN;

  const activeFilters = [p.storeId, status !== OPEN ? status : null, p.kind, p.rule, p.band, p.assignee].filter(Boolean).length;
  const cashierFilter = p.cashierId ? list.items.find((e) => e.cashierId === p.cashierId) : undefined;
  const watchAt = settings.data?.watchThreshold ?? 40;
  const highAt = settings.data?.highThreshold ?? 70;

  const filterFields = (
    <>
      <Select label="Store" placeholder="All stores" clearable searchable data={storeOptions(stores.data)} {...list.field('storeId')} />
      <Select
        label="Status"
        allowDeselect={false}
        data={[
          { value: OPEN, label: 'Open (new, reviewing, watch)' },
          ...EXCEPTION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
          { value: ALL, label: 'All statuses' },
        ]}
        value={status}
        onChange={(v) => list.set({ status: v === OPEN ? null : v })}
      />
      <Select
        label="Kind"
        placeholder="Cashiers and transactions"
        clearable
        data={[
          { value: 'cashier_period', label: 'High-risk cashier (week)' },
          { value: 'transaction', label: 'Flagged transaction' },
        ]}
        {...list.field('kind')}
      />
      <Select label="Rule" placeholder="Any rule" clearable data={RULE_OPTIONS} {...list.field('rule')} />
      <Select
        label="Score band"
        placeholder="Any score"
        clearable
        data={BANDS.map((b) => ({ value: b, label: `${BAND_LABELS[b]} (${b === 'high' ? `${highAt}+` : b === 'watch' ? `${watchAt}–${highAt - 1}` : `below ${watchAt}`})` }))}
        {...list.field('band')}
      />
      <Select
        label="Assignee"
        placeholder="Anyone or nobody"
        clearable
        searchable
        data={[{ value: ME, label: 'Assigned to me' }, ...(reviewers.data ?? []).filter((p) => p.id !== me.data?.id).map((p) => ({ value: p.id, label: p.name }))]}
        {...list.field('assignee')}
      />
    </>
  );

  return (
    <>
      <PageHeader
        title="Exception queue"
        description="High-risk cashiers and flagged transactions to review: look at the video, then dismiss with a reason, keep watching, or confirm."
        actions={
          <>
            <Button component={Link} to="/pos" variant="default" leftSection={<IconChartBar size={16} />}>
              Dashboard
            </Button>
            <ExportButton href={list.exportHref} />
          </>
        }
      />

      <FilterPanel>
        {wide ? (
          <FilterGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <SearchInput placeholder="Cashier ID or words" {...q} />
            {filterFields}
            <Select
              label="Sort"
              allowDeselect={false}
              data={[
                { value: 'occurredAt:desc', label: 'Newest first' },
                { value: 'occurredAt:asc', label: 'Oldest first' },
                { value: 'score:desc', label: 'Highest score' },
                { value: 'amountCents:desc', label: 'Largest amount' },
              ]}
              value={`${list.sort.sort}:${list.sort.order}`}
              onChange={(v) => {
                const [s, o] = (v ?? 'occurredAt:desc').split(':');
                list.setSort({ sort: s as SortKey, order: o as 'asc' | 'desc' });
              }}
            />
          </FilterGrid>
        ) : (
          <>
            <SearchInput placeholder="Cashier ID or words" {...q} />
            <CollapsedFilters label="Filters" active={activeFilters} opened={filtersOpen} onToggle={() => setFiltersOpen((o) => !o)}>
              {filterFields}
            </CollapsedFilters>
          </>
        )}
        {p.cashierId && (
          <Text size="sm" mt="sm">
            Showing exceptions of cashier {cashierFilter ? `${cashierFilter.cashierName} (${cashierFilter.cashierCode})` : 'from the dashboard'} only.{' '}
            <AnchorLink to="/pos/exceptions" search={{}}>
              Show everyone
            </AnchorLink>
          </Text>
        )}
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>

      <ListTable
        list={list}
        testId="exceptions-table"
        minWidth={1000}
        noun="exceptions"
        empty="No exceptions match these filters. A quiet queue is a good queue."
        card={(e) => (
          <Stack gap={4}>
            <Group gap={6}>
              <AnchorLink to="/pos/exceptions/$id" params={{ id: e.id }} fw={600} ff="monospace" size="sm" style={{ whiteSpace: 'nowrap' }}>
                {e.ref}
              </AnchorLink>
              <ExceptionStatusBadge status={e.status as ExceptionStatus} />
              {e.score != null && <BandBadge band={bandOf(e.score, watchAt, highAt)} score={e.score} />}
              {e.amountCents != null && (
                <Badge variant="outline" color="gray" size="sm">
                  {formatMoney(e.amountCents)}
                </Badge>
              )}
            </Group>
            <Text size="sm" fw={500}>
              {ruleLabel(e.rule)}
            </Text>
            <Text size="xs" c="dimmed">
              {e.storeCode} · {e.cashierName || e.cashierCode} · {e.kind === 'cashier_period' ? `week of ${formatDay(e.periodStart)}` : formatStoreTime(e.occurredAt, e.storeTimezone)}
              {e.assigneeName ? ` · ${e.assigneeName}` : ''}
            </Text>
          </Stack>
        )}
        columns={[
          {
            key: 'exception',
            header: 'Exception',
            maw: 380,
            cell: (e) => (
              <>
                <Group gap={6} wrap="nowrap">
                  <AnchorLink to="/pos/exceptions/$id" params={{ id: e.id }} fw={600} ff="monospace" size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {e.ref}
                  </AnchorLink>
                  <Text size="sm" fw={500} truncate>
                    {ruleLabel(e.rule)}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  {e.summary}
                </Text>
              </>
            ),
          },
          {
            key: 'occurredAt',
            header: 'When (store time)',
            sort: 'occurredAt',
            nowrap: true,
            cell: (e) => <Text size="sm">{e.kind === 'cashier_period' ? `Week of ${formatDay(e.periodStart)}` : formatStoreTime(e.occurredAt, e.storeTimezone)}</Text>,
          },
          {
            key: 'store',
            header: 'Store · cashier',
            cell: (e) => (
              <>
                <Text size="sm">{e.storeCode}</Text>
                <Text size="xs" c="dimmed">
                  {e.cashierName || 'Unknown'} · {e.cashierCode}
                </Text>
              </>
            ),
          },
          { key: 'score', header: 'Score', sort: 'score', cell: (e) => (e.score != null ? <BandBadge band={bandOf(e.score, watchAt, highAt)} score={e.score} /> : <Text c="dimmed">—</Text>) },
          { key: 'amount', header: 'Amount', sort: 'amountCents', nowrap: true, cell: (e) => <Text size="sm">{formatMoney(e.amountCents)}</Text> },
          { key: 'status', header: 'Status', cell: (e) => <ExceptionStatusBadge status={e.status} /> },
          {
            key: 'assignee',
            header: 'Assignee',
            cell: (e) => (
              <Text size="sm" c={e.assigneeName ? undefined : 'dimmed'}>
                {e.assigneeName ?? 'Nobody'}
              </Text>
            ),
          },
          {
            key: 'video',
            header: null,
            label: 'Video',
            cell: (e) =>
              e.videoUrl && (
                <Button component="a" href={e.videoUrl} target="_blank" rel="noopener noreferrer" size="compact-sm" variant="subtle" leftSection={<IconVideo size={14} />}>
                  Video
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
