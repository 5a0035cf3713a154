import { ActionIcon, Alert, Anchor, Badge, Button, Card, Grid, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconCheck, IconMail, IconPlus, IconSparkles, IconTrash, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import type { AgendaItem, AttendanceStatus, MeetingAction, OccurrenceDetail, Suggestion } from '../../../contracts/meetings';
import { api, get, patch, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { applyServerErrors } from '../../ui/forms';
import { useMe } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { RecordHeading } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { useActivePeople } from '../training/shared';
import { ActionStatusBadge, localText, zoneText } from './shared';

const route = getRouteApi('/_app/meetings/occurrences/$id');

export function OccurrencePage() {
  const { id } = route.useParams();
  const queryClient = useQueryClient();
  const key = ['/api/meetings/occurrences', 'one', id];
  const occ = useQuery({ queryKey: key, queryFn: ({ signal }) => get<OccurrenceDetail>(`/api/meetings/occurrences/${id}`, undefined, signal) });
  const update = (o: OccurrenceDetail) => {
    queryClient.setQueryData(key, o);
    void queryClient.invalidateQueries({ queryKey: ['/api/meetings/occurrences', 'suggestions', id] });
    void queryClient.invalidateQueries({ queryKey: ['/api/meetings/series'] });
  };
  const followUp = useMutation({
    mutationFn: () => post<OccurrenceDetail>(`/api/meetings/occurrences/${id}/follow-up`),
    onSuccess: (o) => {
      update(o);
      notifySuccess('The minutes are on their way to every attendee');
    },
    onError: (err) => notifyError(err),
  });
  const [moveOpen, move] = useDisclosure(false);

  if (occ.isPending) return <PageLoader />;
  if (occ.isError) return <QueryError error={occ.error} retry={() => void occ.refetch()} what="meeting" />;
  const o = occ.data;
  const run = o.abilities.run;
  const totalMinutes = o.items.reduce((s, i) => s + i.timeBoxMinutes, 0);

  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/meetings" label="Joint meetings" current={`${o.series.ref} · ${o.localStart.slice(0, 10)}`} />
      <Group justify="space-between" align="flex-start">
        <RecordHeading
          reference={o.series.ref}
          badges={
            o.status === 'cancelled' ? (
              <Badge color="gray" variant="light">Cancelled</Badge>
            ) : o.followUpSentAt ? (
              <Badge color="teal" variant="light">Minutes sent</Badge>
            ) : (
              <Badge variant="light">Scheduled</Badge>
            )
          }
          title={`${o.series.title} — ${o.localStart.slice(0, 10)}`}
        >
          <Text c="dimmed" size="sm">
            {localText(o.localStart)}–{o.localEnd.slice(11)} ({zoneText(o.series.timezone)}){o.location ? ` · ${o.location}` : ''} · chair {o.series.chair.name}, notes {o.series.noteTaker.name}
          </Text>
          <Group gap="md" mt={4}>
            <AnchorLink to="/meetings/series/$id" params={{ id: o.series.id }} size="sm">
              The series
            </AnchorLink>
            {o.previous && (
              <AnchorLink to="/meetings/occurrences/$id" params={{ id: o.previous.id }} size="sm">
                ← Previous ({o.previous.localStart.slice(0, 10)})
              </AnchorLink>
            )}
            {o.next && (
              <AnchorLink to="/meetings/occurrences/$id" params={{ id: o.next.id }} size="sm">
                Next ({o.next.localStart.slice(0, 10)}) →
              </AnchorLink>
            )}
          </Group>
        </RecordHeading>
        {run && (
          <Group gap="xs">
            <Button variant="default" onClick={move.open}>
              Move or cancel
            </Button>
            {!o.followUpSentAt && (
              <Button leftSection={<IconMail size={16} />} onClick={() => followUp.mutate()} loading={followUp.isPending}>
                Send minutes
              </Button>
            )}
          </Group>
        )}
      </Group>
      {o.changeNote && (
        <Alert color="yellow" title={o.status === 'cancelled' ? 'Cancelled' : 'Changed'}>
          {o.changeNote}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {o.carriedActions.length > 0 && <CarriedActions actions={o.carriedActions} run={run} onChange={() => void occ.refetch()} />}
            <Card padding="lg">
              <Group justify="space-between" mb="sm">
                <Title order={2} size="h4">
                  Agenda
                </Title>
                <Text size="sm" c="dimmed">
                  {o.items.length} item{o.items.length === 1 ? '' : 's'} · {totalMinutes} minutes
                </Text>
              </Group>
              <Stack gap="sm" data-testid="agenda">
                {o.items.length === 0 && (
                  <Text c="dimmed" size="sm">
                    Nothing on the agenda yet. Accept a suggestion or add an item.
                  </Text>
                )}
                {o.items.map((item, index) => (
                  <AgendaItemCard key={item.id} o={o} item={item} index={index} onUpdate={update} />
                ))}
              </Stack>
              {o.abilities.addItems && <AddItemForm o={o} onUpdate={update} />}
            </Card>
            <DecisionsAndActions o={o} onUpdate={update} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            {o.abilities.addItems && <SuggestionsPanel o={o} onUpdate={update} />}
            <Attendance o={o} onUpdate={update} />
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={moveOpen} onClose={move.close} title="Move or cancel this meeting">
        {moveOpen && <MoveForm o={o} onDone={(x) => { update(x); move.close(); }} />}
      </Modal>
    </Stack>
  );
}

function CarriedActions({ actions, run, onChange }: { actions: MeetingAction[]; run: boolean; onChange: () => void }) {
  const me = useMe();
  const close = useMutation({
    mutationFn: (a: MeetingAction) => patch<MeetingAction>(`/api/meetings/actions/${a.id}`, { status: 'done' }),
    onSuccess: (a) => {
      notifySuccess(`${a.ref} done`);
      onChange();
    },
    onError: (err) => notifyError(err),
  });
  return (
    <Card padding="lg" data-testid="carried-actions">
      <Title order={2} size="h4" mb="sm">
        Open actions from earlier meetings
      </Title>
      <Stack gap="xs">
        {actions.map((a) => (
          <Group key={a.id} justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text size="sm" fw={500}>
                {a.ref} {a.title}
              </Text>
              <Text size="xs" c="dimmed">
                {a.owner.name} · due {a.dueDate} · from {a.occurrenceDate}
              </Text>
            </div>
            <Group gap="xs" wrap="nowrap">
              <ActionStatusBadge action={a} />
              {a.status === 'open' && (run || a.owner.id === me.data?.id) && (
                <Button size="xs" variant="light" onClick={() => close.mutate(a)} loading={close.isPending && close.variables?.id === a.id}>
                  Mark done
                </Button>
              )}
            </Group>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

function AgendaItemCard({ o, item, index, onUpdate }: { o: OccurrenceDetail; item: AgendaItem; index: number; onUpdate: (o: OccurrenceDetail) => void }) {
  const run = o.abilities.run;
  const [minutes, setMinutes] = useState(item.minutes);
  const order = useMutation({
    mutationFn: (ids: string[]) => api<OccurrenceDetail>(`/api/meetings/occurrences/${o.id}/order`, { method: 'PUT', body: { itemIds: ids } }),
    onSuccess: onUpdate,
    onError: (err) => notifyError(err),
  });
  const save = useMutation({
    mutationFn: () => patch<OccurrenceDetail>(`/api/meetings/items/${item.id}`, { minutes }),
    onSuccess: (x) => {
      onUpdate(x);
      notifySuccess('Minutes saved');
    },
    onError: (err) => notifyError(err),
  });
  const remove = useMutation({
    mutationFn: () => api<OccurrenceDetail>(`/api/meetings/items/${item.id}`, { method: 'DELETE' }),
    onSuccess: onUpdate,
    onError: (err) => notifyError(err),
  });
  const moveBy = (delta: number) => {
    const ids = o.items.map((i) => i.id);
    const [x] = ids.splice(index, 1);
    ids.splice(index + delta, 0, x);
    order.mutate(ids);
  };
  return (
    <Card withBorder padding="md" data-testid="agenda-item">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Text fw={600}>
            {index + 1}. {item.title}
          </Text>
          <Text size="xs" c="dimmed">
            {item.owner ? item.owner.name : 'No owner'} · {item.timeBoxMinutes} min{item.addedByName ? ` · added by ${item.addedByName}` : ''}
          </Text>
          {item.why && (
            <Text size="xs" c="dimmed" mt={2}>
              <IconSparkles size={12} aria-hidden /> {item.why}
            </Text>
          )}
          {item.links.length > 0 && (
            <Group gap="xs" mt={4}>
              {item.links.map((l) => (
                <Anchor key={l.href} href={l.href} size="xs">
                  {l.label}
                </Anchor>
              ))}
            </Group>
          )}
        </div>
        {run && (
          <Group gap={4} wrap="nowrap">
            <ActionIcon variant="subtle" aria-label={`Move "${item.title}" up`} disabled={index === 0} onClick={() => moveBy(-1)} loading={order.isPending}>
              <IconArrowUp size={16} />
            </ActionIcon>
            <ActionIcon variant="subtle" aria-label={`Move "${item.title}" down`} disabled={index === o.items.length - 1} onClick={() => moveBy(1)} loading={order.isPending}>
              <IconArrowDown size={16} />
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" aria-label={`Remove "${item.title}"`} onClick={() => remove.mutate()} loading={remove.isPending}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        )}
      </Group>
      {run ? (
        <Stack gap={6} mt="sm">
          <Textarea label={`Minutes: ${item.title}`} autosize minRows={2} value={minutes} onChange={(e) => setMinutes(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button size="xs" variant="light" disabled={minutes === item.minutes} onClick={() => save.mutate()} loading={save.isPending}>
              Save minutes
            </Button>
          </Group>
        </Stack>
      ) : (
        item.minutes && (
          <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {item.minutes}
          </Text>
        )
      )}
    </Card>
  );
}

function usePeopleOptions(o: OccurrenceDetail) {
  const people = useActivePeople();
  const attendees = o.attendance.map((a) => ({ value: a.personId, label: a.name }));
  const others = (people.data ?? []).filter((p) => !attendees.some((a) => a.value === p.id)).map((p) => ({ value: p.id, label: p.name }));
  return [
    { group: 'Attendees', items: attendees },
    { group: 'Everyone else', items: others },
  ];
}

function AddItemForm({ o, onUpdate }: { o: OccurrenceDetail; onUpdate: (o: OccurrenceDetail) => void }) {
  const options = usePeopleOptions(o);
  const form = useForm({ initialValues: { title: '', ownerId: null as string | null, timeBoxMinutes: 10 as number | string, linkHref: '' } });
  const add = useMutation({
    mutationFn: (v: typeof form.values) =>
      post<OccurrenceDetail>(`/api/meetings/occurrences/${o.id}/items`, { title: v.title, ownerId: v.ownerId, timeBoxMinutes: Number(v.timeBoxMinutes), links: v.linkHref.trim() ? [{ label: v.linkHref.trim(), href: v.linkHref.trim() }] : [] }),
    onSuccess: (x) => {
      onUpdate(x);
      form.reset();
    },
    onError: (err) => applyServerErrors(form, err, { 'links.0.href': 'linkHref', 'links.0.label': 'linkHref' }),
  });
  return (
    <form onSubmit={form.onSubmit((v) => add.mutate(v))}>
      <Title order={3} size="h5" mt="lg" mb="xs">
        Add an agenda item
      </Title>
      <Grid gap="sm" align="flex-end">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label="Item" required {...form.getInputProps('title')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Select label="Owner" searchable clearable data={options} {...form.getInputProps('ownerId')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 2 }}>
          <NumberInput label="Minutes" min={1} max={240} {...form.getInputProps('timeBoxMinutes')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 9 }}>
          <TextInput label="Link to a record (optional)" placeholder="/requests/REQ-12 or https://…" {...form.getInputProps('linkHref')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 3 }}>
          <Button type="submit" fullWidth leftSection={<IconPlus size={16} />} loading={add.isPending}>
            Add item
          </Button>
        </Grid.Col>
      </Grid>
    </form>
  );
}

function SuggestionsPanel({ o, onUpdate }: { o: OccurrenceDetail; onUpdate: (o: OccurrenceDetail) => void }) {
  const queryClient = useQueryClient();
  const key = ['/api/meetings/occurrences', 'suggestions', o.id];
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => get<{ items: Suggestion[]; window: { from: string; to: string } }>(`/api/meetings/occurrences/${o.id}/suggestions`, undefined, signal) });
  const accept = useMutation({
    mutationFn: (s: Suggestion) => post<OccurrenceDetail>(`/api/meetings/occurrences/${o.id}/suggestions/accept`, { key: s.key }),
    onSuccess: (x) => {
      onUpdate(x);
      notifySuccess('Added to the agenda');
    },
    onError: (err) => notifyError(err),
  });
  const dismiss = useMutation({
    mutationFn: (s: Suggestion) => post(`/api/meetings/occurrences/${o.id}/suggestions/dismiss`, { key: s.key }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
    onError: (err) => notifyError(err),
  });
  return (
    <Card padding="lg" data-testid="suggestions">
      <Title order={2} size="h4">
        Suggested from live data
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {list.data ? `Since the last meeting (${list.data.window.from.slice(0, 10)}), as you may see it.` : 'Looking at requests, devices, cashiers, ideas, cross-training and open actions…'}
      </Text>
      {list.isError && <QueryError embedded error={list.error} retry={() => void list.refetch()} />}
      <Stack gap="sm">
        {list.data?.items.length === 0 && (
          <Text size="sm" c="dimmed">
            Nothing stands out right now.
          </Text>
        )}
        {list.data?.items.map((s) => (
          <Card key={s.key} withBorder padding="sm" data-testid="suggestion">
            <Text size="xs" c="dimmed">
              {s.label}
            </Text>
            <Text size="sm" fw={600}>
              {s.title}
            </Text>
            <Text size="sm">{s.why}</Text>
            {s.link && (
              <Anchor href={s.link} size="xs">
                Open the records
              </Anchor>
            )}
            <Group gap="xs" mt="xs">
              <Button size="xs" leftSection={<IconCheck size={14} />} onClick={() => accept.mutate(s)} loading={accept.isPending && accept.variables?.key === s.key} aria-label={`Add "${s.title}" to the agenda`}>
                Add to agenda
              </Button>
              {o.abilities.run && (
                <Button size="xs" variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={() => dismiss.mutate(s)} aria-label={`Dismiss "${s.title}"`}>
                  Dismiss
                </Button>
              )}
            </Group>
          </Card>
        ))}
      </Stack>
    </Card>
  );
}

function DecisionsAndActions({ o, onUpdate }: { o: OccurrenceDetail; onUpdate: (o: OccurrenceDetail) => void }) {
  const run = o.abilities.run;
  const options = usePeopleOptions(o);
  const itemOptions = o.items.map((i) => ({ value: i.id, label: i.title }));
  const decisionForm = useForm({ initialValues: { text: '', itemId: null as string | null } });
  const addDecision = useMutation({
    mutationFn: (v: typeof decisionForm.values) => post<OccurrenceDetail>(`/api/meetings/occurrences/${o.id}/decisions`, v),
    onSuccess: (x) => {
      onUpdate(x);
      decisionForm.reset();
    },
    onError: (err) => applyServerErrors(decisionForm, err),
  });
  const actionForm = useForm({ initialValues: { title: '', ownerId: '' as string | null, dueDate: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10), itemId: null as string | null } });
  const addAction = useMutation({
    mutationFn: (v: typeof actionForm.values) => post<OccurrenceDetail>(`/api/meetings/occurrences/${o.id}/actions`, v),
    onSuccess: (x) => {
      onUpdate(x);
      actionForm.reset();
      notifySuccess('Action assigned; the owner is notified');
    },
    onError: (err) => applyServerErrors(actionForm, err),
  });
  return (
    <>
      <Card padding="lg">
        <Title order={2} size="h4" mb="sm">
          Decisions
        </Title>
        <Stack gap={6} data-testid="decisions">
          {o.decisions.length === 0 && (
            <Text size="sm" c="dimmed">
              No decision recorded.
            </Text>
          )}
          {o.decisions.map((d) => (
            <Text key={d.id} size="sm">
              • {d.text}
              {d.itemId ? <Text span size="xs" c="dimmed">{` (${o.items.find((i) => i.id === d.itemId)?.title ?? ''})`}</Text> : null}
            </Text>
          ))}
        </Stack>
        {run && (
          <form onSubmit={decisionForm.onSubmit((v) => addDecision.mutate(v))}>
            <Grid gap="sm" mt="sm" align="flex-end">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label="Decision" required {...decisionForm.getInputProps('text')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <Select label="Agenda item" clearable data={itemOptions} {...decisionForm.getInputProps('itemId')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 2 }}>
                <Button type="submit" fullWidth loading={addDecision.isPending}>
                  Record
                </Button>
              </Grid.Col>
            </Grid>
          </form>
        )}
      </Card>
      <Card padding="lg">
        <Title order={2} size="h4" mb="sm">
          Actions from this meeting
        </Title>
        <Stack gap={6} data-testid="actions">
          {o.actions.length === 0 && (
            <Text size="sm" c="dimmed">
              No action assigned.
            </Text>
          )}
          {o.actions.map((a) => (
            <Group key={a.id} justify="space-between" wrap="nowrap">
              <div>
                <Text size="sm" fw={500}>
                  {a.ref} {a.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {a.owner.name} · due {a.dueDate}
                </Text>
              </div>
              <ActionStatusBadge action={a} />
            </Group>
          ))}
        </Stack>
        {run && (
          <form onSubmit={actionForm.onSubmit((v) => addAction.mutate(v))} data-testid="action-form">
            <Grid gap="sm" mt="sm" align="flex-end">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label="Action" required {...actionForm.getInputProps('title')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select label="Owner" required searchable data={options} {...actionForm.getInputProps('ownerId')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput label="Due date" type="date" required {...actionForm.getInputProps('dueDate')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 5 }}>
                <Select label="Agenda item" clearable data={itemOptions} {...actionForm.getInputProps('itemId')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 3 }}>
                <Button type="submit" fullWidth loading={addAction.isPending}>
                  Assign
                </Button>
              </Grid.Col>
            </Grid>
          </form>
        )}
      </Card>
    </>
  );
}

function Attendance({ o, onUpdate }: { o: OccurrenceDetail; onUpdate: (o: OccurrenceDetail) => void }) {
  const run = o.abilities.run;
  const mark = useMutation({
    mutationFn: (e: { personId: string; status: AttendanceStatus }) => api<OccurrenceDetail>(`/api/meetings/occurrences/${o.id}/attendance`, { method: 'PUT', body: { entries: [e] } }),
    onSuccess: onUpdate,
    onError: (err) => notifyError(err),
  });
  const present = o.attendance.filter((a) => a.status === 'present').length;
  return (
    <Card padding="lg" data-testid="attendance">
      <Title order={2} size="h4">
        Attendance
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {present} of {o.attendance.length} present
      </Text>
      <Stack gap="xs">
        {o.attendance.map((a) => (
          <div key={a.personId}>
            <Text size="sm">{a.name}</Text>
            <Text size="xs" c="dimmed">
              {a.departmentName}
            </Text>
            {run ? (
              <SegmentedControl
                size="xs"
                fullWidth
                aria-label={`Attendance of ${a.name}`}
                value={a.status ?? ''}
                onChange={(v) => mark.mutate({ personId: a.personId, status: v as AttendanceStatus })}
                data={[
                  { value: 'present', label: 'Present' },
                  { value: 'excused', label: 'Excused' },
                  { value: 'absent', label: 'Absent' },
                ]}
              />
            ) : (
              <Text size="xs">{a.status ? a.status[0].toUpperCase() + a.status.slice(1) : 'Not recorded'}</Text>
            )}
          </div>
        ))}
      </Stack>
    </Card>
  );
}

function MoveForm({ o, onDone }: { o: OccurrenceDetail; onDone: (o: OccurrenceDetail) => void }) {
  const form = useForm({ initialValues: { localStart: o.localStart, location: o.location, note: '' } });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => patch<OccurrenceDetail>(`/api/meetings/occurrences/${o.id}`, body),
    onSuccess: (x) => {
      notifySuccess('Attendees get a calendar update for this meeting only');
      onDone(x);
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack>
        <TextInput label={`Starts (${o.series.timezone})`} type="datetime-local" required {...form.getInputProps('localStart')} />
        <TextInput label="Location" {...form.getInputProps('location')} />
        <TextInput label="Note to attendees" {...form.getInputProps('note')} />
        <Group justify="space-between">
          <Button variant="subtle" color="red" onClick={() => save.mutate({ status: 'cancelled', note: form.values.note })} loading={save.isPending}>
            Cancel this meeting
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save and notify
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
