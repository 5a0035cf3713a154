import { Button, Card, Group, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconWand } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { RequestPriority, RequestType } from '../../../contracts/requests';
import { patch, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { departmentOptions, useDepartments } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { ForbiddenState, PageLoader } from '../../ui/StatusPages';
import { BusinessHoursCard } from './BusinessHoursCard';
import { formatMinutes, PriorityBadge, usePriorities, useRequestTypes } from './requestUi';

/** Hours in the form, minutes on the wire. */
function PriorityRow({ p }: { p: RequestPriority }) {
  const queryClient = useQueryClient();
  const form = useForm({ initialValues: { name: p.name, responseHours: p.responseMinutes / 60, resolutionHours: p.resolutionMinutes / 60, roundTheClock: p.roundTheClock } });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      patch<RequestPriority>(`/api/request-priorities/${p.code}`, {
        name: v.name,
        responseMinutes: Math.round(Number(v.responseHours) * 60),
        resolutionMinutes: Math.round(Number(v.resolutionHours) * 60),
        roundTheClock: v.roundTheClock,
      }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/request-priorities'] });
      form.resetDirty();
      notifySuccess(`${saved.code} now: respond within ${formatMinutes(saved.responseMinutes)}, resolve within ${formatMinutes(saved.resolutionMinutes)}`);
    },
    onError: (err) => applyServerErrors(form, err, { responseMinutes: 'responseHours', resolutionMinutes: 'resolutionHours' }),
  });
  return (
    <Table.Tr>
      <Table.Td>
        <PriorityBadge code={p.code} />
      </Table.Td>
      <Table.Td>
        <TextInput aria-label={`${p.code} name`} {...form.getInputProps('name')} />
      </Table.Td>
      <Table.Td>
        <NumberInput aria-label={`${p.code} response target in hours`} min={0.1} step={1} decimalScale={1} suffix=" h" {...form.getInputProps('responseHours')} />
        <Text size="xs" c="dimmed" mt={2}>
          = {formatMinutes(Number(form.values.responseHours) * 60)}
        </Text>
      </Table.Td>
      <Table.Td>
        <NumberInput aria-label={`${p.code} resolution target in hours`} min={0.1} step={4} decimalScale={1} suffix=" h" {...form.getInputProps('resolutionHours')} />
        <Text size="xs" c="dimmed" mt={2}>
          = {formatMinutes(Number(form.values.resolutionHours) * 60)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Switch aria-label={`${p.code} counts round the clock`} {...form.getInputProps('roundTheClock', { type: 'checkbox' })} />
      </Table.Td>
      <Table.Td>
        <Button size="xs" variant="light" disabled={!form.isDirty()} loading={save.isPending} onClick={() => save.mutate(form.values)}>
          Save
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

function TypesCard() {
  const queryClient = useQueryClient();
  const departments = useDepartments();
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const deptId = departmentId ?? departments.data?.find((d) => d.active)?.id ?? null;
  const types = useRequestTypes(deptId, true);
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: ['/api/request-types'] });
  const form = useForm({ initialValues: { name: '', description: '' }, validate: { name: (v) => (v.trim() ? null : 'Enter a name') } });
  const add = useMutation({
    mutationFn: (v: typeof form.values) => post<RequestType>('/api/request-types', { departmentId: deptId, name: v.name.trim(), description: v.description.trim() }),
    onSuccess: (t) => {
      invalidate();
      form.reset();
      notifySuccess(`"${t.name}" added to ${t.departmentName}`);
    },
    onError: (err) => applyServerErrors(form, err),
  });
  const toggle = useMutation({
    mutationFn: (t: RequestType) => patch<RequestType>(`/api/request-types/${t.id}`, { active: !t.active }),
    onSuccess: invalidate,
    onError: (err) => notifyError(err),
  });
  const install = useMutation({
    mutationFn: () => post<{ added: number }>('/api/request-types/defaults', { departmentId: deptId }),
    onSuccess: (r) => {
      invalidate();
      notifySuccess(r.added ? `${r.added} standard types added` : 'This department already has every standard type');
    },
    onError: (err) => notifyError(err),
  });

  return (
    <Card padding="lg">
      <Group justify="space-between" mb="md" align="flex-end">
        <div>
          <Title order={4}>Request types</Title>
          <Text size="sm" c="dimmed">
            What others can ask of each department. Switched-off types stay on old requests but cannot be chosen for new ones.
          </Text>
        </div>
        <Select label="Department" allowDeselect={false} w={260} data={departmentOptions(departments.data)} value={deptId} onChange={setDepartmentId} />
      </Group>
      <Table.ScrollContainer minWidth={560}>
        <Table data-testid="catalogue-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Type</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th ta="right">Requests</Table.Th>
              <Table.Th>Offered</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {types.data?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Group justify="space-between" py="sm">
                    <Text size="sm" c="dimmed">
                      This department has no request types yet, so nobody can send it requests.
                    </Text>
                    <Button size="xs" variant="light" leftSection={<IconWand size={14} />} onClick={() => install.mutate()} loading={install.isPending}>
                      Add the standard catalogue
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            )}
            {types.data?.map((t) => (
              <Table.Tr key={t.id} opacity={t.active ? 1 : 0.55}>
                <Table.Td fw={600} style={{ whiteSpace: 'nowrap' }}>
                  {t.name}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {t.description}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{t.requestCount}</Table.Td>
                <Table.Td>
                  <Switch checked={t.active} onChange={() => toggle.mutate(t)} aria-label={`Offer ${t.name}`} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <form onSubmit={form.onSubmit((v) => add.mutate(v))} noValidate>
        <Group align="flex-start" mt="md" gap="sm">
          <TextInput label="New type" placeholder="e.g. Wi-Fi survey" w={220} {...form.getInputProps('name')} />
          <TextInput label="Description" placeholder="What the requester should expect" style={{ flex: 1, minWidth: 220 }} {...form.getInputProps('description')} />
          <Button type="submit" mt={25} leftSection={<IconPlus size={16} />} loading={add.isPending} disabled={!deptId}>
            Add
          </Button>
        </Group>
      </form>
    </Card>
  );
}

export function CataloguePage() {
  const allowed = useCan('requests:catalogue');
  const priorities = usePriorities();
  if (!allowed) return <ForbiddenState />;
  if (priorities.isPending) return <PageLoader />;
  return (
    <Stack gap="lg">
      <PageHeader title="Request catalogue" description="Each department's request types and business hours, and the response and resolution targets of each priority." />
      <Card padding="lg">
        <Title order={4}>Priorities and targets</Title>
        <Text size="sm" c="dimmed" mb="md">
          A request's targets are fixed when it is filed (or its priority changes); new targets apply to new requests. They count the business hours of the department a
          request goes to (below), unless the priority counts round the clock.
        </Text>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>Code</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>First response within</Table.Th>
                <Table.Th>Resolution within</Table.Th>
                <Table.Th w={110}>Round the clock</Table.Th>
                <Table.Th w={80} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {priorities.data?.map((p) => (
                <PriorityRow key={`${p.code}-${p.updatedAt}`} p={p} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <BusinessHoursCard />
      <TypesCard />
    </Stack>
  );
}
