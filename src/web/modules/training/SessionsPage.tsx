import { Button, Card, Checkbox, Group, Select, Stack, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import type { Session } from '../../../contracts/training';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { EmptyRow, ExportButton, ListPager, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { PhaseBadge, TrainingTabs, useSkills } from './shared';

export const formatLocal = (s: Pick<Session, 'localStart' | 'timezone'>) => `${s.localStart.replace('T', ' ')} ${s.timezone.split('/').pop()?.replace('_', ' ')}`;

export function SessionsPage() {
  const canShadow = useCan('training:shadow');
  const skills = useSkills();
  const list = useUrlList<Session, 'startsAt'>({ key: 'training-sessions', path: '/api/training/sessions', sort: { sort: 'startsAt', order: 'desc' }, limit: 30, views: true });
  const q = useUrlText(list);

  return (
    <>
      <PageHeader
        title="Shadowing sessions"
        description="LP people in IT's world and IT people in LP's: who hosts whom, when and where."
        actions={
          <>
            <ExportButton href={list.exportHref} />
            {canShadow && (
              <Button component={Link} to="/training/sessions/new" leftSection={<IconPlus size={16} />}>
                Propose session
              </Button>
            )}
          </>
        }
      />
      <TrainingTabs />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <SearchInput placeholder="Person, goal or SHD-12" {...q} />
          <Select
            label="When"
            placeholder="All sessions"
            clearable
            data={[
              { value: 'upcoming', label: 'Upcoming' },
              { value: 'done', label: 'Done' },
              { value: 'cancelled', label: 'Cancelled' },
            ]}
            {...list.field('phase')}
          />
          <Select label="Skill" placeholder="All skills" clearable searchable data={(skills.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} {...list.field('skillId')} />
          <Stack justify="flex-end">
            <Checkbox label="Only sessions I take part in" checked={list.params.mine === 'true'} onChange={(e) => list.set({ mine: e.currentTarget.checked })} />
          </Stack>
        </FilterGrid>
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>
      {list.query.isPending ? (
        <PageLoader embedded />
      ) : list.query.isError ? (
        <QueryError embedded error={list.query.error} retry={() => void list.query.refetch()} />
      ) : (
        <Card padding="lg" mt="md">
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="sessions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Session</Table.Th>
                  <Table.Th>When (host's time)</Table.Th>
                  <Table.Th>Host</Table.Th>
                  <Table.Th>Guests</Table.Th>
                  <Table.Th>Skills</Table.Th>
                  <Table.Th>Reflections</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.length === 0 && <EmptyRow colSpan={6}>No sessions match.</EmptyRow>}
                {list.items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <AnchorLink to="/training/sessions/$ref" params={{ ref: s.ref }}>
                          {s.ref}
                        </AnchorLink>
                        <PhaseBadge phase={s.phase} />
                      </Group>
                      <Text size="xs" c="dimmed">
                        {s.placeName}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatLocal(s)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.host.name}</Text>
                      <Text size="xs" c="dimmed">
                        {s.host.departmentName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.guests.map((g) => g.name).join(', ')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.skills.map((k) => k.name).join(', ')}</Text>
                    </Table.Td>
                    <Table.Td>{s.reflections}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <ListPager list={list} noun="sessions" />
        </Card>
      )}
    </>
  );
}
