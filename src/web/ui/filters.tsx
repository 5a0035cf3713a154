import { Button, Collapse, Paper, Select, SimpleGrid, TextInput, type SimpleGridProps } from '@mantine/core';
import { IconAdjustmentsHorizontal, IconSearch } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The box above a list that holds its filters. */
export function FilterPanel({ children }: { children: ReactNode }) {
  return (
    <Paper p="md" mb="md">
      {children}
    </Paper>
  );
}

/** The grid of filter fields inside a FilterPanel. */
export function FilterGrid({ cols, mt, children }: { cols: SimpleGridProps['cols']; mt?: SimpleGridProps['mt']; children: ReactNode }) {
  return (
    <SimpleGrid cols={cols} spacing="sm" mt={mt}>
      {children}
    </SimpleGrid>
  );
}

/** A free-text filter with the search icon ("Search" unless labelled otherwise). */
export function SearchInput({ label = 'Search', placeholder, value, onChange }: { label?: string; placeholder: string; value: string; onChange: (value: string) => void }) {
  return <TextInput label={label} placeholder={placeholder} leftSection={<IconSearch size={16} />} value={value} onChange={(e) => onChange(e.currentTarget.value)} />;
}

const ACTIVE_STATUS_OPTIONS = [
  { value: 'true', label: 'Active' },
  { value: 'false', label: 'Inactive' },
];

/** The "Status" filter of records that are active or not: 'true', 'false' or null for both. */
export function ActiveStatusSelect({ value, onChange }: { value: string | null; onChange: (value: string | null) => void }) {
  return <Select label="Status" placeholder="Active and inactive" clearable data={ACTIVE_STATUS_OPTIONS} value={value} onChange={onChange} />;
}

/**
 * On narrow screens: a full-width "Filters (2 on)" button that opens the filter fields below it.
 * `label` is the button's text while closed; `active` counts the filters in use.
 */
export function CollapsedFilters({ label, active, opened, onToggle, children }: { label: string; active: number; opened: boolean; onToggle: () => void; children: ReactNode }) {
  return (
    <>
      <Button mt="sm" fullWidth variant="default" leftSection={<IconAdjustmentsHorizontal size={16} />} onClick={onToggle} aria-expanded={opened}>
        {opened ? 'Hide filters' : `${label}${active ? ` (${active} on)` : ''}`}
      </Button>
      <Collapse expanded={opened}>
        <FilterGrid cols={{ base: 1, xs: 2 }} mt="sm">
          {children}
        </FilterGrid>
      </Collapse>
    </>
  );
}
