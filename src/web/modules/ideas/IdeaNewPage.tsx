import { Alert, Button, Card, Checkbox, Group, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBulb, IconEyeOff } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import type { Idea } from '../../../contracts/ideas';
import { IDEA_CATEGORIES, IDEA_CATEGORY_LABELS, type IdeaCategory } from '../../../contracts/ideas-vocabulary';
import { get, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { applyServerErrors } from '../../ui/forms';
import { HQ, storeOptions, useStores } from '../../ui/lookups';
import { useMe } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { IdeaStateBadge, useInvalidateIdeas } from './shared';

interface Values {
  title: string;
  description: string;
  category: IdeaCategory | '';
  storeId: string;
  anonymous: boolean;
}

type Similar = { items: { id: string; ref: string; title: string; state: Idea['state']; votes: number }[] };

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
    queryFn: ({ signal }) => get<Similar>('/api/ideas/similar', { q: title }, signal),
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
            {matches.length > 0 && (
              <Paper withBorder p="sm" bg="yellow.0" data-testid="similar-ideas">
                <Text size="sm" fw={600} mb={4}>
                  Similar ideas already exist — vote for one of them if it is the same:
                </Text>
                <Stack gap={4}>
                  {matches.map((m) => (
                    <Group key={m.id} gap={6} wrap="nowrap">
                      <Text size="xs" c="dimmed" ff="monospace" style={{ flexShrink: 0 }}>
                        {m.ref}
                      </Text>
                      <AnchorLink to="/ideas/$id" params={{ id: m.ref }} size="sm" target="_blank" lineClamp={1}>
                        {m.title}
                      </AnchorLink>
                      <IdeaStateBadge state={m.state} size="xs" />
                      <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                        {m.votes} votes
                      </Text>
                    </Group>
                  ))}
                </Stack>
              </Paper>
            )}
            <Textarea label="Description" placeholder="What would you change, and what would it save or prevent?" autosize minRows={4} maxRows={12} {...form.getInputProps('description')} />
            <Select
              label="Category"
              placeholder="Choose a category"
              allowDeselect={false}
              data={IDEA_CATEGORIES.map((c) => ({ value: c, label: IDEA_CATEGORY_LABELS[c] }))}
              {...form.getInputProps('category')}
              onChange={(v) => form.setFieldValue('category', (v ?? '') as IdeaCategory)}
            />
            <Select
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
