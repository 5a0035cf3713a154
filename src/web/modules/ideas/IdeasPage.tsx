import { Button, Card, Center, Grid, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconBulb, IconLayoutKanban, IconMessage } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { IDEA_CATEGORIES, IDEA_CATEGORY_LABELS, IDEA_STATE_LABELS, IDEA_STATES, type Idea, type IdeaStats } from '../../../contracts/ideas';
import type { Person } from '../../../contracts/people';
import { get, getAll } from '../../api';
import { BarChart } from '../../ui/charts';
import { AnchorLink } from '../../ui/AnchorLink';
import { CollapsedFilters, FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatMonth, fromNow } from '../../ui/format';
import { ExportButton, ListPager, listSearch, ListTools, useUrlList, useUrlText, type ListParams } from '../../ui/list';
import { departmentOptions, HQ, storeOptions, useDepartments, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { IdeaCategoryBadge, IdeaStateBadge, STATE_COLORS, VoteBox } from './shared';

/** The ideas list's URL (state, category, storeId, departmentId, owner, sort, q, page); `mine=owned|submitted` from older links still works. */
export const validateIdeasSearch = listSearch;

const SORTS = [
  { value: 'votes', label: 'Most votes', order: 'desc' },
  { value: 'newest', label: 'Newest', order: 'desc' },
  { value: 'untouched', label: 'Oldest untouched', order: 'asc' },
] as const;
const SORT_PARAMS: Record<string, { sort: string; order: 'asc' | 'desc' } | undefined> = {
  votes: { sort: 'votes', order: 'desc' },
  newest: { sort: 'createdAt', order: 'desc' },
  untouched: { sort: 'lastActivityAt', order: 'asc' },
};

const DEPARTMENT_COLORS = ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6', 'pink.6', 'lime.7', 'gray.5'];

/** People who may own ideas, for the owner filter (only for those who may list people). */
export function useOwners(enabled: boolean) {
  return useQuery({
    queryKey: ['/api/people', 'owners'],
    queryFn: async () => (await getAll<Person>('/api/people', { status: 'active', sort: 'name' })).filter((p) => p.role !== 'staff' && p.role !== 'viewer'),
    enabled,
    staleTime: 60_000,
  });
}

/** URL parameters to the ideas API: the owner choice and the named sorts. */
function ideasQuery({ storeId, owner, mine, ...rest }: ListParams, all: ListParams) {
  const who = owner ?? (mine === 'owned' ? 'me' : mine === 'submitted' ? 'submitted' : undefined);
  return {
    ...rest,
    storeId: storeId && storeId !== HQ ? storeId : undefined,
    hq: storeId === HQ ? 'true' : undefined,
    mine: who === 'me' ? 'owned' : who === 'submitted' ? 'submitted' : undefined,
    unowned: who === 'none' ? 'true' : undefined,
    ownerId: who && !['me', 'submitted', 'none'].includes(who) ? who : undefined,
    ...(SORT_PARAMS[all.sort ?? 'votes'] ?? SORT_PARAMS.votes),
  };
}

export function IdeasPage() {
  const canSubmit = useCan('ideas:submit');
  const canVote = useCan('ideas:vote');
  const canReview = useCan('ideas:review');
  const canListPeople = useCan('people:read');
  const departments = useDepartments();
  const stores = useStores();
  const owners = useOwners(canListPeople);
  const list = useUrlList<Idea>({ key: 'ideas', path: '/api/ideas', limit: 30, toQuery: ideasQuery, views: true });
  const q = useUrlText(list);
  const p = list.params;
  const owner = p.owner ?? (p.mine === 'owned' ? 'me' : p.mine === 'submitted' ? 'submitted' : null);
  // On a phone the filters fold away behind one button; the search stays.
  const wide = useMediaQuery('(min-width: 48em)', true);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const stats = useQuery({ queryKey: ['/api/ideas', 'stats'], queryFn: ({ signal }) => get<IdeaStats>('/api/ideas/stats', undefined, signal) });

  if (list.query.isPending) return <PageLoader />;
  if (list.query.isError && !list.query.data) return <QueryError error={list.query.error} retry={() => void list.query.refetch()} />;

  const activeFilters = [p.state, p.category, p.storeId, p.departmentId, owner].filter(Boolean).length;
  const ownerOptions = [
    { value: 'me', label: 'Owned by me' },
    { value: 'submitted', label: 'Submitted by me' },
    { value: 'none', label: 'No owner yet' },
    ...(owners.data ?? []).map((p) => ({ value: p.id, label: p.name })),
  ];

  const filterFields = (
    <>
      <Select label="State" placeholder="All states" clearable data={IDEA_STATES.map((s) => ({ value: s, label: IDEA_STATE_LABELS[s] }))} {...list.field('state')} />
      <Select label="Category" placeholder="All categories" clearable data={IDEA_CATEGORIES.map((c) => ({ value: c, label: IDEA_CATEGORY_LABELS[c] }))} {...list.field('category')} />
      <Select label="Sort" allowDeselect={false} data={SORTS.map((s) => ({ value: s.value, label: s.label }))} value={p.sort ?? 'votes'} onChange={(v) => list.set({ sort: v === 'votes' ? null : v })} />
      <Select label="Store" placeholder="All stores and HQ" clearable searchable data={[{ value: HQ, label: 'Headquarters' }, ...storeOptions(stores.data)]} {...list.field('storeId')} />
      <Select label="Submitted from" placeholder="All departments" clearable searchable data={departmentOptions(departments.data)} {...list.field('departmentId')} />
      <Select label="Owner" placeholder="Anyone or nobody" clearable searchable data={ownerOptions} value={owner} onChange={(v) => list.set({ owner: v, mine: null })} />
    </>
  );

  return (
    <>
      <PageHeader
        title="Ideas"
        description="Ideas from everyone in the stores, loss prevention, security and IT. Vote for the ones you want, take ownership of the ones you can move."
        actions={
          <>
            {canReview && (
              <Button component={Link} to="/ideas/board" variant="default" leftSection={<IconLayoutKanban size={16} />}>
                Board
              </Button>
            )}
            <ExportButton href={list.exportHref} />
            {canSubmit && (
              <Button component={Link} to="/ideas/new" leftSection={<IconBulb size={16} />}>
                Submit an idea
              </Button>
            )}
          </>
        }
      />

      {stats.data && <IdeaCharts stats={stats.data} />}

      <FilterPanel>
        {wide ? (
          <FilterGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <SearchInput placeholder="Words or IDEA-7" {...q} />
            {filterFields}
          </FilterGrid>
        ) : (
          <>
            <SearchInput placeholder="Words or IDEA-7" {...q} />
            <CollapsedFilters label="Filters and sort" active={activeFilters} opened={filtersOpen} onToggle={() => setFiltersOpen((o) => !o)}>
              {filterFields}
            </CollapsedFilters>
          </>
        )}
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>

      <Paper data-testid="ideas-list">
        {list.items.length === 0 && (
          <Center py="xl">
            <Text c="dimmed" size="sm">
              No ideas match these filters.
            </Text>
          </Center>
        )}
        {list.items.map((idea, i) => (
          <Group key={idea.id} wrap="nowrap" align="flex-start" gap="md" p="md" style={{ borderTop: i ? '1px solid var(--mantine-color-gray-2)' : undefined }}>
            <VoteBox ideaId={idea.id} votes={idea.votes} voted={idea.voted} canVote={canVote && idea.state !== 'duplicate'} title={idea.title} />
            <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
              <Group gap={6} wrap="wrap">
                <Text size="xs" c="dimmed" ff="monospace">
                  {idea.ref}
                </Text>
                <IdeaStateBadge state={idea.state} />
                <IdeaCategoryBadge category={idea.category} />
              </Group>
              <AnchorLink to="/ideas/$id" params={{ id: idea.ref }} fw={600} size="md" style={{ wordBreak: 'break-word' }}>
                {idea.title}
              </AnchorLink>
              <Text size="xs" c="dimmed">
                {[
                  idea.storeCode ? `${idea.storeCode} · ${idea.storeName}` : 'Headquarters',
                  idea.author ? `by ${idea.author.name}` : idea.mine ? 'by you (anonymous)' : 'anonymous',
                  idea.owner ? `owner ${idea.owner.name}` : 'no owner yet',
                  `${fromNow(idea.createdAt)}`,
                ].join(' · ')}
                {idea.comments > 0 && (
                  <>
                    {' · '}
                    <IconMessage size={12} style={{ verticalAlign: -2 }} /> {idea.comments}
                  </>
                )}
              </Text>
            </Stack>
          </Group>
        ))}
      </Paper>
      <ListPager list={list} noun="ideas" />
    </>
  );
}

/** Ideas by state, and submissions by department per month. */
function IdeaCharts({ stats }: { stats: IdeaStats }) {
  const departmentsSeen = [...new Set(stats.byMonth.map((r) => r.department))];
  const months = [...new Set(stats.byMonth.map((r) => r.month))].sort();
  const byMonth = months.map((m) => {
    const row: Record<string, string | number> = { month: formatMonth(m) };
    for (const d of departmentsSeen) row[d] = stats.byMonth.find((r) => r.month === m && r.department === d)?.count ?? 0;
    return row;
  });
  return (
    <Grid gap="md" mb="md" visibleFrom="sm">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card padding="md" h="100%">
          <Title order={5} mb="xs">
            Ideas by state
          </Title>
          <BarChart
            h={240}
            data={stats.byState.map((s) => ({ state: IDEA_STATE_LABELS[s.state], Ideas: s.count, color: `${STATE_COLORS[s.state]}.6` }))}
            dataKey="state"
            orientation="vertical"
            series={[{ name: 'Ideas', color: 'indigo.6' }]}
            gridAxis="none"
            yAxisProps={{ width: 92 }}
            withBarValueLabel
            barProps={{ radius: 4 }}
            label={`Ideas by state: ${stats.byState.map((s) => `${IDEA_STATE_LABELS[s.state]} ${s.count}`).join(', ')}`}
          />
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Card padding="md" h="100%">
          <Title order={5} mb="xs">
            Submitted per month, by department
          </Title>
          {byMonth.length === 0 ? (
            <Text size="sm" c="dimmed">
              No ideas in the last six months.
            </Text>
          ) : (
            <BarChart
              h={240}
              data={byMonth}
              dataKey="month"
              type="stacked"
              withLegend
              legendProps={{ verticalAlign: 'bottom', height: 64 }}
              series={departmentsSeen.map((d, i) => ({ name: d, color: d === 'Anonymous' ? 'gray.5' : DEPARTMENT_COLORS[i % DEPARTMENT_COLORS.length] }))}
              gridAxis="y"
              barProps={{ radius: 2 }}
              label={`Ideas submitted per month by department, ${byMonth[0]!.month} to ${byMonth[byMonth.length - 1]!.month}: ${byMonth.map((row) => `${row.month} ${departmentsSeen.reduce((n, d) => n + Number(row[d]), 0)}`).join(', ')}`}
            />
          )}
        </Card>
      </Grid.Col>
    </Grid>
  );
}
