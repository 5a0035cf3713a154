import { Badge, Button, Card, Checkbox, Group, Modal, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { CADENCES, CADENCE_LABELS, type SeriesDetail, type SeriesSummary } from '../../../contracts/meetings';
import { post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { applyServerErrors } from '../../ui/forms';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { useCan } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { useActivePeople } from '../training/shared';
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
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} retry={() => void list.refetch()} />
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
        {open && <SeriesForm onDone={modal.close} />}
      </Modal>
    </>
  );
}

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Indiana/Indianapolis', 'Europe/London', 'Europe/Berlin', 'UTC'];

function SeriesForm({ onDone }: { onDone: () => void }) {
  const peopleQuery = useActivePeople();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const options = (peopleQuery.data ?? []).map((p) => ({ value: p.id, label: `${p.name}${p.departmentName ? ` (${p.departmentName})` : ''}` }));
  const form = useForm({
    initialValues: {
      title: '',
      purpose: '',
      cadence: 'monthly' as string,
      firstDate: new Date().toISOString().slice(0, 10),
      localTime: '10:00',
      durationMinutes: 60 as number | string,
      timezone: 'America/New_York',
      location: '',
      chairId: '',
      noteTakerId: '',
      attendeeIds: [] as string[],
    },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) => post<SeriesDetail>('/api/meetings/series', { ...v, durationMinutes: Number(v.durationMinutes) }),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/meetings/series'] });
      notifySuccess('Series created; the attendees get the calendar invitation');
      onDone();
      void navigate({ to: '/meetings/series/$id', params: { id: s.id } });
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => create.mutate(v))}>
      <Stack>
        <TextInput label="Title" required {...form.getInputProps('title')} />
        <Textarea label="Purpose" autosize minRows={2} {...form.getInputProps('purpose')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Cadence" required data={CADENCES.map((c) => ({ value: c, label: CADENCE_LABELS[c] }))} {...form.getInputProps('cadence')} />
          <TextInput label="First meeting (date)" type="date" required {...form.getInputProps('firstDate')} />
          <TextInput label="Time" type="time" required {...form.getInputProps('localTime')} />
          <NumberInput label="Duration (minutes)" min={5} max={480} required {...form.getInputProps('durationMinutes')} />
          <Select label="Time zone" required searchable data={ZONES} {...form.getInputProps('timezone')} />
          <TextInput label="Location" {...form.getInputProps('location')} />
          <Select label="Chair" required searchable data={options} {...form.getInputProps('chairId')} />
          <Select label="Note taker" required searchable data={options} {...form.getInputProps('noteTakerId')} />
        </SimpleGrid>
        <MultiSelect label="Attendees" description="From at least two departments; the chair and note taker attend too." searchable data={options} {...form.getInputProps('attendeeIds')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create and invite
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
