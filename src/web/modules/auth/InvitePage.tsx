import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { api, get, isApiError, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { formatDateTime } from '../../ui/format';
import { PageLoader } from '../../ui/StatusPages';
import { AuthFrame } from './AuthFrame';
import { MIN_PASSWORD, newPasswordRules } from './passwords';

const route = getRouteApi('/invite/$token');

interface Invitation {
  name: string;
  email: string;
  expiresAt: string;
}

export function InvitePage() {
  const { token } = route.useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => get<Invitation>(`/api/invitations/${encodeURIComponent(token)}`),
    retry: false,
  });
  const form = useForm({ initialValues: { password: '', confirm: '' }, validate: newPasswordRules() });

  const accept = useMutation({
    mutationFn: async (password: string) => {
      await api(`/api/invitations/${encodeURIComponent(token)}/accept`, { method: 'POST', body: { password } });
      await post('/api/auth/sign-in/email', { email: invitation.data!.email, password });
    },
    onSuccess: async () => {
      queryClient.clear();
      await navigate({ to: '/', replace: true });
    },
    onError: (err) => {
      if (isApiError(err, 404) || isApiError(err, 410)) return;
      applyServerErrors(form, err);
    },
  });

  if (invitation.isPending) return <PageLoader />;
  if (invitation.isError || isApiError(accept.error, 404) || isApiError(accept.error, 410)) {
    return (
      <AuthFrame title="Invitation">
        <Stack>
          <Alert color="red" icon={<IconAlertCircle />} data-testid="invitation-invalid">
            {isApiError(invitation.error) && invitation.error.status >= 500
              ? invitation.error.message
              : 'This invitation link is invalid, used or expired'}
          </Alert>
          <Text size="sm" c="dimmed">
            Ask your administrator to send a new invitation, or sign in if you already chose a password.
          </Text>
          <Anchor component={Link} to="/sign-in" size="sm">
            Go to sign in
          </Anchor>
        </Stack>
      </AuthFrame>
    );
  }
  const inv = invitation.data;
  return (
    <AuthFrame title={`Welcome, ${inv.name}`} subtitle="You have been invited to Tandem. Choose a password to finish setting up your account.">
      <form onSubmit={form.onSubmit((v) => accept.mutate(v.password))} noValidate>
        <Stack>
          <TextInput label="Email" value={inv.email} readOnly variant="filled" />
          <PasswordInput
            label="Choose a password"
            description={`At least ${MIN_PASSWORD} characters`}
            autoComplete="new-password"
            autoFocus
            {...form.getInputProps('password')}
          />
          <PasswordInput label="Confirm password" autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Button type="submit" loading={accept.isPending}>
            Set password and sign in
          </Button>
          <Text size="xs" c="dimmed">
            This invitation expires {formatDateTime(inv.expiresAt)}.
          </Text>
        </Stack>
      </form>
    </AuthFrame>
  );
}
