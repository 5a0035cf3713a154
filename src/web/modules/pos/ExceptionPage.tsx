import { Alert, Button, Card, Grid, Group, Modal, Select, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useHotkeys, useMediaQuery } from '@mantine/hooks';
import { IconArrowRight, IconCheck, IconEye, IconMessage, IconPlayerPlay, IconRotate, IconUserCheck, IconX } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { exceptionDetailSchema, ExceptionStatus, PosFlag, PosTransaction } from '../../../contracts/pos';
import { get, patch, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { formatDateTime, formatStoreTime, fromNow } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { useCan, useMe } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { useReviewers } from './ExceptionsPage';
import { ExceptionCaseActions } from '../cases/PosCaseActions';
import { BandBadge, capitalise, ExceptionStatusBadge, ExplanationList, formatMoney, Receipt, ruleLabel, STATUS_LABELS, useInvalidatePos, VideoButton, ButtonLink } from './shared';
import { usePosSettings, type PosSettingsResponse } from './usePos';
import { Fact } from '../../ui/Fact';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { RecordHeading } from '../../ui/PageHeader';

type ExceptionDetail = z.infer<typeof exceptionDetailSchema>;
const route = getRouteApi('/_app/pos/exceptions/$id');

/** Why a transaction was flagged, in words an investigator would use. */
export function flagExplanation(flag: PosFlag, txn: PosTransaction, s: PosSettingsResponse | undefined): string {
  const amount = formatMoney(Math.abs(txn.totalCents));
  const large = s ? formatMoney(s.largeAmountCents) : 'the large-amount threshold';
  const time = txn.localStart.slice(11, 16);
  switch (flag) {
    case 'post_void_large':
      return `The whole transaction (${amount}) was voided after it had been completed — a post-void at or above ${large}. A post-void after the customer has left can cover cash taken from the drawer.`;
    case 'refund_no_receipt_card':
      return `A refund of ${amount} went onto a card without an original receipt. No-receipt refunds to a card are a common way to move money to an accomplice's card.`;
    case 'no_sale_after_hours':
      return `The cash drawer was opened without a sale at ${time} store time, outside store hours (${s ? `${s.storeOpenHour}:00–${s.storeCloseHour}:00` : 'the configured hours'}).`;
    case 'void_after_total_large':
      return `The transaction was voided after the total had been shown to the customer, for ${amount} (at or above ${large}). The customer may have paid while the sale was voided.`;
    case 'keyed_card_large':
      return `A sale of ${amount} was paid with a card number typed in by hand instead of chip, tap or swipe. Keyed entries skip the card checks and are a classic sign of stolen card numbers.`;
    case 'refund_after_sale':
      return `This refund came within ${s ? s.refundMatchMinutes : 'a few'} minutes of a sale with the same card or the same amount — the pattern of ringing a sale and refunding it to oneself.`;
  }
}

/** The moves a reviewer may make from a status. */
const MOVES: Record<ExceptionStatus, ExceptionStatus[]> = {
  new: ['reviewing', 'watch', 'confirmed', 'dismissed'],
  reviewing: ['watch', 'confirmed', 'dismissed'],
  watch: ['reviewing', 'confirmed', 'dismissed'],
  dismissed: ['reviewing'],
  confirmed: ['reviewing'],
};
const MOVE_LABEL = (from: ExceptionStatus, to: ExceptionStatus) =>
  to === 'reviewing' ? (from === 'new' ? 'Start review' : 'Reopen') : to === 'watch' ? 'Keep watching' : to === 'confirmed' ? 'Confirm' : 'Dismiss';
const MOVE_ICON: Record<ExceptionStatus, ReactNode> = {
  new: null,
  reviewing: <IconPlayerPlay size={14} />,
  watch: <IconEye size={14} />,
  confirmed: <IconCheck size={14} />,
  dismissed: <IconX size={14} />,
};


export function ExceptionPage() {
  const { id } = route.useParams();
  const exc = useQuery({ queryKey: ['/api/pos/exceptions', 'one', id], queryFn: ({ signal }) => get<ExceptionDetail>(`/api/pos/exceptions/${id}`, undefined, signal) });
  if (exc.isPending) return <PageLoader />;
  if (exc.isError) return <QueryError error={exc.error} retry={() => void exc.refetch()} what="exception" />;
  return <ExceptionView exc={exc.data} />;
}

function ExceptionView({ exc }: { exc: ExceptionDetail }) {
  const canReview = useCan('pos:review');
  const canListPeople = useCan('people:read');
  const me = useMe();
  const settings = usePosSettings();
  const reviewers = useReviewers(canReview && canListPeople);
  const invalidate = useInvalidatePos();
  const [dismissing, setDismissing] = useState(false);
  const wide = useMediaQuery('(min-width: 62em)', true);
  const navigate = useNavigate();
  const [moving, setMoving] = useState(false);
  /** Opens the next open exception in queue order (the same cashier's first); back to the queue when none is left. */
  const openNext = async () => {
    setMoving(true);
    try {
      const next = await get<{ id: string | null }>(`/api/pos/exceptions/${exc.id}/next`);
      if (next.id) await navigate({ to: '/pos/exceptions/$id', params: { id: next.id } });
      else {
        notifySuccess('The queue is clear: no open exception left');
        await navigate({ to: '/pos/queue' });
      }
    } catch (err) {
      notifyError(err);
    } finally {
      setMoving(false);
    }
  };
  useHotkeys([['n', () => void openNext()]]);

  const update = useMutation({
    mutationFn: (body: { status?: ExceptionStatus; assigneeId?: string | null }) => patch<ExceptionDetail>(`/api/pos/exceptions/${exc.id}`, body),
    onSuccess: (saved, vars) => {
      invalidate();
      if (vars.status) {
        notifySuccess(`${exc.ref} is now ${STATUS_LABELS[saved.status].toLowerCase()}`);
        // A decision made: the next item opens.
        if (vars.status === 'watch' || vars.status === 'confirmed') void openNext();
      } else notifySuccess(saved.assigneeName ? `${exc.ref} assigned to ${saved.assigneeName}` : `${exc.ref} is unassigned`);
    },
    onError: (err) => notifyError(err),
  });

  const txn = exc.transaction;
  const score = exc.cashierScore;

  const review = canReview && (
    <Card padding="lg" data-testid="review-card">
      <Title order={5} mb="sm">
        Review
      </Title>
      <Group gap="xs">
        {MOVES[exc.status].map((to) => (
          <Button
            key={to}
            size="sm"
            variant={to === 'dismissed' ? 'default' : to === 'confirmed' ? 'filled' : 'light'}
            color={to === 'confirmed' ? 'red' : to === 'watch' ? 'orange' : undefined}
            leftSection={exc.status !== 'new' && to === 'reviewing' ? <IconRotate size={14} /> : MOVE_ICON[to]}
            loading={update.isPending && update.variables?.status === to}
            onClick={() => (to === 'dismissed' ? setDismissing(true) : update.mutate({ status: to }))}
          >
            {MOVE_LABEL(exc.status, to)}
          </Button>
        ))}
      </Group>
      {canListPeople && (
        <Select
          mt="md"
          label="Assignee"
          placeholder="Nobody yet"
          searchable
          clearable
          leftSection={<IconUserCheck size={16} />}
          data={(reviewers.data ?? []).map((p) => ({ value: p.id, label: `${p.name}${p.departmentName ? ` · ${p.departmentName}` : ''}` }))}
          value={exc.assigneeId}
          onChange={(v) => v !== exc.assigneeId && update.mutate({ assigneeId: v })}
          disabled={update.isPending}
        />
      )}
      {!canListPeople && exc.assigneeId !== me.data?.id && (
        <Button mt="md" variant="subtle" size="compact-sm" onClick={() => me.data && update.mutate({ assigneeId: me.data.id })}>
          Assign to me
        </Button>
      )}
    </Card>
  );

  const facts = (
    <Card padding="lg">
      <Stack gap="sm">
        <Fact label="Store">
          <AnchorLink to="/pos/stores/$id" params={{ id: exc.storeId }}>
            {exc.storeCode} · {exc.storeName}
          </AnchorLink>
        </Fact>
        <Fact label="Cashier">
          {exc.cashierId ? (
            <AnchorLink to="/pos/cashiers/$id" params={{ id: exc.cashierId }}>
              {exc.cashierName || 'Unnamed'} ({exc.cashierCode})
            </AnchorLink>
          ) : (
            exc.cashierCode
          )}
        </Fact>
        <Fact label={exc.kind === 'cashier_period' ? 'Period' : 'When'}>{exc.kind === 'cashier_period' ? `Week of ${exc.periodStart}` : formatStoreTime(exc.occurredAt, exc.storeTimezone)}</Fact>
        {exc.amountCents != null && <Fact label="Amount">{formatMoney(exc.amountCents)}</Fact>}
        <Fact label="Assignee">{exc.assigneeName ?? 'Nobody yet'}</Fact>
        <Fact label="Raised">{formatDateTime(exc.createdAt)}</Fact>
        <Fact label="Last change">
          <span title={formatDateTime(exc.updatedAt)}>{fromNow(exc.updatedAt)}</span>
        </Fact>
      </Stack>
    </Card>
  );

  const sidebar = (
    <Stack gap="md">
      {review}
      {facts}
    </Stack>
  );

  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/pos/exceptions" label="Exception queue" current={exc.ref} />

      <Group justify="space-between" align="flex-start" gap="sm">
        <RecordHeading
          reference={exc.ref}
          badges={
            <>
              <ExceptionStatusBadge status={exc.status} size="md" />
              {exc.score != null && score && <BandBadge band={score.band} score={exc.score} />}
            </>
          }
          title={ruleLabel(exc.rule)}
        >
          <Text c="dimmed" size="sm">
            {exc.storeCode} · {exc.cashierName || exc.cashierCode} · {capitalise(exc.kind === 'transaction' ? (exc.summary.split(' — ')[1] ?? exc.summary) : `week of ${exc.periodStart}`)}
          </Text>
        </RecordHeading>
        <Group gap="xs">
          {txn && <VideoButton url={txn.videoUrl} size="md" />}
          <Button variant="default" rightSection={<IconArrowRight size={16} />} loading={moving} onClick={() => void openNext()} title="Keyboard: n">
            Next in queue
          </Button>
        </Group>
      </Group>
      <ExceptionCaseActions exceptionId={exc.id} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {exc.status === 'dismissed' && exc.dismissReason && (
              <Alert color="gray" variant="light" title="Dismissed" icon={<IconX size={18} />} data-testid="dismiss-reason">
                {exc.dismissReason}
              </Alert>
            )}
            {txn && (
              <Card padding="lg">
                <Title order={4} mb="sm">
                  Why it was flagged
                </Title>
                <Stack gap="xs" data-testid="flag-explanation">
                  {txn.flags.map((f) => (
                    <Text key={f} size="sm">
                      <Text span fw={600}>
                        {ruleLabel(f)}.
                      </Text>{' '}
                      {flagExplanation(f, txn, settings.data)}
                    </Text>
                  ))}
                </Stack>
              </Card>
            )}
            {score && (
              <Card padding="lg">
                <Group justify="space-between" mb="sm">
                  <Title order={4}>Risk score {Math.round(score.score)} of 100</Title>
                  <Text size="sm" c="dimmed">
                    {score.transactions} transactions in the week of {score.periodStart}
                  </Text>
                </Group>
                <Text size="sm" mb="sm">
                  Each line is a signal where this cashier stands out from people who do the same job (their peer group in {exc.storeCode}, then the
                  chain), with how many times likelier it is for a dishonest cashier than for an honest one. The score is the chance, out of 100, that
                  these numbers come from a dishonest cashier.
                </Text>
                <ExplanationList explanation={score.explanation} />
                {exc.cashierId && (
                  <ButtonLink to="/pos/cashiers/$id" params={{ id: exc.cashierId }} variant="light" mt="md" size="sm">
                    Cashier's metrics and transactions
                  </ButtonLink>
                )}
              </Card>
            )}
            {txn && (
              <Card padding="lg">
                <Group justify="space-between" mb="sm">
                  <Title order={4}>Transaction</Title>
                  <VideoButton url={txn.videoUrl} size="xs" />
                </Group>
                <Receipt txn={txn} />
              </Card>
            )}
            {!wide && sidebar}
            <NotesCard exc={exc} canReview={canReview} />
          </Stack>
        </Grid.Col>
        {wide && <Grid.Col span={{ base: 12, md: 4 }}>{sidebar}</Grid.Col>}
      </Grid>
      <DismissModal exc={exc} opened={dismissing} onClose={() => setDismissing(false)} onDismissed={() => void openNext()} />
    </Stack>
  );
}

/** Dismissing needs a reason; the server's message is shown at the field. */
function DismissModal({ exc, opened, onClose, onDismissed }: { exc: ExceptionDetail; opened: boolean; onClose: () => void; onDismissed: () => void }) {
  const invalidate = useInvalidatePos();
  const form = useForm({ initialValues: { dismissReason: '' } });
  const save = useMutation({
    mutationFn: (v: { dismissReason: string }) => patch<ExceptionDetail>(`/api/pos/exceptions/${exc.id}`, { status: 'dismissed', dismissReason: v.dismissReason.trim() || undefined }),
    onSuccess: () => {
      invalidate();
      notifySuccess(`${exc.ref} dismissed`);
      form.reset();
      onClose();
      onDismissed();
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Dismiss ${exc.ref}`} centered>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <Textarea
            label="Reason"
            description="Why this is not a loss, e.g. “manager-approved return, receipt found in the drawer”. It stays on the record."
            autosize
            minRows={3}
            data-autofocus
            {...form.getInputProps('dismissReason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Dismiss exception
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function NotesCard({ exc, canReview }: { exc: ExceptionDetail; canReview: boolean }) {
  const invalidate = useInvalidatePos();
  const form = useForm({ initialValues: { body: '' }, validate: { body: (v) => (v.trim() ? null : 'Write a note first') } });
  const add = useMutation({
    mutationFn: (v: { body: string }) => post<ExceptionDetail>(`/api/pos/exceptions/${exc.id}/notes`, { body: v.body.trim() }),
    onSuccess: () => {
      invalidate();
      form.reset();
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <Card padding="lg">
      <Title order={4} mb="md">
        Notes
      </Title>
      {exc.notes.length === 0 ? (
        <Text size="sm" c="dimmed">
          No notes yet. Write down what the video showed and who you spoke to.
        </Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} data-testid="exception-notes">
          {exc.notes.map((n) => (
            <Timeline.Item key={n.id} bullet={<IconMessage size={9} />} title={<Text size="sm" fw={600}>{n.authorName}</Text>}>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {n.body}
              </Text>
              <Text size="xs" c="dimmed" title={formatDateTime(n.createdAt)}>
                {fromNow(n.createdAt)}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {canReview && (
        <form onSubmit={form.onSubmit((v) => add.mutate(v))} noValidate>
          <Stack gap="xs" mt="lg">
            <Textarea label="Add a note" description={exc.status === 'new' ? 'Adding a note starts the review.' : undefined} autosize minRows={2} {...form.getInputProps('body')} />
            <Group justify="flex-end">
              <Button type="submit" loading={add.isPending} leftSection={<IconMessage size={16} />}>
                Add note
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
