/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

/** The projects list keeps every list parameter in the URL (`atGate`, `stage`, `type`, `q`, sort, page). */
export { listSearch as validateProjectsSearch } from '../../ui/list-search';
