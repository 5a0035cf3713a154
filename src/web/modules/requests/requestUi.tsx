import { Badge, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { REQUEST_STATUS_LABELS, type RequestPriority, type RequestStatus, type RequestType, type TandemRequest } from '../../../contracts/requests';
import { get } from '../../api';
import { formatDate, formatDateTime, formatDay } from '../../ui/format';

export const STATUS_COLORS: Record<RequestStatus, string> = {
  new: 'blue',
  accepted: 'indigo',
  in_progress: 'violet',
  done: 'teal',
  declined: 'red',
  cancelled: 'gray',
};
export const PRIORITY_COLORS: Record<string, string> = { P1: 'red', P2: 'orange', P3: 'blue', P4: 'gray' };

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  return (
    <Badge variant="light" color={STATUS_COLORS[status]} size="sm" data-testid="request-status">
      {REQUEST_STATUS_LABELS[status]}
    </Badge>
  );
}

export function PriorityBadge({ code, name }: { code: string; name?: string }) {
  return (
    <Badge variant={code === 'P1' ? 'filled' : 'light'} color={PRIORITY_COLORS[code] ?? 'gray'} size="sm">
      {name ? `${code} · ${name}` : code}
    </Badge>
  );
}

/** Which clock is late, in words on the badge itself (phones show no tooltips). */
const REASON_SHORT = { response: 'Response late', resolution: 'Resolution late', due_date: 'Past due date' } as const;
const REASON_TEXT = { response: 'no first response within the target', resolution: 'resolution target passed', due_date: 'due date passed' } as const;

export function OverdueBadge({ request }: { request: Pick<TandemRequest, 'overdue' | 'overdueReasons'> }) {
  if (!request.overdue) return null;
  return (
    <Badge variant="filled" color="red" size="sm" leftSection={<IconAlertTriangle size={11} />} data-testid="overdue" aria-label={`Overdue: ${request.overdueReasons.map((r) => REASON_TEXT[r]).join('; ')}`}>
      {request.overdueReasons.map((r) => REASON_SHORT[r]).join(' · ')}
    </Badge>
  );
}

const CLOSED: RequestStatus[] = ['done', 'declined', 'cancelled'];
const late = (iso: string, now: number) => formatMinutes((now - Date.parse(iso)) / 60_000);

/**
 * The request's clocks in words, one line each, the late ones first and in red:
 * "First response overdue by 3 h", "Resolution due 4 Dec 2026, 17:00". Phones show it as it is (no tooltip).
 */
export function clockLines(r: Pick<TandemRequest, 'status' | 'overdueReasons' | 'firstResponseAt' | 'responseDueAt' | 'resolutionDueAt' | 'dueDate'>, now = Date.now()) {
  if (CLOSED.includes(r.status)) return [];
  const lines: Array<{ text: string; late: boolean }> = [];
  if (r.overdueReasons.includes('response')) lines.push({ text: `First response overdue by ${late(r.responseDueAt, now)}`, late: true });
  if (r.overdueReasons.includes('resolution')) lines.push({ text: `Resolution overdue by ${late(r.resolutionDueAt, now)}`, late: true });
  if (r.overdueReasons.includes('due_date') && r.dueDate) lines.push({ text: `Past its due date, ${formatDay(r.dueDate)}`, late: true });
  if (!r.firstResponseAt && !r.overdueReasons.includes('response')) lines.push({ text: `First response due ${formatDateTime(r.responseDueAt)}`, late: false });
  if (!r.overdueReasons.includes('resolution')) lines.push({ text: r.dueDate && !r.overdueReasons.includes('due_date') ? `Due ${formatDate(r.dueDate)}` : `Resolution due ${formatDateTime(r.resolutionDueAt)}`, late: false });
  return lines;
}

/** The request's clocks in words (see clockLines). */
export function LateClock({ request, size = 'xs' }: { request: Parameters<typeof clockLines>[0]; size?: 'xs' | 'sm' }) {
  const lines = clockLines(request);
  if (lines.length === 0) return null;
  return (
    <Stack gap={0} data-testid="request-clock">
      {lines.map((l) => (
        <Text key={l.text} size={size} c={l.late ? 'red' : 'dimmed'} fw={l.late ? 600 : undefined}>
          {l.text}
        </Text>
      ))}
    </Stack>
  );
}

/** "3 h 20 min", "2 d 4 h": durations people read at a glance. */
export function formatMinutes(min: number | null | undefined): string {
  if (min === null || min === undefined) return '—';
  const m = Math.max(0, Math.round(min));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export const formatHours = (h: number | null | undefined) => (h === null || h === undefined ? '—' : formatMinutes(h * 60));

export function usePriorities() {
  return useQuery({ queryKey: ['/api/request-priorities'], queryFn: () => get<{ items: RequestPriority[] }>('/api/request-priorities').then((r) => r.items), staleTime: 60_000 });
}

export function useRequestTypes(departmentId: string | null, includeInactive = false) {
  return useQuery({
    queryKey: ['/api/request-types', departmentId, includeInactive],
    queryFn: () => get<{ items: RequestType[] }>('/api/request-types', { departmentId: departmentId ?? undefined, includeInactive: includeInactive ? 'true' : undefined }).then((r) => r.items),
    enabled: departmentId !== null || includeInactive,
    staleTime: 30_000,
  });
}

export const priorityOptions = (items: RequestPriority[] | undefined) =>
  (items ?? []).map((p) => ({ value: p.code, label: `${p.code} · ${p.name}` }));

export const priorityTargetsText = (p: RequestPriority | undefined) => (p ? `Respond within ${formatMinutes(p.responseMinutes)}, resolve within ${formatMinutes(p.resolutionMinutes)}` : undefined);
