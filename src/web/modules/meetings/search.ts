/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

export interface ActionsSearch {
  mine?: boolean;
  overdue?: boolean;
}
export function validateActionsSearch(s: Record<string, unknown>): ActionsSearch {
  const flag = (v: unknown) => (v === true || v === 'true' ? true : undefined);
  return { mine: flag(s.mine), overdue: flag(s.overdue) };
}
