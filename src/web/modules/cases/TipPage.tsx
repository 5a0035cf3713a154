import { Alert, Button, Code, Divider, Paper, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconShieldLock } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { INCIDENT_TYPES, INCIDENT_TYPE_LABELS, type IncidentType } from '../../../contracts/cases';
import { get, isApiError, post } from '../../api';
import { formatDateTime } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { notifyError } from '../../ui/notify';
import { AuthFrame } from '../auth/AuthFrame';

type Config = { enabled: boolean; stores: { id: string; code: string; name: string }[] };
type Thread = { ref: string; status: string; type: IncidentType; narrative: string; createdAt: string; messages: { id: string; fromTipster: boolean; authorName: string; body: string; createdAt: string }[] };
const NONE = '__none';

function TipThread({ code }: { code: string }) {
  const [more, setMore] = useState('');
  const thread = useQuery({ queryKey: ['tip', code], queryFn: () => get<Thread>(`/api/public/tips/${encodeURIComponent(code)}`), retry: false });
  const add = useMutation({
    mutationFn: () => post<Thread>(`/api/public/tips/${encodeURIComponent(code)}/messages`, { body: more }),
    onSuccess: () => {
      setMore('');
      void thread.refetch();
    },
    onError: (err) => notifyError(err),
  });
  if (thread.isPending) return <Text size="sm">Looking up your tip…</Text>;
  if (thread.isError) return <Alert color="red">{isApiError(thread.error, 404) ? 'No tip has this code. Check it and try again.' : (thread.error as Error).message}</Alert>;
  const t = thread.data;
  return (
    <Stack gap="sm" data-testid="tip-thread">
      <Text size="sm">
        {t.ref} · {INCIDENT_TYPE_LABELS[t.type]} · sent {formatDateTime(t.createdAt)} · {t.status === 'closed' ? 'closed' : t.status === 'new' ? 'not read yet' : 'being looked into'}
      </Text>
      {t.messages.length === 0 && (
        <Text size="sm" c="dimmed">
          No replies yet. Check back in a few days.
        </Text>
      )}
      {t.messages.map((m) => (
        <Paper key={m.id} withBorder p="sm" bg={m.fromTipster ? undefined : 'var(--mantine-color-blue-light)'}>
          <Text size="xs" c="dimmed">
            {m.authorName} · {formatDateTime(m.createdAt)}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {m.body}
          </Text>
        </Paper>
      ))}
      <Textarea label="Add details" autosize minRows={2} value={more} onChange={(e) => setMore(e.currentTarget.value)} />
      <Button disabled={!more.trim()} loading={add.isPending} onClick={() => add.mutate()}>
        Send details
      </Button>
    </Stack>
  );
}

/** The public tip line: no account, nothing that identifies the tipster is kept. */
export function TipPage() {
  const config = useQuery({ queryKey: ['/api/public/tips'], queryFn: () => get<Config>('/api/public/tips') });
  const [sent, setSent] = useState<{ ref: string; code: string } | null>(null);
  const [lookup, setLookup] = useState('');
  const [code, setCode] = useState<string | null>(null);
  const form = useForm({
    initialValues: { storeId: NONE, type: '' as IncidentType | '', occurredAt: '', narrative: '', peopleInvolved: '' },
    validate: { type: (v) => (v ? null : 'Choose what it is about'), narrative: (v) => (v.trim() ? null : 'Tell us what you saw'), occurredAt: (v) => (v ? null : 'Roughly when?') },
  });
  const submit = useMutation({
    mutationFn: (v: typeof form.values) =>
      post<{ ref: string; code: string }>('/api/public/tips', { storeId: v.storeId === NONE ? null : v.storeId, type: v.type, occurredAt: new Date(v.occurredAt).toISOString(), narrative: v.narrative.trim(), peopleInvolved: v.peopleInvolved.trim() }),
    onSuccess: setSent,
    onError: (err) => applyServerErrors(form, err),
  });

  if (config.data && !config.data.enabled) {
    return (
      <AuthFrame title="Anonymous tip line">
        <Text size="sm">The tip line is not open. Speak to your store manager or loss prevention.</Text>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title="Anonymous tip line" subtitle="Tell loss prevention about theft or fraud. You need no account, and we keep nothing that identifies you: not your name, not your address.">
      {sent ? (
        <Stack gap="sm">
          <Alert icon={<IconShieldLock size={18} />} color="teal" title={`Thank you: ${sent.ref} received`}>
            Keep this code. It is the only way to read our replies and add details; we cannot look it up for you.
          </Alert>
          <Code block fz="lg" ta="center" data-testid="tip-code">
            {sent.code}
          </Code>
          <Button variant="default" onClick={() => setCode(sent.code)}>
            Open my tip
          </Button>
          {code && <TipThread code={code} />}
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((v) => submit.mutate(v))} noValidate>
          <Stack gap="sm">
            <Select label="What is it about?" data={INCIDENT_TYPES.map((t) => ({ value: t, label: INCIDENT_TYPE_LABELS[t] }))} {...form.getInputProps('type')} />
            <Select label="Store" searchable data={[{ value: NONE, label: 'Not about one store' }, ...(config.data?.stores ?? []).map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))]} allowDeselect={false} {...form.getInputProps('storeId')} />
            <TextInput label="When" type="datetime-local" {...form.getInputProps('occurredAt')} />
            <Textarea label="What did you see?" autosize minRows={4} {...form.getInputProps('narrative')} />
            <Textarea label="Who was involved?" description="Describe them if you can" autosize minRows={2} {...form.getInputProps('peopleInvolved')} />
            <Button type="submit" loading={submit.isPending}>
              Send anonymously
            </Button>
          </Stack>
        </form>
      )}
      {!sent && (
        <>
          <Divider my="lg" label="Already sent a tip?" />
          <Stack gap="xs">
            <TextInput label="Your code" placeholder="ABCD-EFGH-JKLM-NPQR" value={lookup} onChange={(e) => setLookup(e.currentTarget.value)} />
            <Button variant="default" disabled={lookup.trim().length < 8} onClick={() => setCode(lookup.trim())}>
              Read replies
            </Button>
            {code && <TipThread key={code} code={code} />}
          </Stack>
        </>
      )}
    </AuthFrame>
  );
}
