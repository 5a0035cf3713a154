import { Alert, Button, Center, EmptyState, Group, Loader, Stack } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconMapQuestion } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { isApiError } from '../api';

export function ForbiddenState({ message }: { message?: string }) {
  return (
    <EmptyState
      py={60}
      variant="light"
      color="orange"
      icon={<IconLock size={28} />}
      title="You do not have access to this page"
      description={message ?? 'Your role or your department’s access does not include this part of Tandem. If you need it, ask an administrator.'}
      data-testid="forbidden"
    >
      <EmptyState.Actions>
        <Button component={Link} to="/" variant="light">
          Back to My work
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}

export function NotFoundState({ what = 'page', pageTitle = false }: { what?: string; /** The title is the page's h1 (the standalone 404 page). */ pageTitle?: boolean }) {
  const title = `This ${what} does not exist`;
  const description = 'The link may be mistyped, or the record was removed.';
  return (
    <EmptyState
      py={60}
      variant="light"
      color="gray"
      icon={<IconMapQuestion size={28} />}
      title={pageTitle ? undefined : title}
      description={pageTitle ? undefined : description}
      data-testid="not-found"
    >
      {pageTitle && <EmptyState.Title order={1}>{title}</EmptyState.Title>}
      {pageTitle && <EmptyState.Description>{description}</EmptyState.Description>}
      <EmptyState.Actions>
        <Button component={Link} to="/" variant="light">
          Back to My work
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}

/** The standalone 404 page for unknown addresses. */
export function NotFoundPage() {
  return (
    <Center mih="70vh" p="md">
      <Stack align="center">
        <NotFoundState pageTitle />
      </Stack>
    </Center>
  );
}

export function PageLoader() {
  return (
    <Center py={80}>
      <Loader />
    </Center>
  );
}

/** What a page shows when its main query failed: no access, not found, or an error with retry. */
export function QueryError({ error, retry, what }: { error: unknown; retry?: () => void; what?: string }) {
  if (isApiError(error, 403)) return <ForbiddenState />;
  // A malformed id in the address is as good as a missing record.
  const badId = isApiError(error, 400) && error.problems.some((p) => p.field === 'id');
  if (isApiError(error, 404) || badId) return <NotFoundState what={what} />;
  return (
    <Alert color="red" icon={<IconAlertTriangle />} title="Could not load this page" my="md">
      <Group justify="space-between" align="center">
        <span>{error instanceof Error ? error.message : 'Unknown error'}</span>
        {retry && (
          <Button size="xs" variant="white" color="red" onClick={retry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
