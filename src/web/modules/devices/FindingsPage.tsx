import { Button, Group, Select } from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { FINDING_RULE_LABELS, FINDING_STATE_LABELS, SEVERITIES, type Finding, type FindingRule, type FindingState } from '../../../contracts/devices';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { ExportButton, listSearch, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { PageHeader } from '../../ui/PageHeader';
import { FINDINGS_SORT, FindingsTable, type FindingSortKey } from './FindingsTable';

/** The findings list's URL: storeId, rule, severity, state (open unless said; `any` for every state), q, sort, page. */
export const validateFindingsSearch = listSearch;

export function FindingsPage(_props: { search?: unknown }) {
  const stores = useStores();
  const list = useUrlList<Finding, FindingSortKey>({
    key: 'device-findings',
    path: '/api/device-findings',
    sort: FINDINGS_SORT,
    views: true,
    toQuery: ({ state, ...rest }) => ({ ...rest, state: state === 'any' ? undefined : (state ?? 'open') }),
  });
  const q = useUrlText(list);
  return (
    <>
      <PageHeader
        title="Posture findings"
        description="Computed from the inventory, the model catalogue and the policy; recomputed on every change and nightly."
        actions={
          <>
            <ExportButton href={list.exportHref} />
            <Button variant="default" component={Link} to="/devices/posture" leftSection={<IconChartBar size={16} />}>
              Dashboard
            </Button>
          </>
        }
      />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 2, md: 5 }}>
          <SearchInput placeholder="FND-12, device, IP, detail" {...q} />
          <Select label="Store" placeholder="All stores" clearable searchable data={storeOptions(stores.data)} {...list.field('storeId')} />
          <Select label="Finding" placeholder="All findings" clearable data={(Object.keys(FINDING_RULE_LABELS) as FindingRule[]).map((r) => ({ value: r, label: FINDING_RULE_LABELS[r] }))} {...list.field('rule')} />
          <Select label="Severity" placeholder="Any severity" clearable data={SEVERITIES.map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))} {...list.field('severity')} />
          <Select
            label="State"
            allowDeselect={false}
            data={[...(Object.keys(FINDING_STATE_LABELS) as FindingState[]).map((s) => ({ value: s, label: FINDING_STATE_LABELS[s] })), { value: 'any', label: 'Any state' }]}
            value={list.params.state ?? 'open'}
            onChange={(v) => list.set({ state: v === 'open' ? null : v })}
          />
        </FilterGrid>
        <Group justify="flex-end" mt="sm">
          <ListTools list={list} />
        </Group>
      </FilterPanel>
      <FindingsTable list={list} />
    </>
  );
}
