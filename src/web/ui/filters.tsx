import { Paper, Select, SimpleGrid, TextInput, type SimpleGridProps } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
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
