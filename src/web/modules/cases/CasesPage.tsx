import { Card, Group, Select, Stack, Switch, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChartPie, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { CASE_STATUSES, CASE_STATUS_LABELS, INCIDENT_TYPES, INCIDENT_TYPE_LABELS, type Case } from '../../../contracts/cases';
import { api, get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDate, formatMoney } from '../../ui/format';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { QueryError } from '../../ui/StatusPages';
import type { CasesSearch } from './search';
import { CaseStatusBadge, OutcomeBadge, SealedBadge , ButtonLink } from './shared';


const route = getRouteApi('/_app/cases');

/** The admin's switch for the public, anonymous tip line. */
function TipLineSwitch() {
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['/api/case-settings'], queryFn: () => get<{ tipsEnabled: boolean; tipPath: string }>('/api/case-settings') });
  const save = useMutation({
    mutationFn: (tipsEnabled: boolean) => api<{ tipsEnabled: boolean }>('/api/case-settings', { method: 'PUT', body: { tipsEnabled } }),
    onSuccess: (s) => {
      void qc.invalidateQueries({ queryKey: ['/api/case-settings'] });
      notifySuccess(s.tipsEnabled ? `Anyone with the link ${window.location.origin}/tip can now send an anonymous tip.` : 'The tip line is closed.');
    },
    onError: (err) => notifyError(err),
  });
  if (!settings.data) return null;
  return (
    <Switch
      label={settings.data.tipsEnabled ? `Anonymous tip line open at ${window.location.origin}/tip` : 'Anonymous tip line closed'}
      checked={settings.data.tipsEnabled}
      disabled={save.isPending}
      onChange={(e) => save.mutate(e.currentTarget.checked)}
    />
  );
}

export function CasesPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const canOpen = useCan('cases:work');
  const canSettings = useCan('cases:settings');
  const stores = useStores();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const [type, setType] = useState<string | null>(null);
  const [storeId, setStoreId] = useState<string | null>(null);
  const filters = { q: debounced || undefined, status: search.status, mine: search.mine, type: type ?? undefined, storeId: storeId ?? undefined, sort: 'updatedAt', order: 'desc' };
  const list = useCursorList<Case>('/api/cases', filters);

  return (
    <Stack gap="md">
      <PageHeader
        title="Cases"
        description="Investigations: lead, members, tasks, evidence with chain of custody. Internal-theft cases are restricted to their members and LP leads."
        actions={
          <>
            <ExportButton path="/api/cases/export" filters={filters} />
            <ButtonLink to="/incidents/shrink" variant="default" leftSection={<IconChartPie size={16} />}>
              Shrink figures
            </ButtonLink>
            {canOpen && (
              <ButtonLink to="/cases/new" leftSection={<IconPlus size={16} />}>
                Open a case
              </ButtonLink>
            )}
          </>
        }
      />
      {canSettings && (
        <Card padding="sm">
          <TipLineSwitch />
        </Card>
      )}
      <FilterPanel>
        <FilterGrid cols={{ base: 1, sm: 2, md: 5 }}>
          <SearchInput placeholder="CASE-2026-0013, title, subject" value={q} onChange={setQ} />
          <Select
            label="Status"
            data={[{ value: 'active', label: 'Open and on hold' }, ...CASE_STATUSES.map((s) => ({ value: s, label: CASE_STATUS_LABELS[s] }))]}
            value={search.status ?? null}
            clearable
            placeholder="Any status"
            onChange={(v) => void navigate({ search: (s) => ({ ...s, status: (v ?? undefined) as CasesSearch['status'] }) })}
          />
          <Select
            label="Whose"
            data={[{ value: 'true', label: 'My cases' }]}
            value={search.mine ?? null}
            clearable
            placeholder="Everyone's"
            onChange={(v) => void navigate({ search: (s) => ({ ...s, mine: v ? 'true' : undefined }) })}
          />
          <Select label="Type" data={INCIDENT_TYPES.map((t) => ({ value: t, label: INCIDENT_TYPE_LABELS[t] }))} value={type} onChange={setType} clearable placeholder="Any type" />
          <Select label="Store" data={storeOptions(stores.data)} value={storeId} onChange={setStoreId} clearable searchable placeholder="Any store" />
        </FilterGrid>
      </FilterPanel>
      {list.isError ? (
        <QueryError embedded error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Card padding={0}>
          <Table.ScrollContainer minWidth={820}>
            <Table striped highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Case</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Store</Table.Th>
                  <Table.Th>Lead</Table.Th>
                  <Table.Th ta="right">Loss</Table.Th>
                  <Table.Th ta="right">Open tasks</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Updated</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <AnchorLink to="/cases/$id" params={{ id: c.ref }} fw={600} size="sm">
                          {c.ref}
                        </AnchorLink>
                        <SealedBadge sealed={c.sealed} />
                      </Group>
                      <Text size="xs" c="dimmed" lineClamp={1} maw={300}>
                        {c.title}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{INCIDENT_TYPE_LABELS[c.type]}</Text>
                    </Table.Td>
                    <Table.Td>{c.storeCode ?? 'HQ'}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.leadName}</Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatMoney(c.lossCents)}</Table.Td>
                    <Table.Td ta="right">{c.openTasks}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <CaseStatusBadge status={c.status} />
                        <OutcomeBadge outcome={c.outcome} />
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(c.updatedAt)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {!list.isPending && list.items.length === 0 && <EmptyRow colSpan={8}>No cases match.</EmptyRow>}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <ListFooter list={list} noun="cases" />
    </Stack>
  );
}
