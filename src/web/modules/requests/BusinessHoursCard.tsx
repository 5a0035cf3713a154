import { Button, Card, Checkbox, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { DepartmentCalendar } from '../../../contracts/requests';
import { api, del, get } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { notifySuccess } from '../../ui/notify';

const DAYS = [
  { value: '1', label: 'Mon' },
  { value: '2', label: 'Tue' },
  { value: '3', label: 'Wed' },
  { value: '4', label: 'Thu' },
  { value: '5', label: 'Fri' },
  { value: '6', label: 'Sat' },
  { value: '7', label: 'Sun' },
];
const KEY = ['/api/request-calendars'];

/** "2026-12-25 Christmas Day", one a line, into the API's holidays (and back). */
const holidaysToText = (h: { date: string; name: string }[]) => h.map((x) => `${x.date} ${x.name}`).join('\n');
function textToHolidays(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [date = '', ...name] = l.split(/\s+/);
      return { date, name: name.join(' ') || 'Holiday' };
    });
}

function CalendarModal({ row, onClose }: { row: DepartmentCalendar; onClose: () => void }) {
  const queryClient = useQueryClient();
  // Browsers list canonical zones only; UTC (a headless browser's own zone) is added.
  const zones = useMemo(() => ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')], []);
  const ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const c = row.calendar;
  const form = useForm({
    initialValues: {
      timezone: c?.timezone ?? (zones.includes(ownZone) ? ownZone : 'UTC'),
      workDays: (c?.workDays ?? [1, 2, 3, 4, 5]).map(String),
      start: c?.start ?? '08:00',
      end: c?.end ?? '18:00',
      holidaysText: holidaysToText(c?.holidays ?? []),
    },
  });
  const done = (saved: DepartmentCalendar, message: string) => {
    void queryClient.invalidateQueries({ queryKey: KEY });
    notifySuccess(message);
    onClose();
    return saved;
  };
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api<DepartmentCalendar>(`/api/request-calendars/${row.departmentId}`, {
        method: 'PUT',
        body: { timezone: v.timezone, workDays: v.workDays.map(Number), start: v.start, end: v.end, holidays: textToHolidays(v.holidaysText) },
      }),
    onSuccess: (saved) => done(saved, `${saved.departmentName}: ${saved.summary}`),
    onError: (err) => applyServerErrors(form, err, { holidays: 'holidaysText' }),
  });
  const clear = useMutation({
    mutationFn: () => del<DepartmentCalendar>(`/api/request-calendars/${row.departmentId}`),
    onSuccess: (saved) => done(saved, `${saved.departmentName} counts request targets round the clock`),
  });
  return (
    <Modal opened onClose={onClose} title={`Business hours: ${row.departmentName}`} centered size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <Select label="Time zone" searchable data={zones} {...form.getInputProps('timezone')} />
          <Checkbox.Group label="Working days" {...form.getInputProps('workDays')}>
            <Group mt={6} gap="sm">
              {DAYS.map((d) => (
                <Checkbox key={d.value} value={d.value} label={d.label} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group grow>
            <TextInput type="time" label="Opens" {...form.getInputProps('start')} />
            <TextInput type="time" label="Closes" {...form.getInputProps('end')} />
          </Group>
          <Textarea
            label="Holidays"
            description="One a line: the date, then its name (2026-12-25 Christmas Day). Closed all day."
            autosize
            minRows={3}
            maxRows={10}
            {...form.getInputProps('holidaysText')}
          />
          <Text size="sm" c="dimmed">
            Requests filed to {row.departmentName} from now on count only these hours toward their response and resolution targets; requests already filed keep theirs.
            Priorities marked "round the clock" ignore them.
          </Text>
          <Group justify="space-between">
            <Button variant="subtle" color="gray" disabled={!row.calendar} loading={clear.isPending} onClick={() => clear.mutate()}>
              Count round the clock
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save hours
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The catalogue's card of each department's business hours, which request targets count. */
export function BusinessHoursCard() {
  const calendars = useQuery({ queryKey: KEY, queryFn: () => get<{ items: DepartmentCalendar[] }>('/api/request-calendars') });
  const [editing, setEditing] = useState<DepartmentCalendar | null>(null);
  return (
    <Card padding="lg">
      <Title order={2} size="h4">
        Business hours
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Response and resolution targets count the business hours of the department a request goes to: time outside its hours, days off and holidays do not count. A department
        without hours counts round the clock.
      </Text>
      <Table.ScrollContainer minWidth={480}>
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Department</Table.Th>
              <Table.Th>Targets count</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {calendars.data?.items.map((row) => (
              <Table.Tr key={row.departmentId} data-testid="calendar-row">
                <Table.Td>{row.departmentName}</Table.Td>
                <Table.Td>{row.summary}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" aria-label={`Edit business hours of ${row.departmentName}`} onClick={() => setEditing(row)}>
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <CalendarModal row={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
