import { CashierCaseActions } from '../cases/PosCaseActions';
import { Badge, Button, Card, Collapse, Grid, Group, Paper, Select, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconListCheck, IconVideo } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { LineChart } from '../../ui/charts';
import { formatDay, formatShortDay, formatWindow } from '../../ui/format';
import { Fragment, useState } from 'react';
import type { z } from 'zod';
import { METRICS, POS_TYPES, type cashierDashboardSchema, type Metric, type PosTransaction } from '../../../contracts/pos';
import { get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { EmptyRow, ListFooter, useCursorList } from '../../ui/list';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { BandBadge, capitalise, ExplanationList, formatMoney, metricLabel, Receipt, ruleLabel, TYPE_LABELS, ButtonLink } from './shared';
import { usePosSettings } from './usePos';

type CashierDashboard = z.infer<typeof cashierDashboardSchema>;
const route = getRouteApi('/_app/pos/cashiers/$id');

/** One cashier: weekly risk score, a metric day by day against the store, and every transaction. */
export function CashierPage() {
  const { id } = route.useParams();
  const settings = usePosSettings();
  const dash = useQuery({ queryKey: ['/api/pos/cashiers', id], queryFn: ({ signal }) => get<CashierDashboard>(`/api/pos/cashiers/${id}`, undefined, signal) });
  const [metric, setMetric] = useState<Metric | null>(null);

  if (dash.isPending) return <PageLoader />;
  if (dash.isError) return <QueryError error={dash.error} retry={() => void dash.refetch()} what="cashier" />;
  const d = dash.data;
  const weeks = d.scores.filter((s) => s.period === 'week');
  const latest = weeks[weeks.length - 1];
  const shown: Metric = metric ?? (latest?.explanation[0]?.metric as Metric | undefined) ?? 'refund_rate';
  const isMoney = shown === 'low_avg_item_value';
  const scale = (v: number | undefined) => (v == null ? null : isMoney ? Math.round(v) / 100 : Math.round(v * 1000) / 10);
  const metricSeries = d.days.map((day) => ({ day: formatShortDay(day.day), 'This cashier': scale(day.metrics[shown]), Store: scale(day.store[shown]) }));
  const scoreSeries = weeks.map((s) => ({ week: formatShortDay(s.periodStart), Score: Math.round(s.score) }));
  const watchAt = settings.data?.watchThreshold ?? 40;
  const highAt = settings.data?.highThreshold ?? 70;

  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/pos" label="Cashier monitoring" current={d.cashier.name || d.cashier.code}>
        <AnchorLink to="/pos/stores/$id" params={{ id: d.cashier.storeId }} size="sm">
          {d.cashier.storeCode}
        </AnchorLink>
      </PageBreadcrumbs>
      <Group justify="space-between" align="flex-end" gap="sm">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h2">{d.cashier.name || `Cashier ${d.cashier.code}`}</Title>
            {latest && <BandBadge band={latest.band} score={latest.score} />}
          </Group>
          <Text size="sm" c="dimmed">
            Cashier ID {d.cashier.code} · {d.cashier.storeCode} {d.cashier.storeName}
            {d.from && d.to ? ` · ${formatWindow(d.from, d.to)}` : ''}
          </Text>
        </Stack>
        <ButtonLink to="/pos/exceptions" search={{ cashierId: d.cashier.id, status: 'all' }} variant="default" leftSection={<IconListCheck size={16} />}>
          This cashier's exceptions
        </ButtonLink>
      </Group>
      <CashierCaseActions cashierId={d.cashier.id} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card padding="md" h="100%">
            <Title order={5} mb={4}>
              Risk score by week
            </Title>
            {latest ? (
              <>
                <LineChart
                  h={200}
                  data={scoreSeries}
                  dataKey="week"
                  series={[{ name: 'Score', color: 'red.6' }]}
                  yAxisProps={{ domain: [0, 100] }}
                  referenceLines={[
                    { y: highAt, label: 'High', color: 'red.4' },
                    { y: watchAt, label: 'Watch', color: 'yellow.6' },
                  ]}
                  gridAxis="y"
                  data-testid="chart-score"
                  label={`Risk score by week, watch from ${watchAt} and high from ${highAt}: ${scoreSeries.map((s) => `${s.week} ${s.Score}`).join(', ')}`}
                />
                <Text size="sm" fw={600} mt="sm" mb={4}>
                  Week of {formatDay(latest.periodStart)}: {latest.transactions} transactions
                </Text>
                <ExplanationList explanation={latest.explanation} />
              </>
            ) : (
              <Text size="sm" c="dimmed">
                No weekly score yet.
              </Text>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card padding="md" h="100%">
            <Group justify="space-between" mb="xs" align="flex-end">
              <Title order={5}>Against the store, day by day</Title>
              <Select
                label="Metric"
                size="xs"
                w={240}
                allowDeselect={false}
                data={METRICS.map((m) => ({ value: m, label: capitalise(metricLabel(m)) }))}
                value={shown}
                onChange={(v) => setMetric(v as Metric)}
              />
            </Group>
            {metricSeries.length === 0 ? (
              <Text size="sm" c="dimmed">
                No transactions in this period.
              </Text>
            ) : (
              <LineChart
                h={260}
                data={metricSeries}
                dataKey="day"
                unit={isMoney ? ' $' : '%'}
                series={[
                  { name: 'This cashier', color: 'red.6' },
                  { name: 'Store', color: 'gray.6', strokeDasharray: '5 5' },
                ]}
                withLegend
                legendProps={{ verticalAlign: 'bottom', height: 36 }}
                connectNulls
                curveType="monotone"
                gridAxis="y"
                data-testid="chart-metric"
                label={`${capitalise(metricLabel(shown))} of this cashier against the store, day by day, ${metricSeries[0]!.day} to ${metricSeries[metricSeries.length - 1]!.day}`}
              />
            )}
          </Card>
        </Grid.Col>
      </Grid>

      <Transactions cashierId={d.cashier.id} />
    </Stack>
  );
}

function Transactions({ cashierId }: { cashierId: string }) {
  const [type, setType] = useState<string | null>(null);
  const [flagged, setFlagged] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const list = useCursorList<PosTransaction>(`/api/pos/cashiers/${cashierId}/transactions`, { type, flagged, sort: 'startedAt', order: 'desc' }, 50);
  return (
    <Card padding="md">
      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={4}>Transactions</Title>
        <Group gap="sm">
          <Select label="Type" placeholder="All types" clearable size="xs" w={170} data={POS_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))} value={type} onChange={setType} />
          <Select
            label="Flagged"
            placeholder="All"
            clearable
            size="xs"
            w={130}
            data={[
              { value: 'true', label: 'Flagged only' },
              { value: 'false', label: 'Not flagged' },
            ]}
            value={flagged}
            onChange={setFlagged}
          />
        </Group>
      </Group>
      {list.isError && !list.data ? (
        <QueryError embedded error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" data-testid="transactions-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={28} aria-label="Details" />
                  <Table.Th>Store time</Table.Th>
                  <Table.Th>Register · #</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th ta="right">Total</Table.Th>
                  <Table.Th>Tender</Table.Th>
                  <Table.Th>Flags</Table.Th>
                  <Table.Th aria-label="Video" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.isPending && <EmptyRow colSpan={8}>Loading…</EmptyRow>}
                {!list.isPending && list.items.length === 0 && <EmptyRow colSpan={8}>No transactions match.</EmptyRow>}
                {list.items.map((t) => (
                  <Fragment key={t.id}>
                    <Table.Tr bg={t.flags.length ? 'var(--mantine-color-red-light)' : undefined}>
                      <Table.Td>
                        <UnstyledButton onClick={() => setOpen(open === t.id ? null : t.id)} aria-label={open === t.id ? 'Hide details' : 'Show details'} aria-expanded={open === t.id}>
                          {open === t.id ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{t.localStart}</Table.Td>
                      <Table.Td>
                        <AnchorLink to="/pos/transactions/$id" params={{ id: t.id }} size="sm">
                          {t.register} · {t.transactionNumber}
                        </AnchorLink>
                      </Table.Td>
                      <Table.Td>{TYPE_LABELS[t.type]}</Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {formatMoney(t.totalCents)}
                      </Table.Td>
                      <Table.Td>
                        {t.tender}
                        {t.cardEntry ? ` · ${t.cardEntry}` : ''}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {t.flags.map((f) => (
                            <Badge key={f} color="red" variant="light" size="xs" style={{ textTransform: 'none' }} title={ruleLabel(f)}>
                              {f.replace(/_/g, ' ')}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        {t.videoUrl && (
                          <Button component="a" href={t.videoUrl} target="_blank" rel="noopener noreferrer" size="compact-xs" variant="subtle" leftSection={<IconVideo size={12} />}>
                            Video
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                    <Table.Tr style={{ display: open === t.id ? undefined : 'none' }}>
                      <Table.Td colSpan={8}>
                        <Collapse expanded={open === t.id}>
                          <Paper p="sm" maw={560} bg="var(--mantine-color-gray-light)">
                            <Receipt txn={t} />
                          </Paper>
                        </Collapse>
                      </Table.Td>
                    </Table.Tr>
                  </Fragment>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <ListFooter list={list} noun="transactions" />
    </Card>
  );
}
