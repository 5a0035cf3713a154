import { Button, Group, Menu, Modal, Select, Text } from '@mantine/core';
import { IconBuildingPlus, IconPencil } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { STORE_CSV_COLUMNS, type Store } from '../../../contracts/people';
import { ActiveBadge } from '../../ui/badges';
import { ActiveStatusSelect, FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatNumber } from '../../ui/format';
import { ImportCsvButton } from '../../ui/ImportCsvModal';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { ActivateMenuItems, RowActionsMenu, useActiveFlag } from '../../ui/RowActions';
import { StoreForm } from './StoreForm';

type SortKey = 'code' | 'name' | 'region' | 'district' | 'uplinkMbps' | 'createdAt';

const uniqueSorted = (values: string[]) => [...new Set(values.filter(Boolean))].sort((a, b) => a.localeCompare(b));

export function StoresPage() {
  const canManage = useCan('stores:manage');
  const allStores = useStores();
  const [editing, setEditing] = useState<Store | 'new' | null>(null);
  const list = useUrlList<Store, SortKey>({ key: 'stores', path: '/api/stores', sort: { sort: 'code', order: 'asc' } });
  const q = useUrlText(list);
  const region = list.params.region ?? null;

  const regions = useMemo(() => uniqueSorted((allStores.data ?? []).map((s) => s.region)), [allStores.data]);
  const districts = useMemo(
    () => uniqueSorted((allStores.data ?? []).filter((s) => !region || s.region === region).map((s) => s.district)),
    [allStores.data, region],
  );
  const activeFlag = useActiveFlag<Store>('/api/stores', (s) => `Store ${s.code}`);

  return (
    <>
      <PageHeader
        title="Stores"
        description="The chain's stores, where they are and how well they are connected."
        actions={
          <>
            <ExportButton href={list.exportHref} />
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
          <SearchInput placeholder="Code or name" {...q} />
          <Select label="Region" placeholder="All regions" clearable searchable data={regions} value={region} onChange={(v) => list.set({ region: v, district: null })} />
          <Select label="District" placeholder="All districts" clearable searchable data={districts} {...list.field('district')} />
          <ActiveStatusSelect {...list.field('active')} />
        </FilterGrid>
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>

      <ListTable
        list={list}
        testId="stores-table"
        minWidth={820}
        noun="stores"
        empty="No stores match these filters."
        columns={[
          {
            key: 'code',
            header: 'Code',
            sort: 'code',
            cell: (s) => (
              <Text fw={600} size="sm" ff="monospace">
                {s.code}
              </Text>
            ),
          },
          { key: 'name', header: 'Name', sort: 'name', cell: (s) => s.name },
          { key: 'region', header: 'Region', sort: 'region', cell: (s) => s.region },
          { key: 'district', header: 'District', sort: 'district', cell: (s) => s.district },
          {
            key: 'timezone',
            header: 'Time zone',
            cell: (s) => (
              <Text size="sm" c="dimmed">
                {s.timezone}
              </Text>
            ),
          },
          { key: 'uplink', header: 'Uplink', sort: 'uplinkMbps', nowrap: true, cell: (s) => `${formatNumber(s.uplinkMbps)} Mbps` },
          { key: 'status', header: 'Status', cell: (s) => <ActiveBadge active={s.active} /> },
          {
            key: 'actions',
            header: null,
            label: 'Actions',
            width: 48,
            when: canManage,
            cell: (s) => (
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
            ),
          },
        ]}
      />

      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New store' : `Edit store ${editing?.code ?? ''}`} size="lg">
        {editing !== null && <StoreForm store={editing === 'new' ? undefined : editing} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />}
      </Modal>
      {activeFlag.modal}
    </>
  );
}
