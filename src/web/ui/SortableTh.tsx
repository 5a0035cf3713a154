import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export type Order = 'asc' | 'desc';
export interface SortState<K extends string> {
  sort: K;
  order: Order;
}

/** A table header cell that sorts by `field` when clicked (a second click flips the order). */
export function SortableTh<K extends string>({
  field,
  state,
  onChange,
  children,
}: {
  field: K;
  state: SortState<K>;
  onChange: (s: SortState<K>) => void;
  children: ReactNode;
}) {
  const active = state.sort === field;
  const Icon = active ? (state.order === 'asc' ? IconChevronUp : IconChevronDown) : IconSelector;
  return (
    <Table.Th aria-sort={active ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton
        onClick={() => onChange({ sort: field, order: active && state.order === 'asc' ? 'desc' : 'asc' })}
        style={{ width: '100%' }}
      >
        <Group gap={4} wrap="nowrap" justify="space-between">
          <Text fw={600} size="sm">
            {children}
          </Text>
          <Icon size={14} stroke={1.8} opacity={active ? 1 : 0.45} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
