import { Badge, Group, Tabs } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate } from '@tanstack/react-router';
import type { Person } from '../../../contracts/people';
import { LEVEL_LABELS, type Session, type Skill } from '../../../contracts/training';
import { get, getAll } from '../../api';
import { useCan } from '../../ui/me';

/** Cell colours from "not trained" to "can teach" (light to dark; text stays readable on each). */
export const LEVEL_COLORS = ['#f1f3f5', '#d0ebff', '#74c0fc', '#1c7ed6', '#0b4f8a'] as const;
export const LEVEL_TEXT = ['#495057', '#1c3d5a', '#0b2a45', '#ffffff', '#ffffff'] as const;

export const levelLabel = (level: number | null) => (level === null ? 'Not rated' : `${level} — ${LEVEL_LABELS[level]}`);
export const levelOptions = LEVEL_LABELS.map((label, level) => ({ value: String(level), label: `${level} — ${label}` }));

export function PhaseBadge({ phase }: { phase: Session['phase'] }) {
  const s = { upcoming: { color: 'blue', label: 'Upcoming' }, done: { color: 'teal', label: 'Done' }, cancelled: { color: 'gray', label: 'Cancelled' } }[phase];
  return (
    <Badge variant="light" color={s.color} size="sm">
      {s.label}
    </Badge>
  );
}

export function ResponseBadge({ response }: { response: 'pending' | 'accepted' | 'declined' }) {
  const s = { pending: { color: 'yellow', label: 'Not answered' }, accepted: { color: 'teal', label: 'Accepted' }, declined: { color: 'red', label: 'Declined' } }[response];
  return (
    <Badge variant="light" color={s.color} size="sm">
      {s.label}
    </Badge>
  );
}

export function useSkills() {
  return useQuery({ queryKey: ['/api/training/skills'], queryFn: ({ signal }) => get<{ items: Skill[] }>('/api/training/skills', undefined, signal), staleTime: 60_000 });
}

export function useActivePeople(enabled = true) {
  return useQuery({ queryKey: ['/api/people', 'active'], queryFn: () => getAll<Person>('/api/people', { status: 'active', sort: 'name' }), staleTime: 60_000, enabled });
}

const TABS = [
  { to: '/training', label: 'My skills', permission: 'training:read' },
  { to: '/training/heatmap', label: 'Heatmap', permission: 'training:read' },
  { to: '/training/sessions', label: 'Sessions', permission: 'training:read' },
  { to: '/training/pairings', label: 'Pairings', permission: 'training:plan' },
  { to: '/training/confirm', label: 'Confirm ratings', permission: 'training:confirm' },
  { to: '/training/coverage', label: 'Coverage', permission: 'training:read' },
] as const;

/** The module's sub-navigation, shown on each cross-training page. */
export function TrainingTabs() {
  const location = useLocation();
  const navigate = useNavigate();
  const canPlan = useCan('training:plan');
  const canConfirm = useCan('training:confirm');
  const visible = TABS.filter((t) => (t.permission === 'training:plan' ? canPlan : t.permission === 'training:confirm' ? canConfirm : true));
  const active = [...visible].reverse().find((t) => location.pathname === t.to || location.pathname.startsWith(`${t.to}/`))?.to ?? '/training';
  return (
    <Group mb="md">
      <Tabs value={active} onChange={(v) => v && void navigate({ to: v })} variant="pills" radius="xl">
        <Tabs.List style={{ flexWrap: 'wrap' }}>
          {visible.map((t) => (
            <Tabs.Tab key={t.to} value={t.to}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
    </Group>
  );
}
