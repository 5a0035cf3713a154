import { Button, Modal, Paper, Select, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { PEOPLE_CSV_COLUMNS, type Person } from '../../../contracts/people';
import { ROLE_LABELS, ROLES, type Role } from '../../../contracts/roles';
import { PersonStatusBadge } from '../../ui/badges';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { fromNow } from '../../ui/format';
import { ImportCsvButton } from '../../ui/ImportCsvModal';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { HQ, departmentOptions, storeOptions, useDepartments, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { AnchorLink } from '../../ui/AnchorLink';
import { PageHeader } from '../../ui/PageHeader';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { PersonActionsMenu } from './personActions';
import { PersonForm } from './PersonForm';

/** Short role names for the table; the long ones are in the filter and the form. */
const ROLE_SHORT: Record<Role, string> = { admin: 'Admin', lead: 'Lead', member: 'Member', staff: 'Store staff', viewer: 'Viewer' };

type SortKey = 'name' | 'email' | 'role' | 'createdAt' | 'lastSignInAt';

export function PeoplePage() {
  const canManage = useCan('people:manage');
  const departments = useDepartments();
  const stores = useStores();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [store, setStore] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState<SortKey>>({ sort: 'name', order: 'asc' });
  const [inviting, setInviting] = useState(false);

  const filters = {
    q: debouncedQ.trim(),
    departmentId,
    storeId: store && store !== HQ ? store : undefined,
    hq: store === HQ ? 'true' : undefined,
    role,
    status,
  };
  const list = useCursorList<Person>('/api/people', { ...filters, ...sort });
  const cols = canManage ? 8 : 7;

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;

  return (
    <>
      <PageHeader
        title="People"
        description="Everyone in loss prevention, security, IT and the stores who uses Tandem."
        actions={
          <>
            <ExportButton path="/api/people/export" filters={{ ...filters, ...sort }} />
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
          <SearchInput placeholder="Name, email or title" value={q} onChange={setQ} />
          <Select label="Department" placeholder="All departments" clearable searchable data={departmentOptions(departments.data)} value={departmentId} onChange={setDepartmentId} />
          <Select
            label="Store"
            placeholder="All stores and HQ"
            clearable
            searchable
            data={[{ value: HQ, label: 'Headquarters' }, ...storeOptions(stores.data)]}
            value={store}
            onChange={setStore}
          />
          <Select label="Role" placeholder="All roles" clearable data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} value={role} onChange={setRole} />
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={[
              { value: 'active', label: 'Active' },
              { value: 'invited', label: 'Invited' },
              { value: 'deactivated', label: 'Deactivated' },
            ]}
            value={status}
            onChange={setStatus}
          />
        </FilterGrid>
      </FilterPanel>

      <Paper>
        <Table.ScrollContainer minWidth={980}>
          <Table data-testid="people-table">
            <Table.Thead>
              <Table.Tr>
                <SortableTh field="name" state={sort} onChange={setSort}>
                  Name
                </SortableTh>
                <SortableTh field="email" state={sort} onChange={setSort}>
                  Email
                </SortableTh>
                <Table.Th>Department</Table.Th>
                <Table.Th>Store</Table.Th>
                <SortableTh field="role" state={sort} onChange={setSort}>
                  Role
                </SortableTh>
                <Table.Th>Status</Table.Th>
                <SortableTh field="lastSignInAt" state={sort} onChange={setSort}>
                  Last sign-in
                </SortableTh>
                {canManage && <Table.Th w={48} aria-label="Actions" />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={cols}>No people match these filters.</EmptyRow>}
              {list.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <AnchorLink to="/people/$id" params={{ id: p.id }} fw={600} size="sm">
                      {p.name}
                    </AnchorLink>
                    {p.title && (
                      <Text size="xs" c="dimmed">
                        {p.title}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{p.email}</Text>
                  </Table.Td>
                  <Table.Td>{p.departmentName ?? '—'}</Table.Td>
                  <Table.Td>{p.storeName ? `${p.storeCode} · ${p.storeName}` : 'Headquarters'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{ROLE_SHORT[p.role]}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <PersonStatusBadge status={p.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" title={p.lastSignInAt ?? undefined} style={{ whiteSpace: 'nowrap' }}>
                      {p.lastSignInAt ? fromNow(p.lastSignInAt) : 'Never'}
                    </Text>
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <PersonActionsMenu person={p} />
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter list={list} noun="people" />

      <Modal opened={inviting} onClose={() => setInviting(false)} title="Invite person" size="lg">
        <PersonForm
          onSaved={() => setInviting(false)}
          onCancel={() => setInviting(false)}
        />
      </Modal>
    </>
  );
}
