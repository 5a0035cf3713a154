import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { isApiError, post } from '../../api';
import { AuthFrame } from './AuthFrame';
import { MIN_PASSWORD, newPasswordRules } from './passwords';

const route = getRouteApi('/reset-password');

export function ResetPasswordPage() {
  const { token, error } = route.useSearch();
  const form = useForm({ initialValues: { password: '', confirm: '' }, validate: newPasswordRules() });
  const reset = useMutation({
    mutationFn: (password: string) => post('/api/auth/reset-password', { newPassword: password, token }),
  });

  if (!token || error) {
    return (
      <AuthFrame title="Choose a new password">
        <Stack>
          <Alert color="red" icon={<IconAlertCircle />}>
            This reset link is invalid or has expired. Ask for a new one.
          </Alert>
          <Anchor component={Link} to="/forgot-password" size="sm">
            Request a new reset link
          </Anchor>
        </Stack>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title="Choose a new password" subtitle={`Use at least ${MIN_PASSWORD} characters.`}>
      {reset.isSuccess ? (
        <Stack>
          <Alert color="teal" icon={<IconCircleCheck />} role="status">
            Your password has been changed.
          </Alert>
          <Button component={Link} to="/sign-in">
            Sign in
          </Button>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((v) => reset.mutate(v.password))} noValidate>
          <Stack>
            {reset.error && (
              <Alert color="red" icon={<IconAlertCircle />}>
                {isApiError(reset.error) && reset.error.status < 500 && reset.error.status !== 429
                  ? /token/i.test(reset.error.message) || reset.error.status === 400
                    ? 'This reset link is invalid or has expired. Ask for a new one.'
                    : reset.error.message
                  : reset.error.message}{' '}
                <Anchor component={Link} to="/forgot-password" size="sm">
                  Request a new reset link
                </Anchor>
              </Alert>
            )}
            <PasswordInput label="New password" autoComplete="new-password" autoFocus {...form.getInputProps('password')} />
            <PasswordInput label="Confirm password" autoComplete="new-password" {...form.getInputProps('confirm')} />
            <Button type="submit" loading={reset.isPending}>
              Set new password
            </Button>
            <Anchor component={Link} to="/sign-in" size="sm">
              Back to sign in
            </Anchor>
          </Stack>
        </form>
      )}
    </AuthFrame>
  );
}
