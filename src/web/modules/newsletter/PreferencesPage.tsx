import { Alert, Button, Group, Radio, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect } from 'react';
import type { Preferences } from '../../../contracts/newsletter';
import { get, post } from '../../api';
import { notifyError } from '../../ui/notify';
import { PageLoader } from '../../ui/StatusPages';
import { AuthFrame } from '../auth/AuthFrame';

const prefsRoute = getRouteApi('/newsletter/preferences');

/** The reader's page from the link in every edition: no sign-in, the signed link is the key. */
export function PreferencesPage() {
  const { token } = prefsRoute.useSearch();
  const queryClient = useQueryClient();
  const key = ['/api/newsletter/preferences', token];
  const prefs = useQuery({ queryKey: key, queryFn: () => get<Preferences>('/api/newsletter/preferences', { token }), enabled: Boolean(token), retry: false });
  const change = useMutation({
    mutationFn: (body: { action: 'unsubscribe' | 'resubscribe' | 'frequency'; frequency?: 'all' | 'monthly' }) => post<Preferences>('/api/newsletter/preferences', { token, ...body }),
    onSuccess: (p) => queryClient.setQueryData(key, p),
    onError: (err) => notifyError(err),
  });
  if (!token || prefs.isError) {
    return (
      <AuthFrame title="Newsletter preferences">
        <Alert color="red" icon={<IconAlertCircle />}>
          This link is not valid. Use the “Unsubscribe or change how often you receive it” link at the bottom of an edition.
        </Alert>
      </AuthFrame>
    );
  }
  if (prefs.isPending) return <PageLoader />;
  const p = prefs.data;
  const off = p.status === 'unsubscribed' || p.status === 'bounced';
  return (
    <AuthFrame title="Newsletter preferences" subtitle={`For ${p.email}`}>
      <Stack>
        {off ? (
          <Alert color="orange" icon={<IconAlertCircle />} data-testid="prefs-status">
            {p.status === 'bounced' ? 'Mail to this address bounced, so no edition is sent to it.' : 'You are unsubscribed: no edition is sent to this address.'}
          </Alert>
        ) : (
          <Alert color="teal" icon={<IconCircleCheck />} data-testid="prefs-status">
            {p.status === 'pending' ? 'Your subscription waits for your confirmation (see the message we sent).' : 'You receive the Security & IT newsletter.'}
          </Alert>
        )}
        {!off && (
          <Radio.Group label="How often" value={p.frequency} onChange={(v) => change.mutate({ action: 'frequency', frequency: v as 'all' | 'monthly' })}>
            <Stack gap={6} mt={6}>
              <Radio value="all" label="Every edition (weekly and monthly)" />
              <Radio value="monthly" label="The monthly edition only" />
            </Stack>
          </Radio.Group>
        )}
        <Group>
          {off ? (
            <Button onClick={() => change.mutate({ action: 'resubscribe' })} loading={change.isPending}>
              Resubscribe
            </Button>
          ) : (
            <Button color="red" variant="light" onClick={() => change.mutate({ action: 'unsubscribe' })} loading={change.isPending}>
              Unsubscribe
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          Your choice applies to this address whatever department, store or role it belongs to.
        </Text>
      </Stack>
    </AuthFrame>
  );
}

const confirmRoute = getRouteApi('/newsletter/confirm');

/** Double opt-in: following the link in the confirmation message starts the subscription. */
export function ConfirmPage() {
  const { token } = confirmRoute.useSearch();
  const confirm = useMutation({ mutationFn: () => post<Preferences>('/api/newsletter/confirm', { token }) });
  useEffect(() => {
    if (token) confirm.mutate();
    // Once per link.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);
  return (
    <AuthFrame title="Newsletter subscription">
      {confirm.isSuccess ? (
        <Alert color="teal" icon={<IconCircleCheck />} data-testid="confirm-status">
          Confirmed: {confirm.data.email} now receives the Security & IT newsletter.
        </Alert>
      ) : confirm.isError || !token ? (
        <Alert color="red" icon={<IconAlertCircle />} data-testid="confirm-status">
          This confirmation link is not valid or has expired. Ask for the newsletter again.
        </Alert>
      ) : (
        <Text>Confirming…</Text>
      )}
    </AuthFrame>
  );
}
