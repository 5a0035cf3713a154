import { ActionIcon, Badge, Code, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import type { AuditEntry } from '../../../contracts/admin';
import type { Person } from '../../../contracts/people';
import { getAll } from '../../api';
import { FilterGrid, FilterPanel } from '../../ui/filters';
import { formatDateTime } from '../../ui/format';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';

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
  const [entity, setEntity] = useState('');
  const [action, setAction] = useState('');
  const [actorId, setActorId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [sort, setSort] = useState<SortState<'at'>>({ sort: 'at', order: 'desc' });
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [debouncedEntity] = useDebouncedValue(entity, 300);
  const [debouncedAction] = useDebouncedValue(action, 300);

  const people = useQuery({
    queryKey: ['/api/people', 'all-for-audit'],
    queryFn: () => getAll<Person>('/api/people', { sort: 'name' }),
    enabled: canReadPeople,
    staleTime: 60_000,
  });

  const filters = { entity: debouncedEntity.trim(), action: debouncedAction.trim(), actorId, from, to };
  const list = useCursorList<AuditEntry>('/api/audit', { ...filters, order: sort.order });

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;

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
        actions={<ExportButton path="/api/audit/export" filters={{ ...filters, order: sort.order }} />}
      />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 2, md: 5 }}>
          <TextInput label="Entity" placeholder="e.g. person, store" value={entity} onChange={(e) => setEntity(e.currentTarget.value)} />
          <TextInput label="Action" placeholder="e.g. create, update" value={action} onChange={(e) => setAction(e.currentTarget.value)} />
          <Select
            label="Actor"
            placeholder="Anyone"
            clearable
            searchable
            data={(people.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={actorId}
            onChange={setActorId}
          />
          <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput label="To" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </FilterGrid>
      </FilterPanel>
      <Paper>
        <Table.ScrollContainer minWidth={820}>
          <Table data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40} aria-label="Details" />
                <SortableTh field="at" state={sort} onChange={setSort}>
                  When
                </SortableTh>
                <Table.Th>Who</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Entity</Table.Th>
                <Table.Th>Summary</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={6}>No audit entries match these filters.</EmptyRow>}
              {list.items.map((e) => {
                const open = expanded.has(e.id);
                const changed = changedKeys(e.before, e.after);
                return (
                  <Fragment key={e.id}>
                    <Table.Tr className="tandem-row-link" onClick={() => toggle(e.id)} bg={open ? 'var(--mantine-color-indigo-0)' : undefined}>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          size="sm"
                          aria-expanded={open}
                          aria-label={open ? 'Hide details' : 'Show details'}
                          onClick={(ev) => {
                            ev.stopPropagation();
                            toggle(e.id);
                          }}
                        >
                          {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(e.at)}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{e.actorName}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={actionColor(e.action)} size="sm">
                          {e.action}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.entity}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.summary}</Text>
                      </Table.Td>
                    </Table.Tr>
                    {open && (
                      <Table.Tr data-testid="audit-details">
                        <Table.Td colSpan={6} bg="var(--mantine-color-gray-0)">
                          <Stack gap="sm" py="xs">
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
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter list={list} noun="entries" />
    </>
  );
}
