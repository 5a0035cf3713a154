import { Box, Group, Stack, Text, type MantineSpacing, type StyleProp } from '@mantine/core';
import type { BarChartProps, CompositeChartProps, LineChartProps } from '@mantine/charts';
import { lazy, Suspense, type ComponentType } from 'react';
import type { Labelled } from './chart-drawings';

/**
 * The app's charts: each an image with a name (chart-drawings.tsx). The charting library is large
 * and no page needs it to show its text, so it loads with the first chart on screen: until then the
 * chart's place is held at its height (nothing moves when it arrives) and already carries its name.
 * Pages import charts from here, never from '@mantine/charts' (eslint.config.js holds that).
 */
function onDemand<P extends { label: string; h?: StyleProp<React.CSSProperties['height']>; mt?: StyleProp<MantineSpacing> }>(load: () => Promise<{ default: ComponentType<P> }>) {
  const Drawing = lazy(load);
  return function Chart(props: P) {
    return (
      <Suspense fallback={<Box role="img" aria-label={props.label} h={props.h} mt={props.mt} />}>
        <Drawing {...props} />
      </Suspense>
    );
  };
}

export const BarChart = onDemand<Labelled<BarChartProps>>(() => import('./chart-drawings').then((m) => ({ default: m.BarChart })));
export const LineChart = onDemand<Labelled<LineChartProps>>(() => import('./chart-drawings').then((m) => ({ default: m.LineChart })));
export const CompositeChart = onDemand<Labelled<CompositeChartProps>>(() => import('./chart-drawings').then((m) => ({ default: m.CompositeChart })));

/**
 * A few labelled bars drawn with plain elements, no charting library: for a short summary on a page
 * that should show at once (My work's people per department). One image with a name, like the charts.
 */
export function BarList({ label, data, color = 'indigo' }: { label: string; data: { name: string; value: number }[]; color?: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  return (
    <Stack role="img" aria-label={label} gap={8}>
      {data.map((d) => (
        <Group key={d.name} gap="sm" wrap="nowrap" aria-hidden>
          <Text size="xs" c="dimmed" ta="right" w={120} lh={1.2} style={{ flexShrink: 0 }}>
            {d.name}
          </Text>
          <Group gap={6} wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
            <Box h={24} w={`${(d.value / max) * 85}%`} miw={d.value ? 4 : 0} bg={`var(--mantine-color-${color}-filled)`} style={{ borderRadius: 'var(--mantine-radius-sm)' }} />
            <Text size="xs" fw={600}>
              {d.value}
            </Text>
          </Group>
        </Group>
      ))}
    </Stack>
  );
}
