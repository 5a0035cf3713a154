import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Grid,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconCopy, IconKey, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiToken, Me } from '../../../contracts/access';
import { ROLE_LABELS } from '../../../contracts/roles';
import { del, get, isApiError, patch, post } from '../../api';
import { ConfirmModal, type ConfirmRequest } from '../../ui/ConfirmModal';
import { applyServerErrors } from '../../ui/forms';
import { formatDate, fromNow } from '../../ui/format';
import { EmptyRow } from '../../ui/list';
import { meQueryKey, useMe } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { MIN_PASSWORD, newPasswordRules } from '../auth/passwords';

export function ProfilePage() {
  const me = useMe();
  if (me.isPending) return <PageLoader />;
  if (me.isError) return <QueryError error={me.error} />;
  const person = me.data;
  return (
    <>
      <PageHeader title="Profile" description={`${person.email} · ${ROLE_LABELS[person.role]}`} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <DetailsCard me={person} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <PasswordCard />
        </Grid.Col>
        {person.permissions.includes('tokens:use') && (
          <Grid.Col span={12}>
            <TokensCard canWrite={person.permissions.includes('tokens:write-scope')} />
          </Grid.Col>
        )}
      </Grid>
    </>
  );
}

function DetailsCard({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: me.name, title: me.title },
    validate: { name: (v) => (v.trim() ? null : 'Enter your name') },
  });
  const save = useMutation({
    mutationFn: (v: { name: string; title: string }) => patch<Me>('/api/me', { name: v.name.trim(), title: v.title.trim() }),
    onSuccess: (updated) => {
      if (updated && typeof updated === 'object' && 'permissions' in updated) queryClient.setQueryData(meQueryKey, updated);
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
      void queryClient.invalidateQueries({ queryKey: ['home'] });
      notifySuccess('Your profile was saved');
      form.resetDirty();
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <Card padding="lg" h="100%">
      <Title order={4} mb="md">
        Your details
      </Title>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <TextInput label="Name" {...form.getInputProps('name')} />
          <TextInput label="Title" placeholder="e.g. Director of Loss Prevention" {...form.getInputProps('title')} />
          <Group gap="xl">
            <div>
              <Text size="xs" c="dimmed">
                Department
              </Text>
              <Text size="sm">{me.departmentName ?? '—'}</Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">
                Store
              </Text>
              <Text size="sm">{me.storeName ?? 'Headquarters'}</Text>
            </div>
          </Group>
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              Save profile
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function PasswordCard() {
  const form = useForm({
    initialValues: { currentPassword: '', password: '', confirm: '' },
    validate: { currentPassword: (v: string) => (v ? null : 'Enter your current password'), ...newPasswordRules() },
  });
  const change = useMutation({
    mutationFn: (v: typeof form.values) =>
      post('/api/auth/change-password', { currentPassword: v.currentPassword, newPassword: v.password, revokeOtherSessions: true }),
    onSuccess: () => {
      form.reset();
      notifySuccess('Your password was changed. Other sessions were signed out.');
    },
    onError: (err) => {
      if (isApiError(err) && (err.code === 'INVALID_PASSWORD' || (err.status < 500 && /invalid password|incorrect/i.test(err.message)))) {
        form.setFieldError('currentPassword', 'The current password is not correct');
      } else if (isApiError(err) && /PASSWORD_TOO_(SHORT|LONG)/.test(err.code)) {
        form.setFieldError('password', err.message);
      } else if (isApiError(err, 429)) {
        notifyError(new Error('Too many attempts — wait a minute and try again'));
      } else {
        applyServerErrors(form, err, { newPassword: 'password' });
      }
    },
  });
  return (
    <Card padding="lg" h="100%">
      <Title order={4} mb="md">
        Change password
      </Title>
      <form onSubmit={form.onSubmit((v) => change.mutate(v))} noValidate>
        <Stack>
          <PasswordInput label="Current password" autoComplete="current-password" {...form.getInputProps('currentPassword')} />
          <PasswordInput label="New password" description={`At least ${MIN_PASSWORD} characters`} autoComplete="new-password" {...form.getInputProps('password')} />
          <PasswordInput label="Confirm password" autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

interface TokenValues {
  name: string;
  scope: 'read' | 'read_write';
  expires: string;
}

function TokensCard({ canWrite }: { canWrite: boolean }) {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['/api/tokens'], queryFn: ({ signal }) => get<ApiToken[]>('/api/tokens', undefined, signal) });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<(ApiToken & { token: string }) | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);

  const form = useForm<TokenValues>({
    initialValues: { name: '', scope: 'read', expires: '90' },
    validate: { name: (v) => (v.trim() ? null : 'Give the token a name') },
  });
  const create = useMutation({
    mutationFn: (v: TokenValues) =>
      post<ApiToken & { token: string }>('/api/tokens', { name: v.name.trim(), scope: v.scope, expiresInDays: v.expires === 'never' ? null : Number(v.expires) }),
    onSuccess: (t) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/tokens'] });
      setCreating(false);
      form.reset();
      setCreated(t);
    },
    onError: (err) => applyServerErrors(form, err, { expiresInDays: 'expires' }),
  });
  const revoke = useMutation({
    mutationFn: (t: ApiToken) => del(`/api/tokens/${t.id}`),
    onSuccess: (_r, t) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/tokens'] });
      notifySuccess(`Token “${t.name}” was revoked`);
      setConfirm(null);
    },
    onError: (err) => notifyError(err),
  });

  return (
    <Card padding="lg">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <IconKey size={18} />
          <Title order={4}>API tokens</Title>
        </Group>
        <Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New token
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        Tokens let scripts and integrations use the Tandem API as you. Send one as <Code>Authorization: Bearer …</Code>. A token can do at most what you
        can.
      </Text>

      {created && (
        <Alert color="teal" mb="md" title="Token created — copy it now" withCloseButton onClose={() => setCreated(null)} data-testid="new-token">
          <Text size="sm" mb="xs">
            This is the only time the token “{created.name}” is shown. Store it somewhere safe.
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="new-token-value">
              {created.token}
            </Code>
            <CopyButton value={created.token}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy token'}>
                  <ActionIcon variant="light" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy token" size="lg">
                    {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}

      {tokens.isPending ? (
        <PageLoader embedded />
      ) : tokens.isError ? (
        <QueryError embedded error={tokens.error} retry={() => void tokens.refetch()} />
      ) : (
        <Table.ScrollContainer minWidth={680}>
          <Table data-testid="tokens-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Token</Table.Th>
                <Table.Th>Scope</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.length === 0 && <EmptyRow colSpan={7}>You have no API tokens.</EmptyRow>}
              {tokens.data.map((t) => {
                const expired = !!t.expiresAt && new Date(t.expiresAt) < new Date();
                return (
                  <Table.Tr key={t.id} opacity={t.revokedAt || expired ? 0.6 : 1}>
                    <Table.Td>{t.name}</Table.Td>
                    <Table.Td>
                      <Code>{t.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" size="sm" color={t.scope === 'read' ? 'gray' : 'orange'}>
                        {t.scope === 'read' ? 'Read only' : 'Read and write'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDate(t.createdAt)}</Table.Td>
                    <Table.Td>{t.lastUsedAt ? fromNow(t.lastUsedAt) : 'Never'}</Table.Td>
                    <Table.Td>{t.expiresAt ? formatDate(t.expiresAt) : 'Never'}</Table.Td>
                    <Table.Td ta="right">
                      {t.revokedAt ? (
                        <Badge color="gray" variant="outline" size="sm">
                          Revoked
                        </Badge>
                      ) : expired ? (
                        <Badge color="gray" variant="outline" size="sm">
                          Expired
                        </Badge>
                      ) : (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Revoke ${t.name}`}
                          onClick={() =>
                            setConfirm({
                              title: 'Revoke token',
                              message: `Anything using “${t.name}” will stop working immediately.`,
                              confirmLabel: 'Revoke',
                              onConfirm: () => revoke.mutate(t),
                            })
                          }
                        >
                          Revoke
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Modal opened={creating} onClose={() => setCreating(false)} title="New API token">
        <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
          <Stack>
            <TextInput label="Token name" placeholder="e.g. POS export script" {...form.getInputProps('name')} />
            <Select
              label="Scope"
              allowDeselect={false}
              data={[
                { value: 'read', label: 'Read only' },
                ...(canWrite ? [{ value: 'read_write', label: 'Read and write' }] : []),
              ]}
              {...form.getInputProps('scope')}
            />
            <Select
              label="Expires"
              allowDeselect={false}
              data={[
                { value: '30', label: 'In 30 days' },
                { value: '90', label: 'In 90 days' },
                { value: '365', label: 'In a year' },
                { value: 'never', label: 'Never' },
              ]}
              {...form.getInputProps('expires')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setCreating(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <ConfirmModal request={confirm} onClose={() => setConfirm(null)} loading={revoke.isPending} />
    </Card>
  );
}
