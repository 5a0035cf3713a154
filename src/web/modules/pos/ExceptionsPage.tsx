import { Badge, Button, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconChartBar, IconVideo } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { Person } from '../../../contracts/people';
import { BANDS, EXCEPTION_STATUSES, type ExceptionStatus, type PosException } from '../../../contracts/pos';
import { getAll } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { CollapsedFilters, FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatStoreTime } from '../../ui/format';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan, useMe } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { BAND_LABELS, BandBadge, bandOf, ExceptionStatusBadge, formatMoney, RULE_OPTIONS, ruleLabel, STATUS_LABELS } from './shared';
import { usePosSettings } from './usePos';

export { validateExceptionsSearch, type ExceptionsSearch } from './search';


const route = getRouteApi('/_app/pos/exceptions');

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
  const search = route.useSearch();
  const me = useMe();
  const canListPeople = useCan('people:read');
  const stores = useStores();
  const reviewers = useReviewers(canListPeople);
  const settings = usePosSettings();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [storeId, setStoreId] = useState<string | null>(search.storeId ?? null);
  const [status, setStatus] = useState<string>(search.status ?? OPEN);
  const [kind, setKind] = useState<string | null>(search.kind ?? null);
  const [rule, setRule] = useState<string | null>(search.rule ?? null);
  const [band, setBand] = useState<string | null>(search.band ?? null);
  const [assignee, setAssignee] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState<SortKey>>({ sort: 'occurredAt', order: 'desc' });
  const [filtersOpen, setFiltersOpen] = useState(false);

  const wide = useMediaQuery('(min-width: 62em)', true);
  const filters = {
    q: debouncedQ.trim(),
    storeId,
    status: status !== OPEN && status !== ALL ? status : undefined,
    open: status === OPEN ? 'true' : undefined,
    kind,
    rule,
    band,
    cashierId: search.cashierId,
    assigneeId: assignee === ME ? me.data?.id : assignee,
    ...sort,
  };
  const list = useCursorList<PosException>('/api/pos/exceptions', filters, wide ? 50 : 20);

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;

  const activeFilters = [storeId, status !== OPEN ? status : null, kind, rule, band, assignee].filter(Boolean).length;
  const cashierFilter = search.cashierId ? list.items.find((e) => e.cashierId === search.cashierId) : undefined;
  const watchAt = settings.data?.watchThreshold ?? 40;
  const highAt = settings.data?.highThreshold ?? 70;

  const filterFields = (
    <>
      <Select label="Store" placeholder="All stores" clearable searchable data={storeOptions(stores.data)} value={storeId} onChange={setStoreId} />
      <Select
        label="Status"
        allowDeselect={false}
        data={[
          { value: OPEN, label: 'Open (new, reviewing, watch)' },
          ...EXCEPTION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
          { value: ALL, label: 'All statuses' },
        ]}
        value={status}
        onChange={(v) => setStatus(v ?? OPEN)}
      />
      <Select
        label="Kind"
        placeholder="Cashiers and transactions"
        clearable
        data={[
          { value: 'cashier_period', label: 'High-risk cashier (week)' },
          { value: 'transaction', label: 'Flagged transaction' },
        ]}
        value={kind}
        onChange={setKind}
      />
      <Select label="Rule" placeholder="Any rule" clearable data={RULE_OPTIONS} value={rule} onChange={setRule} />
      <Select
        label="Score band"
        placeholder="Any score"
        clearable
        data={BANDS.map((b) => ({ value: b, label: `${BAND_LABELS[b]} (${b === 'high' ? `${highAt}+` : b === 'watch' ? `${watchAt}–${highAt - 1}` : `below ${watchAt}`})` }))}
        value={band}
        onChange={setBand}
      />
      <Select
        label="Assignee"
        placeholder="Anyone or nobody"
        clearable
        searchable
        data={[{ value: ME, label: 'Assigned to me' }, ...(reviewers.data ?? []).filter((p) => p.id !== me.data?.id).map((p) => ({ value: p.id, label: p.name }))]}
        value={assignee}
        onChange={setAssignee}
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
            <ExportButton path="/api/pos/exceptions/export" filters={filters} />
          </>
        }
      />

      <FilterPanel>
        {wide ? (
          <FilterGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <SearchInput placeholder="Cashier ID or words" value={q} onChange={setQ} />
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
              value={`${sort.sort}:${sort.order}`}
              onChange={(v) => {
                const [s, o] = (v ?? 'occurredAt:desc').split(':');
                setSort({ sort: s as SortKey, order: o as 'asc' | 'desc' });
              }}
            />
          </FilterGrid>
        ) : (
          <>
            <SearchInput placeholder="Cashier ID or words" value={q} onChange={setQ} />
            <CollapsedFilters label="Filters" active={activeFilters} opened={filtersOpen} onToggle={() => setFiltersOpen((o) => !o)}>
              {filterFields}
            </CollapsedFilters>
          </>
        )}
        {search.cashierId && (
          <Text size="sm" mt="sm">
            Showing exceptions of cashier {cashierFilter ? `${cashierFilter.cashierName} (${cashierFilter.cashierCode})` : 'from the dashboard'} only.{' '}
            <AnchorLink to="/pos/exceptions" search={{}}>
              Show everyone
            </AnchorLink>
          </Text>
        )}
      </FilterPanel>

      {wide ? (
        <Paper>
          <Table.ScrollContainer minWidth={1000}>
            <Table data-testid="exceptions-table" verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Exception</Table.Th>
                  <SortableTh field="occurredAt" state={sort} onChange={setSort}>
                    When
                  </SortableTh>
                  <Table.Th>Store · cashier</Table.Th>
                  <SortableTh field="score" state={sort} onChange={setSort}>
                    Score
                  </SortableTh>
                  <SortableTh field="amountCents" state={sort} onChange={setSort}>
                    Amount
                  </SortableTh>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Assignee</Table.Th>
                  <Table.Th aria-label="Video" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.length === 0 && <EmptyRow colSpan={8}>No exceptions match these filters. A quiet queue is a good queue.</EmptyRow>}
                {list.items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td maw={380}>
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
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {e.kind === 'cashier_period' ? `Week of ${e.periodStart}` : formatStoreTime(e.occurredAt, e.storeTimezone)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{e.storeCode}</Text>
                      <Text size="xs" c="dimmed">
                        {e.cashierName || 'Unknown'} · {e.cashierCode}
                      </Text>
                    </Table.Td>
                    <Table.Td>{e.score != null ? <BandBadge band={bandOf(e.score, watchAt, highAt)} score={e.score} /> : <Text c="dimmed">—</Text>}</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatMoney(e.amountCents)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ExceptionStatusBadge status={e.status} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={e.assigneeName ? undefined : 'dimmed'}>
                        {e.assigneeName ?? 'Nobody'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {e.videoUrl && (
                        <Button component="a" href={e.videoUrl} target="_blank" rel="noopener noreferrer" size="compact-sm" variant="subtle" leftSection={<IconVideo size={14} />}>
                          Video
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ) : (
        <Paper data-testid="exceptions-table">
          {list.items.length === 0 && (
            <Text c="dimmed" size="sm" ta="center" py="xl">
              No exceptions match these filters.
            </Text>
          )}
          {list.items.map((e, i) => (
            <Stack key={e.id} gap={4} p="md" style={{ borderTop: i ? '1px solid var(--mantine-color-gray-2)' : undefined }}>
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
                {e.storeCode} · {e.cashierName || e.cashierCode} · {e.kind === 'cashier_period' ? `week of ${e.periodStart}` : formatStoreTime(e.occurredAt, e.storeTimezone)}
                {e.assigneeName ? ` · ${e.assigneeName}` : ''}
              </Text>
            </Stack>
          ))}
        </Paper>
      )}
      <ListFooter list={list} noun="exceptions" />
    </>
  );
}
