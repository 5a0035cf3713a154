import { ActionIcon, Alert, Anchor, Button, Card, Code, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAdjustments, IconInfoCircle, IconPlus, IconTrash, IconVideo } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { METRICS, type Metric, type PosSettings, type VideoConfig } from '../../../contracts/pos';
import { api, get, isApiError, patch } from '../../api';
import { formatDateTime } from '../../ui/format';
import { SCOPE_TEXTS } from '../../../contracts/policy';
import { applyServerErrors } from '../../ui/forms';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { capitalise, metricLabel, useInvalidatePos } from './shared';
import { usePosSettings, type PosSettingsResponse } from './usePos';

export { validatePosSettingsSearch, type PosSettingsSearch } from './search';


const route = getRouteApi('/_app/pos/settings');

export function SettingsPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const canVideo = useCan('pos:video');
  const tab = search.tab ?? 'scoring';
  return (
    <>
      <PageHeader title="POS settings" description="How risk scores are computed, and how each store's video system opens at a transaction's second." />
      <Tabs value={tab} onChange={(v) => void navigate({ to: '/pos/settings', search: { ...search, tab: (v as 'scoring' | 'video') ?? 'scoring' } })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="scoring" leftSection={<IconAdjustments size={16} />}>
            Weights and thresholds
          </Tabs.Tab>
          {canVideo && (
            <Tabs.Tab value="video" leftSection={<IconVideo size={16} />}>
              Video per store
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="scoring">
          <ScoringSettings />
        </Tabs.Panel>
        {canVideo && (
          <Tabs.Panel value="video">
            <VideoSettings storeId={search.storeId} onStore={(storeId) => void navigate({ to: '/pos/settings', search: { tab: 'video', storeId: storeId ?? undefined } })} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

// ------------------------------------------------------------------ weights and thresholds

type ScoringValues = Record<Metric, number> & {
  watchThreshold: number;
  highThreshold: number;
  priorTransactions: number;
  chainWeightPct: number;
  largeAmount: number;
  refundMatchMinutes: number;
  storeOpenHour: number;
  storeCloseHour: number;
  retentionMonths: number;
};

const toValues = (s: PosSettingsResponse): ScoringValues => ({
  ...s.weights,
  watchThreshold: s.watchThreshold,
  highThreshold: s.highThreshold,
  priorTransactions: s.priorTransactions,
  chainWeightPct: Math.round(s.chainWeight * 100),
  largeAmount: s.largeAmountCents / 100,
  refundMatchMinutes: s.refundMatchMinutes,
  storeOpenHour: s.storeOpenHour,
  storeCloseHour: s.storeCloseHour,
  retentionMonths: s.retentionMonths,
});

const ALIASES: Record<string, string> = {
  ...Object.fromEntries(METRICS.map((m) => [`weights.${m}`, m])),
  chainWeight: 'chainWeightPct',
  largeAmountCents: 'largeAmount',
};

function ScoringSettings() {
  const settings = usePosSettings();
  if (settings.isPending) return <PageLoader embedded />;
  if (settings.isError) return <QueryError embedded error={settings.error} retry={() => void settings.refetch()} />;
  return <ScoringForm settings={settings.data} />;
}

function ScoringForm({ settings }: { settings: PosSettingsResponse }) {
  const canEdit = useCan('pos:settings');
  const invalidate = useInvalidatePos();
  const form = useForm<ScoringValues>({ initialValues: toValues(settings) });
  const save = useMutation({
    mutationFn: (v: ScoringValues) => {
      const body: Partial<PosSettings> = {
        weights: Object.fromEntries(METRICS.map((m) => [m, Number(v[m])])) as PosSettings['weights'],
        watchThreshold: Number(v.watchThreshold),
        highThreshold: Number(v.highThreshold),
        priorTransactions: Number(v.priorTransactions),
        chainWeight: Number(v.chainWeightPct) / 100,
        largeAmountCents: Math.round(Number(v.largeAmount) * 100),
        refundMatchMinutes: Number(v.refundMatchMinutes),
        storeOpenHour: Number(v.storeOpenHour),
        storeCloseHour: Number(v.storeCloseHour),
        retentionMonths: Number(v.retentionMonths),
      };
      return patch<PosSettingsResponse>('/api/pos/settings', body);
    },
    onSuccess: (saved) => {
      invalidate();
      form.setInitialValues(toValues(saved));
      form.reset();
      notifySuccess('Every period was rescored with the new settings', 'Settings saved');
    },
    onError: (err) => applyServerErrors(form, err, ALIASES),
  });
  const num = (name: keyof ScoringValues, label: string, props: { min?: number; max?: number; step?: number; decimalScale?: number; description?: string; prefix?: string; suffix?: string } = {}) => (
    <NumberInput key={name} label={label} disabled={!canEdit} allowNegative={false} {...props} {...form.getInputProps(name)} />
  );
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack gap="md">
        {!canEdit && (
          <Alert color="blue" variant="light" icon={<IconInfoCircle />}>
            {SCOPE_TEXTS.posSettings} You can read the current settings here.
          </Alert>
        )}
        <Card padding="lg">
          <Title order={4} mb={4}>
            Bands and sample size
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            A cashier-week at or above the high threshold becomes an exception in the queue. The prior keeps a cashier with a handful of transactions
            from topping the list by chance.
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
            {num('watchThreshold', 'Watch from score', { min: 1, max: 100 })}
            {num('highThreshold', 'High from score', { min: 1, max: 100 })}
            {num('priorTransactions', 'Prior (transactions)', { min: 0, max: 10000, description: 'Shrinks small samples toward the store' })}
            {num('chainWeightPct', 'Weight of the chain comparison', { min: 0, max: 100, suffix: '%', description: 'The rest: against the store’s cashiers' })}
          </SimpleGrid>
        </Card>
        <Card padding="lg">
          <Title order={4} mb={4}>
            Transaction rules
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Each flagged transaction becomes an exception. Changes apply to files imported from now on.
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
            {num('largeAmount', 'Large amount', { min: 0, decimalScale: 2, prefix: '$', description: 'Post-voids, voids after total, keyed sales' })}
            {num('refundMatchMinutes', 'Refund “soon after” a sale', { min: 1, max: 1440, suffix: ' min' })}
            {num('storeOpenHour', 'Store opens (hour)', { min: 0, max: 23, description: 'No-sales outside hours are flagged' })}
            {num('storeCloseHour', 'Store closes (hour)', { min: 1, max: 24 })}
          </SimpleGrid>
        </Card>
        <Card padding="lg">
          <Title order={4} mb={4}>
            Retention
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Each night, months of POS transactions older than this are removed with their cashier-day figures, scores and the exceptions no case
            holds; the removal is recorded in the audit trail. The current month is always kept on top of these.
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
            {num('retentionMonths', 'Keep POS data for', { min: 3, max: 120, suffix: ' months', description: 'Full months before the current one' })}
          </SimpleGrid>
        </Card>
        <Card padding="lg">
          <Title order={4} mb={4}>
            Metric weights
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            How much each metric counts in the risk score, 0 to 10. 0 switches a metric off.
          </Text>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
            {METRICS.map((m) => num(m, capitalise(metricLabel(m)) + (m === 'low_avg_item_value' ? ' (low)' : ''), { min: 0, max: 10, step: 0.25, decimalScale: 2 }))}
          </SimpleGrid>
        </Card>
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {settings.updatedAt ? `Last changed ${formatDateTime(settings.updatedAt)}${settings.updatedByName ? ` by ${settings.updatedByName}` : ''}` : 'Default settings'}
          </Text>
          {canEdit && (
            <Group gap="xs">
              <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty()}>
                Undo changes
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                Save and rescore
              </Button>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}

// ------------------------------------------------------------------ video per store

const PLACEHOLDERS = ['{camera}', '{start_iso}', '{end_iso}', '{start_epoch}', '{end_epoch}', '{start_epoch_ms}', '{end_epoch_ms}'];

interface VideoValues {
  urlTemplate: string;
  leadInSeconds: number;
  leadOutSeconds: number;
  registers: { register: string; camera: string }[];
}

function VideoSettings({ storeId, onStore }: { storeId?: string; onStore: (id: string | null) => void }) {
  const stores = useStores();
  const active = (stores.data ?? []).filter((s) => s.active);
  const current = storeId ?? active[0]?.id ?? null;
  const video = useQuery({
    queryKey: ['/api/pos/stores', current, 'video'],
    queryFn: ({ signal }) => get<VideoConfig>(`/api/pos/stores/${current}/video`, undefined, signal),
    enabled: !!current,
  });
  if (stores.isPending) return <PageLoader embedded />;
  return (
    <Stack gap="md">
      <Paper p="md">
        <Select label="Store" searchable allowDeselect={false} data={storeOptions(stores.data)} value={current} onChange={onStore} maw={360} />
      </Paper>
      {!current ? (
        <Text c="dimmed">No stores yet.</Text>
      ) : video.isPending ? (
        <PageLoader embedded />
      ) : video.isError ? (
        <QueryError embedded error={video.error} retry={() => void video.refetch()} what="store" />
      ) : (
        <VideoForm key={`${video.data.storeId}-${video.data.updatedAt}`} config={video.data} />
      )}
    </Stack>
  );
}

/** The example link: a transaction started now at the first mapped register. */
function previewUrl(v: VideoValues): string | null {
  const camera = v.registers.find((r) => r.camera.trim())?.camera.trim();
  if (!v.urlTemplate.trim() || !camera) return null;
  const startMs = Math.floor(Date.now() / 1000) * 1000;
  const start = new Date(startMs - Number(v.leadInSeconds || 0) * 1000);
  const end = new Date(startMs + 60_000 + Number(v.leadOutSeconds || 0) * 1000);
  const isoS = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const values: Record<string, string> = {
    camera: encodeURIComponent(camera),
    start: isoS(start),
    end: isoS(end),
    start_iso: isoS(start),
    end_iso: isoS(end),
    start_epoch: String(Math.floor(start.getTime() / 1000)),
    end_epoch: String(Math.floor(end.getTime() / 1000)),
    start_epoch_ms: String(start.getTime()),
    end_epoch_ms: String(end.getTime()),
  };
  return v.urlTemplate.trim().replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}

function VideoForm({ config }: { config: VideoConfig }) {
  const invalidate = useInvalidatePos();
  const form = useForm<VideoValues>({
    initialValues: {
      urlTemplate: config.urlTemplate ?? '',
      leadInSeconds: config.leadInSeconds,
      leadOutSeconds: config.leadOutSeconds,
      registers: config.registers.length ? config.registers : [{ register: '', camera: '' }],
    },
  });
  useEffect(() => form.resetDirty(), []); // eslint-disable-line react-hooks/exhaustive-deps
  const save = useMutation({
    mutationFn: (v: VideoValues) =>
      api<VideoConfig>(`/api/pos/stores/${config.storeId}/video`, {
        method: 'PUT',
        body: {
          urlTemplate: v.urlTemplate.trim() || null,
          leadInSeconds: Number(v.leadInSeconds),
          leadOutSeconds: Number(v.leadOutSeconds),
          registers: v.registers.filter((r) => r.register.trim() || r.camera.trim()).map((r) => ({ register: r.register.trim(), camera: r.camera.trim() })),
        },
      }),
    onSuccess: () => {
      invalidate();
      notifySuccess(`Video links of ${config.storeCode} use the new settings`, 'Video settings saved');
    },
    onError: (err) => {
      // registers.N.field paths go straight to the row; the rest through the usual helper.
      if (isApiError(err) && err.problems.some((p) => p.field?.startsWith('registers.'))) {
        for (const p of err.problems) if (p.field) form.setFieldError(p.field, capitalise(p.message));
        return;
      }
      if (!applyServerErrors(form, err) && !isApiError(err)) notifyError(err);
    },
  });
  const preview = previewUrl(form.values);
  const mapped = new Set(form.values.registers.map((r) => r.register.trim()));
  const missing = config.unmappedRegisters.filter((r) => !mapped.has(r));

  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack gap="md">
        <Card padding="lg">
          <Title order={4} mb={4}>
            Playback link of {config.storeCode}
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            The address of the store's video system (VMS/NVR) that opens one camera at a time. Times are filled in UTC; the store is in {config.timezone}.
          </Text>
          <Stack gap="sm">
            <TextInput
              label="Playback URL template"
              placeholder="https://vms.example.com/playback?camera={camera}&from={start_iso}&to={end_iso}"
              description={
                <>
                  Placeholders:{' '}
                  {PLACEHOLDERS.map((p, i) => (
                    <span key={p}>
                      {i > 0 && ' '}
                      <Code>{p}</Code>
                    </span>
                  ))}
                  . ISO times look like 2026-05-04T14:03:22Z; epoch in seconds (or _ms).
                </>
              }
              {...form.getInputProps('urlTemplate')}
            />
            <Group grow align="flex-start" maw={480}>
              <NumberInput label="Lead-in" description="Seconds before the transaction" min={0} max={3600} suffix=" s" allowNegative={false} {...form.getInputProps('leadInSeconds')} />
              <NumberInput label="Lead-out" description="Seconds after it ends" min={0} max={3600} suffix=" s" allowNegative={false} {...form.getInputProps('leadOutSeconds')} />
            </Group>
            {preview && (
              <Text size="sm" style={{ wordBreak: 'break-all' }}>
                Example for a one-minute transaction starting now:{' '}
                <Anchor href={preview} target="_blank" rel="noopener noreferrer" size="sm">
                  {preview}
                </Anchor>
              </Text>
            )}
          </Stack>
        </Card>
        <Card padding="lg">
          <Title order={4} mb={4}>
            Registers and cameras
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Which camera covers each register, by the camera's name or id in the video system.
          </Text>
          {missing.length > 0 && (
            <Alert color="orange" variant="light" mb="md" title="Registers without a camera">
              <Text size="sm" mb={6}>
                Transactions from these registers have no video link:
              </Text>
              <Group gap={6}>
                {missing.map((r) => (
                  <Button key={r} size="compact-sm" variant="light" color="orange" leftSection={<IconPlus size={12} />} onClick={() => form.insertListItem('registers', { register: r, camera: '' })}>
                    Register {r}
                  </Button>
                ))}
              </Group>
            </Alert>
          )}
          <Table verticalSpacing={6} data-testid="register-cameras">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="30%">Register</Table.Th>
                <Table.Th>Camera</Table.Th>
                <Table.Th w={44} aria-label="Remove" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {form.values.registers.map((_, i) => (
                <Table.Tr key={form.key(`registers.${i}`)}>
                  <Table.Td>
                    <TextInput aria-label={`Register of row ${i + 1}`} placeholder="1" {...form.getInputProps(`registers.${i}.register`)} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput aria-label={`Camera of row ${i + 1}`} placeholder={`${config.storeCode}-CAM-R1`} {...form.getInputProps(`registers.${i}.camera`)} />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="gray" aria-label={`Remove row ${i + 1}`} onClick={() => form.removeListItem('registers', i)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Button mt="sm" variant="subtle" size="sm" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('registers', { register: '', camera: '' })}>
            Add a register
          </Button>
        </Card>
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {config.updatedAt ? `Last changed ${formatDateTime(config.updatedAt)}` : 'Not set up yet'}
          </Text>
          <Button type="submit" loading={save.isPending}>
            Save video settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
