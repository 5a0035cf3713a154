import { Button, Group, Modal, Paper, Select, Table, Text } from '@mantine/core';
import { IconPlus, IconRadar } from '@tabler/icons-react';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { DEVICE_TYPE_LABELS, type CredentialState, type Device, type DeviceType } from '../../../contracts/devices';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { fromNow } from '../../ui/format';
import { ImportCsvButton } from '../../ui/ImportCsvModal';
import { EmptyRow, ExportButton, ListPager, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { SortableTh } from '../../ui/SortableTh';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { DeviceForm } from './DeviceForm';
import { CredentialBadge, deviceTypeOptions, SeverityBadge } from './shared';

type SortKey = 'name' | 'type' | 'vendor' | 'ip' | 'lastSeenAt' | 'store' | 'firmware';
export const DEVICE_CSV_COLUMNS = ['store', 'type', 'name', 'vendor', 'model', 'serial', 'ip', 'mac', 'vlan', 'firmware', 'default_credentials_changed', 'poe_class', 'location', 'covered_registers'];

export function DevicesPage() {
  const canManage = useCan('devices:manage');
  const stores = useStores();
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const list = useUrlList<Device, SortKey>({ key: 'devices', path: '/api/devices', sort: { sort: 'name', order: 'asc' }, views: true });
  const q = useUrlText(list);

  if (list.query.isPending) return <PageLoader />;
  if (list.query.isError && !list.query.data) return <QueryError error={list.query.error} retry={() => void list.query.refetch()} />;

  return (
    <>
      <PageHeader
        title="Devices"
        description="Security technology on the store networks: cameras, recorders, EAS, alarms, access control, registers and switches."
        actions={
          <>
            <ExportButton href={list.exportHref} />
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
          <SearchInput placeholder="Name, IP, MAC, serial, model" {...q} />
          <Select label="Store" placeholder="All stores" clearable searchable data={storeOptions(stores.data)} {...list.field('storeId')} />
          <Select label="Type" placeholder="All types" clearable data={deviceTypeOptions} {...list.field('type')} />
          <Select
            label="Default credentials"
            placeholder="Any"
            clearable
            data={[
              { value: 'no', label: 'Still the default' },
              { value: 'unknown', label: 'Unknown' },
              { value: 'yes', label: 'Changed' },
            ]}
            {...list.field('credentials')}
          />
          <Select
            label="Findings"
            placeholder="Any"
            clearable
            data={[
              { value: 'true', label: 'With open findings' },
              { value: 'false', label: 'Without open findings' },
            ]}
            {...list.field('withFindings')}
          />
        </FilterGrid>
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>
      <Paper>
        <Table.ScrollContainer minWidth={980}>
          <Table data-testid="devices-table" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <SortableTh field="name" state={list.sort} onChange={list.setSort}>
                  Name
                </SortableTh>
                <SortableTh field="store" state={list.sort} onChange={list.setSort}>
                  Store
                </SortableTh>
                <SortableTh field="type" state={list.sort} onChange={list.setSort}>
                  Type
                </SortableTh>
                <SortableTh field="vendor" state={list.sort} onChange={list.setSort}>
                  Vendor / model
                </SortableTh>
                <SortableTh field="ip" state={list.sort} onChange={list.setSort}>
                  IP / VLAN
                </SortableTh>
                <SortableTh field="firmware" state={list.sort} onChange={list.setSort}>
                  Firmware
                </SortableTh>
                <Table.Th>Credentials</Table.Th>
                <SortableTh field="lastSeenAt" state={list.sort} onChange={list.setSort}>
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
      <ListPager list={list} noun="devices" />
      <Modal opened={adding} onClose={() => setAdding(false)} title="New device" size="xl">
        {adding && <DeviceForm onSaved={(d) => void navigate({ to: '/devices/$id', params: { id: d.id } })} onCancel={() => setAdding(false)} />}
      </Modal>
    </>
  );
}
