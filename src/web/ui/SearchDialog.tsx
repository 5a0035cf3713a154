import { Box, Loader, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { SearchHit } from '../../contracts/search';
import { SearchHitRow, useSearch } from './GlobalSearch';

/** The top bar's search dialog (GlobalSearch opens it): arrows and Enter pick a result. */
export function SearchDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 200);
  const [active, setActive] = useState(0);
  const navigate = useNavigate();
  const result = useSearch(debounced);
  const hits = debounced.trim() ? (result.data?.groups.flatMap((g) => g.items) ?? []) : [];
  const close = () => {
    onClose();
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
  );
}
