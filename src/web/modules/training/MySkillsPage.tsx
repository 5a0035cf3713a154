import { ActionIcon, Alert, Badge, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SKILL_TRACK_LABELS, type Certification, type MySkills } from '../../../contracts/training';
import { del, get, post, api } from '../../api';
import { formatDate } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { levelLabel, levelOptions, TrainingTabs } from './shared';

export function MySkillsPage() {
  const queryClient = useQueryClient();
  const canRate = useCan('training:rate');
  const mine = useQuery({ queryKey: ['/api/training/me'], queryFn: ({ signal }) => get<MySkills>('/api/training/me', undefined, signal) });
  const rate = useMutation({
    mutationFn: (v: { skillId: string; level: number }) => api<MySkills>('/api/training/me/ratings', { method: 'PUT', body: v }),
    onSuccess: (data) => {
      queryClient.setQueryData(['/api/training/me'], data);
      notifySuccess('Saved. Your lead will confirm it.');
    },
    onError: (err) => notifyError(err),
  });

  if (mine.isPending) return <PageLoader />;
  if (mine.isError) return <QueryError error={mine.error} retry={() => void mine.refetch()} />;
  const data = mine.data;

  return (
    <>
      <PageHeader title="Cross-training" description="Rate yourself on each skill (0 not trained … 4 can teach); a lead of your department confirms or adjusts it." />
      <TrainingTabs />
      {!data.inMatrix && (
        <Alert icon={<IconInfoCircle />} mb="md" color="blue">
          Your department is not part of the LP and IT skills matrix; your ratings are kept but do not appear on the heatmap.
        </Alert>
      )}
      <Card padding="lg" mb="lg">
        <Title order={4} mb="sm">
          My skills
        </Title>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" data-testid="my-skills">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Skill</Table.Th>
                <Table.Th>My rating</Table.Th>
                <Table.Th>Confirmed</Table.Th>
                <Table.Th>Target</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.skills.map((s) => (
                <Table.Tr key={s.id} data-testid={`skill-${s.code}`}>
                  <Table.Td>
                    <Text fw={500}>{s.name}</Text>
                    <Text size="xs" c="dimmed">
                      {SKILL_TRACK_LABELS[s.track]}
                    </Text>
                  </Table.Td>
                  <Table.Td w={220}>
                    <Select
                      aria-label={`My level in ${s.name}`}
                      placeholder="Rate yourself"
                      data={levelOptions}
                      value={s.selfLevel === null ? null : String(s.selfLevel)}
                      disabled={!canRate || rate.isPending}
                      allowDeselect={false}
                      onChange={(v) => v !== null && rate.mutate({ skillId: s.id, level: Number(v) })}
                    />
                  </Table.Td>
                  <Table.Td>
                    {s.status === 'pending' ? (
                      <Badge color="yellow" variant="light">
                        Awaiting lead
                      </Badge>
                    ) : s.status === 'confirmed' ? (
                      <Tooltip label={s.note ? `${s.confirmedBy}: ${s.note}` : `Confirmed by ${s.confirmedBy ?? 'a lead'}`} multiline w={260}>
                        <Badge color={s.confirmedLevel === s.selfLevel ? 'teal' : 'orange'} variant="light">
                          {levelLabel(s.confirmedLevel)}
                        </Badge>
                      </Tooltip>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{s.target === null ? '—' : s.target}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Certifications items={data.certifications} canEdit={canRate} />
    </>
  );
}

function Certifications({ items, canEdit }: { items: Certification[]; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const form = useForm({ initialValues: { name: '', issuer: '', issuedOn: '', expiresOn: '', remindDays: 60 } });
  const add = useMutation({
    mutationFn: (v: typeof form.values) => post<Certification>('/api/training/certifications', { ...v, issuedOn: v.issuedOn || null, expiresOn: v.expiresOn || null }),
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: ['/api/training/me'] });
      notifySuccess('Certification recorded');
    },
    onError: (err) => applyServerErrors(form, err),
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/training/certifications/${id}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['/api/training/me'] }),
    onError: (err) => notifyError(err),
  });
  return (
    <Card padding="lg">
      <Title order={4} mb="sm">
        Certifications
      </Title>
      <Stack gap="xs" mb="md">
        {items.length === 0 && (
          <Text size="sm" c="dimmed">
            No certifications recorded.
          </Text>
        )}
        {items.map((c) => (
          <Group key={c.id} justify="space-between" wrap="nowrap">
            <div>
              <Text fw={500}>{c.name}</Text>
              <Text size="xs" c="dimmed">
                {[c.issuer, c.expiresOn ? `expires ${formatDate(c.expiresOn)}` : 'does not expire'].filter(Boolean).join(' · ')}
              </Text>
            </div>
            <Group gap="xs" wrap="nowrap">
              {c.daysLeft !== null && c.daysLeft < 0 && <Badge color="red">Expired</Badge>}
              {c.daysLeft !== null && c.daysLeft >= 0 && c.daysLeft <= c.remindDays && <Badge color="orange">{c.daysLeft} days left</Badge>}
              {canEdit && (
                <ActionIcon variant="subtle" color="red" aria-label={`Remove ${c.name}`} onClick={() => remove.mutate(c.id)}>
                  <IconTrash size={16} />
                </ActionIcon>
              )}
            </Group>
          </Group>
        ))}
      </Stack>
      {canEdit && (
        <form onSubmit={form.onSubmit((v) => add.mutate(v))}>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
            <TextInput label="Certification" placeholder="CompTIA Security+" required {...form.getInputProps('name')} />
            <TextInput label="Issuer" placeholder="CompTIA" {...form.getInputProps('issuer')} />
            <TextInput label="Issued on" type="date" {...form.getInputProps('issuedOn')} />
            <TextInput label="Expires on" type="date" {...form.getInputProps('expiresOn')} />
            <NumberInput label="Remind days before" min={1} max={365} {...form.getInputProps('remindDays')} />
          </SimpleGrid>
          <Group justify="flex-end" mt="sm">
            <Button type="submit" loading={add.isPending}>
              Add certification
            </Button>
          </Group>
        </form>
      )}
    </Card>
  );
}
