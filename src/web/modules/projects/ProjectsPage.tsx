import { Button, Group, Modal, MultiSelect, NumberInput, Paper, Progress, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconListCheck, IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { PROJECT_STAGE_LABELS, PROJECT_STAGES, PROJECT_TYPE_LABELS, PROJECT_TYPES, type Project, type ProjectDetail, type ProjectType } from '../../../contracts/projects';
import { post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatMoney, fromNow } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import type { validateProjectsSearch } from './search';
import { StageBadge } from './shared';

type SortKey = 'number' | 'updatedAt' | 'title' | 'stage';


export function ProjectsPage({ search }: { search: ReturnType<typeof validateProjectsSearch> }) {
  const canPropose = useCan('projects:propose');
  const canEditTemplates = useCan('projects:templates');
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [stage, setStage] = useState<string | null>(search.atGate === 'true' ? 'at_gate' : null);
  const [type, setType] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState<SortKey>>({ sort: 'number', order: 'desc' });
  const [adding, setAdding] = useState(false);
  const filters = { q: debouncedQ.trim(), stage: stage === 'at_gate' ? null : stage, atGate: stage === 'at_gate' ? true : null, type };
  const list = useCursorList<Project>('/api/projects', { ...filters, ...sort });

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;

  return (
    <>
      <PageHeader
        title="Projects"
        description="LP technology projects on one road through IT's gates: security review, capacity review, budget approval, pilot and roll-out."
        actions={
          <>
            <ExportButton path="/api/projects/export" filters={{ ...filters, ...sort }} />
            {canEditTemplates && (
              <Button variant="default" component={Link} to="/projects/templates" leftSection={<IconListCheck size={16} />}>
                Gate checklists
              </Button>
            )}
            {canPropose && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
                Propose a project
              </Button>
            )}
          </>
        }
      />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 3 }}>
          <SearchInput placeholder="Title, description or PRJ-4" value={q} onChange={setQ} />
          <Select
            label="Stage"
            placeholder="All stages"
            clearable
            data={[{ value: 'at_gate', label: 'Waiting at a gate' }, ...PROJECT_STAGES.map((s) => ({ value: s, label: PROJECT_STAGE_LABELS[s] }))]}
            value={stage}
            onChange={setStage}
          />
          <Select label="Type" placeholder="All types" clearable data={PROJECT_TYPES.map((t) => ({ value: t, label: PROJECT_TYPE_LABELS[t] }))} value={type} onChange={setType} />
        </FilterGrid>
      </FilterPanel>
      <Paper>
        <Table.ScrollContainer minWidth={860}>
          <Table data-testid="projects-table" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <SortableTh field="number" state={sort} onChange={setSort}>
                  Ref
                </SortableTh>
                <SortableTh field="title" state={sort} onChange={setSort}>
                  Project
                </SortableTh>
                <SortableTh field="stage" state={sort} onChange={setSort}>
                  Stage
                </SortableTh>
                <Table.Th>Roll-out</Table.Th>
                <Table.Th>Estimate</Table.Th>
                <SortableTh field="updatedAt" state={sort} onChange={setSort}>
                  Updated
                </SortableTh>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={6}>No projects match these filters.</EmptyRow>}
              {list.items.map((p) => (
                <Table.Tr key={p.id} style={{ cursor: 'pointer' }} onClick={() => void navigate({ to: '/projects/$ref', params: { ref: p.ref } })}>
                  <Table.Td ff="monospace">{p.ref}</Table.Td>
                  <Table.Td>
                    <AnchorLink to="/projects/$ref" params={{ ref: p.ref }} fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
                      {p.title}
                    </AnchorLink>
                    <Text size="xs" c="dimmed">
                      {PROJECT_TYPE_LABELS[p.type]} · {p.ownerName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StageBadge stage={p.stage} />
                    <Text size="xs" c="dimmed">
                      since {fromNow(p.stageSince)}
                    </Text>
                  </Table.Td>
                  <Table.Td miw={140}>
                    {p.storesTotal > 0 ? (
                      <>
                        <Text size="xs">
                          {p.storesDone} / {p.storesTotal} stores
                        </Text>
                        <Progress value={(p.storesDone / p.storesTotal) * 100} size="sm" aria-label={`${p.storesDone} of ${p.storesTotal} stores done`} />
                      </>
                    ) : (
                      <Text size="xs" c="dimmed">
                        No stores yet
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{p.estimatedCostCents != null ? formatMoney(p.estimatedCostCents) : '—'}</Table.Td>
                  <Table.Td>{fromNow(p.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter list={list} noun="projects" />
      <ProposeModal opened={adding} onClose={() => setAdding(false)} />
    </>
  );
}

function ProposeModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const stores = useStores();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { title: '', description: '', type: 'camera_rollout' as ProjectType, estimatedCost: '' as number | string, targetDate: '', storeIds: [] as string[] },
  });
  const mutation = useMutation({
    mutationFn: (v: typeof form.values) =>
      post<ProjectDetail>('/api/projects', {
        title: v.title,
        description: v.description,
        type: v.type,
        estimatedCostCents: v.estimatedCost === '' ? null : Math.round(Number(v.estimatedCost) * 100),
        targetDate: v.targetDate || null,
        storeIds: v.storeIds,
      }),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/projects'] });
      notifySuccess(`${p.ref} proposed`);
      onClose();
      form.reset();
      void navigate({ to: '/projects/$ref', params: { ref: p.ref } });
    },
    onError: (err) => applyServerErrors(form, err, { estimatedCostCents: 'estimatedCost' }),
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Propose a project" size="lg">
      <form onSubmit={form.onSubmit((v) => mutation.mutate(v))}>
        <Stack>
          <TextInput label="Title" required placeholder="IP camera roll-out, 120 stores" {...form.getInputProps('title')} />
          <Select label="Type" required data={PROJECT_TYPES.map((t) => ({ value: t, label: PROJECT_TYPE_LABELS[t] }))} {...form.getInputProps('type')} allowDeselect={false} />
          <Textarea label="What and why" autosize minRows={3} {...form.getInputProps('description')} />
          <Group grow align="flex-start">
            <NumberInput label="Estimated cost (USD)" min={0} thousandSeparator="," {...form.getInputProps('estimatedCost')} />
            <TextInput label="Target date" type="date" {...form.getInputProps('targetDate')} />
          </Group>
          <MultiSelect label="Stores" placeholder="Stores it rolls out to" searchable clearable data={storeOptions(stores.data)} {...form.getInputProps('storeIds')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Propose
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
