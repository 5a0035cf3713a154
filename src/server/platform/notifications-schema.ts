import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { departments, people } from '../modules/people/schema.js';

/** What a chat post says; kept with the delivery so a department channel's post needs no recipient row. */
export interface ChatMessage {
  kind: string;
  title: string;
  body: string;
  link: string;
  recordRef: string | null;
}

/** One row per person told about something: the in-app bell reads these; email and chat follow from them. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    recipientId: uuid('recipient_id').notNull().references(() => people.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    /** Path inside the app, e.g. /requests/42. */
    link: text('link').notNull(),
    recordRef: text('record_ref'),
    actorId: uuid('actor_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
    /** off: no email; queued: an immediate mail was written to the outbox; digest: waits for the daily digest; digested: sent in one. */
    emailState: text('email_state').notNull(),
    digestedAt: timestamp('digested_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_recipient_idx').on(t.recipientId, t.createdAt.desc(), t.id.desc()),
    index('notifications_unread_idx').on(t.recipientId).where(sql`${t.readAt} is null`),
    index('notifications_digest_idx').on(t.recipientId).where(sql`${t.emailState} = 'digest'`),
    check('notifications_email_state_check', sql`${t.emailState} in ('off','queued','digest','digested')`),
  ],
);

/** A chat channel's incoming webhook (Slack or Microsoft Teams): one per person or per department. */
export const notificationWebhooks = pgTable(
  'notification_webhooks',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'cascade' }),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'cascade' }),
    format: text('format').notNull(),
    /** The webhook URL is itself a secret (it carries the channel's token): never returned in full. */
    url: text('url').notNull(),
    signingSecret: text('signing_secret'),
    active: boolean('active').notNull().default(true),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notification_webhooks_person_key').on(t.personId).where(sql`${t.personId} is not null`),
    uniqueIndex('notification_webhooks_department_key').on(t.departmentId).where(sql`${t.departmentId} is not null`),
    check('notification_webhooks_format_check', sql`${t.format} in ('slack','teams')`),
    check('notification_webhooks_owner_check', sql`(${t.personId} is null) <> (${t.departmentId} is null)`),
  ],
);

/** One chat post to make: claimed by one worker at a time, retried with backoff. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey(),
    /** The person's notification it posts (null for a department channel's post). */
    notificationId: uuid('notification_id').references(() => notifications.id, { onDelete: 'cascade' }),
    webhookId: uuid('webhook_id').notNull().references(() => notificationWebhooks.id, { onDelete: 'cascade' }),
    message: jsonb('message').$type<ChatMessage>().notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    responseStatus: integer('response_status'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notification_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('pending','sending')`),
    index('notification_deliveries_notification_idx').on(t.notificationId),
    check('notification_deliveries_status_check', sql`${t.status} in ('pending','sending','sent','failed')`),
  ],
);

/** Per person and kind: email and chat on or off (in-app is always on). Absent row = both on. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    personId: uuid('person_id').notNull().references(() => people.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    email: boolean('email').notNull().default(true),
    webhook: boolean('webhook').notNull().default(true),
  },
  (t) => [primaryKey({ name: 'notification_preferences_pkey', columns: [t.personId, t.kind] })],
);

export const notificationSettings = pgTable('notification_settings', {
  personId: uuid('person_id').primaryKey().references(() => people.id, { onDelete: 'cascade' }),
  emailDigest: boolean('email_digest').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
