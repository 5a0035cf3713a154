import type { FastifyReply, FastifyRequest } from 'fastify';
import { PERMISSIONS, READ_PERMISSIONS, roleCan, type Permission } from '../../contracts/policy.js';
import type { Role } from '../../contracts/roles.js';
import { forbidden, unauthorized } from './errors.js';

/** Who is acting: a signed-in person, or an integration using one of that person's API tokens. */
export interface Actor {
  id: string;
  name: string;
  email: string;
  role: Role;
  departmentId: string | null;
  storeId: string | null;
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
  via: 'system',
};

/** The one answer to "may this actor do this?". */
export function can(actor: Actor | undefined, permission: Permission): boolean {
  if (!actor) return false;
  if (actor.via === 'system') return true;
  if (actor.via === 'token' && actor.tokenScope === 'read' && !READ_PERMISSIONS.includes(permission)) return false;
  return roleCan(actor.role, permission);
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
