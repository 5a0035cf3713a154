/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

/** The actions list keeps every list parameter in the URL (`mine`, `overdue`, `status`, `q`, sort, page). */
export { listSearch as validateActionsSearch } from '../../ui/list-search';
