import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people } from '../people/schema.js';
import { projects } from '../projects/schema.js';

/** The LP priorities budget lines serve and pulse surveys ask about; admins edit the list. */
export const lpPriorities = pgTable(
  'lp_priorities',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(100),
    active: boolean('active').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lp_priorities_code_key').on(t.code)],
);

export const budgetLines = pgTable(
  'budget_lines',
  {
    id: uuid('id').primaryKey(),
    /** The short reference: BUD-<number>. */
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    fiscalYear: integer('fiscal_year').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    vendor: text('vendor').notNull().default(''),
    category: text('category').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    ownerId: uuid('owner_id').references(() => people.id),
    projectId: uuid('project_id').references(() => projects.id),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('budget_lines_number_key').on(t.number),
    index('budget_lines_year_idx').on(t.fiscalYear),
    index('budget_lines_project_idx').on(t.projectId),
    check('budget_lines_kind_check', sql`${t.kind} in ('capex','opex')`),
    check('budget_lines_amount_check', sql`${t.amountCents} > 0`),
  ],
);

/** Which LP priorities a line serves and by what share of its amount (a switch refresh: CCTV 30 %). */
export const budgetLinePriorities = pgTable(
  'budget_line_priorities',
  {
    lineId: uuid('line_id')
      .notNull()
      .references(() => budgetLines.id, { onDelete: 'cascade' }),
    priorityId: uuid('priority_id')
      .notNull()
      .references(() => lpPriorities.id),
    sharePercent: smallint('share_percent').notNull(),
  },
  (t) => [primaryKey({ columns: [t.lineId, t.priorityId] }), check('budget_line_priorities_share_check', sql`${t.sharePercent} between 1 and 100`)],
);

export const pulseRounds = pgTable('pulse_rounds', {
  id: uuid('id').primaryKey(),
  title: text('title').notNull(),
  opensOn: date('opens_on', { mode: 'string' }).notNull(),
  closesOn: date('closes_on', { mode: 'string' }).notNull(),
  createdBy: uuid('created_by').references(() => people.id),
  remindedAt: timestamp('reminded_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One person's answer per priority; read back only as aggregates of five or more (and by the person). */
export const pulseAnswers = pgTable(
  'pulse_answers',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => pulseRounds.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    priorityId: uuid('priority_id')
      .notNull()
      .references(() => lpPriorities.id),
    /** The department kind when answering, so a later move does not rewrite history. */
    department: text('department').notNull(),
    isPriority: boolean('is_priority').notNull(),
    importance: smallint('importance').notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.personId, t.priorityId] }),
    index('pulse_answers_round_idx').on(t.roundId, t.department),
    check('pulse_answers_importance_check', sql`${t.importance} between 1 and 5`),
    check('pulse_answers_department_check', sql`${t.department} in ('lp','it','infosec','security')`),
  ],
);
