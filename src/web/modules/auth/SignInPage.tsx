import { Alert, Anchor, Button, Code, Divider, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconInfoCircle, IconKey } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { isApiError, post } from '../../api';
import { useFocusAfterPaint } from '../../ui/paint';
import { AuthFrame } from './AuthFrame';
import { publicConfigQuery } from './query';

const route = getRouteApi('/sign-in');

/** Only same-site paths are followed after sign-in. */
const safeRedirect = (r: string | undefined) => (r && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/sign-in') ? r : '/');

export function SignInPage() {
  const { redirect } = route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const config = useQuery(publicConfigQuery);
  const emailRef = useFocusAfterPaint<HTMLInputElement>();
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : 'Enter your email address'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });

  const signIn = useMutation({
    mutationFn: (v: typeof form.values) => post('/api/auth/sign-in/email', { email: v.email.trim(), password: v.password }),
    onSuccess: async () => {
      queryClient.clear();
      await navigate({ href: safeRedirect(redirect), replace: true });
    },
  });

  const sso = useMutation({
    mutationFn: () => post<{ url?: string }>('/api/auth/sign-in/social', { provider: 'sso', callbackURL: safeRedirect(redirect), errorCallbackURL: '/sign-in' }),
    onSuccess: (r) => {
      if (r?.url) window.location.assign(r.url);
    },
  });

  const errorText = signIn.error
    ? isApiError(signIn.error, 429)
      ? 'Too many attempts — wait a minute and try again'
      : isApiError(signIn.error) && signIn.error.status >= 500
        ? 'The server could not sign you in right now. Try again shortly.'
        : isApiError(signIn.error, 0)
          ? signIn.error.message
          : 'Invalid email or password'
    : null;

  const demo = config.data?.demo;
  const ssoConfig = config.data?.sso;

  return (
    <AuthFrame title="Sign in" subtitle="Welcome back to Tandem.">
      <form onSubmit={form.onSubmit((v) => signIn.mutate(v))} noValidate>
        <Stack>
          {errorText && (
            <Alert color="red" icon={<IconAlertCircle />} role="alert" data-testid="sign-in-error">
              {errorText}
            </Alert>
          )}
          <TextInput label="Email" type="email" autoComplete="username" ref={emailRef} {...form.getInputProps('email')} />
          <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
          <Group justify="flex-end" mt={-6}>
            <Anchor component={Link} to="/forgot-password" size="sm">
              Forgot password?
            </Anchor>
          </Group>
          <Button type="submit" fullWidth loading={signIn.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>

      {ssoConfig?.enabled && (
        <>
          <Divider label="or" labelPosition="center" my="md" />
          <Button fullWidth variant="default" leftSection={<IconKey size={16} />} loading={sso.isPending} onClick={() => sso.mutate()}>
            Sign in with {ssoConfig.name ?? 'single sign-on'}
          </Button>
          {sso.error && (
            <Text c="red" size="sm" mt="xs">
              {sso.error.message}
            </Text>
          )}
        </>
      )}

      {demo && (
        <Alert mt="lg" color="indigo" variant="light" icon={<IconInfoCircle />} title="Demo workspace" data-testid="demo-hint">
          <Text size="sm">
            Sign in as <Code>{demo.email}</Code> with password <Code>{demo.password}</Code>.
          </Text>
          <Anchor component="button" type="button" size="sm" mt={4} onClick={() => form.setValues({ email: demo.email, password: demo.password })}>
            Fill in the demo sign-in
          </Anchor>
        </Alert>
      )}
    </AuthFrame>
  );
}
