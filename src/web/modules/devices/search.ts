/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

const optional = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
export function validateFindingsSearch(s: Record<string, unknown>): { severity?: string; state?: string; rule?: string; storeId?: string } {
  return { severity: optional(s.severity), state: optional(s.state), rule: optional(s.rule), storeId: optional(s.storeId) };
}
