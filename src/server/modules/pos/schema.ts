import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, stores } from '../people/schema.js';

/**
 * One row per POS transaction. Written only by the import pipeline with COPY; no foreign key on
 * store_id (checked by the importer: a per-row RI trigger would halve the bulk-load rate).
 * The unique key makes a re-import add nothing.
 *
 * Partitioned by business month (PARTITION BY RANGE (business_day), migration 0021), which Drizzle
 * cannot express: the table, its monthly partitions and the default partition are made by SQL
 * (migrations/0021_pos_partitions.sql, partitions.ts). Every key holds business_day, the partition key.
 */
export const posTransactions = pgTable(
  'pos_transactions',
  {
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    importId: uuid('import_id').notNull(),
    storeId: uuid('store_id').notNull(),
    register: text('register').notNull(),
    cashierCode: text('cashier_code').notNull(),
    businessDay: date('business_day', { mode: 'string' }).notNull(),
    txnNumber: text('txn_number').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    type: text('type').notNull(),
    totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
    itemCount: integer('item_count').notNull(),
    lineVoidCount: integer('line_void_count').notNull(),
    lineVoidCents: bigint('line_void_cents', { mode: 'number' }).notNull(),
    overrideCount: integer('override_count').notNull(),
    overrideCents: bigint('override_cents', { mode: 'number' }).notNull(),
    discountCents: bigint('discount_cents', { mode: 'number' }).notNull(),
    employeeDiscount: boolean('employee_discount').notNull(),
    manualEntryCount: integer('manual_entry_count').notNull(),
    tender: text('tender').notNull(),
    cardEntry: text('card_entry'),
    cardToken: text('card_token'),
    originalRef: text('original_ref'),
    managerOverride: text('manager_override'),
    voidedAfterTotal: boolean('voided_after_total').notNull(),
    giftIssuedCents: bigint('gift_issued_cents', { mode: 'number' }).notNull(),
    flags: smallint('flags').notNull(),
    details: jsonb('details'),
  },
  (t) => [
    primaryKey({ name: 'pos_transactions_pkey', columns: [t.id, t.businessDay] }),
    uniqueIndex('pos_transactions_key').on(t.storeId, t.businessDay, t.register, t.txnNumber),
    check('pos_transactions_type_check', sql`${t.type} in ('sale','return','void','post_void','no_sale','paid_in','paid_out','training')`),
  ],
);

/** Cashiers as the POS knows them: (store, cashier id) with the last name seen. */
export const posCashiers = pgTable(
  'pos_cashiers',
  {
    id: uuid('id').primaryKey(),
    storeId: uuid('store_id').notNull().references(() => stores.id),
    code: text('code').notNull(),
    name: text('name').notNull().default(''),
    firstDay: date('first_day', { mode: 'string' }),
    lastDay: date('last_day', { mode: 'string' }),
  },
  (t) => [uniqueIndex('pos_cashiers_store_code_key').on(t.storeId, t.code)],
);

/**
 * The counts of a business day, the same for a cashier-day and a store-day (its cashier-days'
 * sums): one definition, so the two tables cannot drift apart. A function: each table needs its
 * own column builders.
 */
function daySums() {
  return {
    txnCount: integer('txn_count').notNull(),
    saleCount: integer('sale_count').notNull(),
    salesCents: bigint('sales_cents', { mode: 'number' }).notNull(),
    saleItems: integer('sale_items').notNull(),
    itemCount: integer('item_count').notNull(),
    refundCount: integer('refund_count').notNull(),
    refundCents: bigint('refund_cents', { mode: 'number' }).notNull(),
    refundNoReceiptCount: integer('refund_no_receipt_count').notNull(),
    refundCashCount: integer('refund_cash_count').notNull(),
    refundAfterSaleCount: integer('refund_after_sale_count').notNull(),
    postVoidCount: integer('post_void_count').notNull(),
    postVoidCents: bigint('post_void_cents', { mode: 'number' }).notNull(),
    voidAfterTotalCount: integer('void_after_total_count').notNull(),
    lineVoidCount: integer('line_void_count').notNull(),
    lineVoidCents: bigint('line_void_cents', { mode: 'number' }).notNull(),
    noSaleCount: integer('no_sale_count').notNull(),
    overrideCount: integer('override_count').notNull(),
    overrideCents: bigint('override_cents', { mode: 'number' }).notNull(),
    cardCount: integer('card_count').notNull(),
    manualCardCount: integer('manual_card_count').notNull(),
    employeeDiscountCount: integer('employee_discount_count').notNull(),
    employeeDiscountCents: bigint('employee_discount_cents', { mode: 'number' }).notNull(),
    giftIssueCount: integer('gift_issue_count').notNull(),
    giftRedeemCount: integer('gift_redeem_count').notNull(),
    managerOverrideCount: integer('manager_override_count').notNull(),
    flaggedCount: integer('flagged_count').notNull(),
  };
}

/**
 * Per cashier × business day counts, kept up to date in each import's transaction, so that scores
 * and dashboards never scan raw transactions.
 */
export const posCashierDays = pgTable(
  'pos_cashier_days',
  {
    storeId: uuid('store_id').notNull(),
    cashierCode: text('cashier_code').notNull(),
    businessDay: date('business_day', { mode: 'string' }).notNull(),
    ...daySums(),
  },
  (t) => [primaryKey({ name: 'pos_cashier_days_pkey', columns: [t.storeId, t.businessDay, t.cashierCode] })],
);

/**
 * Per store × business day: the sums of that store-day's cashier-days, and its transaction exceptions
 * (flagged transactions, training excluded), rewritten with the cashier-days of the touched store-days
 * at import. The chain, store and cashier dashboards read this small table (stores × days rows).
 */
export const posStoreDays = pgTable(
  'pos_store_days',
  {
    storeId: uuid('store_id').notNull(),
    businessDay: date('business_day', { mode: 'string' }).notNull(),
    cashierCount: integer('cashier_count').notNull(),
    ...daySums(),
    exceptionCount: integer('exception_count').notNull(),
  },
  (t) => [primaryKey({ name: 'pos_store_days_pkey', columns: [t.storeId, t.businessDay] }), index('pos_store_days_day_idx').on(t.businessDay)],
);

/** Risk scores per cashier and period (day or ISO week starting Monday), from the aggregates. */
export const posScores = pgTable(
  'pos_scores',
  {
    storeId: uuid('store_id').notNull(),
    cashierCode: text('cashier_code').notNull(),
    period: text('period').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    score: real('score').notNull(),
    band: text('band').notNull(),
    txnCount: integer('txn_count').notNull(),
    explanation: jsonb('explanation').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'pos_scores_pkey', columns: [t.period, t.periodStart, t.storeId, t.cashierCode] }),
    index('pos_scores_cashier_idx').on(t.storeId, t.cashierCode),
    check('pos_scores_period_check', sql`${t.period} in ('day','week')`),
    check('pos_scores_band_check', sql`${t.band} in ('low','watch','high')`),
  ],
);

/** One row of editable settings (weights, thresholds). */
export const posSettings = pgTable('pos_settings', {
  id: smallint('id').primaryKey().default(1),
  config: jsonb('config').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => people.id),
});

/** Finished imports (succeeded or failed); running ones are held in memory by the process running them. */
export const posImports = pgTable(
  'pos_imports',
  {
    id: uuid('id').primaryKey(),
    status: text('status').notNull(),
    source: text('source').notNull(),
    format: text('format').notNull(),
    filename: text('filename').notNull(),
    sha256: text('sha256'),
    skipInvalid: boolean('skip_invalid').notNull(),
    bytesTotal: bigint('bytes_total', { mode: 'number' }),
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull(),
    rowsRead: integer('rows_read').notNull(),
    rowsInserted: integer('rows_inserted').notNull(),
    rowsDuplicate: integer('rows_duplicate').notNull(),
    rowsInvalid: integer('rows_invalid').notNull(),
    errors: jsonb('errors').notNull(),
    errorTotal: integer('error_total').notNull(),
    unknownStores: jsonb('unknown_stores').notNull(),
    message: text('message').notNull(),
    createdBy: uuid('created_by'),
    createdByName: text('created_by_name'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('pos_imports_started_idx').on(t.startedAt),
    index('pos_imports_sha_idx').on(t.sha256),
    check('pos_imports_status_check', sql`${t.status} in ('succeeded','failed')`),
  ],
);

/** The exception queue: high-risk cashier-periods and flagged transactions, with their review state. */
export const posExceptions = pgTable(
  'pos_exceptions',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    rule: text('rule').notNull(),
    rules: text('rules').array().notNull(),
    storeId: uuid('store_id').notNull().references(() => stores.id),
    cashierCode: text('cashier_code').notNull(),
    transactionId: bigint('transaction_id', { mode: 'number' }),
    period: text('period'),
    periodStart: date('period_start', { mode: 'string' }),
    score: real('score'),
    amountCents: bigint('amount_cents', { mode: 'number' }),
    summary: text('summary').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('new'),
    dismissReason: text('dismiss_reason'),
    assigneeId: uuid('assignee_id').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('pos_exceptions_transaction_key').on(t.transactionId),
    uniqueIndex('pos_exceptions_period_key').on(t.storeId, t.cashierCode, t.period, t.periodStart, t.rule),
    index('pos_exceptions_occurred_idx').on(t.occurredAt),
    index('pos_exceptions_status_idx').on(t.status),
    index('pos_exceptions_cashier_idx').on(t.storeId, t.cashierCode),
    check('pos_exceptions_kind_check', sql`${t.kind} in ('cashier_period','transaction')`),
    check('pos_exceptions_status_check', sql`${t.status} in ('new','reviewing','dismissed','watch','confirmed')`),
    check('pos_exceptions_dismiss_check', sql`${t.status} <> 'dismissed' or ${t.dismissReason} is not null`),
  ],
);

export const posExceptionNotes = pgTable(
  'pos_exception_notes',
  {
    id: uuid('id').primaryKey(),
    exceptionId: uuid('exception_id').notNull().references(() => posExceptions.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => people.id),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('pos_exception_notes_exception_idx').on(t.exceptionId)],
);

/** Per store: the video system's playback URL template and lead-in/out. */
export const posVideoSystems = pgTable('pos_video_systems', {
  storeId: uuid('store_id').primaryKey().references(() => stores.id),
  urlTemplate: text('url_template'),
  leadInSeconds: integer('lead_in_seconds').notNull().default(10),
  leadOutSeconds: integer('lead_out_seconds').notNull().default(30),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Register → camera that covers it (camera id as the video system names it). */
export const posRegisterCameras = pgTable(
  'pos_register_cameras',
  {
    storeId: uuid('store_id').notNull().references(() => stores.id),
    register: text('register').notNull(),
    camera: text('camera').notNull(),
    /** The inventory device (M3) the camera id names, when one matches; kept by the devices module. */
    deviceId: uuid('device_id'),
  },
  (t) => [primaryKey({ name: 'pos_register_cameras_pkey', columns: [t.storeId, t.register] })],
);

/** The POS operator list (imported CSV): role and hire date for peer groups. Operators not listed are cashiers. */
export const posOperators = pgTable(
  'pos_operators',
  {
    storeId: uuid('store_id').notNull().references(() => stores.id),
    code: text('code').notNull(),
    name: text('name').notNull().default(''),
    role: text('role').notNull().default('cashier'),
    hireDate: date('hire_date', { mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'pos_operators_pkey', columns: [t.storeId, t.code] }), check('pos_operators_role_check', sql`${t.role} in ('cashier','supervisor','manager')`)],
);

/** Register types: proposed from the data (most returns → service desk) or set and confirmed by a lead. */
export const posRegisters = pgTable(
  'pos_registers',
  {
    storeId: uuid('store_id').notNull().references(() => stores.id),
    register: text('register').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    reason: text('reason').notNull().default(''),
    confirmedBy: uuid('confirmed_by').references(() => people.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'pos_registers_pkey', columns: [t.storeId, t.register] }),
    check('pos_registers_type_check', sql`${t.type} in ('lane','service_desk','self_checkout')`),
    check('pos_registers_status_check', sql`${t.status} in ('proposed','confirmed')`),
  ],
);

/** Per cashier × day: counters for the detection signals (see signals.ts). */
export const posCashierDaySignals = pgTable(
  'pos_cashier_day_signals',
  {
    storeId: uuid('store_id').notNull(),
    cashierCode: text('cashier_code').notNull(),
    businessDay: date('business_day', { mode: 'string' }).notNull(),
    refundCardCount: integer('refund_card_count').notNull(),
    refundOtherCardCount: integer('refund_other_card_count').notNull(),
    refundCashSaleToCardCount: integer('refund_cash_sale_to_card_count').notNull(),
    giftVoidCount: integer('gift_void_count').notNull(),
    timedSaleCount: integer('timed_sale_count').notNull(),
    timedSaleSeconds: doublePrecision('timed_sale_seconds').notNull(),
    timedSaleItems: integer('timed_sale_items').notNull(),
    timedSaleCents: bigint('timed_sale_cents', { mode: 'number' }).notNull(),
    manualItemCount: integer('manual_item_count').notNull(),
    discountCount: integer('discount_count').notNull(),
    nightCount: integer('night_count').notNull(),
  },
  (t) => [primaryKey({ name: 'pos_cashier_day_signals_pkey', columns: [t.storeId, t.businessDay, t.cashierCode] })],
);

/** Per cashier × register × day: the register mix. */
export const posCashierRegisterDays = pgTable(
  'pos_cashier_register_days',
  {
    storeId: uuid('store_id').notNull(),
    cashierCode: text('cashier_code').notNull(),
    register: text('register').notNull(),
    businessDay: date('business_day', { mode: 'string' }).notNull(),
    txnCount: integer('txn_count').notNull(),
    refundCount: integer('refund_count').notNull(),
    cardCount: integer('card_count').notNull(),
    keyedCount: integer('keyed_count').notNull(),
  },
  (t) => [primaryKey({ name: 'pos_cashier_register_days_pkey', columns: [t.storeId, t.businessDay, t.cashierCode, t.register] })],
);

/** Per cashier × card token × day: refunds and discounts to one card. */
export const posCashierCardDays = pgTable(
  'pos_cashier_card_days',
  {
    storeId: uuid('store_id').notNull(),
    cashierCode: text('cashier_code').notNull(),
    businessDay: date('business_day', { mode: 'string' }).notNull(),
    cardToken: text('card_token').notNull(),
    refundCount: integer('refund_count').notNull(),
    refundCents: bigint('refund_cents', { mode: 'number' }).notNull(),
    discountCount: integer('discount_count').notNull(),
  },
  (t) => [primaryKey({ name: 'pos_cashier_card_days_pkey', columns: [t.storeId, t.businessDay, t.cashierCode, t.cardToken]})],
);
