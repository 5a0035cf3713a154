import { z } from 'zod';
import { MODULE_ACCESS_LEVELS, MODULE_KEYS } from './policy.js';
import { DEPARTMENT_KINDS, ROLES } from './roles.js';

export const meSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  title: z.string(),
  role: z.enum(ROLES),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  storeId: z.string().nullable(),
  storeName: z.string().nullable(),
  permissions: z.array(z.string()),
  departmentKind: z.enum(DEPARTMENT_KINDS).nullable(),
  /** The department's access per module ('none' | 'read' | 'work'), to shape navigation and texts. */
  modules: z.record(z.enum(MODULE_KEYS), z.enum(MODULE_ACCESS_LEVELS)),
  /** Stores this person sees; null means the whole chain. */
  storeIds: z.array(z.string()).nullable(),
  via: z.enum(['session', 'token', 'system']),
});
export type Me = z.infer<typeof meSchema>;

export const profilePatch = z.object({
  name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters').optional(),
  title: z.string().trim().max(120, 'must be at most 120 characters').optional(),
});

export const publicConfigSchema = z.object({
  sso: z.object({ enabled: z.boolean(), name: z.string().nullable() }),
  mailMode: z.enum(['smtp', 'outbox']),
  demo: z.object({ email: z.string(), password: z.string() }).nullable(),
});
export type PublicConfig = z.infer<typeof publicConfigSchema>;

export const invitationInfo = z.object({ name: z.string(), email: z.string(), expiresAt: z.string() });
export const invitationAccept = z.object({
  password: z.string().min(10, 'must be at least 10 characters').max(128, 'must be at most 128 characters'),
});

export const API_TOKEN_SCOPES = ['read', 'read_write'] as const;
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(API_TOKEN_SCOPES),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const apiTokenCreate = z.object({
  name: z.string().trim().min(1, 'is required').max(80),
  scope: z.enum(API_TOKEN_SCOPES, { error: 'must be read or read_write' }),
  expiresInDays: z.number().int().min(1).max(730).nullable().default(null),
});
export const apiTokenCreated = apiTokenSchema.extend({ token: z.string() });
