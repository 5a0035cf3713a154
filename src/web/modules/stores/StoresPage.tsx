import { Button, Menu, Modal, Paper, Select, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBuildingPlus, IconPencil } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { STORE_CSV_COLUMNS, type Store } from '../../../contracts/people';
import { ActiveBadge } from '../../ui/badges';
import { ActiveStatusSelect, FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatNumber } from '../../ui/format';
import { ImportCsvButton } from '../../ui/ImportCsvModal';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { ActivateMenuItems, RowActionsMenu, useActiveFlag } from '../../ui/RowActions';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { StoreForm } from './StoreForm';

type SortKey = 'code' | 'name' | 'region' | 'district' | 'uplinkMbps' | 'createdAt';

const uniqueSorted = (values: string[]) => [...new Set(values.filter(Boolean))].sort((a, b) => a.localeCompare(b));

export function StoresPage() {
  const canManage = useCan('stores:manage');
  const allStores = useStores();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [region, setRegion] = useState<string | null>(null);
  const [district, setDistrict] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState<SortKey>>({ sort: 'code', order: 'asc' });
  const [editing, setEditing] = useState<Store | 'new' | null>(null);

  const regions = useMemo(() => uniqueSorted((allStores.data ?? []).map((s) => s.region)), [allStores.data]);
  const districts = useMemo(
    () => uniqueSorted((allStores.data ?? []).filter((s) => !region || s.region === region).map((s) => s.district)),
    [allStores.data, region],
  );

  const filters = { q: debouncedQ.trim(), region, district, active };
  const list = useCursorList<Store>('/api/stores', { ...filters, ...sort });

  const activeFlag = useActiveFlag<Store>('/api/stores', (s) => `Store ${s.code}`);

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;
  const cols = canManage ? 8 : 7;

  return (
    <>
      <PageHeader
        title="Stores"
        description="The chain's stores, where they are and how well they are connected."
        actions={
          <>
            <ExportButton path="/api/stores/export" filters={{ ...filters, ...sort }} />
            {canManage && <ImportCsvButton path="/api/stores/import" columns={STORE_CSV_COLUMNS} noun="Stores" invalidate={['/api/stores']} />}
            {canManage && (
              <Button leftSection={<IconBuildingPlus size={16} />} onClick={() => setEditing('new')}>
                New store
              </Button>
            )}
          </>
        }
      />

      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 2, md: 4 }}>
          <SearchInput placeholder="Code or name" value={q} onChange={setQ} />
          <Select
            label="Region"
            placeholder="All regions"
            clearable
            searchable
            data={regions}
            value={region}
            onChange={(v) => {
              setRegion(v);
              setDistrict(null);
            }}
          />
          <Select label="District" placeholder="All districts" clearable searchable data={districts} value={district} onChange={setDistrict} />
          <ActiveStatusSelect value={active} onChange={setActive} />
        </FilterGrid>
      </FilterPanel>

      <Paper>
        <Table.ScrollContainer minWidth={820}>
          <Table data-testid="stores-table">
            <Table.Thead>
              <Table.Tr>
                <SortableTh field="code" state={sort} onChange={setSort}>
                  Code
                </SortableTh>
                <SortableTh field="name" state={sort} onChange={setSort}>
                  Name
                </SortableTh>
                <SortableTh field="region" state={sort} onChange={setSort}>
                  Region
                </SortableTh>
                <SortableTh field="district" state={sort} onChange={setSort}>
                  District
                </SortableTh>
                <Table.Th>Time zone</Table.Th>
                <SortableTh field="uplinkMbps" state={sort} onChange={setSort}>
                  Uplink
                </SortableTh>
                <Table.Th>Status</Table.Th>
                {canManage && <Table.Th w={48} aria-label="Actions" />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={cols}>No stores match these filters.</EmptyRow>}
              {list.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Text fw={600} size="sm" ff="monospace">
                      {s.code}
                    </Text>
                  </Table.Td>
                  <Table.Td>{s.name}</Table.Td>
                  <Table.Td>{s.region}</Table.Td>
                  <Table.Td>{s.district}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {s.timezone}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatNumber(s.uplinkMbps)} Mbps</Table.Td>
                  <Table.Td>
                    <ActiveBadge active={s.active} />
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <RowActionsMenu label={`Actions for ${s.code}`}>
                        <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setEditing(s)}>
                          Edit
                        </Menu.Item>
                        <ActivateMenuItems
                          active={s.active}
                          deactivateTitle="Deactivate store"
                          deactivateMessage={`${s.code} · ${s.name} will no longer be offered for new records. Its history stays.`}
                          confirm={activeFlag.confirm}
                          onSetActive={(value) => activeFlag.setActive(s, value)}
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
      <ListFooter list={list} noun="stores" />

      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New store' : `Edit store ${editing?.code ?? ''}`} size="lg">
        {editing !== null && (
          <StoreForm store={editing === 'new' ? undefined : editing} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />
        )}
      </Modal>
      {activeFlag.modal}
    </>
  );
}
