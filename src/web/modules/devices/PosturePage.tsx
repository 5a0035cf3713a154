import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { FINDING_RULE_LABELS, type PostureDashboard } from '../../../contracts/devices';
import { get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { BarChart, LineChart } from '../../ui/charts';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';

const scoreColor = (s: number) => (s >= 90 ? 'teal' : s >= 75 ? 'yellow' : 'red');

function Stat({ label, value, color }: { label: string; value: string | number; color?: string }) {
  return (
    <Paper p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={28} fw={700} c={color}>
        {value}
      </Text>
    </Paper>
  );
}

export function PosturePage() {
  const query = useQuery({ queryKey: ['/api/device-findings', 'dashboard'], queryFn: ({ signal }) => get<PostureDashboard>('/api/device-findings/dashboard', undefined, signal) });
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <QueryError error={query.error} retry={() => void query.refetch()} />;
  const d = query.data;
  const chainScore = d.trend.length ? d.trend[d.trend.length - 1].score : 100;
  const trendData = d.trend.map((p) => ({ day: p.day.slice(5), score: p.score }));
  return (
    <Stack>
      <PageHeader title="Security posture" description="Open findings by severity, store and age; the posture score per store and its trend." />
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label="Posture score" value={chainScore} color={scoreColor(chainScore)} />
        <Stat label="Devices" value={d.devices} />
        <Stat label="Open findings" value={d.openFindings} />
        <Stat label="Overdue" value={d.overdue} color={d.overdue ? 'red' : undefined} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper p="md">
          <Title order={3} size="h5" mb="sm">
            Open findings by severity
          </Title>
          <BarChart
            h={220}
            data={d.bySeverity}
            dataKey="severity"
            series={[
              { name: 'open', label: 'Open', color: 'red.6' },
              { name: 'accepted', label: 'Risk accepted', color: 'grape.5' },
            ]}
            type="stacked"
            withLegend
            label={`Open findings by severity: ${d.bySeverity.map((s) => `${s.severity} ${s.open} open, ${s.accepted} risk accepted`).join('; ')}`}
          />
        </Paper>
        <Paper p="md">
          <Title order={3} size="h5" mb="sm">
            Open findings by age
          </Title>
          <BarChart h={220} data={d.byAge} dataKey="bucket" series={[{ name: 'open', label: 'Open', color: 'orange.6' }]} label={`Open findings by age: ${d.byAge.map((b) => `${b.bucket} ${b.open}`).join(', ')}`} />
        </Paper>
      </SimpleGrid>
      <Paper p="md">
        <Title order={3} size="h5" mb="sm">
          Posture score, chain (device-weighted)
        </Title>
        <LineChart
          h={220}
          data={trendData}
          dataKey="day"
          series={[{ name: 'score', label: 'Score', color: 'teal.6' }]}
          curveType="monotone"
          yAxisProps={{ domain: [50, 100] }}
          withDots={false}
          label={d.trend.length ? `Chain posture score from ${d.trend[0]!.score} on ${d.trend[0]!.day} to ${chainScore} on ${d.trend[d.trend.length - 1]!.day}` : 'Chain posture score: no history yet'}
        />
      </Paper>
      <Paper p="md">
        <Title order={3} size="h5" mb="sm">
          Open findings by store
        </Title>
        <BarChart
          h={260}
          data={d.stores}
          dataKey="storeCode"
          type="stacked"
          withLegend
          series={[
            { name: 'critical', label: 'Critical', color: 'red.7' },
            { name: 'high', label: 'High', color: 'orange.6' },
            { name: 'medium', label: 'Medium', color: 'yellow.5' },
            { name: 'low', label: 'Low', color: 'gray.5' },
          ]}
          label={`Open findings by store and severity: ${d.stores.map((s) => `${s.storeCode} ${s.critical} critical, ${s.high} high, ${s.medium} medium, ${s.low} low`).join('; ')}`}
        />
      </Paper>
      <Paper>
        <Table.ScrollContainer minWidth={640}>
          <Table data-testid="posture-stores">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Store</Table.Th>
                <Table.Th>Devices</Table.Th>
                <Table.Th>Score</Table.Th>
                <Table.Th>Trend (12 weeks)</Table.Th>
                <Table.Th>Critical</Table.Th>
                <Table.Th>High</Table.Th>
                <Table.Th>Medium</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.stores.map((s) => {
                const points = d.storeTrends.find((t) => t.storeCode === s.storeCode)?.points ?? [];
                const first = points[0]?.score;
                const change = first != null ? Math.round((s.score - first) * 10) / 10 : null;
                return (
                  <Table.Tr key={s.storeId}>
                    <Table.Td>
                      <AnchorLink to="/devices/findings" search={{ storeId: s.storeId, state: 'open' }} size="sm">
                        {s.storeCode}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {s.storeName}
                      </Text>
                    </Table.Td>
                    <Table.Td>{s.devices}</Table.Td>
                    <Table.Td>
                      <Badge color={scoreColor(s.score)} variant="light">
                        {s.score}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <LineChart h={32} w={120} data={points} dataKey="day" series={[{ name: 'score', color: `${scoreColor(s.score)}.6` }]} withXAxis={false} withYAxis={false} gridAxis="none" withDots={false} withTooltip={false} curveType="monotone" label={first != null ? `${s.storeCode} score over 12 weeks, from ${first} to ${s.score}` : `${s.storeCode}: no score history`} />
                        {change != null && (
                          <Text size="xs" c={change >= 0 ? 'teal' : 'red'}>
                            {change >= 0 ? '+' : ''}
                            {change}
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td c={s.critical ? 'red' : undefined}>{s.critical}</Table.Td>
                    <Table.Td>{s.high}</Table.Td>
                    <Table.Td>{s.medium}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Paper p="md">
        <Title order={3} size="h5" mb="sm">
          Open findings by rule
        </Title>
        <Group gap="xs">
          {d.byRule.map((r) => (
            <Badge key={r.rule} variant="light" size="lg">
              {FINDING_RULE_LABELS[r.rule]}: {r.open}
            </Badge>
          ))}
        </Group>
      </Paper>
    </Stack>
  );
}
