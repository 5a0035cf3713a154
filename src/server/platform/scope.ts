import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { accessAtLeast, type ModuleAccess, type ModuleKey } from '../../contracts/policy.js';
import { forbidden, notFound } from './errors.js';
import type { Actor } from './policy.js';

/**
 * Scope: which modules a person's department may read or work in, and which stores the person
 * sees. Resolved onto the Actor at sign-in time (platform/identity.ts); modules ask here, and apply
 * the store condition in SQL so lists, counts, charts, exports, search and home tiles agree.
 */

export type { ModuleAccess, ModuleKey };

/** 'none' | 'read' | 'work' for this actor in this module (admins and the system: work). */
export function moduleAccess(actor: Actor, module: ModuleKey): ModuleAccess {
  if (actor.via === 'system' || actor.role === 'admin') return 'work';
  return actor.access[module] ?? 'none';
}

/** Throws 403 unless the actor's department holds at least `level` in `module`. */
export function assertModuleAccess(actor: Actor, module: ModuleKey, level: 'read' | 'work'): void {
  if (!accessAtLeast(moduleAccess(actor, module), level)) throw forbidden();
}

/** True when the actor sees the whole chain (HQ people, admins, the system). */
export function isChainWide(actor: Actor): boolean {
  return actor.via === 'system' || actor.storeIds === null;
}

/** Whether a store's record is in the actor's scope. A record without a store is chain-level: HQ only. */
export function inStoreScope(actor: Actor, storeId: string | null | undefined): boolean {
  if (isChainWide(actor)) return true;
  return !!storeId && actor.storeIds!.includes(storeId);
}

/** 404 (not 403: the record's existence is not revealed) unless the store is in scope. */
export function assertStoreScope(actor: Actor, storeId: string | null | undefined, what = 'Record'): void {
  if (!inStoreScope(actor, storeId)) throw notFound(what);
}

/**
 * The store condition as a Drizzle `sql` fragment: `true` for chain-wide people,
 * `<column> in (<their stores>)` for people attached to stores (`false` if they have none).
 * Example: `.where(and(filters, storeScopeSql(actor, pos.storeId)))` or `sql\`… and ${storeScopeSql(actor, sql\`e.store_id\`)}\``.
 */
export function storeScopeSql(actor: Actor, storeIdColumn: SQLWrapper): SQL {
  if (isChainWide(actor)) return sql`true`;
  if (!actor.storeIds!.length) return sql`false`;
  return sql`${storeIdColumn} in (${sql.join(actor.storeIds!.map((id) => sql`${id}::uuid`), sql`, `)})`;
}

/**
 * The same condition for hand-written positional SQL (`$1, $2, …`): appends the store ids to
 * `params` and returns the text, e.g. `where ${storeScopeText(actor, 'e.store_id', params)}`.
 */
export function storeScopeText(actor: Actor, storeIdColumn: string, params: unknown[]): string {
  if (isChainWide(actor)) return 'true';
  if (!actor.storeIds!.length) return 'false';
  return `${storeIdColumn} = any($${params.push(actor.storeIds)}::uuid[])`;
}

/**
 * Colleagues: whose personal records (skill ratings, certifications, shadowing sessions) a person
 * sees and manages. Everyone sees their own and their department's; leads manage their own
 * department's; admins and the system see and manage everyone. `person(column)` is the SQL form.
 */
export function colleagueScope(actor: Actor) {
  const all = actor.via === 'system' || actor.role === 'admin';
  const departmentId = actor.departmentId;
  return {
    all,
    /** SQL condition that a person id (any column or expression) is visible; undefined = everyone. */
    person(idColumn: SQLWrapper): SQL | undefined {
      if (all) return undefined;
      if (!departmentId) return sql`${idColumn} = ${actor.id}`;
      return sql`(${idColumn} = ${actor.id} or ${idColumn} in (select vp.id from people vp where vp.department_id = ${departmentId}))`;
    },
    sees(person: { id: string; departmentId: string | null }) {
      return all || person.id === actor.id || (departmentId !== null && person.departmentId === departmentId);
    },
    manages(person: { id: string; departmentId: string | null }) {
      return all || (actor.role === 'lead' && departmentId !== null && person.departmentId === departmentId);
    },
  };
}
