import { Alert, Button, Card, Checkbox, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowBigUp, IconArrowBigUpFilled, IconBulb, IconEyeOff } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import type { Idea, IdeaSimilar } from '../../../contracts/ideas';
import { IDEA_CATEGORIES, IDEA_CATEGORY_LABELS, type IdeaCategory } from '../../../contracts/ideas-vocabulary';
import { get, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { DeferredSelect } from '../../ui/DeferredSelect';
import { applyServerErrors } from '../../ui/forms';
import { GrowingTextarea } from '../../ui/GrowingTextarea';
import { HQ, storeOptions, useStores } from '../../ui/lookups';
import { useMe } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { IdeaStateBadge, useInvalidateIdeas, useVote } from './shared';

interface Values {
  title: string;
  description: string;
  category: IdeaCategory | '';
  storeId: string;
  anonymous: boolean;
}

type SimilarIdea = IdeaSimilar['items'][number];

/**
 * Ideas already in Tandem that look like the one being typed: each with its whole title, its state
 * and a vote, so someone with the same idea can back it in place instead of writing it again. On the
 * yellow tint, text keeps the body colour (dimmed grey falls below 4.5:1 there in dark mode).
 */
function SimilarIdeas({ items }: { items: SimilarIdea[] }) {
  return (
    <Paper withBorder p="sm" bg="var(--mantine-color-yellow-light)" data-testid="similar-ideas">
      <Text size="sm" fw={600} mb="xs" id="similar-ideas-title">
        Similar ideas already exist — if yours is the same, vote for it instead:
      </Text>
      <Stack gap="xs" component="ul" aria-labelledby="similar-ideas-title" m={0} p={0} style={{ listStyle: 'none' }}>
        {items.map((m) => (
          <SimilarIdeaRow key={m.id} idea={m} />
        ))}
      </Stack>
    </Paper>
  );
}

function SimilarIdeaRow({ idea }: { idea: SimilarIdea }) {
  const vote = useVote(idea.id);
  const Icon = idea.voted ? IconArrowBigUpFilled : IconArrowBigUp;
  return (
    <Group component="li" gap="sm" wrap="nowrap" align="flex-start" justify="space-between" data-testid="similar-idea">
      <Stack gap={4} style={{ minWidth: 0 }}>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          <Text span size="xs" ff="monospace" mr={6}>
            {idea.ref}
          </Text>
          <AnchorLink to="/ideas/$id" params={{ id: idea.ref }} target="_blank" inherit>
            {idea.title}
          </AnchorLink>
        </Text>
        <Group gap={6}>
          <IdeaStateBadge state={idea.state} size="xs" />
          <Text size="xs">
            {idea.votes === 1 ? '1 vote' : `${idea.votes} votes`}
          </Text>
        </Group>
      </Stack>
      {idea.canVote && (
        <Button
          size="xs"
          variant={idea.voted ? 'filled' : 'default'}
          leftSection={<Icon size={16} />}
          onClick={() => vote.mutate()}
          loading={vote.isPending}
          aria-pressed={idea.voted}
          // The name starts with what the button says (WCAG 2.5.3); pressed again, it takes the vote back.
          aria-label={`${idea.voted ? 'Voted' : 'Vote'} for ${idea.ref} ${idea.title}`}
          style={{ flexShrink: 0 }}
        >
          {idea.voted ? 'Voted' : 'Vote'}
        </Button>
      )}
    </Group>
  );
}

/** Submit an idea: four fields and a box, built to take under a minute on a phone. */
export function IdeaNewPage() {
  const me = useMe();
  const stores = useStores();
  const navigate = useNavigate();
  const invalidate = useInvalidateIdeas();
  const form = useForm<Values>({
    initialValues: { title: '', description: '', category: '', storeId: me.data?.storeId ?? HQ, anonymous: false },
    validate: {
      title: (v) => (v.trim() ? null : 'Give your idea a short title'),
      description: (v) => (v.trim() ? null : 'Say what you would change and why'),
      category: (v) => (v ? null : 'Choose a category'),
    },
  });
  const [title] = useDebouncedValue(form.values.title.trim(), 300);
  const similar = useQuery({
    queryKey: ['/api/ideas', 'similar', title],
    queryFn: ({ signal }) => get<IdeaSimilar>('/api/ideas/similar', { q: title }, signal),
    enabled: title.length >= 3,
    placeholderData: (prev) => prev,
  });

  const submit = useMutation({
    mutationFn: (v: Values) => post<Idea>('/api/ideas', { title: v.title.trim(), description: v.description.trim(), category: v.category, storeId: v.storeId === HQ ? null : v.storeId, anonymous: v.anonymous }),
    onSuccess: (idea) => {
      invalidate();
      notifySuccess(`${idea.ref} was submitted. Thank you!`);
      void navigate({ to: '/ideas/$id', params: { id: idea.ref } });
    },
    onError: (err) => applyServerErrors(form, err),
  });

  const matches = title.length >= 3 ? (similar.data?.items ?? []) : [];

  return (
    <Stack gap="md" maw={720}>
      <PageBreadcrumbs to="/ideas" label="Ideas" current="Submit an idea" />
      <div>
        <Title order={1} size="h2">Submit an idea</Title>
        <Text c="dimmed" size="sm">
          Anything that would cut losses or make LP, security and IT work better together. Leads review new ideas every week.
        </Text>
      </div>
      <Card padding="lg">
        <form onSubmit={form.onSubmit((v) => submit.mutate(v))} noValidate>
          <Stack gap="md">
            <TextInput label="Title" placeholder="e.g. Move the self-checkout camera to cover the bagging area" maxLength={140} autoComplete="off" {...form.getInputProps('title')} />
            {matches.length > 0 && <SimilarIdeas items={matches} />}
            <GrowingTextarea label="Description" placeholder="What would you change, and what would it save or prevent?" minRows={4} maxRows={12} {...form.getInputProps('description')} />
            <DeferredSelect
              label="Category"
              placeholder="Choose a category"
              allowDeselect={false}
              data={IDEA_CATEGORIES.map((c) => ({ value: c, label: IDEA_CATEGORY_LABELS[c] }))}
              {...form.getInputProps('category')}
              onChange={(v) => form.setFieldValue('category', (v ?? '') as IdeaCategory)}
            />
            <DeferredSelect
              label="Store or HQ"
              description="Where the idea applies"
              searchable
              allowDeselect={false}
              data={[{ value: HQ, label: 'Headquarters' }, ...storeOptions(stores.data)]}
              {...form.getInputProps('storeId')}
              onChange={(v) => form.setFieldValue('storeId', v ?? HQ)}
            />
            <Checkbox
              label="Submit anonymously"
              description="Your name is hidden from everyone except Tandem admins. You still get updates on your idea by email."
              {...form.getInputProps('anonymous', { type: 'checkbox' })}
            />
            {form.values.anonymous && (
              <Alert color="gray" variant="light" icon={<IconEyeOff size={16} />} p="xs">
                <Text size="sm">The idea will show “anonymous” as its author. The submitting department is not shown either.</Text>
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" component={Link} to="/ideas">
                Cancel
              </Button>
              <Button type="submit" loading={submit.isPending} leftSection={<IconBulb size={16} />}>
                Submit idea
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
