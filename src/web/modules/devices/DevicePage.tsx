import { Button, Group, Modal, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DEVICE_TYPE_LABELS, type CredentialState, type Device } from '../../../contracts/devices';
import { poeStandard, POE_CLASS_WATTS } from '../../../contracts/camera-planner';
import { get } from '../../api';
import { Fact } from '../../ui/Fact';
import { formatDate, formatDateTime } from '../../ui/format';
import { useCan } from '../../ui/me';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { RecordHeading } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { DeviceForm } from './DeviceForm';
import { DeviceFindings } from './FindingsTable';
import { CredentialBadge, SeverityBadge } from './shared';

export function DevicePage({ id }: { id: string }) {
  const canManage = useCan('devices:manage');
  const [editing, setEditing] = useState(false);
  const query = useQuery({ queryKey: ['/api/devices', id], queryFn: ({ signal }) => get<Device>(`/api/devices/${id}`, undefined, signal) });
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <QueryError error={query.error} what="device" retry={() => void query.refetch()} />;
  const d = query.data;
  return (
    <Stack>
      <PageBreadcrumbs to="/devices" label="Devices" current={d.name} />
      <Group justify="space-between" align="flex-start">
        <RecordHeading
          reference={`${d.storeCode} · ${DEVICE_TYPE_LABELS[d.type]}`}
          badges={
            <>
              <CredentialBadge value={d.defaultCredentialsChanged as CredentialState} />
              {d.openFindings > 0 && <SeverityBadge severity={d.worstSeverity} />}
            </>
          }
          title={d.name}
        >
          <Text c="dimmed" size="sm">
            {[d.vendor, d.model].filter(Boolean).join(' ') || 'Vendor and model not recorded'}
            {d.location ? ` · ${d.location}` : ''}
          </Text>
        </RecordHeading>
        {canManage && (
          <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
            Edit
          </Button>
        )}
      </Group>
      <Paper p="md">
        <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="md">
          <Fact label="Store">{`${d.storeCode} · ${d.storeName}`}</Fact>
          <Fact label="IP address">{d.ip ?? '—'}</Fact>
          <Fact label="MAC address">{d.mac ?? '—'}</Fact>
          <Fact label="VLAN">{d.vlan ?? '—'}</Fact>
          <Fact label="Hostname">{d.hostname ?? '—'}</Fact>
          <Fact label="Firmware">{d.firmware ?? '—'}</Fact>
          <Fact label="Serial">{d.serial ?? '—'}</Fact>
          <Fact label="Installed">{formatDate(d.installDate)}</Fact>
          <Fact label="Last seen">{d.missingSince ? `Missing from the scan of ${formatDateTime(d.missingSince)}` : formatDateTime(d.lastSeenAt)}</Fact>
          <Fact label="PoE">{d.poeClass != null ? `Class ${d.poeClass} (${poeStandard(d.poeClass)}, ${POE_CLASS_WATTS[d.poeClass]} W)` : '—'}</Fact>
          {d.type === 'switch' && <Fact label="PoE budget">{d.poeBudgetW != null ? `${d.poeBudgetW} W` : '—'}</Fact>}
          {d.type === 'recorder' && <Fact label="Retention">{d.retentionDays != null ? `${d.retentionDays} days` : '—'}</Fact>}
          {d.type === 'camera' && <Fact label="Stream">{[d.streamResolution, d.streamCodec?.toUpperCase(), d.streamFps ? `${d.streamFps} fps` : null].filter(Boolean).join(' · ') || '—'}</Fact>}
          {d.type === 'camera' && <Fact label="Covers registers">{d.coveredRegisters.length ? d.coveredRegisters.join(', ') : '—'}</Fact>}
        </SimpleGrid>
        {d.notes && (
          <Text size="sm" mt="md">
            {d.notes}
          </Text>
        )}
      </Paper>
      <Title order={3} size="h4">
        Findings
      </Title>
      <DeviceFindings deviceId={d.id} />
      <Modal opened={editing} onClose={() => setEditing(false)} title={`Edit ${d.name}`} size="xl">
        {editing && <DeviceForm device={d} onSaved={() => setEditing(false)} onCancel={() => setEditing(false)} />}
      </Modal>
    </Stack>
  );
}
