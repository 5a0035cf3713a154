import { Alert, Button, Card, Grid, Group, Modal, Select, Stack, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { IconArrowRight, IconCopy, IconHandGrab, IconMessage, IconUserCheck, IconX } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { Fragment, useState } from 'react';
import { IDEA_CATEGORY_LABELS, IDEA_STATE_LABELS, type Idea, type IdeaDetail, type IdeaEvent, type IdeaState } from '../../../contracts/ideas';
import { get, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { formatDateTime, fromNow } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { useOwners } from './IdeasPage';
import { IdeaCategoryBadge, IdeaStateBadge, STATE_COLORS, useInvalidateIdeas, VoteButton } from './shared';
import { Fact } from '../../ui/Fact';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { RecordHeading } from '../../ui/PageHeader';

const route = getRouteApi('/_app/ideas/$id');

/** What a move is called on its button. */
function moveLabel(from: IdeaState, to: IdeaState) {
  if (to === 'under_review') return from === 'submitted' ? 'Start review' : 'Back to review';
  if (to === 'accepted') return from === 'in_progress' ? 'Back to accepted' : 'Accept';
  if (to === 'declined') return 'Decline';
  if (to === 'duplicate') return 'Mark duplicate';
  if (to === 'in_progress') return from === 'done' ? 'Reopen' : 'Start work';
  if (to === 'done') return 'Mark done';
  return `Back to ${IDEA_STATE_LABELS[to].toLowerCase()}`;
}


export function IdeaPage() {
  const { id } = route.useParams();
  const idea = useQuery({ queryKey: ['/api/ideas', 'one', id], queryFn: ({ signal }) => get<IdeaDetail>(`/api/ideas/${id}`, undefined, signal) });
  if (idea.isPending) return <PageLoader />;
  if (idea.isError) return <QueryError error={idea.error} retry={() => void idea.refetch()} what="idea" />;
  return <IdeaView idea={idea.data} />;
}

function IdeaView({ idea }: { idea: IdeaDetail }) {
  const invalidate = useInvalidateIdeas();
  const canListPeople = useCan('people:read');
  const owners = useOwners(idea.can.assignOwner && canListPeople);
  const [move, setMove] = useState<IdeaState | null>(null);
  // Two columns from md up; on a phone the owner and facts come right after the description.
  const wide = useMediaQuery('(min-width: 62em)', true);

  const take = useMutation({
    mutationFn: () => post<Idea>(`/api/ideas/${idea.id}/take`),
    onSuccess: () => {
      invalidate();
      notifySuccess(`You own ${idea.ref} now`);
    },
    onError: (err) => notifyError(err),
  });
  const assign = useMutation({
    mutationFn: (ownerId: string) => post<Idea>(`/api/ideas/${idea.id}/owner`, { ownerId }),
    onSuccess: (saved) => {
      invalidate();
      notifySuccess(`${saved.owner?.name} owns ${idea.ref} now`);
    },
    onError: (err) => notifyError(err),
  });
  const quickMove = useMutation({
    mutationFn: (state: IdeaState) => post<Idea>(`/api/ideas/${idea.id}/state`, { state }),
    onSuccess: (saved) => {
      invalidate();
      notifySuccess(`${idea.ref} is now ${IDEA_STATE_LABELS[saved.state].toLowerCase()}`);
    },
    onError: (err) => notifyError(err),
  });
  const needsForm = (to: IdeaState) => to === 'declined' || to === 'duplicate' || (to === 'accepted' && idea.can.assignOwner && canListPeople);

  const sidebar = (
          <Stack gap="md">
            {idea.can.moveTo.length > 0 && (
              <Card padding="lg" data-testid="idea-moves">
                <Title order={5} mb="sm">
                  Move this idea
                </Title>
                <Group gap="xs">
                  {idea.can.moveTo.map((to) => (
                    <Button
                      key={to}
                      size="sm"
                      variant={to === 'declined' || to === 'duplicate' || to === 'submitted' ? 'default' : 'light'}
                      color={STATE_COLORS[to]}
                      rightSection={<IconArrowRight size={14} />}
                      loading={quickMove.isPending && quickMove.variables === to}
                      onClick={() => (needsForm(to) ? setMove(to) : quickMove.mutate(to))}
                    >
                      {moveLabel(idea.state, to)}
                    </Button>
                  ))}
                </Group>
              </Card>
            )}
            <Card padding="lg">
              <Stack gap="sm">
                <Fact label="Owner">
                  {idea.owner ? (
                    <>
                      <Text fw={600} size="sm" data-testid="idea-owner">
                        {idea.owner.name}
                      </Text>
                      {idea.owner.departmentName && (
                        <Text size="xs" c="dimmed">
                          {idea.owner.departmentName}
                        </Text>
                      )}
                    </>
                  ) : (
                    <Text size="sm" c="dimmed" data-testid="idea-owner">
                      Nobody yet
                    </Text>
                  )}
                </Fact>
                {idea.can.takeOwnership && (
                  <Button variant="light" leftSection={<IconHandGrab size={16} />} onClick={() => take.mutate()} loading={take.isPending}>
                    Take ownership
                  </Button>
                )}
                {idea.can.assignOwner && canListPeople && (
                  <Select
                    label="Assign an owner"
                    placeholder="Choose a member or lead"
                    searchable
                    data={(owners.data ?? []).map((p) => ({ value: p.id, label: `${p.name}${p.departmentName ? ` · ${p.departmentName}` : ''}` }))}
                    value={idea.owner?.id ?? null}
                    onChange={(v) => v && v !== idea.owner?.id && assign.mutate(v)}
                    disabled={assign.isPending}
                    leftSection={<IconUserCheck size={16} />}
                  />
                )}
                <Fact label="Submitted by">{idea.author ? `${idea.author.name}${idea.author.departmentName ? ` · ${idea.author.departmentName}` : ''}` : idea.mine ? 'You (anonymous to others)' : 'Anonymous'}</Fact>
                <Fact label="Store">{idea.storeCode ? `${idea.storeCode} · ${idea.storeName}` : 'Headquarters'}</Fact>
                <Fact label="Category">{IDEA_CATEGORY_LABELS[idea.category]}</Fact>
                <Fact label="Submitted">{formatDateTime(idea.createdAt)}</Fact>
                <Fact label="Last activity">
                  <span title={formatDateTime(idea.lastActivityAt)}>{fromNow(idea.lastActivityAt)}</span>
                </Fact>
              </Stack>
            </Card>
          </Stack>
  );

  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/ideas" label="Ideas" current={idea.ref} />

      <Group justify="space-between" align="flex-start" gap="sm">
        <RecordHeading
          reference={idea.ref}
          badges={
            <>
              <IdeaStateBadge state={idea.state} size="md" />
              <IdeaCategoryBadge category={idea.category} />
            </>
          }
          title={idea.title}
        />
        <VoteButton ideaId={idea.id} votes={idea.votes} voted={idea.voted} canVote={idea.can.vote} />
      </Group>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {idea.state === 'declined' && idea.declineReason && (
              <Alert color="red" variant="light" title="Declined" icon={<IconX size={18} />}>
                {idea.declineReason}
              </Alert>
            )}
            {idea.duplicateOf && (
              <Alert color="grape" variant="light" title="Duplicate" icon={<IconCopy size={18} />}>
                This idea is a duplicate of{' '}
                <AnchorLink to="/ideas/$id" params={{ id: idea.duplicateOf.ref }} fw={600}>
                  {idea.duplicateOf.ref} {idea.duplicateOf.title}
                </AnchorLink>
                . Its votes were merged there.
              </Alert>
            )}
            <Card padding="lg">
              <Text style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{idea.description}</Text>
              {idea.duplicates.length > 0 && (
                <Text size="sm" c="dimmed" mt="md">
                  Duplicates merged into this idea:{' '}
                  {idea.duplicates.map((d, i) => (
                    <Fragment key={d.id}>
                      {i > 0 && ', '}
                      <AnchorLink to="/ideas/$id" params={{ id: d.ref }}>
                        {d.ref}
                      </AnchorLink>
                    </Fragment>
                  ))}
                </Text>
              )}
            </Card>
            {!wide && sidebar}
            <HistoryCard idea={idea} />
          </Stack>
        </Grid.Col>

        {wide && <Grid.Col span={{ base: 12, md: 4 }}>{sidebar}</Grid.Col>}
      </Grid>
      <MoveModal idea={idea} to={move} onClose={() => setMove(null)} owners={(owners.data ?? []).map((p) => ({ value: p.id, label: p.name }))} />
    </Stack>
  );
}

/** Moves that need more than a click: a reason, the original idea, or an owner. */
function MoveModal({ idea, to, onClose, owners }: { idea: IdeaDetail; to: IdeaState | null; onClose: () => void; owners: { value: string; label: string }[] }) {
  const invalidate = useInvalidateIdeas();
  const form = useForm({ initialValues: { reason: '', duplicateOf: '', ownerId: idea.owner?.id ?? '' } });
  const save = useMutation({
    mutationFn: (v: { reason: string; duplicateOf: string; ownerId: string }) =>
      post<Idea>(`/api/ideas/${idea.id}/state`, {
        state: to,
        reason: to === 'declined' ? v.reason.trim() : undefined,
        duplicateOf: to === 'duplicate' ? v.duplicateOf.trim() : undefined,
        ownerId: to === 'accepted' && v.ownerId ? v.ownerId : undefined,
      }),
    onSuccess: (saved) => {
      invalidate();
      notifySuccess(`${idea.ref} is now ${IDEA_STATE_LABELS[saved.state].toLowerCase()}`);
      form.reset();
      onClose();
    },
    onError: (err) => applyServerErrors(form, err),
  });
  const title = to ? `${moveLabel(idea.state, to)}: ${idea.ref}` : '';
  return (
    <Modal opened={!!to} onClose={onClose} title={title} centered>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          {to === 'declined' && (
            <Textarea label="Reason" description="The author and everyone else will see it" autosize minRows={3} data-autofocus {...form.getInputProps('reason')} />
          )}
          {to === 'duplicate' && (
            <TextInput label="Original idea" description="Its reference, e.g. IDEA-7. Votes move to the original, one per person." placeholder="IDEA-7" data-autofocus {...form.getInputProps('duplicateOf')} />
          )}
          {to === 'accepted' && (
            <Select
              label="Owner"
              description="Who makes it happen (optional now, needed before work starts)"
              placeholder="Choose a member or lead"
              searchable
              clearable
              data={owners}
              {...form.getInputProps('ownerId')}
              onChange={(v) => form.setFieldValue('ownerId', v ?? '')}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} color={to === 'declined' ? 'red' : undefined}>
              {to ? moveLabel(idea.state, to) : ''}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Mentions shown in bold: resolved names first (they may have spaces), then any @word. */
function CommentBody({ body, mentions }: { body: string; mentions: { name: string }[] }) {
  const names = mentions.map((m) => m.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(${names.map((n) => `@${n}`).concat(["@[\\p{L}\\p{N}._'’-]+"]).join('|')})`, 'giu');
  const parts = body.split(pattern);
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {parts.map((p, i) => (i % 2 === 1 ? <b key={i}>{p}</b> : <Fragment key={i}>{p}</Fragment>))}
    </Text>
  );
}

function eventTitle(e: IdeaEvent, anonymous: boolean) {
  const who = e.actor?.name ?? (anonymous ? 'Anonymous' : 'Tandem');
  switch (e.kind) {
    case 'submitted':
      return e.actor ? `${who} submitted the idea` : 'Submitted anonymously';
    case 'state':
      return `${who} moved it from ${IDEA_STATE_LABELS[e.fromState!].toLowerCase()} to ${IDEA_STATE_LABELS[e.toState!].toLowerCase()}`;
    case 'owner':
      return e.owner && e.actor && e.owner.id === e.actor.id ? `${who} took ownership` : `${who} made ${e.owner?.name ?? 'someone'} the owner`;
    case 'comment':
      return `${who} commented`;
    case 'votes_merged':
      return 'Votes merged from a duplicate';
  }
}

function HistoryCard({ idea }: { idea: IdeaDetail }) {
  const invalidate = useInvalidateIdeas();
  const form = useForm({ initialValues: { body: '' }, validate: { body: (v) => (v.trim() ? null : 'Write a comment first') } });
  const comment = useMutation({
    mutationFn: (v: { body: string }) => post<Idea>(`/api/ideas/${idea.id}/comments`, { body: v.body.trim() }),
    onSuccess: () => {
      invalidate();
      form.reset();
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <Card padding="lg">
      <Title order={4} mb="md">
        History
      </Title>
      <Timeline bulletSize={14} lineWidth={2} data-testid="idea-history">
        {idea.history.map((e) => (
          <Timeline.Item
            key={e.id}
            color={e.kind === 'state' && e.toState ? STATE_COLORS[e.toState] : e.kind === 'comment' ? 'gray' : 'indigo'}
            bullet={e.kind === 'comment' ? <IconMessage size={9} /> : undefined}
            title={<Text size="sm" fw={600}>{eventTitle(e, idea.anonymous)}</Text>}
          >
            {e.body && (e.kind === 'comment' ? <CommentBody body={e.body} mentions={e.mentions} /> : <Text size="sm">{e.body}</Text>)}
            <Text size="xs" c="dimmed" title={formatDateTime(e.at)}>
              {fromNow(e.at)}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
      {idea.can.comment && (
        <form onSubmit={form.onSubmit((v) => comment.mutate(v))} noValidate>
          <Stack gap="xs" mt="lg">
            <Textarea
              label="Add a comment"
              description="Type @ and a name or email name (e.g. @rachel.okafor or @Marcus Chen) to notify someone by email"
              autosize
              minRows={2}
              {...form.getInputProps('body')}
            />
            <Group justify="flex-end">
              <Button type="submit" loading={comment.isPending} leftSection={<IconMessage size={16} />}>
                Comment
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
