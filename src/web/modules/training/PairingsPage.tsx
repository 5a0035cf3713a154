import { Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArrowRight, IconCalendarPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Heatmap, Pairing } from '../../../contracts/training';
import { get } from '../../api';
import { departmentOptions, useDepartments } from '../../ui/lookups';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { TrainingTabs } from './shared';

export function PairingsPage() {
  const departments = useDepartments();
  const navigate = useNavigate();
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [region, setRegion] = useState<string | null>(null);
  const filters = { departmentId: departmentId ?? undefined, region: region ?? undefined };
  const pairs = useQuery({ queryKey: ['/api/training/pairings', filters], queryFn: ({ signal }) => get<{ items: Pairing[] }>('/api/training/pairings', filters, signal) });
  const regions = useQuery({ queryKey: ['/api/training/heatmap', {}], queryFn: ({ signal }) => get<Heatmap>('/api/training/heatmap', {}, signal), select: (h) => h.regions });
  return (
    <>
      <PageHeader
        title="Pairing suggestions"
        description="Who should shadow whom to close the largest gaps: the guest is below target, the host holds the skill at 3+, they work in different departments in the same region, and nobody is over-booked."
      />
      <TrainingTabs />
      <Group mb="md">
        <Select label="Guests from" placeholder="All I can see" clearable data={departmentOptions(departments.data)} value={departmentId} onChange={setDepartmentId} />
        <Select label="Region" placeholder="All regions" clearable data={regions.data ?? []} value={region} onChange={setRegion} />
      </Group>
      {pairs.isPending ? (
        <PageLoader embedded />
      ) : pairs.isError ? (
        <QueryError embedded error={pairs.error} retry={() => void pairs.refetch()} />
      ) : pairs.data.items.length === 0 ? (
        <Card padding="lg">
          <Text c="dimmed">No pairing closes a gap right now: everyone is at target, has no host nearby, or is already booked.</Text>
        </Card>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="pairings">
          {pairs.data.items.map((p) => (
            <Card key={`${p.guest.id}-${p.host.id}`} padding="lg" data-testid="pairing">
              <Group justify="space-between" wrap="nowrap" mb="sm" align="flex-start">
                <Group gap="xs" wrap="wrap">
                  <Stack gap={0}>
                    <Text fw={600}>{p.guest.name}</Text>
                    <Text size="xs" c="dimmed">
                      guest · {p.guest.departmentName}
                    </Text>
                  </Stack>
                  <IconArrowRight size={16} aria-label="shadows" />
                  <Stack gap={0}>
                    <Text fw={600}>{p.host.name}</Text>
                    <Text size="xs" c="dimmed">
                      host · {p.host.departmentName}
                    </Text>
                  </Stack>
                </Group>
                <Badge size="lg" color="orange" variant="light" title="Levels below target this pairing closes">
                  gap {p.gap}
                </Badge>
              </Group>
              <Stack gap={4} mb="md">
                {p.skills.map((s) => (
                  <Text key={s.id} size="sm">
                    {s.name}: {p.guest.name.split(' ')[0]} at {s.guestLevel}, target {s.target}; {p.host.name.split(' ')[0]} at {s.hostLevel}
                  </Text>
                ))}
                <Text size="xs" c="dimmed">
                  Region: {p.guest.region}
                </Text>
              </Stack>
              <Button
                onClick={() => void navigate({ to: '/training/sessions/new', search: { host: p.host.id, guest: p.guest.id, skills: p.skills.map((s) => s.id).join(','), store: p.host.storeId ?? undefined } })}
                leftSection={<IconCalendarPlus size={16} />}
                variant="light"
              >
                Propose this session
              </Button>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </>
  );
}
