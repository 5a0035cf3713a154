import { Button, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { storeOptions, useStores, HQ } from '../../ui/lookups';
import { useActivePeople, useSkills } from './shared';

export interface SessionFormValues {
  hostId: string;
  guestIds: string[];
  localStart: string;
  durationMinutes: number;
  storeId: string;
  room: string;
  skillIds: string[];
  goals: string;
}

/** The next working day at 10:00, as a local date-time input value. */
export function nextWorkingDay() {
  const d = new Date();
  do d.setDate(d.getDate() + 1);
  while (d.getDay() === 0 || d.getDay() === 6);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T10:00`;
}

export const toSessionBody = (v: SessionFormValues) => ({ ...v, storeId: v.storeId === HQ ? null : v.storeId });

export function useSessionForm(initial: Partial<SessionFormValues>) {
  return useForm<SessionFormValues>({
    initialValues: { hostId: '', guestIds: [], localStart: nextWorkingDay(), durationMinutes: 240, storeId: HQ, room: '', skillIds: [], goals: '', ...initial },
    validate: {
      hostId: (v) => (v ? null : 'Choose the host'),
      guestIds: (v) => (v.length ? null : 'Choose at least one guest'),
      skillIds: (v) => (v.length ? null : 'Pick at least one skill'),
      localStart: (v) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? null : 'Choose a date and time'),
    },
  });
}

export function SessionFields({ form, submitLabel, loading }: { form: ReturnType<typeof useSessionForm>; submitLabel: string; loading: boolean }) {
  const peopleQuery = useActivePeople();
  const skills = useSkills();
  const stores = useStores();
  const personOptions = (peopleQuery.data ?? []).filter((p) => p.role !== 'staff' && p.role !== 'viewer').map((p) => ({ value: p.id, label: `${p.name}${p.departmentName ? ` (${p.departmentName})` : ''}` }));
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label="Host" description="Times are in the host's time zone" searchable required data={personOptions} {...form.getInputProps('hostId')} />
        <MultiSelect label="Guests" searchable required data={personOptions.filter((p) => p.value !== form.values.hostId)} {...form.getInputProps('guestIds')} />
        <TextInput label="Date and time" type="datetime-local" required {...form.getInputProps('localStart')} />
        <NumberInput label="Duration (minutes)" min={30} max={600} step={30} {...form.getInputProps('durationMinutes')} />
        <Select label="Place" searchable allowDeselect={false} data={[{ value: HQ, label: 'Headquarters' }, ...storeOptions(stores.data)]} {...form.getInputProps('storeId')} />
        <TextInput label="Room or meeting point" placeholder="Monitoring centre" {...form.getInputProps('room')} />
      </SimpleGrid>
      <MultiSelect label="Skills" searchable required data={(skills.data?.items ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: s.name }))} {...form.getInputProps('skillIds')} />
      <Textarea label="Goals" autosize minRows={2} placeholder="What the guest should be able to do afterwards" {...form.getInputProps('goals')} />
      <Group justify="flex-end">
        <Button type="submit" loading={loading}>
          {submitLabel}
        </Button>
      </Group>
    </Stack>
  );
}
