import { Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { IconMailForward, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { Person } from '../../../contracts/people';
import { ROLE_LABELS } from '../../../contracts/roles';
import { get } from '../../api';
import { PersonStatusBadge } from '../../ui/badges';
import { formatDateTime } from '../../ui/format';
import { useCan } from '../../ui/me';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { usePersonActions } from './personActions';
import { PersonForm } from './PersonForm';
import { Fact } from '../../ui/Fact';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';

const route = getRouteApi('/_app/people/$id');


export function PersonPage() {
  const { id } = route.useParams();
  const canManage = useCan('people:manage');
  const actions = usePersonActions();
  const person = useQuery({ queryKey: ['/api/people', 'one', id], queryFn: ({ signal }) => get<Person>(`/api/people/${id}`, undefined, signal) });

  if (person.isPending) return <PageLoader />;
  if (person.isError) return <QueryError error={person.error} retry={() => void person.refetch()} what="person" />;
  const p = person.data;

  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/people" label="People" current={p.name} />
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={1} size="h2">{p.name}</Title>
            <PersonStatusBadge status={p.status} />
          </Group>
          <Text c="dimmed" size="sm">
            {[p.title, p.departmentName, p.storeName ?? 'Headquarters'].filter(Boolean).join(' · ')}
          </Text>
        </div>
        {canManage && (
          <Group gap="xs">
            {p.status === 'invited' && (
              <Button variant="default" leftSection={<IconMailForward size={16} />} onClick={() => actions.run('invite', p)} loading={actions.pending}>
                Resend invitation
              </Button>
            )}
            {p.status === 'deactivated' ? (
              <Button variant="default" leftSection={<IconUserCheck size={16} />} onClick={() => actions.run('reactivate', p)} loading={actions.pending}>
                Reactivate
              </Button>
            ) : (
              <Button variant="light" color="red" leftSection={<IconUserOff size={16} />} onClick={() => actions.run('deactivate', p)}>
                Deactivate
              </Button>
            )}
          </Group>
        )}
      </Group>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card padding="lg">
            <Stack gap="sm">
              <Fact label="Email">{p.email}</Fact>
              <Fact label="Role">{ROLE_LABELS[p.role]}</Fact>
              <Fact label="Department">{p.departmentName ?? '—'}</Fact>
              <Fact label="Works at">{p.storeName ? `${p.storeCode} · ${p.storeName}` : p.district ? `District ${p.district} (every store)` : p.region ? `Region ${p.region} (every store)` : 'Headquarters'}</Fact>
              <Fact label="Last sign-in">{p.lastSignInAt ? formatDateTime(p.lastSignInAt) : 'Never'}</Fact>
              <Fact label="Added">{formatDateTime(p.createdAt)}</Fact>
              <Fact label="Updated">{formatDateTime(p.updatedAt)}</Fact>
            </Stack>
          </Card>
        </Grid.Col>
        {canManage && (
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Card padding="lg">
              <Title order={4} mb="md">
                Edit details
              </Title>
              {/* key: a fresh form whenever the saved record changes */}
              <PersonForm key={p.updatedAt} person={p} onSaved={() => void person.refetch()} />
            </Card>
          </Grid.Col>
        )}
      </Grid>
      {actions.modal}
    </Stack>
  );
}
