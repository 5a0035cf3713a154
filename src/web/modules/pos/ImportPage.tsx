import { Alert, Badge, Button, Card, Checkbox, Code, Grid, Group, Input, List, Modal, Paper, Progress, ScrollArea, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconCircleCheck, IconUpload } from '@tabler/icons-react';
import { useEffect, useId, useRef, useState } from 'react';
import type { Problem } from '../../../contracts/errors';
import { IMPORT_STATUSES, POS_FORMATS, type PosFormat, type PosImport } from '../../../contracts/pos';
import { ApiRequestError, get, toQueryString } from '../../api';
import { formatDateTime, formatNumber, fromNow } from '../../ui/format';
import { ListTable, ListTools, useUrlList } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { CreateStoresButton } from './CreateStoresButton';
import { useInvalidatePos } from './shared';

const FORMAT_LABELS: Record<PosFormat, string> = { csv: 'CSV (Tandem format)', ndjson: 'NDJSON (one JSON object a line)', poslog: 'POSLog XML (ARTS/NRF)' };
const CONTENT_TYPES: Record<PosFormat, string> = { csv: 'text/csv', ndjson: 'application/x-ndjson', poslog: 'application/xml' };
const REQUIRED = ['store', 'register', 'cashier_id', 'transaction', 'business_day', 'start', 'type', 'total'];
const OPTIONAL = ['cashier_name', 'end', 'items', 'line_voids', 'line_void_amount', 'price_overrides', 'price_override_amount', 'discount_amount', 'employee_discount', 'manual_entries', 'tender', 'card_entry', 'card_token', 'original_transaction', 'manager_override', 'voided_after_total', 'gift_card_issued'];

function formatOf(name: string): PosFormat | null {
  const n = name.toLowerCase();
  if (n.endsWith('.csv') || n.endsWith('.txt')) return 'csv';
  if (n.endsWith('.ndjson') || n.endsWith('.jsonl') || n.endsWith('.json')) return 'ndjson';
  if (n.endsWith('.xml')) return 'poslog';
  return null;
}

const formatBytes = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`);

type Phase = { kind: 'idle' } | { kind: 'uploading'; sent: number; total: number } | { kind: 'processing'; job: PosImport } | { kind: 'done'; job: PosImport } | { kind: 'error'; error: ApiRequestError };

/** Sends the file with XMLHttpRequest (for upload progress events); resolves with the import record the server answers (202). */
function upload(file: File, format: PosFormat, skipInvalid: boolean, onProgress: (sent: number, total: number) => void): Promise<PosImport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/pos/imports${toQueryString({ skipInvalid: skipInvalid ? 'true' : undefined, filename: file.name, format })}`);
    xhr.setRequestHeader('content-type', CONTENT_TYPES[format]);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiRequestError(0, 'network', 'Cannot reach the Tandem server. Check your connection and try again.'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body as PosImport);
      const err = (body as { error?: { code?: string; message?: string; problems?: Problem[]; total?: number } } | null)?.error;
      reject(new ApiRequestError(xhr.status, err?.code ?? `http_${xhr.status}`, err?.message ?? `Upload failed (${xhr.status})`, err?.problems ?? [], err?.total));
    };
    xhr.send(file);
  });
}

export function ImportPage() {
  const canImport = useCan('pos:import');
  const invalidate = useInvalidatePos();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<PosFormat | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [shown, setShown] = useState<PosImport | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const list = useUrlList<PosImport, 'startedAt'>({ key: 'pos-imports', path: '/api/pos/imports', sort: { sort: 'startedAt', order: 'desc' }, limit: 20 });
  const wide = useMediaQuery('(min-width: 48em)', true);
  const busy = phase.kind === 'uploading' || phase.kind === 'processing';

  const start = async () => {
    if (!file || !format) return;
    setPhase({ kind: 'uploading', sent: 0, total: file.size });
    try {
      let job = await upload(file, format, skipInvalid, (sent, total) => alive.current && setPhase({ kind: 'uploading', sent, total }));
      // The server reads and checks the file after the upload: follow it until it is done.
      while ((job.status === 'running' || job.status === 'queued') && alive.current) {
        setPhase({ kind: 'processing', job });
        await new Promise((r) => setTimeout(r, 400));
        job = await get<PosImport>(`/api/pos/imports/${job.id}`);
      }
      if (!alive.current) return;
      setPhase({ kind: 'done', job });
      invalidate();
    } catch (err) {
      if (!alive.current) return;
      setPhase({ kind: 'error', error: err instanceof ApiRequestError ? err : new ApiRequestError(0, 'error', (err as Error).message) });
    }
  };

  return (
    <>
      <PageHeader title="POS imports" description="Load transactions from the registers. Each import is checked line by line; re-importing the same file adds nothing twice." />

      {canImport && (
        <Grid gap="md" mb="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Card padding="lg" h="100%">
              <Title order={4} mb="sm">
                Upload a file
              </Title>
              <Stack gap="sm">
                <Input.Wrapper label="POS file" description="CSV, NDJSON or POSLog XML, any size" labelElement="label" id={inputId}>
                  <input
                    id={inputId}
                    type="file"
                    accept=".csv,.txt,.ndjson,.jsonl,.json,.xml,text/csv,application/xml,text/xml"
                    disabled={busy}
                    style={{ display: 'block', marginTop: 6, maxWidth: '100%' }}
                    onChange={(e) => {
                      const f = e.currentTarget.files?.[0] ?? null;
                      setFile(f);
                      setFormat(f ? formatOf(f.name) : null);
                      if (!busy) setPhase({ kind: 'idle' });
                    }}
                  />
                </Input.Wrapper>
                <Select
                  label="Format"
                  placeholder="Choose the file's format"
                  description={file && formatOf(file.name) ? 'Taken from the file name' : undefined}
                  data={POS_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))}
                  value={format}
                  onChange={(v) => setFormat(v as PosFormat | null)}
                  disabled={busy}
                  allowDeselect={false}
                />
                <Checkbox
                  label="Skip invalid rows"
                  description="Import the good rows and list the bad ones. Without this, one bad row stops the whole import and nothing is written."
                  checked={skipInvalid}
                  onChange={(e) => setSkipInvalid(e.currentTarget.checked)}
                  disabled={busy}
                />
                <Group justify="flex-end">
                  <Button leftSection={<IconUpload size={16} />} disabled={!file || !format} loading={busy} onClick={() => void start()}>
                    Import
                  </Button>
                </Group>
                <ImportProgress phase={phase} />
              </Stack>
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Card padding="lg" h="100%">
              <Title order={5} mb="xs">
                Tandem CSV format
              </Title>
              <Text size="sm" mb="xs">
                The first line names the columns. Required: <Code>{REQUIRED.join(', ')}</Code>.
              </Text>
              <Text size="sm" mb="xs">
                Optional: <Code>{OPTIONAL.join(', ')}</Code>.
              </Text>
              <Text size="sm" c="dimmed">
                Times are in the store's local time (<Code>2026-03-10T14:03:22</Code>), money in dollars (<Code>-24.99</Code> for a refund), store codes as in
                Stores. NDJSON uses the same names as keys; POSLog XML is read as exported by the POS.
              </Text>
            </Card>
          </Grid.Col>
        </Grid>
      )}

      {phase.kind === 'done' && (
        <Card padding="lg" mb="lg" data-testid="import-result">
          <ImportSummary job={phase.job} />
        </Card>
      )}

      <Group justify="space-between" mb="sm" align="flex-end">
        <Title order={4}>Past imports</Title>
        <Group gap="sm" align="flex-end">
          <Select label="Status" placeholder="Any status" clearable data={IMPORT_STATUSES.map((s) => ({ value: s, label: IMPORT_STATUS_TEXT[s] }))} {...list.field('status')} w={180} />
          <ListTools list={list} />
        </Group>
      </Group>
      <ListTable
        list={list}
        testId="imports-table"
        minWidth={wide ? 860 : 600}
        noun="imports"
        empty={list.hasFilters ? 'No imports match these filters.' : 'No imports yet. Upload the first file above.'}
        onRowClick={setShown}
        columns={[
          {
            key: 'startedAt',
            header: 'Started',
            sort: 'startedAt',
            nowrap: true,
            cell: (i) => (
              <Text size="sm" title={formatDateTime(i.startedAt)}>
                {fromNow(i.startedAt)}
              </Text>
            ),
          },
          {
            key: 'file',
            header: 'File',
            maw: 260,
            cell: (i) => (
              <>
                <Button variant="subtle" size="compact-sm" px={0} onClick={() => setShown(i)} style={{ maxWidth: '100%' }}>
                  <Text size="sm" truncate>
                    {i.filename}
                  </Text>
                </Button>
                <Text size="xs" c="dimmed">
                  {i.format.toUpperCase()} · {i.source}
                  {i.bytesTotal ? ` · ${formatBytes(i.bytesTotal)}` : ''}
                </Text>
              </>
            ),
          },
          { key: 'status', header: 'Status', cell: (i) => <ImportStatusBadge status={i.status} /> },
          { key: 'imported', header: 'Imported', align: 'right', cell: (i) => formatNumber(i.rowsInserted) },
          { key: 'duplicates', header: 'Duplicates', align: 'right', cell: (i) => formatNumber(i.rowsDuplicate) },
          {
            key: 'invalid',
            header: 'Invalid',
            align: 'right',
            cell: (i) => (
              <Text size="sm" c={i.rowsInvalid || i.errorTotal ? 'red' : undefined}>
                {formatNumber(Math.max(i.rowsInvalid, i.errorTotal))}
              </Text>
            ),
          },
          { key: 'by', header: 'By', cell: (i) => <Text size="sm">{i.createdByName ?? (i.source === 'demo' ? 'Demo data' : '—')}</Text> },
        ]}
      />
      <Modal opened={!!shown} onClose={() => setShown(null)} title={shown ? `Import of ${shown.filename}` : ''} size="xl">
        {shown && <ImportSummary job={shown} />}
      </Modal>
    </>
  );
}

const IMPORT_STATUS_TEXT: Record<PosImport['status'], string> = { queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed' };

function ImportStatusBadge({ status }: { status: PosImport['status'] }) {
  const color = status === 'succeeded' ? 'teal' : status === 'failed' ? 'red' : status === 'queued' ? 'gray' : 'blue';
  return (
    <Badge variant="light" color={color} size="sm">
      {IMPORT_STATUS_TEXT[status]}
    </Badge>
  );
}

/** Upload progress (bytes sent by the browser), then the server's own progress (bytes read and rows checked). */
function ImportProgress({ phase }: { phase: Phase }) {
  if (phase.kind === 'idle') return null;
  if (phase.kind === 'done') {
    const ok = phase.job.status === 'succeeded';
    return (
      <Stack gap={6} data-testid="import-progress">
        <Group justify="space-between">
          <Text size="sm" fw={600} c={ok ? 'teal' : 'red'}>
            {ok ? 'Done' : 'Stopped'}: {phase.job.message}
          </Text>
          <Text size="sm" c="dimmed">
            {formatNumber(phase.job.rowsRead)} rows read
          </Text>
        </Group>
        <Progress value={100} size="lg" color={ok ? 'teal' : 'red'} aria-label="Import progress" />
      </Stack>
    );
  }
  if (phase.kind === 'error') {
    const e = phase.error;
    return (
      <Alert color="red" icon={<IconAlertTriangle />} title="The file was not imported" data-testid="import-error">
        {e.message}
        {e.problems.length > 0 && <ProblemList problems={e.problems} total={e.total ?? e.problems.length} />}
      </Alert>
    );
  }
  const uploading = phase.kind === 'uploading';
  const job = phase.kind === 'processing' ? phase.job : null;
  const pct = uploading ? (phase.total ? (phase.sent / phase.total) * 100 : 0) : job?.bytesTotal ? (job.bytesRead / job.bytesTotal) * 100 : 100;
  if (job?.status === 'queued') {
    // Imports run one at a time per server: say where this one stands.
    return (
      <Stack gap={6} data-testid="import-progress">
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            {job.message}
          </Text>
          <Badge variant="light" color="gray" data-testid="queue-position">
            Position {job.queuePosition ?? 1} in the queue
          </Badge>
        </Group>
        <Progress value={0} size="lg" aria-label="Import progress" color="gray" />
      </Stack>
    );
  }
  return (
    <Stack gap={6} data-testid="import-progress">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {uploading ? 'Uploading…' : (job?.message ?? 'Checking the rows…')}
        </Text>
        <Text size="sm" c="dimmed">
          {uploading ? `${formatBytes(phase.sent)} of ${formatBytes(phase.total)}` : `${formatNumber(job?.rowsRead ?? 0)} rows read`}
        </Text>
      </Group>
      <Progress value={Math.min(100, pct)} size="lg" animated striped={!uploading} aria-label={uploading ? 'Upload progress' : 'Import progress'} color={uploading ? 'blue' : 'teal'} />
    </Stack>
  );
}

function ProblemList({ problems, total }: { problems: Problem[]; total: number }) {
  return (
    <ScrollArea.Autosize mah={260} mt="xs">
      <Table fz="sm" verticalSpacing={2} data-testid="import-errors">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={problems.some((p) => p.record) ? 260 : 70}>{problems.some((p) => p.record) ? 'Where' : 'Line'}</Table.Th>
            <Table.Th w={150}>Field</Table.Th>
            <Table.Th>Problem</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((p, i) => (
            <Table.Tr key={i}>
              <Table.Td>{p.record ?? p.line ?? '—'}</Table.Td>
              <Table.Td>{p.field ? <Code>{p.field}</Code> : '—'}</Table.Td>
              <Table.Td>{p.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {total > problems.length && (
        <Text size="sm" mt="xs">
          Showing the first {problems.length} of {formatNumber(total)} problems.
        </Text>
      )}
    </ScrollArea.Autosize>
  );
}

function Figure({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={color} data-testid={`import-${label.toLowerCase().replace(/\s+/g, '-')}`}>
        {formatNumber(value)}
      </Text>
    </Paper>
  );
}

export function ImportSummary({ job }: { job: PosImport }) {
  const ok = job.status === 'succeeded';
  return (
    <Stack gap="md">
      <Alert
        color={ok ? (job.errorTotal ? 'yellow' : 'teal') : job.status === 'failed' ? 'red' : 'blue'}
        icon={ok ? <IconCircleCheck /> : <IconAlertTriangle />}
        title={ok ? `Imported ${job.filename}` : job.status === 'failed' ? `Nothing was imported from ${job.filename}` : `Importing ${job.filename}`}
        data-testid="import-status"
      >
        {job.message}
        {job.durationMs != null && ` · ${(job.durationMs / 1000).toFixed(1)} s`}
        {job.createdByName && ` · by ${job.createdByName}`} · {formatDateTime(job.startedAt)}
        {job.skipInvalid && ' · invalid rows skipped'}
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Figure label="Rows read" value={job.rowsRead} />
        <Figure label="Rows imported" value={job.rowsInserted} color="teal" />
        <Figure label="Duplicates skipped" value={job.rowsDuplicate} />
        <Figure label="Invalid rows" value={Math.max(job.rowsInvalid, ok ? 0 : job.errorTotal)} color={job.rowsInvalid || job.errorTotal ? 'red' : undefined} />
      </SimpleGrid>
      {job.unknownStores.length > 0 && (
        <Alert color="orange" variant="light" title="Unknown store codes" data-testid="unknown-stores">
          <Text size="sm" mb={4}>
            These codes are not in Stores; their rows were not imported. Add the stores or fix the codes.
          </Text>
          <List size="sm">
            {job.unknownStores.map((s) => (
              <List.Item key={s}>
                <Code>{s}</Code>
              </List.Item>
            ))}
          </List>
          <Group mt="xs">
            <CreateStoresButton codes={job.unknownStores} />
          </Group>
        </Alert>
      )}
      {job.errors.length > 0 && (
        <div>
          <Title order={5}>Problems ({formatNumber(job.errorTotal)})</Title>
          <ProblemList problems={job.errors} total={job.errorTotal} />
        </div>
      )}
    </Stack>
  );
}
