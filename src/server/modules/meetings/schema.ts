import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people } from '../people/schema.js';

/**
 * A recurring joint meeting (M7). `uid` and `sequence` are the calendar series' (the invitation
 * carries an RRULE); `generatedUntil` is how far ahead occurrences exist, and the claim of the
 * generation job (rows are locked FOR UPDATE SKIP LOCKED while a run extends them).
 */
export const meetingSeries = pgTable(
  'meeting_series',
  {
    id: uuid('id').primaryKey(),
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    uid: text('uid').notNull(),
    sequence: integer('sequence').notNull().default(0),
    title: text('title').notNull(),
    purpose: text('purpose').notNull().default(''),
    cadence: text('cadence').notNull(),
    firstDate: date('first_date', { mode: 'string' }).notNull(),
    localTime: text('local_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    timezone: text('timezone').notNull(),
    location: text('location').notNull().default(''),
    chairId: uuid('chair_id').notNull().references(() => people.id),
    noteTakerId: uuid('note_taker_id').notNull().references(() => people.id),
    status: text('status').notNull().default('active'),
    generatedUntil: timestamp('generated_until', { withTimezone: true }),
    createdById: uuid('created_by_id').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('meeting_series_number_key').on(t.number),
    uniqueIndex('meeting_series_uid_key').on(t.uid),
    check('meeting_series_cadence_check', sql`${t.cadence} in ('weekly','biweekly','monthly','quarterly','weekdays')`),
    check('meeting_series_status_check', sql`${t.status} in ('active','ended')`),
    check('meeting_series_duration_check', sql`${t.durationMinutes} between 5 and 480`),
  ],
);

export const meetingSeriesAttendees = pgTable(
  'meeting_series_attendees',
  {
    seriesId: uuid('series_id').notNull().references(() => meetingSeries.id),
    personId: uuid('person_id').notNull().references(() => people.id),
  },
  (t) => [primaryKey({ name: 'meeting_series_attendees_pkey', columns: [t.seriesId, t.personId] }), index('meeting_series_attendees_person_idx').on(t.personId)],
);

/**
 * One meeting of a series. `originalStartsAt` is its slot in the recurrence (the RECURRENCE-ID of a
 * single-occurrence change) and unique per series, so generating twice adds nothing.
 */
export const meetingOccurrences = pgTable(
  'meeting_occurrences',
  {
    id: uuid('id').primaryKey(),
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    seriesId: uuid('series_id').notNull().references(() => meetingSeries.id),
    originalStartsAt: timestamp('original_starts_at', { withTimezone: true }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('scheduled'),
    sequence: integer('sequence').notNull().default(0),
    location: text('location'),
    changeNote: text('change_note'),
    followUpSentAt: timestamp('follow_up_sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('meeting_occurrences_number_key').on(t.number),
    uniqueIndex('meeting_occurrences_slot_key').on(t.seriesId, t.originalStartsAt),
    index('meeting_occurrences_starts_idx').on(t.seriesId, t.startsAt),
    check('meeting_occurrences_status_check', sql`${t.status} in ('scheduled','cancelled')`),
    check('meeting_occurrences_time_check', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const meetingAttendance = pgTable(
  'meeting_attendance',
  {
    occurrenceId: uuid('occurrence_id').notNull().references(() => meetingOccurrences.id),
    personId: uuid('person_id').notNull().references(() => people.id),
    status: text('status').notNull(),
  },
  (t) => [primaryKey({ name: 'meeting_attendance_pkey', columns: [t.occurrenceId, t.personId] }), check('meeting_attendance_status_check', sql`${t.status} in ('present','absent','excused')`)],
);

/** An agenda item: owner, time box, links to records, its minutes; `suggestionKey` when accepted from a suggestion. */
export const meetingItems = pgTable(
  'meeting_items',
  {
    id: uuid('id').primaryKey(),
    occurrenceId: uuid('occurrence_id').notNull().references(() => meetingOccurrences.id),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    ownerId: uuid('owner_id').references(() => people.id),
    timeBoxMinutes: integer('time_box_minutes').notNull().default(10),
    links: jsonb('links').$type<Array<{ label: string; href: string }>>().notNull().default(sql`'[]'::jsonb`),
    suggestionKey: text('suggestion_key'),
    why: text('why'),
    minutes: text('minutes').notNull().default(''),
    addedById: uuid('added_by_id').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('meeting_items_occurrence_idx').on(t.occurrenceId, t.position),
    uniqueIndex('meeting_items_suggestion_key').on(t.occurrenceId, t.suggestionKey),
    check('meeting_items_time_box_check', sql`${t.timeBoxMinutes} between 1 and 240`),
  ],
);

export const meetingDecisions = pgTable(
  'meeting_decisions',
  {
    id: uuid('id').primaryKey(),
    occurrenceId: uuid('occurrence_id').notNull().references(() => meetingOccurrences.id),
    itemId: uuid('item_id').references(() => meetingItems.id),
    text: text('text').notNull(),
    createdById: uuid('created_by_id').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('meeting_decisions_occurrence_idx').on(t.occurrenceId), index('meeting_decisions_created_idx').on(t.createdAt)],
);

/** An action item, tracked across the series' meetings until done. */
export const meetingActions = pgTable(
  'meeting_actions',
  {
    id: uuid('id').primaryKey(),
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    seriesId: uuid('series_id').notNull().references(() => meetingSeries.id),
    occurrenceId: uuid('occurrence_id').notNull().references(() => meetingOccurrences.id),
    itemId: uuid('item_id').references(() => meetingItems.id),
    title: text('title').notNull(),
    ownerId: uuid('owner_id').notNull().references(() => people.id),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    status: text('status').notNull().default('open'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneById: uuid('done_by_id').references(() => people.id),
    createdById: uuid('created_by_id').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('meeting_actions_number_key').on(t.number),
    index('meeting_actions_series_idx').on(t.seriesId, t.status),
    index('meeting_actions_owner_idx').on(t.ownerId, t.status),
    check('meeting_actions_status_check', sql`${t.status} in ('open','done')`),
    check('meeting_actions_done_check', sql`${t.status} <> 'done' or ${t.doneAt} is not null`),
  ],
);

/** Suggestions the chair dismissed for a series, by their stable key: not offered again. */
export const meetingDismissals = pgTable(
  'meeting_dismissals',
  {
    seriesId: uuid('series_id').notNull().references(() => meetingSeries.id),
    key: text('key').notNull(),
    dismissedById: uuid('dismissed_by_id').references(() => people.id),
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'meeting_dismissals_pkey', columns: [t.seriesId, t.key] })],
);
