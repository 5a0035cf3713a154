import { Badge, Box, Button, Card, Grid, Group, Modal, Progress, Select, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  IconArrowRight,
  IconCheck,
  IconCircleCheck,
  IconCircleX,
  IconEdit,
  IconMessage,
  IconPlayerPlay,
  IconPlus,
  IconUserCheck,
  IconX,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState, type ReactNode } from 'react';
import type { Person } from '../../../contracts/people';
import { REQUEST_STATUS_LABELS, type RequestDetail, type RequestEvent, type RequestStatus } from '../../../contracts/requests';
import { get, getAll, post } from '../../api';
import { formatDate, formatDateTime, fromNow } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { formatMinutes, LateClock, OverdueBadge, PriorityBadge, RequestStatusBadge, STATUS_COLORS } from './requestUi';
import { Fact } from '../../ui/Fact';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { useMe } from '../../ui/me';
import { VideoExportDelivery } from '../cases/VideoExportDelivery';

const route = getRouteApi('/_app/requests/$ref');

const ACTIONS: Record<RequestStatus, { label: string; icon: ReactNode; color?: string; variant?: string; needs?: 'reason' | 'note' }> = {
  new: { label: 'Reopen', icon: null },
  accepted: { label: 'Accept', icon: <IconCheck size={16} /> },
  in_progress: { label: 'Start work', icon: <IconPlayerPlay size={16} />, variant: 'light' },
  done: { label: 'Mark done', icon: <IconCircleCheck size={16} />, color: 'teal', needs: 'note' },
  declined: { label: 'Decline', icon: <IconCircleX size={16} />, color: 'red', variant: 'light', needs: 'reason' },
  cancelled: { label: 'Cancel request', icon: <IconX size={16} />, color: 'gray', variant: 'default', needs: 'note' },
};


/** One clock: target, and the time taken (or running), with a bar that turns red when breached. */
function Clock({ label, startedAt, targetAt, doneAt, stopped, testId }: { label: string; startedAt: string; targetAt: string; doneAt: string | null; stopped: boolean; testId: string }) {
  const start = new Date(startedAt).getTime();
  const target = new Date(targetAt).getTime();
  const end = doneAt ? new Date(doneAt).getTime() : Date.now();
  const targetMin = (target - start) / 60_000;
  const takenMin = (end - start) / 60_000;
  const breached = end > target;
  const pct = Math.min(100, (takenMin / targetMin) * 100);
  let status: string;
  if (doneAt) status = `${formatMinutes(takenMin)} — ${breached ? `${formatMinutes(takenMin - targetMin)} over target` : 'within target'}`;
  else if (stopped) status = 'Not reached (request closed)';
  else status = breached ? `Running ${formatMinutes(takenMin)} — ${formatMinutes(takenMin - targetMin)} over target` : `Running ${formatMinutes(takenMin)} — ${formatMinutes(targetMin - takenMin)} left`;
  return (
    <div data-testid={testId}>
      <Group justify="space-between" gap={4}>
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Text size="xs" c="dimmed">
          target {formatMinutes(targetMin)}
        </Text>
      </Group>
      <Progress value={pct} color={breached ? 'red' : doneAt ? 'teal' : 'indigo'} size="sm" my={6} aria-label={`${label} clock`} />
      <Text size="xs" c={breached ? 'red' : doneAt ? 'teal' : 'dimmed'}>
        {status}
      </Text>
    </div>
  );
}

function eventText(e: RequestEvent) {
  if (e.kind === 'created') return 'filed the request';
  if (e.kind === 'status') return `${e.fromStatus ? `${REQUEST_STATUS_LABELS[e.fromStatus]} → ` : ''}${e.toStatus ? REQUEST_STATUS_LABELS[e.toStatus] : ''}`;
  if (e.kind === 'assigned') return e.body;
  if (e.kind === 'edited') return e.body;
  return 'commented';
}

function eventBullet(e: RequestEvent) {
  if (e.kind === 'comment') return <IconMessage size={12} />;
  if (e.kind === 'created') return <IconPlus size={12} />;
  if (e.kind === 'assigned') return <IconUserCheck size={12} />;
  if (e.kind === 'edited') return <IconEdit size={12} />;
  return <IconArrowRight size={12} />;
}

export function RequestPage() {
  const me = useMe();
  const { ref } = route.useParams();
  const queryClient = useQueryClient();
  const key = ['/api/requests', 'one', ref];
  const request = useQuery({ queryKey: key, queryFn: ({ signal }) => get<RequestDetail>(`/api/requests/${encodeURIComponent(ref)}`, undefined, signal) });
  const [pending, setPending] = useState<RequestStatus | null>(null);
  const r = request.data;
  const assignable = useQuery({
    queryKey: ['/api/people', 'department', r?.toDepartmentId],
    queryFn: () => getAll<Person>('/api/people', { departmentId: r!.toDepartmentId, status: 'active', sort: 'name' }),
    enabled: !!r?.can.assign,
  });

  const onSaved = (d: RequestDetail) => {
    queryClient.setQueryData(key, d);
    void queryClient.invalidateQueries({ queryKey: ['/api/requests', 'list'] });
    void queryClient.invalidateQueries({ queryKey: ['home'] });
  };
  const transition = useMutation({
    mutationFn: ({ status, reason }: { status: RequestStatus; reason?: string }) => post<RequestDetail>(`/api/requests/${r!.id}/status`, { status, reason }),
    onSuccess: (d) => {
      // No toast: the status badge and the history show the change, and a toast would cover the action buttons.
      onSaved(d);
      setPending(null);
    },
    onError: (err) => (pending ? applyServerErrors(reasonForm, err, { reason: 'reason' }) : notifyError(err)),
  });
  const assign = useMutation({
    mutationFn: (assigneeId: string | null) => post<RequestDetail>(`/api/requests/${r!.id}/assign`, { assigneeId }),
    onSuccess: (d) => {
      onSaved(d);
      notifySuccess(d.assigneeName ? `${d.ref} assigned to ${d.assigneeName}` : `${d.ref} is unassigned`);
    },
    onError: (err) => notifyError(err),
  });
  const commentForm = useForm({ initialValues: { body: '' }, validate: { body: (v) => (v.trim() ? null : 'Write a comment first') } });
  const comment = useMutation({
    mutationFn: (body: string) => post<RequestDetail>(`/api/requests/${r!.id}/comments`, { body }),
    onSuccess: (d) => {
      onSaved(d);
      commentForm.reset();
    },
    onError: (err) => applyServerErrors(commentForm, err),
  });
  const reasonForm = useForm({ initialValues: { reason: '' } });

  if (request.isPending) return <PageLoader />;
  if (request.isError || !r) return <QueryError error={request.error} retry={() => void request.refetch()} what="request" />;

  const start = (status: RequestStatus) => {
    if (!ACTIONS[status].needs) return transition.mutate({ status });
    reasonForm.reset();
    setPending(status);
  };
  const closed = ['done', 'declined', 'cancelled'].includes(r.status);
  const people = (assignable.data ?? []).filter((p) => p.role !== 'staff' && p.role !== 'viewer');

  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/requests" label="Requests" current={r.ref} />

      <Group justify="space-between" align="flex-start" gap="md">
        <div style={{ minWidth: 0, flex: '1 1 420px' }}>
          <Group gap="xs" mb={4}>
            <Text ff="monospace" c="dimmed" size="sm">
              {r.ref}
            </Text>
            <RequestStatusBadge status={r.status} />
            <PriorityBadge code={r.priority} />
            <OverdueBadge request={r} />
          </Group>
          <Title order={1} size="h2" style={{ wordBreak: 'break-word' }}>
            {r.title}
          </Title>
          <Text c="dimmed" size="sm" mt={4}>
            {r.fromDepartmentName} → {r.toDepartmentName} · {r.typeName} · filed by {r.requesterName} {fromNow(r.createdAt)}
          </Text>
          <Box mt={4}>
            <LateClock request={r} size="sm" />
          </Box>
        </div>
        {r.can.transitions.length > 0 && (
          <Group gap="xs" data-testid="request-actions">
            {r.can.transitions.map((s) => (
              <Button key={s} leftSection={ACTIONS[s].icon} color={ACTIONS[s].color} variant={ACTIONS[s].variant ?? 'filled'} onClick={() => start(s)} loading={transition.isPending && transition.variables?.status === s}>
                {/* The server assigns an unassigned request to whoever accepts or starts it: say so on the button. */}
                {!r.assigneeId && (s === 'accepted' || s === 'in_progress') ? `${ACTIONS[s].label} (assigns to you)` : ACTIONS[s].label}
              </Button>
            ))}
          </Group>
        )}
      </Group>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Card padding="lg">
              <Title order={4} mb="xs">
                Details
              </Title>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={r.description ? undefined : 'dimmed'}>
                {r.description || 'No details given.'}
              </Text>
              {r.closeReason && (
                <Card withBorder mt="md" padding="sm" bg={`var(--mantine-color-${STATUS_COLORS[r.status]}-light)`}>
                  <Text size="xs" fw={700} tt="uppercase" c="dimmed">
                    {r.status === 'declined' ? 'Reason for declining' : r.status === 'cancelled' ? 'Reason for cancelling' : 'Delivered'}
                  </Text>
                  <Text size="sm" data-testid="close-reason">
                    {r.closeReason}
                  </Text>
                </Card>
              )}
            </Card>

            <Card padding="lg">
              <Title order={4} mb="md">
                History and comments
              </Title>
              <Timeline bulletSize={22} lineWidth={2} data-testid="request-history">
                {r.events.map((e) => (
                  <Timeline.Item
                    key={e.id}
                    bullet={eventBullet(e)}
                    color={e.kind === 'status' && e.toStatus ? STATUS_COLORS[e.toStatus] : e.kind === 'comment' ? 'gray' : 'indigo'}
                    title={
                      <Text size="sm">
                        <b>{e.actorName ?? 'Tandem'}</b>
                        {e.actorDepartmentName && (
                          <Text span size="xs" c="dimmed">
                            {' '}
                            ({e.actorDepartmentName})
                          </Text>
                        )}{' '}
                        {eventText(e)}
                      </Text>
                    }
                  >
                    {e.body && e.kind !== 'assigned' && e.kind !== 'edited' && (
                      <Text size="sm" mt={4} p={e.kind === 'comment' ? 'xs' : 0} bg={e.kind === 'comment' ? 'var(--mantine-color-gray-light)' : undefined} style={{ whiteSpace: 'pre-wrap', borderRadius: 6 }}>
                        {e.body}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed" mt={2} title={e.createdAt}>
                      {formatDateTime(e.createdAt)}
                    </Text>
                  </Timeline.Item>
                ))}
              </Timeline>
              {r.can.comment && (
                <form onSubmit={commentForm.onSubmit((v) => comment.mutate(v.body.trim()))} noValidate>
                  <Stack gap="xs" mt="lg">
                    <Textarea label="Add a comment" placeholder="A question, an update, what you need…" autosize minRows={2} maxRows={8} {...commentForm.getInputProps('body')} />
                    <Group justify="flex-end">
                      <Button type="submit" variant="light" loading={comment.isPending} leftSection={<IconMessage size={16} />}>
                        Comment
                      </Button>
                    </Group>
                  </Stack>
                </form>
              )}
            </Card>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            {r.typeName.toLowerCase() === 'video export' && me.data?.departmentId === r.toDepartmentId && r.status !== 'declined' && r.status !== 'cancelled' && /\bCASE-\d{4}-\d{4}\b/.test(r.description) && (
              <VideoExportDelivery requestRef={r.ref} caseRef={/\bCASE-\d{4}-\d{4}\b/.exec(r.description)?.[0] ?? null} />
            )}
            <Card padding="lg" data-testid="request-clocks">
              <Title order={4} mb={4}>
                Clocks
              </Title>
              <Text size="xs" c="dimmed" mb="md" data-testid="target-clock">
                Targets count {r.targetClock}.
              </Text>
              <Stack gap="md">
                <Clock label="First response" startedAt={r.createdAt} targetAt={r.responseDueAt} doneAt={r.firstResponseAt} stopped={closed} testId="clock-response" />
                <Clock label="Resolution" startedAt={r.createdAt} targetAt={r.resolutionDueAt} doneAt={r.status === 'done' ? r.resolvedAt : null} stopped={closed} testId="clock-resolution" />
                {r.dueDate && (
                  <Group justify="space-between">
                    <Text size="sm" fw={600}>
                      Due date
                    </Text>
                    <Badge variant="light" color={r.overdueReasons.includes('due_date') ? 'red' : 'gray'}>
                      {formatDate(r.dueDate)}
                    </Badge>
                  </Group>
                )}
              </Stack>
            </Card>
            <Card padding="lg">
              <Stack gap="sm">
                <Fact label="Assignee">
                  {r.can.assign ? (
                    <Select
                      aria-label="Assignee"
                      placeholder="Unassigned"
                      clearable
                      searchable
                      data={people.map((p) => ({ value: p.id, label: p.name }))}
                      value={r.assigneeId}
                      onChange={(v) => assign.mutate(v)}
                      disabled={assign.isPending}
                      mt={4}
                    />
                  ) : (
                    (r.assigneeName ?? <Text span c="dimmed" size="sm">Unassigned</Text>)
                  )}
                </Fact>
                <Fact label="Requester">
                  {r.requesterName} · {r.fromDepartmentName}
                </Fact>
                <Fact label="Type">{r.typeName}</Fact>
                <Fact label="Store">{r.storeCode ? `${r.storeCode} · ${r.storeName}` : '—'}</Fact>
                <Fact label="Filed">{formatDateTime(r.createdAt)}</Fact>
                <Fact label="First response">{r.firstResponseAt ? formatDateTime(r.firstResponseAt) : '—'}</Fact>
                {r.resolvedAt && <Fact label={r.status === 'done' ? 'Completed' : 'Closed'}>{formatDateTime(r.resolvedAt)}</Fact>}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>

      <Modal opened={!!pending} onClose={() => setPending(null)} title={pending ? `${ACTIONS[pending].label}: ${r.ref}` : ''} centered>
        {pending && (
          <form
            noValidate
            onSubmit={reasonForm.onSubmit((v) => {
              if (pending === 'declined' && v.reason.trim().length < 3) {
                reasonForm.setFieldError('reason', 'Tell the requester why you decline');
                return;
              }
              transition.mutate({ status: pending, reason: v.reason.trim() || undefined });
            })}
          >
            <Stack>
              <Textarea
                label={pending === 'declined' ? 'Reason (required)' : pending === 'done' ? 'What was delivered (optional)' : 'Reason (optional)'}
                placeholder={pending === 'declined' ? 'Why this cannot be done, and what the requester could do instead' : pending === 'done' ? 'e.g. Exported with hashes; link sent to Karen' : ''}
                autosize
                minRows={3}
                data-autofocus
                {...reasonForm.getInputProps('reason')}
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setPending(null)}>
                  Back
                </Button>
                <Button type="submit" color={ACTIONS[pending].color} loading={transition.isPending}>
                  {ACTIONS[pending].label}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </Stack>
  );
}
