import { ActionIcon, Badge, Code, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEntry } from '../../../contracts/admin';
import type { Person } from '../../../contracts/people';
import { getAll } from '../../api';
import { FilterGrid, FilterPanel } from '../../ui/filters';
import { formatDateTime } from '../../ui/format';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';

const ACTION_COLORS: Record<string, string> = { create: 'teal', update: 'blue', delete: 'red', deactivate: 'red', read: 'gray', sign_in: 'violet' };
const actionColor = (action: string) => ACTION_COLORS[action] ?? ACTION_COLORS[action.split(/[._:]/).pop() ?? ''] ?? 'indigo';

/** Top-level keys whose values differ between before and after. */
function changedKeys(before: unknown, after: unknown): string[] {
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return [];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <Stack gap={4} style={{ minWidth: 0 }}>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        {label}
      </Text>
      <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxHeight: 360, overflow: 'auto' }}>
        {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
      </Code>
    </Stack>
  );
}

export function AuditPage() {
  const canReadPeople = useCan('people:read');
  const list = useUrlList<AuditEntry, 'at'>({ key: 'audit', path: '/api/audit', sort: { sort: 'at', order: 'desc' } });
  const entity = useUrlText(list, 'entity');
  const action = useUrlText(list, 'action');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());

  const people = useQuery({
    queryKey: ['/api/people', 'all-for-audit'],
    queryFn: () => getAll<Person>('/api/people', { sort: 'name' }),
    enabled: canReadPeople,
    staleTime: 60_000,
  });

  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every change, and every read of a restricted record: who, when and what. Entries cannot be edited or removed."
        actions={<ExportButton href={list.exportHref} />}
      />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 2, md: 5 }}>
          <TextInput label="Entity" placeholder="e.g. person, store" value={entity.value} onChange={(e) => entity.onChange(e.currentTarget.value)} />
          <TextInput label="Action" placeholder="e.g. create, update" value={action.value} onChange={(e) => action.onChange(e.currentTarget.value)} />
          <Select label="Actor" placeholder="Anyone" clearable searchable data={(people.data ?? []).map((p) => ({ value: p.id, label: p.name }))} {...list.field('actorId')} />
          <TextInput label="From" type="date" value={list.params.from ?? ''} onChange={(e) => list.set({ from: e.currentTarget.value })} />
          <TextInput label="To" type="date" value={list.params.to ?? ''} onChange={(e) => list.set({ to: e.currentTarget.value })} />
        </FilterGrid>
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>
      <ListTable
        list={list}
        testId="audit-table"
        minWidth={820}
        noun="entries"
        empty="No audit entries match these filters."
        rowProps={(e) => ({ bg: expanded.has(e.id) ? 'var(--mantine-color-indigo-light)' : undefined })}
        onRowClick={(e) => toggle(e.id)}
        columns={[
          {
            key: 'toggle',
            header: null,
            label: 'Details',
            width: 40,
            cell: (e) => (
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                aria-expanded={expanded.has(e.id)}
                aria-label={expanded.has(e.id) ? 'Hide details' : 'Show details'}
                onClick={() => toggle(e.id)}
              >
                {expanded.has(e.id) ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
              </ActionIcon>
            ),
          },
          { key: 'at', header: 'When', sort: 'at', nowrap: true, cell: (e) => <Text size="sm">{formatDateTime(e.at)}</Text> },
          { key: 'who', header: 'Who', nowrap: true, cell: (e) => e.actorName },
          {
            key: 'action',
            header: 'Action',
            cell: (e) => (
              <Badge variant="light" color={actionColor(e.action)} size="sm">
                {e.action}
              </Badge>
            ),
          },
          { key: 'entity', header: 'Entity', cell: (e) => <Text size="sm">{e.entity}</Text> },
          { key: 'summary', header: 'Summary', cell: (e) => <Text size="sm">{e.summary}</Text> },
        ]}
        below={(e) => (expanded.has(e.id) ? <AuditDetails entry={e} /> : null)}
      />
    </>
  );
}

function AuditDetails({ entry: e }: { entry: AuditEntry }) {
  const changed = changedKeys(e.before, e.after);
  return (
    <Stack gap="sm" py="xs" data-testid="audit-details">
      <Group gap="lg">
        <Text size="xs" c="dimmed">
          Entry <Code>{e.id}</Code>
        </Text>
        {e.entityId && (
          <Text size="xs" c="dimmed">
            {e.entity} <Code>{e.entityId}</Code>
          </Text>
        )}
        {e.ip && (
          <Text size="xs" c="dimmed">
            From <Code>{e.ip}</Code>
          </Text>
        )}
        {changed.length > 0 && (
          <Group gap={4}>
            <Text size="xs" c="dimmed">
              Changed:
            </Text>
            {changed.map((k) => (
              <Badge key={k} size="xs" variant="outline">
                {k}
              </Badge>
            ))}
          </Group>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <JsonBlock label="Before" value={e.before} />
        <JsonBlock label="After" value={e.after} />
      </SimpleGrid>
    </Stack>
  );
}
