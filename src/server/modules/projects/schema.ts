import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, stores } from '../people/schema.js';

/** Gate checklist templates per project type; admins edit them. A new project copies them. */
export const projectGateTemplates = pgTable(
  'project_gate_templates',
  {
    type: text('type').notNull(),
    gate: text('gate').notNull(),
    items: jsonb('items').$type<string[]>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.type, t.gate] })],
);

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey(),
    /** The short reference: PRJ-<number>. */
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    type: text('type').notNull(),
    stage: text('stage').notNull().default('proposal'),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => people.id),
    itContactId: uuid('it_contact_id').references(() => people.id),
    estimatedCostCents: bigint('estimated_cost_cents', { mode: 'number' }),
    targetDate: date('target_date', { mode: 'string' }),
    stageSince: timestamp('stage_since', { withTimezone: true }).notNull().defaultNow(),
    stoppedReason: text('stopped_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('projects_number_key').on(t.number),
    index('projects_stage_idx').on(t.stage),
    check('projects_type_check', sql`${t.type} in ('camera_rollout','eas','access_control','analytics','other')`),
    check('projects_stage_check', sql`${t.stage} in ('proposal','security_review','capacity_review','budget_approval','pilot','rollout','done','stopped')`),
  ],
);

/** One row per project and gate: its checklist (copied from the template) and when it passed. */
export const projectGates = pgTable(
  'project_gates',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    gate: text('gate').notNull(),
    checklist: jsonb('checklist').$type<Array<{ label: string; done: boolean; doneBy: string | null; doneByName: string | null; doneAt: string | null }>>().notNull(),
    passedAt: timestamp('passed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.gate] }), check('project_gates_gate_check', sql`${t.gate} in ('security_review','capacity_review','budget_approval')`)],
);

/** The standing decision of each side at a gate (the latest one; every decision is also an event). */
export const projectSignoffs = pgTable(
  'project_signoffs',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    gate: text('gate').notNull(),
    side: text('side').notNull(),
    decision: text('decision').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.gate, t.side] }),
    check('project_signoffs_side_check', sql`${t.side} in ('lp','it')`),
    check('project_signoffs_decision_check', sql`${t.decision} in ('approved','refused')`),
  ],
);

/** The project's history: stage moves, sign-offs, refusals, blocked attempts, links. Append-only. */
export const projectEvents = pgTable(
  'project_events',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    gate: text('gate'),
    fromStage: text('from_stage'),
    toStage: text('to_stage'),
    decision: text('decision'),
    body: text('body').notNull().default(''),
    actorId: uuid('actor_id').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('project_events_project_idx').on(t.projectId, t.createdAt)],
);

export const projectMilestones = pgTable(
  'project_milestones',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    doneOn: date('done_on', { mode: 'string' }),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('project_milestones_project_idx').on(t.projectId)],
);

/** Roll-out per store: which stores the project covers and how far each is. */
export const projectStores = pgTable(
  'project_stores',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    status: text('status').notNull().default('planned'),
    doneOn: date('done_on', { mode: 'string' }),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.storeId] }), index('project_stores_store_idx').on(t.storeId), check('project_stores_status_check', sql`${t.status} in ('planned','in_progress','done')`)],
);

/** Links to records of other modules (requests, devices, camera plans, ideas), by id. */
export const projectLinks = pgTable(
  'project_links',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    targetId: uuid('target_id').notNull(),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('project_links_target_key').on(t.projectId, t.kind, t.targetId), check('project_links_kind_check', sql`${t.kind} in ('request','device','camera_plan','idea')`)],
);
