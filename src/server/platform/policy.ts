import type { FastifyReply, FastifyRequest } from 'fastify';
import { decide, MODULE_KEYS, PERMISSIONS, READ_PERMISSIONS, type ModuleAccessMap, type Permission } from '../../contracts/policy.js';
import type { DepartmentKind, Role } from '../../contracts/roles.js';
import { forbidden, unauthorized } from './errors.js';

/** Who is acting: a signed-in person, or an integration using one of that person's API tokens. */
export interface Actor {
  id: string;
  name: string;
  email: string;
  role: Role;
  departmentId: string | null;
  storeId: string | null;
  /** The person's department (platform/identity.ts resolves it with the access below, in one query). */
  department: { id: string; code: string; kind: DepartmentKind } | null;
  /** Module access of the department ('none' | 'read' | 'work'); admins work everywhere. See platform/scope.ts. */
  access: ModuleAccessMap;
  /** The stores this person sees; null = the whole chain (HQ people, admins). */
  storeIds: string[] | null;
  via: 'session' | 'token' | 'system';
  tokenScope?: 'read' | 'read_write';
  ip?: string;
}

export const SYSTEM_ACTOR: Actor = {
  id: '00000000-0000-0000-0000-000000000000',
  name: 'Tandem',
  email: 'system@tandem',
  role: 'admin',
  departmentId: null,
  storeId: null,
  department: null,
  access: Object.fromEntries(MODULE_KEYS.map((m) => [m, 'work'])) as ModuleAccessMap,
  storeIds: null,
  via: 'system',
};

/** The one answer to "may this actor do this?": role, department scope and store scope (contracts/policy.ts `decide`). */
export function can(actor: Actor | undefined, permission: Permission): boolean {
  if (!actor) return false;
  if (actor.via === 'system') return true;
  if (actor.via === 'token' && actor.tokenScope === 'read' && !READ_PERMISSIONS.includes(permission)) return false;
  return decide({ role: actor.role, departmentKind: actor.department?.kind ?? null, access: actor.access, storeIds: actor.storeIds }, permission);
}

export function assertCan(actor: Actor | undefined, permission: Permission): asserts actor is Actor {
  if (!actor) throw unauthorized();
  if (!can(actor, permission)) throw forbidden();
}

/** Every permission the actor holds, for the web app to shape its navigation. */
export function permissionsOf(actor: Actor): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(actor, p));
}

/** Route guard: `preValidation: authorize('people:manage')`. */
export function authorize(permission: Permission) {
  return async function authorizeHandler(request: FastifyRequest, _reply: FastifyReply) {
    assertCan(request.actor, permission);
  };
}

/** The actor of a route that has passed the auth hook. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}
