/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

export const validateSearchPage = (s: Record<string, unknown>): { q?: string } => ({ q: typeof s.q === 'string' && s.q ? s.q : undefined });
