import { Alert, Anchor, Badge, Box, Button, Checkbox, Grid, Group, List, Modal, Paper, Select, SimpleGrid, Stack, Stepper, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconLink, IconTrash, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import {
  PROJECT_LINK_KINDS,
  PROJECT_LINK_LABELS,
  PROJECT_ROAD,
  PROJECT_STAGE_LABELS,
  stageName,
  PROJECT_TYPE_LABELS,
  type ProjectDetail,
  type ProjectGate,
  type ProjectLinkKind,
  type ProjectStage,
} from '../../../contracts/projects';
import { api, get, isApiError, post } from '../../api';
import { Fact } from '../../ui/Fact';
import { formatDate, formatDateTime, formatMoney } from '../../ui/format';
import { notifyError, notifySuccess } from '../../ui/notify';
import { RecordHeading } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { RolloutPanel } from './RolloutPanel';
import { StageBadge } from './shared';

export function ProjectPage({ projectRef }: { projectRef: string }) {
  const key = ['/api/projects', projectRef];
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => get<ProjectDetail>(`/api/projects/${projectRef}`, undefined, signal) });
  const queryClient = useQueryClient();
  const set = (d: ProjectDetail) => {
    queryClient.setQueryData(key, d);
    void queryClient.invalidateQueries({ queryKey: ['/api/projects', 'list'] });
  };
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <QueryError error={query.error} retry={() => void query.refetch()} />;
  const p = query.data;
  const current = p.gates.find((g) => g.state === 'current');
  const roadIndex = p.stage === 'stopped' ? -1 : PROJECT_ROAD.indexOf(p.stage);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        {/* The heading keeps room for its title on a phone: the stage buttons wrap under it. */}
        <Box style={{ flex: '1 1 280px', minWidth: 0, display: 'flex' }}>
          <RecordHeading reference={p.ref} badges={<StageBadge stage={p.stage} />} title={p.title}>
            <Text size="sm" c="dimmed">
              {PROJECT_TYPE_LABELS[p.type]} · proposed by {p.ownerName} · {formatDate(p.createdAt)}
            </Text>
          </RecordHeading>
        </Box>
        <StageActions project={p} onChange={set} />
      </Group>
      {p.stage === 'stopped' && (
        <Alert color="red" title="Stopped">
          {p.stoppedReason}
        </Alert>
      )}
      <Paper p="md">
        <Stepper active={roadIndex === -1 ? 0 : roadIndex === PROJECT_ROAD.length - 1 ? PROJECT_ROAD.length : roadIndex} size="xs" allowNextStepsSelect={false} wrap>
          {PROJECT_ROAD.map((s) => (
            <Stepper.Step key={s} label={PROJECT_STAGE_LABELS[s]} />
          ))}
        </Stepper>
      </Paper>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            {current && <GatePanel project={p} gate={current} onChange={set} />}
            <RolloutPanel project={p} onChange={set} />
            <Links project={p} onChange={set} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Paper p="md">
              <SimpleGrid cols={2}>
                <Fact label="IT contact">{p.itContactName ?? '—'}</Fact>
                <Fact label="Estimate">{p.estimatedCostCents != null ? formatMoney(p.estimatedCostCents) : '—'}</Fact>
                <Fact label="Target date">{formatDate(p.targetDate)}</Fact>
                <Fact label="At this stage since">{formatDate(p.stageSince)}</Fact>
              </SimpleGrid>
              {p.description && (
                <Text size="sm" mt="md" style={{ whiteSpace: 'pre-wrap' }}>
                  {p.description}
                </Text>
              )}
            </Paper>
            <GatesSummary project={p} />
            <BudgetLines project={p} />
            <History project={p} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function StageActions({ project, onChange }: { project: ProjectDetail; onChange: (d: ProjectDetail) => void }) {
  const [stopping, setStopping] = useState(false);
  const [reason, setReason] = useState('');
  const move = useMutation({
    mutationFn: (body: { to: ProjectStage; reason?: string }) => post<ProjectDetail>(`/api/projects/${project.ref}/stage`, body),
    onSuccess: (d) => {
      onChange(d);
      setStopping(false);
      notifySuccess(`${d.ref} is now at ${stageName(d.stage)}`);
    },
    onError: (err) => notifyError(err),
  });
  const moves = project.can.moves;
  if (!moves.length) return null;
  const label: Partial<Record<ProjectStage, string>> = { security_review: 'Submit to IT security review', rollout: 'Start the roll-out', done: 'Mark the project done', proposal: 'Restart as a proposal' };
  return (
    <Group gap="xs">
      {moves
        .filter((m) => m !== 'stopped')
        .map((m) => (
          <Button key={m} onClick={() => move.mutate({ to: m })} loading={move.isPending && move.variables?.to === m}>
            {label[m] ?? `Move to ${stageName(m)}`}
          </Button>
        ))}
      {moves.includes('stopped') && (
        <Button variant="default" color="red" onClick={() => setStopping(true)}>
          Stop project
        </Button>
      )}
      <Modal opened={stopping} onClose={() => setStopping(false)} title={`Stop ${project.ref}`}>
        <Stack>
          <Textarea label="Why is it stopped?" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />
          <Group justify="flex-end">
            <Button color="red" disabled={!reason.trim()} loading={move.isPending} onClick={() => move.mutate({ to: 'stopped', reason })}>
              Stop project
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}

function GatePanel({ project, gate, onChange }: { project: ProjectDetail; gate: ProjectGate; onChange: (d: ProjectDetail) => void }) {
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  const [blockedMessage, setBlockedMessage] = useState<string | null>(null);
  const tick = useMutation({
    mutationFn: (v: { index: number; done: boolean }) => post<ProjectDetail>(`/api/projects/${project.ref}/checklist`, { gate: gate.gate, ...v }),
    onSuccess: onChange,
    onError: (err) => notifyError(err),
  });
  const sign = useMutation({
    mutationFn: (body: { decision: 'approve' | 'refuse'; reason?: string }) => post<ProjectDetail>(`/api/projects/${project.ref}/signoffs`, body),
    onSuccess: (d) => {
      onChange(d);
      setRefusing(false);
      setReason('');
      setBlockedMessage(null);
      notifySuccess(d.stage !== project.stage ? `${d.ref} passed the ${stageName(gate.gate)}` : 'Your decision is recorded');
    },
    onError: (err) => {
      if (isApiError(err, 409)) setBlockedMessage(err.message);
      else notifyError(err);
    },
  });
  const done = gate.checklist.filter((c) => c.done).length;
  return (
    <Paper p="md" data-testid="gate-panel">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          {gate.label}: waiting for sign-off
        </Title>
        <Badge variant="light">
          {done} / {gate.checklist.length} checked
        </Badge>
      </Group>
      {gate.blockers.length > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle />} title="This gate cannot pass yet" mb="md" data-testid="gate-blockers">
          <List size="sm" spacing={4}>
            {gate.blockers.map((b, i) => (
              <List.Item key={i}>
                {b.message}
                {b.link && (
                  <>
                    {' '}
                    <Anchor href={b.link} size="sm">
                      Open
                    </Anchor>
                  </>
                )}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Stack gap={6} mb="md">
        {gate.checklist.map((c, i) => (
          <Checkbox
            key={i}
            label={c.label}
            description={c.done && c.doneByName ? `${c.doneByName}, ${formatDate(c.doneAt)}` : undefined}
            checked={c.done}
            disabled={!project.can.edit || tick.isPending}
            onChange={(e) => tick.mutate({ index: i, done: e.currentTarget.checked })}
          />
        ))}
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md">
        {gate.signoffs.map((s) => (
          <Paper key={s.side} withBorder p="sm" data-testid={`signoff-${s.side}`}>
            <Text size="sm" fw={600}>
              {s.label}
            </Text>
            {s.decision === 'approved' && (
              <Text size="sm" c="teal">
                <IconCheck size={14} /> Signed by {s.personName}, {formatDate(s.at)}
              </Text>
            )}
            {s.decision === 'refused' && (
              <Text size="sm" c="red">
                <IconX size={14} /> Refused by {s.personName}: {s.reason}
              </Text>
            )}
            {s.decision !== 'approved' && s.waitingOn.length > 0 && (
              <Text size="xs" c="dimmed">
                Waiting on {s.waitingOn.join(', ')}
              </Text>
            )}
          </Paper>
        ))}
      </SimpleGrid>
      {blockedMessage && (
        <Alert color="red" title="Sign-off refused by the facts" mb="md" withCloseButton onClose={() => setBlockedMessage(null)} data-testid="signoff-blocked">
          {blockedMessage}
        </Alert>
      )}
      {gate.canSign && (
        <Group>
          <Button leftSection={<IconCheck size={16} />} color="teal" loading={sign.isPending && sign.variables?.decision === 'approve'} onClick={() => sign.mutate({ decision: 'approve' })}>
            Sign off as {gate.signoffs.find((s) => s.side === gate.canSign)!.label}
          </Button>
          <Button variant="default" leftSection={<IconX size={16} />} onClick={() => setRefusing(true)}>
            Refuse
          </Button>
        </Group>
      )}
      <Modal opened={refusing} onClose={() => setRefusing(false)} title={`Refuse the ${stageName(gate.gate)}`}>
        <Stack>
          <Textarea label="Reason" description="The project team sees it and it stays in the history." required value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />
          <Group justify="flex-end">
            <Button color="red" disabled={!reason.trim()} loading={sign.isPending} onClick={() => sign.mutate({ decision: 'refuse', reason })}>
              Refuse
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

function GatesSummary({ project }: { project: ProjectDetail }) {
  return (
    <Paper p="md">
      <Title order={3} size="h4" mb="sm">
        Gates
      </Title>
      <Stack gap="xs">
        {project.gates.map((g) => (
          <Group key={g.gate} justify="space-between" wrap="nowrap">
            <Text size="sm">{g.label}</Text>
            <Badge color={g.state === 'passed' ? 'teal' : g.state === 'current' ? 'orange' : 'gray'} variant="light">
              {g.state === 'passed' ? `Passed ${g.passedAt ? formatDate(g.passedAt) : ''}` : g.state === 'current' ? 'Now' : 'Ahead'}
            </Badge>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function Links({ project, onChange }: { project: ProjectDetail; onChange: (d: ProjectDetail) => void }) {
  const [kind, setKind] = useState<ProjectLinkKind>('device');
  const [target, setTarget] = useState('');
  const add = useMutation({
    mutationFn: () => post<ProjectDetail>(`/api/projects/${project.ref}/links`, { kind, target }),
    onSuccess: (d) => {
      onChange(d);
      setTarget('');
    },
    onError: (err) => notifyError(err),
  });
  const remove = useMutation({ mutationFn: (id: string) => api<ProjectDetail>(`/api/project-links/${id}`, { method: 'DELETE' }), onSuccess: onChange, onError: (err) => notifyError(err) });
  return (
    <Paper p="md">
      <Title order={3} size="h4" mb="sm">
        Linked records
      </Title>
      <Stack gap="xs">
        {project.links.length === 0 && (
          <Text size="sm" c="dimmed">
            Nothing linked yet: link the devices, camera plans, requests and ideas this project covers.
          </Text>
        )}
        {project.links.map((l) => (
          <Group key={l.id} justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Text size="sm">
                <Badge size="xs" variant="outline" mr={6}>
                  {PROJECT_LINK_LABELS[l.kind]}
                </Badge>
                {l.link ? <Anchor href={l.link}>{[l.ref, l.title].filter(Boolean).join(' ')}</Anchor> : l.title}
              </Text>
              <Text size="xs" c="dimmed">
                {l.detail}
              </Text>
            </div>
            {project.can.edit && (
              <Button variant="subtle" color="gray" size="compact-sm" aria-label={`Remove link to ${l.title}`} onClick={() => remove.mutate(l.id)}>
                <IconTrash size={14} />
              </Button>
            )}
          </Group>
        ))}
      </Stack>
      {project.can.edit && (
        <Group mt="md" align="flex-end" gap="xs">
          <Select label="Link a" w={150} data={PROJECT_LINK_KINDS.map((k) => ({ value: k, label: PROJECT_LINK_LABELS[k] }))} value={kind} onChange={(v) => v && setKind(v as ProjectLinkKind)} allowDeselect={false} />
          <TextInput label="Id or reference" placeholder={kind === 'idea' ? 'IDEA-7' : kind === 'request' ? 'REQ-42' : 'id'} style={{ flex: 1 }} value={target} onChange={(e) => setTarget(e.currentTarget.value)} />
          <Button leftSection={<IconLink size={16} />} disabled={!target.trim()} loading={add.isPending} onClick={() => add.mutate()}>
            Link
          </Button>
        </Group>
      )}
    </Paper>
  );
}

function BudgetLines({ project }: { project: ProjectDetail }) {
  return (
    <Paper p="md">
      <Title order={3} size="h4" mb="sm">
        Budget lines
      </Title>
      {project.budgetLines.length === 0 ? (
        <Text size="sm" c="dimmed">
          No IT budget line funds this project yet. IT leads add one on the{' '}
          <Anchor component={Link} to="/budget">
            IT budget
          </Anchor>{' '}
          page with project {project.ref}.
        </Text>
      ) : (
        <Stack gap={4}>
          {project.budgetLines.map((b) => (
            <Group key={b.id} justify="space-between">
              <Text size="sm">
                {b.ref} · FY{b.fiscalYear} · {b.title}
              </Text>
              <Text size="sm" fw={600}>
                {formatMoney(b.amountCents)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function History({ project }: { project: ProjectDetail }) {
  return (
    <Paper p="md">
      <Title order={3} size="h4" mb="sm">
        Decisions and history
      </Title>
      <Stack gap={8} data-testid="project-history">
        {project.events.map((e) => (
          <div key={e.id}>
            <Text size="sm">{eventText(e)}</Text>
            <Text size="xs" c="dimmed">
              {e.actorName ?? 'Tandem'} · {formatDateTime(e.at)}
            </Text>
          </div>
        ))}
      </Stack>
    </Paper>
  );
}

function eventText(e: ProjectDetail['events'][number]) {
  const text =
    e.kind === 'stage' && e.toStage
      ? `${e.gate ? `Passed the ${stageName(e.gate as ProjectStage)}; now` : 'Moved to'} ${e.gate ? 'at ' : ''}${stageName(e.toStage as ProjectStage)}${e.body && !e.gate ? `: ${e.body}` : ''}`
      : e.body;
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}
