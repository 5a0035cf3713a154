import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { departments, people, stores } from '../people/schema.js';
import { ideas } from '../ideas/schema.js';

/** The skills catalogue (M6): LP skills for IT people, IT skills for LP people, and shared ones. */
export const trainingSkills = pgTable(
  'training_skills',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    track: text('track').notNull(),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(100),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('training_skills_code_key').on(t.code), check('training_skills_track_check', sql`${t.track} in ('lp','it','shared')`)],
);

/** Target level of a skill for a department (null: every department), narrowed by job title (null: any). */
export const trainingTargets = pgTable(
  'training_targets',
  {
    id: uuid('id').primaryKey(),
    skillId: uuid('skill_id').notNull().references(() => trainingSkills.id),
    departmentId: uuid('department_id').references(() => departments.id),
    title: text('title'),
    level: integer('level').notNull(),
  },
  (t) => [
    uniqueIndex('training_targets_scope_key').on(t.skillId, sql`coalesce(${t.departmentId}::text, '')`, sql`lower(coalesce(${t.title}, ''))`),
    check('training_targets_level_check', sql`${t.level} between 1 and 4`),
  ],
);

/** A person's current rating of a skill: the self-rating and, once a lead has looked at it, the confirmed level. */
export const trainingRatings = pgTable(
  'training_ratings',
  {
    personId: uuid('person_id').notNull().references(() => people.id),
    skillId: uuid('skill_id').notNull().references(() => trainingSkills.id),
    selfLevel: integer('self_level').notNull(),
    selfRatedAt: timestamp('self_rated_at', { withTimezone: true }).notNull().defaultNow(),
    confirmedLevel: integer('confirmed_level'),
    confirmedById: uuid('confirmed_by_id').references(() => people.id),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    note: text('note'),
    status: text('status').notNull().default('pending'),
  },
  (t) => [
    primaryKey({ name: 'training_ratings_pkey', columns: [t.personId, t.skillId] }),
    index('training_ratings_status_idx').on(t.status),
    check('training_ratings_self_level_check', sql`${t.selfLevel} between 0 and 4`),
    check('training_ratings_confirmed_level_check', sql`${t.confirmedLevel} is null or ${t.confirmedLevel} between 0 and 4`),
    check('training_ratings_status_check', sql`${t.status} in ('pending','confirmed')`),
    check('training_ratings_confirmed_check', sql`${t.status} <> 'confirmed' or ${t.confirmedLevel} is not null`),
  ],
);

/** Every self-rating and confirmation, for the trend over time. */
export const trainingRatingEvents = pgTable(
  'training_rating_events',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id').notNull().references(() => people.id),
    skillId: uuid('skill_id').notNull().references(() => trainingSkills.id),
    kind: text('kind').notNull(),
    level: integer('level').notNull(),
    actorId: uuid('actor_id').references(() => people.id),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('training_rating_events_person_idx').on(t.personId, t.at), check('training_rating_events_kind_check', sql`${t.kind} in ('self','confirm')`)],
);

export const trainingCertifications = pgTable(
  'training_certifications',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id').notNull().references(() => people.id),
    name: text('name').notNull(),
    issuer: text('issuer').notNull().default(''),
    issuedOn: date('issued_on', { mode: 'string' }),
    expiresOn: date('expires_on', { mode: 'string' }),
    remindDays: integer('remind_days').notNull().default(60),
    /** Set when the expiry reminder was claimed and queued: it goes out once. */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('training_certifications_person_idx').on(t.personId), index('training_certifications_expires_idx').on(t.expiresOn)],
);

/** A shadowing session; `uid` and `sequence` are the calendar event's, so updates replace it in place. */
export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: uuid('id').primaryKey(),
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    uid: text('uid').notNull(),
    sequence: integer('sequence').notNull().default(0),
    status: text('status').notNull().default('scheduled'),
    hostId: uuid('host_id').notNull().references(() => people.id),
    organizerId: uuid('organizer_id').notNull().references(() => people.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    timezone: text('timezone').notNull(),
    storeId: uuid('store_id').references(() => stores.id),
    room: text('room').notNull().default(''),
    goals: text('goals').notNull().default(''),
    cancelReason: text('cancel_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('training_sessions_number_key').on(t.number),
    uniqueIndex('training_sessions_uid_key').on(t.uid),
    index('training_sessions_host_idx').on(t.hostId, t.startsAt),
    index('training_sessions_starts_idx').on(t.startsAt),
    check('training_sessions_status_check', sql`${t.status} in ('scheduled','cancelled')`),
    check('training_sessions_time_check', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const trainingSessionGuests = pgTable(
  'training_session_guests',
  {
    sessionId: uuid('session_id').notNull().references(() => trainingSessions.id),
    personId: uuid('person_id').notNull().references(() => people.id),
    response: text('response').notNull().default('pending'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'training_session_guests_pkey', columns: [t.sessionId, t.personId] }),
    index('training_session_guests_person_idx').on(t.personId),
    check('training_session_guests_response_check', sql`${t.response} in ('pending','accepted','declined')`),
  ],
);

export const trainingSessionSkills = pgTable(
  'training_session_skills',
  {
    sessionId: uuid('session_id').notNull().references(() => trainingSessions.id),
    skillId: uuid('skill_id').notNull().references(() => trainingSkills.id),
  },
  (t) => [primaryKey({ name: 'training_session_skills_pkey', columns: [t.sessionId, t.skillId] })],
);

/** What each side took from a session; ideas written in it become ideas (M8), linked here. */
export const trainingReflections = pgTable(
  'training_reflections',
  {
    id: uuid('id').primaryKey(),
    sessionId: uuid('session_id').notNull().references(() => trainingSessions.id),
    personId: uuid('person_id').notNull().references(() => people.id),
    learned: text('learned').notNull(),
    redundancies: text('redundancies').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('training_reflections_person_key').on(t.sessionId, t.personId)],
);

export const trainingReflectionIdeas = pgTable(
  'training_reflection_ideas',
  {
    reflectionId: uuid('reflection_id').notNull().references(() => trainingReflections.id),
    ideaId: uuid('idea_id').notNull().references(() => ideas.id),
  },
  (t) => [primaryKey({ name: 'training_reflection_ideas_pkey', columns: [t.reflectionId, t.ideaId] }), uniqueIndex('training_reflection_ideas_idea_key').on(t.ideaId)],
);
