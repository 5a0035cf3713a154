import { z } from 'zod';
import { MODULE_ACCESS_LEVELS, MODULE_KEYS } from './policy.js';
import { DEPARTMENT_KINDS } from './roles.js';

/** One department's access to every module: the effective value and whether an admin set it. */
export const departmentAccessSchema = z.object({
  departmentId: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(DEPARTMENT_KINDS),
  modules: z.array(
    z.object({
      module: z.enum(MODULE_KEYS),
      access: z.enum(MODULE_ACCESS_LEVELS),
      defaultAccess: z.enum(MODULE_ACCESS_LEVELS),
      /** The least this module allows (ideas: read). */
      minimum: z.enum(MODULE_ACCESS_LEVELS),
      custom: z.boolean(),
    }),
  ),
});
export type DepartmentAccess = z.infer<typeof departmentAccessSchema>;
export const moduleAccessMatrix = z.array(departmentAccessSchema);

export const moduleAccessPatch = z.object({
  departmentId: z.uuid({ error: 'is not a valid id' }),
  module: z.enum(MODULE_KEYS, { error: `must be one of ${MODULE_KEYS.join(', ')}` }),
  /** null returns the module to the department kind's default. */
  access: z.enum(MODULE_ACCESS_LEVELS, { error: 'must be none, read or work' }).nullable(),
});
