import { Badge, Card, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChartPie, IconPlus } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { INCIDENT_STATUSES, INCIDENT_STATUS_LABELS, INCIDENT_TYPES, INCIDENT_TYPE_LABELS, type Incident } from '../../../contracts/cases';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDateTime, formatMoney } from '../../ui/format';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { QueryError } from '../../ui/StatusPages';
import type { IncidentsSearch } from './search';
import { IncidentStatusBadge , ButtonLink } from './shared';


const route = getRouteApi('/_app/incidents');

/** Incidents: the triage list for loss prevention, "my reports" for everyone else. */
export function IncidentsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const triage = useCan('cases:triage');
  const stores = useStores();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const [type, setType] = useState<string | null>(null);
  const [storeId, setStoreId] = useState<string | null>(null);
  const filters = { q: debounced || undefined, status: search.status ?? (triage ? 'open' : undefined), mine: search.mine, type: type ?? undefined, storeId: storeId ?? undefined, sort: 'createdAt', order: 'desc' };
  const list = useCursorList<Incident>('/api/incidents', filters);

  return (
    <Stack gap="md">
      <PageHeader
        title="Incidents"
        description={triage ? 'New reports and tips to triage: merge duplicates, link them to a case, or close them with a reason.' : 'The incidents you reported and those of your store.'}
        actions={
          <>
            <ExportButton path="/api/incidents/export" filters={filters} />
            <ButtonLink to="/incidents/shrink" variant="default" leftSection={<IconChartPie size={16} />}>
              Shrink figures
            </ButtonLink>
            <ButtonLink to="/incidents/new" leftSection={<IconPlus size={16} />}>
              Report an incident
            </ButtonLink>
          </>
        }
      />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <SearchInput placeholder="INC-12, words of the report, police number" value={q} onChange={setQ} />
          <Select
            label="Status"
            data={[{ value: 'open', label: 'New and triaged' }, ...INCIDENT_STATUSES.map((s) => ({ value: s, label: INCIDENT_STATUS_LABELS[s] }))]}
            value={search.status ?? (triage ? 'open' : null)}
            clearable
            placeholder="Any status"
            onChange={(v) => void navigate({ search: (s) => ({ ...s, status: (v ?? undefined) as IncidentsSearch['status'] }) })}
          />
          <Select label="Type" data={INCIDENT_TYPES.map((t) => ({ value: t, label: INCIDENT_TYPE_LABELS[t] }))} value={type} onChange={setType} clearable placeholder="Any type" />
          <Select label="Store" data={storeOptions(stores.data)} value={storeId} onChange={setStoreId} clearable searchable placeholder="Any store" />
        </FilterGrid>
      </FilterPanel>
      {list.isError ? (
        <QueryError embedded error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Card padding={0}>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Incident</Table.Th>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Store</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th ta="right">Loss</Table.Th>
                  <Table.Th>Reported by</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td>
                      <AnchorLink to="/incidents/$id" params={{ id: String(i.number) }} fw={600} ff="monospace" size="sm">
                        {i.ref}
                      </AnchorLink>
                      <Text size="xs" c="dimmed" lineClamp={1} maw={280}>
                        {i.narrative}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(i.occurredAt)}</Text>
                    </Table.Td>
                    <Table.Td>{i.storeCode ?? 'HQ'}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{INCIDENT_TYPE_LABELS[i.type]}</Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatMoney(i.estimatedLossCents)}</Table.Td>
                    <Table.Td>
                      {i.source === 'tip' ? (
                        <Badge variant="outline" color="grape">
                          Anonymous tip
                        </Badge>
                      ) : (
                        <Text size="sm">{i.reporterName}</Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <IncidentStatusBadge status={i.status} />
                        {i.caseRef && (
                          <Text size="xs" ff="monospace">
                            {i.caseRef}
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {!list.isPending && list.items.length === 0 && <EmptyRow colSpan={7}>No incidents match.</EmptyRow>}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <ListFooter list={list} noun="incidents" />
    </Stack>
  );
}
