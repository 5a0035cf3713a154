/**
 * Identity, owned by the platform: who a person is (department, store, role). Sign-in, the auth hook
 * and every module's scope read these tables; the people module manages them.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const departments = pgTable(
  'departments',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull().default('custom'),
    description: text('description').notNull().default(''),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('departments_code_key').on(t.code),
    check('departments_kind_check', sql`${t.kind} in ('lp','security','it','infosec','store_ops','custom')`),
  ],
);

export const stores = pgTable(
  'stores',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    region: text('region').notNull(),
    district: text('district').notNull(),
    timezone: text('timezone').notNull(),
    uplinkMbps: integer('uplink_mbps').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('stores_code_key').on(t.code), check('stores_uplink_check', sql`${t.uplinkMbps} > 0`)],
);

/**
 * People are also the sign-in identities: the auth library reads and writes this table as its
 * "user" model (property names emailVerified/image/createdAt/updatedAt are the library's).
 */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    departmentId: uuid('department_id').references(() => departments.id),
    storeId: uuid('store_id').references(() => stores.id),
    /** Attached to every store of this district (e.g. a district LP manager); see migration 0019. */
    scopeDistrict: text('scope_district'),
    /** Attached to every store of this region. */
    scopeRegion: text('scope_region'),
    title: text('title').notNull().default(''),
    role: text('role').notNull().default('member'),
    active: boolean('active').notNull().default(true),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_email_key').on(t.email),
    index('people_department_idx').on(t.departmentId),
    index('people_store_idx').on(t.storeId),
    check('people_role_check', sql`${t.role} in ('admin','lead','member','staff','viewer')`),
    check('people_one_territory_check', sql`num_nonnulls(${t.storeId}, ${t.scopeDistrict}, ${t.scopeRegion}) <= 1`),
  ],
);

/**
 * Which modules a department may read or work in, as set by an admin. A missing row means the
 * default for the department's kind (`defaultModuleAccess` in src/contracts/policy.ts).
 */
export const departmentModuleAccess = pgTable(
  'department_module_access',
  {
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    module: text('module').notNull(),
    access: text('access').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => people.id),
  },
  (t) => [primaryKey({ name: 'department_module_access_pkey', columns: [t.departmentId, t.module] }), check('department_module_access_access_check', sql`${t.access} in ('none','read','work')`)],
);
