import { ActionIcon, Button, Center, Checkbox, Group, Menu, Modal, Paper, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBookmark, IconChevronLeft, IconChevronRight, IconDownload, IconFilterOff, IconStar, IconStarFilled, IconTrash } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useRouterState } from '@tanstack/react-router';
import { Fragment, useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { Page } from '../../contracts/list';
import type { SavedView } from '../../contracts/views';
import { del, get, isApiError, patch, post, toQueryString } from '../api';
import { notifyError, notifySuccess } from './notify';
import { SortableTh, type Order, type SortState } from './SortableTh';
import { PageLoader, QueryError } from './StatusPages';

/*
 * Lists (docs/conventions.md, "Lists"): every list keeps its state in the URL, so Back returns to
 * the same filtered list and a filtered list is a link one can share.
 *
 *   const list = useUrlList<Person, SortKey>({ key: 'people', path: '/api/people', sort: { sort: 'name', order: 'asc' } });
 *   <UrlSelect list={list} name="role" label="Role" data={…} />
 *   <ListTable list={list} columns={[…]} />
 *
 * The URL holds the filters (any names the endpoint takes), `q` (search words), `sort`, `order`,
 * and the page: `cursor` (the server's keyset cursor) with `page` (its number, for "51–100").
 * Saved views (per person) name a URL state; CSV export sends the same filters.
 */

type Filters = Record<string, string | number | boolean | null | undefined>;
import { asText, listSearch, toUrl, type ListParams } from './list-search';
export { listSearch, type ListParams };

const PAGE_KEYS = ['cursor', 'page'];

// Where "Previous" goes: the cursor of the page before each page, kept for the browser tab.
const PREV_KEY = 'tandem.list.prev';
function readPrev(): Record<string, string | null> {
  try {
    return JSON.parse(sessionStorage.getItem(PREV_KEY) ?? '{}') as Record<string, string | null>;
  } catch {
    return {};
  }
}
function rememberPrev(cursor: string, prev: string | null) {
  try {
    const all = readPrev();
    all[cursor] = prev;
    const keys = Object.keys(all);
    for (const k of keys.slice(0, Math.max(0, keys.length - 200))) delete all[k];
    sessionStorage.setItem(PREV_KEY, JSON.stringify(all));
  } catch {
    /* storage full or off: Previous then goes to the first page */
  }
}

export interface UrlListOptions<S extends string> {
  /** Names the list for saved views, e.g. `requests`, `pos-exceptions`. */
  key: string;
  /** The list endpoint; `${path}/export` is its CSV unless `exportPath` says otherwise. */
  path: string;
  sort?: SortState<S>;
  limit?: number;
  /** URL parameters to API query parameters (defaults: passed as they are). */
  toQuery?: (filters: ListParams, all: ListParams) => Filters;
  /** Saved views on this list (the main queues). */
  views?: boolean;
  exportPath?: string;
  /** A parameter only the page uses (e.g. a tab), never sent to the API. */
  pageOnly?: string[];
  /** The query key's start, so a module's invalidation reaches the list (default: the path). */
  queryKey?: readonly unknown[];
  /**
   * Filters a list opens with (e.g. `{ status: 'open' }`): applied while the URL does not name the
   * parameter; clearing such a filter writes `all`, so the URL still says "any".
   */
  defaults?: ListParams;
}

/** The state of one list, kept in the URL, and its current page from the API. */
export function useUrlList<T, S extends string = string>(options: UrlListOptions<S>) {
  const navigate = useNavigate();
  const search = useRouterState({ select: (s) => s.location.search as Record<string, unknown> });
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const params = useMemo(() => asText(search), [search]);
  const limit = options.limit ?? 50;
  const sort: SortState<S> = {
    sort: (params.sort as S | undefined) ?? options.sort?.sort ?? ('' as S),
    order: (params.order as Order | undefined) ?? options.sort?.order ?? 'asc',
  };

  /** Replaces the URL state (push: Back returns to the state before). */
  const go = (next: ListParams, replace = false) => {
    const clean: ListParams = {};
    for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== null && v !== '') clean[k] = v;
    void navigate({ to: pathname, search: toUrl(clean) as never, replace });
  };
  /** Changes some parameters and goes back to the first page. Empty values remove a parameter. */
  const set = (patch: Record<string, string | null | undefined | boolean>, opts: { replace?: boolean } = {}) => {
    const next: ListParams = { ...params };
    for (const k of PAGE_KEYS) delete next[k];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === null || v === '' || v === false) delete next[k];
      else next[k] = String(v);
    }
    go(next, opts.replace);
  };
  const setSort = (s: SortState<S>) =>
    set({ sort: s.sort === options.sort?.sort && s.order === options.sort?.order ? null : s.sort, order: s.sort === options.sort?.sort && s.order === options.sort?.order ? null : s.order });

  // Filters for the API: every URL parameter but the page and the page-only ones, plus the sort.
  const filterParams: ListParams = {};
  for (const [k, v] of Object.entries(params)) if (!PAGE_KEYS.includes(k) && !(options.pageOnly ?? []).includes(k) && k !== 'sort' && k !== 'order') filterParams[k] = v;
  const defaults = options.defaults ?? {};
  for (const [k, v] of Object.entries(defaults)) {
    if (filterParams[k] === undefined) filterParams[k] = v;
    else if (filterParams[k] === 'all') delete filterParams[k];
  }
  const apiFilters: Filters = { ...(options.toQuery ? options.toQuery(filterParams, params) : filterParams), ...(options.sort ? { sort: sort.sort, order: sort.order } : params.order ? { order: params.order } : {}) };
  const cursor = params.cursor;
  const page = Math.max(1, Number(params.page ?? 1) || 1);

  const views = useSavedViews(options.views ? options.key : null);
  // A person's default view applies when they open the list with no state in the URL.
  const applied = useRef(false);
  const defaultView = views.data?.items.find((v) => v.isDefault);
  const waitingForDefault = !!options.views && views.isPending;
  useEffect(() => {
    if (applied.current || !views.data) return;
    applied.current = true;
    if (defaultView && Object.keys(params).length === 0) go(defaultView.search, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [views.data]);

  const query = useQuery({
    queryKey: [...(options.queryKey ?? [options.path]), 'list', apiFilters, limit, cursor ?? null],
    // The page number travels with its rows, so "Showing 51–100" never describes the rows still shown from the page before.
    queryFn: async ({ signal }) => ({ ...(await get<Page<T>>(options.path, { ...apiFilters, limit, cursor }, signal)), pageNumber: page }),
    placeholderData: keepPreviousData,
    enabled: !waitingForDefault,
  });
  const items = query.data?.items ?? [];
  const total = query.data?.total ?? 0;
  const nextCursor = query.data?.nextCursor ?? null;

  return {
    key: options.key,
    path: options.path,
    params,
    filterParams,
    apiFilters,
    sort,
    setSort,
    set,
    go,
    /** A Select or SegmentedControl bound to one URL parameter. */
    field: (name: string) => ({
      value: params[name] === 'all' && defaults[name] ? null : (params[name] ?? defaults[name] ?? null),
      onChange: (v: string | null) => set({ [name]: v ?? (defaults[name] ? 'all' : null) }),
    }),
    /** Removes every filter and the sort (back to the list as it opens). */
    reset: () => go({}),
    hasFilters: Object.keys(params).some((k) => !PAGE_KEYS.includes(k) && !(options.pageOnly ?? []).includes(k)),
    query,
    items,
    total,
    page,
    limit,
    firstIndex: ((query.data?.pageNumber ?? page) - 1) * limit,
    hasNext: !!nextCursor,
    hasPrevious: page > 1 || !!cursor,
    next: () => {
      if (!nextCursor) return;
      rememberPrev(nextCursor, cursor ?? null);
      go({ ...params, cursor: nextCursor, page: String(page + 1) });
    },
    previous: () => {
      const prev = cursor ? readPrev()[cursor] : null;
      const rest = { ...params };
      delete rest.cursor;
      delete rest.page;
      go(prev && page > 2 ? { ...rest, cursor: prev, page: String(page - 1) } : rest);
    },
    exportHref: `${options.exportPath ?? `${options.path}/export`}${toQueryString(apiFilters)}`,
    views,
    viewsEnabled: !!options.views,
  };
}
export type UrlList<T = unknown, S extends string = string> = ReturnType<typeof useUrlList<T, S>>;

/**
 * A text filter bound to a URL parameter: the field answers at once, the URL (and the query)
 * follow 300 ms after the last key, replacing the entry so Back does not step through each letter.
 */
export function useUrlText(list: Pick<UrlList, 'params' | 'set'>, name = 'q') {
  const urlValue = list.params[name] ?? '';
  const [value, setValue] = useState(urlValue);
  const [debounced] = useDebouncedValue(value, 300);
  const pushed = useRef(urlValue);
  useEffect(() => {
    if (urlValue !== pushed.current) {
      pushed.current = urlValue;
      setValue(urlValue);
    }
  }, [urlValue]);
  useEffect(() => {
    const v = debounced.trim();
    if (v !== pushed.current.trim()) {
      pushed.current = v;
      list.set({ [name]: v }, { replace: true });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  return { value, onChange: setValue };
}

/** One column of a ListTable. */
export interface ListColumn<T, S extends string = string> {
  key: string;
  header: ReactNode;
  /** Sorts by this key when the header is clicked. */
  sort?: S;
  cell: (row: T) => ReactNode;
  /** Keeps the cell on one line. */
  nowrap?: boolean;
  width?: number | string;
  maw?: number;
  /** Shown only when true (e.g. an actions column for managers). */
  when?: boolean;
  /** An icon column's accessible name. */
  label?: string;
  /** Figures align right. */
  align?: 'right';
}

/**
 * The table of a list: sortable headers from the URL state, the empty message, the pager and,
 * on phones when `card` is given, one card per row instead of the wide table.
 */
export function ListTable<T extends { id: string | number }, S extends string>({
  list,
  columns,
  minWidth = 800,
  empty = 'Nothing matches these filters.',
  noun = 'records',
  testId,
  rowProps,
  onRowClick,
  card,
  below,
  pager = true,
}: {
  list: UrlList<T, S>;
  columns: ListColumn<T, S>[];
  minWidth?: number;
  empty?: ReactNode;
  noun?: string;
  testId?: string;
  rowProps?: (row: T) => { bg?: string; className?: string; style?: CSSProperties };
  /** The whole row opens the record (a click on a link, button or field in it does its own thing). */
  onRowClick?: (row: T) => void;
  /** Phones: one compact card per row (hidden from the `sm` breakpoint up, where the table shows). */
  card?: (row: T) => ReactNode;
  /** A full-width row under a row (details that open in place); null for none. */
  below?: (row: T) => ReactNode;
  pager?: boolean;
}) {
  const shown = columns.filter((c) => c.when !== false);
  if (list.query.isPending && !list.query.data) return <PageLoader embedded />;
  if (list.query.isError && !list.query.data) return <QueryError embedded error={list.query.error} retry={() => void list.query.refetch()} />;
  return (
    <>
      {card && (
        <Stack gap="xs" hiddenFrom="sm" data-testid={testId ? `${testId}-cards` : undefined}>
          {list.items.length === 0 && (
            <Text c="dimmed" size="sm" ta="center" py="lg">
              {empty}
            </Text>
          )}
          {list.items.map((row) => (
            <Paper key={row.id} p="sm" bg={rowProps?.(row).bg}>
              {card(row)}
            </Paper>
          ))}
        </Stack>
      )}
      <Paper visibleFrom={card ? 'sm' : undefined}>
        <Table.ScrollContainer minWidth={minWidth}>
          <Table data-testid={testId} aria-busy={list.query.isFetching}>
            <Table.Thead>
              <Table.Tr>
                {shown.map((c) =>
                  c.sort ? (
                    <SortableTh key={c.key} field={c.sort} state={list.sort} onChange={list.setSort}>
                      {c.header}
                    </SortableTh>
                  ) : (
                    <Table.Th key={c.key} w={c.width} aria-label={c.label} ta={c.align}>
                      {c.header}
                    </Table.Th>
                  ),
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={shown.length}>{empty}</EmptyRow>}
              {list.items.map((row) => {
                const props = { ...rowProps?.(row) };
                if (onRowClick) {
                  props.className = props.className ? `tandem-row-link ${props.className}` : 'tandem-row-link';
                  Object.assign(props, { onClick: (e: React.MouseEvent) => !(e.target as HTMLElement).closest('a, button, input, label') && onRowClick(row) });
                }
                const extra = below?.(row);
                return (
                  <Fragment key={row.id}>
                    <Table.Tr {...props}>
                      {shown.map((c) => (
                        <Table.Td key={c.key} maw={c.maw} ta={c.align} style={c.nowrap ? { whiteSpace: 'nowrap' } : undefined}>
                          {c.cell(row)}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                    {extra && (
                      <Table.Tr>
                        <Table.Td colSpan={shown.length}>{extra}</Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {pager && <ListPager list={list} noun={noun} />}
    </>
  );
}

/** "51–100 of 312 people" with Previous and Next; the page lives in the URL. */
export function ListPager({ list, noun = 'records' }: { list: Pick<UrlList, 'items' | 'total' | 'firstIndex' | 'hasNext' | 'hasPrevious' | 'next' | 'previous'>; noun?: string }) {
  const from = list.items.length ? list.firstIndex + 1 : 0;
  const to = list.firstIndex + list.items.length;
  return (
    <Group justify="space-between" mt="md" gap="sm">
      <Text size="sm" c="dimmed" data-testid="list-count">
        {list.items.length === 0 ? `No ${noun}` : `Showing ${from}–${to} of ${list.total} ${noun}`}
      </Text>
      {(list.hasPrevious || list.hasNext) && (
        <Group gap="xs">
          <Button variant="default" size="xs" leftSection={<IconChevronLeft size={14} />} disabled={!list.hasPrevious} onClick={list.previous}>
            Previous
          </Button>
          <Button variant="default" size="xs" rightSection={<IconChevronRight size={14} />} disabled={!list.hasNext} onClick={list.next}>
            Next
          </Button>
        </Group>
      )}
    </Group>
  );
}

/** "Clear filters" (shown while any filter or sort is on) and, on the main queues, saved views. */
export function ListTools({ list }: { list: Pick<UrlList, 'hasFilters' | 'reset' | 'viewsEnabled' | 'views' | 'key' | 'params' | 'go'> }) {
  return (
    <Group gap="xs">
      {list.viewsEnabled && <SavedViewsMenu list={list} />}
      {list.hasFilters && (
        <Button variant="subtle" size="xs" leftSection={<IconFilterOff size={14} />} onClick={list.reset}>
          Clear filters
        </Button>
      )}
    </Group>
  );
}

// ------------------------------------------------------------------ saved views

const viewsKey = (key: string | null) => ['/api/views', key];

export function useSavedViews(key: string | null) {
  return useQuery({
    queryKey: viewsKey(key),
    queryFn: ({ signal }) => get<{ items: SavedView[] }>('/api/views', { list: key ?? '' }, signal),
    enabled: !!key,
    staleTime: 60_000,
  });
}

/** The "Views" menu: apply a saved view, save the current state, manage (rename, default, delete). */
export function SavedViewsMenu({ list }: { list: Pick<UrlList, 'views' | 'key' | 'params' | 'go'> }) {
  const [saving, setSaving] = useState(false);
  const [managing, setManaging] = useState(false);
  const views = list.views.data?.items ?? [];
  const current = JSON.stringify(withoutPage(list.params));
  const active = views.find((v) => JSON.stringify(sorted(v.search)) === JSON.stringify(sorted(withoutPage(list.params))));
  return (
    <>
      <Menu position="bottom-end" shadow="md" width={260}>
        <Menu.Target>
          <Button variant="default" size="xs" leftSection={<IconBookmark size={14} />} data-testid="views-menu">
            {active ? `View: ${active.name}` : 'Views'}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>My saved views</Menu.Label>
          {views.length === 0 && (
            <Text size="xs" c="dimmed" px="sm" pb="xs">
              None yet: set filters and sort, then save them as a view.
            </Text>
          )}
          {views.map((v) => (
            <Menu.Item key={v.id} onClick={() => list.go(v.search)} rightSection={v.isDefault ? <IconStarFilled size={12} aria-label="Default" /> : undefined}>
              {v.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => setSaving(true)} disabled={current === '{}'}>
            Save current view…
          </Menu.Item>
          {views.length > 0 && <Menu.Item onClick={() => setManaging(true)}>Manage views…</Menu.Item>}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={saving} onClose={() => setSaving(false)} title="Save this view">
        {saving && <SaveViewForm listKey={list.key} search={withoutPage(list.params)} onDone={() => setSaving(false)} />}
      </Modal>
      <Modal opened={managing} onClose={() => setManaging(false)} title="My saved views" size="lg">
        <ManageViews listKey={list.key} views={views} />
      </Modal>
    </>
  );
}

const withoutPage = (params: ListParams) => {
  const out = { ...params };
  for (const k of PAGE_KEYS) delete out[k];
  return out;
};
const sorted = (o: ListParams) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** The server's message about a view's name goes beside the name field; anything else is a notification. */
function nameError(err: unknown, setError: (m: string | null) => void) {
  const problem = isApiError(err) ? err.problems.find((p) => p.field === 'name') : undefined;
  if (problem) setError(problem.message[0].toUpperCase() + problem.message.slice(1));
  else notifyError(err);
}

function SaveViewForm({ listKey, search, onDone }: { listKey: string; search: ListParams; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [isDefault, setIsDefault] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => post<SavedView>('/api/views', { listKey, name, search, isDefault }),
    onSuccess: (v) => {
      notifySuccess(`Saved the view "${v.name}"`);
      void queryClient.invalidateQueries({ queryKey: viewsKey(listKey) });
      onDone();
    },
    onError: (err) => nameError(err, setError),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <TextInput label="Name" required maxLength={80} value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} data-autofocus />
        <Checkbox label="Open this list with this view" checked={isDefault} onChange={(e) => setIsDefault(e.currentTarget.checked)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save view
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ManageViews({ listKey, views }: { listKey: string; views: SavedView[] }) {
  return (
    <Stack gap="xs">
      {views.map((v) => (
        <ManageViewRow key={v.id} listKey={listKey} view={v} />
      ))}
      {views.length === 0 && <Text c="dimmed">No saved views.</Text>}
    </Stack>
  );
}

function ManageViewRow({ listKey, view }: { listKey: string; view: SavedView }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(view.name);
  const [error, setError] = useState<string | null>(null);
  const done = () => void queryClient.invalidateQueries({ queryKey: viewsKey(listKey) });
  const update = useMutation({
    mutationFn: (body: { name?: string; isDefault?: boolean }) => patch<SavedView>(`/api/views/${view.id}`, body),
    onSuccess: () => {
      setError(null);
      done();
    },
    onError: (err) => nameError(err, setError),
  });
  const remove = useMutation({ mutationFn: () => del(`/api/views/${view.id}`), onSuccess: done, onError: (err) => notifyError(err) });
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <TextInput
        label={`Name of the view "${view.name}"`}
        labelProps={{ style: { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' } }}
        style={{ flex: 1 }}
        value={name}
        error={error}
        onChange={(e) => setName(e.currentTarget.value)}
        onBlur={() => name.trim() !== view.name && update.mutate({ name: name.trim() })}
        onKeyDown={(e) => e.key === 'Enter' && name.trim() !== view.name && update.mutate({ name: name.trim() })}
      />
      <Tooltip label={view.isDefault ? 'Opens with this view' : 'Open the list with this view'}>
        <ActionIcon variant="subtle" size="lg" aria-label={view.isDefault ? `"${view.name}" is the default; make no view the default` : `Make "${view.name}" the default`} onClick={() => update.mutate({ isDefault: !view.isDefault })}>
          {view.isDefault ? <IconStarFilled size={18} /> : <IconStar size={18} />}
        </ActionIcon>
      </Tooltip>
      <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Delete the view "${view.name}"`} loading={remove.isPending} onClick={() => remove.mutate()}>
        <IconTrash size={18} />
      </ActionIcon>
    </Group>
  );
}

// ------------------------------------------------------------------ building blocks

/** A cursor-paginated list endpoint as an infinite query ("Load more"), for lists inside a detail page. */
export function useCursorList<T>(path: string, filters: Filters, limit = 50) {
  const query = useInfiniteQuery({
    queryKey: [path, 'list', filters, limit],
    queryFn: ({ pageParam, signal }) => get<Page<T>>(path, { ...filters, limit, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total ?? 0;
  return { ...query, items, total };
}

/** What ListFooter needs of a useCursorList result. */
interface CursorListState {
  items: readonly unknown[];
  total: number;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "Showing 50 of 312" and the "Load more" button under a list inside a detail page. */
export function ListFooter({ list, noun = 'records' }: { list: CursorListState; noun?: string }) {
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed" data-testid="list-count">
        Showing {list.items.length} of {list.total} {noun}
      </Text>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </Group>
  );
}

/** A row spanning the table when a list is empty. */
export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={colSpan}>
        <Center py="xl">
          <Text c="dimmed" size="sm">
            {children}
          </Text>
        </Center>
      </Table.Td>
    </Table.Tr>
  );
}

/** "Export CSV": a plain download link carrying the list's current filters and sort. */
export function ExportButton({ path, filters, href }: { path?: string; filters?: Filters; href?: string }) {
  return (
    <Button component="a" href={href ?? `${path}${toQueryString(filters)}`} download variant="default" leftSection={<IconDownload size={16} />}>
      Export CSV
    </Button>
  );
}
