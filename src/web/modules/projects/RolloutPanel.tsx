import { ActionIcon, Badge, Button, Checkbox, Group, Menu, Modal, MultiSelect, Paper, Progress, Stack, Table, Text, TextInput, Timeline, Title, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconDots, IconPencil, IconPlayerPlay, IconPlus, IconRotate, IconTrash } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { ProjectDetail, StoreRolloutStatus } from '../../../contracts/projects';
import { api, isApiError } from '../../api';
import { ConfirmModal, type ConfirmRequest } from '../../ui/ConfirmModal';
import { LineChart } from '../../ui/charts';
import { formatDate } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { storeOptions, useStores } from '../../ui/lookups';
import { notifyError, notifySuccess } from '../../ui/notify';

type Milestone = ProjectDetail['milestones'][number];
type ProjectStore = ProjectDetail['stores'][number];
type MilestoneItem = { id?: string; title: string; dueDate: string; doneOn: string | null };
type StoreItem = { storeId: string; status: StoreRolloutStatus; doneOn: string | null };

const STATUS_LABELS: Record<StoreRolloutStatus, string> = { planned: 'Planned', in_progress: 'In progress', done: 'Done' };
const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
/** Today on the reader's calendar (YYYY-MM-DD). */
const localToday = () => dayjs().format('YYYY-MM-DD');

const milestoneItems = (p: ProjectDetail): MilestoneItem[] => p.milestones.map((m) => ({ id: m.id, title: m.title, dueDate: m.dueDate, doneOn: m.doneOn }));
const storeItems = (p: ProjectDetail): StoreItem[] => p.stores.map((s) => ({ storeId: s.storeId, status: s.status, doneOn: s.doneOn }));

const putMilestones = (p: ProjectDetail, items: MilestoneItem[]) => api<ProjectDetail>(`/api/projects/${p.ref}/milestones`, { method: 'PUT', body: { items } });
const putStores = (p: ProjectDetail, items: StoreItem[]) => api<ProjectDetail>(`/api/projects/${p.ref}/stores`, { method: 'PUT', body: { items } });

/** Stores done over time (cumulative) with the milestones, and the per-store list; editable by the project team. */
export function RolloutPanel({ project, onChange }: { project: ProjectDetail; onChange: (d: ProjectDetail) => void }) {
  const days = [...new Set([...project.stores.filter((s) => s.doneOn).map((s) => s.doneOn!), ...project.milestones.map((m) => m.dueDate)])].sort();
  const data = days.map((day) => ({ day: formatDate(day), stores: project.stores.filter((s) => s.doneOn && s.doneOn <= day).length }));
  const pct = project.storesTotal ? Math.round((project.storesDone / project.storesTotal) * 100) : 0;
  return (
    <Paper p="md">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          Roll-out and milestones
        </Title>
        <Text size="sm" fw={600} data-testid="rollout-progress">
          {project.storesDone} / {project.storesTotal} stores done
        </Text>
      </Group>
      <Progress value={pct} size="lg" mb="md" aria-label={`${pct} % of stores done`} />
      {data.length > 1 && (
        <LineChart
          h={200}
          data={data}
          dataKey="day"
          series={[{ name: 'stores', label: 'Stores done', color: 'indigo.6' }]}
          curveType="stepAfter"
          yAxisProps={{ domain: [0, Math.max(1, project.storesTotal)], allowDecimals: false }}
          referenceLines={project.milestones.map((m, i) => {
            // Neighbouring lines take turns at the bottom and the top; labels in the right half read leftwards, so they stay inside.
            const right = days.indexOf(m.dueDate) > days.length / 2;
            return { x: formatDate(m.dueDate), label: shorten(m.title, 18), labelPosition: `inside${i % 2 ? 'Top' : 'Bottom'}${right ? 'Right' : 'Left'}` as const, color: m.doneOn ? 'teal.6' : 'gray.6' };
          })}
          label={`Stores done over time: ${project.storesDone} of ${project.storesTotal} by ${data[data.length - 1]!.day}${project.milestones.length ? `; milestones ${project.milestones.map((m) => `${m.title} due ${formatDate(m.dueDate)}${m.doneOn ? ', done' : ''}`).join(', ')}` : ''}`}
        />
      )}
      <Milestones project={project} onChange={onChange} />
      <Stores project={project} onChange={onChange} />
    </Paper>
  );
}

// ------------------------------------------------------------------ milestones

function Milestones({ project, onChange }: { project: ProjectDetail; onChange: (d: ProjectDetail) => void }) {
  const edit = project.can.edit;
  /** The milestone being edited: its index, or the list's length for a new one; `reach` opens it marked reached today. */
  const [editing, setEditing] = useState<{ index: number; reach?: boolean } | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const save = useMutation({
    mutationFn: (items: MilestoneItem[]) => putMilestones(project, items),
    onSuccess: (d) => {
      onChange(d);
      setConfirm(null);
    },
    onError: (err) => notifyError(err),
  });
  const without = (i: number) => milestoneItems(project).filter((_, j) => j !== i);
  const withDone = (i: number, doneOn: string | null) => milestoneItems(project).map((m, j) => (j === i ? { ...m, doneOn } : m));

  return (
    <Stack gap="xs" mt="md" data-testid="milestones">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          Milestones
        </Text>
        {edit && (
          <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setEditing({ index: project.milestones.length })}>
            Add a milestone
          </Button>
        )}
      </Group>
      {project.milestones.length === 0 ? (
        <Text size="sm" c="dimmed">
          No milestones yet.{edit ? ' Add the dates the project team works to.' : ''}
        </Text>
      ) : (
        <Timeline active={project.milestones.filter((m) => m.doneOn).length - 1} bulletSize={14} lineWidth={2}>
          {project.milestones.map((m, i) => (
            <Timeline.Item
              key={m.id}
              bullet={m.doneOn ? <IconCheck size={10} /> : undefined}
              color={m.doneOn ? 'teal' : 'gray'}
              title={
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={500} style={{ minWidth: 0, wordBreak: 'break-word' }}>
                    {m.title}
                  </Text>
                  {edit && (
                    <Menu position="bottom-end" shadow="md">
                      <Menu.Target>
                        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Change milestone ${m.title}`}>
                          <IconDots size={16} />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {m.doneOn ? (
                          <Menu.Item leftSection={<IconRotate size={16} />} onClick={() => save.mutate(withDone(i, null))}>
                            Mark not reached
                          </Menu.Item>
                        ) : (
                          <Menu.Item leftSection={<IconCheck size={16} />} onClick={() => setEditing({ index: i, reach: true })}>
                            Mark reached…
                          </Menu.Item>
                        )}
                        <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setEditing({ index: i })}>
                          Edit…
                        </Menu.Item>
                        <Menu.Item
                          color="red"
                          leftSection={<IconTrash size={16} />}
                          onClick={() => setConfirm({ title: 'Remove the milestone', message: `Remove “${m.title}” from ${project.ref}?`, confirmLabel: 'Remove', onConfirm: () => save.mutate(without(i)) })}
                        >
                          Remove
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  )}
                </Group>
              }
            >
              <Text size="xs" c="dimmed">
                {m.doneOn ? `Reached ${formatDate(m.doneOn)}${m.doneOn !== m.dueDate ? ` · due ${formatDate(m.dueDate)}` : ''}` : `Due ${formatDate(m.dueDate)}`}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {editing && <MilestoneModal project={project} index={editing.index} reach={editing.reach} onClose={() => setEditing(null)} onChange={onChange} />}
      <ConfirmModal request={confirm} onClose={() => setConfirm(null)} loading={save.isPending} />
    </Stack>
  );
}

function MilestoneModal({ project, index, reach, onClose, onChange }: { project: ProjectDetail; index: number; reach?: boolean; onClose: () => void; onChange: (d: ProjectDetail) => void }) {
  const existing: Milestone | undefined = project.milestones[index];
  const form = useForm({
    initialValues: {
      title: existing?.title ?? '',
      dueDate: existing?.dueDate ?? '',
      reached: reach || !!existing?.doneOn,
      doneOn: existing?.doneOn ?? (reach ? localToday() : ''),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const items = milestoneItems(project);
      const item: MilestoneItem = { id: existing?.id, title: v.title, dueDate: v.dueDate, doneOn: v.reached ? v.doneOn : null };
      if (existing) items[index] = item;
      else items.push(item);
      return putMilestones(project, items);
    },
    onSuccess: (d) => {
      onChange(d);
      notifySuccess(existing ? 'Milestone saved' : 'Milestone added');
      onClose();
    },
    // The server names the milestone by its place in the list: items.<index>.<field>.
    onError: (err) => applyServerErrors(form, err, { [`items.${index}.title`]: 'title', [`items.${index}.dueDate`]: 'dueDate', [`items.${index}.doneOn`]: 'doneOn' }),
  });
  return (
    <Modal opened onClose={onClose} title={existing ? 'Edit milestone' : 'New milestone'}>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <TextInput label="Milestone" description="What is done by the due date: pilot live, first region live, all stores live." required data-autofocus={!reach} {...form.getInputProps('title')} />
          <TextInput label="Due date" type="date" required {...form.getInputProps('dueDate')} />
          <Checkbox
            label="Reached"
            {...form.getInputProps('reached', { type: 'checkbox' })}
            onChange={(e) => {
              const checked = e.currentTarget.checked;
              form.setFieldValue('reached', checked);
              if (checked && !form.values.doneOn) form.setFieldValue('doneOn', localToday());
            }}
          />
          {form.values.reached && <TextInput label="Reached on" type="date" required data-autofocus={reach} {...form.getInputProps('doneOn')} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {existing ? 'Save' : 'Add milestone'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// ------------------------------------------------------------------ stores

function Stores({ project, onChange }: { project: ProjectDetail; onChange: (d: ProjectDetail) => void }) {
  const edit = project.can.edit;
  const [doneFor, setDoneFor] = useState<number | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const save = useMutation({
    mutationFn: (v: { items: StoreItem[]; message?: string }) => putStores(project, v.items),
    onSuccess: (d, v) => {
      onChange(d);
      setConfirm(null);
      if (v.message) notifySuccess(v.message);
    },
    onError: (err) => notifyError(err),
  });
  const withStatus = (i: number, status: StoreRolloutStatus) => storeItems(project).map((s, j) => (j === i ? { ...s, status, doneOn: null } : s));
  const label = (s: ProjectStore) => `${s.storeCode} ${s.storeName}`;

  return (
    <Stack gap="xs" mt="lg" data-testid="rollout-stores">
      <Text size="sm" fw={600}>
        Stores
      </Text>
      {edit && <AddStores project={project} onChange={onChange} />}
      {project.stores.length === 0 ? (
        <Text size="sm" c="dimmed">
          No stores on this project yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Store</Table.Th>
                <Table.Th>Status</Table.Th>
                {edit && (
                  <Table.Th w={1}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {project.stores.map((s, i) => (
                <Table.Tr key={s.storeId} data-testid={`rollout-store-${s.storeCode}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {s.storeCode}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {s.storeName}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge variant="light" color={s.status === 'done' ? 'teal' : s.status === 'in_progress' ? 'blue' : 'gray'}>
                      {STATUS_LABELS[s.status]}
                    </Badge>
                    {s.doneOn && (
                      <Text size="xs" c="dimmed">
                        {formatDate(s.doneOn)}
                      </Text>
                    )}
                  </Table.Td>
                  {edit && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        {s.status !== 'done' && (
                          <Button size="compact-xs" variant="light" color="teal" aria-label={`Mark done: ${s.storeCode}`} onClick={() => setDoneFor(i)}>
                            Mark done
                          </Button>
                        )}
                        <Menu position="bottom-end" shadow="md">
                          <Menu.Target>
                            <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Change ${s.storeCode} on this project`}>
                              <IconDots size={16} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            {s.status === 'done' && (
                              <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setDoneFor(i)}>
                                Change the done date…
                              </Menu.Item>
                            )}
                            {s.status !== 'in_progress' && (
                              <Menu.Item leftSection={<IconPlayerPlay size={16} />} onClick={() => save.mutate({ items: withStatus(i, 'in_progress'), message: `${s.storeCode} is in progress` })}>
                                Mark in progress
                              </Menu.Item>
                            )}
                            {s.status !== 'planned' && (
                              <Menu.Item leftSection={<IconRotate size={16} />} onClick={() => save.mutate({ items: withStatus(i, 'planned'), message: `${s.storeCode} is back to planned` })}>
                                Back to planned
                              </Menu.Item>
                            )}
                            <Menu.Item
                              color="red"
                              leftSection={<IconTrash size={16} />}
                              onClick={() =>
                                setConfirm({
                                  title: `Remove ${s.storeCode}`,
                                  message: `Remove ${label(s)} from ${project.ref}? Its roll-out status${s.doneOn ? ` (done ${formatDate(s.doneOn)})` : ''} is dropped.`,
                                  confirmLabel: 'Remove store',
                                  onConfirm: () => save.mutate({ items: storeItems(project).filter((_, j) => j !== i), message: `${s.storeCode} removed from ${project.ref}` }),
                                })
                              }
                            >
                              Remove from project
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {doneFor !== null && project.stores[doneFor] && <StoreDoneModal project={project} index={doneFor} onClose={() => setDoneFor(null)} onChange={onChange} />}
      <ConfirmModal request={confirm} onClose={() => setConfirm(null)} loading={save.isPending} />
    </Stack>
  );
}

function AddStores({ project, onChange }: { project: ProjectDetail; onChange: (d: ProjectDetail) => void }) {
  const stores = useStores();
  const [storeIds, setStoreIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const onProject = new Set(project.stores.map((s) => s.storeId));
  const add = useMutation({
    mutationFn: () => putStores(project, [...storeItems(project), ...storeIds.map((storeId) => ({ storeId, status: 'planned' as const, doneOn: null }))]),
    onSuccess: (d) => {
      onChange(d);
      notifySuccess(`${storeIds.length} store${storeIds.length === 1 ? '' : 's'} added to ${d.ref}`);
      setStoreIds([]);
      setError(null);
    },
    onError: (err) => {
      // The added stores follow the project's own in the list the server checked.
      const problem = isApiError(err) ? err.problems.find((p) => Number(p.field?.match(/^items\.(\d+)\./)?.[1] ?? -1) >= project.stores.length) : undefined;
      if (problem) setError(problem.message[0].toUpperCase() + problem.message.slice(1));
      else notifyError(err);
    },
  });
  return (
    <Group align="flex-start" gap="xs" wrap="nowrap">
      <MultiSelect
        aria-label="Stores to add"
        placeholder={onProject.size ? 'Add stores' : 'Stores it rolls out to'}
        searchable
        clearable
        hidePickedOptions
        style={{ flex: 1, minWidth: 0 }}
        data={storeOptions(stores.data).filter((o) => !onProject.has(o.value))}
        value={storeIds}
        onChange={(v) => {
          setStoreIds(v);
          setError(null);
        }}
        error={error}
        nothingFoundMessage="No store by that name or code"
      />
      <Button leftSection={<IconPlus size={16} />} disabled={!storeIds.length} loading={add.isPending} onClick={() => add.mutate()}>
        Add
      </Button>
    </Group>
  );
}

function StoreDoneModal({ project, index, onClose, onChange }: { project: ProjectDetail; index: number; onClose: () => void; onChange: (d: ProjectDetail) => void }) {
  const store = project.stores[index];
  const form = useForm({ initialValues: { doneOn: store.doneOn ?? localToday() } });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => putStores(project, storeItems(project).map((s, j) => (j === index ? { ...s, status: 'done' as const, doneOn: v.doneOn } : s))),
    onSuccess: (d) => {
      onChange(d);
      notifySuccess(`${store.storeCode} done · ${d.storesDone} / ${d.storesTotal} stores`);
      onClose();
    },
    onError: (err) => applyServerErrors(form, err, { [`items.${index}.doneOn`]: 'doneOn' }),
  });
  return (
    <Modal opened onClose={onClose} title={`${store.storeCode} ${store.storeName}: done`}>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <TextInput label="Done on" description="The day the store went live with the project." type="date" required data-autofocus {...form.getInputProps('doneOn')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="teal" loading={save.isPending}>
              Mark done
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
