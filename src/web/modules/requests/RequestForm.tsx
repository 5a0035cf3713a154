import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RequestDetail } from '../../../contracts/requests';
import { post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { departmentOptions, storeOptions, useDepartments, useStores } from '../../ui/lookups';
import { useMe } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { priorityOptions, priorityTargetsText, usePriorities, useRequestTypes } from './requestUi';

interface Values {
  toDepartmentId: string;
  typeId: string;
  title: string;
  description: string;
  priority: string;
  dueDate: string;
  storeId: string;
}

/** File a request to another department. */
export function RequestForm({ onSaved, onCancel }: { onSaved: (r: RequestDetail) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const me = useMe();
  const departments = useDepartments();
  const stores = useStores();
  const priorities = usePriorities();
  const form = useForm<Values>({
    initialValues: { toDepartmentId: '', typeId: '', title: '', description: '', priority: 'P3', dueDate: '', storeId: '' },
    validate: {
      toDepartmentId: (v) => (v ? null : 'Choose the department you ask'),
      typeId: (v) => (v ? null : 'Choose what you need'),
      title: (v) => (v.trim() ? null : 'Say in a few words what you need'),
    },
  });
  const types = useRequestTypes(form.values.toDepartmentId || null);
  const myDept = me.data?.departmentId;

  const save = useMutation({
    mutationFn: (v: Values) =>
      post<RequestDetail>('/api/requests', {
        toDepartmentId: v.toDepartmentId,
        typeId: v.typeId,
        title: v.title.trim(),
        description: v.description.trim(),
        priority: v.priority,
        dueDate: v.dueDate || null,
        storeId: v.storeId || null,
      }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/requests'] });
      void queryClient.invalidateQueries({ queryKey: ['home'] });
      notifySuccess(`${r.ref} was sent to ${r.toDepartmentName}`);
      onSaved(r);
    },
    onError: (err) => applyServerErrors(form, err),
  });

  const typeHelp = types.data?.find((t) => t.id === form.values.typeId)?.description;

  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="To department"
            placeholder="Who do you ask?"
            data={departmentOptions(departments.data).filter((d) => d.value !== myDept)}
            {...form.getInputProps('toDepartmentId')}
            onChange={(v) => {
              form.setFieldValue('toDepartmentId', v ?? '');
              form.setFieldValue('typeId', '');
            }}
          />
          <Select
            label="Type"
            placeholder={form.values.toDepartmentId ? (types.data?.length === 0 ? 'This department has no catalogue yet' : 'What do you need?') : 'Choose a department first'}
            disabled={!form.values.toDepartmentId}
            data={(types.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            {...form.getInputProps('typeId')}
            onChange={(v) => form.setFieldValue('typeId', v ?? '')}
            description={typeHelp}
          />
        </SimpleGrid>
        <TextInput label="Title" placeholder="e.g. Video export for case C-2026-072 (NE-101, 3 Dec 18:00–18:30)" {...form.getInputProps('title')} />
        <Textarea label="Details" placeholder="What, where, by when, and why it matters" autosize minRows={3} maxRows={10} {...form.getInputProps('description')} />
        <SimpleGrid cols={{ base: 1, sm: 3 }} style={{ alignItems: 'end' }}>
          <Select
            label="Priority"
            allowDeselect={false}
            data={priorityOptions(priorities.data)}
            {...form.getInputProps('priority')}
            description={priorityTargetsText(priorities.data?.find((p) => p.code === form.values.priority))}
          />
          <TextInput label="Due date (optional)" type="date" {...form.getInputProps('dueDate')} />
          <Select label="Store (optional)" placeholder="None" clearable searchable data={storeOptions(stores.data)} {...form.getInputProps('storeId')} value={form.values.storeId || null} onChange={(v) => form.setFieldValue('storeId', v ?? '')} />
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          The department’s leads are emailed. The response and resolution clocks start now and follow the priority’s targets.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Send request
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
