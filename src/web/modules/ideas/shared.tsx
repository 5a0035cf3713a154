import { Badge, Button, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowBigUp, IconArrowBigUpFilled } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IDEA_CATEGORY_LABELS, IDEA_STATE_LABELS, type IdeaCategory, type IdeaState } from '../../../contracts/ideas-vocabulary';
import { post } from '../../api';
import { notifyError } from '../../ui/notify';

export const STATE_COLORS: Record<IdeaState, string> = {
  submitted: 'gray',
  under_review: 'yellow',
  accepted: 'blue',
  declined: 'red',
  duplicate: 'grape',
  in_progress: 'indigo',
  done: 'teal',
};

export function IdeaStateBadge({ state, size = 'sm' }: { state: IdeaState; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  return (
    <Badge variant="light" color={STATE_COLORS[state]} size={size} data-testid="idea-state">
      {IDEA_STATE_LABELS[state]}
    </Badge>
  );
}

export function IdeaCategoryBadge({ category }: { category: IdeaCategory }) {
  return (
    <Badge variant="outline" color="gray" size="sm" fw={500}>
      {IDEA_CATEGORY_LABELS[category]}
    </Badge>
  );
}

/** Invalidates everything that shows ideas after a change. */
export function useInvalidateIdeas() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['/api/ideas'] });
    void queryClient.invalidateQueries({ queryKey: ['home'] });
  };
}

/** The vote toggle: one vote per person, a second press takes it back. */
export function useVote(ideaId: string) {
  const invalidate = useInvalidateIdeas();
  return useMutation({
    mutationFn: () => post<{ voted: boolean; votes: number }>(`/api/ideas/${ideaId}/vote`),
    onSuccess: invalidate,
    onError: (err) => notifyError(err, 'Your vote was not counted'),
  });
}

/** A compact vote box for lists and the board. */
export function VoteBox({ ideaId, votes, voted, canVote, title }: { ideaId: string; votes: number; voted: boolean; canVote: boolean; title: string }) {
  const vote = useVote(ideaId);
  const Icon = voted ? IconArrowBigUpFilled : IconArrowBigUp;
  const body = (
    <Stack gap={0} align="center" w={44} py={4} style={{ borderRadius: 8, border: `1px solid ${voted ? 'var(--mantine-color-indigo-outline)' : 'var(--mantine-color-default-border)'}`, background: voted ? 'var(--mantine-color-indigo-light)' : 'var(--mantine-color-body)' }}>
      <Icon size={18} color={voted ? 'var(--mantine-color-indigo-text)' : 'var(--mantine-color-dimmed)'} />
      <Text fw={700} size="sm" lh={1.2}>
        {votes}
        {/* The name starts with what is shown (the count), as speech-input users say it. */}
        <VisuallyHidden>{canVote ? ` votes: ${voted ? 'remove your vote for' : 'vote for'} ${title}` : ' votes'}</VisuallyHidden>
      </Text>
    </Stack>
  );
  if (!canVote) return body;
  return (
    <UnstyledButton onClick={() => vote.mutate()} disabled={vote.isPending} aria-pressed={voted}>
      {body}
    </UnstyledButton>
  );
}

/** The large vote button of the idea page. */
export function VoteButton({ ideaId, votes, voted, canVote }: { ideaId: string; votes: number; voted: boolean; canVote: boolean }) {
  const vote = useVote(ideaId);
  const Icon = voted ? IconArrowBigUpFilled : IconArrowBigUp;
  return (
    <Button
      variant={voted ? 'filled' : 'default'}
      leftSection={<Icon size={18} />}
      onClick={() => vote.mutate()}
      loading={vote.isPending}
      disabled={!canVote}
      aria-pressed={voted}
      data-testid="vote-button"
    >
      {voted ? 'Voted' : 'Vote'} · {votes}
    </Button>
  );
}
