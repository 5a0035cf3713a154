import { Alert, Badge, Button, Card, Grid, Group, Modal, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconBulb, IconCheck, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { IDEA_CATEGORIES, IDEA_CATEGORY_LABELS } from '../../../contracts/ideas';
import type { SessionDetail } from '../../../contracts/training';
import { get, patch, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { Fact } from '../../ui/Fact';
import { formatDateTime } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { HQ } from '../../ui/lookups';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { RecordHeading } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { SessionFields, toSessionBody, useSessionForm } from './SessionForm';
import { formatLocal } from './SessionsPage';
import { PhaseBadge, ResponseBadge } from './shared';

const route = getRouteApi('/_app/training/sessions/$ref');

export function SessionPage() {
  const { ref } = route.useParams();
  const queryClient = useQueryClient();
  const key = ['/api/training/sessions', 'one', ref];
  const session = useQuery({ queryKey: key, queryFn: ({ signal }) => get<SessionDetail>(`/api/training/sessions/${ref}`, undefined, signal) });
  const update = (s: SessionDetail) => {
    queryClient.setQueryData(key, s);
    void queryClient.invalidateQueries({ queryKey: ['/api/training/sessions', 'list'] });
  };
  const respond = useMutation({
    mutationFn: (response: 'accepted' | 'declined') => post<SessionDetail>(`/api/training/sessions/${ref}/respond`, { response }),
    onSuccess: (s) => {
      update(s);
      notifySuccess(s.myResponse === 'accepted' ? 'Accepted' : 'Declined');
    },
    onError: (err) => notifyError(err),
  });
  const [editOpen, edit] = useDisclosure(false);
  const [cancelOpen, cancelModal] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () => post<SessionDetail>(`/api/training/sessions/${ref}/cancel`, { reason }),
    onSuccess: (s) => {
      update(s);
      cancelModal.close();
      notifySuccess('Cancelled; everyone gets the calendar cancellation');
    },
    onError: (err) => notifyError(err),
  });

  if (session.isPending) return <PageLoader />;
  if (session.isError) return <QueryError error={session.error} retry={() => void session.refetch()} what="session" />;
  const s = session.data;

  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/training/sessions" label="Sessions" current={s.ref} />
      <Group justify="space-between" align="flex-start">
        <RecordHeading reference={s.ref} badges={<PhaseBadge phase={s.phase} />} title={`${s.guests.map((g) => g.name).join(', ')} shadow ${s.host.name}`}>
          <Text c="dimmed" size="sm">
            {formatLocal(s)} · {s.durationMinutes} minutes · {s.placeName}
            {s.room ? `, ${s.room}` : ''}
          </Text>
        </RecordHeading>
        <Group gap="xs">
          {s.can.respond && (
            <>
              <Button leftSection={<IconCheck size={16} />} color="teal" variant={s.myResponse === 'accepted' ? 'filled' : 'light'} onClick={() => respond.mutate('accepted')} loading={respond.isPending}>
                Accept
              </Button>
              <Button leftSection={<IconX size={16} />} color="red" variant={s.myResponse === 'declined' ? 'filled' : 'light'} onClick={() => respond.mutate('declined')} loading={respond.isPending}>
                Decline
              </Button>
            </>
          )}
          {s.can.edit && (
            <Button variant="default" onClick={edit.open}>
              Edit
            </Button>
          )}
          {s.can.cancel && (
            <Button variant="default" color="red" onClick={cancelModal.open}>
              Cancel session
            </Button>
          )}
        </Group>
      </Group>
      {s.status === 'cancelled' && (
        <Alert color="gray" title="Cancelled">
          {s.cancelReason || 'No reason given.'}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card padding="lg">
            <Stack gap={8}>
              <Fact label="Host">
                {s.host.name} ({s.host.departmentName})
              </Fact>
              <Fact label="Guests">
                <Stack gap={4}>
                  {s.guests.map((g) => (
                    <Group key={g.id} gap="xs">
                      <Text size="sm">{g.name}</Text>
                      <ResponseBadge response={g.response} />
                    </Group>
                  ))}
                </Stack>
              </Fact>
              <Fact label="Starts">{formatLocal(s)}</Fact>
              <Fact label="Your time">{formatDateTime(s.startsAt)}</Fact>
              <Fact label="Skills">{s.skills.map((k) => k.name).join(', ')}</Fact>
              <Fact label="Organiser">{s.organizer.name}</Fact>
              <Fact label="Invitation">
                update {s.sequence} of the calendar event
              </Fact>
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Card padding="lg">
              <Title order={4} mb="xs">
                Goals
              </Title>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {s.goals || 'No goals written.'}
              </Text>
            </Card>
            <Card padding="lg">
              <Title order={4} mb="sm">
                Reflections
              </Title>
              {s.reflectionList.length === 0 && (
                <Text size="sm" c="dimmed">
                  {s.phase === 'upcoming' ? 'Reflections are written after the session.' : 'No reflections yet.'}
                </Text>
              )}
              <Stack gap="md">
                {s.reflectionList.map((r) => (
                  <Stack key={r.id} gap={4} data-testid="reflection">
                    <Group gap="xs">
                      <Text fw={600}>{r.person.name}</Text>
                      <Badge variant="light" size="sm">
                        {r.role}
                      </Badge>
                    </Group>
                    <Text size="sm">
                      <b>Learned:</b> {r.learned}
                    </Text>
                    {r.redundancies && (
                      <Text size="sm">
                        <b>Redundancies spotted:</b> {r.redundancies}
                      </Text>
                    )}
                    {r.ideas.map((i) => (
                      <Group key={i.id} gap={6}>
                        <IconBulb size={16} />
                        <AnchorLink to="/ideas/$id" params={{ id: i.ref }} size="sm">
                          {i.ref} {i.title}
                        </AnchorLink>
                      </Group>
                    ))}
                  </Stack>
                ))}
              </Stack>
              {s.can.reflect && <ReflectionForm session={s} onSaved={update} />}
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={editOpen} onClose={edit.close} title={`Edit ${s.ref}`} size="lg">
        {editOpen && <EditSession session={s} onSaved={(x) => (update(x), edit.close())} />}
      </Modal>
      <Modal opened={cancelOpen} onClose={cancelModal.close} title={`Cancel ${s.ref}`}>
        <Stack>
          <TextInput label="Reason" placeholder="Told to the host and guests" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button color="red" onClick={() => cancel.mutate()} loading={cancel.isPending}>
              Cancel session
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function EditSession({ session, onSaved }: { session: SessionDetail; onSaved: (s: SessionDetail) => void }) {
  const form = useSessionForm({
    hostId: session.host.id,
    guestIds: session.guests.map((g) => g.id),
    localStart: session.localStart,
    durationMinutes: session.durationMinutes,
    storeId: session.storeId ?? HQ,
    room: session.room,
    skillIds: session.skills.map((k) => k.id),
    goals: session.goals,
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => patch<SessionDetail>(`/api/training/sessions/${session.ref}`, toSessionBody(v)),
    onSuccess: (s) => {
      notifySuccess('Saved; everyone gets the updated invitation');
      onSaved(s);
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <SessionFields form={form} submitLabel="Save and send the update" loading={save.isPending} />
    </form>
  );
}

function ReflectionForm({ session, onSaved }: { session: SessionDetail; onSaved: (s: SessionDetail) => void }) {
  const form = useForm({ initialValues: { learned: '', redundancies: '', ideaTitle: '', ideaDescription: '', ideaCategory: 'process' } });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      post<SessionDetail>(`/api/training/sessions/${session.ref}/reflection`, {
        learned: v.learned,
        redundancies: v.redundancies,
        ideas: v.ideaTitle.trim() ? [{ title: v.ideaTitle, description: v.ideaDescription || v.ideaTitle, category: v.ideaCategory }] : [],
      }),
    onSuccess: (s) => {
      notifySuccess(form.values.ideaTitle.trim() ? 'Reflection saved; your idea is now in Ideas' : 'Reflection saved');
      onSaved(s);
    },
    onError: (err) => applyServerErrors(form, err, { 'ideas.0.title': 'ideaTitle', 'ideas.0.description': 'ideaDescription' }),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack mt="lg" gap="sm">
        <Title order={5}>Your reflection</Title>
        <Textarea label="What I learned" required autosize minRows={2} {...form.getInputProps('learned')} />
        <Textarea label="Redundancies spotted" description="Work both departments do twice" autosize minRows={2} {...form.getInputProps('redundancies')} />
        <TextInput label="An idea (optional)" description="It becomes an idea in Ideas, credited to you and linked to this session" {...form.getInputProps('ideaTitle')} />
        {form.values.ideaTitle.trim() && (
          <>
            <Textarea label="Describe the idea" autosize minRows={2} {...form.getInputProps('ideaDescription')} />
            <Select label="Idea category" allowDeselect={false} data={IDEA_CATEGORIES.map((c) => ({ value: c, label: IDEA_CATEGORY_LABELS[c] }))} {...form.getInputProps('ideaCategory')} />
          </>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            Save reflection
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
