import { Alert, Button, Group, Modal, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FINDING_RULE_LABELS, type Finding } from '../../../contracts/devices';
import { post } from '../../api';
import { Fact } from '../../ui/Fact';
import { formatDate } from '../../ui/format';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { FindingStateBadge, SeverityBadge } from './shared';

/** A finding's facts and what can be done with it: resolve (with a note), accept the risk, reopen. */
export function FindingModal({ finding, onClose }: { finding: Finding | null; onClose: () => void }) {
  const canWork = useCan('devices:findings');
  const canAccept = useCan('devices:accept-risk');
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'view' | 'resolve' | 'accept'>('view');
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setMode('view');
    setNote('');
    setUntil('');
    setReason('');
    setError(null);
    onClose();
  };
  const act = useMutation({
    mutationFn: (a: { path: string; body?: unknown }) => post<Finding>(`/api/device-findings/${finding!.id}/${a.path}`, a.body ?? {}),
    onSuccess: (f) => {
      for (const key of ['/api/device-findings', '/api/devices']) void queryClient.invalidateQueries({ queryKey: [key] });
      notifySuccess(`${f.ref} is now ${f.state.replace('_', ' ')}`);
      close();
    },
    onError: (err) => {
      setError((err as Error).message);
      notifyError(err);
    },
  });
  if (!finding) return null;
  const f = finding;
  return (
    <Modal opened onClose={close} title={`${f.ref} · ${FINDING_RULE_LABELS[f.rule]}`} size="lg">
      <Stack>
        <Group gap="xs">
          <SeverityBadge severity={f.severity} />
          <FindingStateBadge state={f.state} />
          {f.overdue && <Text c="red" size="sm">Overdue</Text>}
        </Group>
        <Text>{f.detail}</Text>
        <SimpleGrid cols={{ base: 2, sm: 3 }}>
          <Fact label="Device">
            {f.deviceName} ({f.storeCode})
          </Fact>
          <Fact label="Owner">{f.ownerName ?? f.ownerDepartmentName ?? '—'}</Fact>
          <Fact label="Due">{formatDate(f.dueDate)}</Fact>
          <Fact label="Open since">{formatDate(f.openedAt)}</Fact>
          <Fact label="Reopened">{f.reopenCount ? `${f.reopenCount}×` : 'Never'}</Fact>
          {f.state === 'resolved' && <Fact label="Resolved">{`${formatDate(f.resolvedAt)}${f.resolvedByName ? ` by ${f.resolvedByName}` : ''}`}</Fact>}
          {f.state === 'risk_accepted' && <Fact label="Risk accepted until">{`${formatDate(f.acceptedUntil)} by ${f.acceptedByName ?? '—'}`}</Fact>}
        </SimpleGrid>
        {f.resolution && <Fact label="Resolution">{f.resolution}</Fact>}
        {f.acceptReason && f.state === 'risk_accepted' && <Fact label="Reason accepted">{f.acceptReason}</Fact>}
        {error && <Alert color="red">{error}</Alert>}
        {mode === 'resolve' && (
          <Textarea
            label="What was done"
            description={f.rule === 'default_credentials' ? 'Resolving records that the default credentials were changed.' : f.rule === 'not_seen' ? 'Resolving records the device as seen today.' : 'The inventory must already show the fix.'}
            required
            autosize
            minRows={2}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
        )}
        {mode === 'accept' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Accepted until" placeholder="YYYY-MM-DD" required value={until} onChange={(e) => setUntil(e.currentTarget.value)} />
            <TextInput label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          </SimpleGrid>
        )}
        <Group justify="flex-end">
          {mode === 'view' && f.state === 'open' && canAccept && (
            <Button variant="default" onClick={() => setMode('accept')}>
              Accept risk
            </Button>
          )}
          {mode === 'view' && f.state === 'risk_accepted' && canWork && (
            <Button variant="default" loading={act.isPending} onClick={() => act.mutate({ path: 'reopen' })}>
              End acceptance
            </Button>
          )}
          {mode === 'view' && f.state !== 'resolved' && canWork && <Button onClick={() => setMode('resolve')}>Resolve</Button>}
          {mode === 'resolve' && (
            <Button loading={act.isPending} disabled={!note.trim()} onClick={() => act.mutate({ path: 'resolve', body: { note } })}>
              Mark resolved
            </Button>
          )}
          {mode === 'accept' && (
            <Button loading={act.isPending} disabled={!until || !reason.trim()} onClick={() => act.mutate({ path: 'accept', body: { until, reason } })}>
              Accept the risk
            </Button>
          )}
          {mode !== 'view' && (
            <Button variant="subtle" onClick={() => setMode('view')}>
              Back
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
