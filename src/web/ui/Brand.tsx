import { Group, Text, ThemeIcon } from '@mantine/core';

/** The Tandem mark and name (header and the signed-out pages). */
export function Brand() {
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={30} radius="md" variant="gradient" aria-hidden gradient={{ from: 'indigo.7', to: 'teal.8', deg: 135 }}>
        <Text fw={800} size="md" c="white" lh={1}>
          T
        </Text>
      </ThemeIcon>
      <Text fw={700} size="lg" style={{ letterSpacing: '-0.01em' }}>
        Tandem
      </Text>
    </Group>
  );
}
