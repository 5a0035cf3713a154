import { ActionIcon, Tooltip, useMantineColorScheme } from '@mantine/core';
import { IconDeviceDesktop, IconMoon, IconSun } from '@tabler/icons-react';

const NEXT = { auto: 'light', light: 'dark', dark: 'auto' } as const;
const LABEL = { auto: 'Colours follow the system', light: 'Light colours', dark: 'Dark colours' } as const;

/** Light, dark, or the system's setting (the default); the choice is kept in this browser. */
export function ColorSchemeToggle() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const next = NEXT[colorScheme];
  const label = `${LABEL[colorScheme]}. Switch to: ${LABEL[next].toLowerCase()}`;
  const Icon = colorScheme === 'auto' ? IconDeviceDesktop : colorScheme === 'dark' ? IconMoon : IconSun;
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label} onClick={() => setColorScheme(next)} data-testid="color-scheme">
        <Icon size={20} stroke={1.7} />
      </ActionIcon>
    </Tooltip>
  );
}
