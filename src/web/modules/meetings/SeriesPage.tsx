import { Badge, Button, Card, Grid, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCalendarDown, IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import type { OccurrenceSummary, SeriesDetail } from '../../../contracts/meetings';
import { get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { Fact } from '../../ui/Fact';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { RecordHeading } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { SeriesForm } from './SeriesForm';
import { localText, zoneText } from './shared';

const route = getRouteApi('/_app/meetings/series/$id');

export function SeriesPage() {
  const { id } = route.useParams();
  const navigate = useNavigate();
  const series = useQuery({ queryKey: ['/api/meetings/series', 'one', id], queryFn: ({ signal }) => get<SeriesDetail>(`/api/meetings/series/${id}`, undefined, signal) });
  const [editing, edit] = useDisclosure(false);
  if (series.isPending) return <PageLoader />;
  if (series.isError) return <QueryError error={series.error} retry={() => void series.refetch()} what="meeting series" />;
  const s = series.data;
  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/meetings" label="Joint meetings" current={s.ref} />
      <Group justify="space-between" align="flex-start">
        <RecordHeading reference={s.ref} badges={<Badge variant="light" color={s.status === 'active' ? 'teal' : 'gray'}>{s.status === 'active' ? 'Active' : 'Ended'}</Badge>} title={s.title}>
          <Text c="dimmed" size="sm">
            {s.cadenceLabel} at {s.localTime} ({zoneText(s.timezone)}) · {s.durationMinutes} minutes{s.location ? ` · ${s.location}` : ''}
          </Text>
        </RecordHeading>
        <Group gap="xs">
          {s.nextOccurrence && (
            <Button onClick={() => void navigate({ to: '/meetings/occurrences/$id', params: { id: s.nextOccurrence!.id } })}>
              Open the next meeting
            </Button>
          )}
          {/* canManage is the server's own rule: the chair, the note taker or an administrator. */}
          {s.canManage && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={edit.open}>
              Edit series
            </Button>
          )}
          <Button component="a" variant="default" href={`/api/meetings/series/${s.id}/calendar.ics`} download leftSection={<IconCalendarDown size={16} />}>
            Add to calendar (.ics)
          </Button>
        </Group>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card padding="lg">
            <Stack gap={8}>
              {s.purpose && <Fact label="Purpose">{s.purpose}</Fact>}
              <Fact label="Chair">{s.chair.name}</Fact>
              <Fact label="Note taker">{s.noteTaker.name}</Fact>
              <Fact label="Departments">{s.departments.join(', ')}</Fact>
              {/* After a schedule change the pattern starts anew at its next meeting; the meetings before keep their dates. */}
              <Fact label={s.past.some((o) => o.localStart.slice(0, 10) < s.firstDate) ? 'Current schedule since' : 'First meeting'}>{s.firstDate}</Fact>
              <Fact label="Recurrence rule">
                <Text size="sm" ff="monospace">
                  {s.rrule}
                </Text>
              </Fact>
              <Fact label="Open actions">
                {s.openActions}
                {s.overdueActions > 0 ? ` (${s.overdueActions} overdue)` : ''}
              </Fact>
            </Stack>
          </Card>
          <Card padding="lg" mt="md">
            <Title order={2} size="h4" mb="sm">
              Attendees ({s.attendees.length})
            </Title>
            <Stack gap={4}>
              {s.attendees.map((a) => (
                <div key={a.id}>
                  <Text size="sm">{a.name}</Text>
                  <Text size="xs" c="dimmed">
                    {a.title}
                    {a.departmentName ? ` · ${a.departmentName}` : ''}
                  </Text>
                </div>
              ))}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <OccurrenceTable title="Coming up" rows={s.upcoming} empty="No meeting scheduled." testId="upcoming" />
          <OccurrenceTable title="Past meetings" rows={s.past} empty="No meeting has taken place yet." testId="past" />
        </Grid.Col>
      </Grid>
      <Modal opened={editing} onClose={edit.close} title={`Edit ${s.ref}: ${s.title}`} size="lg">
        {editing && <SeriesForm series={s} onCancel={edit.close} onSaved={edit.close} />}
      </Modal>
    </Stack>
  );
}

function OccurrenceTable({ title, rows, empty, testId }: { title: string; rows: OccurrenceSummary[]; empty: string; testId: string }) {
  return (
    <Card padding="lg" mb="md" data-testid={testId}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          {empty}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={260}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th visibleFrom="sm">Agenda items</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <AnchorLink to="/meetings/occurrences/$id" params={{ id: o.id }}>
                      {localText(o.localStart)}
                    </AnchorLink>
                    {/* On a phone the count sits under the date, so the status column fits. */}
                    <Text size="xs" c="dimmed" hiddenFrom="sm">
                      {o.itemCount === 1 ? '1 agenda item' : `${o.itemCount} agenda items`}
                    </Text>
                  </Table.Td>
                  <Table.Td visibleFrom="sm">{o.itemCount}</Table.Td>
                  <Table.Td>
                    {o.status === 'cancelled' ? (
                      <Badge color="gray" variant="light">Cancelled</Badge>
                    ) : o.followUpSentAt ? (
                      <Badge color="teal" variant="light">Minutes sent</Badge>
                    ) : o.changed ? (
                      <Badge color="yellow" variant="light">Moved</Badge>
                    ) : (
                      <Badge variant="light">Scheduled</Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
