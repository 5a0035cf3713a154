import { Alert, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { PEER_GROUP_LABELS, PEER_GROUPS, type PeerGroup, type Ranking } from '../../../contracts/pos';
import { get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterPanel } from '../../ui/filters';
import { formatWindow } from '../../ui/format';
import { EmptyRow } from '../../ui/list';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import type { RankingSearch } from './search';
import { BandBadge, capitalise } from './shared';


const route = getRouteApi('/_app/pos/ranking');

/** How strong the evidence is, in words (the Bayes factor behind the score). */
function evidenceText(points: number) {
  const factor = 10 ** points;
  if (factor < 1) return 'none';
  if (factor >= 1000) return 'over 1000×';
  return `${factor >= 10 ? Math.round(factor) : factor.toFixed(1)}×`;
}

/**
 * Who to look at for a period: every cashier scored over the chosen range against people who do the
 * same job, evidence summed over the whole range. The range lives in the address, so a ranking can be shared.
 */
export function RankingPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const set = (patch: Partial<RankingSearch>) => void navigate({ to: '/pos/ranking', search: { ...search, ...patch } });
  const ranking = useQuery({
    queryKey: ['/api/pos/ranking', search],
    queryFn: ({ signal }) => get<Ranking>('/api/pos/ranking', { from: search.from, to: search.to, group: search.group, limit: 50 }, signal),
    placeholderData: (p) => p,
  });
  if (ranking.isPending) return <PageLoader />;
  if (ranking.isError && !ranking.data) return <QueryError error={ranking.error} retry={() => void ranking.refetch()} />;
  const r = ranking.data;
  return (
    <Stack>
      <PageHeader
        title="Who to look at"
        description={
          r.from && r.to
            ? `${r.total} cashiers ranked by the evidence over ${formatWindow(r.from, r.to)} (${r.days} days), each against people who do the same job.`
            : 'No POS data yet: import transactions to rank cashiers.'
        }
      />
      <FilterPanel>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput type="date" label="From" value={search.from ?? r.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} w={170} />
          <TextInput type="date" label="To" value={search.to ?? r.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value || undefined })} w={170} />
          <Select
            label="Peer group"
            placeholder="Everyone"
            clearable
            data={PEER_GROUPS.map((g) => ({ value: g, label: capitalise(PEER_GROUP_LABELS[g]) }))}
            value={search.group ?? null}
            onChange={(v) => set({ group: (v as PeerGroup | null) ?? undefined })}
            w={230}
          />
          {(search.from || search.to || search.group) && (
            <Button variant="subtle" onClick={() => void navigate({ to: '/pos/ranking', search: {} })}>
              Last 4 weeks of data
            </Button>
          )}
        </Group>
      </FilterPanel>
      {r.registerAlerts.map((a) => (
        <Alert key={`${a.storeId}/${a.register}`} color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={`${a.storeCode}: a register problem, not a cashier's`} data-testid="register-alert">
          {a.text}.{' '}
          <AnchorLink to="/pos/registers" size="sm">
            Registers
          </AnchorLink>
        </Alert>
      ))}
      <Card padding={0} withBorder>
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" highlightOnHover data-testid="ranking-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>#</Table.Th>
                <Table.Th>Cashier</Table.Th>
                <Table.Th>Peers</Table.Th>
                <Table.Th>Risk</Table.Th>
                <Table.Th title="How much likelier these numbers are for a dishonest cashier than for an honest one">Evidence</Table.Th>
                <Table.Th>Why</Table.Th>
                <Table.Th>Open</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.items.length === 0 && <EmptyRow colSpan={7}>No cashier worked in this period.</EmptyRow>}
              {r.items.map((c, i) => (
                <Table.Tr key={`${c.storeId}/${c.cashierCode}`} data-testid="ranked-cashier">
                  <Table.Td>{i + 1}</Table.Td>
                  <Table.Td>
                    {c.cashierId ? (
                      <AnchorLink to="/pos/cashiers/$id" params={{ id: c.cashierId }}>
                        {c.cashierName || c.cashierCode}
                      </AnchorLink>
                    ) : (
                      c.cashierCode
                    )}
                    <Text size="xs" c="dimmed">
                      {c.storeCode} · {c.cashierCode} · {c.transactions} transactions
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color="gray" size="sm">
                      {capitalise(PEER_GROUP_LABELS[c.group])}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <BandBadge band={c.band} score={c.score} />
                  </Table.Td>
                  <Table.Td>{evidenceText(c.points)}</Table.Td>
                  <Table.Td maw={420}>
                    <Text size="sm">{capitalise(c.summary)}</Text>
                  </Table.Td>
                  <Table.Td>{c.openExceptions ? <Badge color="orange">{c.openExceptions}</Badge> : <Text c="dimmed" size="sm">—</Text>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}
