import { Badge, Button, Card, Checkbox, Group, Modal, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { SeriesSummary } from '../../../contracts/meetings';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { SeriesForm } from './SeriesForm';
import { localText, MeetingsTabs, zoneText } from './shared';

export function MeetingsPage() {
  const canManage = useCan('meetings:manage');
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [status, setStatus] = useState<string | null>('active');
  const [mine, setMine] = useState(false);
  const filters = { q: debouncedQ.trim(), status, mine: mine ? 'true' : undefined, sort: 'title' };
  const list = useCursorList<SeriesSummary>('/api/meetings/series', filters, 50);
  const [open, modal] = useDisclosure(false);
  const navigate = useNavigate();

  return (
    <>
      <PageHeader
        title="Joint meetings"
        description="Recurring LP–IT meetings: the agenda suggests itself from live data; minutes, decisions and actions are followed to the end."
        actions={
          <>
            <ExportButton path="/api/meetings/series/export" filters={filters} />
            {canManage && (
              <Button leftSection={<IconPlus size={16} />} onClick={modal.open}>
                New series
              </Button>
            )}
          </>
        }
      />
      <MeetingsTabs />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, sm: 3 }}>
          <SearchInput placeholder="Title or MTG-2" value={q} onChange={setQ} />
          <Select
            label="Status"
            placeholder="All series"
            clearable
            data={[
              { value: 'active', label: 'Active' },
              { value: 'ended', label: 'Ended' },
            ]}
            value={status}
            onChange={setStatus}
          />
          <Stack justify="flex-end">
            <Checkbox label="Only series I attend" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} />
          </Stack>
        </FilterGrid>
      </FilterPanel>
      {list.isPending ? (
        <PageLoader embedded />
      ) : list.isError ? (
        <QueryError embedded error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Card padding="lg" mt="md">
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="series">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Series</Table.Th>
                  <Table.Th>Cadence</Table.Th>
                  <Table.Th>Next meeting</Table.Th>
                  <Table.Th>Chair</Table.Th>
                  <Table.Th>Departments</Table.Th>
                  <Table.Th>Open actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.length === 0 && <EmptyRow colSpan={6}>No meeting series match.</EmptyRow>}
                {list.items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <AnchorLink to="/meetings/series/$id" params={{ id: s.id }} fw={600}>
                        {s.title}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {s.ref} · {s.attendeeCount} attendees
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.cadenceLabel}</Text>
                      <Text size="xs" c="dimmed">
                        {s.localTime} {zoneText(s.timezone)} · {s.durationMinutes} min
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {s.nextOccurrence ? (
                        <AnchorLink to="/meetings/occurrences/$id" params={{ id: s.nextOccurrence.id }}>
                          {localText(s.nextOccurrence.localStart)}
                        </AnchorLink>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {s.status === 'ended' ? 'Ended' : 'None scheduled'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{s.chair.name}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.departments.join(', ')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        <Text size="sm">{s.openActions}</Text>
                        {s.overdueActions > 0 && (
                          <Badge color="red" variant="light">
                            {s.overdueActions} overdue
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <ListFooter list={list} noun="series" />
        </Card>
      )}
      <Modal opened={open} onClose={modal.close} title="New meeting series" size="lg">
        {open && (
          <SeriesForm
            onCancel={modal.close}
            onSaved={(s) => {
              modal.close();
              void navigate({ to: '/meetings/series/$id', params: { id: s.id } });
            }}
          />
        )}
      </Modal>
    </>
  );
}
