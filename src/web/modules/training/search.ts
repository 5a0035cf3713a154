/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

export interface SessionNewSearch {
  host?: string;
  guest?: string;
  skills?: string;
  store?: string;
}

export function validateSessionNewSearch(s: Record<string, unknown>): SessionNewSearch {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { host: str(s.host), guest: str(s.guest), skills: str(s.skills), store: str(s.store) };
}
