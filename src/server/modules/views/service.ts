import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { SavedView, savedViewInput, savedViewPatch } from '../../../contracts/views.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { assertCan, type Actor } from '../../platform/policy.js';
import { savedViews } from './schema.js';

/** A person keeps at most this many views per list. */
export const MAX_VIEWS_PER_LIST = 30;

type Row = typeof savedViews.$inferSelect;
const toView = (r: Row): SavedView => ({
  id: r.id,
  listKey: r.listKey,
  name: r.name,
  search: r.search,
  isDefault: r.isDefault,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** The page cursor is where one is in a list, not part of a view. */
const withoutCursor = (search: Record<string, string>) => {
  const { cursor: _cursor, page: _page, ...rest } = search;
  return rest;
};

/** The actor's own views of one list: a person never sees another's views. */
export async function listViews(ctx: AppContext, actor: Actor, listKey: string): Promise<{ items: SavedView[] }> {
  assertCan(actor, 'workspace:read');
  const rows = await ctx.db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.personId, actor.id), eq(savedViews.listKey, listKey)))
    .orderBy(asc(sql`lower(${savedViews.name})`));
  return { items: rows.map(toView) };
}

async function assertNameFree(tx: DbOrTx, actor: Actor, listKey: string, name: string, exceptId?: string) {
  const [clash] = await tx
    .select({ id: savedViews.id })
    .from(savedViews)
    .where(and(eq(savedViews.personId, actor.id), eq(savedViews.listKey, listKey), eq(sql`lower(${savedViews.name})`, name.toLowerCase()), exceptId ? ne(savedViews.id, exceptId) : undefined));
  if (clash) throw conflict('name', `You already have a view named "${name}" on this list`);
}

async function clearDefault(tx: DbOrTx, actor: Actor, listKey: string) {
  await tx
    .update(savedViews)
    .set({ isDefault: false, updatedAt: new Date() })
    .where(and(eq(savedViews.personId, actor.id), eq(savedViews.listKey, listKey), eq(savedViews.isDefault, true)));
}

export async function createView(ctx: AppContext, actor: Actor, input: z.infer<typeof savedViewInput>): Promise<SavedView> {
  assertCan(actor, 'profile:edit');
  return ctx.db.transaction(async (tx) => {
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(savedViews)
      .where(and(eq(savedViews.personId, actor.id), eq(savedViews.listKey, input.listKey)));
    if (n >= MAX_VIEWS_PER_LIST) throw invalid('name', `You can keep at most ${MAX_VIEWS_PER_LIST} views of one list; delete one first`);
    await assertNameFree(tx, actor, input.listKey, input.name);
    if (input.isDefault) await clearDefault(tx, actor, input.listKey);
    const [row] = await tx
      .insert(savedViews)
      .values({ id: uuidv7(), personId: actor.id, listKey: input.listKey, name: input.name, search: withoutCursor(input.search), isDefault: input.isDefault })
      .returning();
    await recordAudit(tx, actor, { action: 'create', entity: 'saved_view', entityId: row.id, summary: `Saved the view "${row.name}" of the ${row.listKey} list`, after: { name: row.name, search: row.search, isDefault: row.isDefault } });
    return toView(row);
  });
}

async function ownView(tx: DbOrTx, actor: Actor, id: string): Promise<Row> {
  const [row] = await tx
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.personId, actor.id)))
    .for('update');
  // Another person's view is not found, never forbidden: its existence is theirs.
  if (!row) throw notFound('Saved view');
  return row;
}

export async function updateView(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof savedViewPatch>): Promise<SavedView> {
  assertCan(actor, 'profile:edit');
  return ctx.db.transaction(async (tx) => {
    const before = await ownView(tx, actor, id);
    if (patch.name !== undefined) await assertNameFree(tx, actor, before.listKey, patch.name, id);
    if (patch.isDefault) await clearDefault(tx, actor, before.listKey);
    const changes = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.search !== undefined ? { search: withoutCursor(patch.search) } : {}),
      ...(patch.isDefault !== undefined ? { isDefault: patch.isDefault } : {}),
    };
    const [row] = await tx
      .update(savedViews)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(savedViews.id, id))
      .returning();
    const diff = changedFields({ name: before.name, search: before.search, isDefault: before.isDefault }, changes);
    await recordAudit(tx, actor, { action: 'update', entity: 'saved_view', entityId: id, summary: `Changed the view "${row.name}" of the ${row.listKey} list`, ...diff });
    return toView(row);
  });
}

export async function deleteView(ctx: AppContext, actor: Actor, id: string): Promise<{ ok: boolean }> {
  assertCan(actor, 'profile:edit');
  await ctx.db.transaction(async (tx) => {
    const row = await ownView(tx, actor, id);
    await tx.delete(savedViews).where(eq(savedViews.id, id));
    await recordAudit(tx, actor, { action: 'delete', entity: 'saved_view', entityId: id, summary: `Deleted the view "${row.name}" of the ${row.listKey} list`, before: { name: row.name, search: row.search } });
  });
  return { ok: true };
}
