import { ActionIcon, Alert, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDownload, IconFileTypePdf, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ACTIVITIES, planFigures, poeStandard, POE_CLASS_WATTS, RESOLUTIONS, type PlanLine } from '../../../contracts/camera-planner';
import type { CameraPlan } from '../../../contracts/devices';
import { del, get, patch, post } from '../../api';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { mbps, OverBadge } from './shared';
import { formatDecimal } from '../../ui/format';

const NEW_LINE: PlanLine = { label: '', quantity: 1, resolutionMp: 4, codec: 'h265', fps: 15, activity: 'medium', recording: 'continuous', motionPercent: 30, retentionDays: 30, poeClass: 3 };
interface Draft {
  id?: string;
  storeId: string | null;
  name: string;
  project: string;
  offsitePercent: number;
  switchPoeBudgetW: number | null;
  lines: PlanLine[];
}
const emptyDraft = (): Draft => ({ storeId: null, name: '', project: '', offsitePercent: 100, switchPoeBudgetW: null, lines: [{ ...NEW_LINE }] });
const toDraft = (p: CameraPlan): Draft => ({ id: p.id, storeId: p.storeId, name: p.name, project: p.project, offsitePercent: p.offsitePercent, switchPoeBudgetW: p.switchPoeBudgetW, lines: p.lines });

export function PlannerPage() {
  const canPlan = useCan('devices:plan');
  const stores = useStores();
  const queryClient = useQueryClient();
  const plans = useQuery({ queryKey: ['/api/camera-plans'], queryFn: ({ signal }) => get<{ items: CameraPlan[] }>('/api/camera-plans', undefined, signal) });
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (!draft && plans.data?.items[0]) {
      setSelected(plans.data.items[0].id);
      setDraft(toDraft(plans.data.items[0]));
    }
  }, [plans.data, draft]);
  const network = useQuery({
    queryKey: ['/api/camera-plans/network', draft?.storeId],
    queryFn: ({ signal }) => get<{ uplinkMbps: number; inventoryPoeBudgetW: number | null; existingPoeWatts: number }>(`/api/camera-plans/network/${draft!.storeId}`, undefined, signal),
    enabled: !!draft?.storeId,
  });
  const figures = useMemo(() => {
    if (!draft || !network.data) return null;
    return planFigures({ lines: draft.lines, offsitePercent: draft.offsitePercent, uplinkMbps: network.data.uplinkMbps, poeBudgetW: draft.switchPoeBudgetW ?? network.data.inventoryPoeBudgetW, existingPoeWatts: network.data.existingPoeWatts });
  }, [draft, network.data]);
  const save = useMutation({
    mutationFn: (d: Draft) => {
      const body = { name: d.name, project: d.project, offsitePercent: d.offsitePercent, switchPoeBudgetW: d.switchPoeBudgetW, lines: d.lines };
      return d.id ? patch<CameraPlan>(`/api/camera-plans/${d.id}`, body) : post<CameraPlan>('/api/camera-plans', { ...body, storeId: d.storeId });
    },
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/camera-plans'] });
      setSelected(p.id);
      setDraft(toDraft(p));
      notifySuccess(`Plan "${p.name}" saved`);
    },
    onError: (err) => notifyError(err),
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/camera-plans/${id}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['/api/camera-plans'] });
      setSelected(null);
      setDraft(emptyDraft());
    },
    onError: (err) => notifyError(err),
  });
  if (plans.isPending) return <PageLoader />;
  if (plans.isError) return <QueryError error={plans.error} retry={() => void plans.refetch()} />;
  const setLine = (i: number, patchLine: Partial<PlanLine>) => setDraft((d) => (d ? { ...d, lines: d.lines.map((l, j) => (j === i ? { ...l, ...patchLine } : l)) } : d));
  const numberOr = (v: string | number, fallback: number) => (v === '' ? fallback : Number(v));

  return (
    <Stack>
      <PageHeader
        title="Camera roll-out planner"
        description="Bitrate, storage, PoE and uplink for a store's cameras, checked against its switches and uplink. Formulas: docs/camera-planner.md."
        actions={
          canPlan && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => {
                setSelected(null);
                setDraft(emptyDraft());
              }}
            >
              New plan
            </Button>
          )
        }
      />
      <Select
        label="Plan"
        placeholder={plans.data.items.length ? 'Choose a plan' : 'No plans yet'}
        data={plans.data.items.map((p) => ({ value: p.id, label: `${p.storeCode} · ${p.name}${p.figures.overUplink || p.figures.overPoe ? ' (over capacity)' : ''}` }))}
        value={selected}
        onChange={(id) => {
          setSelected(id);
          const p = plans.data.items.find((x) => x.id === id);
          if (p) setDraft(toDraft(p));
        }}
        maw={520}
      />
      {draft && (
        <>
          <Paper p="md">
            <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
              <Select label="Store" required searchable disabled={!!draft.id} data={storeOptions(stores.data)} value={draft.storeId} onChange={(v) => setDraft({ ...draft, storeId: v })} />
              <TextInput label="Plan name" required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
              <TextInput label="Project" value={draft.project} onChange={(e) => setDraft({ ...draft, project: e.currentTarget.value })} />
              <NumberInput label="Streamed off site (%)" description="Monitoring centre, cloud recording" min={0} max={100} value={draft.offsitePercent} onChange={(v) => setDraft({ ...draft, offsitePercent: numberOr(v, 0) })} />
              <NumberInput
                label="Switch PoE budget (W)"
                description={network.data?.inventoryPoeBudgetW != null ? `Inventory: ${network.data.inventoryPoeBudgetW} W` : 'No switch budget in the inventory'}
                min={0}
                value={draft.switchPoeBudgetW ?? ''}
                onChange={(v) => setDraft({ ...draft, switchPoeBudgetW: v === '' ? null : Number(v) })}
              />
            </SimpleGrid>
          </Paper>
          <Paper>
            <Table.ScrollContainer minWidth={1100}>
              <Table data-testid="plan-lines">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Cameras</Table.Th>
                    <Table.Th>Where</Table.Th>
                    <Table.Th>Resolution</Table.Th>
                    <Table.Th>Codec</Table.Th>
                    <Table.Th>fps</Table.Th>
                    <Table.Th>Scene activity</Table.Th>
                    <Table.Th>Recording</Table.Th>
                    <Table.Th>Retention (days)</Table.Th>
                    <Table.Th>PoE class</Table.Th>
                    <Table.Th>Mbps</Table.Th>
                    <Table.Th>TB</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {draft.lines.map((l, i) => (
                    <Table.Tr key={i}>
                      <Table.Td w={90}>
                        <NumberInput aria-label={`Cameras, line ${i + 1}`} min={1} max={500} value={l.quantity} onChange={(v) => setLine(i, { quantity: numberOr(v, 1) })} />
                      </Table.Td>
                      <Table.Td>
                        <TextInput aria-label={`Where, line ${i + 1}`} value={l.label} onChange={(e) => setLine(i, { label: e.currentTarget.value })} />
                      </Table.Td>
                      <Table.Td w={150}>
                        <Select aria-label={`Resolution, line ${i + 1}`} allowDeselect={false} data={RESOLUTIONS.map((r) => ({ value: String(r.mp), label: r.label }))} value={String(l.resolutionMp)} onChange={(v) => setLine(i, { resolutionMp: Number(v) })} />
                      </Table.Td>
                      <Table.Td w={100}>
                        <Select aria-label={`Codec, line ${i + 1}`} allowDeselect={false} data={[{ value: 'h264', label: 'H.264' }, { value: 'h265', label: 'H.265' }]} value={l.codec} onChange={(v) => setLine(i, { codec: v as PlanLine['codec'] })} />
                      </Table.Td>
                      <Table.Td w={80}>
                        <NumberInput aria-label={`Frame rate, line ${i + 1}`} min={1} max={60} value={l.fps} onChange={(v) => setLine(i, { fps: numberOr(v, 15) })} />
                      </Table.Td>
                      <Table.Td w={110}>
                        <Select aria-label={`Activity, line ${i + 1}`} allowDeselect={false} data={ACTIVITIES.map((a) => ({ value: a, label: a[0].toUpperCase() + a.slice(1) }))} value={l.activity} onChange={(v) => setLine(i, { activity: v as PlanLine['activity'] })} />
                      </Table.Td>
                      <Table.Td w={190}>
                        <Group gap={4} wrap="nowrap">
                          <Select aria-label={`Recording, line ${i + 1}`} allowDeselect={false} data={[{ value: 'continuous', label: 'Continuous' }, { value: 'motion', label: 'Motion' }]} value={l.recording} onChange={(v) => setLine(i, { recording: v as PlanLine['recording'] })} />
                          {l.recording === 'motion' && <NumberInput aria-label={`Motion share %, line ${i + 1}`} w={70} min={1} max={100} suffix="%" value={l.motionPercent} onChange={(v) => setLine(i, { motionPercent: numberOr(v, 30) })} />}
                        </Group>
                      </Table.Td>
                      <Table.Td w={90}>
                        <NumberInput aria-label={`Retention days, line ${i + 1}`} min={1} value={l.retentionDays} onChange={(v) => setLine(i, { retentionDays: numberOr(v, 30) })} />
                      </Table.Td>
                      <Table.Td w={150}>
                        <Select aria-label={`PoE class, line ${i + 1}`} allowDeselect={false} data={[0, 1, 2, 3, 4, 5, 6, 7, 8].map((c) => ({ value: String(c), label: `${c} · ${poeStandard(c)} ${POE_CLASS_WATTS[c]} W` }))} value={String(l.poeClass)} onChange={(v) => setLine(i, { poeClass: Number(v) })} />
                      </Table.Td>
                      <Table.Td>{figures ? figures.lines[i].mbps : '—'}</Table.Td>
                      <Table.Td>{figures ? figures.lines[i].storageTb : '—'}</Table.Td>
                      <Table.Td>
                        <ActionIcon variant="subtle" color="red" aria-label={`Remove line ${i + 1}`} disabled={draft.lines.length === 1} onClick={() => setDraft({ ...draft, lines: draft.lines.filter((_, j) => j !== i) })}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group p="sm">
              <Button variant="subtle" leftSection={<IconPlus size={16} />} onClick={() => setDraft({ ...draft, lines: [...draft.lines, { ...NEW_LINE }] })}>
                Add cameras
              </Button>
            </Group>
          </Paper>
          {!draft.storeId && <Alert color="blue">Choose the store to check the plan against its uplink and switches.</Alert>}
          {figures && (
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
              <Paper p="md">
                <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                  Video
                </Text>
                <Text fz={24} fw={700}>
                  {mbps(figures.totalMbps)}
                </Text>
                <Text size="sm" c="dimmed">
                  {figures.cameras} cameras
                </Text>
              </Paper>
              <Paper p="md">
                <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                  Storage
                </Text>
                <Text fz={24} fw={700}>
                  {formatDecimal(figures.storageTb, 2)} TB
                </Text>
                <Text size="sm" c="dimmed">
                  at the retention set per line
                </Text>
              </Paper>
              <Paper p="md" data-testid="uplink-status" bg={figures.overUplink ? 'var(--mantine-color-red-light)' : undefined}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                  Uplink
                </Text>
                <Text fz={24} fw={700} c={figures.overUplink ? 'red' : undefined}>
                  {mbps(figures.uplinkNeededMbps)} of {mbps(figures.uplinkMbps)}
                </Text>
                <OverBadge over={figures.overUplink}>{figures.overUplink ? `Over by ${mbps(-figures.uplinkHeadroomMbps)}` : `Headroom ${mbps(figures.uplinkHeadroomMbps)}`}</OverBadge>
              </Paper>
              <Paper p="md" data-testid="poe-status" bg={figures.overPoe ? 'var(--mantine-color-red-light)' : undefined}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                  PoE
                </Text>
                <Text fz={24} fw={700} c={figures.overPoe ? 'red' : undefined}>
                  {figures.poeWatts} W {figures.poeBudgetW != null ? `+ ${figures.existingPoeWatts} W of ${figures.poeBudgetW} W` : ''}
                </Text>
                {figures.poeBudgetW != null ? (
                  <OverBadge over={figures.overPoe}>{figures.overPoe ? `Over by ${-figures.poeHeadroomW!} W` : `Headroom ${figures.poeHeadroomW} W`}</OverBadge>
                ) : (
                  <Text size="sm" c="dimmed">
                    Set the switch budget to check it
                  </Text>
                )}
              </Paper>
            </SimpleGrid>
          )}
          {canPlan && (
            <Group justify="flex-end">
              {draft.id && (
                <Button variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate(draft.id!)}>
                  Delete plan
                </Button>
              )}
              {draft.id && (
                <Button variant="default" component="a" href={`/api/camera-plans/${draft.id}/export`} download leftSection={<IconDownload size={16} />}>
                  Export CSV
                </Button>
              )}
              {draft.id && (
                <Button variant="default" component="a" href={`/api/camera-plans/${draft.id}/pdf`} download leftSection={<IconFileTypePdf size={16} />}>
                  Export PDF
                </Button>
              )}
              <Button loading={save.isPending} disabled={!draft.storeId || !draft.name.trim()} onClick={() => save.mutate(draft)}>
                Save plan
              </Button>
            </Group>
          )}
          <Title order={3} size="h6" c="dimmed">
            Figures are planning estimates: average bitrate per camera from resolution, frame rate, codec and scene activity, calibrated against published vendor tables.
          </Title>
        </>
      )}
    </Stack>
  );
}
