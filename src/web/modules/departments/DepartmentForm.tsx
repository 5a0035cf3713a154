import { Button, Group, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Department } from '../../../contracts/people';
import { DEPARTMENT_KIND_LABELS, DEPARTMENT_KINDS, type DepartmentKind } from '../../../contracts/roles';
import { patch, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { notifySuccess } from '../../ui/notify';

interface Values {
  code: string;
  name: string;
  kind: DepartmentKind;
  description: string;
}

export const kindOptions = DEPARTMENT_KINDS.map((k) => ({ value: k, label: DEPARTMENT_KIND_LABELS[k] }));

export function DepartmentForm({ department, onSaved, onCancel }: { department?: Department; onSaved: (d: Department) => void; onCancel?: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      code: department?.code ?? '',
      name: department?.name ?? '',
      kind: department?.kind ?? 'custom',
      description: department?.description ?? '',
    },
    transformValues: (v) => ({ ...v, code: v.code.trim().toUpperCase() }),
    validate: {
      code: (v) => (/^[A-Za-z0-9_-]+$/.test(v.trim()) ? null : 'Use capital letters, digits, - or _'),
      name: (v) => (v.trim() ? null : 'Enter a name'),
    },
  });
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { code: v.code, name: v.name.trim(), kind: v.kind, description: v.description.trim() };
      return department ? patch<Department>(`/api/departments/${department.id}`, body) : post<Department>('/api/departments', body);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/departments'] });
      void queryClient.invalidateQueries({ queryKey: ['home'] });
      notifySuccess(department ? `${saved.name} was updated` : `${saved.name} was created`);
      onSaved(saved);
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Code" placeholder="e.g. LP" {...form.getInputProps('code')} />
          <TextInput label="Name" placeholder="e.g. Loss Prevention" {...form.getInputProps('name')} />
        </SimpleGrid>
        <Select label="Kind" allowDeselect={false} data={kindOptions} {...form.getInputProps('kind')} />
        <Textarea label="Description" autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={save.isPending}>
            {department ? 'Save changes' : 'Create department'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
