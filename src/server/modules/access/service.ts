import { and, desc, eq, isNull } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ApiToken, Me, PublicConfig, apiTokenCreate, profilePatch } from '../../../contracts/access.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import { newSecret } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { assertCan, can, permissionsOf, type Actor } from '../../platform/policy.js';
import { accounts, apiTokens } from '../../platform/schema.js';
import { moduleAccess } from '../../platform/scope.js';
import { MODULE_KEYS } from '../../../contracts/policy.js';
import { departments, people, stores } from '../people/schema.js';

export const DEMO_SIGN_IN = { email: 'dana.whitfield@meridian.example', password: 'tandem-demo-2026' };

export async function me(ctx: AppContext, actor: Actor): Promise<Me> {
  const [row] = await ctx.db
    .select({ title: people.title, departmentName: departments.name, storeName: stores.name })
    .from(people)
    .leftJoin(departments, eq(departments.id, people.departmentId))
    .leftJoin(stores, eq(stores.id, people.storeId))
    .where(eq(people.id, actor.id));
  return {
    id: actor.id,
    name: actor.name,
    email: actor.email,
    title: row?.title ?? '',
    role: actor.role,
    departmentId: actor.departmentId,
    departmentName: row?.departmentName ?? null,
    storeId: actor.storeId,
    storeName: row?.storeName ?? null,
    permissions: permissionsOf(actor),
    departmentKind: actor.department?.kind ?? null,
    modules: Object.fromEntries(MODULE_KEYS.map((m) => [m, moduleAccess(actor, m)])) as Me['modules'],
    storeIds: actor.storeIds,
    via: actor.via,
  };
}

export async function updateProfile(ctx: AppContext, actor: Actor, patch: z.infer<typeof profilePatch>) {
  assertCan(actor, 'profile:edit');
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(people).where(eq(people.id, actor.id));
    if (!before) throw notFound('Person');
    const diff = changedFields(before, patch);
    if (!diff.changed.length) return;
    await tx.update(people).set({ ...patch, updatedAt: new Date() }).where(eq(people.id, actor.id));
    await recordAudit(tx, actor, { action: 'update', entity: 'person', entityId: actor.id, summary: `${before.name} updated their profile: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
  });
  return me(ctx, { ...actor, name: patch.name ?? actor.name });
}

/** The last check of the demo admin's password, by its stored hash: one scrypt per password change, not per request. */
const demoPasswordChecks = new WeakMap<AppContext, { hash: string; matches: boolean }>();

/**
 * Whether the sign-in page may show the demo sign-in: only on the embedded database, and only while
 * the demo admin still has the demo password (once an admin changes it, the workspace is real).
 */
export async function demoSignInShown(ctx: AppContext, demoSeeded: boolean): Promise<boolean> {
  if (!demoSeeded || ctx.config.databaseUrl) return false;
  const [row] = await ctx.db
    .select({ hash: accounts.password })
    .from(accounts)
    .innerJoin(people, eq(people.id, accounts.userId))
    .where(and(eq(people.email, DEMO_SIGN_IN.email), eq(people.active, true), eq(accounts.providerId, 'credential')));
  if (!row?.hash) return false;
  const cached = demoPasswordChecks.get(ctx);
  if (cached?.hash === row.hash) return cached.matches;
  const authContext = await ctx.auth.$context;
  const matches = await authContext.password.verify({ hash: row.hash, password: DEMO_SIGN_IN.password });
  demoPasswordChecks.set(ctx, { hash: row.hash, matches });
  return matches;
}

export async function publicConfig(ctx: AppContext, demoSeeded: boolean): Promise<PublicConfig> {
  return {
    sso: { enabled: Boolean(ctx.config.oidc), name: ctx.config.oidc?.name ?? null },
    mailMode: ctx.mailer.mode,
    demo: (await demoSignInShown(ctx, demoSeeded)) ? DEMO_SIGN_IN : null,
  };
}

function presentToken(row: typeof apiTokens.$inferSelect): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope as ApiToken['scope'],
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listTokens(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'tokens:use');
  const rows = await ctx.db.select().from(apiTokens).where(eq(apiTokens.personId, actor.id)).orderBy(desc(apiTokens.createdAt));
  return rows.map(presentToken);
}

export async function createToken(ctx: AppContext, actor: Actor, input: z.infer<typeof apiTokenCreate>) {
  assertCan(actor, 'tokens:use');
  // A token never carries more than its owner may do, and only a session can mint one.
  if (actor.via !== 'session') throw forbidden('API tokens are created from a signed-in session');
  if (input.scope === 'read_write' && !can(actor, 'tokens:write-scope')) throw forbidden('Your role may only create read tokens');
  const { secret, hash } = newSecret('tdm');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        id: uuidv7(),
        personId: actor.id,
        name: input.name,
        prefix: secret.slice(0, 10),
        tokenHash: hash,
        scope: input.scope,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null,
      })
      .returning();
    await recordAudit(tx, actor, { action: 'create', entity: 'api_token', entityId: row.id, summary: `${actor.name} created API token "${input.name}" (${input.scope})`, after: { name: input.name, scope: input.scope, prefix: row.prefix } });
    return { ...presentToken(row), token: secret };
  });
}

export async function revokeToken(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'tokens:use');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.personId, actor.id), isNull(apiTokens.revokedAt)));
    if (!row) throw notFound('API token');
    await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
    await recordAudit(tx, actor, { action: 'delete', entity: 'api_token', entityId: id, summary: `${actor.name} revoked API token "${row.name}"` });
  });
}
