import { Button, Center, Group, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Page } from '../../contracts/list';
import { get, toQueryString } from '../api';

type Filters = Record<string, string | number | boolean | null | undefined>;

/** A cursor-paginated list endpoint as an infinite query ("Load more"). */
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

/** "Showing 50 of 312" and the "Load more" button under a list from useCursorList. */
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

/** "Export CSV": a plain download link carrying the list's current filters. */
export function ExportButton({ path, filters }: { path: string; filters: Filters }) {
  return (
    <Button component="a" href={`${path}${toQueryString(filters)}`} download variant="default" leftSection={<IconDownload size={16} />}>
      Export CSV
    </Button>
  );
}
