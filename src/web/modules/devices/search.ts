/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

/** The list page keeps every list parameter in the URL (src/web/ui/list.tsx). */
export { listSearch as validateFindingsSearch } from '../../ui/list-search';
