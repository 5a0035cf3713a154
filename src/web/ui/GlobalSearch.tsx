import { Box, Group, Kbd, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import type { SearchHit, SearchResult } from '../../contracts/search';
import { get } from '../api';

const loadDialog = () => import('./SearchDialog');
const SearchDialog = lazy(() => loadDialog().then((m) => ({ default: m.SearchDialog })));

export function useSearch(q: string, limit = 6) {
  const text = q.trim();
  return useQuery({ queryKey: ['search', text, limit], queryFn: ({ signal }) => get<SearchResult>('/api/search', { q: text, limit }, signal), enabled: text.length > 0, placeholderData: (prev) => prev });
}

export function SearchHitRow({ hit, active, onOpen }: { hit: SearchHit; active?: boolean; onOpen: (hit: SearchHit) => void }) {
  return (
    <UnstyledButton
      onClick={() => onOpen(hit)}
      px="sm"
      py={6}
      data-testid="search-hit"
      style={{ display: 'block', width: '100%', borderRadius: 'var(--mantine-radius-sm)', background: active ? 'var(--mantine-color-blue-light)' : undefined }}
    >
      <Group gap={8} wrap="nowrap">
        {hit.ref && (
          <Text size="xs" ff="monospace" c="dimmed" style={{ flex: 'none' }}>
            {hit.ref}
          </Text>
        )}
        <Box style={{ minWidth: 0 }}>
          <Text size="sm" truncate>
            {hit.title}
          </Text>
          {hit.subtitle && (
            <Text size="xs" c="dimmed" truncate>
              {hit.subtitle}
            </Text>
          )}
        </Box>
      </Group>
    </UnstyledButton>
  );
}

/** The search box of the top bar: opens with a click, `/` or Ctrl/⌘-K. The dialog loads on first use. */
export function GlobalSearch() {
  const [opened, setOpened] = useState(false);
  const [used, setUsed] = useState(false);
  const open = () => {
    setUsed(true);
    setOpened(true);
  };
  useHotkeys([
    ['mod+K', open],
    ['/', open],
  ]);
  return (
    <>
      {/* Named by its text, not aria-label: list pages label their own filter box "Search". */}
      <UnstyledButton onClick={open} onPointerEnter={() => void loadDialog()} onFocus={() => void loadDialog()} title="Search (/ or Ctrl+K)" data-testid="search-open" style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 'var(--mantine-radius-md)', padding: '5px 10px', minWidth: 0 }}>
        <Group gap={8} wrap="nowrap">
          <IconSearch size={16} />
          <Text size="sm" c="dimmed" visibleFrom="sm">
            Search
          </Text>
          <VisuallyHidden hiddenFrom="sm">Search</VisuallyHidden>
          <Kbd size="xs" visibleFrom="md">
            /
          </Kbd>
        </Group>
      </UnstyledButton>
      {used && (
        <Suspense fallback={null}>
          <SearchDialog opened={opened} onClose={() => setOpened(false)} />
        </Suspense>
      )}
    </>
  );
}
