import { Group, Paper, RingProgress, Stack, Text } from '@mantine/core';
import { BENCHMARK_PERCENT, BENCHMARK_SOURCE, fiscalYearOf } from '../../../contracts/budget';
import { formatMoney } from '../../ui/format';

export const currentFiscalYear = () => fiscalYearOf(new Date());
export const yearOptions = (years: number[]) => {
  const all = [...new Set([...years, currentFiscalYear(), currentFiscalYear() + 1])].sort((a, b) => b - a);
  return all.map((y) => ({ value: String(y), label: `FY${y} (Feb ${y} – Jan ${y + 1})` }));
};

/** The headline: share of the IT budget on LP priorities against the 8.3 % benchmark, with its source. */
export function ShareHeadline({ fiscalYear, lpPercent, lpCents, totalCents }: { fiscalYear: number; lpPercent: number; lpCents: number; totalCents: number }) {
  const above = lpPercent >= BENCHMARK_PERCENT;
  return (
    <Paper p="md" data-testid="share-headline">
      <Group wrap="nowrap" align="center">
        <RingProgress
          size={120}
          thickness={12}
          roundCaps
          sections={[{ value: Math.min(100, lpPercent), color: above ? 'teal.6' : 'orange.6' }]}
          label={
            <Text ta="center" fw={700} size="lg">
              {lpPercent} %
            </Text>
          }
          aria-label={`${lpPercent} % of the IT budget serves LP priorities`}
        />
        <Stack gap={4}>
          <Text fw={700} size="lg">
            FY{fiscalYear}: {lpPercent} % of the IT budget serves LP priorities
          </Text>
          <Text size="sm">
            {formatMoney(lpCents)} of {formatMoney(totalCents)} · benchmark {BENCHMARK_PERCENT} % ({above ? 'above' : 'below'} it by {Math.abs(Math.round((lpPercent - BENCHMARK_PERCENT) * 10) / 10)} points)
          </Text>
          <Text size="xs" c="dimmed">
            Benchmark: {BENCHMARK_SOURCE}.
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
