import { Button, Card, Group, Progress, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import type { outcomesSchema } from '../../../contracts/pos';
import type { z } from 'zod';
import { get } from '../../api';
import { FilterPanel } from '../../ui/filters';
import { AnchorLink } from '../../ui/AnchorLink';
import { formatDay, formatNumber } from '../../ui/format';
import { EmptyRow } from '../../ui/list';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import type { DateRangeSearch } from './search';
import { formatMoney, RULE_OPTIONS } from './shared';

const RULES = new Set(RULE_OPTIONS.map((r) => r.value));

const route = getRouteApi('/_app/pos/outcomes');

/** Below this many reviews a hit rate says little: shown, but flagged. */
const FEW_REVIEWS = 5;

/**
 * What each rule and signal is worth: of the exceptions it raised, how many investigators reviewed,
 * how many they confirmed, and the loss in the confirmed ones. Leads read it to see which rules waste
 * the team's time and to tune the scoring weights (POS settings).
 */
export function OutcomesPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const set = (patch: Partial<DateRangeSearch>) => void navigate({ to: '/pos/outcomes', search: { ...search, ...patch } });
  const outcomes = useQuery({
    queryKey: ['/api/pos/outcomes', search],
    queryFn: ({ signal }) => get<z.infer<typeof outcomesSchema>>('/api/pos/outcomes', { from: search.from, to: search.to }, signal),
    placeholderData: (p) => p,
  });
  if (outcomes.isPending) return <PageLoader />;
  if (outcomes.isError && !outcomes.data) return <QueryError error={outcomes.error} retry={() => void outcomes.refetch()} />;
  const o = outcomes.data;
  const items = [...o.items].sort((a, b) => b.reviewed - a.reviewed || b.raised - a.raised);
  const window =
    search.from && search.to ? `from ${formatDay(search.from)} to ${formatDay(search.to)}` : search.from ? `since ${formatDay(search.from)}` : search.to ? `until ${formatDay(search.to)}` : 'all time';
  return (
    <Stack>
      <PageHeader
        title="Rule outcomes"
        description={`What each rule and signal raised and what investigators found, ${window}: the hit rate is confirmed of reviewed; the loss is the amount of the confirmed exceptions.`}
      />
      <FilterPanel>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput type="date" label="From" value={search.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} w={170} />
          <TextInput type="date" label="To" value={search.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value || undefined })} w={170} />
          {(search.from || search.to) && (
            <Button variant="subtle" onClick={() => void navigate({ to: '/pos/outcomes', search: {} })}>
              All time
            </Button>
          )}
        </Group>
      </FilterPanel>
      <Card padding={0}>
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" striped data-testid="outcomes-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rule or signal</Table.Th>
                <Table.Th ta="right">Raised</Table.Th>
                <Table.Th ta="right">Reviewed</Table.Th>
                <Table.Th ta="right">Confirmed</Table.Th>
                <Table.Th ta="right">Dismissed</Table.Th>
                <Table.Th w={170}>Hit rate</Table.Th>
                <Table.Th ta="right">Loss found</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && <EmptyRow colSpan={7}>No exceptions were raised in this period.</EmptyRow>}
              {items.map((r) => (
                <Table.Tr key={r.rule} data-testid="outcome-row">
                  <Table.Td>
                    {RULES.has(r.rule) ? (
                      <AnchorLink to="/pos/exceptions" search={{ rule: r.rule, status: 'all' }} size="sm">
                        {r.label}
                      </AnchorLink>
                    ) : (
                      <Text size="sm">{r.label}</Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{formatNumber(r.raised)}</Table.Td>
                  <Table.Td ta="right">{formatNumber(r.reviewed)}</Table.Td>
                  <Table.Td ta="right">{formatNumber(r.confirmed)}</Table.Td>
                  <Table.Td ta="right">{formatNumber(r.dismissed)}</Table.Td>
                  <Table.Td>
                    {r.hitRate === null ? (
                      <Text size="sm" c="dimmed">
                        not reviewed yet
                      </Text>
                    ) : (
                      <Stack gap={2}>
                        <Text size="sm">
                          {Math.round(r.hitRate * 100)} %{r.reviewed < FEW_REVIEWS ? ` (only ${r.reviewed} reviewed)` : ''}
                        </Text>
                        <Progress value={r.hitRate * 100} size="sm" aria-label={`${r.label}: ${Math.round(r.hitRate * 100)} % of reviewed exceptions confirmed`} />
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{formatMoney(r.lossFoundCents)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Text size="sm" c="dimmed">
        A rule whose exceptions are mostly dismissed costs investigators' time: raise its threshold or lower its weight in POS settings. The same exception counts under each
        rule and signal that raised it.
      </Text>
    </Stack>
  );
}
