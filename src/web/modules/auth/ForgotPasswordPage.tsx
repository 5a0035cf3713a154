import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { isApiError, post } from '../../api';
import { AuthFrame } from './AuthFrame';

export function ForgotPasswordPage() {
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : 'Enter your email address') },
  });
  const request = useMutation({
    mutationFn: (email: string) => post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' }),
  });
  // Whether or not the address exists, the answer is the same (no account discovery).
  const done = request.isSuccess || (request.isError && !isApiError(request.error, 429) && !isApiError(request.error, 0));

  return (
    <AuthFrame title="Reset your password" subtitle="We will email you a link to choose a new password.">
      {done ? (
        <Stack>
          <Alert color="teal" icon={<IconMailCheck />} role="status">
            If that address has an account, a reset link is on its way.
          </Alert>
          <Anchor component={Link} to="/sign-in" size="sm">
            Back to sign in
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((v) => request.mutate(v.email.trim()))} noValidate>
          <Stack>
            {request.error && <Alert color="red">{isApiError(request.error, 429) ? 'Too many attempts — wait a minute and try again' : request.error.message}</Alert>}
            <TextInput label="Email" type="email" autoComplete="email" autoFocus {...form.getInputProps('email')} />
            <Button type="submit" loading={request.isPending}>
              Send reset link
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
