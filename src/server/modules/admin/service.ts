import { and, desc, eq, gte, ilike, lte } from 'drizzle-orm';
import type { z } from 'zod';
import type { AuditEntry, MailDetail, auditListQuery, mailListQuery } from '../../../contracts/admin.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { maskSecretLinks } from '../../platform/mail.js';
import { paginate } from '../../platform/list.js';
import { assertCan, type Actor } from '../../platform/policy.js';
import { auditLog, mailMessages } from '../../platform/schema.js';

function presentAudit(row: typeof auditLog.$inferSelect): AuditEntry {
  return { ...row, at: row.at.toISOString() };
}

/** A date without a time means the whole day: `to=2026-11-25` includes that day. */
function bound(value: string | undefined, end: boolean) {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z`);
  return new Date(value);
}

function auditWhere(q: Partial<z.infer<typeof auditListQuery>>) {
  const from = bound(q.from, false);
  const to = bound(q.to, true);
  return and(
    q.actorId ? eq(auditLog.actorId, q.actorId) : undefined,
    q.entity ? eq(auditLog.entity, q.entity) : undefined,
    q.entityId ? eq(auditLog.entityId, q.entityId) : undefined,
    q.action ? eq(auditLog.action, q.action) : undefined,
    from ? gte(auditLog.at, from) : undefined,
    to ? lte(auditLog.at, to) : undefined,
    q.q ? ilike(auditLog.summary, `%${q.q}%`) : undefined,
  );
}

export async function listAudit(ctx: AppContext, actor: Actor, query: z.infer<typeof auditListQuery>) {
  assertCan(actor, 'audit:read');
  const page = await paginate<typeof auditLog.$inferSelect, 'at'>(ctx.db, {
    table: auditLog,
    select: { id: auditLog.id, at: auditLog.at, actorId: auditLog.actorId, actorName: auditLog.actorName, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId, summary: auditLog.summary, before: auditLog.before, after: auditLog.after, ip: auditLog.ip },
    where: auditWhere(query),
    sortColumns: { at: auditLog.at },
    idColumn: auditLog.id,
    params: query,
  });
  return { ...page, items: page.items.map(presentAudit) };
}

export async function exportAudit(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof auditListQuery>>) {
  assertCan(actor, 'audit:read');
  const rows = await ctx.db.select().from(auditLog).where(auditWhere(query)).orderBy(desc(auditLog.at)).limit(100_000);
  return rows.map(presentAudit);
}

function mailWhere(q: Partial<z.infer<typeof mailListQuery>>) {
  return and(
    q.status ? eq(mailMessages.status, q.status) : undefined,
    q.kind ? eq(mailMessages.kind, q.kind) : undefined,
    q.to ? ilike(mailMessages.toAddress, `%${q.to}%`) : undefined,
    q.q ? ilike(mailMessages.subject, `%${q.q}%`) : undefined,
  );
}

const mailSummary = {
  id: mailMessages.id,
  createdAt: mailMessages.createdAt,
  toAddress: mailMessages.toAddress,
  subject: mailMessages.subject,
  kind: mailMessages.kind,
  status: mailMessages.status,
  attempts: mailMessages.attempts,
  lastError: mailMessages.lastError,
  sentAt: mailMessages.sentAt,
};

export async function listMail(ctx: AppContext, actor: Actor, query: z.infer<typeof mailListQuery>) {
  assertCan(actor, 'outbox:read');
  type Row = { id: string; createdAt: Date; toAddress: string; subject: string; kind: string; status: string; attempts: number; lastError: string | null; sentAt: Date | null };
  const page = await paginate<Row, 'createdAt'>(ctx.db, {
    table: mailMessages,
    select: mailSummary,
    where: mailWhere(query),
    sortColumns: { createdAt: mailMessages.createdAt },
    idColumn: mailMessages.id,
    params: query,
  });
  return { ...page, items: page.items.map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), sentAt: m.sentAt?.toISOString() ?? null })) };
}

export async function getMail(ctx: AppContext, actor: Actor, id: string): Promise<MailDetail> {
  assertCan(actor, 'outbox:read');
  const [row] = await ctx.db.select().from(mailMessages).where(eq(mailMessages.id, id));
  if (!row) throw notFound('Message');
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    toAddress: row.toAddress,
    subject: row.subject,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    sentAt: row.sentAt?.toISOString() ?? null,
    // Held in the outbox (no SMTP server), the admin is the way the link reaches the person and
    // sees it whole; otherwise the message goes, or went, to the mailbox: the secret is masked.
    html: row.status === 'outbox' ? row.html : maskSecretLinks(row.html),
    text: row.status === 'outbox' ? row.text : maskSecretLinks(row.text),
    calendar: row.icalEvent ?? null,
  };
}
