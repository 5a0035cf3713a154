import { Badge, Button, type BadgeProps, type ButtonProps } from '@mantine/core';
import { createLink, type LinkComponent } from '@tanstack/react-router';
import { forwardRef, type AnchorHTMLAttributes } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  INCIDENT_STATUS_LABELS,
  INCIDENT_TYPE_LABELS,
  type CaseOutcome,
  type CaseStatus,
  type IncidentStatus,
  type IncidentType,
} from '../../../contracts/cases';
import { ApiRequestError } from '../../api';

const INCIDENT_STATUS_COLORS: Record<IncidentStatus, string> = { new: 'blue', triaged: 'yellow', linked: 'teal', closed: 'gray' };
const CASE_STATUS_COLORS: Record<CaseStatus, string> = { open: 'blue', on_hold: 'yellow', closed: 'gray' };
const OUTCOME_COLORS: Record<CaseOutcome, string> = { substantiated: 'red', unsubstantiated: 'green', inconclusive: 'gray' };

export function IncidentStatusBadge({ status, ...rest }: { status: IncidentStatus } & BadgeProps) {
  return (
    <Badge variant="light" color={INCIDENT_STATUS_COLORS[status]} {...rest}>
      {INCIDENT_STATUS_LABELS[status]}
    </Badge>
  );
}

export function CaseStatusBadge({ status, ...rest }: { status: CaseStatus } & BadgeProps) {
  return (
    <Badge variant="light" color={CASE_STATUS_COLORS[status]} {...rest}>
      {CASE_STATUS_LABELS[status]}
    </Badge>
  );
}

export function OutcomeBadge({ outcome }: { outcome: CaseOutcome | null }) {
  if (!outcome) return null;
  return (
    <Badge variant="outline" color={OUTCOME_COLORS[outcome]}>
      {CASE_OUTCOME_LABELS[outcome]}
    </Badge>
  );
}

export function SealedBadge({ sealed }: { sealed: boolean }) {
  if (!sealed) return null;
  return (
    <Badge color="red" variant="filled" title="Internal theft: visible to the case members and LP leads only">
      Restricted
    </Badge>
  );
}

export const typeLabel = (t: IncidentType) => INCIDENT_TYPE_LABELS[t];

/** Dollars typed in a form ("129.99", "1,200") to cents; null when empty or not a number. */
export function toCents(text: string): number | null {
  const clean = text.replace(/[$,\s]/g, '');
  if (!clean) return 0;
  if (!/^\d+(\.\d{0,2})?$/.test(clean)) return null;
  return Math.round(Number(clean) * 100);
}
export const fromCents = (cents: number) => (cents ? (cents / 100).toFixed(2) : '');

export function useInvalidateCases() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['/api/cases'] });
    void qc.invalidateQueries({ queryKey: ['/api/incidents'] });
    void qc.invalidateQueries({ queryKey: ['case'] });
    void qc.invalidateQueries({ queryKey: ['incident'] });
  };
}

/**
 * Sends a file as the raw request body (streamed by the browser), with the CSRF-safe same-origin
 * fetch the API client uses. Returns the parsed JSON answer.
 */
export async function uploadFile<T>(path: string, file: File, query: Record<string, string | undefined>): Promise<T> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  let res: Response;
  try {
    res = await fetch(`${path}?${params.toString()}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/octet-stream', accept: 'application/json' }, body: file });
  } catch {
    throw new ApiRequestError(0, 'network', 'Cannot reach the Tandem server. Check your connection and try again.');
  }
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; problems?: { field: string; message: string }[] } } | null;
  if (!res.ok) throw new ApiRequestError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? `Upload failed (${res.status})`, body?.error?.problems ?? []);
  return body as T;
}

export const formatBytes = (n: number | null) =>
  n == null ? '—' : n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;

type ButtonAnchorProps = ButtonProps & AnchorHTMLAttributes<HTMLAnchorElement>;
const ButtonAnchor = forwardRef<HTMLAnchorElement, ButtonAnchorProps>((props, ref) => <Button component="a" ref={ref} {...props} />);
ButtonAnchor.displayName = 'CaseButtonAnchor';
const CreatedButtonLink = createLink(ButtonAnchor);
/** A Mantine Button that is a type-safe router link. */
export const ButtonLink: LinkComponent<typeof ButtonAnchor> = (props) => <CreatedButtonLink preload={false} {...props} />;
