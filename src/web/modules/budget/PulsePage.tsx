import { Alert, Anchor, Button, Group, Paper, SegmentedControl, Stack, Switch, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { MIN_GROUP, PULSE_DEPARTMENT_LABELS } from '../../../contracts/budget';
import type { z } from 'zod';
import type { pulseRoundDetail } from '../../../contracts/budget';
import { api, get, post } from '../../api';
import { formatDate, formatDateTime } from '../../ui/format';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';

type RoundDetail = z.infer<typeof pulseRoundDetail>;

export function PulsePage({ roundId }: { roundId: string }) {
  const key = ['/api/pulse/rounds', roundId];
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => get<RoundDetail>(`/api/pulse/rounds/${roundId}`, undefined, signal) });
  const canManage = useCan('pulse:manage');
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<Record<string, { isPriority: boolean; importance: number }>>({});
  const save = useMutation({
    mutationFn: () => api(`/api/pulse/rounds/${roundId}/answers`, { method: 'PUT', body: { answers: Object.entries(answers).map(([priorityId, a]) => ({ priorityId, ...a })) } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: ['/api/budget/alignment'] });
      notifySuccess('Thank you: your answers are saved (only department figures are shown)');
    },
    onError: (err) => notifyError(err),
  });
  const remind = useMutation({
    mutationFn: () => post<{ reminded: number }>(`/api/pulse/rounds/${roundId}/remind`),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: key });
      notifySuccess(`${r.reminded} people reminded`);
    },
    onError: (err) => notifyError(err),
  });
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <QueryError error={query.error} retry={() => void query.refetch()} />;
  const r = query.data;
  const current = (id: string) => answers[id] ?? (() => {
    const mine = r.myAnswers.find((a) => a.priorityId === id);
    return mine ? { isPriority: mine.isPriority, importance: mine.importance } : undefined;
  })();
  const complete = r.priorities.every((p) => current(p.id));

  return (
    <>
      <PageHeader
        title={`Priority pulse: ${r.title}`}
        description={`${formatDate(r.opensOn)} to ${formatDate(r.closesOn)} · ${r.answered} of ${r.invited} people answered`}
        actions={
          <>
            <Button variant="default" component={Link} to="/budget/alignment">
              Alignment report
            </Button>
            {canManage && r.open && (
              <Button variant="default" loading={remind.isPending} onClick={() => remind.mutate()}>
                Remind those who have not answered
              </Button>
            )}
          </>
        }
      />
      <Stack gap="lg">
        <Text size="sm" c="dimmed" data-testid="pulse-reminders">
          {r.lastReminderOn
            ? `Everyone asked who has not answered gets a reminder each day (in Tandem, and by mail unless they turned it off), the last on ${formatDate(r.lastReminderOn)}, the day before the round closes.`
            : r.open
              ? 'The round closes today: no more daily reminders go out.'
              : 'The round is closed: no more reminders go out.'}{' '}
          {r.remindedAt ? `Last reminder: ${formatDateTime(r.remindedAt)}.` : 'No reminder has gone out yet.'}
        </Text>
        {r.canAnswer ? (
          <Paper p="md" data-testid="pulse-form">
            <Text size="sm" mb="md">
              For each LP priority: is it a priority for you, and how important is it (1 low – 5 high)? Your answers are confidential: only department figures of {MIN_GROUP} or more
              people are ever shown. {r.mine && 'You have answered; you can change your answers until the round closes.'}
            </Text>
            <Stack gap="sm">
              {r.priorities.map((p) => {
                const a = current(p.id);
                const set = (next: Partial<{ isPriority: boolean; importance: number }>) => setAnswers({ ...answers, [p.id]: { isPriority: a?.isPriority ?? false, importance: a?.importance ?? 3, ...next } });
                return (
                  <Group key={p.id} justify="space-between" wrap="wrap" gap="xs">
                    <div style={{ minWidth: 220, flex: 1 }}>
                      <Text size="sm" fw={600}>
                        {p.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {p.description}
                      </Text>
                    </div>
                    <Switch label="A priority for me" checked={a?.isPriority ?? false} onChange={(e) => set({ isPriority: e.currentTarget.checked })} />
                    <SegmentedControl size="xs" aria-label={`Importance of ${p.name}`} data={['1', '2', '3', '4', '5']} value={a ? String(a.importance) : ''} onChange={(v) => set({ importance: Number(v) })} />
                  </Group>
                );
              })}
            </Stack>
            <Group justify="flex-end" mt="md">
              <Button disabled={!complete || Object.keys(answers).length === 0} loading={save.isPending} onClick={() => save.mutate()}>
                Save my answers
              </Button>
            </Group>
          </Paper>
        ) : (
          <Alert color="gray">{r.open ? 'This round asks LP, IT, InfoSec and security operations people.' : 'This round is closed.'}</Alert>
        )}
        <Paper p="md">
          <Text fw={600} mb="sm">
            Results so far (departments with {MIN_GROUP} or more answers)
          </Text>
          <Table.ScrollContainer minWidth={600}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Priority</Table.Th>
                  {r.report.respondents.map((d) => (
                    <Table.Th key={d.department}>{PULSE_DEPARTMENT_LABELS[d.department]}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.report.priorities.map((p) => (
                  <Table.Tr key={p.priorityId}>
                    <Table.Td>{p.name}</Table.Td>
                    {p.groups.map((g) => (
                      <Table.Td key={g.department}>{g.priorityPercent == null ? <Text size="xs" c="dimmed">not shown</Text> : `${g.priorityPercent} %`}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Anchor component={Link} to="/budget/alignment" size="sm" mt="sm" display="block">
            See the gaps and the trend on the alignment page
          </Anchor>
        </Paper>
      </Stack>
    </>
  );
}
