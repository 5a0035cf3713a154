import { Button, Group, Modal, MultiSelect, NumberInput, Progress, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
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
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { StageBadge } from './shared';

type SortKey = 'number' | 'updatedAt' | 'title' | 'stage';

/** The projects list: stage (or "waiting at a gate"), type, q, sort and page live in the URL. */
export function ProjectsPage() {
  const canPropose = useCan('projects:propose');
  const canEditTemplates = useCan('projects:templates');
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const list = useUrlList<Project, SortKey>({ key: 'projects', path: '/api/projects', sort: { sort: 'number', order: 'desc' }, views: true });
  const q = useUrlText(list);
  const stage = list.params.atGate === 'true' ? 'at_gate' : (list.params.stage ?? null);

  return (
    <>
      <PageHeader
        title="Projects"
        description="LP technology projects on one road through IT's gates: security review, capacity review, budget approval, pilot and roll-out."
        actions={
          <>
            <ExportButton href={list.exportHref} />
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
        <Group mb="sm" justify="flex-end">
          <ListTools list={list} />
        </Group>
        <FilterGrid cols={{ base: 1, xs: 3 }}>
          <SearchInput placeholder="Title, description or PRJ-4" {...q} />
          <Select
            label="Stage"
            placeholder="All stages"
            clearable
            data={[{ value: 'at_gate', label: 'Waiting at a gate' }, ...PROJECT_STAGES.map((s) => ({ value: s, label: PROJECT_STAGE_LABELS[s] }))]}
            value={stage}
            onChange={(v) => list.set(v === 'at_gate' ? { atGate: true, stage: null } : { stage: v, atGate: null })}
          />
          <Select label="Type" placeholder="All types" clearable data={PROJECT_TYPES.map((t) => ({ value: t, label: PROJECT_TYPE_LABELS[t] }))} {...list.field('type')} />
        </FilterGrid>
      </FilterPanel>
      <ListTable
        list={list}
        testId="projects-table"
        minWidth={860}
        noun="projects"
        empty="No projects match these filters."
        onRowClick={(p) => void navigate({ to: '/projects/$ref', params: { ref: p.ref } })}
        columns={[
          { key: 'ref', header: 'Ref', sort: 'number', nowrap: true, cell: (p) => <Text ff="monospace" size="sm">{p.ref}</Text> },
          {
            key: 'title',
            header: 'Project',
            sort: 'title',
            cell: (p) => (
              <>
                <AnchorLink to="/projects/$ref" params={{ ref: p.ref }} fw={600} size="sm">
                  {p.title}
                </AnchorLink>
                <Text size="xs" c="dimmed">
                  {PROJECT_TYPE_LABELS[p.type]} · {p.ownerName}
                </Text>
              </>
            ),
          },
          {
            key: 'stage',
            header: 'Stage',
            sort: 'stage',
            cell: (p) => (
              <>
                <StageBadge stage={p.stage} />
                <Text size="xs" c="dimmed">
                  since {fromNow(p.stageSince)}
                </Text>
              </>
            ),
          },
          {
            key: 'rollout',
            header: 'Roll-out',
            cell: (p) =>
              p.storesTotal > 0 ? (
                <>
                  <Text size="xs">
                    {p.storesDone} / {p.storesTotal} stores
                  </Text>
                  <Progress value={(p.storesDone / p.storesTotal) * 100} size="sm" miw={120} aria-label={`${p.storesDone} of ${p.storesTotal} stores done`} />
                </>
              ) : (
                <Text size="xs" c="dimmed">
                  No stores yet
                </Text>
              ),
          },
          { key: 'estimate', header: 'Estimate', align: 'right', nowrap: true, cell: (p) => (p.estimatedCostCents != null ? formatMoney(p.estimatedCostCents) : '—') },
          { key: 'updatedAt', header: 'Updated', sort: 'updatedAt', nowrap: true, cell: (p) => fromNow(p.updatedAt) },
        ]}
      />
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
