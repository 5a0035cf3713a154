/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

export function validateProjectsSearch(s: Record<string, unknown>): { atGate?: string } {
  return { atGate: typeof s.atGate === 'string' || typeof s.atGate === 'boolean' ? String(s.atGate) : undefined };
}
