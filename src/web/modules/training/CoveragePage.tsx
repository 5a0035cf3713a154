import { Badge, Card, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Coverage } from '../../../contracts/training';
import { get } from '../../api';
import { BarChart } from '../../ui/charts';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { TrainingTabs } from './shared';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function CoveragePage() {
  const coverage = useQuery({ queryKey: ['/api/training/coverage'], queryFn: ({ signal }) => get<Coverage>('/api/training/coverage', undefined, signal) });
  if (coverage.isPending) return <PageLoader />;
  if (coverage.isError) return <QueryError error={coverage.error} retry={() => void coverage.refetch()} />;
  const c = coverage.data;
  return (
    <>
      <PageHeader title="Shadowing coverage" description={`Share of each department that shadowed the other side (LP ↔ IT) in the last 12 months; target ${pct(c.target)}.`} />
      <TrainingTabs />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card padding="lg">
            <Title order={4} mb="sm">
              By department
            </Title>
            <BarChart
              h={260}
              data={c.byDepartment.map((d) => ({ department: d.departmentName, 'Shadowed (%)': Math.round(d.share * 100) }))}
              dataKey="department"
              series={[{ name: 'Shadowed (%)', color: 'teal.6' }]}
              yAxisProps={{ domain: [0, 100] }}
              referenceLines={[{ y: Math.round(c.target * 100), label: `Target ${pct(c.target)}`, color: 'red.6' }]}
              label={`Share of each department that shadowed the other side, against the ${pct(c.target)} target: ${c.byDepartment.map((d) => `${d.departmentName} ${pct(d.share)}`).join(', ')}`}
            />
          </Card>
          <Card padding="lg" mt="lg">
            <Title order={4} mb="sm">
              By region
            </Title>
            <Table.ScrollContainer minWidth={480}>
              <Table data-testid="coverage-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Department</Table.Th>
                    <Table.Th>Region</Table.Th>
                    <Table.Th>People</Table.Th>
                    <Table.Th>Shadowed</Table.Th>
                    <Table.Th>Share</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.rows.map((r) => (
                    <Table.Tr key={`${r.departmentId}-${r.region}`}>
                      <Table.Td>{r.departmentName}</Table.Td>
                      <Table.Td>{r.region}</Table.Td>
                      <Table.Td>{r.people}</Table.Td>
                      <Table.Td>{r.shadowed}</Table.Td>
                      <Table.Td>
                        <Badge color={r.share >= c.target ? 'teal' : 'orange'} variant="light">
                          {pct(r.share)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card padding="lg">
            <Title order={4} mb="xs">
              Never shadowed
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {c.neverShadowed.length} people have never been a guest in a shadowing session.
            </Text>
            <Stack gap={6}>
              {c.neverShadowed.map((p) => (
                <Group key={p.id} justify="space-between" wrap="nowrap">
                  <Text size="sm">{p.name}</Text>
                  <Text size="xs" c="dimmed">
                    {p.departmentName} · {p.region}
                  </Text>
                </Group>
              ))}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
