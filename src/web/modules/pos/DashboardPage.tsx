import { Button, Card, Grid, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconListCheck, IconUpload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { z } from 'zod';
import type { CashierScore, chainDashboardSchema } from '../../../contracts/pos';
import type { Page } from '../../../contracts/list';
import { get } from '../../api';
import { BarChart, LineChart } from '../../ui/charts';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterPanel } from '../../ui/filters';
import { formatDay, formatNumber, formatShortDay, formatWindow } from '../../ui/format';
import { EmptyRow } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { BandBadge, capitalise, formatMoney, formatMoneyShort } from './shared';

type ChainDashboard = z.infer<typeof chainDashboardSchema>;

export function StatCard({ label, value, hint, color }: { label: string; value: string; hint?: string; color?: string }) {
  return (
    <Paper p="md" radius="md" withBorder>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} lh={1.2}>
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

/** The chain at a glance: exceptions by store, the daily trend, and who to look at this week. */
export function DashboardPage() {
  const canImport = useCan('pos:import');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const range = { from: from || undefined, to: to || undefined };
  const dash = useQuery({ queryKey: ['/api/pos/dashboard', range], queryFn: ({ signal }) => get<ChainDashboard>('/api/pos/dashboard', range, signal), placeholderData: (p) => p });
  const top = useQuery({
    queryKey: ['/api/pos/scores', 'top'],
    queryFn: ({ signal }) => get<Page<CashierScore>>('/api/pos/scores', { period: 'week', limit: 8 }, signal),
  });

  if (dash.isPending) return <PageLoader />;
  if (dash.isError && !dash.data) return <QueryError error={dash.error} retry={() => void dash.refetch()} />;
  const d = dash.data;
  const empty = d.totals.transactions === 0;
  // Raised in the window vs open now (whenever raised): the queue's definition of open.
  const byStore = d.byStore.map((s) => ({ store: s.storeCode, 'Raised in window': s.exceptions, 'Open now': s.openExceptions }));
  const windowText = formatWindow(d.from, d.to);
  const trend = d.trend.map((t) => ({
    day: formatShortDay(t.day),
    Exceptions: t.exceptions,
    'Refunds % of sales': t.salesCents ? Math.round((t.refundCents / t.salesCents) * 1000) / 10 : 0,
  }));

  return (
    <>
      <PageHeader
        title="Cashier monitoring"
        description={d.from && d.to ? `Exceptions and risk in the stores you see, ${windowText}.` : 'Exceptions and risk in the stores you see.'}
        actions={
          <>
            {canImport && (
              <Button component={Link} to="/pos/imports" variant="default" leftSection={<IconUpload size={16} />}>
                Import POS data
              </Button>
            )}
            <Button component={Link} to="/pos/exceptions" leftSection={<IconListCheck size={16} />}>
              Exception queue
            </Button>
          </>
        }
      />

      <FilterPanel>
        <Group gap="sm" align="flex-end">
          <TextInput type="date" label="From" value={from || d.from || ''} onChange={(e) => setFrom(e.currentTarget.value)} w={170} />
          <TextInput type="date" label="To" value={to || d.to || ''} onChange={(e) => setTo(e.currentTarget.value)} w={170} />
          {(from || to) && (
            <Button variant="subtle" onClick={() => (setFrom(''), setTo(''))}>
              Last 30 days of data
            </Button>
          )}
        </Group>
      </FilterPanel>

      {empty ? (
        <Card padding="xl">
          <Stack align="center" gap="xs">
            <Title order={4}>No POS data in this period</Title>
            <Text c="dimmed" size="sm" ta="center">
              Import transactions from the registers to see exceptions, trends and risk scores.
            </Text>
            {canImport && (
              <Button component={Link} to="/pos/imports" mt="sm">
                Import POS data
              </Button>
            )}
          </Stack>
        </Card>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" mb="md">
            <StatCard label="Transactions" value={formatNumber(d.totals.transactions)} hint={windowText} />
            <StatCard label="Sales" value={formatMoneyShort(d.totals.salesCents)} hint={windowText} />
            <StatCard label="Refunds" value={formatMoneyShort(d.totals.refundCents)} hint={d.totals.salesCents ? `${((d.totals.refundCents / d.totals.salesCents) * 100).toFixed(1)}% of sales · ${windowText}` : windowText} />
            <StatCard label="Open exceptions" value={formatNumber(d.totals.openExceptions)} color={d.totals.openExceptions ? 'orange' : undefined} hint="now, as in the queue" />
            <StatCard label="High-risk cashiers" value={formatNumber(d.totals.highRiskCashiers)} color={d.totals.highRiskCashiers ? 'red' : undefined} hint={`scored high in a week of ${windowText}`} />
          </SimpleGrid>

          <Grid gap="md" mb="md">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card padding="md" h="100%">
                <Title order={5} mb="xs">
                  Exceptions by store
                </Title>
                <BarChart
                  h={Math.max(280, byStore.length * 24 + 60)}
                  data={byStore}
                  dataKey="store"
                  orientation="vertical"
                  withLegend
                  legendProps={{ verticalAlign: 'bottom', height: 40 }}
                  series={[
                    { name: 'Raised in window', color: 'gray.5' },
                    { name: 'Open now', color: 'orange.6' },
                  ]}
                  gridAxis="x"
                  yAxisProps={{ width: 64, interval: 0 }}
                  barProps={{ radius: 2 }}
                  data-testid="chart-by-store"
                  label={`Exceptions by store, raised in ${windowText} and open now: ${byStore.map((s) => `${s.store} ${s['Raised in window']} raised, ${s['Open now']} open`).join('; ')}`}
                />
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card padding="md" h="100%">
                <Title order={5} mb="xs">
                  Trend by day
                </Title>
                <LineChart
                  h={280}
                  data={trend}
                  dataKey="day"
                  withLegend
                  legendProps={{ verticalAlign: 'bottom', height: 40 }}
                  withRightYAxis
                  rightYAxisLabel="Refunds %"
                  yAxisLabel="Exceptions"
                  series={[
                    { name: 'Exceptions', color: 'orange.6' },
                    { name: 'Refunds % of sales', color: 'indigo.6', yAxisId: 'right' },
                  ]}
                  curveType="monotone"
                  withDots={false}
                  gridAxis="y"
                  data-testid="chart-trend"
                  label={`Exceptions and refunds as a share of sales, day by day, ${windowText}: ${formatNumber(d.trend.reduce((n, t) => n + t.exceptions, 0))} exceptions in all, refunds ${d.totals.salesCents ? ((d.totals.refundCents / d.totals.salesCents) * 100).toFixed(1) : 0}% of sales`}
                />
              </Card>
            </Grid.Col>
          </Grid>

          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Card padding="md" h="100%">
                <Title order={5} mb={4}>
                  Who to look at{top.data?.items[0] ? ` · week of ${formatDay(top.data.items[0].periodStart)}` : ''}
                </Title>
                <Text size="xs" c="dimmed" mb="sm">
                  Highest risk scores of the latest week, chain-wide
                </Text>
                <Stack gap="sm">
                  {top.data?.items.length === 0 && (
                    <Text size="sm" c="dimmed">
                      No scores yet.
                    </Text>
                  )}
                  {top.data?.items.map((s) => (
                    <Group key={`${s.storeId}-${s.cashierCode}`} justify="space-between" wrap="nowrap" align="flex-start">
                      <Stack gap={0} style={{ minWidth: 0 }}>
                        <AnchorLink to="/pos/cashiers/$id" params={{ id: s.cashierId }} size="sm" fw={600}>
                          {s.cashierName || s.cashierCode} · {s.storeCode}
                        </AnchorLink>
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {capitalise(s.summary)}
                        </Text>
                      </Stack>
                      <BandBadge band={s.band} score={s.score} />
                    </Group>
                  ))}
                </Stack>
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Paper>
                <Table.ScrollContainer minWidth={620}>
                  <Table verticalSpacing="xs" highlightOnHover data-testid="stores-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Store</Table.Th>
                        <Table.Th ta="right">Transactions</Table.Th>
                        <Table.Th ta="right">Sales</Table.Th>
                        <Table.Th ta="right">Refunds</Table.Th>
                        <Table.Th ta="right">Open exc.</Table.Th>
                        <Table.Th ta="right">High-risk</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {d.byStore.length === 0 && <EmptyRow colSpan={6}>No stores.</EmptyRow>}
                      {d.byStore.map((s) => (
                        <Table.Tr key={s.storeId}>
                          <Table.Td>
                            <AnchorLink to="/pos/stores/$id" params={{ id: s.storeId }} size="sm" fw={600}>
                              {s.storeCode}
                            </AnchorLink>
                            <Text size="xs" c="dimmed">
                              {s.storeName}
                            </Text>
                          </Table.Td>
                          <Table.Td ta="right">{formatNumber(s.transactions)}</Table.Td>
                          <Table.Td ta="right">{formatMoneyShort(s.salesCents)}</Table.Td>
                          <Table.Td ta="right">
                            {formatMoney(s.refundCents)}
                            <Text size="xs" c="dimmed">
                              {s.salesCents ? `${((s.refundCents / s.salesCents) * 100).toFixed(1)}%` : '—'}
                            </Text>
                          </Table.Td>
                          <Table.Td ta="right">
                            <AnchorLink to="/pos/exceptions" search={{ storeId: s.storeId }} size="sm">
                              {s.openExceptions}
                            </AnchorLink>
                          </Table.Td>
                          <Table.Td ta="right">
                            <Text size="sm" c={s.highRiskCashiers ? 'red' : undefined} fw={s.highRiskCashiers ? 700 : undefined}>
                              {s.highRiskCashiers}
                            </Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Paper>
            </Grid.Col>
          </Grid>
        </>
      )}
    </>
  );
}
