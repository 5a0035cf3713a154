import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { departments, people, stores } from '../people/schema.js';

/** Ideas from everyone (M8). `number` is the short reference IDEA-<number>, from a sequence. */
export const ideas = pgTable(
  'ideas',
  {
    id: uuid('id').primaryKey(),
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    category: text('category').notNull(),
    state: text('state').notNull().default('submitted'),
    storeId: uuid('store_id').references(() => stores.id),
    /** The submitting department (the author's at submission time); null for anonymous ideas. */
    departmentId: uuid('department_id').references(() => departments.id),
    authorId: uuid('author_id').notNull().references(() => people.id),
    anonymous: boolean('anonymous').notNull().default(false),
    ownerId: uuid('owner_id').references(() => people.id),
    voteCount: integer('vote_count').notNull().default(0),
    commentCount: integer('comment_count').notNull().default(0),
    declineReason: text('decline_reason'),
    duplicateOfId: uuid('duplicate_of_id').references((): AnyPgColumn => ideas.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Last state change, ownership change, comment or vote: "oldest untouched" sorts by it. */
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ideas_number_key').on(t.number),
    index('ideas_state_idx').on(t.state),
    index('ideas_owner_idx').on(t.ownerId),
    index('ideas_author_idx').on(t.authorId),
    index('ideas_search_idx').using('gin', sql`to_tsvector('english', ${t.title} || ' ' || ${t.description})`),
    check('ideas_category_check', sql`${t.category} in ('technology','process','training','communication','store_operations','other')`),
    check('ideas_state_check', sql`${t.state} in ('submitted','under_review','accepted','declined','duplicate','in_progress','done')`),
    check('ideas_decline_reason_check', sql`${t.state} <> 'declined' or ${t.declineReason} is not null`),
    check('ideas_duplicate_check', sql`${t.state} <> 'duplicate' or ${t.duplicateOfId} is not null`),
    check('ideas_vote_count_check', sql`${t.voteCount} >= 0`),
  ],
);

/** One vote per person per idea. */
export const ideaVotes = pgTable(
  'idea_votes',
  {
    ideaId: uuid('idea_id').notNull().references(() => ideas.id),
    personId: uuid('person_id').notNull().references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'idea_votes_pkey', columns: [t.ideaId, t.personId] }), index('idea_votes_person_idx').on(t.personId)],
);

/** The idea's history: submission, state changes, ownership, comments, merged votes. */
export const ideaEvents = pgTable(
  'idea_events',
  {
    id: uuid('id').primaryKey(),
    ideaId: uuid('idea_id').notNull().references(() => ideas.id),
    kind: text('kind').notNull(),
    actorId: uuid('actor_id').references(() => people.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    fromState: text('from_state'),
    toState: text('to_state'),
    ownerId: uuid('owner_id').references(() => people.id),
    body: text('body'),
    /** Person ids mentioned in a comment. */
    mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
  },
  (t) => [
    index('idea_events_idea_idx').on(t.ideaId, t.at),
    check('idea_events_kind_check', sql`${t.kind} in ('submitted','state','owner','comment','votes_merged')`),
  ],
);
