import { Card, Group, Select, Stack, Switch, Text } from '@mantine/core';
import { IconChartPie, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { CASE_SORTS, CASE_STATUSES, CASE_STATUS_LABELS, INCIDENT_TYPES, INCIDENT_TYPE_LABELS, type Case } from '../../../contracts/cases';
import { api, get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDate, formatMoney } from '../../ui/format';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { ButtonLink, CaseStatusBadge, OutcomeBadge, SealedBadge } from './shared';

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

type SortKey = (typeof CASE_SORTS)[number];

/** The cases list: status, whose, type, store, q, sort and page live in the URL (src/web/ui/list.tsx). */
export function CasesPage() {
  const navigate = useNavigate();
  const canOpen = useCan('cases:work');
  const canSettings = useCan('cases:settings');
  const stores = useStores();
  const list = useUrlList<Case, SortKey>({ key: 'cases', path: '/api/cases', sort: { sort: 'updatedAt', order: 'desc' }, views: true });
  const q = useUrlText(list);

  return (
    <Stack gap="md">
      <PageHeader
        title="Cases"
        description="Investigations: lead, members, tasks, evidence with chain of custody. Internal-theft cases are restricted to their members and LP leads."
        actions={
          <>
            <ExportButton href={list.exportHref} />
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
        <Group mb="sm" justify="flex-end">
          <ListTools list={list} />
        </Group>
        <FilterGrid cols={{ base: 1, sm: 2, md: 5 }}>
          <SearchInput placeholder="CASE-2026-0013, title, subject" {...q} />
          <Select
            label="Status"
            data={[{ value: 'active', label: 'Open and on hold' }, ...CASE_STATUSES.map((s) => ({ value: s, label: CASE_STATUS_LABELS[s] }))]}
            clearable
            placeholder="Any status"
            {...list.field('status')}
          />
          <Select label="Whose" data={[{ value: 'true', label: 'My cases' }]} clearable placeholder="Everyone's" {...list.field('mine')} />
          <Select label="Type" data={INCIDENT_TYPES.map((t) => ({ value: t, label: INCIDENT_TYPE_LABELS[t] }))} clearable placeholder="Any type" {...list.field('type')} />
          <Select label="Store" data={storeOptions(stores.data)} clearable searchable placeholder="Any store" {...list.field('storeId')} />
        </FilterGrid>
      </FilterPanel>
      <ListTable
        list={list}
        testId="cases-table"
        minWidth={820}
        noun="cases"
        empty="No cases match these filters."
        onRowClick={(c) => void navigate({ to: '/cases/$id', params: { id: c.ref } })}
        columns={[
          {
            key: 'ref',
            header: 'Case',
            sort: 'ref',
            cell: (c) => (
              <>
                <Group gap={6} wrap="nowrap">
                  <AnchorLink to="/cases/$id" params={{ id: c.ref }} fw={600} size="sm">
                    {c.ref}
                  </AnchorLink>
                  <SealedBadge sealed={c.sealed} />
                </Group>
                <Text size="xs" c="dimmed" lineClamp={1} maw={300}>
                  {c.title}
                </Text>
              </>
            ),
          },
          { key: 'type', header: 'Type', cell: (c) => <Text size="sm">{INCIDENT_TYPE_LABELS[c.type]}</Text> },
          { key: 'store', header: 'Store', cell: (c) => c.storeCode ?? 'HQ' },
          { key: 'lead', header: 'Lead', cell: (c) => <Text size="sm">{c.leadName}</Text> },
          { key: 'loss', header: 'Loss', sort: 'lossCents', align: 'right', nowrap: true, cell: (c) => formatMoney(c.lossCents) },
          { key: 'tasks', header: 'Open tasks', align: 'right', cell: (c) => c.openTasks },
          {
            key: 'status',
            header: 'Status',
            cell: (c) => (
              <Group gap={4}>
                <CaseStatusBadge status={c.status} />
                <OutcomeBadge outcome={c.outcome} />
              </Group>
            ),
          },
          { key: 'updatedAt', header: 'Updated', sort: 'updatedAt', nowrap: true, cell: (c) => <Text size="sm">{formatDate(c.updatedAt)}</Text> },
        ]}
      />
    </Stack>
  );
}
