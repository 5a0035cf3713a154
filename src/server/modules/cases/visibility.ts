import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db.js';
import { can, type Actor } from '../../platform/policy.js';
import { isChainWide, storeScopeSql } from '../../platform/scope.js';

/**
 * Who sees which case and which incident, decided once, as SQL. Every list, count, search hit,
 * export, home tile, agenda figure and detail read of this module goes through these two functions,
 * so a sealed case cannot appear in one place and not another.
 *
 * Cases (module 'cases': LP and security by default):
 *  - not sealed: everyone with case access whose store scope holds the case's store (HQ people: all);
 *  - sealed (internal theft): only the lead, the named members, and LP leads in scope. Admins and
 *    IT see nothing unless they are made members (an admin adding themselves is audited and the
 *    members are told). A sealed case's existence is not revealed: 404 on a direct link.
 *
 * Incidents (module 'incidents': everyone reports):
 *  - the reporter always sees their own report;
 *  - people with case access see incidents in their store scope, except those linked to a case
 *    they may not see;
 *  - people attached to stores see their stores' reports, except internal-theft reports and tips.
 */

/** A loss-prevention lead: sees sealed cases in their scope. */
export function isLpLead(actor: Actor): boolean {
  return actor.via !== 'system' && actor.role === 'lead' && actor.department?.kind === 'lp' && can(actor, 'cases:read');
}

const ident = (alias: string) => sql.raw(alias);

/** The condition over a `cases` row named `alias` (e.g. `"cases"` in Drizzle queries, `c` in hand-written ones). */
export function caseVisibleSql(actor: Actor, alias = '"cases"'): SQL {
  if (actor.via === 'system') return sql`true`;
  if (!can(actor, 'cases:read')) return sql`false`;
  const a = ident(alias);
  const inStores = storeScopeSql(actor, sql`${a}.store_id`);
  const member = sql`(${a}.lead_id = ${actor.id}::uuid or exists (select 1 from case_members cm where cm.case_id = ${a}.id and cm.person_id = ${actor.id}::uuid))`;
  const lpLead = isLpLead(actor) ? sql`(${a}.sealed and ${inStores})` : sql`false`;
  return sql`((not ${a}.sealed and ${inStores}) or ${member} or ${lpLead})`;
}

/** The condition over an `incidents` row named `alias`. */
export function incidentVisibleSql(actor: Actor, alias = '"incidents"'): SQL {
  if (actor.via === 'system') return sql`true`;
  if (!can(actor, 'incidents:read')) return sql`false`;
  const a = ident(alias);
  const own = sql`${a}.reporter_id = ${actor.id}::uuid`;
  const inStores = storeScopeSql(actor, sql`${a}.store_id`);
  const investigators = can(actor, 'cases:read')
    ? sql`(${inStores} and (${a}.case_id is null or exists (select 1 from cases vc where vc.id = ${a}.case_id and ${caseVisibleSql(actor, 'vc')})))`
    : sql`false`;
  const storePeople = isChainWide(actor) ? sql`false` : sql`(${inStores} and ${a}.source = 'report' and ${a}.type <> 'internal_theft')`;
  return sql`(${own} or ${investigators} or ${storePeople})`;
}

/** Rows of a hand-written query, on PGlite and node-postgres alike. */
export async function rows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (Array.isArray(result) ? result : (result as unknown as { rows: T[] }).rows) as T[];
}
