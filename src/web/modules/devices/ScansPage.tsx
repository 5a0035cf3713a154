import { Alert, Badge, Button, Code, Group, Input, Modal, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { DeviceScan, DeviceType } from '../../../contracts/devices';
import { get, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { formatDateTime } from '../../ui/format';
import { EmptyRow } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { deviceTypeOptions } from './shared';

type Host = DeviceScan['hosts'][number];

export function ScansPage() {
  const canManage = useCan('devices:manage');
  const stores = useStores();
  const queryClient = useQueryClient();
  const [storeId, setStoreId] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ scan: DeviceScan; host: Host } | null>(null);
  const inputId = useId();
  const scans = useQuery({ queryKey: ['/api/device-scans'], queryFn: ({ signal }) => get<{ items: DeviceScan[] }>('/api/device-scans', undefined, signal) });
  const upload = useMutation({
    mutationFn: async () => post<DeviceScan>('/api/device-scans', { storeId, filename: file!.name, xml: await file!.text() }),
    onSuccess: (s) => {
      for (const key of ['/api/device-scans', '/api/devices', '/api/device-findings']) void queryClient.invalidateQueries({ queryKey: [key] });
      setSelected(s.id);
      setFile(null);
      notifySuccess(`${s.hostsUp} hosts up: ${s.matched} matched, ${s.newHosts} new, ${s.missing} missing`, 'Scan imported');
    },
  });
  const dismiss = useMutation({
    mutationFn: (a: { scanId: string; hostId: string }) => post<DeviceScan>(`/api/device-scans/${a.scanId}/hosts/${a.hostId}/dismiss`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['/api/device-scans'] }),
    onError: (err) => notifyError(err),
  });
  if (scans.isPending) return <PageLoader />;
  if (scans.isError) return <QueryError error={scans.error} retry={() => void scans.refetch()} />;
  const scan = scans.data.items.find((s) => s.id === selected) ?? scans.data.items[0];

  return (
    <Stack>
      <PageBreadcrumbs to="/devices" label="Devices" current="Network scans" />
      <PageHeader title="Network scans" description="Import an nmap scan of a store (nmap -sV -oX scan.xml <store subnets>): hosts match devices by MAC, then IP; vendors come from the IEEE OUI registry." />
      {canManage && (
        <Paper p="md">
          <SimpleGrid cols={{ base: 1, sm: 3 }} style={{ alignItems: 'end' }}>
            <Select label="Store scanned" required searchable data={storeOptions(stores.data)} value={storeId} onChange={setStoreId} />
            <Input.Wrapper label="nmap XML file" labelElement="label" id={inputId}>
              <input id={inputId} type="file" accept=".xml,text/xml,application/xml" style={{ display: 'block', marginTop: 6 }} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
            </Input.Wrapper>
            <Button leftSection={<IconUpload size={16} />} disabled={!storeId || !file} loading={upload.isPending} onClick={() => upload.mutate()}>
              Import scan
            </Button>
          </SimpleGrid>
          {upload.error && (
            <Alert color="red" mt="md">
              {upload.error.message}
            </Alert>
          )}
        </Paper>
      )}
      {scans.data.items.length > 0 && (
        <Select
          label="Scan"
          data={scans.data.items.map((s) => ({ value: s.id, label: `${s.storeCode} · ${formatDateTime(s.scannedAt)} · ${s.filename || 'scan'}` }))}
          value={scan?.id ?? null}
          onChange={setSelected}
          allowDeselect={false}
          maw={520}
        />
      )}
      {!scan && <Text c="dimmed">No scans imported yet.</Text>}
      {scan && (
        <>
          <Group gap="xs">
            <Badge variant="light">{scan.hostsUp} hosts up</Badge>
            <Badge variant="light" color="teal">
              {scan.matched} matched
            </Badge>
            <Badge variant="light" color="blue">
              {scan.newHosts} new
            </Badge>
            <Badge variant="light" color={scan.missing ? 'red' : 'gray'}>
              {scan.missing} missing
            </Badge>
            <Text size="sm" c="dimmed">
              <Code>{scan.scannerArgs}</Code> · imported by {scan.importedByName ?? 'Tandem'}
            </Text>
          </Group>
          <Title order={3} size="h4">
            New hosts to confirm
          </Title>
          <Paper>
            <Table.ScrollContainer minWidth={760}>
              <Table data-testid="scan-hosts">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>IP</Table.Th>
                    <Table.Th>MAC</Table.Th>
                    <Table.Th>Vendor (OUI)</Table.Th>
                    <Table.Th>Services</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {scan.hosts.length === 0 && <EmptyRow colSpan={6}>Every host matched a device.</EmptyRow>}
                  {scan.hosts.map((h) => (
                    <Table.Tr key={h.id}>
                      <Table.Td ff="monospace">{h.ip ?? '—'}</Table.Td>
                      <Table.Td ff="monospace">{h.mac ?? '—'}</Table.Td>
                      <Table.Td>{h.vendor ?? 'Unknown'}</Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {h.services || '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={h.state === 'new' ? 'blue' : h.state === 'confirmed' ? 'teal' : 'gray'}>
                          {h.state}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {canManage && h.state === 'new' && (
                          <Group gap={4} wrap="nowrap">
                            <Button size="xs" onClick={() => setConfirming({ scan, host: h })}>
                              Confirm
                            </Button>
                            <Button size="xs" variant="default" onClick={() => dismiss.mutate({ scanId: scan.id, hostId: h.id })}>
                              Dismiss
                            </Button>
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <Title order={3} size="h4">
            Changes recorded
          </Title>
          <Paper>
            <Table.ScrollContainer minWidth={560}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Device</Table.Th>
                    <Table.Th>Field</Table.Th>
                    <Table.Th>Was</Table.Th>
                    <Table.Th>Now</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {scan.changes.length === 0 && <EmptyRow colSpan={4}>No IP, MAC or firmware changed.</EmptyRow>}
                  {scan.changes.map((c, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{c.deviceName}</Table.Td>
                      <Table.Td>{c.field}</Table.Td>
                      <Table.Td ff="monospace">{c.from ?? '—'}</Table.Td>
                      <Table.Td ff="monospace">{c.to ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        </>
      )}
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={`Add ${confirming?.host.ip ?? ''} to the inventory`}>
        {confirming && <ConfirmHostForm scan={confirming.scan} host={confirming.host} onDone={() => setConfirming(null)} />}
      </Modal>
    </Stack>
  );
}

function ConfirmHostForm({ scan, host, onDone }: { scan: DeviceScan; host: Host; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<{ type: DeviceType; name: string; vlan: number | string; location: string; model: string }>({
    initialValues: { type: 'camera', name: '', vlan: Number(host.ip?.split('.')[2] ?? '') || '', location: '', model: '' },
    validate: { name: (v) => (v.trim() ? null : 'Give the device a name') },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => post(`/api/device-scans/${scan.id}/hosts/${host.id}/confirm`, { ...v, vlan: v.vlan === '' ? null : Number(v.vlan) }),
    onSuccess: () => {
      for (const key of ['/api/device-scans', '/api/devices', '/api/device-findings']) void queryClient.invalidateQueries({ queryKey: [key] });
      notifySuccess(`${form.values.name} added to the inventory`);
      onDone();
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack>
        <Text size="sm" c="dimmed">
          {host.vendor ?? 'Unknown vendor'} · {host.mac ?? 'no MAC'} {host.firmware ? `· firmware ${host.firmware}` : ''}
        </Text>
        <Select label="Type" data={deviceTypeOptions} allowDeselect={false} {...form.getInputProps('type')} />
        <TextInput label="Name" required placeholder={`${scan.storeCode}-CAM-40`} {...form.getInputProps('name')} />
        <TextInput label="Model" {...form.getInputProps('model')} />
        <NumberInput label="VLAN" min={1} max={4094} {...form.getInputProps('vlan')} />
        <TextInput label="Location" {...form.getInputProps('location')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Add device
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
