import { Button, Group, Modal, Paper, Select, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconRadar } from '@tabler/icons-react';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { DEVICE_TYPE_LABELS, type CredentialState, type Device, type DeviceType } from '../../../contracts/devices';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { fromNow } from '../../ui/format';
import { ImportCsvButton } from '../../ui/ImportCsvModal';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { SortableTh, type SortState } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { DeviceForm } from './DeviceForm';
import { CredentialBadge, deviceTypeOptions, SeverityBadge } from './shared';

type SortKey = 'name' | 'type' | 'vendor' | 'ip' | 'lastSeenAt' | 'store' | 'firmware';
export const DEVICE_CSV_COLUMNS = ['store', 'type', 'name', 'vendor', 'model', 'serial', 'ip', 'mac', 'vlan', 'firmware', 'default_credentials_changed', 'poe_class', 'location', 'covered_registers'];

export function DevicesPage() {
  const canManage = useCan('devices:manage');
  const stores = useStores();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [type, setType] = useState<string | null>(null);
  const [credentials, setCredentials] = useState<string | null>(null);
  const [withFindings, setWithFindings] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState<SortKey>>({ sort: 'name', order: 'asc' });
  const [adding, setAdding] = useState(false);
  const filters = { q: debouncedQ.trim(), storeId, type, credentials, withFindings };
  const list = useCursorList<Device>('/api/devices', { ...filters, ...sort });

  if (list.isPending) return <PageLoader />;
  if (list.isError && !list.data) return <QueryError error={list.error} retry={() => void list.refetch()} />;

  return (
    <>
      <PageHeader
        title="Devices"
        description="Security technology on the store networks: cameras, recorders, EAS, alarms, access control, registers and switches."
        actions={
          <>
            <ExportButton path="/api/devices/export" filters={{ ...filters, ...sort }} />
            {canManage && <ImportCsvButton path="/api/devices/import" columns={DEVICE_CSV_COLUMNS} noun="Devices" invalidate={['/api/devices', '/api/device-findings']} />}
            {canManage && (
              <Button variant="default" component={Link} to="/devices/scans" leftSection={<IconRadar size={16} />}>
                Network scans
              </Button>
            )}
            {canManage && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
                New device
              </Button>
            )}
          </>
        }
      />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 2, md: 5 }}>
          <SearchInput placeholder="Name, IP, MAC, serial, model" value={q} onChange={setQ} />
          <Select label="Store" placeholder="All stores" clearable searchable data={storeOptions(stores.data)} value={storeId} onChange={setStoreId} />
          <Select label="Type" placeholder="All types" clearable data={deviceTypeOptions} value={type} onChange={setType} />
          <Select
            label="Default credentials"
            placeholder="Any"
            clearable
            data={[
              { value: 'no', label: 'Still the default' },
              { value: 'unknown', label: 'Unknown' },
              { value: 'yes', label: 'Changed' },
            ]}
            value={credentials}
            onChange={setCredentials}
          />
          <Select
            label="Findings"
            placeholder="Any"
            clearable
            data={[
              { value: 'true', label: 'With open findings' },
              { value: 'false', label: 'Without open findings' },
            ]}
            value={withFindings}
            onChange={setWithFindings}
          />
        </FilterGrid>
      </FilterPanel>
      <Paper>
        <Table.ScrollContainer minWidth={980}>
          <Table data-testid="devices-table" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <SortableTh field="name" state={sort} onChange={setSort}>
                  Name
                </SortableTh>
                <SortableTh field="store" state={sort} onChange={setSort}>
                  Store
                </SortableTh>
                <SortableTh field="type" state={sort} onChange={setSort}>
                  Type
                </SortableTh>
                <SortableTh field="vendor" state={sort} onChange={setSort}>
                  Vendor / model
                </SortableTh>
                <SortableTh field="ip" state={sort} onChange={setSort}>
                  IP / VLAN
                </SortableTh>
                <SortableTh field="firmware" state={sort} onChange={setSort}>
                  Firmware
                </SortableTh>
                <Table.Th>Credentials</Table.Th>
                <SortableTh field="lastSeenAt" state={sort} onChange={setSort}>
                  Last seen
                </SortableTh>
                <Table.Th>Findings</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.length === 0 && <EmptyRow colSpan={9}>No devices match these filters.</EmptyRow>}
              {list.items.map((d) => (
                <Table.Tr key={d.id} style={{ cursor: 'pointer' }} onClick={() => void navigate({ to: '/devices/$id', params: { id: d.id } })}>
                  <Table.Td>
                    <AnchorLink to="/devices/$id" params={{ id: d.id }} fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
                      {d.name}
                    </AnchorLink>
                    {d.location && (
                      <Text size="xs" c="dimmed">
                        {d.location}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ff="monospace">{d.storeCode}</Table.Td>
                  <Table.Td>{DEVICE_TYPE_LABELS[d.type as DeviceType]}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.vendor || '—'}</Text>
                    <Text size="xs" c="dimmed">
                      {d.model}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {d.ip ?? '—'}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {d.vlan != null ? `VLAN ${d.vlan}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td ff="monospace">{d.firmware ?? '—'}</Table.Td>
                  <Table.Td>
                    <CredentialBadge value={d.defaultCredentialsChanged as CredentialState} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={d.missingSince ? 'red' : undefined}>
                      {d.missingSince ? 'Missing from scan' : fromNow(d.lastSeenAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {d.openFindings > 0 ? (
                      <Group gap={4} wrap="nowrap">
                        <SeverityBadge severity={d.worstSeverity} />
                        <Text size="sm">{d.openFindings}</Text>
                      </Group>
                    ) : (
                      <Text size="sm" c="dimmed">
                        None
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <ListFooter list={list} noun="devices" />
      <Modal opened={adding} onClose={() => setAdding(false)} title="New device" size="xl">
        {adding && <DeviceForm onSaved={(d) => void navigate({ to: '/devices/$id', params: { id: d.id } })} onCancel={() => setAdding(false)} />}
      </Modal>
    </>
  );
}
