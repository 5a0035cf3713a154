import { ActionIcon, Anchor, Badge, Button, Card, Checkbox, Collapse, FileButton, Grid, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconDownload, IconExternalLink, IconLink, IconPencil, IconPlus, IconShieldCheck, IconTrash, IconUpload, IconVideo } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState, type ReactNode } from 'react';
import {
  CASE_OUTCOMES,
  CASE_OUTCOME_LABELS,
  CASE_STATUSES,
  CASE_STATUS_LABELS,
  CUSTODY_ACTION_LABELS,
  INCIDENT_TYPE_LABELS,
  MANUAL_CUSTODY_ACTIONS,
  SUBJECT_KIND_LABELS,
  type CaseDetail,
  type Evidence,
} from '../../../contracts/cases';
import type { Person } from '../../../contracts/people';
import { api, getAll, get, isApiError, patch, post } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { Fact } from '../../ui/Fact';
import { formatDate, formatDateTime, formatMoney } from '../../ui/format';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { RecordHeading } from '../../ui/PageHeader';
import { NotFoundState, PageLoader, QueryError } from '../../ui/StatusPages';
import { CaseStatusBadge, formatBytes, fromCents, OutcomeBadge, SealedBadge, toCents, uploadFile, useInvalidateCases } from './shared';

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <Card padding="lg">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Card>
  );
}

/** "2026-11-20T18:40" (local) for a datetime-local input. */
const localInput = (iso: string | null | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

function EvidenceRow({ e, canEdit, onCustody }: { e: Evidence; canEdit: boolean; onCustody: (e: Evidence) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Table.Tr data-testid={`evidence-${e.label}`}>
        <Table.Td>
          <Text fw={600} size="sm">
            {e.label}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{e.title}</Text>
          <Text size="xs" c="dimmed">
            {e.kind === 'link' ? 'Video system link' : `${e.filename} · ${formatBytes(e.sizeBytes)}`} · {e.source === 'video_export' ? 'video export' : e.source} · {e.createdByName ?? 'Tandem'}, {formatDateTime(e.createdAt)}
          </Text>
          {e.sha256 && (
            <Text size="xs" ff="monospace" c="dimmed" style={{ wordBreak: 'break-all' }}>
              SHA-256 {e.sha256}
            </Text>
          )}
          {e.integrityAlarmAt && (
            <Badge color="red" mt={4}>
              Integrity alarm {formatDateTime(e.integrityAlarmAt)}
            </Badge>
          )}
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap" justify="flex-end">
            {e.kind === 'file' ? (
              <ActionIcon component="a" href={`/api/case-evidence/${e.id}/download`} variant="subtle" aria-label={`Download ${e.label}`}>
                <IconDownload size={18} />
              </ActionIcon>
            ) : (
              <ActionIcon component="a" href={e.url ?? '#'} target="_blank" rel="noreferrer" variant="subtle" aria-label={`Open ${e.label} in the video system`}>
                <IconExternalLink size={18} />
              </ActionIcon>
            )}
            <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)}>
              Custody ({e.custody.length})
            </Button>
            {canEdit && (
              <Button size="compact-xs" variant="default" onClick={() => onCustody(e)}>
                Record
              </Button>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
      <Table.Tr style={{ display: open ? undefined : 'none' }}>
        <Table.Td colSpan={3} p={0}>
          <Collapse expanded={open}>
            <Stack gap={2} p="sm" bg="var(--mantine-color-gray-light)" data-testid={`custody-${e.label}`}>
              {e.custody.map((c) => (
                <Text key={c.id} size="xs">
                  <b>{CUSTODY_ACTION_LABELS[c.action]}</b> · {c.actorName} · {formatDateTime(c.createdAt)}
                  {c.recipient ? ` · to ${c.recipient}` : ''} — {c.reason}
                </Text>
              ))}
            </Stack>
          </Collapse>
        </Table.Td>
      </Table.Tr>
    </>
  );
}

export function CasePage() {
  const { id } = useParams({ from: '/_app/cases/$id' });
  const invalidate = useInvalidateCases();
  const detail = useQuery({ queryKey: ['case', id], queryFn: ({ signal }) => get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, undefined, signal) });
  const people = useQuery({ queryKey: ['/api/people', 'case-workers'], queryFn: async () => (await getAll<Person>('/api/people', { status: 'active', sort: 'name' })).filter((p) => p.role !== 'staff' && p.role !== 'viewer') });
  const [editing, setEditing] = useState(false);
  const [video, setVideo] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  const [custodyFor, setCustodyFor] = useState<Evidence | null>(null);
  const [noteText, setNoteText] = useState('');
  const [task, setTask] = useState({ title: '', ownerId: '', dueDate: '' });
  const [member, setMember] = useState<string | null>(null);

  const run = <T,>(fn: () => Promise<T>, done?: string) =>
    fn()
      .then((r) => {
        invalidate();
        if (done) notifySuccess(done);
        return r;
      })
      .catch((err) => {
        notifyError(err);
        throw err;
      });
  const uploadEvidence = useMutation({
    mutationFn: (file: File) => uploadFile<Evidence>(`/api/cases/${encodeURIComponent(id)}/evidence`, file, { filename: file.name, contentType: file.type || undefined }),
    onSuccess: (e) => {
      invalidate();
      notifySuccess(`${e.label} stored. SHA-256 ${e.sha256?.slice(0, 16)}…`, 'Evidence added');
    },
    onError: (err) => notifyError(err, 'The upload did not complete; nothing was stored'),
  });

  if (detail.isPending) return <PageLoader />;
  if (detail.isError) return isApiError(detail.error, 404) || isApiError(detail.error, 403) ? <NotFoundState what="case" /> : <QueryError error={detail.error} retry={() => void detail.refetch()} />;
  const c = detail.data;
  const path = `/api/cases/${encodeURIComponent(c.ref)}`;
  const firstTxn = c.transactions.find((t) => t.occurredAt);

  return (
    <Stack gap="md">
      <PageBreadcrumbs to="/cases" label="Cases" current={c.ref} />
      <Group justify="space-between" align="flex-start">
        <RecordHeading
          reference={c.ref}
          title={c.title}
          badges={
            <>
              <CaseStatusBadge status={c.status} />
              <OutcomeBadge outcome={c.outcome} />
              <SealedBadge sealed={c.sealed} />
            </>
          }
        >
          <Text size="sm" c="dimmed">
            {INCIDENT_TYPE_LABELS[c.type]} · {c.storeCode ? `${c.storeCode} ${c.storeName}` : 'Headquarters'} · lead {c.leadName} · opened {formatDate(c.createdAt)}
          </Text>
        </RecordHeading>
        <Group gap="xs">
          {/* The report's export is written to the custody log: refresh the case once the download has begun. */}
          <Button component="a" href={`${path}/report.pdf`} download={`${c.ref}-report.pdf`} variant="default" leftSection={<IconDownload size={16} />} onClick={() => window.setTimeout(invalidate, 1500)}>
            Export PDF
          </Button>
          {c.can.edit && (
            <>
              <Button variant="default" leftSection={<IconVideo size={16} />} onClick={() => setVideo(true)}>
                Ask IT for a video export
              </Button>
              <Button leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
                Status and details
              </Button>
            </>
          )}
        </Group>
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Section title="Summary and subject">
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {c.summary || 'No summary yet.'}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }} mt="md" spacing="sm">
                <Fact label="Subject">{SUBJECT_KIND_LABELS[c.subjectKind]}</Fact>
                <Fact label="Name">{c.subjectName || '—'}</Fact>
                <Fact label="POS cashier">
                  {c.subjectCashierId ? (
                    <AnchorLink to="/pos/cashiers/$id" params={{ id: c.subjectCashierId }} size="sm">
                      {c.subjectCashierLabel}
                    </AnchorLink>
                  ) : (
                    '—'
                  )}
                </Fact>
              </SimpleGrid>
              {c.subjectDescription && (
                <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
                  {c.subjectDescription}
                </Text>
              )}
            </Section>

            <Section
              title="Evidence"
              action={
                c.can.edit && (
                  <Group gap="xs">
                    <Button size="xs" variant="default" leftSection={<IconLink size={14} />} onClick={() => setLinkOpen(true)}>
                      Add a VMS link
                    </Button>
                    <FileButton onChange={(f) => f && uploadEvidence.mutate(f)}>
                      {(props) => (
                        <Button {...props} size="xs" leftSection={<IconUpload size={14} />} loading={uploadEvidence.isPending}>
                          Upload evidence
                        </Button>
                      )}
                    </FileButton>
                  </Group>
                )
              }
            >
              {c.evidence.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No evidence yet. Files are hashed (SHA-256) as they arrive and every handling is logged.
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={520}>
                  <Table verticalSpacing="xs">
                    <Table.Tbody>
                      {c.evidence.map((e) => (
                        <EvidenceRow key={e.id} e={e} canEdit={c.can.edit} onCustody={setCustodyFor} />
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Section>

            {c.transactions.length > 0 && (
              <Section title="POS exceptions and transactions">
                <Table.ScrollContainer minWidth={560}>
                  <Table verticalSpacing="xs" striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>When</Table.Th>
                        <Table.Th>What</Table.Th>
                        <Table.Th ta="right">Amount</Table.Th>
                        <Table.Th>Video</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {c.transactions.map((t, n) => (
                        <Table.Tr key={`${t.exceptionId}-${t.transactionId}-${n}`}>
                          <Table.Td>
                            <Text size="sm">{formatDateTime(t.occurredAt)}</Text>
                          </Table.Td>
                          <Table.Td>
                            {t.exceptionRef && t.exceptionId ? (
                              <AnchorLink to="/pos/exceptions/$id" params={{ id: t.exceptionId }} size="sm" mr={6}>
                                {t.exceptionRef}
                              </AnchorLink>
                            ) : null}
                            <Text span size="sm">
                              {t.summary}
                            </Text>
                            {t.receipt && (
                              <Text size="xs" c="dimmed">
                                {t.transactionId ? (
                                  <AnchorLink to="/pos/transactions/$id" params={{ id: t.transactionId }} size="xs">
                                    {t.receipt}
                                  </AnchorLink>
                                ) : (
                                  t.receipt
                                )}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td ta="right">{t.amountCents == null ? '—' : formatMoney(t.amountCents)}</Table.Td>
                          <Table.Td>
                            {t.videoUrl ? (
                              <Anchor href={t.videoUrl} target="_blank" rel="noreferrer" size="sm">
                                Watch
                              </Anchor>
                            ) : (
                              '—'
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Section>
            )}

            {c.incidents.length > 0 && (
              <Section title="Incidents">
                <Stack gap="xs">
                  {c.incidents.map((i) => (
                    <Paper key={i.id} withBorder p="sm">
                      <Group gap={6}>
                        <AnchorLink to="/incidents/$id" params={{ id: i.ref.slice(4) }} size="sm" fw={600}>
                          {i.ref}
                        </AnchorLink>
                        <Text size="sm">
                          {INCIDENT_TYPE_LABELS[i.type]} · {i.storeCode ?? 'HQ'} · {formatDateTime(i.occurredAt)} · {formatMoney(i.estimatedLossCents)}
                        </Text>
                      </Group>
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {i.narrative}
                      </Text>
                    </Paper>
                  ))}
                </Stack>
              </Section>
            )}

            <Section title="Timeline">
              {c.can.edit && (
                <Group align="flex-end" wrap="nowrap" mb="sm">
                  <Textarea style={{ flex: 1 }} label="Add a note" autosize minRows={1} value={noteText} onChange={(e) => setNoteText(e.currentTarget.value)} />
                  <Button disabled={!noteText.trim()} onClick={() => void run(() => post(`${path}/notes`, { body: noteText })).then(() => setNoteText(''))}>
                    Add
                  </Button>
                </Group>
              )}
              <Stack gap={6}>
                {c.timeline.map((n) => (
                  <Paper key={n.id} p="xs" withBorder={n.kind === 'note'} bg={n.kind === 'event' ? 'var(--mantine-color-gray-light)' : undefined}>
                    <Text size="xs" c="dimmed">
                      {n.authorName} · {formatDateTime(n.createdAt)}
                    </Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {n.body}
                    </Text>
                  </Paper>
                ))}
              </Stack>
            </Section>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Section title="Figures">
              <SimpleGrid cols={2} spacing="sm">
                <Fact label="Loss">{formatMoney(c.lossCents)}</Fact>
                <Fact label="Recovered">{formatMoney(c.recoveryCents)}</Fact>
                <Fact label="Restitution">{formatMoney(c.restitutionCents)}</Fact>
                <Fact label="Outcome">{c.outcome ? CASE_OUTCOME_LABELS[c.outcome] : '—'}</Fact>
                <Fact label="Police referral">{formatDate(c.policeReferralDate)}</Fact>
                <Fact label="HR referral">{formatDate(c.hrReferralDate)}</Fact>
              </SimpleGrid>
            </Section>

            <Section title="Members">
              <Stack gap={6}>
                {c.members.map((m) => (
                  <Group key={m.personId} justify="space-between" wrap="nowrap">
                    <div>
                      <Text size="sm" fw={500}>
                        {m.name} {m.lead && <Badge size="xs">Lead</Badge>}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {m.departmentName ?? ''} · {m.access === 'work' ? 'works on the case' : 'reads only'}
                      </Text>
                    </div>
                    {c.can.manageMembers && !m.lead && (
                      <ActionIcon variant="subtle" color="red" aria-label={`Remove ${m.name}`} onClick={() => void run(() => post(`${path}/members/remove`, { personId: m.personId }), `${m.name} removed`)}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Group>
                ))}
                {c.can.manageMembers && (
                  <Group align="flex-end" wrap="nowrap">
                    <Select
                      style={{ flex: 1 }}
                      label="Add a member"
                      searchable
                      data={(people.data ?? []).filter((p) => !c.members.some((m) => m.personId === p.id)).map((p) => ({ value: p.id, label: `${p.name} · ${p.departmentName ?? ''}` }))}
                      value={member}
                      onChange={setMember}
                    />
                    <ActionIcon size="lg" aria-label="Add member" disabled={!member} onClick={() => void run(() => post(`${path}/members`, { personId: member, access: 'work' }), 'Member added').then(() => setMember(null))}>
                      <IconPlus size={18} />
                    </ActionIcon>
                  </Group>
                )}
              </Stack>
            </Section>

            <Section title="Tasks">
              <Stack gap={6}>
                {c.tasks.length === 0 && (
                  <Text size="sm" c="dimmed">
                    No tasks.
                  </Text>
                )}
                {c.tasks.map((t) => (
                  <Checkbox
                    key={t.id}
                    checked={!!t.doneAt}
                    disabled={!c.can.edit}
                    label={
                      <span>
                        {t.title}
                        <Text span size="xs" c="dimmed">
                          {' '}
                          · {t.ownerName ?? 'unassigned'}
                          {t.dueDate ? ` · due ${formatDate(t.dueDate)}` : ''}
                        </Text>
                      </span>
                    }
                    onChange={(e) => void run(() => patch(`/api/case-tasks/${t.id}`, { done: e.currentTarget.checked }))}
                  />
                ))}
                {c.can.edit && (
                  <Stack gap={6} mt="xs">
                    <TextInput label="New task" value={task.title} onChange={(e) => setTask({ ...task, title: e.currentTarget.value })} />
                    <SimpleGrid cols={2} spacing="xs">
                      <Select label="Owner" searchable clearable data={c.members.map((m) => ({ value: m.personId, label: m.name }))} value={task.ownerId || null} onChange={(v) => setTask({ ...task, ownerId: v ?? '' })} />
                      <TextInput label="Due" type="date" value={task.dueDate} onChange={(e) => setTask({ ...task, dueDate: e.currentTarget.value })} />
                    </SimpleGrid>
                    <Button
                      size="xs"
                      variant="default"
                      disabled={!task.title.trim()}
                      onClick={() => void run(() => post(`${path}/tasks`, { title: task.title, ownerId: task.ownerId || null, dueDate: task.dueDate || null }), 'Task added').then(() => setTask({ title: '', ownerId: '', dueDate: '' }))}
                    >
                      Add task
                    </Button>
                  </Stack>
                )}
              </Stack>
            </Section>

            {c.requests.length > 0 && (
              <Section title="Requests to other departments">
                <Stack gap={4}>
                  {c.requests.map((r) => (
                    <AnchorLink key={r.id} to="/requests/$ref" params={{ ref: r.ref }} size="sm">
                      {r.ref} · {r.title} ({r.status.replace('_', ' ')})
                    </AnchorLink>
                  ))}
                </Stack>
              </Section>
            )}
          </Stack>
        </Grid.Col>
      </Grid>

      <EditModal key={`${c.id}-${c.updatedAt}`} opened={editing} onClose={() => setEditing(false)} c={c} people={people.data ?? []} onSaved={() => setEditing(false)} run={run} />
      <VideoModal opened={video} onClose={() => setVideo(false)} caseRef={c.ref} defaultFrom={firstTxn?.occurredAt ?? null} defaultCameras={[...new Set(c.transactions.map((t) => (t.register ? `register ${t.register}` : '')).filter(Boolean))].join(', ')} run={run} />
      <LinkModal opened={linkOpen} onClose={() => setLinkOpen(false)} path={path} run={run} />
      <CustodyModal evidence={custodyFor} onClose={() => setCustodyFor(null)} run={run} />
    </Stack>
  );
}

type Run = <T>(fn: () => Promise<T>, done?: string) => Promise<T>;

function EditModal({ opened, onClose, c, people, onSaved, run }: { opened: boolean; onClose: () => void; c: CaseDetail; people: Person[]; onSaved: () => void; run: Run }) {
  const [v, setV] = useState({
    status: c.status as string,
    outcome: c.outcome as string | null,
    leadId: c.leadId,
    loss: fromCents(c.lossCents),
    recovery: fromCents(c.recoveryCents),
    restitution: fromCents(c.restitutionCents),
    police: c.policeReferralDate ?? '',
    hr: c.hrReferralDate ?? '',
    subjectName: c.subjectName,
    summary: c.summary,
  });
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    const cents = [toCents(v.loss), toCents(v.recovery), toCents(v.restitution)];
    if (cents.some((x) => x === null)) return setError('Amounts are dollars like 129.99');
    setError(null);
    void run(
      () =>
        patch(`/api/cases/${encodeURIComponent(c.ref)}`, {
          status: v.status,
          outcome: v.outcome,
          leadId: v.leadId,
          lossCents: cents[0],
          recoveryCents: cents[1],
          restitutionCents: cents[2],
          policeReferralDate: v.police || null,
          hrReferralDate: v.hr || null,
          subjectName: v.subjectName,
          summary: v.summary,
        }),
      'Case updated',
    ).then(onSaved, (err) => setError((err as Error).message));
  };
  return (
    <Modal opened={opened} onClose={onClose} title={`${c.ref}: status and details`} size="lg">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select label="Status" allowDeselect={false} data={CASE_STATUSES.map((s) => ({ value: s, label: CASE_STATUS_LABELS[s] }))} value={v.status} onChange={(x) => setV({ ...v, status: x ?? v.status })} />
          <Select label="Outcome" clearable description="Required to close" data={CASE_OUTCOMES.map((s) => ({ value: s, label: CASE_OUTCOME_LABELS[s] }))} value={v.outcome} onChange={(x) => setV({ ...v, outcome: x })} />
          <Select label="Lead investigator" searchable allowDeselect={false} data={people.map((p) => ({ value: p.id, label: p.name }))} value={v.leadId} onChange={(x) => setV({ ...v, leadId: x ?? v.leadId })} />
          <TextInput label="Subject's name" value={v.subjectName} onChange={(e) => setV({ ...v, subjectName: e.currentTarget.value })} />
          <TextInput label="Loss ($)" inputMode="decimal" value={v.loss} onChange={(e) => setV({ ...v, loss: e.currentTarget.value })} />
          <TextInput label="Recovered ($)" inputMode="decimal" value={v.recovery} onChange={(e) => setV({ ...v, recovery: e.currentTarget.value })} />
          <TextInput label="Restitution ($)" inputMode="decimal" value={v.restitution} onChange={(e) => setV({ ...v, restitution: e.currentTarget.value })} />
          <TextInput label="Police referral date" type="date" value={v.police} onChange={(e) => setV({ ...v, police: e.currentTarget.value })} />
          <TextInput label="HR referral date" type="date" value={v.hr} onChange={(e) => setV({ ...v, hr: e.currentTarget.value })} />
        </SimpleGrid>
        <Textarea label="Summary" autosize minRows={3} value={v.summary} onChange={(e) => setV({ ...v, summary: e.currentTarget.value })} />
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={save}>Save</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function VideoModal({ opened, onClose, caseRef, defaultFrom, defaultCameras, run }: { opened: boolean; onClose: () => void; caseRef: string; defaultFrom: string | null; defaultCameras: string; run: Run }) {
  const start = defaultFrom ? new Date(new Date(defaultFrom).getTime() - 5 * 60_000).toISOString() : new Date(Date.now() - 3600_000).toISOString();
  const [v, setV] = useState({ cameras: defaultCameras, from: localInput(start), to: localInput(new Date(new Date(start).getTime() + 15 * 60_000).toISOString()), note: '' });
  const send = () =>
    void run(() => post<{ requestRef: string }>('/api/video-requests', { caseId: caseRef, cameras: v.cameras, from: new Date(v.from).toISOString(), to: new Date(v.to).toISOString(), note: v.note })).then((r) => {
      notifySuccess(`${r.requestRef} sent to IT. The export comes back as evidence with its hash.`, 'Video export requested');
      onClose();
    });
  return (
    <Modal opened={opened} onClose={onClose} title="Ask IT for a video export">
      <Stack gap="sm">
        <TextInput label="Cameras or registers" placeholder="e.g. NE-101-CAM-R3, register 3" value={v.cameras} onChange={(e) => setV({ ...v, cameras: e.currentTarget.value })} />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="From" type="datetime-local" value={v.from} onChange={(e) => setV({ ...v, from: e.currentTarget.value })} />
          <TextInput label="To" type="datetime-local" value={v.to} onChange={(e) => setV({ ...v, to: e.currentTarget.value })} />
        </SimpleGrid>
        <Textarea label="Note for IT" autosize minRows={2} value={v.note} onChange={(e) => setV({ ...v, note: e.currentTarget.value })} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button leftSection={<IconVideo size={16} />} onClick={send}>
            Send request to IT
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function LinkModal({ opened, onClose, path, run }: { opened: boolean; onClose: () => void; path: string; run: Run }) {
  const [v, setV] = useState({ title: '', url: '', description: '' });
  return (
    <Modal opened={opened} onClose={onClose} title="Add a video system link">
      <Stack gap="sm">
        <TextInput label="Title" value={v.title} onChange={(e) => setV({ ...v, title: e.currentTarget.value })} />
        <TextInput label="Link" placeholder="https://vms…" value={v.url} onChange={(e) => setV({ ...v, url: e.currentTarget.value })} />
        <Textarea label="Description" value={v.description} onChange={(e) => setV({ ...v, description: e.currentTarget.value })} />
        <Group justify="flex-end">
          <Button onClick={() => void run(() => post(`${path}/evidence-links`, v), 'Link added').then(() => (setV({ title: '', url: '', description: '' }), onClose()))}>Add link</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CustodyModal({ evidence, onClose, run }: { evidence: Evidence | null; onClose: () => void; run: Run }) {
  const [v, setV] = useState({ action: 'transferred' as string, reason: '', recipient: '' });
  return (
    <Modal opened={!!evidence} onClose={onClose} title={evidence ? `Chain of custody: ${evidence.label}` : ''}>
      <Stack gap="sm">
        <Select label="What happened" allowDeselect={false} data={MANUAL_CUSTODY_ACTIONS.map((a) => ({ value: a, label: CUSTODY_ACTION_LABELS[a] }))} value={v.action} onChange={(x) => setV({ ...v, action: x ?? v.action })} />
        <TextInput label="To whom" description="e.g. Officer M. Reyes #4411, Hartford PD" value={v.recipient} onChange={(e) => setV({ ...v, recipient: e.currentTarget.value })} />
        <Textarea label="Why" value={v.reason} onChange={(e) => setV({ ...v, reason: e.currentTarget.value })} />
        <Group justify="flex-end">
          <Button
            leftSection={<IconShieldCheck size={16} />}
            onClick={() => void run(() => api(`/api/case-evidence/${evidence!.id}/custody`, { method: 'POST', body: { action: v.action, reason: v.reason, recipient: v.recipient || undefined } }), 'Recorded in the chain of custody').then(() => (setV({ action: 'transferred', reason: '', recipient: '' }), onClose()))}
          >
            Record
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
