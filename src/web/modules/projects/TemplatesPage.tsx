import { ActionIcon, Alert, Button, Card, Group, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowDown, IconArrowUp, IconInfoCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { GATES, PROJECT_STAGE_LABELS, PROJECT_TYPE_LABELS, PROJECT_TYPES, SIDE_LABELS, stageName, type Gate, type ProjectType, type templateList } from '../../../contracts/projects';
import type { Page } from '../../../contracts/list';
import { api, get } from '../../api';
import { formatDateTime } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { useCan } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { PageHeader } from '../../ui/PageHeader';
import { ForbiddenState, PageLoader, QueryError } from '../../ui/StatusPages';

type Template = z.infer<typeof templateList>['items'][number];
const MAX_ITEMS = 30;
const templatesKey = ['/api/project-templates'];

/** Admins edit the checklist each gate starts with, per project type; new projects copy it. */
export function TemplatesPage() {
  const allowed = useCan('projects:templates');
  const [type, setType] = useState<ProjectType>('camera_rollout');
  const templates = useQuery({ queryKey: templatesKey, queryFn: ({ signal }) => get<{ items: Template[] }>('/api/project-templates', undefined, signal), enabled: allowed });
  const projects = useQuery({ queryKey: ['/api/projects', 'count'], queryFn: ({ signal }) => get<Page<unknown>>('/api/projects', { limit: 1 }, signal), enabled: allowed });
  if (!allowed) return <ForbiddenState />;
  if (templates.isPending) return <PageLoader />;
  if (templates.isError) return <QueryError error={templates.error} retry={() => void templates.refetch()} />;
  const proposed = projects.data?.total;

  return (
    <>
      <Stack gap="xs">
        <PageBreadcrumbs to="/projects" label="Projects" current="Gate checklists" />
        <PageHeader title="Gate checklists" description="The checklist each gate starts with, per project type. The project team ticks the items on the project page before the leads sign the gate." />
      </Stack>
      <Stack gap="lg">
        <Alert color="blue" variant="light" icon={<IconInfoCircle />} title="Changes apply to new projects" data-testid="templates-scope">
          A project copies the checklists of its type when it is proposed and keeps that copy. Saving here changes the checklists of projects proposed from now on; {proposed === undefined ? 'the projects' : `the ${proposed} project${proposed === 1 ? '' : 's'}`} already proposed keep
          theirs, ticks included, even when stopped and restarted.
        </Alert>
        <Select
          label="Project type"
          w={{ base: '100%', xs: 320 }}
          allowDeselect={false}
          data={PROJECT_TYPES.map((t) => ({ value: t, label: PROJECT_TYPE_LABELS[t] }))}
          value={type}
          onChange={(v) => v && setType(v as ProjectType)}
        />
        {GATES.map((gate) => {
          const t = templates.data.items.find((x) => x.type === type && x.gate === gate)!;
          return <GateTemplate key={`${type}-${gate}-${t.updatedAt ?? 'standard'}`} template={t} />;
        })}
      </Stack>
    </>
  );
}

function GateTemplate({ template }: { template: Template }) {
  const queryClient = useQueryClient();
  const gate: Gate = template.gate;
  const form = useForm({ initialValues: { items: template.items } });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => api<Template>('/api/project-templates', { method: 'PUT', body: { type: template.type, gate, items: v.items } }),
    onSuccess: (saved) => {
      queryClient.setQueryData<{ items: Template[] }>(templatesKey, (old) => old && { items: old.items.map((x) => (x.type === saved.type && x.gate === saved.gate ? saved : x)) });
      notifySuccess(`Saved the ${stageName(gate)} checklist for ${PROJECT_TYPE_LABELS[saved.type].toLowerCase()} projects (${saved.items.length} items). Projects proposed from now on start with it.`);
    },
    onError: (err) => applyServerErrors(form, err),
  });
  const items = form.values.items;
  const label = PROJECT_STAGE_LABELS[gate];

  return (
    <Card padding="lg" data-testid={`template-${gate}`}>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Group justify="space-between" align="flex-start" mb="sm" gap="xs">
          <div>
            <Title order={2} size="h4">
              {label}
            </Title>
            <Text size="xs" c="dimmed">
              Signed by an {SIDE_LABELS[gate].lp} and an {SIDE_LABELS[gate].it} · {template.updatedAt ? `last changed ${formatDateTime(template.updatedAt)}` : 'the standard checklist, never changed'}
            </Text>
          </div>
        </Group>
        <Stack gap={6}>
          {items.map((_, i) => (
            <Group key={i} gap={6} wrap="nowrap" align="flex-start">
              <Text size="sm" c="dimmed" w={22} ta="right" mt={7} aria-hidden>
                {i + 1}.
              </Text>
              {/* One line of text that wraps on narrow screens: Enter and pasted line breaks do not split an item. */}
              <Textarea
                aria-label={`${label}, item ${i + 1}`}
                style={{ flex: 1, minWidth: 0 }}
                autosize
                minRows={1}
                maxLength={300}
                {...form.getInputProps(`items.${i}`)}
                onChange={(e) => form.setFieldValue(`items.${i}`, e.currentTarget.value.replace(/\s*[\r\n]+\s*/g, ' '))}
                onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()}
              />
              <Group gap={0} wrap="nowrap" mt={4}>
                <ActionIcon variant="subtle" color="gray" aria-label={`Move item ${i + 1} up`} disabled={i === 0} onClick={() => form.reorderListItem('items', { from: i, to: i - 1 })}>
                  <IconArrowUp size={16} />
                </ActionIcon>
                <ActionIcon variant="subtle" color="gray" aria-label={`Move item ${i + 1} down`} disabled={i === items.length - 1} onClick={() => form.reorderListItem('items', { from: i, to: i + 1 })}>
                  <IconArrowDown size={16} />
                </ActionIcon>
                <ActionIcon variant="subtle" color="red" aria-label={`Remove item ${i + 1}`} disabled={items.length === 1} onClick={() => form.removeListItem('items', i)}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Group>
          ))}
          {typeof form.errors.items === 'string' && (
            <Text size="sm" c="red">
              {form.errors.items}
            </Text>
          )}
        </Stack>
        <Group justify="space-between" mt="md" gap="xs">
          <Button variant="subtle" size="sm" leftSection={<IconPlus size={14} />} disabled={items.length >= MAX_ITEMS} onClick={() => form.insertListItem('items', '')}>
            {items.length >= MAX_ITEMS ? `${MAX_ITEMS} items at most` : 'Add an item'}
          </Button>
          <Group gap="xs">
            {form.isDirty() && (
              <Button variant="default" onClick={() => form.reset()}>
                Discard changes
              </Button>
            )}
            <Button type="submit" disabled={!form.isDirty()} loading={save.isPending}>
              Save checklist
            </Button>
          </Group>
        </Group>
      </form>
    </Card>
  );
}
