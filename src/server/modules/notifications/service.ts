import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_KIND_KEYS,
  type Notification,
  type NotificationPage,
  type NotificationPreferences,
  type Webhook,
  type WebhookFormat,
  type notificationListQuery,
  type preferencesInput,
  type webhookInput,
} from '../../../contracts/notifications.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/list.js';
import { notificationDeliveries, notificationPreferences, notifications, notificationSettings, notificationWebhooks } from '../../platform/notifications-schema.js';
import { assertCan, can, type Actor } from '../../platform/policy.js';
import { departments, people } from '../people/schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---------------------------------------------------------------- the bell and the page

export async function listNotifications(ctx: AppContext, actor: Actor, query: z.infer<typeof notificationListQuery>): Promise<NotificationPage> {
  assertCan(actor, 'workspace:read');
  const mine = eq(notifications.recipientId, actor.id);
  const filter = and(mine, query.unread ? isNull(notifications.readAt) : undefined);
  let after;
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor);
    const when = new Date(String(at instanceof Date ? at.toISOString() : at));
    after = or(lt(notifications.createdAt, when), and(eq(notifications.createdAt, when), lt(notifications.id, id)));
  }
  const rows = await ctx.db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
      recordRef: notifications.recordRef,
      actorName: people.name,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .leftJoin(people, eq(people.id, notifications.actorId))
    .where(and(filter, after))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(query.limit + 1);
  const [counts] = await ctx.db
    .select({ total: sql<number>`count(*) filter (where ${query.unread ? sql`${notifications.readAt} is null` : sql`true`})::int`, unread: sql<number>`count(*) filter (where ${notifications.readAt} is null)::int` })
    .from(notifications)
    .where(mine);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const items: Notification[] = page.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), readAt: iso(r.readAt) }));
  return { items, total: Number(counts?.total ?? 0), unread: Number(counts?.unread ?? 0), nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

export async function unreadCount(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'workspace:read');
  const [row] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(and(eq(notifications.recipientId, actor.id), isNull(notifications.readAt)));
  return { unread: Number(row?.n ?? 0) };
}

/** Marking one's own notifications read is personal state, like a mail client's: not audited. */
export async function markRead(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'profile:edit');
  const updated = await ctx.db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.recipientId, actor.id)))
    .returning({ id: notifications.id });
  if (!updated.length) throw notFound('Notification');
  return unreadCount(ctx, actor);
}

export async function markAllRead(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'profile:edit');
  await ctx.db.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.recipientId, actor.id), isNull(notifications.readAt)));
  return unreadCount(ctx, actor);
}

// ---------------------------------------------------------------- preferences

export async function getPreferences(ctx: AppContext, actor: Actor): Promise<NotificationPreferences> {
  assertCan(actor, 'workspace:read');
  const [settings] = await ctx.db.select().from(notificationSettings).where(eq(notificationSettings.personId, actor.id));
  const rows = await ctx.db.select().from(notificationPreferences).where(eq(notificationPreferences.personId, actor.id));
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return {
    emailDigest: settings?.emailDigest ?? false,
    kinds: NOTIFICATION_KIND_KEYS.map((kind) => ({ kind, ...NOTIFICATION_KINDS[kind], email: byKind.get(kind)?.email ?? true, webhook: byKind.get(kind)?.webhook ?? true })),
  };
}

export async function updatePreferences(ctx: AppContext, actor: Actor, input: z.infer<typeof preferencesInput>) {
  assertCan(actor, 'profile:edit');
  await ctx.db.transaction(async (tx) => {
    if (input.emailDigest !== undefined) {
      await tx
        .insert(notificationSettings)
        .values({ personId: actor.id, emailDigest: input.emailDigest })
        .onConflictDoUpdate({ target: notificationSettings.personId, set: { emailDigest: input.emailDigest, updatedAt: new Date() } });
    }
    for (const k of input.kinds ?? []) {
      await tx
        .insert(notificationPreferences)
        .values({ personId: actor.id, kind: k.kind, email: k.email, webhook: k.webhook })
        .onConflictDoUpdate({ target: [notificationPreferences.personId, notificationPreferences.kind], set: { email: k.email, webhook: k.webhook } });
    }
    await recordAudit(tx, actor, { action: 'update', entity: 'notification_preferences', entityId: actor.id, summary: `${actor.name} changed their notification preferences`, after: input });
  });
  return getPreferences(ctx, actor);
}

// ---------------------------------------------------------------- chat webhooks

/** Scheme, host and the last four characters: enough to recognise a webhook, too little to use it. */
export function maskUrl(url: string) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…${url.slice(-4)}`;
  } catch {
    return '…';
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** HTTPS only; plain HTTP to this machine is allowed outside production (local receivers, tests). */
function assertWebhookUrl(ctx: AppContext, url: string) {
  const u = new URL(url);
  if (u.protocol === 'https:') return;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname) && ctx.config.env !== 'production') return;
  throw invalid('url', 'must be an https:// address (the incoming webhook URL Slack or Teams shows)');
}

async function presentWebhooks(ctx: AppContext, where: ReturnType<typeof and>): Promise<Webhook[]> {
  const rows = await ctx.db
    .select({ hook: notificationWebhooks, departmentName: departments.name })
    .from(notificationWebhooks)
    .leftJoin(departments, eq(departments.id, notificationWebhooks.departmentId))
    .where(where)
    .orderBy(notificationWebhooks.createdAt);
  if (!rows.length) return [];
  const last = await ctx.db
    .selectDistinctOn([notificationDeliveries.webhookId], {
      webhookId: notificationDeliveries.webhookId,
      status: notificationDeliveries.status,
      at: sql<Date>`coalesce(${notificationDeliveries.deliveredAt}, ${notificationDeliveries.createdAt})`.mapWith(notificationDeliveries.createdAt),
      error: notificationDeliveries.lastError,
    })
    .from(notificationDeliveries)
    .where(inArray(notificationDeliveries.webhookId, rows.map((r) => r.hook.id)))
    .orderBy(notificationDeliveries.webhookId, desc(notificationDeliveries.createdAt));
  const lastBy = new Map(last.map((l) => [l.webhookId, l]));
  return rows.map(({ hook, departmentName }) => {
    const l = lastBy.get(hook.id);
    return {
      id: hook.id,
      scope: hook.personId ? 'person' : 'department',
      personId: hook.personId,
      departmentId: hook.departmentId,
      departmentName,
      format: hook.format as WebhookFormat,
      maskedUrl: maskUrl(hook.url),
      signed: !!hook.signingSecret,
      active: hook.active,
      lastDelivery: l ? { status: l.status, at: new Date(l.at).toISOString(), error: l.error } : null,
      createdAt: hook.createdAt.toISOString(),
    };
  });
}

export async function listWebhooks(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'workspace:read');
  const own = eq(notificationWebhooks.personId, actor.id);
  const where = can(actor, 'notifications:department-webhooks') ? or(own, sql`${notificationWebhooks.departmentId} is not null`) : own;
  return { items: await presentWebhooks(ctx, and(where)) };
}

/** Sets the person's own webhook, or (admins) a department's: one per owner, so a second call replaces the first. */
export async function saveWebhook(ctx: AppContext, actor: Actor, input: z.infer<typeof webhookInput>) {
  assertCan(actor, 'profile:edit');
  if (input.scope === 'department') {
    if (!can(actor, 'notifications:department-webhooks')) throw forbidden('Only administrators set a department’s chat channel');
    if (!input.departmentId) throw invalid('departmentId', 'is required for a department webhook');
  }
  assertWebhookUrl(ctx, input.url);
  const id = await ctx.db.transaction(async (tx) => {
    let ownerName = actor.name;
    if (input.scope === 'department') {
      const [d] = await tx.select({ name: departments.name }).from(departments).where(eq(departments.id, input.departmentId!));
      if (!d) throw invalid('departmentId', 'no such department');
      ownerName = d.name;
    }
    const owner = input.scope === 'person' ? eq(notificationWebhooks.personId, actor.id) : eq(notificationWebhooks.departmentId, input.departmentId!);
    const [existing] = await tx.select().from(notificationWebhooks).where(owner).for('update');
    const values = { format: input.format, url: input.url, signingSecret: input.signingSecret ?? null, active: true, updatedAt: new Date() };
    let id: string;
    if (existing) {
      id = existing.id;
      await tx.update(notificationWebhooks).set(values).where(eq(notificationWebhooks.id, id));
    } else {
      id = uuidv7();
      await tx.insert(notificationWebhooks).values({ id, ...values, personId: input.scope === 'person' ? actor.id : null, departmentId: input.scope === 'department' ? input.departmentId! : null, createdBy: actor.id });
    }
    await recordAudit(tx, actor, {
      action: existing ? 'update' : 'create',
      entity: 'notification_webhook',
      entityId: id,
      summary: `${existing ? 'Replaced' : 'Set'} the ${input.format === 'teams' ? 'Teams' : 'Slack'} webhook of ${ownerName}`,
      // The URL and the secret are credentials: the audit keeps only their masked form.
      after: { format: input.format, url: maskUrl(input.url), signed: !!input.signingSecret },
    });
    return id;
  });
  const [hook] = await presentWebhooks(ctx, and(eq(notificationWebhooks.id, id)));
  return hook;
}

export async function deleteWebhook(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'profile:edit');
  await ctx.db.transaction(async (tx) => {
    const [hook] = await tx.select().from(notificationWebhooks).where(eq(notificationWebhooks.id, id)).for('update');
    const mayManage = hook && (hook.personId === actor.id || (hook.departmentId && can(actor, 'notifications:department-webhooks')));
    if (!hook || !mayManage) throw notFound('Webhook');
    await tx.delete(notificationWebhooks).where(eq(notificationWebhooks.id, id));
    await recordAudit(tx, actor, { action: 'delete', entity: 'notification_webhook', entityId: id, summary: `Removed a ${hook.format === 'teams' ? 'Teams' : 'Slack'} webhook`, before: { url: maskUrl(hook.url) } });
  });
  return { ok: true };
}
