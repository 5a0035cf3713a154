import { z } from 'zod';
import { problemSchema } from './errors.js';
import { listQueryBase, pageOf, queryBoolean } from './list.js';
import { PEER_GROUPS, type PeerGroup } from './pos-groups.js';

/**
 * Cashier monitoring (M2): POS import, scoring, exception queue, video links, dashboards.
 * Money is in integer cents; times are ISO 8601 UTC strings; business days are YYYY-MM-DD
 * in the store's own calendar. See docs/api.md (POS section) and docs/data-formats.md.
 */

export const POS_TYPES = ['sale', 'return', 'void', 'post_void', 'no_sale', 'paid_in', 'paid_out', 'training'] as const;
export type PosType = (typeof POS_TYPES)[number];
export const POS_TENDERS = ['cash', 'card', 'gift', 'store_credit', 'mixed', 'none'] as const;
export const POS_CARD_ENTRIES = ['chip', 'tap', 'swipe', 'keyed'] as const;
export const POS_FORMATS = ['csv', 'ndjson', 'poslog'] as const;
export type PosFormat = (typeof POS_FORMATS)[number];

/** Flags set on a transaction at import (a bit each); each flagged transaction becomes an exception. */
export const POS_FLAGS = {
  post_void_large: 1,
  refund_no_receipt_card: 2,
  no_sale_after_hours: 4,
  void_after_total_large: 8,
  keyed_card_large: 16,
  refund_after_sale: 32,
} as const;
export type PosFlag = keyof typeof POS_FLAGS;
export const POS_FLAG_LABELS: Record<PosFlag, string> = {
  post_void_large: 'Post-void of a large transaction',
  refund_no_receipt_card: 'Refund without receipt to a card',
  no_sale_after_hours: 'No-sale drawer open outside store hours',
  void_after_total_large: 'Large void after total',
  keyed_card_large: 'Large sale with a keyed (manual) card number',
  refund_after_sale: 'Refund soon after a matching sale (same card or amount)',
};

// ------------------------------------------------------------------ imports

export const IMPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const IMPORT_SOURCES = ['upload', 'api', 'cli', 'demo', 'folder'] as const;

/** POST /api/pos/imports and POST /api/pos/batches: query string (the body is the raw file). */
export const importQuery = z.object({
  skipInvalid: queryBoolean.optional().default(false),
  filename: z.string().trim().max(200).optional(),
  /** Format; by default taken from the content type (text/csv, application/x-ndjson, application/xml). */
  format: z.enum(POS_FORMATS).optional(),
  /** POST /api/pos/imports only: answer when the import has finished instead of at once (202). */
  wait: queryBoolean.optional().default(false),
});

export const importSchema = z.object({
  id: z.string(),
  status: z.enum(IMPORT_STATUSES),
  source: z.enum(IMPORT_SOURCES),
  format: z.enum(POS_FORMATS),
  filename: z.string(),
  sha256: z.string().nullable(),
  skipInvalid: z.boolean(),
  /** Bytes of the file when known (Content-Length), else null. */
  bytesTotal: z.number().nullable(),
  bytesRead: z.number(),
  rowsRead: z.number(),
  rowsInserted: z.number(),
  /** Rows already in the database (or repeated within the file): skipped. */
  rowsDuplicate: z.number(),
  rowsInvalid: z.number(),
  /** The first 100 problems, each with its line and field; `errorTotal` counts them all. */
  errors: z.array(problemSchema),
  errorTotal: z.number(),
  unknownStores: z.array(z.string()),
  /** Set when this file (same SHA-256) was imported before. */
  sameFileAs: z.string().nullable(),
  message: z.string(),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  /** While queued behind other imports of the same instance: 1 = next to run; else null. */
  queuePosition: z.number().int().nullable(),
});
export type PosImport = z.infer<typeof importSchema>;
export const importListQuery = listQueryBase.extend({
  sort: z.enum(['startedAt']).default('startedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  status: z.enum(IMPORT_STATUSES).optional(),
});
export const importPage = pageOf(importSchema);

// ------------------------------------------------------------------ settings

export const METRICS = [
  'refund_rate',
  'refund_no_receipt_rate',
  'refund_cash_rate',
  'refund_after_sale_rate',
  'post_void_rate',
  'void_after_total_rate',
  'line_void_rate',
  'no_sale_rate',
  'price_override_rate',
  'manual_card_rate',
  'employee_discount_rate',
  'gift_card_rate',
  'manager_override_rate',
  'low_avg_item_value',
  'refund_card_repeat',
  'refund_other_card',
  'cash_sale_refund_card',
  'gift_card_void',
  'manual_item_rate',
  'low_items_per_minute',
  'low_value_per_minute',
  'discount_card_repeat',
] as const;
export type Metric = (typeof METRICS)[number];
export const METRIC_LABELS: Record<Metric, string> = {
  refund_rate: 'refund rate',
  refund_no_receipt_rate: 'refunds without receipt',
  refund_cash_rate: 'cash refunds',
  refund_after_sale_rate: 'refunds soon after a matching sale',
  post_void_rate: 'post-void rate',
  void_after_total_rate: 'voids after total',
  line_void_rate: 'line voids per item',
  no_sale_rate: 'no-sale drawer opens',
  price_override_rate: 'price overrides per item',
  manual_card_rate: 'keyed card entries',
  employee_discount_rate: 'employee discounts',
  gift_card_rate: 'gift-card issue/redeem',
  manager_override_rate: 'manager overrides',
  low_avg_item_value: 'average item value',
  refund_card_repeat: 'repeated refunds to one card',
  refund_other_card: 'refunds to a card not used in the sale',
  cash_sale_refund_card: 'cash sales refunded to a card',
  gift_card_void: 'gift cards activated then voided',
  manual_item_rate: 'items keyed by hand',
  low_items_per_minute: 'items per minute',
  low_value_per_minute: 'basket value per minute',
  discount_card_repeat: 'repeated discounts to one card',
};

/** Peer groups: a cashier is compared with people who do the same job (see docs/detection.md). */
export { PEER_GROUPS, type PeerGroup };
export const PEER_GROUP_LABELS: Record<PeerGroup, string> = {
  lane: 'lane cashiers',
  service_desk: 'service desk',
  self_checkout: 'self-checkout supervision',
  manager: 'managers',
  supervisor: 'supervisors',
  trainee: 'trainees (first 4 weeks)',
  night: 'night closing shift',
};
export const REGISTER_TYPES = ['lane', 'service_desk', 'self_checkout'] as const;
export const OPERATOR_ROLES = ['cashier', 'supervisor', 'manager'] as const;

const weight = z.number().min(0, 'must be 0 or more').max(10, 'must be at most 10');
export const settingsSchema = z.object({
  /** Weight of each metric in the risk score (0 switches a metric off). */
  weights: z.object(Object.fromEntries(METRICS.map((m) => [m, weight])) as Record<Metric, typeof weight>),
  /** Score at or above which a cashier-period is "watch" / "high". */
  watchThreshold: z.number().int().min(1).max(100),
  highThreshold: z.number().int().min(1).max(100),
  /** Empirical-Bayes prior strength: a cashier's rate is shrunk as (x + k·p_store)/(n + k). */
  priorTransactions: z.number().int().min(0).max(10000),
  /** Share of the deviation measured against the chain (the rest against the store's cashiers). */
  chainWeight: z.number().min(0).max(1),
  /** A post-void / void after total / keyed sale at or above this amount is flagged. */
  largeAmountCents: z.number().int().min(0),
  /** Refund within this many minutes of a sale with the same card or amount counts as "soon after". */
  refundMatchMinutes: z.number().int().min(1).max(1440),
  /** Store hours (local, 0-24) for "no-sale outside hours". */
  storeOpenHour: z.number().int().min(0).max(23),
  storeCloseHour: z.number().int().min(1).max(24),
  /**
   * Months of POS transactions kept before the current month; older months (their partitions, their
   * aggregates, scores and the exceptions no case holds) are dropped by the daily retention job.
   */
  retentionMonths: z
    .number({ error: 'must be a whole number of months' })
    .int('must be a whole number of months')
    .min(3, 'must be at least 3 months (scores compare cashiers over weeks)')
    .max(120, 'must be at most 120 months (10 years)'),
});
export type PosSettings = z.infer<typeof settingsSchema>;
export const settingsPatch = settingsSchema.partial().extend({ weights: settingsSchema.shape.weights.partial().optional() }).superRefine((s, ctx) => {
  if (s.watchThreshold !== undefined && s.highThreshold !== undefined && s.watchThreshold >= s.highThreshold) {
    ctx.addIssue({ code: 'custom', path: ['watchThreshold'], message: 'must be below highThreshold' });
  }
});
export const settingsResponse = settingsSchema.extend({ updatedAt: z.string().nullable(), updatedByName: z.string().nullable() });

// ------------------------------------------------------------------ scores

export const BANDS = ['low', 'watch', 'high'] as const;
export type Band = (typeof BANDS)[number];
export const PERIODS = ['day', 'week'] as const;
export type Period = (typeof PERIODS)[number];

export const explanationSchema = z.object({
  metric: z.enum(METRICS),
  /** The cashier's raw value (rate 0-1, or cents for average item value). */
  value: z.number(),
  storeValue: z.number(),
  chainValue: z.number(),
  /** The peer reference (leave-one-out, same peer group: store shrunk toward the chain); absent on older scores. */
  peerValue: z.number().optional(),
  /** Combined deviation in standard deviations (after small-sample shrinkage). */
  z: z.number(),
  /** The metric's evidence: log10 of how many times likelier these numbers are for a dishonest cashier. */
  points: z.number(),
  /** e.g. "refund rate 9.1% vs store 2.3% (4.2σ)". */
  text: z.string(),
});
export type Explanation = z.infer<typeof explanationSchema>;

export const cashierScoreSchema = z.object({
  cashierId: z.string(),
  cashierCode: z.string(),
  cashierName: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  period: z.enum(PERIODS),
  periodStart: z.string(),
  score: z.number(),
  band: z.enum(BANDS),
  transactions: z.number(),
  /** Metrics that raise the score, largest first. */
  explanation: z.array(explanationSchema),
  /** One line: the explanation texts joined, or "in line with the store". */
  summary: z.string(),
});
export type CashierScore = z.infer<typeof cashierScoreSchema>;

export const scoreListQuery = listQueryBase.extend({
  sort: z.enum(['score']).default('score'),
  order: z.enum(['asc', 'desc']).default('desc'),
  period: z.enum(PERIODS).default('week'),
  /** Start of the period (a Monday for weeks); default: the latest scored period. */
  periodStart: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
  storeId: z.uuid({ error: 'is not a valid id' }).optional(),
  band: z.enum(BANDS).optional(),
});

// ------------------------------------------------------------------ transactions

export const transactionSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  register: z.string(),
  cashierCode: z.string(),
  cashierName: z.string(),
  transactionNumber: z.string(),
  businessDay: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** Start in the store's local time, "YYYY-MM-DD HH:MM:SS". */
  localStart: z.string(),
  /** The store's IANA time zone, named beside local times. */
  storeTimezone: z.string().optional(),
  type: z.enum(POS_TYPES),
  totalCents: z.number(),
  itemCount: z.number(),
  lineVoidCount: z.number(),
  lineVoidCents: z.number(),
  overrideCount: z.number(),
  overrideCents: z.number(),
  discountCents: z.number(),
  employeeDiscount: z.boolean(),
  manualEntryCount: z.number(),
  tender: z.enum(POS_TENDERS),
  cardEntry: z.enum(POS_CARD_ENTRIES).nullable(),
  cardToken: z.string().nullable(),
  originalTransaction: z.string().nullable(),
  managerOverride: z.string().nullable(),
  voidedAfterTotal: z.boolean(),
  giftCardIssuedCents: z.number(),
  flags: z.array(z.enum(Object.keys(POS_FLAGS) as [PosFlag, ...PosFlag[]])),
  /** Line items and tenders (POSLog imports), else null. */
  details: z.unknown().nullable(),
  /** Playback link at the transaction's second, or null when the register has no camera or the store no template. */
  videoUrl: z.string().nullable(),
});
export type PosTransaction = z.infer<typeof transactionSchema>;
export const transactionListQuery = listQueryBase.extend({
  sort: z.enum(['startedAt', 'totalCents']).default('startedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  from: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
  type: z.enum(POS_TYPES).optional(),
  flagged: queryBoolean.optional(),
});
export const transactionPage = pageOf(transactionSchema);

// ------------------------------------------------------------------ exceptions

export const EXCEPTION_STATUSES = ['new', 'reviewing', 'dismissed', 'watch', 'confirmed'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];
export const EXCEPTION_KINDS = ['cashier_period', 'transaction'] as const;

export const exceptionSchema = z.object({
  id: z.string(),
  /** Short reference people say aloud: EXC-123. */
  ref: z.string(),
  kind: z.enum(EXCEPTION_KINDS),
  /** cashier_period: 'high_risk_score'; transaction: one of POS_FLAGS (the first that applies). */
  rule: z.string(),
  rules: z.array(z.string()),
  storeId: z.string(),
  storeCode: z.string(),
  storeName: z.string(),
  /** The store's IANA time zone: store-bound times are shown in it, with the zone named. */
  storeTimezone: z.string(),
  cashierId: z.string().nullable(),
  cashierCode: z.string(),
  cashierName: z.string(),
  transactionId: z.string().nullable(),
  period: z.enum(PERIODS).nullable(),
  periodStart: z.string().nullable(),
  score: z.number().nullable(),
  amountCents: z.number().nullable(),
  summary: z.string(),
  occurredAt: z.string(),
  status: z.enum(EXCEPTION_STATUSES),
  dismissReason: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  videoUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PosException = z.infer<typeof exceptionSchema>;
export const exceptionNoteSchema = z.object({ id: z.string(), authorId: z.string().nullable(), authorName: z.string(), body: z.string(), createdAt: z.string() });
export const exceptionDetailSchema = exceptionSchema.extend({
  transaction: transactionSchema.nullable(),
  /** For cashier-period exceptions: the score and its explanation. */
  cashierScore: cashierScoreSchema.nullable(),
  notes: z.array(exceptionNoteSchema),
});

export const exceptionListQuery = listQueryBase.extend({
  sort: z.enum(['occurredAt', 'score', 'amountCents', 'createdAt']).default('occurredAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  status: z.enum(EXCEPTION_STATUSES).optional(),
  /** "open": new, reviewing or watch. */
  open: queryBoolean.optional(),
  kind: z.enum(EXCEPTION_KINDS).optional(),
  rule: z.string().max(40).optional(),
  storeId: z.uuid({ error: 'is not a valid id' }).optional(),
  cashierId: z.uuid({ error: 'is not a valid id' }).optional(),
  assigneeId: z.uuid({ error: 'is not a valid id' }).optional(),
  from: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
});
export const exceptionPage = pageOf(exceptionSchema);

export const exceptionPatch = z
  .object({
    status: z.enum(EXCEPTION_STATUSES, { error: `must be one of ${EXCEPTION_STATUSES.join(', ')}` }).optional(),
    /** Required when status becomes "dismissed". */
    dismissReason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(1000).optional(),
    /** A person id, or null to unassign. */
    assigneeId: z.uuid({ error: 'is not a valid id' }).nullable().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.status === 'dismissed' && !p.dismissReason) ctx.addIssue({ code: 'custom', path: ['dismissReason'], message: 'is required to dismiss an exception' });
  });
export const noteInput = z.object({ body: z.string().trim().min(1, 'is required').max(5000, 'must be at most 5000 characters') });

// ------------------------------------------------------------------ video

export const videoConfigSchema = z.object({
  storeId: z.string(),
  storeCode: z.string(),
  timezone: z.string(),
  /**
   * Playback URL with placeholders: {camera}, {start_iso} {end_iso} (UTC, 2026-05-04T14:03:22Z),
   * {start_epoch} {end_epoch} (seconds), {start_epoch_ms} {end_epoch_ms}, {start} {end} (= ISO).
   */
  urlTemplate: z.string().nullable(),
  leadInSeconds: z.number().int(),
  leadOutSeconds: z.number().int(),
  registers: z.array(z.object({ register: z.string(), camera: z.string() })),
  /** Registers seen in imported transactions without a camera. */
  unmappedRegisters: z.array(z.string()),
  updatedAt: z.string().nullable(),
});
export type VideoConfig = z.infer<typeof videoConfigSchema>;
export const videoConfigInput = z.object({
  urlTemplate: z
    .string()
    .trim()
    .max(1000)
    .refine((s) => /^https?:\/\//.test(s), 'must start with http:// or https://')
    .refine((s) => s.includes('{camera}'), 'must contain {camera}')
    .refine((s) => /\{start(_iso|_epoch|_epoch_ms)?\}/.test(s), 'must contain a start placeholder ({start_iso} or {start_epoch})')
    .nullable(),
  leadInSeconds: z.number().int().min(0, 'must be 0 or more').max(3600, 'must be at most 3600'),
  leadOutSeconds: z.number().int().min(0, 'must be 0 or more').max(3600, 'must be at most 3600'),
  registers: z
    .array(z.object({ register: z.string().trim().min(1, 'is required').max(40), camera: z.string().trim().min(1, 'is required').max(200) }))
    .max(500),
});

// ------------------------------------------------------------------ dashboards

export const dateRangeQuery = z.object({
  from: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
});

export const chainDashboardSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  totals: z.object({ transactions: z.number(), salesCents: z.number(), refundCents: z.number(), openExceptions: z.number(), highRiskCashiers: z.number() }),
  byStore: z.array(
    z.object({
      storeId: z.string(),
      storeCode: z.string(),
      storeName: z.string(),
      transactions: z.number(),
      salesCents: z.number(),
      refundCents: z.number(),
      exceptions: z.number(),
      openExceptions: z.number(),
      highRiskCashiers: z.number(),
    }),
  ),
  trend: z.array(z.object({ day: z.string(), transactions: z.number(), salesCents: z.number(), refundCents: z.number(), exceptions: z.number() })),
});

export const storeDashboardQuery = z.object({
  period: z.enum(PERIODS).default('week'),
  periodStart: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
});
export const storeDashboardSchema = z.object({
  storeId: z.string(),
  storeCode: z.string(),
  storeName: z.string(),
  timezone: z.string(),
  period: z.enum(PERIODS),
  periodStart: z.string().nullable(),
  /** Periods that have scores, newest first (for a period picker). */
  periods: z.array(z.string()),
  cashiers: z.array(cashierScoreSchema),
  /** Count of cashiers per score bucket 0-9, 10-19, … 90-100. */
  distribution: z.array(z.object({ bucket: z.string(), count: z.number() })),
  storeRates: z.record(z.string(), z.number()),
});

export const cashierSchema = z.object({ id: z.string(), code: z.string(), name: z.string(), storeId: z.string(), storeCode: z.string(), storeName: z.string() });
export const cashierDashboardSchema = z.object({
  cashier: cashierSchema,
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Weekly and daily scores, oldest first. */
  scores: z.array(cashierScoreSchema),
  /** Per business day: the cashier's metric values and the store's, for "against the store" charts. */
  days: z.array(z.object({ day: z.string(), transactions: z.number(), metrics: z.record(z.string(), z.number()), store: z.record(z.string(), z.number()) })),
});

// ------------------------------------------------------------------ detection: ranking over a range, peer groups, queue

export const rankingQuery = z.object({
  /** First and last business day; default: the 4 weeks to the latest imported day. */
  from: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
  storeId: z.uuid({ error: 'is not a valid id' }).optional(),
  group: z.enum(PEER_GROUPS).optional(),
  band: z.enum(BANDS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
export const rankedCashierSchema = z.object({
  cashierId: z.string().nullable(),
  cashierCode: z.string(),
  cashierName: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  group: z.enum(PEER_GROUPS),
  score: z.number(),
  band: z.enum(BANDS),
  /** log10 of the Bayes factor behind the score (the score saturates at 100; ranking uses this). */
  points: z.number(),
  transactions: z.number(),
  explanation: z.array(explanationSchema),
  summary: z.string(),
  openExceptions: z.number(),
});
export type RankedCashier = z.infer<typeof rankedCashierSchema>;
export const registerAlertSchema = z.object({ storeId: z.string(), storeCode: z.string(), register: z.string(), cashiers: z.number(), keyedRate: z.number(), storeKeyedRate: z.number(), text: z.string() });
export const rankingSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  days: z.number(),
  total: z.number(),
  items: z.array(rankedCashierSchema),
  /** Registers whose numbers are the register's (a faulty card reader), not a cashier's. */
  registerAlerts: z.array(registerAlertSchema),
});
export type Ranking = z.infer<typeof rankingSchema>;

export const operatorImportResult = z.object({ created: z.number().int(), updated: z.number().int(), lines: z.number().int() });
export const operatorSchema = z.object({ storeId: z.string(), storeCode: z.string(), code: z.string(), name: z.string(), role: z.enum(OPERATOR_ROLES), hireDate: z.string().nullable() });

export const registerSchema = z.object({
  storeId: z.string(),
  storeCode: z.string(),
  register: z.string(),
  type: z.enum(REGISTER_TYPES),
  status: z.enum(['proposed', 'confirmed']),
  reason: z.string(),
  confirmedByName: z.string().nullable(),
  updatedAt: z.string(),
});
export type PosRegister = z.infer<typeof registerSchema>;
export const registerInput = z.object({ type: z.enum(REGISTER_TYPES, { error: `must be one of ${REGISTER_TYPES.join(', ')}` }) });
export const registerParams = z.object({ id: z.uuid({ error: 'is not a valid id' }), register: z.string().min(1).max(40) });

export const BULK_ACTIONS = ['assign', 'dismiss', 'watch'] as const;
export const exceptionBulkInput = z
  .object({
    ids: z.array(z.uuid({ error: 'is not a valid id' })).min(1, 'select at least one exception').max(500, 'at most 500 at once'),
    action: z.enum(BULK_ACTIONS, { error: `must be one of ${BULK_ACTIONS.join(', ')}` }),
    /** assign: the person (null unassigns). */
    assigneeId: z.uuid({ error: 'is not a valid id' }).nullable().optional(),
    /** dismiss: one reason for all. */
    dismissReason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(1000).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.action === 'dismiss' && !p.dismissReason) ctx.addIssue({ code: 'custom', path: ['dismissReason'], message: 'is required to dismiss' });
    if (p.action === 'assign' && p.assigneeId === undefined) ctx.addIssue({ code: 'custom', path: ['assigneeId'], message: 'is required to assign' });
  });
export const exceptionBulkResult = z.object({ updated: z.number().int() });

export const queueQuery = z.object({
  storeId: z.uuid({ error: 'is not a valid id' }).optional(),
  assigneeId: z.uuid({ error: 'is not a valid id' }).optional(),
  /** Open exceptions only (default) or every status. */
  open: queryBoolean.optional().default(true),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const queueGroupSchema = z.object({
  cashierId: z.string().nullable(),
  cashierCode: z.string(),
  cashierName: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  /** The group's risk: its highest score (exception or the cashier's latest week). */
  risk: z.number(),
  exceptions: z.array(exceptionSchema),
});
export const queueSchema = z.object({ total: z.number(), groups: z.array(queueGroupSchema) });
export type QueueGroup = z.infer<typeof queueGroupSchema>;
export const nextExceptionSchema = z.object({ id: z.string().nullable() });

export const outcomeSchema = z.object({
  /** A rule (transaction flag, high_risk_score, accumulated_risk) or a signal (metric) behind cashier exceptions. */
  rule: z.string(),
  label: z.string(),
  raised: z.number(),
  reviewed: z.number(),
  confirmed: z.number(),
  dismissed: z.number(),
  /** confirmed / reviewed (null before any review). */
  hitRate: z.number().nullable(),
  /** Amount of the confirmed exceptions' transactions. */
  lossFoundCents: z.number(),
});
export const outcomesSchema = z.object({ from: z.string().nullable(), to: z.string().nullable(), items: z.array(outcomeSchema) });
