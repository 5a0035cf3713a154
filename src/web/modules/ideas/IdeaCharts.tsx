import { BarChart } from '@mantine/charts';
import { Card, Grid, Text, Title } from '@mantine/core';
import dayjs from 'dayjs';
import { IDEA_STATE_LABELS, type IdeaStats } from '../../../contracts/ideas';
import { STATE_COLORS } from './shared';

const DEPARTMENT_COLORS = ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6', 'pink.6', 'lime.7', 'gray.5'];

/** Ideas by state, and submissions by department per month. */
export default function IdeaCharts({ stats }: { stats: IdeaStats }) {
  const departmentsSeen = [...new Set(stats.byMonth.map((r) => r.department))];
  const months = [...new Set(stats.byMonth.map((r) => r.month))].sort();
  const byMonth = months.map((m) => {
    const row: Record<string, string | number> = { month: dayjs(`${m}-01`).format('MMM YY') };
    for (const d of departmentsSeen) row[d] = stats.byMonth.find((r) => r.month === m && r.department === d)?.count ?? 0;
    return row;
  });
  return (
    <Grid gap="md" mb="md" visibleFrom="sm">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card padding="md" h="100%">
          <Title order={5} mb="xs">
            Ideas by state
          </Title>
          <BarChart
            h={240}
            data={stats.byState.map((s) => ({ state: IDEA_STATE_LABELS[s.state], Ideas: s.count, color: `${STATE_COLORS[s.state]}.6` }))}
            dataKey="state"
            orientation="vertical"
            series={[{ name: 'Ideas', color: 'indigo.6' }]}
            gridAxis="none"
            yAxisProps={{ width: 92 }}
            withBarValueLabel
            barProps={{ radius: 4 }}
          />
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Card padding="md" h="100%">
          <Title order={5} mb="xs">
            Submitted per month, by department
          </Title>
          {byMonth.length === 0 ? (
            <Text size="sm" c="dimmed">
              No ideas in the last six months.
            </Text>
          ) : (
            <BarChart
              h={240}
              data={byMonth}
              dataKey="month"
              type="stacked"
              withLegend
              legendProps={{ verticalAlign: 'bottom', height: 64 }}
              series={departmentsSeen.map((d, i) => ({ name: d, color: d === 'Anonymous' ? 'gray.5' : DEPARTMENT_COLORS[i % DEPARTMENT_COLORS.length] }))}
              gridAxis="y"
              barProps={{ radius: 2 }}
            />
          )}
        </Card>
      </Grid.Col>
    </Grid>
  );
}
