import { Button, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChartBar } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { FINDING_RULE_LABELS, FINDING_STATE_LABELS, SEVERITIES, type FindingRule, type FindingState } from '../../../contracts/devices';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { ExportButton } from '../../ui/list';
import { storeOptions, useStores } from '../../ui/lookups';
import { PageHeader } from '../../ui/PageHeader';
import { FindingsTable } from './FindingsTable';

import { validateFindingsSearch } from './search';
export { validateFindingsSearch } from './search';


export function FindingsPage({ search }: { search: ReturnType<typeof validateFindingsSearch> }) {
  const stores = useStores();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [storeId, setStoreId] = useState<string | null>(search.storeId ?? null);
  const [rule, setRule] = useState<string | null>(search.rule ?? null);
  const [severity, setSeverity] = useState<string | null>(search.severity ?? null);
  const [state, setState] = useState<string | null>(search.state ?? 'open');
  const filters = { q: debouncedQ.trim(), storeId, rule, severity, state };
  return (
    <>
      <PageHeader
        title="Posture findings"
        description="Computed from the inventory, the model catalogue and the policy; recomputed on every change and nightly."
        actions={
          <>
            <ExportButton path="/api/device-findings/export" filters={filters} />
            <Button variant="default" component={Link} to="/devices/posture" leftSection={<IconChartBar size={16} />}>
              Dashboard
            </Button>
          </>
        }
      />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, xs: 2, md: 5 }}>
          <SearchInput placeholder="FND-12, device, IP, detail" value={q} onChange={setQ} />
          <Select label="Store" placeholder="All stores" clearable searchable data={storeOptions(stores.data)} value={storeId} onChange={setStoreId} />
          <Select label="Finding" placeholder="All findings" clearable data={(Object.keys(FINDING_RULE_LABELS) as FindingRule[]).map((r) => ({ value: r, label: FINDING_RULE_LABELS[r] }))} value={rule} onChange={setRule} />
          <Select label="Severity" placeholder="Any severity" clearable data={SEVERITIES.map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))} value={severity} onChange={setSeverity} />
          <Select label="State" placeholder="Any state" clearable data={(Object.keys(FINDING_STATE_LABELS) as FindingState[]).map((s) => ({ value: s, label: FINDING_STATE_LABELS[s] }))} value={state} onChange={setState} />
        </FilterGrid>
      </FilterPanel>
      <FindingsTable filters={filters} />
    </>
  );
}
