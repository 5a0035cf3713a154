import { Box, Group, Kbd, Loader, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { SearchHit, SearchResult } from '../../contracts/search';
import { get } from '../api';

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

/** The search box of the top bar: opens with a click, `/` or Ctrl/⌘-K; arrows and Enter pick a result. */
export function GlobalSearch() {
  const [opened, setOpened] = useState(false);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 200);
  const [active, setActive] = useState(0);
  const navigate = useNavigate();
  const result = useSearch(debounced);
  const hits = debounced.trim() ? (result.data?.groups.flatMap((g) => g.items) ?? []) : [];
  useHotkeys([
    ['mod+K', () => setOpened(true)],
    ['/', () => setOpened(true)],
  ]);
  const close = () => {
    setOpened(false);
    setActive(0);
  };
  const openHit = (hit: SearchHit) => {
    close();
    setQ('');
    void navigate({ href: hit.link });
  };
  const seeAll = () => {
    close();
    void navigate({ to: '/search', search: { q: q.trim() } });
  };
  let index = -1;
  return (
    <>
      {/* Named by its text, not aria-label: list pages label their own filter box "Search". */}
      <UnstyledButton onClick={() => setOpened(true)} title="Search (/ or Ctrl+K)" data-testid="search-open" style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 'var(--mantine-radius-md)', padding: '5px 10px', minWidth: 0 }}>
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
      <Modal opened={opened} onClose={close} title="Search Tandem" size="lg" yOffset="8vh">
        <Stack gap="sm">
          <TextInput
            data-autofocus
            aria-label="Search"
            placeholder="REQ-42, IDEA-7, a name, a store, words…"
            leftSection={<IconSearch size={16} />}
            rightSection={result.isFetching ? <Loader size="xs" /> : null}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setActive(0);
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                setActive((a) => Math.min(a + 1, Math.max(hits.length - 1, 0)));
              } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                setActive((a) => Math.max(a - 1, 0));
              } else if (e.key === 'Enter') {
                e.preventDefault();
                if (hits[active]) openHit(hits[active]);
                else if (q.trim()) seeAll();
              }
            }}
          />
          <ScrollArea.Autosize mah="60vh">
            {debounced.trim() && result.data && !result.data.groups.length && !result.isFetching && (
              <Text size="sm" c="dimmed" p="sm">
                Nothing you may see matches “{debounced.trim()}”.
              </Text>
            )}
            {debounced.trim() &&
              result.data?.groups.map((g) => (
                <Box key={g.kind} mb="xs" data-testid={`search-group-${g.kind}`}>
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={2}>
                    {g.label}
                  </Text>
                  {g.items.map((hit) => {
                    index++;
                    return <SearchHitRow key={`${g.kind}-${hit.id}`} hit={hit} active={index === active} onOpen={openHit} />;
                  })}
                </Box>
              ))}
          </ScrollArea.Autosize>
          {q.trim() && (
            <UnstyledButton onClick={seeAll}>
              <Text size="sm" c="blue">
                See all results for “{q.trim()}”
              </Text>
            </UnstyledButton>
          )}
        </Stack>
      </Modal>
    </>
  );
}
