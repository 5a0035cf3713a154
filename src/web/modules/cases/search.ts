/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

export interface CaseNewSearch {
  incident?: string;
  exception?: string;
  cashier?: string;
}
export function validateCaseNewSearch(s: Record<string, unknown>): CaseNewSearch {
  const str = (v: unknown) => (typeof v === 'string' && v.length <= 60 ? v : undefined);
  return { incident: str(s.incident), exception: str(s.exception), cashier: str(s.cashier) };
}

/** The cases and incidents lists keep every list parameter in the URL (src/web/ui/list.tsx). */
export { listSearch as validateCasesSearch, listSearch as validateIncidentsSearch } from '../../ui/list-search';
