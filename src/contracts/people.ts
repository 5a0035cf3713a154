import { z } from 'zod';
import { patchOf } from './patch.js';
import { listQueryBase, pageOf, queryBoolean } from './list.js';
import { DEPARTMENT_KINDS, ROLES } from './roles.js';

const trimmed = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

export const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

// --- Departments ---
export const departmentSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(DEPARTMENT_KINDS),
  description: z.string(),
  active: z.boolean(),
  peopleCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Department = z.infer<typeof departmentSchema>;

export const departmentInput = z.object({
  code: trimmed(16).regex(/^[A-Z0-9_-]+$/, 'use capital letters, digits, - or _').transform((s) => s.toUpperCase()),
  name: trimmed(100),
  kind: z.enum(DEPARTMENT_KINDS, { error: `must be one of ${DEPARTMENT_KINDS.join(', ')}` }),
  description: z.string().trim().max(1000).default(''),
});
export const departmentPatch = patchOf(departmentInput).extend({ active: z.boolean().optional() });
export const departmentListQuery = listQueryBase.extend({
  sort: z.enum(['name', 'code', 'createdAt']).default('name'),
  active: queryBoolean.optional(),
  kind: z.enum(DEPARTMENT_KINDS).optional(),
});
export const departmentPage = pageOf(departmentSchema);

// --- Stores ---
export const storeSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  region: z.string(),
  district: z.string(),
  timezone: z.string(),
  uplinkMbps: z.number().int(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Store = z.infer<typeof storeSchema>;

export const storeInput = z.object({
  code: trimmed(16).regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, - or _'),
  name: trimmed(120),
  region: trimmed(80),
  district: trimmed(80),
  timezone: trimmed(64).refine(isTimeZone, 'is not a known time zone (e.g. America/Chicago)'),
  uplinkMbps: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(100000, 'must be at most 100000'),
});
export const storePatch = patchOf(storeInput).extend({ active: z.boolean().optional() });
export const storeListQuery = listQueryBase.extend({
  sort: z.enum(['code', 'name', 'region', 'district', 'uplinkMbps', 'createdAt']).default('code'),
  region: z.string().optional(),
  district: z.string().optional(),
  active: queryBoolean.optional(),
});
export const storePage = pageOf(storeSchema);

// --- People ---
export const personSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  title: z.string(),
  role: z.enum(ROLES),
  active: z.boolean(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  storeId: z.string().nullable(),
  storeCode: z.string().nullable(),
  storeName: z.string().nullable(),
  /** Attached to every store of this district or region (district LP managers, regional directors). */
  district: z.string().nullable(),
  region: z.string().nullable(),
  /** invited: has not set a password yet; active; deactivated. */
  status: z.enum(['invited', 'active', 'deactivated']),
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Person = z.infer<typeof personSchema>;

const territoryName = z.string().trim().min(1, 'is empty').max(80);
/** A person's fields without defaults: a patch changes only what it names. */
const personFields = {
  name: trimmed(120),
  email: z.string().trim().toLowerCase().email('is not a valid email address').max(200),
  title: z.string().trim().max(120),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
  departmentId: z.string().uuid('choose a department'),
  /** Where the person works: one store, every store of a district or a region, or (all null) headquarters. */
  storeId: z.string().uuid('is not a store').nullable(),
  district: territoryName.nullable(),
  region: territoryName.nullable(),
};
export const personInput = z.object({
  ...personFields,
  title: personFields.title.default(''),
  storeId: personFields.storeId.default(null),
  district: personFields.district.default(null),
  region: personFields.region.default(null),
});
export const personCreate = personInput.extend({ sendInvitation: z.boolean().default(true) });
// Not personInput.partial(): its defaults would reset the store of anyone whose title is edited.
export const personPatch = z.object(personFields).partial();
export const personListQuery = listQueryBase.extend({
  sort: z.enum(['name', 'email', 'role', 'createdAt']).default('name'),
  departmentId: z.string().uuid().optional(),
  storeId: z.string().uuid().optional(),
  hq: queryBoolean.optional(),
  role: z.enum(ROLES).optional(),
  status: z.enum(['invited', 'active', 'deactivated']).optional(),
});
export const personPage = pageOf(personSchema);

export const importResult = z.object({ created: z.number().int(), updated: z.number().int(), lines: z.number().int() });
export type ImportResult = z.infer<typeof importResult>;

/** Columns of the CSV import files (header names, case-insensitive). */
export const STORE_CSV_COLUMNS = ['code', 'name', 'region', 'district', 'timezone', 'uplink_mbps'] as const;
export const PEOPLE_CSV_COLUMNS = ['name', 'email', 'title', 'role', 'department', 'store'] as const;
