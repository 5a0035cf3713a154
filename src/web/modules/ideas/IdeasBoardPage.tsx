import { Badge, Box, Card, Group, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconMessage, IconArrowBigUp } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { IDEA_BOARD_ORDER, IDEA_STATE_LABELS, type Idea } from '../../../contracts/ideas';
import type { Page } from '../../../contracts/list';
import { get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { fromNow } from '../../ui/format';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { IdeaCategoryBadge, STATE_COLORS } from './shared';

const PER_COLUMN = 50;

/** Leads' board: one column per state, the most-voted ideas on top. */
export function IdeasBoardPage() {
  const columns = useQueries({
    queries: IDEA_BOARD_ORDER.map((state) => ({
      queryKey: ['/api/ideas', 'board', state],
      queryFn: ({ signal }: { signal: AbortSignal }) => get<Page<Idea>>('/api/ideas', { state, sort: 'votes', order: 'desc', limit: PER_COLUMN }, signal),
    })),
  });
  if (columns.some((c) => c.isPending)) return <PageLoader />;
  const failed = columns.find((c) => c.isError);
  if (failed) return <QueryError error={failed.error} retry={() => columns.forEach((c) => void c.refetch())} />;

  return (
    <Stack gap="md">
      <PageBreadcrumbs to="/ideas" label="Ideas" current="Board" />
      <div>
        <Title order={1} size="h2">Ideas board</Title>
        <Text c="dimmed" size="sm">
          Every idea by state, most votes first. Open an idea to move it, assign an owner or answer the author.
        </Text>
      </div>
      <ScrollArea type="auto" offsetScrollbars>
        <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm">
          {IDEA_BOARD_ORDER.map((state, i) => {
            const page = columns[i].data!;
            return (
              <Paper key={state} w={264} p="xs" bg="var(--mantine-color-gray-light)" style={{ flexShrink: 0 }} data-testid={`board-column-${state}`}>
                <Group justify="space-between" px={4} mb="xs">
                  <Group gap={6}>
                    <Box w={10} h={10} style={{ borderRadius: 5, background: `var(--mantine-color-${STATE_COLORS[state]}-6)` }} />
                    <Text fw={700} size="sm">
                      {IDEA_STATE_LABELS[state]}
                    </Text>
                  </Group>
                  <Badge variant="white" color="gray" size="sm">
                    {page.total}
                  </Badge>
                </Group>
                <Stack gap={6}>
                  {page.items.length === 0 && (
                    <Text size="xs" c="dimmed" ta="center" py="md">
                      No ideas
                    </Text>
                  )}
                  {page.items.map((idea) => (
                    <Card key={idea.id} padding="sm" withBorder>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {idea.ref}
                      </Text>
                      <AnchorLink to="/ideas/$id" params={{ id: idea.ref }} size="sm" fw={600} lineClamp={3}>
                        {idea.title}
                      </AnchorLink>
                      <Group gap={6} mt={6} justify="space-between" wrap="nowrap">
                        <IdeaCategoryBadge category={idea.category} />
                        <Group gap={8} wrap="nowrap">
                          <Text size="xs" c="dimmed" title="Votes">
                            <IconArrowBigUp size={12} style={{ verticalAlign: -2 }} /> {idea.votes}
                          </Text>
                          <Text size="xs" c="dimmed" title="Comments">
                            <IconMessage size={12} style={{ verticalAlign: -2 }} /> {idea.comments}
                          </Text>
                        </Group>
                      </Group>
                      <Text size="xs" c="dimmed" mt={4} lineClamp={1}>
                        {idea.owner ? `Owner: ${idea.owner.name}` : 'No owner'} · {fromNow(idea.lastActivityAt)}
                      </Text>
                    </Card>
                  ))}
                  {page.total > page.items.length && (
                    <Text size="xs" c="dimmed" ta="center">
                      {page.total - page.items.length} more in the list
                    </Text>
                  )}
                </Stack>
              </Paper>
            );
          })}
        </Group>
      </ScrollArea>
    </Stack>
  );
}
