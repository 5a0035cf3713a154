import { eq, sql, type SQL } from 'drizzle-orm';
import { moduleAccessMap, MODULE_KEYS, type ModuleAccess, type ModuleAccessMap } from '../../contracts/policy.js';
import type { DepartmentKind, Role } from '../../contracts/roles.js';
import type { DbOrTx } from './db.js';
import { departments, people } from './identity-schema.js';
import type { Actor } from './policy.js';

/**
 * Identity: the person behind a session or an API token, resolved once per request into the
 * Actor every service receives: role, department (id, code, kind), the department's module access
 * and the stores the person sees. Platform-owned; modules read it from the Actor, never from tables.
 */

/** The columns of one person's identity, with the department's access settings folded in (one query). */
export const identityColumns = {
  id: people.id,
  name: people.name,
  email: people.email,
  role: people.role,
  departmentId: people.departmentId,
  storeId: people.storeId,
  active: people.active,
  departmentCode: departments.code,
  departmentKind: departments.kind,
  /** The stores of the person's district or region (null when attached to one store or to HQ). */
  territoryStoreIds: sql<string[] | string | null>`(select array_agg(ts.id order by ts.code) from stores ts where (${people.scopeDistrict} is not null and ts.district = ${people.scopeDistrict}) or (${people.scopeRegion} is not null and ts.region = ${people.scopeRegion}))`,
  territory: sql<boolean>`(${people.scopeDistrict} is not null or ${people.scopeRegion} is not null)`,
  accessSettings: sql<Record<string, ModuleAccess> | string | null>`(select json_object_agg(a.module, a.access) from department_module_access a where a.department_id = ${people.departmentId})`,
};

export type IdentityRow = {
  id: string;
  name: string;
  email: string;
  role: string;
  departmentId: string | null;
  storeId: string | null;
  departmentCode: string | null;
  departmentKind: string | null;
  accessSettings: Record<string, ModuleAccess> | string | null;
  territoryStoreIds?: string[] | string | null;
  territory?: boolean;
};

/** PGlite returns a uuid[] as an array, node-postgres as text ('{a,b}') when it comes from array_agg in a subquery. */
function idArray(value: string[] | string | null | undefined): string[] {
  if (!value) return [];
  if (Array.isArray(value)) return value;
  return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}

/** The stores a person sees: null for the chain (admins, HQ); their store, or every store of their district or region. */
function storeIdsOf(row: IdentityRow, role: Role): string[] | null {
  if (role === 'admin') return null;
  if (row.storeId) return [row.storeId];
  if (row.territory) return idArray(row.territoryStoreIds);
  return null;
}

const ALL_WORK = Object.fromEntries(MODULE_KEYS.map((m) => [m, 'work'])) as ModuleAccessMap;

/** Builds the Actor from an identity row: admins work everywhere and see every store. */
export function actorFromIdentity(row: IdentityRow, via: Actor['via'], extra: Pick<Actor, 'tokenScope' | 'ip'> = {}): Actor {
  const role = row.role as Role;
  const kind = (row.departmentKind ?? null) as DepartmentKind | null;
  const settings = typeof row.accessSettings === 'string' ? (JSON.parse(row.accessSettings) as Record<string, ModuleAccess>) : (row.accessSettings ?? {});
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role,
    departmentId: row.departmentId,
    storeId: row.storeId,
    department: row.departmentId && row.departmentCode ? { id: row.departmentId, code: row.departmentCode, kind: kind ?? 'custom' } : null,
    access: role === 'admin' ? ALL_WORK : moduleAccessMap(kind, settings),
    storeIds: storeIdsOf(row, role),
    via,
    ...extra,
  };
}

/** The identity query of one person (active or not: callers decide). */
export function identityQuery(db: DbOrTx, where: SQL) {
  return db.select(identityColumns).from(people).leftJoin(departments, eq(departments.id, people.departmentId)).where(where);
}

/** The Actor of a person by id, or undefined when the person is unknown or inactive. */
export async function resolveActor(db: DbOrTx, personId: string, via: Actor['via'] = 'session', extra: Pick<Actor, 'tokenScope' | 'ip'> = {}): Promise<Actor | undefined> {
  const [row] = await identityQuery(db, eq(people.id, personId));
  if (!row?.active) return undefined;
  return actorFromIdentity(row, via, extra);
}

/** Whether a person may still sign in (active), for the auth library's session hook. */
export async function isActivePerson(db: DbOrTx, personId: string) {
  const [person] = await db.select({ active: people.active }).from(people).where(eq(people.id, personId));
  return Boolean(person?.active);
}
