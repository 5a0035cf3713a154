import { Alert, Anchor, Badge, Button, Code, Group, Input, Modal, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { DeviceScan, DeviceScanSummary, DeviceType } from '../../../contracts/devices';
import { get, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { formatDateTime } from '../../ui/format';
import { EmptyRow, ListTable, ListTools, useUrlList } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { deviceTypeOptions } from './shared';

type Host = DeviceScan['hosts'][number];

/** Network scans: the list (store filter, sort, page and the scan shown live in the URL) and the chosen scan's hosts and changes. */
export function ScansPage() {
  const canManage = useCan('devices:manage');
  const stores = useStores();
  const queryClient = useQueryClient();
  const [storeId, setStoreId] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [confirming, setConfirming] = useState<{ scan: DeviceScan; host: Host } | null>(null);
  const inputId = useId();
  const list = useUrlList<DeviceScanSummary, 'createdAt' | 'scannedAt'>({ key: 'device-scans', path: '/api/device-scans', sort: { sort: 'createdAt', order: 'desc' }, limit: 10, pageOnly: ['scan'] });
  const shownId = list.params.scan ?? list.items[0]?.id ?? null;
  const shown = useQuery({
    queryKey: ['/api/device-scans', shownId],
    queryFn: ({ signal }) => get<DeviceScan>(`/api/device-scans/${shownId}`, undefined, signal),
    enabled: !!shownId,
  });
  const upload = useMutation({
    mutationFn: async () => post<DeviceScan>('/api/device-scans', { storeId, filename: file!.name, xml: await file!.text() }),
    onSuccess: (s) => {
      for (const key of ['/api/device-scans', '/api/devices', '/api/device-findings']) void queryClient.invalidateQueries({ queryKey: [key] });
      list.go({ scan: s.id });
      setFile(null);
      notifySuccess(`${s.hostsUp} hosts up: ${s.matched} matched, ${s.newHosts} new, ${s.missing} missing`, 'Scan imported');
    },
  });
  const dismiss = useMutation({
    mutationFn: (a: { scanId: string; hostId: string }) => post<DeviceScan>(`/api/device-scans/${a.scanId}/hosts/${a.hostId}/dismiss`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['/api/device-scans'] }),
    onError: (err) => notifyError(err),
  });
  const scan = shown.data;

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
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h4">
          Scans
        </Title>
        <Group gap="sm" align="flex-end">
          <Select label="Store" placeholder="Every store" clearable searchable data={storeOptions(stores.data)} {...list.field('storeId')} w={240} />
          <ListTools list={list} />
        </Group>
      </Group>
      <ListTable
        list={list}
        testId="scans"
        minWidth={760}
        noun="scans"
        empty={list.hasFilters ? 'No scans match these filters.' : canManage ? 'No scans imported yet: import the first one above.' : 'No scans imported yet.'}
        rowProps={(s) => ({ bg: s.id === shownId ? 'var(--mantine-primary-color-light)' : undefined })}
        onRowClick={(s) => list.go({ ...list.params, scan: s.id })}
        columns={[
          {
            key: 'scan',
            header: 'Scan',
            sort: 'scannedAt',
            cell: (s) => (
              <>
                <Anchor component="button" type="button" size="sm" fw={600} ta="left" aria-current={s.id === shownId ? 'true' : undefined} onClick={() => list.go({ ...list.params, scan: s.id })}>
                  {s.storeCode} · {formatDateTime(s.scannedAt)}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {s.filename || 'scan'}
                </Text>
              </>
            ),
          },
          { key: 'up', header: 'Hosts up', align: 'right', cell: (s) => s.hostsUp },
          { key: 'matched', header: 'Matched', align: 'right', cell: (s) => s.matched },
          { key: 'new', header: 'New', align: 'right', cell: (s) => s.newHosts },
          { key: 'missing', header: 'Missing', align: 'right', cell: (s) => <Text size="sm" c={s.missing ? 'red' : undefined}>{s.missing}</Text> },
          { key: 'by', header: 'Imported', sort: 'createdAt', nowrap: true, cell: (s) => <Text size="sm">{s.importedByName ?? 'Tandem'}, {formatDateTime(s.createdAt)}</Text> },
        ]}
      />
      {shownId && shown.isPending && <PageLoader embedded />}
      {shown.isError && <QueryError embedded error={shown.error} retry={() => void shown.refetch()} />}
      {scan && (
        <>
          <Title order={2} size="h4">
            {scan.storeCode} scan of {formatDateTime(scan.scannedAt)}
          </Title>
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
