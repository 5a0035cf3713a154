import { Badge, Button, Card, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconList } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { PeriodControl } from '../../ui/PeriodControl';
import type { DirectionStats, Ledger } from '../../../contracts/requests';
import { get } from '../../api';
import { BarChart, CompositeChart } from '../../ui/charts';
import { formatDate, formatMonth } from '../../ui/format';
import { useMe } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { formatHours } from './requestUi';

type Pair = Ledger['pairs'][number];

function StatRow({ label, a, b, render, highlight }: { label: string; a: DirectionStats; b: DirectionStats; render: (s: DirectionStats) => React.ReactNode; highlight?: (s: DirectionStats) => boolean }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Table.Td>
      {[a, b].map((s, i) => (
        <Table.Td key={i} ta="right" fw={600} c={highlight?.(s) ? 'red' : undefined}>
          {render(s)}
        </Table.Td>
      ))}
    </Table.Tr>
  );
}

function PairCard({ pair }: { pair: Pair }) {
  const { a, b, aToB, bToA } = pair;
  const ab = `${a.code} → ${b.code}`;
  const ba = `${b.code} → ${a.code}`;
  const data = pair.trend.map((t) => ({ month: formatMonth(t.month, { short: true }), [`Asks ${ab}`]: t.aToBAsks, [`Asks ${ba}`]: t.bToAAsks, [`Delivered ${ab}`]: t.aToBDelivered, [`Delivered ${ba}`]: t.bToADelivered }));
  return (
    <Card padding="lg" data-testid="ledger-pair">
      <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-start">
        <Title order={4} style={{ minWidth: 0 }}>
          {a.name} ⇄ {b.name}
        </Title>
        {aToB.overdue + bToA.overdue > 0 && (
          <Badge color="red" variant="light" style={{ flexShrink: 0 }}>
            {aToB.overdue + bToA.overdue} overdue
          </Badge>
        )}
      </Group>
      <Table withRowBorders={false} verticalSpacing={4} highlightOnHover={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th ta="right">
              <Text size="sm" fw={700}>
                {ab}
              </Text>
            </Table.Th>
            <Table.Th ta="right">
              <Text size="sm" fw={700}>
                {ba}
              </Text>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <StatRow label="Asks" a={aToB} b={bToA} render={(s) => s.asks} />
          <StatRow label="Delivered" a={aToB} b={bToA} render={(s) => s.delivered} />
          <StatRow label="Declined" a={aToB} b={bToA} render={(s) => s.declined} />
          <StatRow label="Median first response" a={aToB} b={bToA} render={(s) => formatHours(s.medianResponseHours)} />
          <StatRow label="Median resolution" a={aToB} b={bToA} render={(s) => formatHours(s.medianResolutionHours)} />
          <StatRow label="Open now" a={aToB} b={bToA} render={(s) => s.open} />
          <StatRow label="Overdue now" a={aToB} b={bToA} render={(s) => s.overdue} highlight={(s) => s.overdue > 0} />
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="md" mb={4}>
        Monthly asks (bars) and deliveries (lines), both ways
      </Text>
      <CompositeChart
        h={210}
        data={data}
        dataKey="month"
        withLegend
        legendProps={{ verticalAlign: 'bottom', height: 56, wrapperStyle: { paddingTop: 8 } }}
        gridAxis="y"
        yAxisProps={{ width: 28, allowDecimals: false }}
        series={[
          { name: `Asks ${ab}`, color: 'indigo.5', type: 'bar' },
          { name: `Asks ${ba}`, color: 'teal.5', type: 'bar' },
          { name: `Delivered ${ab}`, color: 'indigo.9', type: 'line' },
          { name: `Delivered ${ba}`, color: 'teal.9', type: 'line' },
        ]}
        barProps={{ radius: 3 }}
        curveType="monotone"
        label={`Monthly asks and deliveries between ${a.name} and ${b.name}: ${aToB.asks} asks and ${aToB.delivered} delivered ${ab}, ${bToA.asks} asks and ${bToA.delivered} delivered ${ba} in the period`}
      />
    </Card>
  );
}

export function LedgerPage() {
  const me = useMe();
  const [months, setMonths] = useState('6');
  const [focus, setFocus] = useState<string | null>(null);
  const ledger = useQuery({
    queryKey: ['/api/requests/ledger', months],
    queryFn: ({ signal }) => get<Ledger>('/api/requests/ledger', { months }, signal),
    placeholderData: keepPreviousData,
  });

  if (ledger.isPending) return <PageLoader />;
  if (ledger.isError) return <QueryError error={ledger.error} retry={() => void ledger.refetch()} />;
  const l = ledger.data;
  const pairs = focus ? l.pairs.filter((p) => p.a.id === focus || p.b.id === focus) : l.pairs;
  const myDept = me.data?.departmentId;
  const deptData = l.departments.map((d) => ({ department: d.code, Asked: d.asked, Received: d.received, Delivered: d.delivered }));

  return (
    <Stack gap="lg">
      <PageHeader
        title="Give and take"
        description={`Asks and deliveries between departments, both ways, since ${formatDate(l.since)}. Open and overdue counts are as of now.`}
        actions={
          <Button component={Link} to="/requests" variant="default" leftSection={<IconList size={16} />}>
            All requests
          </Button>
        }
      />
      <Paper p="md">
        <Group justify="space-between" gap="sm">
          <PeriodControl value={months} onChange={setMonths} />
          <Select
            aria-label="Department"
            placeholder="All departments"
            clearable
            w={240}
            data={[...(myDept ? [{ value: myDept, label: `My department (${me.data?.departmentName})` }] : []), ...l.departments.filter((d) => d.id !== myDept).map((d) => ({ value: d.id, label: d.name }))]}
            value={focus}
            onChange={setFocus}
          />
        </Group>
      </Paper>

      <Card padding="lg">
        <Title order={4}>By department</Title>
        <Text size="sm" c="dimmed" mb="md">
          What each department asked of others, received from others, and delivered.
        </Text>
        {deptData.length === 0 ? (
          <Text size="sm" c="dimmed">
            No requests in this period.
          </Text>
        ) : (
          <BarChart
            h={240}
            data={deptData}
            dataKey="department"
            withLegend
            legendProps={{ verticalAlign: 'bottom', height: 40 }}
            series={[
              { name: 'Asked', color: 'indigo.5' },
              { name: 'Received', color: 'orange.5' },
              { name: 'Delivered', color: 'teal.6' },
            ]}
            yAxisProps={{ width: 32, allowDecimals: false }}
            barProps={{ radius: 3 }}
            label={`Requests by department, asked, received and delivered: ${l.departments.map((d) => `${d.code} ${d.asked}, ${d.received}, ${d.delivered}`).join('; ')}`}
          />
        )}
        <SimpleGrid cols={{ base: 2, sm: 3, lg: Math.max(1, Math.min(l.departments.length, 5)) }} mt="md">
          {l.departments.map((d) => (
            <Paper key={d.id} p="sm" withBorder>
              <Text size="xs" c="dimmed" fw={700} tt="uppercase" lineClamp={2} title={d.name}>
                {d.name}
              </Text>
              <Text size="sm">
                {d.received > 0 ? `${Math.round((d.delivered / d.received) * 100)}% delivered` : 'No asks received'}
              </Text>
              <Text size="xs" c={d.overdue ? 'red' : 'dimmed'}>
                {d.open} open · {d.overdue} overdue
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      </Card>

      {pairs.length === 0 ? (
        <Text c="dimmed">No requests between these departments in this period.</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          {pairs.map((p) => (
            <PairCard key={`${p.a.id}-${p.b.id}`} pair={p} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
