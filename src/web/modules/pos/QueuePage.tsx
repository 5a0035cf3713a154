import { Badge, Button, Card, Checkbox, Group, Modal, Paper, Stack, Table, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useHotkeys } from '@mantine/hooks';
import { IconArrowRight, IconEye, IconUserCheck, IconX } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { z } from 'zod';
import type { queueSchema } from '../../../contracts/pos';
import { get, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { formatStoreTime } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { useCan, useMe } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { BandBadge, bandOf, ExceptionStatusBadge, formatMoney, ruleLabel, useInvalidatePos } from './shared';
import { usePosSettings } from './usePos';

type Queue = z.infer<typeof queueSchema>;

/**
 * The investigator's queue: open exceptions grouped under their cashier, the riskiest cashier
 * first; select any number and assign them to yourself, mark them watch or dismiss them with one reason.
 */
export function QueuePage() {
  const me = useMe();
  const canReview = useCan('pos:review');
  const settings = usePosSettings();
  const invalidate = useInvalidatePos();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dismissing, setDismissing] = useState(false);
  const queue = useQuery({ queryKey: ['/api/pos/queue'], queryFn: ({ signal }) => get<Queue>('/api/pos/queue', { limit: 200 }, signal) });
  const navigate = useNavigate();
  const first = queue.data?.groups[0]?.exceptions[0]?.id;
  const openFirst = () => first && void navigate({ to: '/pos/exceptions/$id', params: { id: first } });
  useHotkeys([['n', openFirst]]);
  const bulk = useMutation({
    mutationFn: (body: { action: 'assign' | 'watch'; assigneeId?: string }) => post<{ updated: number }>('/api/pos/exceptions/bulk', { ids: [...selected], ...body }),
    onSuccess: (r, vars) => {
      notifySuccess(`${r.updated} exception${r.updated === 1 ? '' : 's'} ${vars.action === 'assign' ? 'assigned to you' : 'marked watch'}`);
      setSelected(new Set());
      invalidate();
      void queue.refetch();
    },
    onError: (err) => notifyError(err),
  });
  if (queue.isPending) return <PageLoader />;
  if (queue.isError) return <QueryError error={queue.error} />;
  const { groups, total } = queue.data;
  const toggle = (ids: string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const watch = settings.data?.watchThreshold ?? 40;
  const high = settings.data?.highThreshold ?? 70;
  return (
    <Stack>
      <PageHeader
        title="Investigator queue"
        description={`${total} open exception${total === 1 ? '' : 's'} of ${groups.length} cashier${groups.length === 1 ? '' : 's'}, the riskiest first. Times are the store's, with its zone.`}
        actions={
          first ? (
            <Button rightSection={<IconArrowRight size={16} />} onClick={openFirst} title="Keyboard: n">
              Start with the riskiest
            </Button>
          ) : undefined
        }
      />
      {canReview && (
        <Paper withBorder p="sm" pos="sticky" top={60} style={{ zIndex: 2 }}>
          <Group gap="xs" wrap="wrap">
            <Text size="sm" fw={600} data-testid="selected-count">
              {selected.size} selected
            </Text>
            <Button size="xs" leftSection={<IconUserCheck size={14} />} disabled={!selected.size} loading={bulk.isPending && bulk.variables?.action === 'assign'} onClick={() => me.data && bulk.mutate({ action: 'assign', assigneeId: me.data.id })}>
              Assign to me
            </Button>
            <Button size="xs" variant="light" color="yellow" leftSection={<IconEye size={14} />} disabled={!selected.size} loading={bulk.isPending && bulk.variables?.action === 'watch'} onClick={() => bulk.mutate({ action: 'watch' })}>
              Mark watch
            </Button>
            <Button size="xs" variant="light" color="gray" leftSection={<IconX size={14} />} disabled={!selected.size} onClick={() => setDismissing(true)}>
              Dismiss…
            </Button>
          </Group>
        </Paper>
      )}
      {groups.length === 0 && (
        <Card withBorder>
          <Text c="dimmed">The queue is clear: no open exceptions.</Text>
        </Card>
      )}
      {groups.map((g) => {
        const ids = g.exceptions.map((e) => e.id);
        const all = ids.every((id) => selected.has(id));
        const some = ids.some((id) => selected.has(id));
        return (
          <Card key={`${g.storeId}-${g.cashierCode}`} withBorder padding="sm" data-testid="queue-group">
            <Group justify="space-between" wrap="wrap" mb="xs">
              <Group gap="sm">
                {canReview && <Checkbox aria-label={`Select all of ${g.cashierName || g.cashierCode}`} checked={all} indeterminate={some && !all} onChange={(e) => toggle(ids, e.currentTarget.checked)} />}
                <div>
                  <Text fw={700} data-testid="queue-cashier">
                    {g.cashierId ? (
                      <AnchorLink to="/pos/cashiers/$id" params={{ id: g.cashierId }}>
                        {g.cashierName || g.cashierCode}
                      </AnchorLink>
                    ) : (
                      g.cashierName || g.cashierCode
                    )}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {g.storeCode} · cashier {g.cashierCode} · {g.exceptions.length} open
                  </Text>
                </div>
              </Group>
              <BandBadge band={bandOf(g.risk, watch, high)} score={Math.round(g.risk)} />
            </Group>
            <Table.ScrollContainer minWidth={520}>
              <Table verticalSpacing={4} fz="sm">
                <Table.Tbody>
                  {g.exceptions.map((e) => (
                    <Table.Tr key={e.id} data-testid="queue-row">
                      {canReview && (
                        <Table.Td w={36}>
                          <Checkbox aria-label={`Select ${e.ref}`} checked={selected.has(e.id)} onChange={(ev) => toggle([e.id], ev.currentTarget.checked)} />
                        </Table.Td>
                      )}
                      <Table.Td w={90}>
                        <Link to="/pos/exceptions/$id" params={{ id: e.id }}>
                          {e.ref}
                        </Link>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={2}>
                          {ruleLabel(e.rule)}
                          {e.score != null ? ` · score ${Math.round(e.score)}` : e.amountCents != null ? ` · ${formatMoney(e.amountCents)}` : ''}
                        </Text>
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {e.summary}
                        </Text>
                      </Table.Td>
                      <Table.Td w={150}>
                        <Text size="xs">{e.kind === 'cashier_period' ? `Week of ${e.periodStart}` : formatStoreTime(e.occurredAt, e.storeTimezone)}</Text>
                      </Table.Td>
                      <Table.Td w={110}>
                        <Group gap={4}>
                          <ExceptionStatusBadge status={e.status} />
                          {e.assigneeName && (
                            <Badge size="xs" variant="outline" color="gray">
                              {e.assigneeName}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        );
      })}
      <BulkDismissModal
        ids={[...selected]}
        opened={dismissing}
        onClose={() => setDismissing(false)}
        onDone={() => {
          setSelected(new Set());
          invalidate();
          void queue.refetch();
        }}
      />
    </Stack>
  );
}

function BulkDismissModal({ ids, opened, onClose, onDone }: { ids: string[]; opened: boolean; onClose: () => void; onDone: () => void }) {
  const form = useForm({ initialValues: { dismissReason: '' } });
  const save = useMutation({
    mutationFn: (v: { dismissReason: string }) => post<{ updated: number }>('/api/pos/exceptions/bulk', { ids, action: 'dismiss', dismissReason: v.dismissReason.trim() || undefined }),
    onSuccess: (r) => {
      notifySuccess(`${r.updated} exception${r.updated === 1 ? '' : 's'} dismissed`);
      form.reset();
      onClose();
      onDone();
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Dismiss ${ids.length} exception${ids.length === 1 ? '' : 's'}`} centered>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <Textarea label="Reason (one for all)" required autosize minRows={2} {...form.getInputProps('dismissReason')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="gray" loading={save.isPending}>
              Dismiss
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
