import { Badge } from '@mantine/core';

const PERSON_STATUS = {
  active: { color: 'teal', label: 'Active' },
  invited: { color: 'yellow', label: 'Invited' },
  deactivated: { color: 'gray', label: 'Deactivated' },
} as const;

export function PersonStatusBadge({ status }: { status: keyof typeof PERSON_STATUS }) {
  const s = PERSON_STATUS[status];
  return (
    <Badge variant="light" color={s.color} size="sm">
      {s.label}
    </Badge>
  );
}

export function ActiveBadge({ active }: { active: boolean }) {
  return (
    <Badge variant="light" color={active ? 'teal' : 'gray'} size="sm">
      {active ? 'Active' : 'Inactive'}
    </Badge>
  );
}
