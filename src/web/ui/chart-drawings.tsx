import {
  BarChart as MantineBarChart,
  CompositeChart as MantineCompositeChart,
  LineChart as MantineLineChart,
  type BarChartProps,
  type CompositeChartProps,
  type LineChartProps,
} from '@mantine/charts';

/**
 * The drawings behind the app's charts (charts.tsx, which loads this file, and the charting library
 * with it, only when a chart is on screen): Mantine's, each an image with a name. A drawing of bars and lines means
 * nothing to a screen reader, so every chart is one `role="img"` whose `label` says what it shows
 * and the figures it draws (e.g. "Share of each department that shadowed the other side, against
 * the 50% target: Loss Prevention 53%, …"). Recharts' own keyboard layer (a focusable
 * role="application" drawing) is off: inside an image it would be a tab stop with no name, and the
 * label already carries the figures. Pages import charts from here, never from '@mantine/charts'
 * (eslint.config.js holds that).
 */
export type Labelled<P> = Omit<P, 'aria-label' | 'aria-labelledby' | 'role' | 'accessibilityLayer'> & {
  /** What the chart shows, read in place of the drawing. */
  label: string;
};

export function BarChart({ label, ...props }: Labelled<BarChartProps>) {
  return <MantineBarChart {...props} role="img" aria-label={label} accessibilityLayer={false} />;
}

export function LineChart({ label, ...props }: Labelled<LineChartProps>) {
  return <MantineLineChart {...props} role="img" aria-label={label} accessibilityLayer={false} />;
}

export function CompositeChart({ label, ...props }: Labelled<CompositeChartProps>) {
  return <MantineCompositeChart {...props} role="img" aria-label={label} accessibilityLayer={false} />;
}
