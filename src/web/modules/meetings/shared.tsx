import { Badge, Group, Tabs } from '@mantine/core';
import { useLocation, useNavigate } from '@tanstack/react-router';
import type { MeetingAction } from '../../../contracts/meetings';

const TABS = [
  { to: '/meetings', label: 'Meeting series' },
  { to: '/meetings/actions', label: 'Actions' },
] as const;

/** The module's sub-navigation. */
export function MeetingsTabs() {
  const location = useLocation();
  const navigate = useNavigate();
  const active = location.pathname.startsWith('/meetings/actions') ? '/meetings/actions' : '/meetings';
  return (
    <Group mb="md">
      <Tabs value={active} onChange={(v) => v && void navigate({ to: v })} variant="pills" radius="xl">
        <Tabs.List style={{ flexWrap: 'wrap' }}>
          {TABS.map((t) => (
            <Tabs.Tab key={t.to} value={t.to}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
    </Group>
  );
}

export function ActionStatusBadge({ action }: { action: Pick<MeetingAction, 'status' | 'overdue'> }) {
  if (action.status === 'done') return <Badge color="teal" variant="light">Done</Badge>;
  if (action.overdue) return <Badge color="red" variant="light">Overdue</Badge>;
  return <Badge color="blue" variant="light">Open</Badge>;
}

/** `2026-12-08T14:00` → `2026-12-08 14:00`. */
export const localText = (local: string) => local.replace('T', ' ');
export const zoneText = (tz: string) => tz.split('/').pop()?.replace(/_/g, ' ') ?? tz;
