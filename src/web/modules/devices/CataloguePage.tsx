import { Button, Group, Modal, Paper, Select, Stack, Table, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DEVICE_TYPE_LABELS, type DeviceModel, type DeviceType } from '../../../contracts/devices';
import { get, patch, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { formatDate } from '../../ui/format';
import { ImportCsvButton } from '../../ui/ImportCsvModal';
import { EmptyRow, ExportButton } from '../../ui/list';
import { useCan } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { deviceTypeOptions } from './shared';

const MODEL_COLUMNS = ['vendor', 'model', 'type', 'latest_firmware', 'end_of_support', 'advisories', 'notes'];

export function CataloguePage() {
  const canEdit = useCan('devices:catalogue');
  const [editing, setEditing] = useState<DeviceModel | 'new' | null>(null);
  const query = useQuery({ queryKey: ['/api/device-models'], queryFn: ({ signal }) => get<{ items: DeviceModel[] }>('/api/device-models', undefined, signal) });
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <QueryError error={query.error} retry={() => void query.refetch()} />;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <>
      <PageHeader
        title="Model catalogue"
        description="What IT knows about each model: latest firmware, end of support and advisories. Findings are recomputed when it changes."
        actions={
          <>
            <ExportButton path="/api/device-models/export" filters={{}} />
            {canEdit && <ImportCsvButton path="/api/device-models/import" columns={MODEL_COLUMNS} noun="Models" invalidate={['/api/device-models', '/api/device-findings']} />}
            {canEdit && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
                New model
              </Button>
            )}
          </>
        }
      />
      <Paper>
        <Table.ScrollContainer minWidth={820}>
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Vendor / model</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Latest firmware</Table.Th>
                <Table.Th>End of support</Table.Th>
                <Table.Th>Advisories</Table.Th>
                <Table.Th>Devices</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.length === 0 && <EmptyRow colSpan={6}>The catalogue is empty.</EmptyRow>}
              {query.data.items.map((m) => (
                <Table.Tr key={m.id} style={{ cursor: canEdit ? 'pointer' : undefined }} onClick={() => canEdit && setEditing(m)}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {m.model}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {m.vendor}
                    </Text>
                  </Table.Td>
                  <Table.Td>{DEVICE_TYPE_LABELS[m.type]}</Table.Td>
                  <Table.Td ff="monospace">{m.latestFirmware ?? '—'}</Table.Td>
                  <Table.Td c={m.endOfSupport && m.endOfSupport <= today ? 'red' : undefined}>{formatDate(m.endOfSupport)}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{m.advisories.join(', ') || '—'}</Text>
                  </Table.Td>
                  <Table.Td>{m.devices}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New model' : `Edit ${editing?.model ?? ''}`} size="lg">
        {editing !== null && <ModelForm model={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />}
      </Modal>
    </>
  );
}

function ModelForm({ model, onDone }: { model?: DeviceModel; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { vendor: model?.vendor ?? '', model: model?.model ?? '', type: (model?.type ?? 'camera') as DeviceType, latestFirmware: model?.latestFirmware ?? '', endOfSupport: model?.endOfSupport ?? '', advisories: model?.advisories ?? [], notes: model?.notes ?? '' },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = { ...v, endOfSupport: v.endOfSupport || null };
      return model ? patch(`/api/device-models/${model.id}`, body) : post('/api/device-models', body);
    },
    onSuccess: () => {
      for (const key of ['/api/device-models', '/api/device-findings', '/api/devices']) void queryClient.invalidateQueries({ queryKey: [key] });
      notifySuccess('Catalogue saved; findings recomputed');
      onDone();
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack>
        <TextInput label="Vendor" required {...form.getInputProps('vendor')} />
        <TextInput label="Model" required {...form.getInputProps('model')} />
        <Select label="Type" data={deviceTypeOptions} allowDeselect={false} {...form.getInputProps('type')} />
        <TextInput label="Latest firmware" {...form.getInputProps('latestFirmware')} />
        <TextInput label="End of support" placeholder="YYYY-MM-DD" {...form.getInputProps('endOfSupport')} />
        <TagsInput label="Advisories" placeholder="CVE or vendor advisory ids" {...form.getInputProps('advisories')} />
        <Textarea label="Notes" autosize minRows={2} {...form.getInputProps('notes')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
