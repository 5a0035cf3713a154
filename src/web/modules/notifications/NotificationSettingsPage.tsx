import { Alert, Badge, Button, Group, Paper, PasswordInput, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { WEBHOOK_FORMAT_LABELS, type NotificationPreferences, type Webhook, type WebhookFormat } from '../../../contracts/notifications';
import type { Department } from '../../../contracts/people';
import { del, get, getAll, isApiError, api } from '../../api';
import { formatDateTime } from '../../ui/format';
import { useMe } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';

const PREFS_KEY = ['notifications', 'preferences'] as const;
const HOOKS_KEY = ['notifications', 'webhooks'] as const;

function Preferences() {
  const queryClient = useQueryClient();
  const prefs = useQuery({ queryKey: PREFS_KEY, queryFn: () => get<NotificationPreferences>('/api/notifications/preferences') });
  const save = useMutation({
    mutationFn: (body: object) => api<NotificationPreferences>('/api/notifications/preferences', { method: 'PUT', body }),
    onSuccess: (data) => queryClient.setQueryData(PREFS_KEY, data),
    onError: (err) => notifyError(err, 'Could not save your preferences'),
  });
  if (prefs.isPending) return <PageLoader embedded />;
  if (prefs.isError) return <QueryError embedded error={prefs.error} retry={() => void prefs.refetch()} />;
  const groups = [...new Set(prefs.data.kinds.map((k) => k.group))];
  return (
    <Paper p="md" mb="lg">
      <Title order={3} size="h4" mb={4}>
        What reaches you where
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        The bell always shows everything. Choose per kind whether it also comes by email and to your chat webhook.
      </Text>
      <Switch
        mb="md"
        label="One daily email digest instead of an email each time"
        description="Sent every morning (07:00 UTC) with what you have not read yet."
        checked={prefs.data.emailDigest}
        onChange={(e) => save.mutate({ emailDigest: e.currentTarget.checked })}
      />
      <Table.ScrollContainer minWidth={360}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Notification</Table.Th>
              <Table.Th w={80}>Email</Table.Th>
              <Table.Th w={80}>Chat</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((group) => [
              <Table.Tr key={group}>
                <Table.Td colSpan={3}>
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase">
                    {group}
                  </Text>
                </Table.Td>
              </Table.Tr>,
              ...prefs.data.kinds
                .filter((k) => k.group === group)
                .map((k) => (
                  <Table.Tr key={k.kind}>
                    <Table.Td>{k.label}</Table.Td>
                    <Table.Td>
                      <Switch aria-label={`Email: ${k.label}`} checked={k.email} onChange={(e) => save.mutate({ kinds: [{ kind: k.kind, email: e.currentTarget.checked, webhook: k.webhook }] })} />
                    </Table.Td>
                    <Table.Td>
                      <Switch aria-label={`Chat: ${k.label}`} checked={k.webhook} onChange={(e) => save.mutate({ kinds: [{ kind: k.kind, email: k.email, webhook: e.currentTarget.checked }] })} />
                    </Table.Td>
                  </Table.Tr>
                )),
            ])}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function WebhookForm({ scope, departments }: { scope: 'person' | 'department'; departments?: Department[] }) {
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<WebhookFormat>('slack');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () => api<Webhook>('/api/notifications/webhooks', { method: 'PUT', body: { scope, format, url, signingSecret: secret, ...(scope === 'department' ? { departmentId } : {}) } }),
    onSuccess: () => {
      setUrl('');
      setSecret('');
      setErrors({});
      notifySuccess('Webhook saved. Tandem posts there from now on.');
      void queryClient.invalidateQueries({ queryKey: HOOKS_KEY });
    },
    onError: (err) => {
      if (isApiError(err) && err.problems.length) setErrors(Object.fromEntries(err.problems.map((p) => [p.field, p.message])));
      else notifyError(err, 'Could not save the webhook');
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <Group grow align="flex-start" wrap="wrap">
          {scope === 'department' && (
            <Select label="Department" placeholder="Choose a department" data={(departments ?? []).map((d) => ({ value: d.id, label: d.name }))} value={departmentId} onChange={setDepartmentId} error={errors.departmentId} required miw={180} />
          )}
          <Select label="Chat" data={Object.entries(WEBHOOK_FORMAT_LABELS).map(([value, label]) => ({ value, label }))} value={format} onChange={(v) => setFormat((v as WebhookFormat) ?? 'slack')} allowDeselect={false} miw={160} />
        </Group>
        <TextInput label="Incoming webhook URL" placeholder={format === 'teams' ? 'https://….webhook.office.com/…' : 'https://hooks.slack.com/services/…'} value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={errors.url} required />
        <PasswordInput label="Signing secret (optional)" description="When set, each post carries an X-Tandem-Signature header (HMAC-SHA256) your receiver can check." value={secret} onChange={(e) => setSecret(e.currentTarget.value)} error={errors.signingSecret} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save webhook
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function WebhookRow({ hook }: { hook: Webhook }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => del(`/api/notifications/webhooks/${hook.id}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: HOOKS_KEY }),
    onError: (err) => notifyError(err, 'Could not remove the webhook'),
  });
  return (
    <Table.Tr>
      <Table.Td>{hook.scope === 'person' ? 'You' : hook.departmentName}</Table.Td>
      <Table.Td>{WEBHOOK_FORMAT_LABELS[hook.format]}</Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {hook.maskedUrl}
        </Text>
        {hook.signed && (
          <Badge size="xs" variant="light" ml={4}>
            signed
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        {hook.lastDelivery ? (
          <Text size="sm" c={hook.lastDelivery.status === 'failed' ? 'red' : undefined}>
            {hook.lastDelivery.status} · {formatDateTime(hook.lastDelivery.at)}
            {hook.lastDelivery.error ? ` · ${hook.lastDelivery.error}` : ''}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            nothing sent yet
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Button size="compact-sm" variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
          Remove
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

function Webhooks() {
  const me = useMe();
  const isAdmin = !!me.data?.permissions.includes('notifications:department-webhooks');
  const hooks = useQuery({ queryKey: HOOKS_KEY, queryFn: () => get<{ items: Webhook[] }>('/api/notifications/webhooks') });
  const departments = useQuery({ queryKey: ['departments', 'all'], queryFn: () => getAll<Department>('/api/departments', { active: 'true' }), enabled: isAdmin });
  if (hooks.isPending) return <PageLoader embedded />;
  if (hooks.isError) return <QueryError embedded error={hooks.error} retry={() => void hooks.refetch()} />;
  return (
    <Paper p="md">
      <Title order={3} size="h4" mb={4}>
        Chat webhooks (Slack, Microsoft Teams)
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Paste an incoming webhook URL from Slack or Teams. The URL is a secret: Tandem shows only its start and end.
      </Text>
      {hooks.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={620} mb="md">
          <Table data-testid="webhooks-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>For</Table.Th>
                <Table.Th>Chat</Table.Th>
                <Table.Th>URL</Table.Th>
                <Table.Th>Last post</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hooks.data.items.map((h) => (
                <WebhookRow key={h.id} hook={h} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Alert mb="md" color="gray" variant="light">
          No webhook yet.
        </Alert>
      )}
      <Title order={4} size="h5" mb="xs">
        Your own webhook
      </Title>
      <WebhookForm scope="person" />
      {isAdmin && (
        <>
          <Title order={4} size="h5" mt="lg" mb="xs">
            A department’s channel
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            The channel hears of new requests to that department. One webhook per department; saving again replaces it.
          </Text>
          <WebhookForm scope="department" departments={departments.data} />
        </>
      )}
    </Paper>
  );
}

export function NotificationSettingsPage() {
  return (
    <>
      <PageHeader title="Notification preferences" description="Email, daily digest and chat webhooks." />
      <Preferences />
      <Webhooks />
    </>
  );
}
