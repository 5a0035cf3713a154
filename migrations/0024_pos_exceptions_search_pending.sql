-- The exceptions' search index (GIN) gathers new entries in a pending list and merges it into the
-- index when the list reaches gin_pending_list_limit (4 MB by default): about 7,000 exceptions at a
-- time, a merge that took one insert of an import 100-220 ms. On PGlite that is a stall of the
-- whole instance. 64 kB merges a hundred or so at a time, spread over the inserts.
ALTER INDEX "pos_exceptions_search_idx" SET (gin_pending_list_limit = 64);
