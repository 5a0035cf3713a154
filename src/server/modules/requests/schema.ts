import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { departments, people, stores } from '../people/schema.js';

/** Priorities P1…P4 with their response and resolution targets (minutes), editable by admins. */
export const requestPriorities = pgTable(
  'request_priorities',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    responseMinutes: integer('response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    /** Targets count every hour (an outage at night), not the target department's business hours. */
    roundTheClock: boolean('round_the_clock').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('request_priorities_code_check', sql`${t.code} in ('P1','P2','P3','P4')`),
    check('request_priorities_targets_check', sql`${t.responseMinutes} > 0 and ${t.resolutionMinutes} >= ${t.responseMinutes}`),
  ],
);

/**
 * The business hours a department's response and resolution targets count (holidays and days off
 * excluded). A department without a row counts round the clock.
 */
export const requestCalendars = pgTable(
  'request_calendars',
  {
    departmentId: uuid('department_id')
      .primaryKey()
      .references(() => departments.id),
    timezone: text('timezone').notNull(),
    /** ISO weekdays, 1 Monday … 7 Sunday. */
    workDays: integer('work_days').array().notNull(),
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
    holidays: jsonb('holidays').$type<{ date: string; name: string }[]>().notNull().default([]),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('request_calendars_hours_check', sql`${t.startTime} ~ '^[0-2][0-9]:[0-5][0-9]$' and ${t.endTime} ~ '^[0-2][0-9]:[0-5][0-9]$' and ${t.startTime} < ${t.endTime}`)],
);

/** Each department's catalogue of what others may ask of it. */
export const requestTypes = pgTable(
  'request_types',
  {
    id: uuid('id').primaryKey(),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    active: boolean('active').notNull().default(true),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('request_types_department_name_key').on(t.departmentId, t.name)],
);

export const requests = pgTable(
  'requests',
  {
    id: uuid('id').primaryKey(),
    /** The short reference: REQ-<number>. */
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    fromDepartmentId: uuid('from_department_id')
      .notNull()
      .references(() => departments.id),
    toDepartmentId: uuid('to_department_id')
      .notNull()
      .references(() => departments.id),
    typeId: uuid('type_id')
      .notNull()
      .references(() => requestTypes.id),
    priority: text('priority')
      .notNull()
      .references(() => requestPriorities.code),
    status: text('status').notNull().default('new'),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => people.id),
    assigneeId: uuid('assignee_id').references(() => people.id),
    storeId: uuid('store_id').references(() => stores.id),
    dueDate: date('due_date', { mode: 'string' }),
    /** Targets fixed when the request is filed (or its priority changes), from the priority's settings. */
    responseDueAt: timestamp('response_due_at', { withTimezone: true }).notNull(),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }).notNull(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closeReason: text('close_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('requests_number_key').on(t.number),
    index('requests_to_status_idx').on(t.toDepartmentId, t.status),
    index('requests_from_status_idx').on(t.fromDepartmentId, t.status),
    index('requests_assignee_idx').on(t.assigneeId),
    index('requests_created_idx').on(t.createdAt),
    check('requests_status_check', sql`${t.status} in ('new','accepted','in_progress','done','declined','cancelled')`),
    check('requests_departments_check', sql`${t.fromDepartmentId} <> ${t.toDepartmentId}`),
  ],
);

/** The request's history: filing, status changes, assignments, edits and comments. */
export const requestEvents = pgTable(
  'request_events',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    kind: text('kind').notNull(),
    actorId: uuid('actor_id').references(() => people.id),
    body: text('body').notNull().default(''),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('request_events_request_idx').on(t.requestId, t.createdAt),
    check('request_events_kind_check', sql`${t.kind} in ('created','status','assigned','edited','comment')`),
  ],
);
