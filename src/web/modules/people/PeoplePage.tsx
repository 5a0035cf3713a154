import { Button, Group, Modal, Select, Text } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { PEOPLE_CSV_COLUMNS, type Person } from '../../../contracts/people';
import { ROLE_LABELS, ROLES, type Role } from '../../../contracts/roles';
import { PersonStatusBadge } from '../../ui/badges';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDateTime, fromNow } from '../../ui/format';
import { ImportCsvButton } from '../../ui/ImportCsvModal';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText, type ListParams } from '../../ui/list';
import { HQ, departmentOptions, storeOptions, useDepartments, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { AnchorLink } from '../../ui/AnchorLink';
import { PageHeader } from '../../ui/PageHeader';
import { PersonActionsMenu } from './personActions';
import { PersonForm } from './PersonForm';

/** Short role names for the table; the long ones are in the filter and the form. */
const ROLE_SHORT: Record<Role, string> = { admin: 'Admin', lead: 'Lead', member: 'Member', staff: 'Store staff', viewer: 'Viewer' };

type SortKey = 'name' | 'email' | 'role' | 'createdAt' | 'lastSignInAt';

/** The store filter's "Headquarters" choice is `hq=true` for the API. */
const toQuery = ({ storeId, ...rest }: ListParams) => ({ ...rest, storeId: storeId && storeId !== HQ ? storeId : undefined, hq: storeId === HQ ? 'true' : undefined });

export function PeoplePage() {
  const canManage = useCan('people:manage');
  const departments = useDepartments();
  const stores = useStores();
  const [inviting, setInviting] = useState(false);
  const list = useUrlList<Person, SortKey>({ key: 'people', path: '/api/people', sort: { sort: 'name', order: 'asc' }, toQuery, views: true });
  const q = useUrlText(list);

  return (
    <>
      <PageHeader
        title="People"
        description="Everyone in loss prevention, security, IT and the stores who uses Tandem."
        actions={
          <>
            <ExportButton href={list.exportHref} />
            {canManage && <ImportCsvButton path="/api/people/import" columns={PEOPLE_CSV_COLUMNS} noun="People" invalidate={['/api/people', '/api/departments', 'home']} />}
            {canManage && (
              <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviting(true)}>
                Invite person
              </Button>
            )}
          </>
        }
      />

      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 2, md: 5 }}>
          <SearchInput placeholder="Name, email or title" {...q} />
          <Select label="Department" placeholder="All departments" clearable searchable data={departmentOptions(departments.data)} {...list.field('departmentId')} />
          <Select label="Store" placeholder="All stores and HQ" clearable searchable data={[{ value: HQ, label: 'Headquarters' }, ...storeOptions(stores.data)]} {...list.field('storeId')} />
          <Select label="Role" placeholder="All roles" clearable data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} {...list.field('role')} />
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={[
              { value: 'active', label: 'Active' },
              { value: 'invited', label: 'Invited' },
              { value: 'deactivated', label: 'Deactivated' },
            ]}
            {...list.field('status')}
          />
        </FilterGrid>
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>

      <ListTable
        list={list}
        testId="people-table"
        minWidth={980}
        noun="people"
        empty="No people match these filters."
        columns={[
          {
            key: 'name',
            header: 'Name',
            sort: 'name',
            cell: (p) => (
              <>
                <AnchorLink to="/people/$id" params={{ id: p.id }} fw={600} size="sm">
                  {p.name}
                </AnchorLink>
                {p.title && (
                  <Text size="xs" c="dimmed">
                    {p.title}
                  </Text>
                )}
              </>
            ),
          },
          { key: 'email', header: 'Email', sort: 'email', cell: (p) => <Text size="sm">{p.email}</Text> },
          { key: 'department', header: 'Department', cell: (p) => p.departmentName ?? '—' },
          { key: 'store', header: 'Store', cell: (p) => (p.storeName ? `${p.storeCode} · ${p.storeName}` : 'Headquarters') },
          { key: 'role', header: 'Role', sort: 'role', nowrap: true, cell: (p) => ROLE_SHORT[p.role] },
          { key: 'status', header: 'Status', nowrap: true, cell: (p) => <PersonStatusBadge status={p.status} /> },
          {
            key: 'lastSignInAt',
            header: 'Last sign-in',
            sort: 'lastSignInAt',
            nowrap: true,
            cell: (p) => (
              <Text size="sm" c="dimmed" title={p.lastSignInAt ? formatDateTime(p.lastSignInAt) : undefined}>
                {p.lastSignInAt ? fromNow(p.lastSignInAt) : 'Never'}
              </Text>
            ),
          },
          { key: 'actions', header: null, label: 'Actions', width: 48, when: canManage, cell: (p) => <PersonActionsMenu person={p} /> },
        ]}
      />

      <Modal opened={inviting} onClose={() => setInviting(false)} title="Invite person" size="lg">
        <PersonForm onSaved={() => setInviting(false)} onCancel={() => setInviting(false)} />
      </Modal>
    </>
  );
}
