import { Button, Center, Group, Paper, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconBulb, IconLayoutKanban, IconMessage } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { lazy, Suspense, useState } from 'react';
import { IDEA_CATEGORIES, IDEA_CATEGORY_LABELS, IDEA_STATE_LABELS, IDEA_STATES, type Idea, type IdeaStats } from '../../../contracts/ideas';
import type { Person } from '../../../contracts/people';
import { get, getAll } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { CollapsedFilters, FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { fromNow } from '../../ui/format';
import { ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { departmentOptions, HQ, storeOptions, useDepartments, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { IdeaCategoryBadge, IdeaStateBadge, VoteBox } from './shared';

export { validateIdeasSearch, type IdeasSearch } from './search';


const route = getRouteApi('/_app/ideas');

const SORTS = [
  { value: 'votes', label: 'Most votes', order: 'desc' },
  { value: 'newest', label: 'Newest', order: 'desc' },
  { value: 'untouched', label: 'Oldest untouched', order: 'asc' },
] as const;
const SORT_PARAMS: Record<string, { sort: string; order: 'asc' | 'desc' }> = {
  votes: { sort: 'votes', order: 'desc' },
  newest: { sort: 'createdAt', order: 'desc' },
  untouched: { sort: 'lastActivityAt', order: 'asc' },
};

// Charts load on demand: recharts is the largest library of the app.
const IdeaCharts = lazy(() => import('./IdeaCharts'));

/** People who may own ideas, for the owner filter (only for those who may list people). */
export function useOwners(enabled: boolean) {
  return useQuery({
    queryKey: ['/api/people', 'owners'],
    queryFn: async () => (await getAll<Person>('/api/people', { status: 'active', sort: 'name' })).filter((p) => p.role !== 'staff' && p.role !== 'viewer'),
    enabled,
    staleTime: 60_000,
  });
}

export function IdeasPage() {
  const search = route.useSearch();
  const canSubmit = useCan('ideas:submit');
  const canVote = useCan('ideas:vote');
  const canReview = useCan('ideas:review');
  const canListPeople = useCan('people:read');
  const departments = useDepartments();
  const stores = useStores();
  const owners = useOwners(canListPeople);
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [state, setState] = useState<string | null>(search.state ?? null);
  const [category, setCategory] = useState<string | null>(null);
  const [store, setStore] = useState<string | null>(null);
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [owner, setOwner] = useState<string | null>(search.mine === 'owned' ? 'me' : search.mine === 'submitted' ? 'submitted' : null);
  const [sort, setSort] = useState<string>('votes');
  // On a phone the filters fold away behind one button; the search stays.
  const wide = useMediaQuery('(min-width: 48em)', true);
  const [filtersOpen, setFiltersOpen] = useState(false);

  const filters = {
    q: debouncedQ.trim(),
    state,
    category,
    storeId: store && store !== HQ ? store : undefined,
    hq: store === HQ ? 'true' : undefined,
    departmentId,
    mine: owner === 'me' ? 'owned' : owner === 'submitted' ? 'submitted' : undefined,
    unowned: owner === 'none' ? 'true' : undefined,
    ownerId: owner && !['me', 'submitted', 'none'].includes(owner) ? owner : undefined,
    ...SORT_PARAMS[sort],
  };
  const list = useCursorList<Idea>('/api/ideas', filters, 30);
  const stats = useQuery({ queryKey: ['/api/ideas', 'stats'], queryFn: ({ signal }) => get<IdeaStats>('/api/ideas/stats', undefined, signal) });

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;

  const activeFilters = [state, category, store, departmentId, owner].filter(Boolean).length;
  const ownerOptions = [
    { value: 'me', label: 'Owned by me' },
    { value: 'submitted', label: 'Submitted by me' },
    { value: 'none', label: 'No owner yet' },
    ...(owners.data ?? []).map((p) => ({ value: p.id, label: p.name })),
  ];

  const filterFields = (
    <>
      <Select label="State" placeholder="All states" clearable data={IDEA_STATES.map((s) => ({ value: s, label: IDEA_STATE_LABELS[s] }))} value={state} onChange={setState} />
      <Select label="Category" placeholder="All categories" clearable data={IDEA_CATEGORIES.map((c) => ({ value: c, label: IDEA_CATEGORY_LABELS[c] }))} value={category} onChange={setCategory} />
      <Select label="Sort" allowDeselect={false} data={SORTS.map((s) => ({ value: s.value, label: s.label }))} value={sort} onChange={(v) => setSort(v ?? 'votes')} />
      <Select label="Store" placeholder="All stores and HQ" clearable searchable data={[{ value: HQ, label: 'Headquarters' }, ...storeOptions(stores.data)]} value={store} onChange={setStore} />
      <Select label="Submitted from" placeholder="All departments" clearable searchable data={departmentOptions(departments.data)} value={departmentId} onChange={setDepartmentId} />
      <Select label="Owner" placeholder="Anyone or nobody" clearable searchable data={ownerOptions} value={owner} onChange={setOwner} />
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
            <ExportButton path="/api/ideas/export" filters={filters} />
            {canSubmit && (
              <Button component={Link} to="/ideas/new" leftSection={<IconBulb size={16} />}>
                Submit an idea
              </Button>
            )}
          </>
        }
      />

      <Suspense>{stats.data && <IdeaCharts stats={stats.data} />}</Suspense>

      <FilterPanel>
        {wide ? (
          <FilterGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <SearchInput placeholder="Words or IDEA-7" value={q} onChange={setQ} />
            {filterFields}
          </FilterGrid>
        ) : (
          <>
            <SearchInput placeholder="Words or IDEA-7" value={q} onChange={setQ} />
            <CollapsedFilters label="Filters and sort" active={activeFilters} opened={filtersOpen} onToggle={() => setFiltersOpen((o) => !o)}>
              {filterFields}
            </CollapsedFilters>
          </>
        )}
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
      <ListFooter list={list} noun="ideas" />
    </>
  );
}
