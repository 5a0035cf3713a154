import { Button, Checkbox, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Person } from '../../../contracts/people';
import { ROLE_LABELS, ROLES, type Role } from '../../../contracts/roles';
import { patch, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { departmentOptions, placeOf, placeOptions, placeValue, useDepartments, useStores } from '../../ui/lookups';
import { notifySuccess } from '../../ui/notify';

interface Values {
  name: string;
  email: string;
  title: string;
  role: Role;
  departmentId: string;
  storeId: string;
  sendInvitation: boolean;
}

/** Create ("Invite person") or edit a person. */
export function PersonForm({ person, onSaved, onCancel }: { person?: Person; onSaved: (p: Person) => void; onCancel?: () => void }) {
  const queryClient = useQueryClient();
  const departments = useDepartments();
  const stores = useStores();
  const form = useForm<Values>({
    initialValues: {
      name: person?.name ?? '',
      email: person?.email ?? '',
      title: person?.title ?? '',
      role: person?.role ?? 'member',
      departmentId: person?.departmentId ?? '',
      storeId: placeValue(person),
      sendInvitation: true,
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter a name'),
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address'),
      departmentId: (v) => (v ? null : 'Choose a department'),
    },
  });

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        name: v.name.trim(),
        email: v.email.trim(),
        title: v.title.trim(),
        role: v.role,
        departmentId: v.departmentId,
        ...placeOf(v.storeId),
      };
      return person ? patch<Person>(`/api/people/${person.id}`, body) : post<Person>('/api/people', { ...body, sendInvitation: v.sendInvitation });
    },
    onSuccess: (saved, v) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/people'] });
      void queryClient.invalidateQueries({ queryKey: ['/api/departments'] });
      void queryClient.invalidateQueries({ queryKey: ['home'] });
      notifySuccess(person ? `${saved.name} was updated` : v.sendInvitation ? `${saved.name} was invited` : `${saved.name} was added`);
      onSaved(saved);
    },
    onError: (err) => applyServerErrors(form, err),
  });

  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Name" {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" {...form.getInputProps('email')} />
          <TextInput label="Title" placeholder="e.g. LP investigator" {...form.getInputProps('title')} />
          <Select
            label="Role"
            allowDeselect={false}
            data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            {...form.getInputProps('role')}
          />
          <Select
            label="Department"
            searchable
            placeholder={departments.isPending ? 'Loading…' : 'Choose a department'}
            data={departmentOptions(departments.data, person?.departmentId)}
            {...form.getInputProps('departmentId')}
            onChange={(v) => form.setFieldValue('departmentId', v ?? '')}
          />
          <Select
            label="Works at"
            description="Sees the records of these stores only; headquarters sees the chain"
            searchable
            allowDeselect={false}
            data={placeOptions(stores.data, person?.storeId)}
            {...form.getInputProps('storeId')}
            onChange={(v) => form.setFieldValue('storeId', v ?? placeValue(undefined))}
          />
        </SimpleGrid>
        {!person && <Checkbox label="Send invitation email" {...form.getInputProps('sendInvitation', { type: 'checkbox' })} />}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={save.isPending}>
            {person ? 'Save changes' : 'Create person'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
