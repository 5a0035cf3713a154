import type { SearchHit, SearchResult } from '../../contracts/search.js';
import type { AppContext } from './context.js';
import type { Actor } from './policy.js';

/** The query as providers need it: words for full-text search, and reference matching. */
export interface SearchTerms {
  /** The trimmed text as typed. */
  text: string;
  /** Lower-case words (letters and digits only). */
  words: string[];
  /**
   * Every word as a prefix, all required, for `to_tsquery('simple', …)`: "cam reg" → `cam:* & reg:*`.
   * Null when the text has no word.
   */
  tsquery: string | null;
  /**
   * A short reference of this prefix: "REQ-42" → { digits: '42', exact: 42 }; "REQ-" or "req" → { digits: '' }
   * (every record of the kind, newest first); a bare "42" matches every prefix. Undefined otherwise.
   * `prefixed` is true when the text names this kind ("REQ…"): then it is a reference, not words to look for.
   */
  ref(prefix: string): { digits: string; exact: number | null; prefixed: boolean } | undefined;
}

/**
 * A module's contribution to global search. `search` returns only records the actor may see, with
 * the same visibility condition as the module's list (so scope rules apply to search too), and at
 * most `limit` hits, best first. Return [] when the actor may not use the module at all.
 */
export interface SearchProvider {
  /** Stable key, e.g. 'requests'. */
  kind: string;
  /** Group heading, e.g. 'Requests'. */
  label: string;
  /** Where the group appears among others (lower first). */
  order: number;
  search(ctx: AppContext, actor: Actor, terms: SearchTerms, limit: number): Promise<SearchHit[]>;
}

const providers = new Map<string, SearchProvider>();

export function registerSearchProvider(provider: SearchProvider) {
  providers.set(provider.kind, provider);
}

export function searchProviders() {
  return [...providers.values()].sort((a, b) => a.order - b.order);
}

export function searchTerms(text: string): SearchTerms {
  const trimmed = text.trim();
  const words = [...new Set((trimmed.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(Boolean))].slice(0, 8);
  return {
    text: trimmed,
    words,
    tsquery: words.length ? words.map((w) => `${w}:*`).join(' & ') : null,
    ref(prefix) {
      const m = new RegExp(`^(?:${prefix}-?|(?=\\d))(\\d{0,9})$`, 'i').exec(trimmed);
      if (!m) return undefined;
      return { digits: m[1], exact: m[1] ? Number(m[1]) : null, prefixed: !/^\d/.test(trimmed) };
    },
  };
}

/** Every provider, in parallel; each group holds what that provider found for this person. */
export async function searchAll(ctx: AppContext, actor: Actor, text: string, limit: number): Promise<SearchResult> {
  const terms = searchTerms(text);
  const list = searchProviders();
  const found = await Promise.all(list.map((p) => p.search(ctx, actor, terms, limit)));
  return {
    q: terms.text,
    groups: list.map((p, i) => ({ kind: p.kind, label: p.label, items: found[i].slice(0, limit) })).filter((g) => g.items.length > 0),
  };
}
