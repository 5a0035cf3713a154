/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

export interface RequestsSearch {
  direction?: 'from' | 'to';
  status?: string;
  overdue?: boolean;
  assignee?: string;
}


/** The list page keeps every list parameter in the URL (src/web/ui/list.tsx). */
export { listSearch as validateRequestsSearch } from '../../ui/list-search';
