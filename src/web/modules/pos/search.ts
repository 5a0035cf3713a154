/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

export interface PosSettingsSearch {
  tab?: 'scoring' | 'video';
  storeId?: string;
}
export function validatePosSettingsSearch(s: Record<string, unknown>): PosSettingsSearch {
  return {
    tab: s.tab === 'video' || s.tab === 'scoring' ? s.tab : undefined,
    storeId: typeof s.storeId === 'string' && s.storeId ? s.storeId : undefined,
  };
}

/** The list page keeps every list parameter in the URL (src/web/ui/list.tsx). */
export { listSearch as validateExceptionsSearch } from '../../ui/list-search';
