/** The list URL helpers, without React or Mantine: the router imports them before any page loads. */

/** The list's URL state as text: what a saved view stores. */
export type ListParams = Record<string, string>;

/** URL search values as text (the router parses `true` and `42` into JSON values). */
export function asText(search: Record<string, unknown>): ListParams {
  const out: ListParams = {};
  for (const [k, v] of Object.entries(search)) {
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** Text back to the URL's JSON-ish values, so links read `?overdue=true&page=2`, not `%22true%22`. */
export function toUrl(params: ListParams): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === 'true' || v === 'false') out[k] = v === 'true';
    else if (/^-?\d{1,15}$/.test(v) && String(Number(v)) === v) out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}

/** Routes that declare `validateSearch` keep every list parameter with this. */
export function listSearch(search: Record<string, unknown>): Record<string, string | number | boolean> {
  return toUrl(asText(search));
}

