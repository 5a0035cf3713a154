/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

export interface RequestsSearch {
  direction?: 'from' | 'to';
  status?: string;
  overdue?: boolean;
  assignee?: string;
}

export function validateRequestsSearch(s: Record<string, unknown>): RequestsSearch {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const direction = s.direction === 'from' || s.direction === 'to' ? s.direction : undefined;
  return { direction, status: str(s.status), overdue: s.overdue === true || s.overdue === 'true' ? true : undefined, assignee: str(s.assignee) };
}
