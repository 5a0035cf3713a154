/** What this module's pages keep in the address (search params), checked by the router before the page loads. */
import { CASE_STATUSES, INCIDENT_STATUSES, type CaseStatus, type IncidentStatus } from '../../../contracts/case-statuses';

export interface CaseNewSearch {
  incident?: string;
  exception?: string;
  cashier?: string;
}
export function validateCaseNewSearch(s: Record<string, unknown>): CaseNewSearch {
  const str = (v: unknown) => (typeof v === 'string' && v.length <= 60 ? v : undefined);
  return { incident: str(s.incident), exception: str(s.exception), cashier: str(s.cashier) };
}

export interface CasesSearch {
  status?: CaseStatus | 'active';
  mine?: 'true';
}
export function validateCasesSearch(s: Record<string, unknown>): CasesSearch {
  return {
    status: typeof s.status === 'string' && ([...CASE_STATUSES, 'active'] as string[]).includes(s.status) ? (s.status as CaseStatus) : undefined,
    mine: s.mine === 'true' ? 'true' : undefined,
  };
}

export interface IncidentsSearch {
  status?: IncidentStatus | 'open';
  mine?: 'true';
}
export function validateIncidentsSearch(s: Record<string, unknown>): IncidentsSearch {
  return {
    status: typeof s.status === 'string' && ([...INCIDENT_STATUSES, 'open'] as string[]).includes(s.status) ? (s.status as IncidentStatus) : undefined,
    mine: s.mine === 'true' ? 'true' : undefined,
  };
}
