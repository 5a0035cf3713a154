import { createHmac } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { NOTIFICATION_KINDS, type NotificationKind, type WebhookFormat } from '../../contracts/notifications.js';
import { people } from '../modules/people/schema.js';
import type { Database, DbOrTx } from './db.js';
import type { Mailer } from './mail.js';
import { notificationDeliveries, notificationPreferences, notifications, notificationSettings, notificationWebhooks, type ChatMessage } from './notifications-schema.js';

/**
 * What a module passes to `notify`. Written in the caller's transaction: a change that rolls back
 * tells nobody. Callers choose recipients who may see the record (notify does not check policy).
 */
export interface NotifyInput {
  /** Person ids; duplicates, empty values, the actor and deactivated people are dropped. */
  recipients: Array<string | null | undefined>;
  kind: NotificationKind;
  /** One line, e.g. "REQ-42 accepted: New camera at register 5". Also the mail subject. */
  title: string;
  /** A few sentences; plain text. */
  body?: string;
  /** Path inside the app (e.g. `/requests/42`); mail and chat get the absolute URL. */
  link: string;
  /** Short reference of the record, e.g. REQ-42. */
  recordRef?: string | null;
  /** Who caused it: never notified of their own action. */
  actorId?: string | null;
  /** Departments whose chat channel (department webhook) also gets one post. */
  departmentIds?: Array<string | null | undefined>;
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

export interface Notifier {
  notify(tx: DbOrTx, input: NotifyInput): Promise<{ notified: number; posts: number }>;
  /** Claims due chat posts (FOR UPDATE SKIP LOCKED) and makes them; safe to run in several workers at once. */
  deliver(options?: { now?: Date; limit?: number }): Promise<DeliveryResult>;
  /** One mail per person gathering their notifications held for the digest; claimed so it is sent once. */
  digest(options?: { now?: Date }): Promise<{ mails: number; items: number }>;
}

export const MAX_DELIVERY_ATTEMPTS = 6;
/** 30 s, 1, 2, 4, 8 minutes… capped at one hour. */
export const backoffSeconds = (attempts: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
const LOCK_SECONDS = 120;
const POST_TIMEOUT_MS = 10_000;

/** Slack incoming webhook: `text` for notifications and old clients, `blocks` for the message itself. */
export function slackPayload(message: ChatMessage, url: string) {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const context = [message.recordRef, NOTIFICATION_KINDS[message.kind as NotificationKind]?.group, 'Tandem'].filter(Boolean).join(' · ');
  return {
    text: `${message.title}${message.body ? `\n${message.body}` : ''}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*<${url}|${escape(message.title)}>*${message.body ? `\n${escape(message.body)}` : ''}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: escape(context) }] },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: `Open ${message.recordRef ?? 'in Tandem'}` }, url }] },
    ],
  };
}

/** Microsoft Teams incoming webhook (connector): a MessageCard with an "open" action. */
export function teamsPayload(message: ChatMessage, url: string) {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: message.title,
    themeColor: '1C7ED6',
    title: message.title,
    text: message.body || message.title,
    sections: message.recordRef ? [{ facts: [{ name: 'Record', value: message.recordRef }] }] : [],
    potentialAction: [{ '@type': 'OpenUri', name: `Open ${message.recordRef ?? 'in Tandem'}`, targets: [{ os: 'default', uri: url }] }],
  };
}

export function chatPayload(format: WebhookFormat, message: ChatMessage, url: string) {
  return format === 'teams' ? teamsPayload(message, url) : slackPayload(message, url);
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`: the receiver recomputes it and rejects old timestamps. */
export function signatureHeader(secret: string, body: string, at = new Date()) {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

export function createNotifier(options: { database: Database; mailer: Mailer; publicUrl: string; onQueued?: () => void; fetch?: typeof fetch }): Notifier {
  const { database, mailer } = options;
  const db = database.db;
  const doFetch = options.fetch ?? fetch;
  const absolute = (link: string) => (/^https?:\/\//.test(link) ? link : `${options.publicUrl}${link.startsWith('/') ? '' : '/'}${link}`);

  async function notify(tx: DbOrTx, input: NotifyInput) {
    const ids = [...new Set(input.recipients.filter((r): r is string => !!r && r !== input.actorId))];
    const deptIds = [...new Set((input.departmentIds ?? []).filter((d): d is string => !!d))];
    const message: ChatMessage = { kind: input.kind, title: input.title, body: input.body ?? '', link: input.link, recordRef: input.recordRef ?? null };
    let posts = 0;
    let notified = 0;
    if (ids.length) {
      const rows = await tx
        .select({
          id: people.id,
          name: people.name,
          email: people.email,
          digest: notificationSettings.emailDigest,
          email_on: notificationPreferences.email,
          webhook_on: notificationPreferences.webhook,
          webhookId: notificationWebhooks.id,
        })
        .from(people)
        .leftJoin(notificationSettings, eq(notificationSettings.personId, people.id))
        .leftJoin(notificationPreferences, and(eq(notificationPreferences.personId, people.id), eq(notificationPreferences.kind, input.kind)))
        .leftJoin(notificationWebhooks, and(eq(notificationWebhooks.personId, people.id), eq(notificationWebhooks.active, true)))
        .where(and(inArray(people.id, ids), eq(people.active, true)));
      const now = new Date();
      const values = rows.map((p) => ({
        id: uuidv7(),
        recipientId: p.id,
        kind: input.kind,
        title: input.title,
        body: input.body ?? '',
        link: input.link,
        recordRef: input.recordRef ?? null,
        actorId: input.actorId ?? null,
        createdAt: now,
        emailState: p.email_on === false ? 'off' : p.digest ? 'digest' : 'queued',
      }));
      if (values.length) await tx.insert(notifications).values(values);
      notified = values.length;
      for (const [i, p] of rows.entries()) {
        if (values[i].emailState === 'queued') {
          await mailer.queue(tx, {
            to: p.email,
            subject: input.title,
            paragraphs: [`Hello ${p.name.split(' ')[0]},`, ...(input.body ? input.body.split(/\n{2,}/) : [])],
            action: { label: `Open ${input.recordRef ?? 'in Tandem'}`, url: absolute(input.link) },
            kind: input.kind,
            relatedPersonId: p.id,
          });
        }
      }
      const personPosts = rows.flatMap((p, i) => (p.webhookId && p.webhook_on !== false ? [{ id: uuidv7(), notificationId: values[i].id, webhookId: p.webhookId, message, nextAttemptAt: now }] : []));
      if (personPosts.length) await tx.insert(notificationDeliveries).values(personPosts);
      posts += personPosts.length;
    }
    if (deptIds.length) {
      const hooks = await tx
        .select({ id: notificationWebhooks.id })
        .from(notificationWebhooks)
        .where(and(inArray(notificationWebhooks.departmentId, deptIds), eq(notificationWebhooks.active, true)));
      if (hooks.length) await tx.insert(notificationDeliveries).values(hooks.map((h) => ({ id: uuidv7(), notificationId: null, webhookId: h.id, message })));
      posts += hooks.length;
    }
    if (posts) options.onQueued?.();
    return { notified, posts };
  }

  async function deliver(opts: { now?: Date; limit?: number } = {}): Promise<DeliveryResult> {
    const now = opts.now ?? new Date();
    const nowIso = now.toISOString();
    // Claim: one statement marks due posts as being sent by this worker; a second worker skips them.
    // A worker that died mid-send leaves a lock that expires, and the post is tried again.
    const { rows: claimed } = await database.query<{ id: string; webhook_id: string; message: ChatMessage | string; attempts: number }>(
      `update notification_deliveries d
          set status = 'sending', attempts = d.attempts + 1, locked_until = $1::timestamptz + make_interval(secs => ${LOCK_SECONDS})
        where d.id in (
          select id from notification_deliveries
           where (status = 'pending' and next_attempt_at <= $1::timestamptz) or (status = 'sending' and locked_until < $1::timestamptz)
           order by next_attempt_at, id
           limit $2
           for update skip locked)
        returning d.id, d.webhook_id, d.message, d.attempts`,
      [nowIso, opts.limit ?? 50],
    );
    const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
    if (!claimed.length) return result;
    const hooks = await db.select().from(notificationWebhooks).where(inArray(notificationWebhooks.id, [...new Set(claimed.map((c) => c.webhook_id))]));
    const hookById = new Map(hooks.map((h) => [h.id, h]));
    for (const d of claimed) {
      const message = (typeof d.message === 'string' ? JSON.parse(d.message) : d.message) as ChatMessage;
      const hook = hookById.get(d.webhook_id);
      let error: string | null = null;
      let status: number | null = null;
      if (!hook || !hook.active) {
        error = 'the webhook was removed or switched off';
      } else {
        const body = JSON.stringify(chatPayload(hook.format as WebhookFormat, message, absolute(message.link)));
        const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Tandem-Notifications/1' };
        if (hook.signingSecret) headers['x-tandem-signature'] = signatureHeader(hook.signingSecret, body);
        try {
          const res = await doFetch(hook.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(POST_TIMEOUT_MS), redirect: 'error' });
          status = res.status;
          await res.arrayBuffer().catch(() => undefined);
          if (!res.ok) error = `HTTP ${res.status}`;
        } catch (err) {
          error = (err as Error).message.slice(0, 300) || 'request failed';
        }
      }
      const attempts = Number(d.attempts);
      if (!error) {
        await database.query(`update notification_deliveries set status = 'sent', delivered_at = $2::timestamptz, response_status = $3, last_error = null, locked_until = null where id = $1`, [d.id, nowIso, status]);
        result.sent++;
      } else if (!hook || !hook.active || attempts >= MAX_DELIVERY_ATTEMPTS) {
        await database.query(`update notification_deliveries set status = 'failed', response_status = $2, last_error = $3, locked_until = null where id = $1`, [d.id, status, error]);
        result.failed++;
      } else {
        await database.query(
          `update notification_deliveries set status = 'pending', response_status = $2, last_error = $3, locked_until = null, next_attempt_at = $4::timestamptz + make_interval(secs => $5) where id = $1`,
          [d.id, status, error, nowIso, backoffSeconds(attempts)],
        );
        result.retried++;
      }
    }
    return result;
  }

  async function digest(opts: { now?: Date } = {}) {
    const now = opts.now ?? new Date();
    return db.transaction(async (tx) => {
      // Rows another instance is digesting right now are skipped, and once committed they are no longer 'digest'.
      const rows = await tx
        .select({ id: notifications.id, recipientId: notifications.recipientId, title: notifications.title, body: notifications.body, link: notifications.link, readAt: notifications.readAt, createdAt: notifications.createdAt })
        .from(notifications)
        .where(and(eq(notifications.emailState, 'digest'), sql`${notifications.createdAt} <= ${now.toISOString()}::timestamptz`))
        .orderBy(asc(notifications.recipientId), asc(notifications.createdAt))
        .for('update', { skipLocked: true });
      if (!rows.length) return { mails: 0, items: 0 };
      const recipientIds = [...new Set(rows.map((r) => r.recipientId))];
      const persons = await tx.select({ id: people.id, name: people.name, email: people.email, active: people.active }).from(people).where(inArray(people.id, recipientIds));
      let mails = 0;
      let items = 0;
      for (const person of persons) {
        // Already read in the app: nothing to tell by mail.
        const unread = rows.filter((r) => r.recipientId === person.id && !r.readAt);
        if (!person.active || !unread.length) continue;
        await mailer.queue(tx, {
          to: person.email,
          subject: `Tandem: ${unread.length} notification${unread.length === 1 ? '' : 's'} since yesterday`,
          paragraphs: [
            `Hello ${person.name.split(' ')[0]},`,
            `Here is what happened in Tandem that concerns you (${unread.length} unread):`,
            ...unread.map((r) => `• ${r.title}${r.body ? ` — ${r.body.length > 200 ? `${r.body.slice(0, 199)}…` : r.body}` : ''} (${absolute(r.link)})`),
            'You receive this daily digest because you chose it in your notification preferences.',
          ],
          action: { label: 'Open my notifications', url: absolute('/notifications') },
          kind: 'notification_digest',
          relatedPersonId: person.id,
        });
        mails++;
        items += unread.length;
      }
      await tx.update(notifications).set({ emailState: 'digested', digestedAt: now }).where(inArray(notifications.id, rows.map((r) => r.id)));
      return { mails, items };
    });
  }

  return { notify, deliver, digest };
}
