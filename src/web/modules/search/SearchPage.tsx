import { Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useNavigate, useSearch as useRouteSearch } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { SearchHitRow, useSearch } from '../../ui/GlobalSearch';
import { PageHeader } from '../../ui/PageHeader';
import { QueryError } from '../../ui/StatusPages';

export { validateSearchPage } from './search';


/** Full search results: every kind the person may see, 25 of each. The query lives in the URL. */
export function SearchPage() {
  const { q: urlQ = '' } = useRouteSearch({ from: '/_app/search' });
  const navigate = useNavigate();
  const [q, setQ] = useState(urlQ);
  const [debounced] = useDebouncedValue(q, 300);
  useEffect(() => {
    if (debounced.trim() !== urlQ) void navigate({ to: '/search', search: { q: debounced.trim() || undefined }, replace: true });
  }, [debounced, urlQ, navigate]);
  const result = useSearch(urlQ, 25);
  return (
    <>
      <PageHeader title="Search" description="People, stores, ideas, requests and cashier monitoring: everything you may see, by reference (REQ-42), name or words." />
      <TextInput mb="md" size="md" aria-label="Search" placeholder="REQ-42, IDEA-7, a name, a store, words…" leftSection={<IconSearch size={18} />} value={q} onChange={(e) => setQ(e.currentTarget.value)} autoFocus />
      {result.isError && <QueryError embedded error={result.error} retry={() => void result.refetch()} />}
      {urlQ && result.data && !result.data.groups.length && (
        <Text c="dimmed" ta="center" p="lg">
          Nothing you may see matches “{urlQ}”.
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {urlQ &&
          result.data?.groups.map((g) => (
            <Paper key={g.kind} p="sm" data-testid={`search-page-group-${g.kind}`}>
              <Stack gap={4}>
                <Title order={3} size="h5" px="sm">
                  {g.label} ({g.items.length}
                  {g.items.length === 25 ? '+' : ''})
                </Title>
                {g.items.map((hit) => (
                  <SearchHitRow key={hit.id} hit={hit} onOpen={(h) => void navigate({ href: h.link })} />
                ))}
              </Stack>
            </Paper>
          ))}
      </SimpleGrid>
    </>
  );
}
