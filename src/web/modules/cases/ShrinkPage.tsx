import { Card, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PeriodControl } from '../../ui/PeriodControl';
import { INCIDENT_TYPE_LABELS } from '../../../contracts/cases';
import { NRF_CAUSE_LABELS, NRF_SOURCE, type Shrink } from '../../../contracts/shrink';
import { get } from '../../api';
import { formatDate, formatDecimal, formatMoney, formatMonth } from '../../ui/format';
import { ExportButton } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { BarChart } from '../../ui/charts';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { ButtonLink } from './shared';

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper p="sm" withBorder>
      <Text size="xs" c="dimmed" fw={700} tt="uppercase">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

const dollars = (cents: number) => Math.round(cents / 100);
const moneyAxis = (v: number) => formatMoney(v * 100);

export function ShrinkPage() {
  const canCases = useCan('cases:read');
  const stores = useStores();
  const [months, setMonths] = useState('6');
  const [storeId, setStoreId] = useState<string | null>(null);
  const filters = { months, storeId: storeId ?? undefined };
  const q = useQuery({
    queryKey: ['/api/incidents/shrink', filters],
    queryFn: ({ signal }) => get<Shrink>('/api/incidents/shrink', filters, signal),
    placeholderData: keepPreviousData,
  });

  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} retry={() => void q.refetch()} />;
  const s = q.data;
  const net = s.totals.lostCents - s.totals.recoveredCents;
  const causes = s.byCause.filter((c) => c.lostCents > 0 || c.count > 0);
  const causeData = causes.map((c) => ({ cause: INCIDENT_TYPE_LABELS[c.type], Lost: dollars(c.lostCents), Recovered: dollars(c.recoveredCents) }));
  const monthData = s.byMonth.map((m) => ({ month: formatMonth(m.month, { short: true }), Lost: dollars(m.lostCents), Recovered: dollars(m.recoveredCents) }));
  const storeData = s.byStore.slice(0, 15).map((r) => ({ store: r.storeCode ?? 'HQ', Lost: dollars(r.lostCents), Recovered: dollars(r.recoveredCents) }));
  const nrfData = s.nrf.map((n) => ({ cause: NRF_CAUSE_LABELS[n.cause], NRF: n.nrfShare, 'This chain': n.chainShare ?? 0 }));
  const summary = (rows: { label: string; lost: number }[]) => rows.map((r) => `${r.label} ${formatMoney(r.lost)}`).join(', ');

  return (
    <Stack gap="lg">
      <PageHeader
        title="Shrink"
        description={`Losses reported since ${formatDate(s.since)}: by cause, store and month, lost against recovered, and how cases move. Figures hold only the incidents and cases you can see.`}
        actions={
          <>
            <ExportButton path="/api/incidents/shrink/export" filters={filters} />
            <ButtonLink to="/incidents" variant="default">
              Incidents
            </ButtonLink>
            {canCases && (
              <ButtonLink to="/cases" variant="default">
                Cases
              </ButtonLink>
            )}
          </>
        }
      />
      <Paper p="md">
        <Group justify="space-between" gap="sm">
          <PeriodControl value={months} onChange={setMonths} />
          <Select aria-label="Store" placeholder="All my stores" clearable searchable w={260} data={storeOptions(stores.data)} value={storeId} onChange={setStoreId} />
        </Group>
      </Paper>

      <SimpleGrid cols={{ base: 2, md: canCases ? 5 : 3 }}>
        <Figure label="Lost" value={formatMoney(s.totals.lostCents)} hint={`${s.totals.count} incidents and cases`} />
        <Figure label="Recovered" value={formatMoney(s.totals.recoveredCents)} hint={s.totals.lostCents > 0 ? `${formatDecimal((s.totals.recoveredCents / s.totals.lostCents) * 100)} % of the loss` : undefined} />
        <Figure label="Net loss" value={formatMoney(net)} />
        {canCases && <Figure label="Cases open / closed" value={`${s.cases.open + s.cases.onHold} / ${s.cases.closed}`} hint={s.cases.onHold ? `${s.cases.onHold} of the open on hold; opened in the period` : 'Opened in the period'} />}
        {canCases && <Figure label="Average days to close" value={s.cases.avgDaysToClose == null ? '—' : formatDecimal(s.cases.avgDaysToClose)} hint="Cases closed, from opening to closing" />}
      </SimpleGrid>

      <Card padding="lg">
        <Title order={2} size="h4">
          By cause
        </Title>
        {causeData.length === 0 ? (
          <Text size="sm" c="dimmed" mt="sm">
            No losses reported in this period.
          </Text>
        ) : (
          <BarChart
              label={`Loss by cause: ${summary(causes.map((c) => ({ label: INCIDENT_TYPE_LABELS[c.type], lost: c.lostCents })))}`}
              mt="md"
              h={Math.max(180, causeData.length * 44)}
              data={causeData}
              dataKey="cause"
              orientation="vertical"
              withLegend
              legendProps={{ verticalAlign: 'bottom', height: 36 }}
              yAxisProps={{ width: 170 }}
              valueFormatter={moneyAxis}
              series={[
                { name: 'Lost', color: 'red.6' },
                { name: 'Recovered', color: 'teal.6' },
              ]}
              barProps={{ radius: 3 }}
            />
        )}
      </Card>

      <Card padding="lg">
        <Title order={2} size="h4">
          Against the {NRF_SOURCE}
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Share of the loss by source. The survey's shares are of shrink in US retail; this chain's are of the losses recorded here, after mapping each incident type to one of the survey's four sources.
        </Text>
        <BarChart
            label={`Share of loss by source, survey against this chain: ${s.nrf.map((n) => `${NRF_CAUSE_LABELS[n.cause]} ${n.nrfShare} % against ${n.chainShare == null ? 'no losses' : `${formatDecimal(n.chainShare)} %`}`).join('; ')}`}
            h={220}
            data={nrfData}
            dataKey="cause"
            withLegend
            legendProps={{ verticalAlign: 'bottom', height: 36 }}
            yAxisProps={{ width: 40 }}
            valueFormatter={(v) => `${formatDecimal(v)} %`}
            series={[
              { name: 'NRF', label: 'NRF survey 2022', color: 'gray.5' },
              { name: 'This chain', color: 'indigo.6' },
            ]}
            barProps={{ radius: 3 }}
          />
        <Table.ScrollContainer minWidth={560} mt="md">
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Source (survey)</Table.Th>
                <Table.Th>Tandem incident types counted here</Table.Th>
                <Table.Th ta="right">Survey</Table.Th>
                <Table.Th ta="right">This chain</Table.Th>
                <Table.Th ta="right">Lost</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.nrf.map((n) => (
                <Table.Tr key={n.cause}>
                  <Table.Td fw={600}>{NRF_CAUSE_LABELS[n.cause]}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{n.types.map((t) => INCIDENT_TYPE_LABELS[t]).join(', ')}</Text>
                  </Table.Td>
                  <Table.Td ta="right">{n.nrfShare} %</Table.Td>
                  <Table.Td ta="right">{n.chainShare == null ? '—' : `${formatDecimal(n.chainShare)} %`}</Table.Td>
                  <Table.Td ta="right">{formatMoney(n.lostCents)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Text size="xs" c="dimmed" mt="xs">
          Source: National Retail Federation, National Retail Security Survey 2022 (external theft 36 %, internal theft 29 %, process and control failures 27 %, other 8 %).
        </Text>
      </Card>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Card padding="lg">
          <Title order={2} size="h4">
            By month
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Incidents by the month they happened; cases with a recorded loss by the month they were opened (UTC).
          </Text>
          <BarChart
              label={`Loss by month: ${summary(s.byMonth.map((m) => ({ label: formatMonth(m.month), lost: m.lostCents })))}`}
              h={240}
              data={monthData}
              dataKey="month"
              withLegend
              legendProps={{ verticalAlign: 'bottom', height: 36 }}
              yAxisProps={{ width: 64 }}
              valueFormatter={moneyAxis}
              series={[
                { name: 'Lost', color: 'red.6' },
                { name: 'Recovered', color: 'teal.6' },
              ]}
              barProps={{ radius: 3 }}
            />
        </Card>
        <Card padding="lg">
          <Title order={2} size="h4">
            By store
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            {s.byStore.length > 15 ? 'The 15 stores with the highest loss; the export lists every store.' : 'Stores with a loss in this period.'}
          </Text>
          {storeData.length === 0 ? (
            <Text size="sm" c="dimmed">
              No losses reported in this period.
            </Text>
          ) : (
            <BarChart
                label={`Loss by store: ${summary(s.byStore.slice(0, 15).map((r) => ({ label: r.storeCode ?? 'HQ', lost: r.lostCents })))}`}
                h={240}
                data={storeData}
                dataKey="store"
                withLegend
                legendProps={{ verticalAlign: 'bottom', height: 36 }}
                yAxisProps={{ width: 64 }}
                valueFormatter={moneyAxis}
                series={[
                  { name: 'Lost', color: 'red.6' },
                  { name: 'Recovered', color: 'teal.6' },
                ]}
                barProps={{ radius: 3 }}
              />
          )}
        </Card>
      </SimpleGrid>

      <Text size="xs" c="dimmed">
        How the figures are counted: every incident you can see, at its estimated loss and recovered amount; a case with a recorded loss counts instead of its incidents (recovered = recovery plus restitution). Restricted internal-theft cases count only for their members and loss-prevention leads; for everyone else they are not in any figure. Merged duplicate reports are not counted.
      </Text>
    </Stack>
  );
}
