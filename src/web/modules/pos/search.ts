/** What this module's pages keep in the address (search params), checked by the router before the page loads. */
import { PEER_GROUPS, type PeerGroup } from '../../../contracts/pos-groups';

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

/** A date range in the address (`from`, `to`: YYYY-MM-DD), so a report for a period can be shared. */
export interface DateRangeSearch {
  from?: string;
  to?: string;
}
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
export function validateDateRangeSearch(s: Record<string, unknown>): DateRangeSearch {
  return { from: isDay(s.from) ? s.from : undefined, to: isDay(s.to) ? s.to : undefined };
}

/** Who to look at: the period and the peer group. */
export interface RankingSearch extends DateRangeSearch {
  group?: PeerGroup;
}
export function validateRankingSearch(s: Record<string, unknown>): RankingSearch {
  return {
    ...validateDateRangeSearch(s),
    group: PEER_GROUPS.includes(s.group as PeerGroup) ? (s.group as PeerGroup) : undefined,
  };
}
