import { Badge, Box, Card, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { LEVEL_LABELS, SKILL_TRACK_LABELS, SKILL_TRACKS, type Heatmap } from '../../../contracts/training';
import { get } from '../../api';
import { FilterGrid, FilterPanel } from '../../ui/filters';
import { departmentOptions, storeOptions, useDepartments, useStores } from '../../ui/lookups';
import { LineChart } from '../../ui/charts';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { LEVEL_COLORS, LEVEL_TEXT, TrainingTabs } from './shared';
import { formatMonth } from '../../ui/format';

export function HeatmapPage() {
  const departments = useDepartments();
  const stores = useStores();
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [region, setRegion] = useState<string | null>(null);
  const [track, setTrack] = useState<string | null>(null);
  const filters = { departmentId: departmentId ?? undefined, storeId: storeId ?? undefined, region: region ?? undefined, track: track ?? undefined };
  const map = useQuery({ queryKey: ['/api/training/heatmap', filters], queryFn: ({ signal }) => get<Heatmap>('/api/training/heatmap', filters, signal) });

  return (
    <>
      <PageHeader title="Skills heatmap" description="People × skills. A dot marks a level below the person's target; an outline marks a rating not yet confirmed by a lead." />
      <TrainingTabs />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <Select label="Department" placeholder="All I can see" clearable data={departmentOptions(departments.data)} value={departmentId} onChange={setDepartmentId} />
          <Select label="Store" placeholder="All stores and HQ" clearable searchable data={storeOptions(stores.data)} value={storeId} onChange={setStoreId} />
          <Select label="Region" placeholder="All regions" clearable data={map.data?.regions ?? []} value={region} onChange={setRegion} />
          <Select label="Skills" placeholder="All skills" clearable data={SKILL_TRACKS.map((t) => ({ value: t, label: SKILL_TRACK_LABELS[t] }))} value={track} onChange={setTrack} />
        </FilterGrid>
      </FilterPanel>
      {map.isPending ? <PageLoader embedded /> : map.isError ? <QueryError embedded error={map.error} retry={() => void map.refetch()} /> : <HeatmapBody data={map.data} />}
    </>
  );
}

function Legend() {
  return (
    <Group gap="xs" mb="sm" wrap="wrap" aria-label="Legend">
      {LEVEL_LABELS.map((label, level) => (
        <Group key={label} gap={4} wrap="nowrap">
          <Box w={18} h={18} style={{ background: LEVEL_COLORS[level], borderRadius: 4, border: '1px solid #ced4da' }} />
          <Text size="xs">
            {level} {label}
          </Text>
        </Group>
      ))}
    </Group>
  );
}

function HeatmapBody({ data }: { data: Heatmap }) {
  const spof = data.bySkill.filter((s) => s.singlePointOfFailure);
  const skillName = new Map(data.skills.map((s) => [s.id, s.name]));
  const first = data.trend[0];
  const last = data.trend[data.trend.length - 1];
  const trendLabel =
    first && last
      ? `Average level and share of targets met, ${formatMonth(first.month)} to ${formatMonth(last.month)}: average level ${first.averageLevel.toFixed(1)} then ${last.averageLevel.toFixed(1)}, targets met ${Math.round(first.targetsMet * 100)} % then ${Math.round(last.targetsMet * 100)} %`
      : 'Average level and share of targets met over 12 months: no ratings yet';
  return (
    <Stack gap="lg" mt="md">
      <Card padding="lg">
        <Legend />
        {data.people.length === 0 ? (
          <Text c="dimmed">Nobody matches these filters.</Text>
        ) : (
          // Wider than a phone: the box scrolls sideways, so it takes keyboard focus to be scrolled.
          <Box style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Skills heatmap">
            <table className="tandem-heatmap" style={{ borderCollapse: 'separate', borderSpacing: 3 }} data-testid="heatmap">
              <caption style={{ textAlign: 'left', fontSize: 12, color: 'var(--mantine-color-dimmed)', paddingBottom: 6 }}>
                Proficiency of {data.people.length} people in {data.skills.length} skills
              </caption>
              <thead>
                <tr>
                  <th scope="col" style={{ textAlign: 'left', minWidth: 170, fontSize: 12 }}>
                    Person
                  </th>
                  {data.skills.map((s) => (
                    <th key={s.id} scope="col" title={s.name} style={{ fontSize: 11, fontWeight: 600, width: 44, height: 110, verticalAlign: 'bottom', padding: 0 }}>
                      <div style={{ writingMode: 'vertical-rl', transform: 'rotate(180deg)', whiteSpace: 'nowrap', margin: '0 auto' }}>{s.name}</div>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.people.map((p) => (
                  <tr key={p.id}>
                    <th scope="row" style={{ textAlign: 'left', fontWeight: 500, fontSize: 13, paddingRight: 8 }}>
                      <div>{p.name}</div>
                      <div style={{ fontSize: 11, color: 'var(--mantine-color-dimmed)', fontWeight: 400 }}>
                        {p.departmentName} · {p.region}
                      </div>
                    </th>
                    {p.cells.map((c, i) => {
                      const skill = data.skills[i];
                      const level = c.level ?? 0;
                      const below = c.target !== null && level < c.target;
                      const label = `${p.name}, ${skill.name}: ${c.level === null ? 'not rated' : `level ${c.level} (${LEVEL_LABELS[c.level]})`}${c.target !== null ? `, target ${c.target}` : ''}${c.level !== null && !c.confirmed ? ', not yet confirmed' : ''}`;
                      return (
                        <td
                          key={skill.id}
                          aria-label={label}
                          title={label}
                          style={{
                            width: 44,
                            height: 34,
                            textAlign: 'center',
                            borderRadius: 6,
                            background: c.level === null ? '#fff' : LEVEL_COLORS[level],
                            color: LEVEL_TEXT[level],
                            border: c.level === null ? '1px dashed #ced4da' : c.confirmed ? '1px solid transparent' : '2px dashed #495057',
                            fontWeight: 600,
                            fontSize: 13,
                            position: 'relative',
                          }}
                        >
                          {c.level ?? '·'}
                          {below && <span aria-hidden style={{ position: 'absolute', top: 3, right: 4, width: 7, height: 7, borderRadius: 7, background: '#e8590c' }} />}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" style={{ textAlign: 'left', fontSize: 12, paddingTop: 6 }}>
                    Below target
                  </th>
                  {data.bySkill.map((s) => (
                    <td key={s.skillId} style={{ textAlign: 'center', fontSize: 12, color: s.belowTarget ? 'var(--mantine-color-orange-text)' : undefined }} aria-label={`${skillName.get(s.skillId)}: ${s.belowTarget} below target, shortfall ${s.gap}`}>
                      {s.belowTarget}
                    </td>
                  ))}
                </tr>
                <tr>
                  <th scope="row" style={{ textAlign: 'left', fontSize: 12 }}>
                    Held at 3+
                  </th>
                  {data.bySkill.map((s) => (
                    <td key={s.skillId} style={{ textAlign: 'center', fontSize: 12, fontWeight: s.singlePointOfFailure ? 700 : 400, color: s.singlePointOfFailure ? 'var(--mantine-color-red-text)' : undefined }}>
                      {s.holders.length}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </Box>
        )}
      </Card>
      <Group align="stretch" grow wrap="wrap">
        <Paper p="lg" withBorder miw={280}>
          <Title order={4} mb="xs">
            Single points of failure
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            Skills held at level 3 or more by one person, or by nobody, among the people shown.
          </Text>
          {spof.length === 0 ? (
            <Text size="sm">None — every skill has at least two people at 3+.</Text>
          ) : (
            <Stack gap={6} data-testid="spof">
              {spof.map((s) => (
                <Group key={s.skillId} justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={500}>
                    {skillName.get(s.skillId)}
                  </Text>
                  <Badge color={s.holders.length ? 'orange' : 'red'} variant="light">
                    {s.holders.length ? `only ${s.holders[0].name}` : 'nobody'}
                  </Badge>
                </Group>
              ))}
            </Stack>
          )}
        </Paper>
        <Paper p="lg" withBorder miw={280}>
          <Title order={4} mb="xs">
            Trend over 12 months
          </Title>
          <LineChart
            h={220}
            data={data.trend.map((t) => ({ month: formatMonth(t.month), 'Average level': t.averageLevel, 'Targets met (%)': Math.round(t.targetsMet * 100) }))}
            dataKey="month"
            withRightYAxis
            rightYAxisProps={{ domain: [0, 100] }}
            yAxisProps={{ domain: [0, 4] }}
            series={[
              { name: 'Average level', color: 'blue.6' },
              { name: 'Targets met (%)', color: 'teal.6', yAxisId: 'right' },
            ]}
            withLegend
            label={trendLabel}
          />
        </Paper>
      </Group>
    </Stack>
  );
}
