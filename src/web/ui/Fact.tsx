import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A labelled value in a record's side panel ("Store", "Owner", "Raised"…). */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </div>
  );
}
