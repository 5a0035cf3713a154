import { Anchor, Badge, Button, Card, FileButton, Grid, Group, Modal, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconBriefcase, IconCheck, IconGitMerge, IconLink, IconPaperclip, IconX } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { INCIDENT_TYPE_LABELS, type Case, type IncidentDetail } from '../../../contracts/cases';
import type { Page } from '../../../contracts/list';
import { get, isApiError, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { Fact } from '../../ui/Fact';
import { formatDateTime, formatMoney } from '../../ui/format';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { RecordHeading } from '../../ui/PageHeader';
import { NotFoundState, PageLoader, QueryError } from '../../ui/StatusPages';
import { formatBytes, IncidentStatusBadge, uploadFile, useInvalidateCases } from './shared';

type Action = 'close' | 'merge' | 'link' | null;

export function IncidentPage() {
  const { id } = useParams({ from: '/_app/incidents/$id' });
  const navigate = useNavigate();
  const invalidate = useInvalidateCases();
  const incident = useQuery({ queryKey: ['incident', id], queryFn: ({ signal }) => get<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`, undefined, signal) });
  const [action, setAction] = useState<Action>(null);
  const [text, setText] = useState('');
  const [reply, setReply] = useState('');
  const activeCases = useQuery({
    queryKey: ['/api/cases', 'active-options'],
    queryFn: () => get<Page<Case>>('/api/cases', { status: 'active', limit: 200, sort: 'updatedAt', order: 'desc' }),
    enabled: action === 'link',
  });
  const triage = useMutation({
    mutationFn: (body: object) => post<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}/triage`, body),
    onSuccess: (d) => {
      invalidate();
      setAction(null);
      setText('');
      notifySuccess(`${d.ref} is ${d.status === 'linked' ? `linked to ${d.caseRef}` : d.status}.`);
    },
    onError: (err) => notifyError(err),
  });
  const sendReply = useMutation({
    mutationFn: () => post<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}/messages`, { body: reply }),
    onSuccess: () => {
      setReply('');
      invalidate();
    },
    onError: (err) => notifyError(err),
  });
  const attach = useMutation({
    mutationFn: (file: File) => uploadFile<IncidentDetail>(`/api/incidents/${incident.data!.id}/files`, file, { filename: file.name, contentType: file.type || undefined }),
    onSuccess: () => {
      invalidate();
      notifySuccess('File attached.');
    },
    onError: (err) => notifyError(err),
  });

  if (incident.isPending) return <PageLoader />;
  if (incident.isError) return isApiError(incident.error, 404) ? <NotFoundState what="incident" /> : <QueryError error={incident.error} retry={() => void incident.refetch()} />;
  const i = incident.data;
  const open = i.status === 'new' || i.status === 'triaged';

  return (
    <Stack gap="md">
      <PageBreadcrumbs to="/incidents" label="Incidents" current={i.ref} />
      <Group justify="space-between" align="flex-start">
        <RecordHeading
          reference={i.ref}
          title={INCIDENT_TYPE_LABELS[i.type]}
          badges={
            <>
              <IncidentStatusBadge status={i.status} />
              {i.source === 'tip' && (
                <Badge color="grape" variant="outline">
                  Anonymous tip
                </Badge>
              )}
            </>
          }
        >
          <Text size="sm" c="dimmed">
            {i.storeCode ? `${i.storeCode} ${i.storeName}` : 'Headquarters'} · {formatDateTime(i.occurredAt)} · reported by {i.reporterName ?? 'someone'}
          </Text>
        </RecordHeading>
        {i.can.triage && (
          <Group gap="xs">
            {i.status === 'new' && (
              <Button variant="default" leftSection={<IconCheck size={16} />} loading={triage.isPending} onClick={() => triage.mutate({ action: 'triage' })}>
                Mark triaged
              </Button>
            )}
            {open && (
              <>
                <Button leftSection={<IconBriefcase size={16} />} onClick={() => void navigate({ to: '/cases/new', search: { incident: i.ref } })}>
                  Open a case
                </Button>
                <Button variant="default" leftSection={<IconLink size={16} />} onClick={() => setAction('link')}>
                  Link to a case
                </Button>
                <Button variant="default" leftSection={<IconGitMerge size={16} />} onClick={() => setAction('merge')}>
                  Merge duplicate
                </Button>
                <Button variant="default" color="red" leftSection={<IconX size={16} />} onClick={() => setAction('close')}>
                  Close
                </Button>
              </>
            )}
            {i.status === 'closed' && (
              <Button variant="default" onClick={() => triage.mutate({ action: 'reopen' })}>
                Reopen
              </Button>
            )}
          </Group>
        )}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Card padding="lg">
              <Title order={3} size="h4" mb="xs">
                What happened
              </Title>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{i.narrative}</Text>
              {i.peopleInvolved && (
                <>
                  <Text fw={600} mt="md" size="sm">
                    People involved
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {i.peopleInvolved}
                  </Text>
                </>
              )}
            </Card>
            <Card padding="lg">
              <Group justify="space-between" mb="xs">
                <Title order={3} size="h4">
                  Photos and files
                </Title>
                {i.can.attach && (
                  <FileButton onChange={(f) => f && attach.mutate(f)} accept="image/*,video/*,application/pdf">
                    {(props) => (
                      <Button {...props} size="xs" variant="default" leftSection={<IconPaperclip size={14} />} loading={attach.isPending}>
                        Attach a file
                      </Button>
                    )}
                  </FileButton>
                )}
              </Group>
              {i.files.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No files.
                </Text>
              ) : (
                <Stack gap={6}>
                  {i.files.map((f) => (
                    <Group key={f.id} justify="space-between" wrap="nowrap">
                      <Anchor href={`/api/incident-files/${f.id}`} size="sm">
                        {f.filename}
                      </Anchor>
                      <Text size="xs" c="dimmed" ff="monospace" title={`SHA-256 ${f.sha256}`}>
                        {formatBytes(f.sizeBytes)} · {f.sha256.slice(0, 12)}…
                      </Text>
                    </Group>
                  ))}
                </Stack>
              )}
            </Card>
            <Card padding="lg">
              <Title order={3} size="h4" mb="xs">
                {i.source === 'tip' ? 'Conversation with the tipster' : 'Messages'}
              </Title>
              <Stack gap="xs">
                {i.messages.length === 0 && (
                  <Text size="sm" c="dimmed">
                    No messages yet.
                  </Text>
                )}
                {i.messages.map((m) => (
                  <Paper key={m.id} withBorder p="sm" bg={m.fromTipster ? 'var(--mantine-color-grape-light)' : undefined}>
                    <Text size="xs" c="dimmed">
                      {m.authorName} · {formatDateTime(m.createdAt)}
                    </Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {m.body}
                    </Text>
                  </Paper>
                ))}
                {i.can.reply && (
                  <Group align="flex-end" wrap="nowrap">
                    <Textarea style={{ flex: 1 }} label={i.source === 'tip' ? 'Reply to the tipster' : 'Add a message'} autosize minRows={1} value={reply} onChange={(e) => setReply(e.currentTarget.value)} />
                    <Button disabled={!reply.trim()} loading={sendReply.isPending} onClick={() => sendReply.mutate()}>
                      Send
                    </Button>
                  </Group>
                )}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card padding="lg">
            <SimpleGrid cols={2} spacing="sm">
              <Fact label="Estimated loss">{formatMoney(i.estimatedLossCents)}</Fact>
              <Fact label="Recovered">{formatMoney(i.recoveredCents)}</Fact>
              <Fact label="Police report">{i.policeReport || '—'}</Fact>
              <Fact label="Reported">{formatDateTime(i.createdAt)}</Fact>
              {i.caseRef && (
                <Fact label="Case">
                  <AnchorLink to="/cases/$id" params={{ id: i.caseRef }}>
                    {i.caseRef}
                  </AnchorLink>
                </Fact>
              )}
              {i.duplicateOfRef && (
                <Fact label="Duplicate of">
                  <AnchorLink to="/incidents/$id" params={{ id: i.duplicateOfRef.slice(4) }}>
                    {i.duplicateOfRef}
                  </AnchorLink>
                </Fact>
              )}
              {i.closeReason && <Fact label="Closed because">{i.closeReason}</Fact>}
              {i.duplicates.length > 0 && <Fact label="Duplicates">{i.duplicates.map((d) => d.ref).join(', ')}</Fact>}
            </SimpleGrid>
          </Card>
        </Grid.Col>
      </Grid>
      <Modal opened={action !== null} onClose={() => setAction(null)} title={action === 'close' ? `Close ${i.ref}` : action === 'merge' ? `Merge ${i.ref} as a duplicate` : `Link ${i.ref} to a case`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            triage.mutate(action === 'close' ? { action, reason: text } : action === 'merge' ? { action, duplicateOf: text } : { action, caseRef: text });
          }}
        >
          <Stack>
            {action === 'close' && <Textarea label="Reason" description="Why no further action is needed" value={text} onChange={(e) => setText(e.currentTarget.value)} data-autofocus required />}
            {action === 'merge' && <TextInput label="The incident it duplicates" placeholder="INC-12" value={text} onChange={(e) => setText(e.currentTarget.value)} data-autofocus required />}
            {action === 'link' && (
              <Select
                label="Case"
                searchable
                placeholder="Choose an open case"
                data={(activeCases.data?.items ?? []).map((c) => ({ value: c.ref, label: `${c.ref} · ${c.title}` }))}
                value={text || null}
                onChange={(v) => setText(v ?? '')}
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAction(null)}>
                Cancel
              </Button>
              <Button type="submit" loading={triage.isPending} disabled={!text.trim()}>
                {action === 'close' ? 'Close incident' : action === 'merge' ? 'Merge' : 'Link'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
