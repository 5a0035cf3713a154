import { Alert, Button, Center, EmptyState, Group, Loader, Stack, Title, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconMapQuestion } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { isApiError } from '../api';

/**
 * Where a status block stands. By default it is the whole page (a page returns it instead of its
 * content), so its title is the page's one h1. `embedded`: a part of a page that has its own h1 (a
 * tab, a panel, the list under a page header), so its title is an h2.
 */
interface Placement {
  embedded?: boolean;
}
const order = ({ embedded }: Placement) => (embedded ? 2 : 1);

export function ForbiddenState({ message, embedded }: { message?: string } & Placement) {
  return (
    <EmptyState py={60} variant="light" color="orange" icon={<IconLock size={28} />} data-testid="forbidden">
      <EmptyState.Title order={order({ embedded })}>You do not have access to this page</EmptyState.Title>
      <EmptyState.Description>{message ?? 'Your role or your department’s access does not include this part of Tandem. If you need it, ask an administrator.'}</EmptyState.Description>
      <EmptyState.Actions>
        <Button component={Link} to="/" variant="light">
          Back to My work
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}

export function NotFoundState({ what = 'page', embedded }: { what?: string } & Placement) {
  return (
    <EmptyState py={60} variant="light" color="gray" icon={<IconMapQuestion size={28} />} data-testid="not-found">
      <EmptyState.Title order={order({ embedded })}>{`This ${what} does not exist`}</EmptyState.Title>
      <EmptyState.Description>The link may be mistyped, or the record was removed.</EmptyState.Description>
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
        <NotFoundState />
      </Stack>
    </Center>
  );
}

/** While a page (or, `embedded`, a part of one) loads. As a whole page it is named for screen readers' heading list. */
export function PageLoader({ embedded }: Placement) {
  return (
    <Center py={80}>
      {!embedded && (
        <VisuallyHidden>
          <h1>Loading…</h1>
        </VisuallyHidden>
      )}
      <Loader />
    </Center>
  );
}

/** What a page shows when its main query failed: no access, not found, or an error with retry. */
export function QueryError({ error, retry, what, embedded }: { error: unknown; retry?: () => void; what?: string } & Placement) {
  if (isApiError(error, 403)) return <ForbiddenState embedded={embedded} />;
  // A malformed id in the address is as good as a missing record.
  const badId = isApiError(error, 400) && error.problems.some((p) => p.field === 'id');
  if (isApiError(error, 404) || badId) return <NotFoundState what={what} embedded={embedded} />;
  return (
    <Alert
      color="red"
      icon={<IconAlertTriangle />}
      title={
        <Title order={order({ embedded })} fz="inherit" fw="inherit" lh="inherit" c="inherit">
          Could not load this page
        </Title>
      }
      my="md"
    >
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
