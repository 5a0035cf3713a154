import { SegmentedControl } from '@mantine/core';

/** The last 3, 6 or 12 months, as a string the pages keep in state and send as `months`. */
export function PeriodControl({ value, onChange }: { value: string; onChange: (months: string) => void }) {
  return (
    <SegmentedControl
      value={value}
      onChange={onChange}
      aria-label="Period"
      data={[
        { value: '3', label: '3 months' },
        { value: '6', label: '6 months' },
        { value: '12', label: '12 months' },
      ]}
    />
  );
}
