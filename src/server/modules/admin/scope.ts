import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { effectiveModuleAccess, MODULE_KEYS, MODULE_LABELS, MODULE_MINIMUM, accessAtLeast, type ModuleAccess, type ModuleKey } from '../../../contracts/policy.js';
import type { DepartmentKind } from '../../../contracts/roles.js';
import type { DepartmentAccess, moduleAccessPatch } from '../../../contracts/scope.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { assertCan, type Actor } from '../../platform/policy.js';
import { departmentModuleAccess, departments } from '../../platform/schema.js';

/** Every active department's access to every module (readable by all: who may do what is no secret). */
export async function moduleAccessMatrix(ctx: AppContext, actor: Actor): Promise<DepartmentAccess[]> {
  assertCan(actor, 'workspace:read');
  const depts = await ctx.db.select().from(departments).where(eq(departments.active, true)).orderBy(asc(departments.name));
  const rows = await ctx.db.select().from(departmentModuleAccess);
  return depts.map((d) => {
    const kind = d.kind as DepartmentKind;
    return {
      departmentId: d.id,
      code: d.code,
      name: d.name,
      kind,
      modules: MODULE_KEYS.map((module) => {
        const setting = rows.find((r) => r.departmentId === d.id && r.module === module)?.access as ModuleAccess | undefined;
        return { module, access: effectiveModuleAccess(kind, module, setting), defaultAccess: effectiveModuleAccess(kind, module), minimum: MODULE_MINIMUM[module] ?? 'none', custom: setting !== undefined };
      }),
    };
  });
}

/** Sets (or, with null, resets to the default) one department's access to one module. Takes effect on the next request. */
export async function setModuleAccess(ctx: AppContext, actor: Actor, input: z.infer<typeof moduleAccessPatch>) {
  assertCan(actor, 'scope:manage');
  const module = input.module as ModuleKey;
  const minimum = MODULE_MINIMUM[module];
  if (input.access && minimum && !accessAtLeast(input.access, minimum)) throw invalid('access', `${MODULE_LABELS[module]} is open to everyone: at least ${minimum}`);
  await ctx.db.transaction(async (tx) => {
    const [dept] = await tx.select().from(departments).where(eq(departments.id, input.departmentId));
    if (!dept) throw notFound('Department');
    const where = and(eq(departmentModuleAccess.departmentId, dept.id), eq(departmentModuleAccess.module, module));
    const [before] = await tx.select().from(departmentModuleAccess).where(where);
    const kind = dept.kind as DepartmentKind;
    const was = effectiveModuleAccess(kind, module, before?.access as ModuleAccess | undefined);
    if (input.access === null) await tx.delete(departmentModuleAccess).where(where);
    else
      await tx
        .insert(departmentModuleAccess)
        .values({ departmentId: dept.id, module, access: input.access, updatedBy: actor.via === 'system' ? null : actor.id })
        .onConflictDoUpdate({ target: [departmentModuleAccess.departmentId, departmentModuleAccess.module], set: { access: input.access, updatedAt: new Date(), updatedBy: actor.via === 'system' ? null : actor.id } });
    const now = input.access ?? effectiveModuleAccess(kind, module);
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'module_access',
      entityId: `${dept.id}:${module}`,
      summary: `${dept.name}: ${MODULE_LABELS[module]} ${was} → ${now}${input.access === null ? ' (back to the default)' : ''}`,
      before: { access: was, custom: Boolean(before) },
      after: { access: now, custom: input.access !== null },
    });
  });
  return moduleAccessMatrix(ctx, actor);
}
