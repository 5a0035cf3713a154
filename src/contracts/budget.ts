import { z } from 'zod';

/** IT budget and LP priority alignment (M5). */

/**
 * The published benchmark: retailers above $1B spend 8.3 % of their IT budget on loss-prevention
 * priorities (IHL Group / Axis Communications, 2015; cited as the 2015 Retail Theft Survey).
 */
export const BENCHMARK_PERCENT = 8.3;
export const BENCHMARK_SOURCE = 'IHL Group / Axis Communications study of retailers above $1B revenue (2015), cited as the 2015 Retail Theft Survey';
/** The survey's reference line: cashier monitoring is a CCTV priority for 100 % of LP and 56 % of IT. */
export const REFERENCE_LINE = { priority: 'Cashier monitoring via CCTV', lpPercent: 100, itPercent: 56 } as const;
/** No aggregate is shown for a department with fewer answers than this (answers are confidential). */
export const MIN_GROUP = 5;

export const BUDGET_KINDS = ['capex', 'opex'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];
export const BUDGET_KIND_LABELS: Record<BudgetKind, string> = { capex: 'Capex', opex: 'Opex' };
export const BUDGET_CATEGORIES = ['network', 'stores', 'security', 'pos', 'infrastructure', 'software', 'services', 'end_user', 'other'] as const;
export const BUDGET_CATEGORY_LABELS: Record<(typeof BUDGET_CATEGORIES)[number], string> = {
  network: 'Network',
  stores: 'Store technology',
  security: 'Security and LP technology',
  pos: 'Point of sale',
  infrastructure: 'Infrastructure',
  software: 'Software and licences',
  services: 'Services',
  end_user: 'End-user computing',
  other: 'Other',
};

/** Fiscal years start on 1 February (the retail calendar) and are named by the year they start in. */
export const FISCAL_START_MONTH = 2;
export function fiscalYearOf(date: Date): number {
  return date.getUTCMonth() + 1 >= FISCAL_START_MONTH ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
}
export const budgetLineRef = (n: number) => `BUD-${n}`;

const cents = z.number({ error: 'must be a number' }).int('must be whole cents').min(1, 'must be more than zero').max(1e13, 'is too large');

export const priorityTagSchema = z.object({ priorityId: z.string(), priorityName: z.string(), sharePercent: z.number().int() });
export const budgetLineSchema = z.object({
  id: z.string(),
  ref: z.string(),
  fiscalYear: z.number().int(),
  kind: z.enum(BUDGET_KINDS),
  title: z.string(),
  vendor: z.string(),
  category: z.enum(BUDGET_CATEGORIES),
  amountCents: z.number().int(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  projectId: z.string().nullable(),
  projectRef: z.string().nullable(),
  tags: z.array(priorityTagSchema),
  /** The part of the amount that serves LP priorities (sum of shares). */
  lpCents: z.number().int(),
  updatedAt: z.string(),
});
export type BudgetLine = z.infer<typeof budgetLineSchema>;
export const budgetLinePage = z.object({ items: z.array(budgetLineSchema), total: z.number().int(), nextCursor: z.string().nullable() });

export const tagInput = z.array(z.object({ priorityId: z.string().uuid('is not a priority'), sharePercent: z.number().int('must be a whole percent').min(1, 'must be 1–100').max(100, 'must be 1–100') })).max(20);
export const budgetLineInput = z.object({
  fiscalYear: z.number().int().min(2000, 'must be a year from 2000').max(2100, 'must be a year up to 2100'),
  kind: z.enum(BUDGET_KINDS, { error: 'must be capex or opex' }),
  title: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
  vendor: z.string().trim().max(200).default(''),
  category: z.enum(BUDGET_CATEGORIES, { error: `must be one of ${BUDGET_CATEGORIES.join(', ')}` }),
  amountCents: cents,
  ownerId: z.string().uuid('is not a person').nullable().default(null),
  /** Id or reference (PRJ-3) of the project this line funds. */
  project: z.string().trim().max(60).nullable().default(null),
  tags: tagInput.default([]),
});
export const budgetLinePatch = budgetLineInput.partial();
export const budgetLineListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  sort: z.enum(['amountCents', 'title', 'number']).default('amountCents'),
  fiscalYear: z.coerce.number().int().min(2000).max(2100).optional(),
  kind: z.enum(BUDGET_KINDS).optional(),
  category: z.enum(BUDGET_CATEGORIES).optional(),
  tagged: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export const budgetImportInput = z.object({
  fiscalYear: z.number().int().min(2000, 'must be a year from 2000').max(2100, 'must be a year up to 2100'),
  csv: z.string().min(1, 'is required').max(2_000_000, 'is too large (2 MB at most)'),
});
/** The CSV columns of an import; amounts in currency units (12500.00), tags as `code:percent;code:percent`. */
export const BUDGET_CSV_COLUMNS = ['kind', 'title', 'amount', 'vendor', 'category', 'owner_email', 'priorities', 'project'] as const;

export const prioritySchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string(),
  position: z.number().int(),
  active: z.boolean(),
});
export type LpPriority = z.infer<typeof prioritySchema>;
export const priorityInput = z.object({
  code: z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be lower-case letters, digits and _ (2–40)'),
  name: z.string().trim().min(1, 'is required').max(120),
  description: z.string().trim().max(1000).default(''),
  position: z.number().int().min(0).max(1000).default(100),
  active: z.boolean().default(true),
});
export const priorityPatch = priorityInput.partial();

export const yearSummary = z.object({ fiscalYear: z.number().int(), lines: z.number().int(), totalCents: z.number().int(), lpCents: z.number().int(), lpPercent: z.number() });

export const alignmentSchema = z.object({
  fiscalYear: z.number().int(),
  benchmarkPercent: z.number(),
  benchmarkSource: z.string(),
  totalCents: z.number().int(),
  lpCents: z.number().int(),
  lpPercent: z.number(),
  capexCents: z.number().int(),
  opexCents: z.number().int(),
  years: z.array(yearSummary),
  byPriority: z.array(z.object({ priorityId: z.string(), name: z.string(), cents: z.number().int(), percentOfIt: z.number(), lines: z.number().int() })),
  byProject: z.array(z.object({ projectId: z.string(), ref: z.string(), title: z.string(), stage: z.string(), cents: z.number().int(), lpCents: z.number().int() })),
  /** LP projects not yet funded: before or at the budget gate without a budget line. */
  waitingForFunding: z.array(z.object({ projectId: z.string(), ref: z.string(), title: z.string(), stage: z.string(), estimatedCostCents: z.number().int().nullable() })),
  pulse: z.lazy(() => pulseReport).nullable(),
});
export type Alignment = z.infer<typeof alignmentSchema>;

// ------------------------------------------------------------------ priority pulse

export const PULSE_DEPARTMENTS = ['lp', 'it', 'infosec', 'security'] as const;
export type PulseDepartment = (typeof PULSE_DEPARTMENTS)[number];
export const PULSE_DEPARTMENT_LABELS: Record<PulseDepartment, string> = { lp: 'Loss prevention', it: 'IT', infosec: 'InfoSec', security: 'Security operations' };

export const pulseGroupSchema = z.object({
  department: z.enum(PULSE_DEPARTMENTS),
  respondents: z.number().int(),
  /** Null when fewer than MIN_GROUP people answered (no aggregate for small groups). */
  priorityPercent: z.number().nullable(),
  averageImportance: z.number().nullable(),
});
export const pulseReport = z.object({
  roundId: z.string(),
  roundTitle: z.string(),
  closesOn: z.string(),
  respondents: z.array(z.object({ department: z.enum(PULSE_DEPARTMENTS), people: z.number().int(), answered: z.number().int() })),
  priorities: z.array(
    z.object({
      priorityId: z.string(),
      name: z.string(),
      groups: z.array(pulseGroupSchema),
      /** LP minus IT, percentage points (null when either is hidden). */
      gap: z.number().nullable(),
      /** IT's budget share on this priority in the round's fiscal year, percent of the IT budget. */
      itBudgetPercent: z.number(),
    }),
  ),
  trend: z.array(z.object({ roundId: z.string(), title: z.string(), closesOn: z.string(), points: z.array(z.object({ priorityId: z.string(), lp: z.number().nullable(), it: z.number().nullable() })) })),
});
export type PulseReport = z.infer<typeof pulseReport>;

export const pulseRoundSchema = z.object({
  id: z.string(),
  title: z.string(),
  opensOn: z.string(),
  closesOn: z.string(),
  open: z.boolean(),
  answered: z.number().int(),
  invited: z.number().int(),
  /** Whether this person has answered (their own answers are theirs only). */
  mine: z.boolean(),
  canAnswer: z.boolean(),
  /** When the last reminder went out (the daily job or the button). */
  remindedAt: z.string().nullable(),
  /** While the deadline is ahead: the day before it, when the last daily reminder goes out. */
  lastReminderOn: z.string().nullable(),
});
export const pulseRoundDetail = pulseRoundSchema.extend({
  priorities: z.array(prioritySchema),
  myAnswers: z.array(z.object({ priorityId: z.string(), isPriority: z.boolean(), importance: z.number().int() })),
  report: pulseReport,
});
export const pulseRoundInput = z.object({
  title: z.string().trim().min(1, 'is required').max(140),
  opensOn: z.string().date('must be a date (YYYY-MM-DD)'),
  closesOn: z.string().date('must be a date (YYYY-MM-DD)'),
});
export const pulseAnswersInput = z.object({
  answers: z.array(z.object({ priorityId: z.string().uuid('is not a priority'), isPriority: z.boolean(), importance: z.number().int().min(1, 'must be 1–5').max(5, 'must be 1–5') })).min(1, 'answer at least one priority').max(50),
});
