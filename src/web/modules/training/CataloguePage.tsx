import { ActionIcon, Badge, Button, Card, Grid, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SKILL_TRACK_LABELS, SKILL_TRACKS, type Skill, type Target } from '../../../contracts/training';
import { api, del, get, patch, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { departmentOptions, useDepartments } from '../../ui/lookups';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { useSkills } from './shared';

export function TrainingCataloguePage() {
  const queryClient = useQueryClient();
  const skills = useSkills();
  const targets = useQuery({ queryKey: ['/api/training/targets'], queryFn: ({ signal }) => get<{ items: Target[] }>('/api/training/targets', undefined, signal) });
  const departments = useDepartments();
  const skillForm = useForm({ initialValues: { code: '', name: '', description: '', track: 'it', sortOrder: 100 } });
  const targetForm = useForm({ initialValues: { skillId: '', departmentId: '', title: '', level: 2 } });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['/api/training/skills'] });
    void queryClient.invalidateQueries({ queryKey: ['/api/training/targets'] });
  };
  const addSkill = useMutation({
    mutationFn: (v: typeof skillForm.values) => post<Skill>('/api/training/skills', v),
    onSuccess: (s) => {
      skillForm.reset();
      refresh();
      notifySuccess(`"${s.name}" added`);
    },
    onError: (err) => applyServerErrors(skillForm, err),
  });
  const toggle = useMutation({ mutationFn: (s: Skill) => patch<Skill>(`/api/training/skills/${s.id}`, { active: !s.active }), onSuccess: refresh, onError: (err) => notifyError(err) });
  const setTarget = useMutation({
    mutationFn: (v: typeof targetForm.values) => api<Target>('/api/training/targets', { method: 'PUT', body: { ...v, departmentId: v.departmentId || null, title: v.title || null } }),
    onSuccess: () => {
      targetForm.reset();
      refresh();
      notifySuccess('Target set');
    },
    onError: (err) => applyServerErrors(targetForm, err),
  });
  const removeTarget = useMutation({ mutationFn: (id: string) => del(`/api/training/targets/${id}`), onSuccess: refresh, onError: (err) => notifyError(err) });

  if (skills.isPending || targets.isPending) return <PageLoader />;
  if (skills.isError) return <QueryError error={skills.error} retry={() => void skills.refetch()} />;
  if (targets.isError) return <QueryError error={targets.error} retry={() => void targets.refetch()} />;

  return (
    <>
      <PageHeader title="Skills catalogue" description="LP skills for IT people, IT skills for LP people, and shared ones; with the level each department or job title should reach." />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Card padding="lg">
            <Title order={4} mb="sm">
              Skills
            </Title>
            <Table.ScrollContainer minWidth={460}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Skill</Table.Th>
                    <Table.Th>For</Table.Th>
                    <Table.Th>Active</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {skills.data.items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>
                        <Text fw={500}>{s.name}</Text>
                        <Text size="xs" c="dimmed">
                          {s.code} · {s.description}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={s.track === 'lp' ? 'orange' : s.track === 'it' ? 'blue' : 'grape'}>
                          {SKILL_TRACK_LABELS[s.track]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Switch aria-label={`${s.name} active`} checked={s.active} onChange={() => toggle.mutate(s)} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <form onSubmit={skillForm.onSubmit((v) => addSkill.mutate(v))}>
              <Title order={5} mt="lg" mb="xs">
                Add a skill
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label="Code" required placeholder="RFID" {...skillForm.getInputProps('code')} />
                <TextInput label="Name" required placeholder="RFID and EAS tags" {...skillForm.getInputProps('name')} />
                <Select label="For" allowDeselect={false} data={SKILL_TRACKS.map((t) => ({ value: t, label: SKILL_TRACK_LABELS[t] }))} {...skillForm.getInputProps('track')} />
                <NumberInput label="Order" min={0} max={999} {...skillForm.getInputProps('sortOrder')} />
              </SimpleGrid>
              <TextInput mt="sm" label="Description" {...skillForm.getInputProps('description')} />
              <Group justify="flex-end" mt="sm">
                <Button type="submit" loading={addSkill.isPending}>
                  Add skill
                </Button>
              </Group>
            </form>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Card padding="lg">
            <Title order={4} mb="sm">
              Targets
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              The most specific target applies: department and title, then title, then department, then everyone.
            </Text>
            <Stack gap={6}>
              {targets.data.items.map((t) => (
                <Group key={t.id} justify="space-between" wrap="nowrap">
                  <Text size="sm">
                    <b>{t.skillName}</b> — {t.departmentName ?? 'every department'}
                    {t.title ? `, ${t.title}` : ''}
                  </Text>
                  <Group gap="xs" wrap="nowrap">
                    <Badge>{t.level}</Badge>
                    <ActionIcon variant="subtle" color="red" aria-label={`Remove target ${t.skillName} ${t.departmentName ?? ''} ${t.title ?? ''}`} onClick={() => removeTarget.mutate(t.id)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Group>
              ))}
            </Stack>
            <form onSubmit={targetForm.onSubmit((v) => setTarget.mutate(v))}>
              <Title order={5} mt="lg" mb="xs">
                Set a target
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select label="Skill" required searchable data={skills.data.items.map((s) => ({ value: s.id, label: s.name }))} {...targetForm.getInputProps('skillId')} />
                <Select label="Department" placeholder="Every department" clearable data={departmentOptions(departments.data)} {...targetForm.getInputProps('departmentId')} />
                <TextInput label="Job title" placeholder="Any title" {...targetForm.getInputProps('title')} />
                <NumberInput label="Level" min={1} max={4} {...targetForm.getInputProps('level')} />
              </SimpleGrid>
              <Group justify="flex-end" mt="sm">
                <Button type="submit" loading={setTarget.isPending}>
                  Set target
                </Button>
              </Group>
            </form>
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
