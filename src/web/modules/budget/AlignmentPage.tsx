import { Alert, Badge, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { BENCHMARK_PERCENT, MIN_GROUP, PULSE_DEPARTMENT_LABELS, REFERENCE_LINE, type Alignment } from '../../../contracts/budget';
import { PROJECT_STAGE_LABELS, type ProjectStage } from '../../../contracts/projects';
import { get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { BarChart, LineChart } from '../../ui/charts';
import { formatDate, formatMoney } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { currentFiscalYear, ShareHeadline, yearOptions } from './shared';

export function AlignmentPage() {
  const [year, setYear] = useState(currentFiscalYear());
  const query = useQuery({ queryKey: ['/api/budget/alignment', year], queryFn: ({ signal }) => get<Alignment>('/api/budget/alignment', { fiscalYear: year }, signal) });
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <QueryError error={query.error} retry={() => void query.refetch()} />;
  const a = query.data;
  const pulse = a.pulse;
  const pct = (p: (typeof a.byPriority)[number]) => p.percentOfIt;
  const pulseRows = pulse?.priorities ?? [];
  const lpOf = (p: (typeof pulseRows)[number]) => p.groups.find((g) => g.department === 'lp')!.priorityPercent;
  const itOf = (p: (typeof pulseRows)[number]) => p.groups.find((g) => g.department === 'it')!.priorityPercent;
  const figure = (percent: number | null) => (percent == null ? 'no figure' : `${percent} %`);

  return (
    <>
      <PageHeader
        title="Priority alignment"
        description="How much of IT's budget serves LP's priorities, and how far the two departments agree on what the priorities are."
        actions={<Select aria-label="Fiscal year" data={yearOptions(a.years.map((y) => y.fiscalYear))} value={String(year)} onChange={(v) => v && setYear(Number(v))} allowDeselect={false} w={260} />}
      />
      <Stack gap="lg">
        <ShareHeadline fiscalYear={a.fiscalYear} lpPercent={a.lpPercent} lpCents={a.lpCents} totalCents={a.totalCents} />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Paper p="md">
            <Title order={3} size="h4" mb="sm">
              Share on LP priorities by fiscal year
            </Title>
            <BarChart
              h={240}
              data={a.years.map((y) => ({ year: `FY${y.fiscalYear}`, share: y.lpPercent }))}
              dataKey="year"
              series={[{ name: 'share', label: 'Share of IT budget (%)', color: 'indigo.6' }]}
              referenceLines={[{ y: BENCHMARK_PERCENT, label: `Benchmark ${BENCHMARK_PERCENT} %`, color: 'red.7' }]}
              yAxisProps={{ domain: [0, Math.max(12, ...a.years.map((y) => Math.ceil(y.lpPercent + 2)))] }}
              unit=" %"
              label={`Share of the IT budget on LP priorities by fiscal year, against the ${BENCHMARK_PERCENT} % benchmark: ${a.years.map((y) => `FY${y.fiscalYear} ${y.lpPercent} %`).join(', ')}`}
            />
          </Paper>
          <Paper p="md">
            <Title order={3} size="h4" mb="sm">
              FY{a.fiscalYear} by LP priority (% of the IT budget)
            </Title>
            <BarChart
              h={240}
              data={a.byPriority.map((p) => ({ priority: p.name, share: pct(p) }))}
              dataKey="priority"
              orientation="vertical"
              yAxisProps={{ width: 170 }}
              series={[{ name: 'share', label: '% of IT budget', color: 'teal.6' }]}
              valueFormatter={(v) => `${v} %`}
              label={`FY${a.fiscalYear} share of the IT budget per LP priority: ${a.byPriority.map((p) => `${p.name} ${pct(p)} %`).join(', ') || 'no budget lines'}`}
            />
          </Paper>
        </SimpleGrid>

        <Paper p="md" data-testid="pulse-report">
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h4">
              Who calls it a priority: LP vs IT
            </Title>
            {pulse && (
              <AnchorLink to="/budget/pulse/$id" params={{ id: pulse.roundId }} size="sm">
                {pulse.roundTitle} (closes {formatDate(pulse.closesOn)})
              </AnchorLink>
            )}
          </Group>
          <Text size="sm" c="dimmed" mb="md">
            Reference from the survey: “{REFERENCE_LINE.priority}” is a priority for {REFERENCE_LINE.lpPercent} % of LP but {REFERENCE_LINE.itPercent} % of IT. Answers are confidential; a
            department with fewer than {MIN_GROUP} answers shows no figure.
          </Text>
          {!pulse ? (
            <Alert color="gray">No priority pulse has run yet.</Alert>
          ) : (
            <>
              <BarChart
                h={300}
                data={pulseRows.map((p) => ({ priority: p.name, LP: lpOf(p) ?? 0, IT: itOf(p) ?? 0, 'IT budget': p.itBudgetPercent }))}
                dataKey="priority"
                withLegend
                series={[
                  { name: 'LP', label: 'LP calling it a priority (%)', color: 'indigo.6' },
                  { name: 'IT', label: 'IT calling it a priority (%)', color: 'orange.6' },
                ]}
                referenceLines={[
                  { y: REFERENCE_LINE.itPercent, label: `Survey: ${REFERENCE_LINE.itPercent} % of IT (cashier CCTV)`, color: 'orange.8' },
                  { y: REFERENCE_LINE.lpPercent, label: `Survey: ${REFERENCE_LINE.lpPercent} % of LP`, color: 'indigo.8' },
                ]}
                yAxisProps={{ domain: [0, 100] }}
                unit=" %"
                label={`Share of LP and of IT calling each priority a priority: ${pulseRows.map((p) => `${p.name}, LP ${figure(lpOf(p))}, IT ${figure(itOf(p))}`).join('; ')}`}
              />
              <Table.ScrollContainer minWidth={720} mt="md">
                <Table data-testid="alignment-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Priority</Table.Th>
                      {pulse.respondents.map((r) => (
                        <Table.Th key={r.department}>
                          {PULSE_DEPARTMENT_LABELS[r.department]}
                          <Text size="xs" c="dimmed">
                            {r.answered} of {r.people} answered
                          </Text>
                        </Table.Th>
                      ))}
                      <Table.Th>Gap LP – IT</Table.Th>
                      <Table.Th>IT budget</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...pulseRows]
                      .sort((x, y) => (y.gap ?? -999) - (x.gap ?? -999))
                      .map((p) => (
                        <Table.Tr key={p.priorityId}>
                          <Table.Td>{p.name}</Table.Td>
                          {p.groups.map((g) => (
                            <Table.Td key={g.department}>
                              {g.priorityPercent == null ? (
                                <Text size="xs" c="dimmed">
                                  under {MIN_GROUP} answers
                                </Text>
                              ) : (
                                <Text size="sm">
                                  {g.priorityPercent} %{' '}
                                  <Text span size="xs" c="dimmed">
                                    (importance {g.averageImportance})
                                  </Text>
                                </Text>
                              )}
                            </Table.Td>
                          ))}
                          <Table.Td>{p.gap == null ? '—' : <Badge color={p.gap >= 30 ? 'red' : p.gap >= 15 ? 'orange' : 'gray'} variant="light">{p.gap > 0 ? `+${p.gap}` : p.gap} pts</Badge>}</Table.Td>
                          <Table.Td>{p.itBudgetPercent} %</Table.Td>
                        </Table.Tr>
                      ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          )}
        </Paper>

        {pulse && pulse.trend.length > 1 && (
          <Paper p="md">
            <Title order={3} size="h4" mb="sm">
              Trend across rounds: IT calling each priority a priority
            </Title>
            <LineChart
              h={260}
              data={pulse.trend.map((r) => Object.fromEntries([['round', r.title], ...r.points.map((pt) => [pulseRows.find((p) => p.priorityId === pt.priorityId)?.name ?? pt.priorityId, pt.it])]))}
              dataKey="round"
              withLegend
              connectNulls
              series={pulseRows.map((p, i) => ({ name: p.name, color: ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'red.6', 'cyan.6', 'lime.7', 'pink.6'][i % 8] }))}
              yAxisProps={{ domain: [0, 100] }}
              unit=" %"
              referenceLines={[{ y: REFERENCE_LINE.itPercent, label: `Survey reference ${REFERENCE_LINE.itPercent} %`, color: 'gray.7' }]}
              label={`Share of IT calling each priority a priority in each of ${pulse.trend.length} rounds, ${pulse.trend[0]!.title} to ${pulse.trend[pulse.trend.length - 1]!.title}: ${pulseRows
                .map((p) => {
                  const points = pulse.trend.map((r) => r.points.find((pt) => pt.priorityId === p.priorityId)?.it ?? null);
                  return `${p.name} ${points.map(figure).join(' then ')}`;
                })
                .join('; ')}`}
            />
          </Paper>
        )}

        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Paper p="md">
            <Title order={3} size="h4" mb="sm">
              FY{a.fiscalYear} by project
            </Title>
            {a.byProject.length === 0 ? (
              <Text size="sm" c="dimmed">
                No budget line names a project this year.
              </Text>
            ) : (
              <Stack gap={6}>
                {a.byProject.map((p) => (
                  <Group key={p.projectId} justify="space-between" wrap="nowrap">
                    <AnchorLink to="/projects/$ref" params={{ ref: p.ref }} size="sm">
                      {p.ref} {p.title}
                    </AnchorLink>
                    <Text size="sm" fw={600}>
                      {formatMoney(p.cents)}
                    </Text>
                  </Group>
                ))}
              </Stack>
            )}
          </Paper>
          <Paper p="md" data-testid="waiting-for-funding">
            <Title order={3} size="h4" mb="sm">
              LP asks waiting for IT funding
            </Title>
            {a.waitingForFunding.length === 0 ? (
              <Text size="sm" c="dimmed">
                Every project up to the budget gate has a budget line.
              </Text>
            ) : (
              <Stack gap={6}>
                {a.waitingForFunding.map((p) => (
                  <Group key={p.projectId} justify="space-between" wrap="nowrap">
                    <div>
                      <AnchorLink to="/projects/$ref" params={{ ref: p.ref }} size="sm">
                        {p.ref} {p.title}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {PROJECT_STAGE_LABELS[p.stage as ProjectStage]}
                      </Text>
                    </div>
                    <Text size="sm">{p.estimatedCostCents != null ? formatMoney(p.estimatedCostCents) : '—'}</Text>
                  </Group>
                ))}
              </Stack>
            )}
          </Paper>
        </SimpleGrid>
      </Stack>
    </>
  );
}
