import { Badge, Button, Menu, Modal, Paper, Select, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { Department } from '../../../contracts/people';
import { DEPARTMENT_KIND_LABELS } from '../../../contracts/roles';
import { ActiveBadge } from '../../ui/badges';
import { ActiveStatusSelect, FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDate } from '../../ui/format';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { ActivateMenuItems, RowActionsMenu, useActiveFlag } from '../../ui/RowActions';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { DepartmentForm, kindOptions } from './DepartmentForm';

type SortKey = 'name' | 'code' | 'createdAt';

const KIND_COLORS: Record<string, string> = { lp: 'indigo', security: 'violet', it: 'teal', infosec: 'cyan', store_ops: 'orange', custom: 'gray' };

export function DepartmentsPage() {
  const canManage = useCan('departments:manage');
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [kind, setKind] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState<SortKey>>({ sort: 'name', order: 'asc' });
  const [editing, setEditing] = useState<Department | 'new' | null>(null);

  const filters = { q: debouncedQ.trim(), kind, active };
  const list = useCursorList<Department>('/api/departments', { ...filters, ...sort });

  const activeFlag = useActiveFlag<Department>('/api/departments', (d) => d.name);

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;
  const cols = canManage ? 7 : 6;

  return (
    <>
      <PageHeader
        title="Departments"
        description="The teams that work in tandem: loss prevention, security, IT and the rest."
        actions={
          <>
            <ExportButton path="/api/departments/export" filters={{ ...filters, ...sort }} />
            {canManage && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
                New department
              </Button>
            )}
          </>
        }
      />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 3 }}>
          <SearchInput placeholder="Code or name" value={q} onChange={setQ} />
          <Select label="Kind" placeholder="All kinds" clearable data={kindOptions} value={kind} onChange={setKind} />
          <ActiveStatusSelect value={active} onChange={setActive} />
        </FilterGrid>
      </FilterPanel>
      <Paper>
        <Table.ScrollContainer minWidth={760}>
          <Table data-testid="departments-table">
            <Table.Thead>
              <Table.Tr>
                <SortableTh field="code" state={sort} onChange={setSort}>
                  Code
                </SortableTh>
                <SortableTh field="name" state={sort} onChange={setSort}>
                  Name
                </SortableTh>
                <Table.Th>Kind</Table.Th>
                <Table.Th ta="right">People</Table.Th>
                <Table.Th>Status</Table.Th>
                <SortableTh field="createdAt" state={sort} onChange={setSort}>
                  Created
                </SortableTh>
                {canManage && <Table.Th w={48} aria-label="Actions" />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={cols}>No departments match these filters.</EmptyRow>}
              {list.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>
                    <Text fw={600} size="sm" ff="monospace">
                      {d.code}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {d.name}
                    </Text>
                    {d.description && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {d.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={KIND_COLORS[d.kind] ?? 'gray'} size="sm">
                      {DEPARTMENT_KIND_LABELS[d.kind]}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{d.peopleCount}</Table.Td>
                  <Table.Td>
                    <ActiveBadge active={d.active} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(d.createdAt)}</Table.Td>
                  {canManage && (
                    <Table.Td>
                      <RowActionsMenu label={`Actions for ${d.name}`}>
                        <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setEditing(d)}>
                          Edit
                        </Menu.Item>
                        <ActivateMenuItems
                          active={d.active}
                          deactivateTitle="Deactivate department"
                          deactivateMessage={`${d.name} will no longer be offered when adding people. Its ${d.peopleCount} people keep their records.`}
                          confirm={activeFlag.confirm}
                          onSetActive={(value) => activeFlag.setActive(d, value)}
                        />
                      </RowActionsMenu>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter list={list} noun="departments" />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New department' : `Edit ${editing?.name ?? ''}`}
        size="lg"
      >
        {editing !== null && (
          <DepartmentForm department={editing === 'new' ? undefined : editing} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />
        )}
      </Modal>
      {activeFlag.modal}
    </>
  );
}
