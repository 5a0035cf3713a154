import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" mb="lg" gap="sm">
      <Stack gap={4} style={{ minWidth: 0 }}>
        <Title order={1} size="h2">{title}</Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}

/**
 * The heading of a record page: its reference (IDEA-7, EXC-12) and badges above the title,
 * and an optional line under it (children).
 */
export function RecordHeading({ reference, badges, title, children }: { reference: string; badges: ReactNode; title: ReactNode; children?: ReactNode }) {
  return (
    <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
      <Group gap={8}>
        <Text c="dimmed" ff="monospace" size="sm">
          {reference}
        </Text>
        {badges}
      </Group>
      <Title order={1} size="h2" style={{ wordBreak: 'break-word' }}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}
