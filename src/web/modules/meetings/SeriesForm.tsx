import { Alert, Button, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCalendarEvent } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CADENCES, CADENCE_LABELS, type Cadence, type SeriesDetail } from '../../../contracts/meetings';
import { ApiRequestError, isApiError, patch, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { notifySuccess } from '../../ui/notify';
import { useActivePeople } from '../training/shared';
import { zoneText } from './shared';

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Indiana/Indianapolis', 'Europe/London', 'Europe/Berlin', 'UTC'];

interface Values {
  title: string;
  purpose: string;
  cadence: string;
  firstDate: string;
  localTime: string;
  durationMinutes: number | string;
  timezone: string;
  location: string;
  chairId: string;
  noteTakerId: string;
  attendeeIds: string[];
}

type Payload = Omit<Values, 'durationMinutes'> & { durationMinutes: number };

/** Fields that set when the meetings take place: changing one moves the future meetings. */
const SCHEDULE: ReadonlyArray<keyof Values> = ['cadence', 'firstDate', 'localTime', 'durationMinutes', 'timezone'];

function valuesOf(series?: SeriesDetail): Values {
  if (!series)
    return {
      title: '',
      purpose: '',
      cadence: 'monthly',
      firstDate: new Date().toISOString().slice(0, 10),
      localTime: '10:00',
      durationMinutes: 60,
      timezone: 'America/New_York',
      location: '',
      chairId: '',
      noteTakerId: '',
      attendeeIds: [],
    };
  return {
    title: series.title,
    purpose: series.purpose,
    cadence: series.cadence,
    firstDate: series.firstDate,
    localTime: series.localTime,
    durationMinutes: series.durationMinutes,
    timezone: series.timezone,
    location: series.location,
    chairId: series.chair.id,
    noteTakerId: series.noteTaker.id,
    attendeeIds: series.attendees.map((a) => a.id),
  };
}

const toPayload = (v: Values): Payload => ({ ...v, durationMinutes: Number(v.durationMinutes) });
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The fields of `v` that differ from `initial`: what a series PATCH sends. */
function changesOf(initial: Values, v: Values): Partial<Payload> {
  const before = toPayload(initial);
  const after = toPayload(v);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof Payload>) {
    const changed = key === 'attendeeIds' ? !sameSet(before.attendeeIds, after.attendeeIds) : before[key] !== after[key];
    if (changed) out[key] = after[key];
  }
  return out as Partial<Payload>;
}

/**
 * The form of a meeting series: empty to create one, prefilled from `series` to change it. A change
 * sends only the fields that differ; the server moves future meetings when the schedule changes and
 * mails the updated invitation.
 */
export function SeriesForm({ series, onCancel, onSaved }: { series?: SeriesDetail; onCancel: () => void; onSaved: (s: SeriesDetail) => void }) {
  const editing = !!series;
  const peopleQuery = useActivePeople();
  const queryClient = useQueryClient();
  // The values the form opened with: a change is measured against them, even if the page refreshes meanwhile.
  const [initial] = useState(() => valuesOf(series));
  const form = useForm<Values>({ initialValues: initial });

  // Active people, plus anyone already on the series who is not (so the form shows every current name).
  const options = (peopleQuery.data ?? []).map((p) => ({ value: p.id, label: `${p.name}${p.departmentName ? ` (${p.departmentName})` : ''}` }));
  for (const a of series?.attendees ?? []) if (!options.some((o) => o.value === a.id)) options.push({ value: a.id, label: `${a.name}${a.departmentName ? ` (${a.departmentName})` : ''}` });
  const nameOf = (id: string | undefined) => options.find((o) => o.value === id)?.label ?? 'One of the people';
  const zones = ZONES.includes(form.values.timezone) ? ZONES : [form.values.timezone, ...ZONES];

  const changes = changesOf(initial, form.values);
  const scheduleChanged = editing && SCHEDULE.some((k) => k in changes);
  const nothingChanged = editing && Object.keys(changes).length === 0;

  const save = useMutation({
    mutationFn: (v: Values) => (series ? patch<SeriesDetail>(`/api/meetings/series/${series.id}`, changesOf(initial, v)) : post<SeriesDetail>('/api/meetings/series', toPayload(v))),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/meetings/series'] });
      void queryClient.invalidateQueries({ queryKey: ['/api/meetings/occurrences'] });
      notifySuccess(editing ? 'Series saved; the attendees get the updated calendar invitation' : 'Series created; the attendees get the calendar invitation');
      onSaved(s);
    },
    onError: (err, v) => {
      // "attendeeIds.3" names a position in the list sent: shown at the attendees field, with the person's name.
      if (isApiError(err)) {
        const problems = err.problems.map((p) => {
          const at = /^attendeeIds\.(\d+)$/.exec(p.field ?? '');
          return at ? { ...p, field: 'attendeeIds', message: `${nameOf(v.attendeeIds[Number(at[1])])} ${p.message}` } : p;
        });
        applyServerErrors(form, new ApiRequestError(err.status, err.code, err.message, problems));
      } else applyServerErrors(form, err);
    },
  });

  const cadenceLabel = CADENCE_LABELS[form.values.cadence as Cadence]?.toLowerCase() ?? form.values.cadence;

  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        {editing && (
          <Alert color={scheduleChanged ? 'orange' : 'blue'} icon={<IconCalendarEvent size={18} />} title={scheduleChanged ? 'Saving moves the future meetings' : 'What saving changes'} data-testid="series-change-notice">
            <Text size="sm">
              {scheduleChanged
                ? `The meetings still ahead move to ${cadenceLabel} at ${form.values.localTime} (${zoneText(form.values.timezone)} time), with the agenda items already added to them. Past meetings, and meetings that already have minutes, keep their times.`
                : 'A new time, cadence, starting date, duration or time zone moves the meetings still ahead; past meetings, and meetings that already have minutes, keep their times.'}
            </Text>
            <Text size="sm" mt={4}>
              Every attendee gets an updated calendar invitation; anyone you remove gets a cancellation.
            </Text>
          </Alert>
        )}
        <TextInput label="Title" required {...form.getInputProps('title')} />
        <Textarea label="Purpose" autosize minRows={2} {...form.getInputProps('purpose')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Cadence" required allowDeselect={false} data={CADENCES.map((c) => ({ value: c, label: CADENCE_LABELS[c] }))} {...form.getInputProps('cadence')} />
          <TextInput
            label={editing ? 'Starting date' : 'First meeting (date)'}
            description={editing ? 'Its weekday (for monthly and quarterly, also its week of the month) sets the pattern. If it is past, the new schedule starts at the next meeting.' : undefined}
            type="date"
            required
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.getInputProps('firstDate')}
          />
          <TextInput label="Time" type="time" required {...form.getInputProps('localTime')} />
          <NumberInput label="Duration (minutes)" min={5} max={480} required {...form.getInputProps('durationMinutes')} />
          <Select label="Time zone" required allowDeselect={false} searchable data={zones} {...form.getInputProps('timezone')} />
          <TextInput label="Location" {...form.getInputProps('location')} />
          <Select label="Chair" required allowDeselect={false} searchable data={options} {...form.getInputProps('chairId')} />
          <Select label="Note taker" required allowDeselect={false} searchable data={options} {...form.getInputProps('noteTakerId')} />
        </SimpleGrid>
        <MultiSelect label="Attendees" description="From at least two departments; the chair and note taker attend too." searchable data={options} {...form.getInputProps('attendeeIds')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={nothingChanged}>
            {editing ? 'Save and send the update' : 'Create and invite'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
