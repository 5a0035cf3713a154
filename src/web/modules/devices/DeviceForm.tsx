import { Button, Group, NumberInput, Select, SimpleGrid, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CREDENTIAL_LABELS, type CredentialState, type Device, type DeviceType } from '../../../contracts/devices';
import { patch, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { storeOptions, useStores } from '../../ui/lookups';
import { notifySuccess } from '../../ui/notify';
import { deviceTypeOptions } from './shared';

interface Values {
  storeId: string;
  type: DeviceType;
  name: string;
  vendor: string;
  model: string;
  serial: string;
  ip: string;
  mac: string;
  vlan: number | string;
  firmware: string;
  defaultCredentialsChanged: CredentialState;
  poeClass: string | null;
  poeBudgetW: number | string;
  retentionDays: number | string;
  location: string;
  coveredRegisters: string[];
  installDate: string;
  notes: string;
}

const num = (v: number | string) => (v === '' || v == null ? null : Number(v));

export function DeviceForm({ device, onSaved, onCancel }: { device?: Device; onSaved: (d: Device) => void; onCancel: () => void }) {
  const stores = useStores();
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      storeId: device?.storeId ?? '',
      type: device?.type ?? 'camera',
      name: device?.name ?? '',
      vendor: device?.vendor ?? '',
      model: device?.model ?? '',
      serial: device?.serial ?? '',
      ip: device?.ip ?? '',
      mac: device?.mac ?? '',
      vlan: device?.vlan ?? '',
      firmware: device?.firmware ?? '',
      defaultCredentialsChanged: device?.defaultCredentialsChanged ?? 'unknown',
      poeClass: device?.poeClass != null ? String(device.poeClass) : null,
      poeBudgetW: device?.poeBudgetW ?? '',
      retentionDays: device?.retentionDays ?? '',
      location: device?.location ?? '',
      coveredRegisters: device?.coveredRegisters ?? [],
      installDate: device?.installDate ?? '',
      notes: device?.notes ?? '',
    },
    validate: { storeId: (v) => (v ? null : 'Choose the store'), name: (v) => (v.trim() ? null : 'Give the device a name') },
  });
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        type: v.type,
        name: v.name,
        vendor: v.vendor,
        model: v.model,
        serial: v.serial,
        ip: v.ip,
        mac: v.mac,
        vlan: num(v.vlan),
        firmware: v.firmware,
        defaultCredentialsChanged: v.defaultCredentialsChanged,
        poeClass: v.poeClass == null ? null : Number(v.poeClass),
        poeBudgetW: num(v.poeBudgetW),
        retentionDays: num(v.retentionDays),
        location: v.location,
        coveredRegisters: v.coveredRegisters,
        installDate: v.installDate || null,
        notes: v.notes,
      };
      return device ? patch<Device>(`/api/devices/${device.id}`, body) : post<Device>('/api/devices', { ...body, storeId: v.storeId });
    },
    onSuccess: (d) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/devices'] });
      void queryClient.invalidateQueries({ queryKey: ['/api/device-findings'] });
      notifySuccess(`${d.name} saved`);
      onSaved(d);
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Store" required searchable disabled={!!device} data={storeOptions(stores.data, device?.storeId)} {...form.getInputProps('storeId')} />
          <Select label="Type" required data={deviceTypeOptions} allowDeselect={false} {...form.getInputProps('type')} />
          <TextInput label="Name" description="The label the video system and IT use" required {...form.getInputProps('name')} />
          <TextInput label="Location" {...form.getInputProps('location')} />
          <TextInput label="Vendor" {...form.getInputProps('vendor')} />
          <TextInput label="Model" {...form.getInputProps('model')} />
          <TextInput label="Serial number" {...form.getInputProps('serial')} />
          <TextInput label="Firmware" {...form.getInputProps('firmware')} />
          <TextInput label="IP address" placeholder="10.1.40.21" {...form.getInputProps('ip')} />
          <TextInput label="MAC address" placeholder="00:40:8C:12:34:56" {...form.getInputProps('mac')} />
          <NumberInput label="VLAN" min={1} max={4094} {...form.getInputProps('vlan')} />
          <Select
            label="Default credentials changed"
            description="Record whether they were changed; never a password"
            data={(Object.keys(CREDENTIAL_LABELS) as CredentialState[]).map((k) => ({ value: k, label: k === 'yes' ? 'Yes, changed' : k === 'no' ? 'No, still the default' : 'Unknown' }))}
            allowDeselect={false}
            {...form.getInputProps('defaultCredentialsChanged')}
          />
          <Select label="PoE class" clearable data={[0, 1, 2, 3, 4, 5, 6, 7, 8].map((c) => ({ value: String(c), label: `Class ${c} (${c <= 3 ? '802.3af' : c === 4 ? '802.3at' : '802.3bt'})` }))} {...form.getInputProps('poeClass')} />
          {form.values.type === 'switch' && <NumberInput label="PoE budget (W)" min={0} {...form.getInputProps('poeBudgetW')} />}
          {form.values.type === 'recorder' && <NumberInput label="Retention (days)" min={0} {...form.getInputProps('retentionDays')} />}
          <TextInput label="Install date" placeholder="YYYY-MM-DD" {...form.getInputProps('installDate')} />
          {form.values.type === 'camera' && <TagsInput label="Covers registers" placeholder="Register numbers" {...form.getInputProps('coveredRegisters')} />}
        </SimpleGrid>
        <Textarea label="Notes" autosize minRows={2} {...form.getInputProps('notes')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {device ? 'Save' : 'Add device'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
