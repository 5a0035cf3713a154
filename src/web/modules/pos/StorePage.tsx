import { Card, Grid, Group, Paper, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconListCheck, IconVideo } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { BarChart } from '../../ui/charts';
import { formatDay } from '../../ui/format';
import { useState } from 'react';
import type { z } from 'zod';
import { METRICS, type Period, type storeDashboardSchema } from '../../../contracts/pos';
import { get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { EmptyRow } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { BAND_COLORS, BandBadge, capitalise, formatMetric, metricLabel, ButtonLink } from './shared';
import { usePosSettings } from './usePos';

type StoreDashboard = z.infer<typeof storeDashboardSchema>;
const route = getRouteApi('/_app/pos/stores/$id');

const periodLabel = (period: Period, start: string) =>
  period === 'week' ? `Week of ${formatDay(start)}` : formatDay(start);

/** One store: its cashiers ranked by risk score, the score distribution, and the store's own rates. */
export function StorePage() {
  const { id } = route.useParams();
  const canVideo = useCan('pos:video');
  const settings = usePosSettings();
  const [period, setPeriod] = useState<Period>('week');
  const [periodStart, setPeriodStart] = useState<string | null>(null);
  const query = { period, periodStart: periodStart ?? undefined };
  const dash = useQuery({
    queryKey: ['/api/pos/stores', id, 'dashboard', query],
    queryFn: ({ signal }) => get<StoreDashboard>(`/api/pos/stores/${id}/dashboard`, query, signal),
    placeholderData: (p) => p,
  });
  const wide = useMediaQuery('(min-width: 48em)', true);

  if (dash.isPending) return <PageLoader />;
  if (dash.isError && !dash.data) return <QueryError error={dash.error} retry={() => void dash.refetch()} what="store" />;
  const d = dash.data;
  const watchAt = settings.data?.watchThreshold ?? 40;
  const highAt = settings.data?.highThreshold ?? 70;
  const distribution = d.distribution.map((b) => {
    const low = Number(b.bucket.split('-')[0]);
    return { bucket: b.bucket, Cashiers: b.count, color: `${BAND_COLORS[low >= highAt ? 'high' : low + 9 >= watchAt ? 'watch' : 'low']}.6` };
  });

  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/pos" label="Cashier monitoring" current={d.storeCode} />
      <Group justify="space-between" align="flex-end" gap="sm">
        <Stack gap={4}>
          <Title order={1} size="h2">
            {d.storeCode} · {d.storeName}
          </Title>
          <Text size="sm" c="dimmed">
            Cashiers ranked by risk score against this store and the chain · times in {d.timezone}
          </Text>
        </Stack>
        <Group gap="xs">
          <ButtonLink to="/pos/exceptions" search={{ storeId: d.storeId }} variant="default" leftSection={<IconListCheck size={16} />}>
            Exceptions
          </ButtonLink>
          {canVideo && (
            <ButtonLink to="/pos/settings" search={{ tab: 'video', storeId: d.storeId }} variant="default" leftSection={<IconVideo size={16} />}>
              Video settings
            </ButtonLink>
          )}
        </Group>
      </Group>

      <Paper p="md">
        <Group gap="md" align="flex-end">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="period-kind">
              Period
            </Text>
            <SegmentedControl
              aria-labelledby="period-kind"
              value={period}
              onChange={(v) => {
                setPeriod(v as Period);
                setPeriodStart(null);
              }}
              data={[
                { value: 'week', label: 'Week' },
                { value: 'day', label: 'Day' },
              ]}
            />
          </Stack>
          <Select
            label={period === 'week' ? 'Week' : 'Day'}
            placeholder="No scores yet"
            data={d.periods.map((p) => ({ value: p, label: periodLabel(period, p) }))}
            value={d.periodStart}
            onChange={setPeriodStart}
            allowDeselect={false}
            w={240}
            disabled={d.periods.length === 0}
          />
        </Group>
      </Paper>

      {d.cashiers.length === 0 ? (
        <Card padding="xl">
          <Text c="dimmed" ta="center" size="sm">
            No scores for this store yet. Scores appear once POS data for its registers is imported.
          </Text>
        </Card>
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Card padding="md" h="100%">
              <Title order={5} mb="xs">
                Score distribution · {d.cashiers.length} cashiers
              </Title>
              <BarChart
                h={240}
                data={distribution}
                dataKey="bucket"
                series={[{ name: 'Cashiers', color: 'indigo.6' }]}
                gridAxis="y"
                barProps={{ radius: 3 }}
                withBarValueLabel
                xAxisLabel="Risk score"
                data-testid="chart-distribution"
                label={`Cashiers per risk score band: ${distribution.map((b) => `${b.bucket} ${b.Cashiers}`).join(', ')}`}
              />
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Card padding="md" h="100%">
              <Title order={5} mb="xs">
                Store rates · {d.periodStart ? periodLabel(period, d.periodStart) : ''}
              </Title>
              <Table fz="sm" verticalSpacing={3}>
                <Table.Tbody>
                  {METRICS.filter((m) => d.storeRates[m] !== undefined).map((m) => (
                    <Table.Tr key={m}>
                      <Table.Td>{capitalise(metricLabel(m))}</Table.Td>
                      <Table.Td ta="right">{formatMetric(m, d.storeRates[m])}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          </Grid.Col>
        </Grid>
      )}

      {d.cashiers.length > 0 && (
        <Paper>
          {wide ? (
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="sm" highlightOnHover data-testid="cashiers-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={40}>#</Table.Th>
                    <Table.Th>Cashier</Table.Th>
                    <Table.Th ta="right">Transactions</Table.Th>
                    <Table.Th>Score</Table.Th>
                    <Table.Th>Why</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.cashiers.length === 0 && <EmptyRow colSpan={5}>No cashiers scored in this period.</EmptyRow>}
                  {d.cashiers.map((c, i) => (
                    <Table.Tr key={c.cashierCode}>
                      <Table.Td c="dimmed">{i + 1}</Table.Td>
                      <Table.Td>
                        <AnchorLink to="/pos/cashiers/$id" params={{ id: c.cashierId }} fw={600} size="sm">
                          {c.cashierName || c.cashierCode}
                        </AnchorLink>
                        <Text size="xs" c="dimmed">
                          ID {c.cashierCode}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">{c.transactions}</Table.Td>
                      <Table.Td>
                        <BandBadge band={c.band} score={c.score} />
                      </Table.Td>
                      <Table.Td maw={520}>
                        <Text size="sm" c={c.explanation.length ? undefined : 'dimmed'}>
                          {capitalise(c.summary)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <div data-testid="cashiers-table">
              {d.cashiers.map((c, i) => (
                <Stack key={c.cashierCode} gap={4} p="md" style={{ borderTop: i ? '1px solid var(--mantine-color-default-border)' : undefined }}>
                  <Group justify="space-between" wrap="nowrap">
                    <AnchorLink to="/pos/cashiers/$id" params={{ id: c.cashierId }} fw={600} size="sm">
                      {i + 1}. {c.cashierName || c.cashierCode}
                    </AnchorLink>
                    <BandBadge band={c.band} score={c.score} />
                  </Group>
                  <Text size="xs" c="dimmed">
                    {c.transactions} transactions · {capitalise(c.summary)}
                  </Text>
                </Stack>
              ))}
            </div>
          )}
        </Paper>
      )}
    </Stack>
  );
}
