import { Button, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Store } from '../../../contracts/people';
import { patch, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { notifySuccess } from '../../ui/notify';

interface Values {
  code: string;
  name: string;
  region: string;
  district: string;
  timezone: string;
  uplinkMbps: number | string;
}

const timeZones = (): string[] => {
  try {
    return (Intl as unknown as { supportedValuesOf: (k: string) => string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'UTC'];
  }
};

export function StoreForm({ store, onSaved, onCancel }: { store?: Store; onSaved: (s: Store) => void; onCancel?: () => void }) {
  const queryClient = useQueryClient();
  const zones = useMemo(() => {
    const z = timeZones();
    return store && !z.includes(store.timezone) ? [store.timezone, ...z] : z;
  }, [store]);
  const form = useForm<Values>({
    initialValues: {
      code: store?.code ?? '',
      name: store?.name ?? '',
      region: store?.region ?? '',
      district: store?.district ?? '',
      timezone: store?.timezone ?? 'America/Chicago',
      uplinkMbps: store?.uplinkMbps ?? 100,
    },
    validate: {
      code: (v) => (/^[A-Za-z0-9_-]+$/.test(v.trim()) ? null : 'Use letters, digits, - or _'),
      name: (v) => (v.trim() ? null : 'Enter a name'),
      region: (v) => (v.trim() ? null : 'Enter a region'),
      district: (v) => (v.trim() ? null : 'Enter a district'),
      timezone: (v) => (v ? null : 'Choose a time zone'),
      uplinkMbps: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? null : 'Enter a whole number of Mbps (at least 1)'),
    },
  });
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        code: v.code.trim(),
        name: v.name.trim(),
        region: v.region.trim(),
        district: v.district.trim(),
        timezone: v.timezone,
        uplinkMbps: Number(v.uplinkMbps),
      };
      return store ? patch<Store>(`/api/stores/${store.id}`, body) : post<Store>('/api/stores', body);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/stores'] });
      notifySuccess(store ? `Store ${saved.code} was updated` : `Store ${saved.code} was created`);
      onSaved(saved);
    },
    onError: (err) => applyServerErrors(form, err),
  });

  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Code" placeholder="e.g. S042" {...form.getInputProps('code')} />
          <TextInput label="Name" placeholder="e.g. Springfield Mall" {...form.getInputProps('name')} />
          <TextInput label="Region" {...form.getInputProps('region')} />
          <TextInput label="District" {...form.getInputProps('district')} />
          <Select label="Time zone" searchable allowDeselect={false} data={zones} limit={50} {...form.getInputProps('timezone')} />
          <NumberInput label="Uplink (Mbps)" min={1} max={100000} clampBehavior="none" allowDecimal={false} {...form.getInputProps('uplinkMbps')} />
        </SimpleGrid>
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={save.isPending}>
            {store ? 'Save changes' : 'Create store'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
