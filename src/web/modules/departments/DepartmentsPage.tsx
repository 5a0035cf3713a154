import { Badge, Button, Group, Menu, Modal, Select, Text } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { Department } from '../../../contracts/people';
import { DEPARTMENT_KIND_LABELS } from '../../../contracts/roles';
import { ActiveBadge } from '../../ui/badges';
import { ActiveStatusSelect, FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDate } from '../../ui/format';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { ActivateMenuItems, RowActionsMenu, useActiveFlag } from '../../ui/RowActions';
import { DepartmentForm, kindOptions } from './DepartmentForm';

type SortKey = 'name' | 'code' | 'createdAt';

const KIND_COLORS: Record<string, string> = { lp: 'indigo', security: 'violet', it: 'teal', infosec: 'cyan', store_ops: 'orange', custom: 'gray' };

export function DepartmentsPage() {
  const canManage = useCan('departments:manage');
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const list = useUrlList<Department, SortKey>({ key: 'departments', path: '/api/departments', sort: { sort: 'name', order: 'asc' } });
  const q = useUrlText(list);
  const activeFlag = useActiveFlag<Department>('/api/departments', (d) => d.name);

  return (
    <>
      <PageHeader
        title="Departments"
        description="The teams that work in tandem: loss prevention, security, IT and the rest."
        actions={
          <>
            <ExportButton href={list.exportHref} />
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
          <SearchInput placeholder="Code or name" {...q} />
          <Select label="Kind" placeholder="All kinds" clearable data={kindOptions} {...list.field('kind')} />
          <ActiveStatusSelect {...list.field('active')} />
        </FilterGrid>
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>
      <ListTable
        list={list}
        testId="departments-table"
        minWidth={760}
        noun="departments"
        empty="No departments match these filters."
        columns={[
          {
            key: 'code',
            header: 'Code',
            sort: 'code',
            cell: (d) => (
              <Text fw={600} size="sm" ff="monospace">
                {d.code}
              </Text>
            ),
          },
          {
            key: 'name',
            header: 'Name',
            sort: 'name',
            cell: (d) => (
              <>
                <Text size="sm" fw={500}>
                  {d.name}
                </Text>
                {d.description && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {d.description}
                  </Text>
                )}
              </>
            ),
          },
          {
            key: 'kind',
            header: 'Kind',
            cell: (d) => (
              <Badge variant="light" color={KIND_COLORS[d.kind] ?? 'gray'} size="sm">
                {DEPARTMENT_KIND_LABELS[d.kind]}
              </Badge>
            ),
          },
          { key: 'people', header: 'People', align: 'right', cell: (d) => d.peopleCount },
          { key: 'status', header: 'Status', cell: (d) => <ActiveBadge active={d.active} /> },
          { key: 'createdAt', header: 'Created', sort: 'createdAt', nowrap: true, cell: (d) => formatDate(d.createdAt) },
          {
            key: 'actions',
            header: null,
            label: 'Actions',
            width: 48,
            when: canManage,
            cell: (d) => (
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
            ),
          },
        ]}
      />
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New department' : `Edit ${editing?.name ?? ''}`} size="lg">
        {editing !== null && <DepartmentForm department={editing === 'new' ? undefined : editing} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />}
      </Modal>
      {activeFlag.modal}
    </>
  );
}
