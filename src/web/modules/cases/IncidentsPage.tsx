import { Badge, Group, Select, Stack, Text } from '@mantine/core';
import { IconChartPie, IconPlus } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { INCIDENT_SORTS, INCIDENT_STATUSES, INCIDENT_STATUS_LABELS, INCIDENT_TYPES, INCIDENT_TYPE_LABELS, type Incident } from '../../../contracts/cases';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDateTime, formatMoney } from '../../ui/format';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { ButtonLink, IncidentStatusBadge } from './shared';

type SortKey = (typeof INCIDENT_SORTS)[number];

/** Incidents: the triage list for loss prevention, "my reports" for everyone else. Filters live in the URL. */
export function IncidentsPage() {
  const navigate = useNavigate();
  const triage = useCan('cases:triage');
  const stores = useStores();
  // Triage opens on the incidents still to handle.
  const list = useUrlList<Incident, SortKey>({ key: 'incidents', path: '/api/incidents', sort: { sort: 'createdAt', order: 'desc' }, views: true, defaults: triage ? { status: 'open' } : undefined });
  const q = useUrlText(list);

  return (
    <Stack gap="md">
      <PageHeader
        title="Incidents"
        description={triage ? 'New reports and tips to triage: merge duplicates, link them to a case, or close them with a reason.' : 'The incidents you reported and those of your store.'}
        actions={
          <>
            <ExportButton href={list.exportHref} />
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
        <Group mb="sm" justify="flex-end">
          <ListTools list={list} />
        </Group>
        <FilterGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <SearchInput placeholder="INC-12, words of the report, police number" {...q} />
          <Select
            label="Status"
            data={[{ value: 'open', label: 'New and triaged' }, ...INCIDENT_STATUSES.map((s) => ({ value: s, label: INCIDENT_STATUS_LABELS[s] }))]}
            clearable
            placeholder="Any status"
            {...list.field('status')}
          />
          <Select label="Type" data={INCIDENT_TYPES.map((t) => ({ value: t, label: INCIDENT_TYPE_LABELS[t] }))} clearable placeholder="Any type" {...list.field('type')} />
          <Select label="Store" data={storeOptions(stores.data)} clearable searchable placeholder="Any store" {...list.field('storeId')} />
        </FilterGrid>
      </FilterPanel>
      <ListTable
        list={list}
        testId="incidents-table"
        minWidth={760}
        noun="incidents"
        empty="No incidents match these filters."
        onRowClick={(i) => void navigate({ to: '/incidents/$id', params: { id: String(i.number) } })}
        columns={[
          {
            key: 'ref',
            header: 'Incident',
            sort: 'number',
            cell: (i) => (
              <>
                <AnchorLink to="/incidents/$id" params={{ id: String(i.number) }} fw={600} ff="monospace" size="sm">
                  {i.ref}
                </AnchorLink>
                <Text size="xs" c="dimmed" lineClamp={1} maw={280}>
                  {i.narrative}
                </Text>
              </>
            ),
          },
          { key: 'when', header: 'When', sort: 'occurredAt', nowrap: true, cell: (i) => <Text size="sm">{formatDateTime(i.occurredAt)}</Text> },
          { key: 'store', header: 'Store', cell: (i) => i.storeCode ?? 'HQ' },
          { key: 'type', header: 'Type', cell: (i) => <Text size="sm">{INCIDENT_TYPE_LABELS[i.type]}</Text> },
          { key: 'loss', header: 'Loss', sort: 'estimatedLossCents', align: 'right', nowrap: true, cell: (i) => formatMoney(i.estimatedLossCents) },
          {
            key: 'reporter',
            header: 'Reported by',
            cell: (i) =>
              i.source === 'tip' ? (
                <Badge variant="outline" color="grape">
                  Anonymous tip
                </Badge>
              ) : (
                <Text size="sm">{i.reporterName}</Text>
              ),
          },
          {
            key: 'status',
            header: 'Status',
            cell: (i) => (
              <Group gap={4}>
                <IncidentStatusBadge status={i.status} />
                {i.caseRef && (
                  <Text size="xs" ff="monospace">
                    {i.caseRef}
                  </Text>
                )}
              </Group>
            ),
          },
        ]}
      />
    </Stack>
  );
}
