import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Audience, EditionSection } from '../../../contracts/newsletter.js';
import { people } from '../people/schema.js';

/** One row (id 1): the key that signs unsubscribe and confirmation links, the public archive switch, the SMTP rate. */
export const newsletterSettings = pgTable(
  'newsletter_settings',
  {
    id: integer('id').primaryKey(),
    signingKey: text('signing_key').notNull(),
    publicArchive: boolean('public_archive').notNull().default(false),
    /** Messages per second the SMTP server accepts from us, across every instance. */
    ratePerSecond: integer('rate_per_second').notNull().default(50),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('newsletter_settings_singleton_check', sql`${t.id} = 1`), check('newsletter_settings_rate_check', sql`${t.ratePerSecond} > 0`)],
);

/** An edition: drafted from the contributors for a period, edited, then sent (its sections are what was sent). */
export const newsletterEditions = pgTable(
  'newsletter_editions',
  {
    id: uuid('id').primaryKey(),
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    cadence: text('cadence').notNull(),
    periodFrom: timestamp('period_from', { withTimezone: true }).notNull(),
    periodTo: timestamp('period_to', { withTimezone: true }).notNull(),
    title: text('title').notNull(),
    editorNote: text('editor_note').notNull().default(''),
    sections: jsonb('sections').$type<EditionSection[]>().notNull().default([]),
    audience: jsonb('audience').$type<Audience>().notNull(),
    status: text('status').notNull().default('draft'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    sendStartedAt: timestamp('send_started_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    recipientCount: integer('recipient_count').notNull().default(0),
    createdBy: uuid('created_by').references(() => people.id),
    updatedBy: uuid('updated_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('newsletter_editions_number_key').on(t.number),
    index('newsletter_editions_status_idx').on(t.status, t.scheduledAt),
    check('newsletter_editions_cadence_check', sql`${t.cadence} in ('weekly','monthly')`),
    check('newsletter_editions_status_check', sql`${t.status} in ('draft','scheduled','sending','sent')`),
    check('newsletter_editions_period_check', sql`${t.periodTo} > ${t.periodFrom}`),
    check('newsletter_editions_scheduled_check', sql`${t.status} <> 'scheduled' or ${t.scheduledAt} is not null`),
  ],
);

/**
 * Opt-in subscribers and every address's own choice: `opt_in` readers get every edition (after
 * confirming); `unsubscribed` and `bounced` addresses get none, whatever the audience.
 */
export const newsletterSubscribers = pgTable(
  'newsletter_subscribers',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    personId: uuid('person_id').references(() => people.id),
    status: text('status').notNull(),
    optIn: boolean('opt_in').notNull().default(false),
    frequency: text('frequency').notNull().default('all'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
    bouncedAt: timestamp('bounced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('newsletter_subscribers_email_key').on(t.email),
    check('newsletter_subscribers_status_check', sql`${t.status} in ('pending','active','unsubscribed','bounced')`),
    check('newsletter_subscribers_frequency_check', sql`${t.frequency} in ('all','monthly')`),
    check('newsletter_subscribers_email_check', sql`${t.email} = lower(${t.email})`),
  ],
);

/** One row per edition and address: the send's own record (state written before and after each SMTP send). */
export const newsletterRecipients = pgTable(
  'newsletter_recipients',
  {
    id: uuid('id').primaryKey(),
    editionId: uuid('edition_id')
      .notNull()
      .references(() => newsletterEditions.id),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    personId: uuid('person_id').references(() => people.id),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set while a worker holds it; a worker that dies leaves a lease that runs out, and another resumes. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lockedBy: text('locked_by'),
    /** The Message-ID given to this recipient's message (the same on a resend, so clients show one). */
    messageId: text('message_id').notNull(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    bouncedAt: timestamp('bounced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('newsletter_recipients_edition_email_key').on(t.editionId, t.email),
    uniqueIndex('newsletter_recipients_message_key').on(t.messageId),
    index('newsletter_recipients_due_idx').on(t.status, t.nextAttemptAt),
    index('newsletter_recipients_email_idx').on(t.email),
    check('newsletter_recipients_status_check', sql`${t.status} in ('queued','sending','sent','failed','bounced')`),
  ],
);
