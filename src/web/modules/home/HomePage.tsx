import { Badge, Card, Grid, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Timeline, Title } from '@mantine/core';
import { IconChecklist, IconCircleCheck, IconClock, IconHistory } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { ROLE_LABELS, type Role } from '../../../contracts/roles';
import { BarList } from '../../ui/charts';
import { formatDate, formatDateTime, formatMoney, formatNumber, fromNow } from '../../ui/format';
import { RawLink } from '../../ui/RawLink';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { homeQuery } from './query';

export function HomePage() {
  const home = useQuery(homeQuery);

  if (home.isPending) return <PageLoader />;
  if (home.isError) return <QueryError error={home.error} retry={() => void home.refetch()} />;
  const h = home.data;
  const p = h.person;
  const where = [p.title, p.departmentName, p.storeName ?? 'Headquarters'].filter(Boolean).join(' · ');

  return (
    <Stack gap="lg">
      <div>
        <Text size="sm" c="dimmed">
          {h.greeting}
        </Text>
        <Title order={1} size="h2">My work</Title>
        <Group gap="xs" mt={4}>
          <Text size="sm" c="dimmed">
            {where}
          </Text>
          <Badge variant="light" size="sm">
            {ROLE_LABELS[p.role as Role] ?? p.role}
          </Badge>
        </Group>
      </div>

      {h.figures.length > 0 && (
        <SimpleGrid cols={{ base: 2, sm: 3, lg: Math.min(h.figures.length, 5) }} spacing="md">
          {h.figures.map((f) => (
            <Paper key={f.label} p="md" data-testid="figure">
              {/* Two lines, the same height on every tile: longer labels ("IT budget on LP priorities") read whole, and the figures line up. */}
              <Text size="xs" c="dimmed" tt="uppercase" fw={700} lh={1.4} mih="2.8em" lineClamp={2}>
                {f.label}
              </Text>
              <Text fz={28} fw={700} lh={1.3}>
                {f.unit === 'cents' ? formatMoney(f.value) : f.unit === 'percent' ? `${formatNumber(f.value)}%` : formatNumber(f.value)}
              </Text>
              <Text size="xs" c="dimmed">
                {f.window}
              </Text>
              {f.href && (
                <RawLink href={f.href} size="xs">
                  View
                </RawLink>
              )}
            </Paper>
          ))}
        </SimpleGrid>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card h="100%" padding="lg">
            <Group gap="xs" mb="sm">
              <ThemeIcon variant="light" size="md">
                <IconChecklist size={16} />
              </ThemeIcon>
              <Title order={4}>Needs you</Title>
              {h.actions.length > 0 && (
                <Badge variant="filled" size="sm" circle>
                  {h.actions.length}
                </Badge>
              )}
            </Group>
            {h.actions.length === 0 ? (
              <Stack align="center" gap={6} py="xl" data-testid="no-actions">
                <ThemeIcon variant="light" color="teal" size={44} radius="xl">
                  <IconCircleCheck size={24} />
                </ThemeIcon>
                <Text fw={600}>You are all caught up</Text>
                <Text size="sm" c="dimmed" ta="center" maw={340}>
                  Nothing is waiting for you right now. Approvals, requests and follow-ups that need you will appear here.
                </Text>
              </Stack>
            ) : (
              <Stack gap={0}>
                {h.actions.map((a, i) => (
                  <Group
                    key={`${a.href}-${i}`}
                    justify="space-between"
                    wrap="nowrap"
                    py="sm"
                    style={{ borderTop: i ? '1px solid var(--mantine-color-gray-2)' : undefined }}
                  >
                    <div style={{ minWidth: 0 }}>
                      <RawLink href={a.href} fw={600} size="sm">
                        {a.label}
                      </RawLink>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {a.detail}
                      </Text>
                    </div>
                    <Group gap={6} wrap="nowrap">
                      <Badge variant="light" color="gray" size="sm">
                        {a.kind}
                      </Badge>
                      {a.due && (
                        <Badge variant="light" color="orange" size="sm" leftSection={<IconClock size={12} />}>
                          {formatDate(a.due)}
                        </Badge>
                      )}
                    </Group>
                  </Group>
                ))}
              </Stack>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card h="100%" padding="lg">
            <Title order={4} mb="sm">
              People by department
            </Title>
            {h.departments.length === 0 ? (
              <Text size="sm" c="dimmed">
                No departments yet.
              </Text>
            ) : (
              <BarList
                data={h.departments.map((d) => ({ name: d.name, value: d.people }))}
                label={`People by department: ${h.departments.map((d) => `${d.name} ${d.people}`).join(', ')}`}
              />
            )}
          </Card>
        </Grid.Col>
      </Grid>

      {h.lists.length > 0 && (
        <SimpleGrid cols={{ base: 1, md: Math.min(h.lists.length, 2) }} spacing="md">
          {h.lists.map((l) => (
            <Card key={l.key} padding="lg" data-testid={`home-list-${l.key}`}>
              <Group justify="space-between" mb="xs" wrap="nowrap">
                <div>
                  <Title order={4}>{l.title}</Title>
                  {l.window && (
                    <Text size="xs" c="dimmed">
                      {l.window}
                    </Text>
                  )}
                </div>
                {l.action && (
                  <RawLink href={l.action.href} size="sm" fw={600}>
                    {l.action.label}
                  </RawLink>
                )}
              </Group>
              {l.items.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {l.empty}
                </Text>
              ) : (
                <Stack gap={6}>
                  {l.items.map((item, i) => (
                    <Group key={`${item.href}-${i}`} justify="space-between" wrap="nowrap" gap="xs">
                      <div style={{ minWidth: 0 }}>
                        <RawLink href={item.href} size="sm" fw={600}>
                          {item.label}
                        </RawLink>
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {item.detail}
                        </Text>
                      </div>
                      {item.badge && (
                        <Badge variant="light" size="sm" style={{ flexShrink: 0 }}>
                          {item.badge}
                        </Badge>
                      )}
                    </Group>
                  ))}
                </Stack>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}

      <Card padding="lg">
        <Group gap="xs" mb="md">
          <ThemeIcon variant="light" size="md" color="gray">
            <IconHistory size={16} />
          </ThemeIcon>
          <Title order={4}>What others did</Title>
        </Group>
        {h.recent.length === 0 ? (
          <Text size="sm" c="dimmed">
            No activity yet.
          </Text>
        ) : (
          <Timeline bulletSize={12} lineWidth={2}>
            {h.recent.map((r, i) => (
              <Timeline.Item key={i} title={<Text size="sm">{r.summary}</Text>}>
                <Text size="xs" c="dimmed">
                  {r.actorName} · <span title={formatDateTime(r.at)}>{fromNow(r.at)}</span>
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Card>
    </Stack>
  );
}
