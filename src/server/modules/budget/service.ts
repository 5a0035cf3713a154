import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import {
  BENCHMARK_PERCENT,
  BENCHMARK_SOURCE,
  BUDGET_CATEGORIES,
  BUDGET_KINDS,
  MIN_GROUP,
  PULSE_DEPARTMENTS,
  PULSE_DEPARTMENT_LABELS,
  REFERENCE_LINE,
  budgetLineRef,
  fiscalYearOf,
  type Alignment,
  type BudgetLine,
  type PulseDepartment,
  type PulseReport,
  type budgetImportInput,
  type budgetLineInput,
  type budgetLineListQuery,
  type budgetLinePatch,
  type priorityInput,
  type priorityPatch,
  type pulseAnswersInput,
  type pulseRoundInput,
} from '../../../contracts/budget.js';
import type { Problem } from '../../../contracts/errors.js';
import { projectRef } from '../../../contracts/projects.js';
import { registerAgendaSuggester } from '../../platform/agenda.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { importError, parseCsvRows } from '../../platform/csv-import.js';
import type { DbOrTx } from '../../platform/db.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { registerHomeContributor, type HomeAction } from '../../platform/home.js';
import { containsPattern, paginate, refNumber } from '../../platform/list.js';
import { registerNewsletterContributor } from '../../platform/newsletter-sections.js';
import { assertCan, can, SYSTEM_ACTOR, type Actor } from '../../platform/policy.js';
import { departments, people } from '../people/schema.js';
import { projects } from '../projects/schema.js';
import { findProject } from '../projects/service.js';
import { budgetLinePriorities, budgetLines, lpPriorities, pulseAnswers, pulseRounds } from './schema.js';

const personId = (actor: Actor) => (actor.via === 'system' ? null : actor.id);
const pct = (part: number, whole: number, digits = 1) => (whole > 0 ? Math.round((part / whole) * 100 * 10 ** digits) / 10 ** digits : 0);
const todayIso = () => new Date().toISOString().slice(0, 10);

/** For the projects module: the budget lines that fund a project. */
export async function budgetLinesOfProject(db: DbOrTx, projectId: string) {
  const rows = await db.select().from(budgetLines).where(eq(budgetLines.projectId, projectId)).orderBy(desc(budgetLines.fiscalYear), asc(budgetLines.number));
  return rows.map((r) => ({ id: r.id, ref: budgetLineRef(r.number), fiscalYear: r.fiscalYear, title: r.title, kind: r.kind, amountCents: Number(r.amountCents) }));
}

// ------------------------------------------------------------------ priorities

export async function listPriorities(ctx: AppContext, actor: Actor, options: { all?: boolean } = {}) {
  assertPulseReader(actor);
  const rows = await ctx.db.select().from(lpPriorities).where(options.all ? undefined : eq(lpPriorities.active, true)).orderBy(asc(lpPriorities.position), asc(lpPriorities.name));
  return { items: rows.map(presentPriority) };
}
const presentPriority = (r: typeof lpPriorities.$inferSelect) => ({ id: r.id, code: r.code, name: r.name, description: r.description, position: r.position, active: r.active });

export async function createPriority(ctx: AppContext, actor: Actor, input: z.infer<typeof priorityInput>) {
  assertCan(actor, 'budget:priorities');
  return ctx.db.transaction(async (tx) => {
    const [dup] = await tx.select({ id: lpPriorities.id }).from(lpPriorities).where(eq(lpPriorities.code, input.code));
    if (dup) throw conflict('code', `a priority with code ${input.code} exists`);
    const id = uuidv7();
    await tx.insert(lpPriorities).values({ id, ...input });
    await recordAudit(tx, actor, { action: 'create', entity: 'lp_priority', entityId: id, summary: `Added LP priority "${input.name}"`, after: input });
    const [row] = await tx.select().from(lpPriorities).where(eq(lpPriorities.id, id));
    return presentPriority(row);
  });
}

export async function updatePriority(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof priorityPatch>) {
  assertCan(actor, 'budget:priorities');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(lpPriorities).where(eq(lpPriorities.id, id)).for('update');
    if (!before) throw notFound('Priority');
    if (patch.code && patch.code !== before.code) {
      const [dup] = await tx.select({ id: lpPriorities.id }).from(lpPriorities).where(eq(lpPriorities.code, patch.code));
      if (dup) throw conflict('code', `a priority with code ${patch.code} exists`);
    }
    const diff = changedFields(before as Record<string, unknown>, patch as Record<string, unknown>);
    if (diff.changed.length) {
      await tx.update(lpPriorities).set({ ...patch, updatedAt: new Date() }).where(eq(lpPriorities.id, id));
      await recordAudit(tx, actor, { action: 'update', entity: 'lp_priority', entityId: id, summary: `Updated LP priority "${before.name}": ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    }
    const [row] = await tx.select().from(lpPriorities).where(eq(lpPriorities.id, id));
    return presentPriority(row);
  });
}

// ------------------------------------------------------------------ lines

const lineColumns = {
  id: budgetLines.id,
  number: budgetLines.number,
  fiscalYear: budgetLines.fiscalYear,
  kind: budgetLines.kind,
  title: budgetLines.title,
  vendor: budgetLines.vendor,
  category: budgetLines.category,
  amountCents: budgetLines.amountCents,
  ownerId: budgetLines.ownerId,
  ownerName: people.name,
  projectId: budgetLines.projectId,
  projectNumber: projects.number,
  updatedAt: budgetLines.updatedAt,
};
type LineRow = { id: string; number: number; fiscalYear: number; kind: string; title: string; vendor: string; category: string; amountCents: number; ownerId: string | null; ownerName: string | null; projectId: string | null; projectNumber: number | null; updatedAt: Date };
 
const joinLineRefs = (q: any) => q.leftJoin(people, eq(people.id, budgetLines.ownerId)).leftJoin(projects, eq(projects.id, budgetLines.projectId));

async function tagsOf(db: DbOrTx, lineIds: string[]) {
  if (!lineIds.length) return new Map<string, BudgetLine['tags']>();
  const rows = await db
    .select({ lineId: budgetLinePriorities.lineId, priorityId: budgetLinePriorities.priorityId, priorityName: lpPriorities.name, sharePercent: budgetLinePriorities.sharePercent })
    .from(budgetLinePriorities)
    .innerJoin(lpPriorities, eq(lpPriorities.id, budgetLinePriorities.priorityId))
    .where(inArray(budgetLinePriorities.lineId, lineIds))
    .orderBy(desc(budgetLinePriorities.sharePercent), asc(lpPriorities.position));
  const map = new Map<string, BudgetLine['tags']>();
  for (const r of rows) map.set(r.lineId, [...(map.get(r.lineId) ?? []), { priorityId: r.priorityId, priorityName: r.priorityName, sharePercent: r.sharePercent }]);
  return map;
}

async function presentLines(db: DbOrTx, rows: LineRow[]): Promise<BudgetLine[]> {
  const tags = await tagsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const t = tags.get(r.id) ?? [];
    const amount = Number(r.amountCents);
    return {
      id: r.id,
      ref: budgetLineRef(r.number),
      fiscalYear: r.fiscalYear,
      kind: r.kind as BudgetLine['kind'],
      title: r.title,
      vendor: r.vendor,
      category: r.category as BudgetLine['category'],
      amountCents: amount,
      ownerId: r.ownerId,
      ownerName: r.ownerName,
      projectId: r.projectId,
      projectRef: r.projectNumber != null ? projectRef(r.projectNumber) : null,
      tags: t,
      lpCents: Math.round((amount * t.reduce((s, x) => s + x.sharePercent, 0)) / 100),
      updatedAt: new Date(r.updatedAt).toISOString(),
    };
  });
}

function lineWhere(actor: Actor, query: Partial<z.infer<typeof budgetLineListQuery>>): SQL | undefined {
  const q = query.q?.trim();
  const number = q ? refNumber('BUD', q, { bare: true }) : undefined;
  return and(
    can(actor, 'budget:read') ? sql`true` : sql`false`,
    q ? or(ilike(budgetLines.title, containsPattern(q)), ilike(budgetLines.vendor, containsPattern(q)), number !== undefined ? eq(budgetLines.number, number) : undefined) : undefined,
    query.fiscalYear ? eq(budgetLines.fiscalYear, query.fiscalYear) : undefined,
    query.kind ? eq(budgetLines.kind, query.kind) : undefined,
    query.category ? eq(budgetLines.category, query.category) : undefined,
    query.tagged === true ? sql`exists (select 1 from budget_line_priorities t where t.line_id = ${budgetLines.id})` : query.tagged === false ? sql`not exists (select 1 from budget_line_priorities t where t.line_id = ${budgetLines.id})` : undefined,
  );
}
const LINE_SORTS = { amountCents: budgetLines.amountCents, title: budgetLines.title, number: budgetLines.number };

export async function listLines(ctx: AppContext, actor: Actor, query: z.infer<typeof budgetLineListQuery>) {
  assertCan(actor, 'budget:read');
  const page = await paginate<LineRow, typeof query.sort>(ctx.db, { table: budgetLines, select: lineColumns, joins: joinLineRefs, where: lineWhere(actor, query), sortColumns: LINE_SORTS, idColumn: budgetLines.id, params: query });
  return { ...page, items: await presentLines(ctx.db, page.items) };
}

export async function exportLines(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof budgetLineListQuery>>) {
  assertCan(actor, 'budget:read');
  const direction = query.order === 'asc' ? asc : desc;
  const rows = (await joinLineRefs(ctx.db.select(lineColumns).from(budgetLines))
    .where(lineWhere(actor, query))
    .orderBy(direction(LINE_SORTS[query.sort ?? 'amountCents']), direction(budgetLines.id))) as LineRow[];
  return presentLines(ctx.db, rows);
}

async function lineById(db: DbOrTx, id: string) {
  const [row] = (await joinLineRefs(db.select(lineColumns).from(budgetLines)).where(eq(budgetLines.id, id))) as LineRow[];
  if (!row) throw notFound('Budget line');
  return (await presentLines(db, [row]))[0];
}

async function checkTags(db: DbOrTx, tags: Array<{ priorityId: string; sharePercent: number }>, field = 'tags'): Promise<string | null> {
  if (new Set(tags.map((t) => t.priorityId)).size !== tags.length) return 'a priority is tagged twice';
  const sum = tags.reduce((s, t) => s + t.sharePercent, 0);
  if (sum > 100) return `the shares add up to ${sum} %; at most 100 % of a line can serve LP priorities`;
  if (tags.length) {
    const found = await db.select({ id: lpPriorities.id }).from(lpPriorities).where(and(inArray(lpPriorities.id, tags.map((t) => t.priorityId)), eq(lpPriorities.active, true)));
    if (found.length !== tags.length) return 'names a priority that does not exist or is retired';
  }
  void field;
  return null;
}

async function resolveOwnerAndProject(ctx: AppContext, tx: DbOrTx, actor: Actor, input: { ownerId?: string | null; project?: string | null }) {
  if (input.ownerId) {
    const [p] = await tx.select({ active: people.active }).from(people).where(eq(people.id, input.ownerId));
    if (!p?.active) throw invalid('ownerId', 'no such active person');
  }
  if (input.project) {
    const found = await findProject({ ...ctx, db: tx as never }, actor, input.project);
    if (!found) throw invalid('project', `no project ${input.project}`);
    return found.id;
  }
  return input.project === null ? null : undefined;
}

export async function createLine(ctx: AppContext, actor: Actor, input: z.infer<typeof budgetLineInput>) {
  assertCan(actor, 'budget:edit');
  return ctx.db.transaction(async (tx) => {
    const projectId = await resolveOwnerAndProject(ctx, tx, actor, input);
    const tagProblem = await checkTags(tx, input.tags);
    if (tagProblem) throw invalid('tags', tagProblem);
    const id = uuidv7();
    const [row] = await tx
      .insert(budgetLines)
      .values({ id, fiscalYear: input.fiscalYear, kind: input.kind, title: input.title, vendor: input.vendor, category: input.category, amountCents: input.amountCents, ownerId: input.ownerId, projectId: projectId ?? null, createdBy: personId(actor) })
      .returning({ number: budgetLines.number });
    if (input.tags.length) await tx.insert(budgetLinePriorities).values(input.tags.map((t) => ({ lineId: id, ...t })));
    await recordAudit(tx, actor, { action: 'create', entity: 'budget_line', entityId: id, summary: `Added budget line ${budgetLineRef(row.number)} "${input.title}" (FY${input.fiscalYear})`, after: input });
    return lineById(tx, id);
  });
}

export async function updateLine(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof budgetLinePatch>) {
  assertCan(actor, 'budget:edit');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(budgetLines).where(eq(budgetLines.id, id)).for('update');
    if (!before) throw notFound('Budget line');
    const projectId = await resolveOwnerAndProject(ctx, tx, actor, patch);
    const { tags, project: _project, ...fields } = patch;
    const next = { ...fields, ...(projectId !== undefined ? { projectId } : {}) };
    const diff = changedFields(before as Record<string, unknown>, next as Record<string, unknown>);
    let tagsChanged = false;
    let beforeTags: unknown;
    if (tags) {
      const problem = await checkTags(tx, tags);
      if (problem) throw invalid('tags', problem);
      const old = await tx.select().from(budgetLinePriorities).where(eq(budgetLinePriorities.lineId, id));
      beforeTags = old.map((o) => ({ priorityId: o.priorityId, sharePercent: o.sharePercent }));
      tagsChanged = JSON.stringify([...old].map((o) => `${o.priorityId}:${o.sharePercent}`).sort()) !== JSON.stringify(tags.map((t) => `${t.priorityId}:${t.sharePercent}`).sort());
      if (tagsChanged) {
        await tx.delete(budgetLinePriorities).where(eq(budgetLinePriorities.lineId, id));
        if (tags.length) await tx.insert(budgetLinePriorities).values(tags.map((t) => ({ lineId: id, ...t })));
      }
    }
    if (diff.changed.length || tagsChanged) {
      await tx.update(budgetLines).set({ ...next, updatedAt: new Date() }).where(eq(budgetLines.id, id));
      await recordAudit(tx, actor, {
        action: 'update',
        entity: 'budget_line',
        entityId: id,
        summary: `Updated budget line ${budgetLineRef(before.number)}: ${[...diff.changed, ...(tagsChanged ? ['priorities'] : [])].join(', ')}`,
        before: { ...diff.before, ...(tagsChanged ? { tags: beforeTags } : {}) },
        after: { ...diff.after, ...(tagsChanged ? { tags } : {}) },
      });
    }
    return lineById(tx, id);
  });
}

export async function deleteLine(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'budget:edit');
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(budgetLines).where(eq(budgetLines.id, id)).for('update');
    if (!before) throw notFound('Budget line');
    await tx.delete(budgetLines).where(eq(budgetLines.id, id));
    await recordAudit(tx, actor, { action: 'delete', entity: 'budget_line', entityId: id, summary: `Deleted budget line ${budgetLineRef(before.number)} "${before.title}"`, before: { ...before, amountCents: Number(before.amountCents) } });
  });
}

const csvRow = z.object({
  kind: z.string().trim().toLowerCase().pipe(z.enum(BUDGET_KINDS, { error: 'must be capex or opex' })),
  title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  amount: z
    .string()
    .trim()
    .transform((s) => s.replace(/[$,\s]/g, ''))
    .pipe(z.string().regex(/^\d{1,11}(\.\d{1,2})?$/, 'must be an amount like 12500.00')),
  vendor: z.string().trim().max(200, 'must be at most 200 characters').default(''),
  category: z.string().trim().toLowerCase().pipe(z.enum(BUDGET_CATEGORIES, { error: `must be one of ${BUDGET_CATEGORIES.join(', ')}` })),
  owner_email: z.string().trim().toLowerCase().default(''),
  priorities: z.string().trim().default(''),
  project: z.string().trim().default(''),
});

/**
 * Imports budget lines for a fiscal year from CSV: every line is checked first (columns, owners,
 * priority codes and shares, projects), and one error lists every bad line and field; nothing is
 * written unless every line is good.
 */
export async function importLines(ctx: AppContext, actor: Actor, input: z.infer<typeof budgetImportInput>) {
  assertCan(actor, 'budget:edit');
  const parsed = parseCsvRows(input.csv, csvRow, { required: ['kind', 'title', 'amount', 'category'] });
  const problems: Problem[] = [...parsed.problems];
  let total = parsed.total;
  const priorities = await ctx.db.select().from(lpPriorities).where(eq(lpPriorities.active, true));
  const emails = [...new Set(parsed.rows.map((r) => r.value.owner_email).filter(Boolean))];
  const owners = emails.length ? await ctx.db.select({ id: people.id, email: people.email }).from(people).where(and(inArray(people.email, emails), eq(people.active, true))) : [];
  const ready: Array<{ line: number; values: typeof budgetLines.$inferInsert; tags: Array<{ priorityId: string; sharePercent: number }> }> = [];
  for (const { line, value } of parsed.rows) {
    const bad = (field: string, message: string) => {
      total++;
      problems.push({ line, field, message });
    };
    const before = total;
    let ownerId: string | null = null;
    if (value.owner_email) {
      ownerId = owners.find((o) => o.email.toLowerCase() === value.owner_email)?.id ?? null;
      if (!ownerId) bad('owner_email', `no active person with email ${value.owner_email}`);
    }
    const tags: Array<{ priorityId: string; sharePercent: number }> = [];
    if (value.priorities) {
      for (const part of value.priorities.split(/[;|]/).map((s) => s.trim()).filter(Boolean)) {
        const m = /^([a-z][a-z0-9_]*)\s*[:=]\s*(\d{1,3})\s*%?$/i.exec(part);
        if (!m) {
          bad('priorities', `"${part}" is not code:percent (e.g. cashier_cctv:30)`);
          continue;
        }
        const p = priorities.find((x) => x.code === m[1].toLowerCase());
        const share = Number(m[2]);
        if (!p) bad('priorities', `unknown priority code ${m[1]} (known: ${priorities.map((x) => x.code).join(', ')})`);
        else if (share < 1 || share > 100) bad('priorities', `share for ${m[1]} must be 1–100`);
        else if (tags.some((t) => t.priorityId === p.id)) bad('priorities', `${m[1]} is listed twice`);
        else tags.push({ priorityId: p.id, sharePercent: share });
      }
      const sum = tags.reduce((s, t) => s + t.sharePercent, 0);
      if (sum > 100) bad('priorities', `the shares add up to ${sum} %; at most 100 %`);
    }
    let projectId: string | null = null;
    if (value.project) {
      const found = await findProject(ctx, actor, value.project);
      if (!found) bad('project', `no project ${value.project}`);
      else projectId = found.id;
    }
    if (total !== before) continue;
    const [units, fraction = ''] = value.amount.split('.');
    const amountCents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
    if (amountCents <= 0) {
      bad('amount', 'must be more than zero');
      continue;
    }
    ready.push({ line, values: { id: uuidv7(), fiscalYear: input.fiscalYear, kind: value.kind, title: value.title, vendor: value.vendor, category: value.category, amountCents, ownerId, projectId, createdBy: personId(actor) }, tags });
  }
  if (problems.length) throw importError(problems, total);
  return ctx.db.transaction(async (tx) => {
    for (let i = 0; i < ready.length; i += 200) await tx.insert(budgetLines).values(ready.slice(i, i + 200).map((r) => r.values));
    const tagRows = ready.flatMap((r) => r.tags.map((t) => ({ lineId: r.values.id!, ...t })));
    for (let i = 0; i < tagRows.length; i += 500) await tx.insert(budgetLinePriorities).values(tagRows.slice(i, i + 500));
    const cents = ready.reduce((s, r) => s + Number(r.values.amountCents), 0);
    await recordAudit(tx, actor, { action: 'import', entity: 'budget_line', entityId: null, summary: `Imported ${ready.length} budget lines for FY${input.fiscalYear} (${(cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' })})`, after: { fiscalYear: input.fiscalYear, lines: ready.length, cents } });
    return { imported: ready.length, totalCents: cents };
  });
}

// ------------------------------------------------------------------ alignment

async function yearFigures(db: DbOrTx) {
  const rows = await db.execute(sql`
    select l.fiscal_year as year, count(*)::int as lines, sum(l.amount_cents)::float8 as total,
      coalesce(sum(l.amount_cents * coalesce((select sum(t.share_percent) from budget_line_priorities t where t.line_id = l.id), 0) / 100.0), 0)::float8 as lp
    from budget_lines l group by l.fiscal_year order by l.fiscal_year`);
  return (rows as unknown as { rows: Array<{ year: number; lines: number; total: number; lp: number }> }).rows.map((r) => ({
    fiscalYear: Number(r.year),
    lines: Number(r.lines),
    totalCents: Math.round(Number(r.total)),
    lpCents: Math.round(Number(r.lp)),
    lpPercent: pct(Number(r.lp), Number(r.total)),
  }));
}

async function priorityShares(db: DbOrTx, fiscalYear: number) {
  const rows = await db.execute(sql`
    select p.id, p.name, p.position, coalesce(sum(l.amount_cents * t.share_percent / 100.0), 0)::float8 as cents, count(l.id)::int as lines
    from lp_priorities p
    left join budget_line_priorities t on t.priority_id = p.id
    left join budget_lines l on l.id = t.line_id and l.fiscal_year = ${fiscalYear}
    where p.active
    group by p.id, p.name, p.position order by p.position, p.name`);
  return (rows as unknown as { rows: Array<{ id: string; name: string; cents: number; lines: number }> }).rows.map((r) => ({ priorityId: r.id, name: r.name, cents: Math.round(Number(r.cents)), lines: Number(r.lines) }));
}

export async function alignment(ctx: AppContext, actor: Actor, query: { fiscalYear?: number }): Promise<Alignment> {
  assertCan(actor, 'budget:read');
  const fiscalYear = query.fiscalYear ?? fiscalYearOf(new Date());
  const years = await yearFigures(ctx.db);
  const year = years.find((y) => y.fiscalYear === fiscalYear) ?? { fiscalYear, lines: 0, totalCents: 0, lpCents: 0, lpPercent: 0 };
  const [split] = await ctx.db
    .select({ capex: sql<number>`coalesce(sum(${budgetLines.amountCents}) filter (where ${budgetLines.kind} = 'capex'), 0)::float8`, opex: sql<number>`coalesce(sum(${budgetLines.amountCents}) filter (where ${budgetLines.kind} = 'opex'), 0)::float8` })
    .from(budgetLines)
    .where(eq(budgetLines.fiscalYear, fiscalYear));
  const shares = await priorityShares(ctx.db, fiscalYear);
  const byProjectRows = await ctx.db.execute(sql`
    select p.id, p.number, p.title, p.stage, sum(l.amount_cents)::float8 as cents,
      sum(l.amount_cents * coalesce((select sum(t.share_percent) from budget_line_priorities t where t.line_id = l.id), 0) / 100.0)::float8 as lp
    from budget_lines l join projects p on p.id = l.project_id
    where l.fiscal_year = ${fiscalYear}
    group by p.id, p.number, p.title, p.stage order by cents desc`);
  const waiting = await ctx.db.execute(sql`
    select p.id, p.number, p.title, p.stage, p.estimated_cost_cents
    from projects p
    where p.stage in ('proposal','security_review','capacity_review','budget_approval')
      and not exists (select 1 from budget_lines l where l.project_id = p.id)
    order by p.estimated_cost_cents desc nulls last, p.number`);
  return {
    fiscalYear,
    benchmarkPercent: BENCHMARK_PERCENT,
    benchmarkSource: BENCHMARK_SOURCE,
    totalCents: year.totalCents,
    lpCents: year.lpCents,
    lpPercent: year.lpPercent,
    capexCents: Math.round(Number(split?.capex ?? 0)),
    opexCents: Math.round(Number(split?.opex ?? 0)),
    years,
    byPriority: shares.map((s) => ({ ...s, percentOfIt: pct(s.cents, year.totalCents, 2) })),
    byProject: (byProjectRows as unknown as { rows: Array<{ id: string; number: number; title: string; stage: string; cents: number; lp: number }> }).rows.map((r) => ({
      projectId: r.id,
      ref: projectRef(Number(r.number)),
      title: r.title,
      stage: r.stage,
      cents: Math.round(Number(r.cents)),
      lpCents: Math.round(Number(r.lp)),
    })),
    waitingForFunding: (waiting as unknown as { rows: Array<{ id: string; number: number; title: string; stage: string; estimated_cost_cents: string | number | null }> }).rows.map((r) => ({
      projectId: r.id,
      ref: projectRef(Number(r.number)),
      title: r.title,
      stage: r.stage,
      estimatedCostCents: r.estimated_cost_cents == null ? null : Number(r.estimated_cost_cents),
    })),
    pulse: await latestReport(ctx.db),
  };
}

// ------------------------------------------------------------------ priority pulse

/** The people a round asks: active admins, leads and members of LP, IT, InfoSec and security. */
async function invitedPeople(db: DbOrTx) {
  return db
    .select({ id: people.id, kind: departments.kind })
    .from(people)
    .innerJoin(departments, eq(departments.id, people.departmentId))
    .where(and(eq(people.active, true), inArray(people.role, ['admin', 'lead', 'member']), inArray(departments.kind, [...PULSE_DEPARTMENTS])));
}

/** Aggregates of one round: per priority and department, only for groups of MIN_GROUP or more. */
async function reportFor(db: DbOrTx, round: typeof pulseRounds.$inferSelect): Promise<PulseReport> {
  const priorities = await db.select().from(lpPriorities).where(eq(lpPriorities.active, true)).orderBy(asc(lpPriorities.position), asc(lpPriorities.name));
  const agg = await db
    .select({
      priorityId: pulseAnswers.priorityId,
      department: pulseAnswers.department,
      n: sql<number>`count(*)::int`,
      yes: sql<number>`count(*) filter (where ${pulseAnswers.isPriority})::int`,
      importance: sql<number>`avg(${pulseAnswers.importance})::float8`,
    })
    .from(pulseAnswers)
    .where(eq(pulseAnswers.roundId, round.id))
    .groupBy(pulseAnswers.priorityId, pulseAnswers.department);
  const answered = await db
    .select({ department: pulseAnswers.department, n: sql<number>`count(distinct ${pulseAnswers.personId})::int` })
    .from(pulseAnswers)
    .where(eq(pulseAnswers.roundId, round.id))
    .groupBy(pulseAnswers.department);
  const invited = await invitedPeople(db);
  const year = fiscalYearOf(new Date(`${round.closesOn}T00:00:00Z`));
  const shares = await priorityShares(db, year);
  const total = (await yearFigures(db)).find((y) => y.fiscalYear === year)?.totalCents ?? 0;
  const rows = priorities.map((p) => {
    const groups = PULSE_DEPARTMENTS.map((d) => {
      const a = agg.find((x) => x.priorityId === p.id && x.department === d);
      const n = Number(a?.n ?? 0);
      const shown = n >= MIN_GROUP;
      return { department: d, respondents: shown ? n : 0, priorityPercent: shown ? pct(Number(a!.yes), n, 0) : null, averageImportance: shown ? Math.round(Number(a!.importance) * 10) / 10 : null };
    });
    const lp = groups.find((g) => g.department === 'lp')!.priorityPercent;
    const it = groups.find((g) => g.department === 'it')!.priorityPercent;
    return { priorityId: p.id, name: p.name, groups, gap: lp != null && it != null ? lp - it : null, itBudgetPercent: pct(shares.find((s) => s.priorityId === p.id)?.cents ?? 0, total, 2) };
  });
  const rounds = await db.select().from(pulseRounds).where(sql`${pulseRounds.opensOn} <= ${round.closesOn}`).orderBy(asc(pulseRounds.closesOn));
  const trend = [];
  for (const r of rounds) {
    const a = await db
      .select({ priorityId: pulseAnswers.priorityId, department: pulseAnswers.department, n: sql<number>`count(*)::int`, yes: sql<number>`count(*) filter (where ${pulseAnswers.isPriority})::int` })
      .from(pulseAnswers)
      .where(and(eq(pulseAnswers.roundId, r.id), inArray(pulseAnswers.department, ['lp', 'it'])))
      .groupBy(pulseAnswers.priorityId, pulseAnswers.department);
    const value = (pid: string, d: string) => {
      const x = a.find((y) => y.priorityId === pid && y.department === d);
      return x && Number(x.n) >= MIN_GROUP ? pct(Number(x.yes), Number(x.n), 0) : null;
    };
    trend.push({ roundId: r.id, title: r.title, closesOn: r.closesOn, points: priorities.map((p) => ({ priorityId: p.id, lp: value(p.id, 'lp'), it: value(p.id, 'it') })) });
  }
  return {
    roundId: round.id,
    roundTitle: round.title,
    closesOn: round.closesOn,
    respondents: PULSE_DEPARTMENTS.map((d) => ({ department: d, people: invited.filter((i) => i.kind === d).length, answered: Number(answered.find((x) => x.department === d)?.n ?? 0) })),
    priorities: rows,
    trend,
  };
}

async function latestReport(db: DbOrTx) {
  const [round] = await db.select().from(pulseRounds).where(sql`${pulseRounds.opensOn} <= ${todayIso()}`).orderBy(desc(pulseRounds.closesOn)).limit(1);
  return round ? reportFor(db, round) : null;
}

const pulseDepartmentOf = (actor: Actor): PulseDepartment | null => {
  const kind = actor.department?.kind;
  return kind && (PULSE_DEPARTMENTS as readonly string[]).includes(kind) ? (kind as PulseDepartment) : null;
};
/** Whether the actor is asked by the pulse: LP, IT, InfoSec or security people who may answer. */
export const isPulseRespondent = (actor: Actor) => can(actor, 'pulse:answer') && !!pulseDepartmentOf(actor) && actor.via !== 'system';
/** Pulse rounds and the priority list: budget readers, and everyone the pulse asks. */
export function assertPulseReader(actor: Actor) {
  if (!can(actor, 'budget:read') && !isPulseRespondent(actor)) throw forbidden();
}
export function assertPulseRespondent(actor: Actor) {
  assertCan(actor, 'pulse:answer');
  if (!isPulseRespondent(actor)) throw forbidden(`The priority pulse asks ${PULSE_DEPARTMENTS.map((d) => PULSE_DEPARTMENT_LABELS[d]).join(', ')}`);
}
const isOpen = (r: { opensOn: string; closesOn: string }) => r.opensOn <= todayIso() && todayIso() <= r.closesOn;

export async function listRounds(ctx: AppContext, actor: Actor) {
  assertPulseReader(actor);
  const rounds = await ctx.db.select().from(pulseRounds).orderBy(desc(pulseRounds.closesOn));
  const invited = (await invitedPeople(ctx.db)).length;
  const counts = await ctx.db.select({ roundId: pulseAnswers.roundId, n: sql<number>`count(distinct ${pulseAnswers.personId})::int` }).from(pulseAnswers).groupBy(pulseAnswers.roundId);
  const mine = actor.via === 'system' ? [] : await ctx.db.selectDistinct({ roundId: pulseAnswers.roundId }).from(pulseAnswers).where(eq(pulseAnswers.personId, actor.id));
  const canAnswer = isPulseRespondent(actor);
  return {
    items: rounds.map((r) => ({
      id: r.id,
      title: r.title,
      opensOn: r.opensOn,
      closesOn: r.closesOn,
      open: isOpen(r),
      answered: Number(counts.find((c) => c.roundId === r.id)?.n ?? 0),
      invited,
      mine: mine.some((m) => m.roundId === r.id),
      canAnswer: canAnswer && isOpen(r),
      remindedAt: r.remindedAt?.toISOString() ?? null,
      lastReminderOn: isOpen(r) && r.closesOn > todayIso() ? lastReminderDay(r.closesOn) : null,
    })),
  };
}

export async function getRound(ctx: AppContext, actor: Actor, id: string) {
  assertPulseReader(actor);
  const [round] = await ctx.db.select().from(pulseRounds).where(eq(pulseRounds.id, id));
  if (!round) throw notFound('Pulse round');
  const list = (await listRounds(ctx, actor)).items.find((r) => r.id === id)!;
  const myAnswers = actor.via === 'system' ? [] : await ctx.db.select({ priorityId: pulseAnswers.priorityId, isPriority: pulseAnswers.isPriority, importance: pulseAnswers.importance }).from(pulseAnswers).where(and(eq(pulseAnswers.roundId, id), eq(pulseAnswers.personId, actor.id)));
  return { ...list, priorities: (await listPriorities(ctx, actor)).items, myAnswers, report: await reportFor(ctx.db, round) };
}

export async function createRound(ctx: AppContext, actor: Actor, input: z.infer<typeof pulseRoundInput>) {
  assertCan(actor, 'pulse:manage');
  if (input.closesOn < input.opensOn) throw invalid('closesOn', 'must be on or after the opening day');
  return ctx.db.transaction(async (tx) => {
    const id = uuidv7();
    await tx.insert(pulseRounds).values({ id, ...input, createdBy: personId(actor) });
    await recordAudit(tx, actor, { action: 'create', entity: 'pulse_round', entityId: id, summary: `Opened priority pulse "${input.title}" (${input.opensOn} to ${input.closesOn})`, after: input });
    if (isOpen(input)) {
      const invited = await invitedPeople(tx);
      await ctx.notifier.notify(tx, {
        kind: 'pulse_round',
        recipients: invited.map((i) => i.id),
        actorId: personId(actor),
        title: `Priority pulse: ${input.title} (answer by ${input.closesOn})`,
        body: 'Say which LP priorities you consider priorities and how important each is (1–5). Answers are confidential: only department figures of five or more people are shown.',
        link: `/budget/pulse/${id}`,
      });
    }
    return { id };
  });
}

/** The day before a round's deadline: the last day the automatic reminder goes out. */
export const lastReminderDay = (closesOn: string) => new Date(Date.parse(`${closesOn}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * The one reminder path, for the button and the daily job: everyone asked who has not answered
 * gets an in-app notification and a mail (per their preferences), in the caller's transaction.
 */
async function queueRoundReminder(ctx: AppContext, tx: DbOrTx, actor: Actor, round: typeof pulseRounds.$inferSelect, today: string) {
  const answered = await tx.selectDistinct({ id: pulseAnswers.personId }).from(pulseAnswers).where(eq(pulseAnswers.roundId, round.id));
  const missing = (await invitedPeople(tx)).filter((p) => !answered.some((a) => a.id === p.id));
  const when = round.closesOn === today ? 'closes today' : lastReminderDay(round.closesOn) === today ? `closes tomorrow (${round.closesOn})` : `closes ${round.closesOn}`;
  const result = await ctx.notifier.notify(tx, {
    kind: 'pulse_round',
    recipients: missing.map((m) => m.id),
    actorId: personId(actor),
    title: `Reminder: priority pulse "${round.title}" ${when}`,
    body: 'Two minutes: mark which LP priorities matter and how much. Answers are confidential.',
    link: `/budget/pulse/${round.id}`,
  });
  const by = actor.via === 'system' ? 'Daily reminder: reminded' : 'Reminded';
  await recordAudit(tx, actor, { action: 'update', entity: 'pulse_round', entityId: round.id, summary: `${by} ${result.notified} people to answer "${round.title}"` });
  return result.notified;
}

/** Reminds everyone asked who has not answered yet (in-app and by mail, per their preferences). */
export async function remindRound(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'pulse:manage');
  return ctx.db.transaction(async (tx) => {
    const [round] = await tx.select().from(pulseRounds).where(eq(pulseRounds.id, id)).for('update');
    if (!round) throw notFound('Pulse round');
    if (!isOpen(round)) throw conflict('closesOn', `the round is not open (it runs ${round.opensOn} to ${round.closesOn})`);
    const reminded = await queueRoundReminder(ctx, tx, actor, round, todayIso());
    await tx.update(pulseRounds).set({ remindedAt: new Date() }).where(eq(pulseRounds.id, id));
    return { reminded };
  });
}

export const PULSE_REMINDER_JOB = 'budget.pulse-reminders';

/**
 * The daily reminder job: every round that is open and whose deadline is still ahead (so the last
 * one goes out the day before it) and that was not reminded yet today (UTC), by this job or by
 * the button, nor opened with its invitation today. Each round is claimed by one UPDATE …
 * RETURNING in the transaction that queues the mail: two instances running the job at once
 * remind each person once. Returns the rounds reminded.
 */
export async function sendPulseReminders(ctx: AppContext, now = new Date()): Promise<Array<{ roundId: string; reminded: number }>> {
  const today = now.toISOString().slice(0, 10);
  const startOfDay = new Date(`${today}T00:00:00Z`);
  const due = and(
    sql`${pulseRounds.opensOn} <= ${today}::date`,
    sql`${pulseRounds.closesOn} > ${today}::date`,
    sql`${pulseRounds.createdAt} < ${startOfDay.toISOString()}::timestamptz`,
    or(sql`${pulseRounds.remindedAt} is null`, sql`${pulseRounds.remindedAt} < ${startOfDay.toISOString()}::timestamptz`),
  );
  const candidates = await ctx.db.select({ id: pulseRounds.id }).from(pulseRounds).where(due);
  const done: Array<{ roundId: string; reminded: number }> = [];
  for (const c of candidates) {
    const reminded = await ctx.db.transaction(async (tx) => {
      const [round] = await tx.update(pulseRounds).set({ remindedAt: now }).where(and(eq(pulseRounds.id, c.id), due)).returning();
      return round ? queueRoundReminder(ctx, tx, SYSTEM_ACTOR, round, today) : null;
    });
    if (reminded != null) done.push({ roundId: c.id, reminded });
  }
  return done;
}

export async function answerRound(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof pulseAnswersInput>) {
  assertPulseRespondent(actor);
  const department = pulseDepartmentOf(actor)!;
  return ctx.db.transaction(async (tx) => {
    const [round] = await tx.select().from(pulseRounds).where(eq(pulseRounds.id, id));
    if (!round) throw notFound('Pulse round');
    if (!isOpen(round)) throw conflict('closesOn', `the round is not open (it runs ${round.opensOn} to ${round.closesOn})`);
    const ids = input.answers.map((a) => a.priorityId);
    if (new Set(ids).size !== ids.length) throw invalid('answers', 'a priority is answered twice');
    const active = await tx.select({ id: lpPriorities.id }).from(lpPriorities).where(and(inArray(lpPriorities.id, ids), eq(lpPriorities.active, true)));
    const unknown = input.answers.findIndex((a) => !active.some((p) => p.id === a.priorityId));
    if (unknown >= 0) throw invalid(`answers.${unknown}.priorityId`, 'is not an active priority');
    const now = new Date();
    for (const a of input.answers) {
      await tx
        .insert(pulseAnswers)
        .values({ roundId: id, personId: actor.id, priorityId: a.priorityId, department, isPriority: a.isPriority, importance: a.importance, answeredAt: now })
        .onConflictDoUpdate({ target: [pulseAnswers.roundId, pulseAnswers.personId, pulseAnswers.priorityId], set: { isPriority: a.isPriority, importance: a.importance, department, answeredAt: now } });
    }
    // The audit says that the person answered, never what: answers are confidential.
    await recordAudit(tx, actor, { action: 'update', entity: 'pulse_round', entityId: id, summary: `Answered priority pulse "${round.title}" (${input.answers.length} priorities)` });
    return { answered: input.answers.length };
  });
}

// ------------------------------------------------------------------ home, agenda, newsletter

registerHomeContributor(async (ctx, actor) => {
  const actions: HomeAction[] = [];
  if (isPulseRespondent(actor)) {
    const open = await ctx.db
      .select({ id: pulseRounds.id, title: pulseRounds.title, closesOn: pulseRounds.closesOn })
      .from(pulseRounds)
      .where(and(sql`${pulseRounds.opensOn} <= ${todayIso()}`, sql`${pulseRounds.closesOn} >= ${todayIso()}`, sql`not exists (select 1 from pulse_answers a where a.round_id = ${pulseRounds.id} and a.person_id = ${actor.id})`));
    for (const r of open) actions.push({ kind: 'pulse_round', label: `Answer the priority pulse "${r.title}"`, detail: 'Confidential; two minutes', href: `/budget/pulse/${r.id}`, due: r.closesOn });
  }
  if (!can(actor, 'budget:read')) return { actions };
  const year = fiscalYearOf(new Date());
  const figures = (await yearFigures(ctx.db)).find((y) => y.fiscalYear === year);
  return { actions, figures: figures ? [{ label: `IT budget on LP priorities (benchmark ${BENCHMARK_PERCENT} %)`, value: figures.lpPercent, unit: 'percent' as const, window: `FY${year}`, href: '/budget/alignment' }] : [] };
});

registerAgendaSuggester({
  kind: 'budget',
  label: 'Priority alignment',
  async suggest(ctx, actor) {
    if (!can(actor, 'budget:read')) return [];
    const report = await latestReport(ctx.db);
    if (!report) return [];
    return report.priorities
      .filter((p) => p.gap != null && p.gap >= 20)
      .sort((a, b) => b.gap! - a.gap!)
      .slice(0, 3)
      .map((p) => {
        const lp = p.groups.find((g) => g.department === 'lp')!.priorityPercent;
        const it = p.groups.find((g) => g.department === 'it')!.priorityPercent;
        return {
          key: `budget:gap:${report.roundId}:${p.priorityId}`,
          title: `Alignment gap: ${p.name}`,
          why: `A priority for ${lp} % of LP but ${it} % of IT (${report.roundTitle}); ${p.itBudgetPercent} % of the IT budget serves it`,
          link: '/budget/alignment',
          minutes: 10,
          weight: 40 + p.gap!,
        };
      });
  },
});

registerNewsletterContributor({
  kind: 'budget',
  label: 'Budget and priorities',
  order: 60,
  async draft(ctx) {
    const a = await alignment(ctx, SYSTEM_ACTOR, {});
    if (!a.totalCents && !a.pulse) return [];
    const blocks: Array<import('../../platform/newsletter-sections.js').NewsletterBlock> = [];
    if (a.totalCents)
      blocks.push(
        {
          type: 'figures',
          items: [
            { label: `IT budget FY${a.fiscalYear} on LP priorities`, value: `${a.lpPercent} %`, note: `benchmark ${BENCHMARK_PERCENT} % (${BENCHMARK_SOURCE})` },
            { label: 'IT budget', value: (a.totalCents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }) },
          ],
        },
        { type: 'chart', kind: 'bar', title: 'Share of the IT budget on LP priorities, by fiscal year', alt: a.years.map((y) => `FY${y.fiscalYear}: ${y.lpPercent} % (benchmark ${BENCHMARK_PERCENT} %)`).join('; '), unit: '%', points: a.years.map((y) => ({ label: `FY${y.fiscalYear}`, value: y.lpPercent, reference: BENCHMARK_PERCENT })) },
      );
    const pulse = a.pulse;
    if (pulse) {
      const shown = pulse.priorities.filter((p) => p.groups.find((g) => g.department === 'lp')!.priorityPercent != null);
      blocks.push({
        type: 'chart',
        kind: 'bar',
        title: `Who calls it a priority: LP vs IT (${pulse.roundTitle}; reference: ${REFERENCE_LINE.priority}, ${REFERENCE_LINE.lpPercent} % of LP vs ${REFERENCE_LINE.itPercent} % of IT)`,
        alt: shown.map((p) => `${p.name}: LP ${p.groups.find((g) => g.department === 'lp')!.priorityPercent} %, IT ${p.groups.find((g) => g.department === 'it')!.priorityPercent ?? 'not shown'} %`).join('; '),
        unit: '%',
        points: shown.map((p) => ({ label: p.name, value: p.groups.find((g) => g.department === 'it')!.priorityPercent ?? 0, reference: p.groups.find((g) => g.department === 'lp')!.priorityPercent ?? undefined })),
      });
    }
    return [{ key: 'budget:alignment', title: 'IT budget and LP priorities', blocks }];
  },
});

export const BUDGET_CSV_EXAMPLE = `kind,title,amount,vendor,category,owner_email,priorities,project
capex,Store switch refresh (PoE+),480000.00,Cisco,network,rachel.okafor@meridian.example,cashier_cctv:30,
opex,VMS licences,96000,Milestone,security,,cashier_cctv:80;video_analytics:20,PRJ-1
`;
