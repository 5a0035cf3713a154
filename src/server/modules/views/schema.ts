import { sql } from 'drizzle-orm';
import { boolean, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people } from '../people/schema.js';

/** A person's saved list view: a name for one list's URL state (filters, sort, search). Only its owner sees it. */
export const savedViews = pgTable(
  'saved_views',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id').notNull().references(() => people.id, { onDelete: 'cascade' }),
    listKey: text('list_key').notNull(),
    name: text('name').notNull(),
    search: jsonb('search').$type<Record<string, string>>().notNull().default({}),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('saved_views_person_list_name_key').on(t.personId, t.listKey, sql`lower(${t.name})`),
    uniqueIndex('saved_views_one_default_key').on(t.personId, t.listKey).where(sql`${t.isDefault}`),
  ],
);
