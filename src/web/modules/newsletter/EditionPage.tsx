import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  MultiSelect,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconRefresh, IconSend, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import {
  RECIPIENT_STATUS_LABELS,
  RECIPIENT_STATUSES,
  type Audience,
  type AudienceSize,
  type Edition,
  type EditionPreview,
  type EditionSection,
  type SendProgress,
} from '../../../contracts/newsletter';
import { ROLE_LABELS, ROLES } from '../../../contracts/roles';
import { get, patch, post } from '../../api';
import { formatDateTime, formatNumber } from '../../ui/format';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { departmentOptions, storeOptions, useDepartments, useStores } from '../../ui/lookups';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { RecordHeading } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { EditionStatusBadge, MailPreview, periodText, SOURCE_LABELS } from './shared';

const route = getRouteApi('/_app/newsletter/editions/$id');

const BLOCK_LABELS = { paragraph: 'Text', figures: 'Key figures', items: 'List', chart: 'Chart' } as const;

/** The editor: sections (reorder, edit, remove, add), the editor's note, preview, audience, sending. */
export function EditionPage() {
  const { id } = route.useParams();
  const queryClient = useQueryClient();
  const edition = useQuery({ queryKey: ['/api/newsletter/editions', id], queryFn: () => get<Edition>(`/api/newsletter/editions/${id}`) });
  const [tab, setTab] = useState<string | null>('content');
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: ['/api/newsletter/editions'] });

  if (edition.isPending) return <PageLoader />;
  if (edition.isError) return <QueryError error={edition.error} />;
  const e = edition.data;
  const draft = e.status === 'draft';
  return (
    <>
      <PageBreadcrumbs to="/newsletter" label="Newsletter editions" current={e.ref} />
      <Group justify="space-between" align="flex-end" mb="md" gap="sm">
        <RecordHeading reference={e.ref} badges={<EditionStatusBadge status={e.status} />} title={e.title}>
          <Text size="sm" c="dimmed">
            {periodText(e.cadence, e.periodFrom, e.periodTo)} · {e.cadence === 'monthly' ? 'Monthly' : 'Weekly'} edition
            {e.createdByName ? ` · drafted by ${e.createdByName}` : ''}
          </Text>
        </RecordHeading>
      </Group>
      {!draft && e.status !== 'sent' && (
        <Alert color="blue" mb="md">
          {e.status === 'scheduled' ? `Scheduled for ${formatDateTime(e.scheduledAt)}. Take it back to draft to change it.` : 'Sending now: progress is under Sending.'}
        </Alert>
      )}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="content">Content</Tabs.Tab>
          <Tabs.Tab value="preview">Preview</Tabs.Tab>
          <Tabs.Tab value="audience">Audience</Tabs.Tab>
          <Tabs.Tab value="sending">Sending</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="content">
          <ContentEditor edition={e} onSaved={invalidate} />
        </Tabs.Panel>
        <Tabs.Panel value="preview">
          <PreviewPanel id={e.id} updatedAt={e.updatedAt} title={e.title} />
        </Tabs.Panel>
        <Tabs.Panel value="audience">
          <AudiencePanel edition={e} onSaved={invalidate} />
        </Tabs.Panel>
        <Tabs.Panel value="sending">
          <SendingPanel edition={e} onChanged={invalidate} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function ContentEditor({ edition, onSaved }: { edition: Edition; onSaved: () => void }) {
  const [title, setTitle] = useState(edition.title);
  const [note, setNote] = useState(edition.editorNote);
  const [sections, setSections] = useState<EditionSection[]>(edition.sections);
  const [dirty, setDirty] = useState(false);
  const readOnly = edition.status !== 'draft';
  useEffect(() => {
    setTitle(edition.title);
    setNote(edition.editorNote);
    setSections(edition.sections);
    setDirty(false);
  }, [edition.updatedAt, edition.title, edition.editorNote, edition.sections]);

  const change = (next: EditionSection[]) => {
    setSections(next);
    setDirty(true);
  };
  const move = (i: number, by: number) => {
    const next = [...sections];
    const [s] = next.splice(i, 1);
    next.splice(i + by, 0, s!);
    change(next);
  };
  const save = useMutation({
    mutationFn: () => patch<Edition>(`/api/newsletter/editions/${edition.id}`, { title, editorNote: note, sections }),
    onSuccess: () => {
      notifySuccess('Edition saved');
      onSaved();
    },
    onError: (err) => notifyError(err, 'Not saved'),
  });
  const redraft = useMutation({
    mutationFn: () => post<Edition>(`/api/newsletter/editions/${edition.id}/redraft`),
    onSuccess: () => {
      notifySuccess('Drafted again from the period’s work; your own sections stayed');
      onSaved();
    },
    onError: (err) => notifyError(err),
  });

  return (
    <Stack>
      <Card withBorder>
        <Stack>
          <TextInput label="Title" value={title} onChange={(ev) => (setTitle(ev.currentTarget.value), setDirty(true))} readOnly={readOnly} maxLength={200} />
          <Textarea
            label="Editor's note"
            description="Opens the edition, above the sections"
            autosize
            minRows={3}
            value={note}
            onChange={(ev) => (setNote(ev.currentTarget.value), setDirty(true))}
            readOnly={readOnly}
            maxLength={5000}
          />
        </Stack>
      </Card>
      {sections.length === 0 && (
        <Text c="dimmed" size="sm">
          No sections: the period held nothing the modules report, or you removed them all. Add your own below.
        </Text>
      )}
      {sections.map((s, i) => (
        <Card withBorder key={s.id} data-testid="edition-section" data-section={s.id}>
          <Stack gap="sm">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <TextInput
                label={`Section ${i + 1} title`}
                value={s.title}
                readOnly={readOnly}
                onChange={(ev) => change(sections.map((x, j) => (j === i ? { ...x, title: ev.currentTarget.value } : x)))}
                style={{ flex: 1 }}
                maxLength={200}
              />
              {!readOnly && (
                <Group gap={4} mt={24} wrap="nowrap">
                  <ActionIcon variant="default" aria-label={`Move "${s.title}" up`} disabled={i === 0} onClick={() => move(i, -1)}>
                    <IconArrowUp size={16} />
                  </ActionIcon>
                  <ActionIcon variant="default" aria-label={`Move "${s.title}" down`} disabled={i === sections.length - 1} onClick={() => move(i, 1)}>
                    <IconArrowDown size={16} />
                  </ActionIcon>
                  <ActionIcon color="red" variant="light" aria-label={`Remove "${s.title}"`} onClick={() => change(sections.filter((_, j) => j !== i))}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {s.source ? `Drafted from ${SOURCE_LABELS[s.source] ?? s.source}` : 'Written by the editor'}
            </Text>
            {s.blocks.map((b, bi) =>
              b.type === 'paragraph' ? (
                <Textarea
                  key={bi}
                  label={`Text ${bi + 1}`}
                  autosize
                  minRows={2}
                  value={b.text}
                  readOnly={readOnly}
                  maxLength={5000}
                  onChange={(ev) => {
                    const text = ev.currentTarget.value;
                    change(sections.map((x, j) => (j === i ? { ...x, blocks: x.blocks.map((y, k) => (k === bi ? { type: 'paragraph' as const, text } : y)) } : x)));
                  }}
                />
              ) : (
                <BlockSummary key={bi} block={b} />
              ),
            )}
            {!readOnly && (
              <Group>
                <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => change(sections.map((x, j) => (j === i ? { ...x, blocks: [...x.blocks, { type: 'paragraph', text: '' }] } : x)))}>
                  Add text
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
      ))}
      {!readOnly && (
        <Group justify="space-between" wrap="wrap">
          <Group>
            <Button
              variant="default"
              leftSection={<IconPlus size={16} />}
              onClick={() => change([...sections, { id: `own:${Date.now().toString(36)}`, source: null, title: 'New section', blocks: [{ type: 'paragraph', text: '' }] }])}
            >
              Add section
            </Button>
            <Button variant="subtle" leftSection={<IconRefresh size={16} />} onClick={() => redraft.mutate()} loading={redraft.isPending}>
              Draft again from the period
            </Button>
          </Group>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!dirty}>
            Save changes
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function BlockSummary({ block }: { block: EditionSection['blocks'][number] }) {
  if (block.type === 'figures') {
    return (
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
        {block.items.map((f) => (
          <Card key={f.label} withBorder padding="xs" bg="var(--mantine-color-default-hover)">
            <Text fw={700}>{f.value}</Text>
            <Text size="xs" c="dimmed">
              {f.label}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    );
  }
  if (block.type === 'items') {
    return (
      <Stack gap={4}>
        {block.items.map((it, k) => (
          <Text size="sm" key={k}>
            • <b>{it.title}</b>
            {it.text ? ` — ${it.text}` : ''}
            {it.credit ? (
              <Text span size="xs" c="dimmed">
                {' '}
                ({it.credit})
              </Text>
            ) : null}
          </Text>
        ))}
      </Stack>
    );
  }
  if (block.type === 'chart') {
    return (
      <Text size="sm">
        <Badge variant="light" mr={6}>
          {BLOCK_LABELS.chart}
        </Badge>
        {block.title} — {block.alt}
      </Text>
    );
  }
  return null;
}

function PreviewPanel({ id, updatedAt, title }: { id: string; updatedAt: string; title: string }) {
  const preview = useQuery({ queryKey: ['/api/newsletter/editions', id, 'preview', updatedAt], queryFn: () => get<EditionPreview>(`/api/newsletter/editions/${id}/preview`) });
  if (preview.isPending) return <PageLoader embedded />;
  if (preview.isError) return <QueryError embedded error={preview.error} />;
  return <MailPreview preview={preview.data} title={title} />;
}

function AudiencePanel({ edition, onSaved }: { edition: Edition; onSaved: () => void }) {
  const departments = useDepartments();
  const stores = useStores();
  const [audience, setAudience] = useState<Audience>(edition.audience);
  const readOnly = edition.status !== 'draft';
  useEffect(() => setAudience(edition.audience), [edition.audience]);
  const size = useQuery({
    queryKey: ['/api/newsletter/editions', edition.id, 'audience', edition.updatedAt],
    queryFn: () => get<AudienceSize>(`/api/newsletter/editions/${edition.id}/audience`),
  });
  const save = useMutation({
    mutationFn: () => patch<Edition>(`/api/newsletter/editions/${edition.id}`, { audience }),
    onSuccess: () => {
      notifySuccess('Audience saved');
      onSaved();
    },
    onError: (err) => notifyError(err, 'Not saved'),
  });
  const regions = [...new Set((stores.data ?? []).map((s) => s.region))].sort();
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Card withBorder>
          <Stack>
            <Text size="sm" c="dimmed">
              Everyone who matches any of these receives the edition, once per address. People who unsubscribed or whose mail bounced are left out.
            </Text>
            <MultiSelect
              label="Departments"
              data={departmentOptions(departments.data)}
              value={audience.departmentIds}
              onChange={(v) => setAudience({ ...audience, departmentIds: v })}
              searchable
              readOnly={readOnly}
            />
            <MultiSelect label="Stores" data={storeOptions(stores.data)} value={audience.storeIds} onChange={(v) => setAudience({ ...audience, storeIds: v })} searchable readOnly={readOnly} />
            <MultiSelect label="Regions" data={regions} value={audience.regions} onChange={(v) => setAudience({ ...audience, regions: v })} readOnly={readOnly} />
            <MultiSelect
              label="Roles"
              data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
              value={audience.roles}
              onChange={(v) => setAudience({ ...audience, roles: v as Audience['roles'] })}
              readOnly={readOnly}
            />
            <Checkbox
              label="Opt-in subscribers (people who asked for the newsletter and confirmed by mail)"
              checked={audience.subscribers}
              onChange={(ev) => setAudience({ ...audience, subscribers: ev.currentTarget.checked })}
              disabled={readOnly}
            />
            {!readOnly && (
              <Group justify="flex-end">
                <Button onClick={() => save.mutate()} loading={save.isPending}>
                  Save audience
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            Who receives it (saved audience)
          </Title>
          {size.data ? (
            <Stack gap={4}>
              <Text size="xl" fw={700} data-testid="audience-total">
                {formatNumber(size.data.total)} recipients
              </Text>
              <Text size="sm">{formatNumber(size.data.people)} from the workspace</Text>
              <Text size="sm">{formatNumber(size.data.subscribers)} opt-in subscribers outside those</Text>
              <Text size="sm" c="dimmed">
                {formatNumber(size.data.excluded)} {size.data.excluded === 1 ? 'address' : 'addresses'} unsubscribed or bounced (never sent to)
              </Text>
            </Stack>
          ) : (
            <Text c="dimmed">Counting…</Text>
          )}
        </Card>
      </Grid.Col>
    </Grid>
  );
}

function SendingPanel({ edition, onChanged }: { edition: Edition; onChanged: () => void }) {
  const [at, setAt] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const progress = useQuery({
    queryKey: ['/api/newsletter/editions', edition.id, 'progress'],
    queryFn: () => get<SendProgress>(`/api/newsletter/editions/${edition.id}/progress`),
    refetchInterval: (q) => (q.state.data?.status === 'sending' || q.state.data?.status === 'scheduled' ? 2000 : false),
  });
  const p = progress.data;
  useEffect(() => {
    if (p && p.status !== edition.status) onChanged();
  }, [p, edition.status, onChanged]);
  const schedule = useMutation({
    mutationFn: (when: string | null) => post<Edition>(`/api/newsletter/editions/${edition.id}/schedule`, { at: when }),
    onSuccess: (e) => {
      notifySuccess(e.scheduledAt && new Date(e.scheduledAt).getTime() > Date.now() + 60_000 ? `Scheduled for ${formatDateTime(e.scheduledAt)}` : 'Sending has started');
      onChanged();
      void progress.refetch();
    },
    onError: (err) => notifyError(err, 'Not scheduled'),
  });
  const unschedule = useMutation({
    mutationFn: () => post<Edition>(`/api/newsletter/editions/${edition.id}/unschedule`),
    onSuccess: () => {
      notifySuccess('Back to draft');
      onChanged();
      void progress.refetch();
    },
    onError: (err) => notifyError(err),
  });
  const recipients = useCursorList<{ id: string; email: string; name: string; status: string; attempts: number; lastError: string | null; sentAt: string | null }>(
    `/api/newsletter/editions/${edition.id}/recipients`,
    { status: status ?? undefined, refresh: p ? `${p.counts.sent}-${p.counts.failed}-${p.counts.bounced}` : undefined },
  );
  const c = p?.counts;
  const done = c ? c.sent + c.failed + c.bounced : 0;
  return (
    <Stack>
      {edition.status === 'draft' && (
        <Card withBorder>
          <Stack>
            <Text size="sm">Sending writes one record per recipient: each message is marked before it goes to the mail server and after the server accepts it, so a restart never sends anyone a second copy.</Text>
            <Group align="flex-end" wrap="wrap">
              <Button leftSection={<IconSend size={16} />} onClick={() => schedule.mutate(null)} loading={schedule.isPending && !at}>
                Send now
              </Button>
              <TextInput type="datetime-local" label="Or schedule for" value={at} onChange={(ev) => setAt(ev.currentTarget.value)} w={240} />
              <Button variant="default" disabled={!at} onClick={() => schedule.mutate(new Date(at).toISOString())} loading={schedule.isPending && Boolean(at)}>
                Schedule
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      {edition.status === 'scheduled' && (
        <Card withBorder>
          <Group justify="space-between">
            <Text>Scheduled for {formatDateTime(edition.scheduledAt)}</Text>
            <Button variant="default" onClick={() => unschedule.mutate()} loading={unschedule.isPending}>
              Back to draft
            </Button>
          </Group>
        </Card>
      )}
      {c && c.total > 0 && (
        <Card withBorder data-testid="send-progress">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>
              {p?.status === 'sent' ? 'Sent' : 'Sending'}: {formatNumber(done)} of {formatNumber(c.total)} done
            </Text>
            <Text size="sm" c="dimmed">
              {p?.sentAt ? `Finished ${formatDateTime(p.sentAt)}` : p?.startedAt ? `Started ${formatDateTime(p.startedAt)}` : ''}
            </Text>
          </Group>
          <Progress.Root size="lg" aria-label="Sending progress">
            <Progress.Section value={(c.sent / c.total) * 100} color="teal" />
            <Progress.Section value={(c.bounced / c.total) * 100} color="orange" />
            <Progress.Section value={(c.failed / c.total) * 100} color="red" />
          </Progress.Root>
          <SimpleGrid cols={{ base: 2, sm: 5 }} mt="sm">
            {(['queued', 'sending', 'sent', 'bounced', 'failed'] as const).map((k) => (
              <div key={k}>
                <Text fw={700}>{formatNumber(c[k])}</Text>
                <Text size="xs" c="dimmed">
                  {RECIPIENT_STATUS_LABELS[k]}
                </Text>
              </div>
            ))}
          </SimpleGrid>
        </Card>
      )}
      {c && c.total > 0 && (
        <Card withBorder p={0}>
          <Group p="sm" justify="space-between" wrap="wrap">
            <Select
              label="Recipient status"
              placeholder="Any"
              clearable
              data={RECIPIENT_STATUSES.map((s) => ({ value: s, label: RECIPIENT_STATUS_LABELS[s] }))}
              value={status}
              onChange={setStatus}
              w={200}
            />
            <ExportButton path={`/api/newsletter/editions/${edition.id}/recipients/export`} filters={{ status: status ?? undefined }} />
          </Group>
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Recipient</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th>Sent</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {recipients.items.length === 0 && <EmptyRow colSpan={4}>No recipients with this status.</EmptyRow>}
                {recipients.items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Text size="sm">{r.name || r.email}</Text>
                      <Text size="xs" c="dimmed">
                        {r.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{RECIPIENT_STATUS_LABELS[r.status as keyof typeof RECIPIENT_STATUS_LABELS]}</Text>
                      {r.lastError && (
                        <Text size="xs" c="dimmed">
                          {r.lastError}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{r.attempts}</Table.Td>
                    <Table.Td>{formatDateTime(r.sentAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <div style={{ padding: '0 12px 12px' }}>
            <ListFooter list={recipients} noun="recipients" />
          </div>
        </Card>
      )}
    </Stack>
  );
}
