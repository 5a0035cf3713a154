import { sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  METRICS,
  POS_FLAGS,
  settingsSchema,
  type CashierScore,
  type Explanation,
  type PosException,
  type PosFlag,
  type PosImport,
  type PosSettings,
  type PosTransaction,
  type VideoConfig,
  type exceptionListQuery,
  type exceptionPatch,
  type importListQuery,
  type settingsPatch,
  type storeDashboardQuery,
  type transactionListQuery,
  type videoConfigInput,
} from '../../../contracts/pos.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { containsPattern, decodeCursor, encodeCursor } from '../../platform/list.js';
import { registerHomeContributor, type HomeAction, type HomeFigure, type HomeList } from '../../platform/home.js';
import { resolveActor } from '../../platform/identity.js';
import { assertCan, can, type Actor } from '../../platform/policy.js';
import { assertStoreScope, inStoreScope, isChainWide, storeScopeText } from '../../platform/scope.js';
import { registerSearchProvider } from '../../platform/search.js';
import { linkRegisterCameras } from '../devices/service.js';
import { runningImport } from './importer.js';
import { allPeriods, metricValue, rescore, SUMS, type CashierCounts } from './scoring.js';
import { loadSettings } from './settings.js';
import './agenda.js';
// The module's sections of the newsletter (M9), registered at import.
import './newsletter.js';

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v == null ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const num = (v: unknown) => (v == null ? 0 : Number(v));
const numOrNull = (v: unknown) => (v == null ? null : Number(v));
const str = (v: unknown) => (v == null ? '' : String(v));
const strOrNull = (v: unknown) => (v == null ? null : String(v));
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

async function q<T = Row>(ctx: AppContext, text: string, params: unknown[] = []): Promise<T[]> {
  return (await ctx.database.query<T>(text, params)).rows;
}

// ------------------------------------------------------------------ video links

/**
 * The playback link of a transaction: the store's template with {camera}, {start_iso}/{end_iso}
 * (UTC), {start_epoch}/{end_epoch} (seconds), {start_epoch_ms}/{end_epoch_ms}, {start}/{end} (= ISO);
 * start is the transaction start minus the lead-in, end its end (or start) plus the lead-out.
 */
export function videoUrl(template: string | null | undefined, camera: string | null | undefined, startedAt: Date | string | null, endedAt: Date | string | null, leadIn: number, leadOut: number): string | null {
  if (!template || !camera || !startedAt) return null;
  const start = new Date(new Date(startedAt).getTime() - leadIn * 1000);
  const end = new Date(new Date(endedAt ?? startedAt).getTime() + leadOut * 1000);
  const isoS = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const values: Record<string, string> = {
    camera: encodeURIComponent(camera),
    start: isoS(start),
    end: isoS(end),
    start_iso: isoS(start),
    end_iso: isoS(end),
    start_epoch: String(Math.floor(start.getTime() / 1000)),
    end_epoch: String(Math.floor(end.getTime() / 1000)),
    start_epoch_ms: String(start.getTime()),
    end_epoch_ms: String(end.getTime()),
  };
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

export async function getVideoConfig(ctx: AppContext, actor: Actor, storeId: string): Promise<VideoConfig> {
  assertCan(actor, 'pos:read');
  const [store] = await q(ctx, `select s.id, s.code, s.timezone, v.url_template, v.lead_in_seconds, v.lead_out_seconds, v.updated_at from stores s left join pos_video_systems v on v.store_id = s.id where s.id = $1`, [storeId]);
  if (!store) throw notFound('Store');
  assertStoreScope(actor, storeId, 'Store');
  const registers = await q<{ register: string; camera: string }>(ctx, `select register, camera from pos_register_cameras where store_id = $1 order by length(register), register`, [storeId]);
  const seen = await q<{ register: string }>(
    ctx,
    `select distinct register from pos_transactions
      where store_id = $1 and business_day >= coalesce((select max(business_day) from pos_store_days where store_id = $1), current_date) - 7`,
    [storeId],
  );
  const mapped = new Set(registers.map((r) => r.register));
  return {
    storeId: str(store.id),
    storeCode: str(store.code),
    timezone: str(store.timezone),
    urlTemplate: strOrNull(store.url_template),
    leadInSeconds: store.lead_in_seconds == null ? 10 : num(store.lead_in_seconds),
    leadOutSeconds: store.lead_out_seconds == null ? 30 : num(store.lead_out_seconds),
    registers,
    unmappedRegisters: seen.map((r) => r.register).filter((r) => !mapped.has(r)).sort((a, b) => a.length - b.length || a.localeCompare(b)),
    updatedAt: iso(store.updated_at),
  };
}

export async function setVideoConfig(ctx: AppContext, actor: Actor, storeId: string, input: z.infer<typeof videoConfigInput>): Promise<VideoConfig> {
  assertCan(actor, 'pos:video');
  const seen = new Map<string, number>();
  input.registers.forEach((r, i) => {
    if (seen.has(r.register)) throw invalid(`registers.${i}.register`, `register ${r.register} is listed twice`);
    seen.set(r.register, i);
  });
  const before = await getVideoConfig(ctx, actor, storeId);
  await ctx.db.transaction(async (tx) => {
    const exec = (text: string, params: unknown[]) => tx.execute(sqlOf(text, params));
    await exec(
      `insert into pos_video_systems (store_id, url_template, lead_in_seconds, lead_out_seconds, updated_at) values ($1, $2, $3, $4, now())
       on conflict (store_id) do update set url_template = excluded.url_template, lead_in_seconds = excluded.lead_in_seconds, lead_out_seconds = excluded.lead_out_seconds, updated_at = now()`,
      [storeId, input.urlTemplate, input.leadInSeconds, input.leadOutSeconds],
    );
    await exec(`delete from pos_register_cameras where store_id = $1`, [storeId]);
    if (input.registers.length) {
      await exec(
        `insert into pos_register_cameras (store_id, register, camera) values ${input.registers.map((_, i) => `($1, $${2 * i + 2}, $${2 * i + 3})`).join(', ')}`,
        [storeId, ...input.registers.flatMap((r) => [r.register, r.camera])],
      );
    }
    // The camera ids name inventory cameras (M3) where one matches: "watch video" then follows the device.
    await linkRegisterCameras(tx, storeId);
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'pos_video',
      entityId: storeId,
      summary: `Updated video playback settings of store ${before.storeCode}`,
      before: { urlTemplate: before.urlTemplate, leadInSeconds: before.leadInSeconds, leadOutSeconds: before.leadOutSeconds, registers: before.registers },
      after: input,
    });
  });
  return getVideoConfig(ctx, actor, storeId);
}

// drizzle's sql template from positional text: used for the few hand-written writes inside a drizzle transaction.
function sqlOf(text: string, params: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) chunks.push(sql.raw(parts[i]));
    else chunks.push(sql`${params[Number(parts[i]) - 1]}`);
  }
  return sql.join(chunks, sql.raw(''));
}

// ------------------------------------------------------------------ transactions

const TXN_SELECT = `
  select t.id::text as id, t.store_id, s.code as store_code, s.timezone, t.register, t.cashier_code, coalesce(c.name, '') as cashier_name,
         t.txn_number, to_char(t.business_day, 'YYYY-MM-DD') as business_day, t.started_at, t.ended_at,
         to_char(t.started_at at time zone s.timezone, 'YYYY-MM-DD HH24:MI:SS') as local_start, t.type,
         t.total_cents::float8 as total_cents, t.item_count, t.line_void_count, t.line_void_cents::float8 as line_void_cents,
         t.override_count, t.override_cents::float8 as override_cents, t.discount_cents::float8 as discount_cents, t.employee_discount,
         t.manual_entry_count, t.tender, t.card_entry, t.card_token, t.original_ref, t.manager_override, t.voided_after_total,
         t.gift_issued_cents::float8 as gift_issued_cents, t.flags, t.details,
         coalesce(rcd.name, rc.camera) as camera, v.url_template, v.lead_in_seconds, v.lead_out_seconds
    from pos_transactions t
    join stores s on s.id = t.store_id
    left join pos_cashiers c on c.store_id = t.store_id and c.code = t.cashier_code
    left join pos_register_cameras rc on rc.store_id = t.store_id and rc.register = t.register
    left join devices rcd on rcd.id = rc.device_id
    left join pos_video_systems v on v.store_id = t.store_id`;

const flagNames = (flags: number) => (Object.keys(POS_FLAGS) as PosFlag[]).filter((f) => (flags & POS_FLAGS[f]) !== 0);

function presentTransaction(r: Row): PosTransaction {
  return {
    id: str(r.id),
    storeId: str(r.store_id),
    storeCode: str(r.store_code),
    register: str(r.register),
    cashierCode: str(r.cashier_code),
    cashierName: str(r.cashier_name),
    transactionNumber: str(r.txn_number),
    businessDay: str(r.business_day),
    startedAt: iso(r.started_at)!,
    endedAt: iso(r.ended_at),
    localStart: str(r.local_start),
    storeTimezone: strOrNull(r.timezone) ?? undefined,
    type: r.type as PosTransaction['type'],
    totalCents: num(r.total_cents),
    itemCount: num(r.item_count),
    lineVoidCount: num(r.line_void_count),
    lineVoidCents: num(r.line_void_cents),
    overrideCount: num(r.override_count),
    overrideCents: num(r.override_cents),
    discountCents: num(r.discount_cents),
    employeeDiscount: Boolean(r.employee_discount),
    manualEntryCount: num(r.manual_entry_count),
    tender: r.tender as PosTransaction['tender'],
    cardEntry: (r.card_entry ?? null) as PosTransaction['cardEntry'],
    cardToken: strOrNull(r.card_token),
    originalTransaction: strOrNull(r.original_ref),
    managerOverride: strOrNull(r.manager_override),
    voidedAfterTotal: Boolean(r.voided_after_total),
    giftCardIssuedCents: num(r.gift_issued_cents),
    flags: flagNames(num(r.flags)),
    details: typeof r.details === 'string' ? JSON.parse(r.details) : (r.details ?? null),
    videoUrl: videoUrl(strOrNull(r.url_template), strOrNull(r.camera), r.started_at as Date, (r.ended_at ?? null) as Date | null, num(r.lead_in_seconds ?? 10), num(r.lead_out_seconds ?? 30)),
  };
}

export async function getTransaction(ctx: AppContext, actor: Actor, id: string): Promise<PosTransaction> {
  assertCan(actor, 'pos:read');
  if (!/^\d{1,15}$/.test(id)) throw invalid('id', 'is not a transaction id');
  const params: unknown[] = [id];
  const [row] = await q(ctx, `${TXN_SELECT} where t.id = $1 and ${storeScopeText(actor, 't.store_id', params)}`, params);
  if (!row) throw notFound('Transaction');
  return presentTransaction(row);
}

/** A cashier in the actor's store scope (404 otherwise, as if it did not exist). */
async function cashierById(ctx: AppContext, actor: Actor, id: string) {
  const params: unknown[] = [id];
  const [c] = await q(ctx, `select c.id, c.code, c.name, c.store_id, s.code as store_code, s.name as store_name from pos_cashiers c join stores s on s.id = c.store_id where c.id = $1 and ${storeScopeText(actor, 'c.store_id', params)}`, params);
  if (!c) throw notFound('Cashier');
  return { id: str(c.id), code: str(c.code), name: str(c.name), storeId: str(c.store_id), storeCode: str(c.store_code), storeName: str(c.store_name) };
}

export async function listCashierTransactions(ctx: AppContext, actor: Actor, cashierId: string, query: z.infer<typeof transactionListQuery>) {
  assertCan(actor, 'pos:read');
  const cashier = await cashierById(ctx, actor, cashierId);
  const params: unknown[] = [cashier.storeId, cashier.code];
  const where = [`t.store_id = $1`, `t.cashier_code = $2`];
  if (query.from) where.push(`t.business_day >= $${params.push(query.from)}`);
  if (query.to) where.push(`t.business_day <= $${params.push(query.to)}`);
  if (query.type) where.push(`t.type = $${params.push(query.type)}`);
  if (query.flagged !== undefined) where.push(query.flagged ? `t.flags <> 0` : `t.flags = 0`);
  if (query.q) where.push(`(t.txn_number = $${params.push(query.q)} or t.register = $${params.length})`);
  const total = num((await q(ctx, `select count(*)::int as n from pos_transactions t where ${where.join(' and ')}`, params))[0]?.n);
  const sortExpr = query.sort === 'totalCents' ? 't.total_cents' : 't.started_at';
  const op = query.order === 'desc' ? '<' : '>';
  const dir = query.order === 'desc' ? 'desc' : 'asc';
  if (query.cursor) {
    const [v, id] = decodeCursor(query.cursor, { value: query.sort === 'totalCents' ? 'integer' : 'date', id: 'bigint' });
    const cast = query.sort === 'totalCents' ? '::bigint' : '::timestamptz';
    where.push(`(${sortExpr}, t.id) ${op} ($${params.push(v)}${cast}, $${params.push(id)}::bigint)`);
  }
  const rows = await q(ctx, `${TXN_SELECT} where ${where.join(' and ')} order by ${sortExpr} ${dir}, t.id ${dir} limit ${query.limit + 1}`, params);
  const items = rows.slice(0, query.limit).map(presentTransaction);
  const last = items[items.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(query.sort === 'totalCents' ? last.totalCents : last.startedAt, last.id) : null;
  return { items, total, nextCursor };
}

// ------------------------------------------------------------------ exceptions

export const EXC_SELECT = `
  select e.id, e.number, e.kind, e.rule, e.rules, e.store_id, s.code as store_code, s.name as store_name, s.timezone as store_timezone, c.id as cashier_id, e.cashier_code,
         coalesce(c.name, '') as cashier_name, e.transaction_id::text as transaction_id, e.period, to_char(e.period_start, 'YYYY-MM-DD') as period_start,
         e.score, e.amount_cents::float8 as amount_cents, e.summary, e.occurred_at, e.status, e.dismiss_reason, e.assignee_id, a.name as assignee_name,
         e.created_at, e.updated_at, t.started_at as t_start, t.ended_at as t_end, coalesce(rcd.name, rc.camera) as camera, v.url_template, v.lead_in_seconds, v.lead_out_seconds
    from pos_exceptions e
    join stores s on s.id = e.store_id
    left join pos_cashiers c on c.store_id = e.store_id and c.code = e.cashier_code
    left join people a on a.id = e.assignee_id
    left join pos_transactions t on t.id = e.transaction_id
    left join pos_register_cameras rc on rc.store_id = t.store_id and rc.register = t.register
    left join devices rcd on rcd.id = rc.device_id
    left join pos_video_systems v on v.store_id = e.store_id`;

export function presentException(r: Row): PosException {
  const rules = Array.isArray(r.rules) ? (r.rules as string[]) : String(r.rules ?? '').replace(/^\{|\}$/g, '').split(',').filter(Boolean);
  return {
    id: str(r.id),
    ref: `EXC-${num(r.number)}`,
    kind: r.kind as PosException['kind'],
    rule: str(r.rule),
    rules,
    storeId: str(r.store_id),
    storeCode: str(r.store_code),
    storeName: str(r.store_name),
    storeTimezone: str(r.store_timezone),
    cashierId: strOrNull(r.cashier_id),
    cashierCode: str(r.cashier_code),
    cashierName: str(r.cashier_name),
    transactionId: strOrNull(r.transaction_id),
    period: (r.period ?? null) as PosException['period'],
    periodStart: strOrNull(r.period_start),
    score: numOrNull(r.score),
    amountCents: numOrNull(r.amount_cents),
    summary: str(r.summary),
    occurredAt: iso(r.occurred_at)!,
    status: r.status as PosException['status'],
    dismissReason: strOrNull(r.dismiss_reason),
    assigneeId: strOrNull(r.assignee_id),
    assigneeName: strOrNull(r.assignee_name),
    videoUrl: videoUrl(strOrNull(r.url_template), strOrNull(r.camera), (r.t_start ?? null) as Date | null, (r.t_end ?? null) as Date | null, num(r.lead_in_seconds ?? 10), num(r.lead_out_seconds ?? 30)),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

const EXC_SORT: Record<z.infer<typeof exceptionListQuery>['sort'], { expr: string; cast: string }> = {
  occurredAt: { expr: 'e.occurred_at', cast: '::timestamptz' },
  createdAt: { expr: 'e.created_at', cast: '::timestamptz' },
  score: { expr: 'coalesce(e.score, -1)', cast: '::real' },
  amountCents: { expr: 'coalesce(e.amount_cents, -1)', cast: '::bigint' },
};

/**
 * Which POS exceptions this actor may see, as SQL over the alias of pos_exceptions: the one
 * condition shared by the queue, the export and global search (module access, then store scope).
 */
export function exceptionsVisibleSql(actor: Actor, alias: string, params: unknown[]): string {
  return can(actor, 'pos:read') ? storeScopeText(actor, `${alias}.store_id`, params) : 'false';
}

/** Which POS cashiers this actor may see, as SQL over the alias of pos_cashiers. */
export function cashiersVisibleSql(actor: Actor, alias: string, params: unknown[]): string {
  return can(actor, 'pos:read') ? storeScopeText(actor, `${alias}.store_id`, params) : 'false';
}

export async function exceptionWhere(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof exceptionListQuery>> & { band?: 'low' | 'watch' | 'high' }) {
  const params: unknown[] = [];
  // Module access and store scope first: lists, counts and exports of people attached to stores hold their stores only.
  const where: string[] = [exceptionsVisibleSql(actor, 'e', params)];
  if (query.status) where.push(`e.status = $${params.push(query.status)}`);
  if (query.band) {
    // Band by the current thresholds; only cashier-period exceptions carry a score.
    const { settings } = await loadSettings(ctx.db);
    if (query.band === 'high') where.push(`e.score >= $${params.push(settings.highThreshold)}`);
    else if (query.band === 'watch') where.push(`e.score >= $${params.push(settings.watchThreshold)} and e.score < $${params.push(settings.highThreshold)}`);
    else where.push(`e.score < $${params.push(settings.watchThreshold)}`);
  }
  if (query.open !== undefined) where.push(query.open ? `e.status in ('new','reviewing','watch')` : `e.status in ('dismissed','confirmed')`);
  if (query.kind) where.push(`e.kind = $${params.push(query.kind)}`);
  if (query.rule) where.push(`$${params.push(query.rule)} = any(e.rules)`);
  if (query.storeId) where.push(`e.store_id = $${params.push(query.storeId)}`);
  if (query.assigneeId) where.push(`e.assignee_id = $${params.push(query.assigneeId)}`);
  if (query.cashierId) {
    const c = await cashierById(ctx, actor, query.cashierId);
    where.push(`e.store_id = $${params.push(c.storeId)} and e.cashier_code = $${params.push(c.code)}`);
  }
  if (query.from) where.push(`e.occurred_at >= $${params.push(query.from)}::date`);
  if (query.to) where.push(`e.occurred_at < $${params.push(query.to)}::date + 1`);
  if (query.q) where.push(`(e.summary ilike $${params.push(containsPattern(query.q))} or e.cashier_code = $${params.push(query.q)})`);
  return { where, params };
}

export async function listExceptions(ctx: AppContext, actor: Actor, query: z.infer<typeof exceptionListQuery> & { band?: 'low' | 'watch' | 'high' }) {
  assertCan(actor, 'pos:read');
  const { where, params } = await exceptionWhere(ctx, actor, query);
  const total = num((await q(ctx, `select count(*)::int as n from pos_exceptions e where ${where.join(' and ')}`, params))[0]?.n);
  const sort = EXC_SORT[query.sort];
  const op = query.order === 'desc' ? '<' : '>';
  const dir = query.order === 'desc' ? 'desc' : 'asc';
  if (query.cursor) {
    const [v, id] = decodeCursor(query.cursor, { value: query.sort === 'score' ? 'number' : query.sort === 'amountCents' ? 'integer' : 'date', id: 'uuid' });
    where.push(`(${sort.expr}, e.id) ${op} ($${params.push(v)}${sort.cast}, $${params.push(id)}::uuid)`);
  }
  const rows = await q(ctx, `${EXC_SELECT} where ${where.join(' and ')} order by ${sort.expr} ${dir}, e.id ${dir} limit ${query.limit + 1}`, params);
  const items = rows.slice(0, query.limit).map(presentException);
  const last = items[items.length - 1];
  const lastValue = (e: PosException) => (query.sort === 'score' ? (e.score ?? -1) : query.sort === 'amountCents' ? (e.amountCents ?? -1) : query.sort === 'createdAt' ? e.createdAt : e.occurredAt);
  return { items, total, nextCursor: rows.length > query.limit && last ? encodeCursor(lastValue(last), last.id) : null };
}

export async function exportExceptions(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof exceptionListQuery>> & { band?: 'low' | 'watch' | 'high' }) {
  assertCan(actor, 'pos:read');
  const { where, params } = await exceptionWhere(ctx, actor, query);
  const sort = EXC_SORT[query.sort ?? 'occurredAt'];
  const rows = await q(ctx, `${EXC_SELECT} where ${where.join(' and ')} order by ${sort.expr} ${query.order === 'asc' ? 'asc' : 'desc'}, e.id limit 50000`, params);
  return rows.map(presentException);
}

async function exceptionRow(ctx: AppContext, actor: Actor, id: string) {
  if (!isUuid(id)) throw notFound('Exception');
  const params: unknown[] = [id];
  const [row] = await q(ctx, `${EXC_SELECT} where e.id = $1 and ${storeScopeText(actor, 'e.store_id', params)}`, params);
  if (!row) throw notFound('Exception');
  return row;
}

export async function getException(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'pos:read');
  const row = await exceptionRow(ctx, actor, id);
  const exc = presentException(row);
  const transaction = exc.transactionId ? presentTransaction((await q(ctx, `${TXN_SELECT} where t.id = $1`, [exc.transactionId]))[0]) : null;
  let cashierScore: CashierScore | null = null;
  if (exc.period && exc.periodStart) {
    const [s] = await scoreRows(ctx, `where p.period = $1 and p.period_start = $2 and p.store_id = $3 and p.cashier_code = $4`, [exc.period, exc.periodStart, exc.storeId, exc.cashierCode]);
    cashierScore = s ?? null;
  }
  const notes = (await q(ctx, `select id, author_id, author_name, body, created_at from pos_exception_notes where exception_id = $1 order by created_at, id`, [id])).map((n) => ({
    id: str(n.id),
    authorId: strOrNull(n.author_id),
    authorName: str(n.author_name),
    body: str(n.body),
    createdAt: iso(n.created_at)!,
  }));
  // Suspicions about employees: every read of one is audited.
  await recordAudit(ctx.db, actor, { action: 'read', entity: 'pos_exception', entityId: id, summary: `Viewed exception ${exc.ref} (${exc.cashierName || exc.cashierCode}, ${exc.storeCode})` });
  return { ...exc, transaction, cashierScore, notes };
}

export async function updateException(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof exceptionPatch>) {
  assertCan(actor, 'pos:review');
  const before = presentException(await exceptionRow(ctx, actor, id));
  if (patch.assigneeId) {
    const assignee = await resolveActor(ctx.db, patch.assigneeId);
    if (!assignee) throw invalid('assigneeId', 'is not an active person');
    // The assignee must be able to work the exception: POS work access and the store in their scope.
    if (!can(assignee, 'pos:review') || !inStoreScope(assignee, before.storeId)) throw invalid('assigneeId', `${assignee.name} cannot review exceptions of ${before.storeCode}`);
  }
  if (patch.dismissReason && patch.status !== 'dismissed' && before.status !== 'dismissed') throw invalid('dismissReason', 'is only given when dismissing');
  const next = {
    status: patch.status ?? before.status,
    dismissReason: patch.status && patch.status !== 'dismissed' ? null : (patch.dismissReason ?? before.dismissReason),
    assigneeId: patch.assigneeId === undefined ? before.assigneeId : patch.assigneeId,
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== before[k]);
  if (!changed.length) return getException(ctx, actor, id);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sqlOf(`update pos_exceptions set status = $1, dismiss_reason = $2, assignee_id = $3, updated_at = now() where id = $4`, [next.status, next.dismissReason, next.assigneeId, id]));
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'pos_exception',
      entityId: id,
      summary: `${before.ref}: ${changed.map((k) => (k === 'status' ? `status ${before.status} → ${next.status}` : k === 'assigneeId' ? 'assignment changed' : 'dismiss reason')).join(', ')}`,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, next[k]])),
    });
    if (next.assigneeId && next.assigneeId !== before.assigneeId) {
      await ctx.notifier.notify(tx, {
        kind: 'pos_assigned',
        recipients: [next.assigneeId],
        actorId: actor.via === 'system' ? null : actor.id,
        title: `${before.ref} assigned to you: ${before.cashierName || before.cashierCode} at ${before.storeCode}`,
        body: `${actor.name} asked you to review the POS exception ${before.ref}: ${before.summary}`,
        link: `/pos/exceptions/${id}`,
        recordRef: before.ref,
      });
    }
  });
  return getException(ctx, actor, id);
}

export async function addExceptionNote(ctx: AppContext, actor: Actor, id: string, body: string) {
  assertCan(actor, 'pos:review');
  const exc = presentException(await exceptionRow(ctx, actor, id));
  await ctx.db.transaction(async (tx) => {
    const noteId = uuidv7();
    await tx.execute(sqlOf(`insert into pos_exception_notes (id, exception_id, author_id, author_name, body) values ($1, $2, $3, $4, $5)`, [noteId, id, actor.via === 'system' ? null : actor.id, actor.name, body]));
    if (exc.status === 'new') await tx.execute(sqlOf(`update pos_exceptions set status = 'reviewing', updated_at = now() where id = $1`, [id]));
    await recordAudit(tx, actor, { action: 'create', entity: 'pos_exception_note', entityId: noteId, summary: `Added a note to ${exc.ref}`, after: { body } });
  });
  return getException(ctx, actor, id);
}

// ------------------------------------------------------------------ scores and dashboards

const SCORE_SELECT = `
  select p.store_id, s.code as store_code, p.cashier_code, c.id as cashier_id, coalesce(c.name, '') as cashier_name, p.period,
         to_char(p.period_start, 'YYYY-MM-DD') as period_start, p.score, p.band, p.txn_count, p.explanation
    from pos_scores p
    join stores s on s.id = p.store_id
    left join pos_cashiers c on c.store_id = p.store_id and c.code = p.cashier_code`;

function presentScore(r: Row): CashierScore {
  const explanation = (typeof r.explanation === 'string' ? JSON.parse(r.explanation) : r.explanation) as Explanation[];
  return {
    cashierId: str(r.cashier_id),
    cashierCode: str(r.cashier_code),
    cashierName: str(r.cashier_name),
    storeId: str(r.store_id),
    storeCode: str(r.store_code),
    period: r.period as CashierScore['period'],
    periodStart: str(r.period_start),
    score: num(r.score),
    band: r.band as CashierScore['band'],
    transactions: num(r.txn_count),
    explanation,
    summary: explanation.length ? explanation.slice(0, 3).map((e) => e.text).join('; ') : 'in line with the store',
  };
}

async function scoreRows(ctx: AppContext, where: string, params: unknown[], tail = '') {
  return (await q(ctx, `${SCORE_SELECT} ${where} ${tail}`, params)).map(presentScore);
}

async function latestPeriod(ctx: AppContext, period: string, storeId?: string) {
  const [r] = await q(ctx, `select to_char(max(period_start), 'YYYY-MM-DD') as d from pos_scores where period = $1 ${storeId ? 'and store_id = $2' : ''}`, storeId ? [period, storeId] : [period]);
  return strOrNull(r?.d);
}

/** Cashier-periods ranked by score (all stores or one), for "who should we look at". */
export async function listScores(ctx: AppContext, actor: Actor, query: { period: 'day' | 'week'; periodStart?: string; storeId?: string; band?: string; limit: number }) {
  assertCan(actor, 'pos:read');
  const periodStart = query.periodStart ?? (await latestPeriod(ctx, query.period, query.storeId));
  if (!periodStart) return { items: [], total: 0, nextCursor: null };
  const params: unknown[] = [query.period, periodStart];
  const where = [`p.period = $1`, `p.period_start = $2`];
  where.push(storeScopeText(actor, 'p.store_id', params));
  if (query.storeId) where.push(`p.store_id = $${params.push(query.storeId)}`);
  if (query.band) where.push(`p.band = $${params.push(query.band)}`);
  const items = await scoreRows(ctx, `where ${where.join(' and ')}`, params, `order by p.score desc, p.txn_count desc limit ${query.limit}`);
  const total = num((await q(ctx, `select count(*)::int as n from pos_scores p where ${where.join(' and ')}`, params))[0]?.n);
  return { items, total, nextCursor: null };
}

/** The scoring sums plus the refund amount the dashboards show. */
const COUNTS = `${SUMS}, sum(refund_cents)::float8 as "refundCents"`;

const metricsOf = (c: CashierCounts) => Object.fromEntries(METRICS.map((m) => [m, Math.round(metricValue(m, c) * 10000) / 10000]));

async function defaultRange(ctx: AppContext, from?: string, to?: string) {
  if (from && to) return { from, to };
  const [r] = await q(ctx, `select to_char(max(business_day), 'YYYY-MM-DD') as max from pos_store_days`);
  const max = strOrNull(r?.max);
  if (!max) return { from: from ?? null, to: to ?? null };
  const end = to ?? max;
  const start = from ?? new Date(Date.parse(`${end}T00:00:00Z`) - 29 * 86400000).toISOString().slice(0, 10);
  return { from: start, to: end };
}

export async function chainDashboard(ctx: AppContext, actor: Actor, query: { from?: string; to?: string }) {
  assertCan(actor, 'pos:read');
  const { from, to } = await defaultRange(ctx, query.from, query.to);
  if (from && to && from > to) throw invalid('from', 'must not be after to');
  const range: unknown[] = from && to ? [from, to] : ['1900-01-01', '2999-12-31'];
  const storeScope = storeScopeText(actor, 's.id', range);
  // "Open" is the queue's definition (new, reviewing or watch, whenever it occurred), so the
  // overview and the queue count the same; the window applies to the period's exceptions.
  const stores = await q(
    ctx,
    `select s.id, s.code, s.name,
            coalesce(d.txn, 0) as txn, coalesce(d.sales, 0) as sales, coalesce(d.refunds, 0) as refunds,
            coalesce(x.n, 0) as exceptions, coalesce(x.open, 0) as open, coalesce(h.n, 0) as high
       from stores s
       left join (select store_id, sum(txn_count)::int as txn, sum(sales_cents)::float8 as sales, sum(refund_cents)::float8 as refunds
                    from pos_store_days where business_day between $1 and $2 group by store_id) d on d.store_id = s.id
       left join (select store_id, count(*) filter (where occurred_at >= $1::date and occurred_at < $2::date + 1)::int as n,
                         count(*) filter (where status in ('new','reviewing','watch'))::int as open
                    from pos_exceptions group by store_id) x on x.store_id = s.id
       left join (select store_id, count(distinct cashier_code)::int as n from pos_scores
                   where period = 'week' and band = 'high' and period_start between $1::date - 6 and $2 group by store_id) h on h.store_id = s.id
      where (s.active or d.txn is not null or x.open > 0) and ${storeScope}
      order by s.code`,
    range,
  );
  const trendParams: unknown[] = range.slice(0, 2);
  const trend = await q(
    ctx,
    `select to_char(d.day, 'YYYY-MM-DD') as day, d.txn, d.sales, d.refunds, d.exceptions
       from (select business_day as day, sum(txn_count)::int as txn, sum(sales_cents)::float8 as sales, sum(refund_cents)::float8 as refunds,
                    sum(exception_count)::int as exceptions
               from pos_store_days where business_day between $1 and $2 and ${storeScopeText(actor, 'store_id', trendParams)} group by business_day) d
      order by d.day`,
    trendParams,
  );
  const byStore = stores.map((s) => ({
    storeId: str(s.id),
    storeCode: str(s.code),
    storeName: str(s.name),
    transactions: num(s.txn),
    salesCents: num(s.sales),
    refundCents: num(s.refunds),
    exceptions: num(s.exceptions),
    openExceptions: num(s.open),
    highRiskCashiers: num(s.high),
  }));
  return {
    from,
    to,
    totals: {
      transactions: byStore.reduce((n, s) => n + s.transactions, 0),
      salesCents: byStore.reduce((n, s) => n + s.salesCents, 0),
      refundCents: byStore.reduce((n, s) => n + s.refundCents, 0),
      openExceptions: byStore.reduce((n, s) => n + s.openExceptions, 0),
      highRiskCashiers: byStore.reduce((n, s) => n + s.highRiskCashiers, 0),
    },
    byStore,
    trend: trend.map((t) => ({ day: str(t.day), transactions: num(t.txn), salesCents: num(t.sales), refundCents: num(t.refunds), exceptions: num(t.exceptions) })),
  };
}

export async function storeDashboard(ctx: AppContext, actor: Actor, storeId: string, query: z.infer<typeof storeDashboardQuery>) {
  assertCan(actor, 'pos:read');
  const [store] = await q(ctx, `select id, code, name, timezone from stores where id = $1`, [storeId]);
  if (!store) throw notFound('Store');
  assertStoreScope(actor, storeId, 'Store');
  const periods = (await q<{ d: string }>(ctx, `select distinct to_char(period_start, 'YYYY-MM-DD') as d from pos_scores where period = $1 and store_id = $2 order by 1 desc limit 400`, [query.period, storeId])).map((r) => r.d);
  const periodStart = query.periodStart ?? periods[0] ?? null;
  const cashiers = periodStart ? await scoreRows(ctx, `where p.period = $1 and p.period_start = $2 and p.store_id = $3`, [query.period, periodStart, storeId], 'order by p.score desc, p.txn_count desc') : [];
  const distribution = Array.from({ length: 10 }, (_, i) => ({ bucket: i === 9 ? '90-100' : `${i * 10}-${i * 10 + 9}`, count: 0 }));
  for (const c of cashiers) distribution[Math.min(9, Math.floor(c.score / 10))].count++;
  let storeRates: Record<string, number> = {};
  if (periodStart) {
    const end = query.period === 'week' ? new Date(Date.parse(`${periodStart}T00:00:00Z`) + 6 * 86400000).toISOString().slice(0, 10) : periodStart;
    const [sums] = await q<CashierCounts>(ctx, `select ${COUNTS} from pos_store_days where store_id = $1 and business_day between $2 and $3`, [storeId, periodStart, end]);
    if (sums && sums.txn) storeRates = metricsOf(sums);
  }
  return { storeId: str(store.id), storeCode: str(store.code), storeName: str(store.name), timezone: str(store.timezone), period: query.period, periodStart, periods, cashiers, distribution, storeRates };
}

export async function cashierDashboard(ctx: AppContext, actor: Actor, cashierId: string, query: { from?: string; to?: string }) {
  assertCan(actor, 'pos:read');
  const cashier = await cashierById(ctx, actor, cashierId);
  const { from, to } = await defaultRange(ctx, query.from, query.to);
  const range = [from ?? '1900-01-01', to ?? '2999-12-31'];
  const scores = await scoreRows(
    ctx,
    `where p.store_id = $1 and p.cashier_code = $2 and p.period_start between $3::date - 6 and $4`,
    [cashier.storeId, cashier.code, ...range],
    `order by p.period desc, p.period_start`,
  );
  const mine = await q<CashierCounts & { day: string }>(
    ctx,
    `select to_char(business_day, 'YYYY-MM-DD') as day, ${COUNTS} from pos_cashier_days where store_id = $1 and cashier_code = $2 and business_day between $3 and $4 group by business_day order by business_day`,
    [cashier.storeId, cashier.code, ...range],
  );
  const store = await q<CashierCounts & { day: string }>(
    ctx,
    `select to_char(business_day, 'YYYY-MM-DD') as day, ${COUNTS} from pos_store_days where store_id = $1 and business_day between $2 and $3 group by business_day`,
    [cashier.storeId, ...range],
  );
  const storeByDay = new Map(store.map((s) => [s.day, s]));
  return {
    cashier,
    from,
    to,
    scores,
    days: mine.map((d) => ({ day: d.day, transactions: num(d.txn), metrics: metricsOf(d), store: storeByDay.has(d.day) ? metricsOf(storeByDay.get(d.day)!) : {} })),
  };
}

export async function listCashiers(ctx: AppContext, actor: Actor, storeId: string) {
  assertCan(actor, 'pos:read');
  assertStoreScope(actor, storeId, 'Store');
  return (await q(ctx, `select c.id, c.code, c.name, c.store_id, s.code as store_code, s.name as store_name from pos_cashiers c join stores s on s.id = c.store_id where c.store_id = $1 order by c.name, c.code`, [storeId])).map((c) => ({
    id: str(c.id),
    code: str(c.code),
    name: str(c.name),
    storeId: str(c.store_id),
    storeCode: str(c.store_code),
    storeName: str(c.store_name),
  }));
}

// ------------------------------------------------------------------ settings

export async function getSettings(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'pos:read');
  const { settings, updatedAt, updatedBy } = await loadSettings(ctx.db);
  const [p] = updatedBy ? await q(ctx, `select name from people where id = $1`, [updatedBy]) : [];
  return { ...settings, updatedAt: iso(updatedAt), updatedByName: p ? str(p.name) : null };
}

/** Saves new weights/thresholds and rescores every period from the aggregates (transaction flags are set at import). */
export async function updateSettings(ctx: AppContext, actor: Actor, patch: z.infer<typeof settingsPatch>) {
  assertCan(actor, 'pos:settings');
  const { settings: before } = await loadSettings(ctx.db);
  const merged = { ...before, ...patch, weights: { ...before.weights, ...(patch.weights ?? {}) } } as PosSettings;
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue.path.join('.') || 'settings', issue.message);
  }
  if (merged.watchThreshold >= merged.highThreshold) throw invalid('watchThreshold', 'must be below highThreshold');
  if (merged.storeOpenHour >= merged.storeCloseHour) throw invalid('storeOpenHour', 'must be before storeCloseHour');
  await ctx.database.bulkTransaction(async (conn) => {
    await conn.query(
      `insert into pos_settings (id, config, updated_at, updated_by) values (1, $1::jsonb, now(), $2)
       on conflict (id) do update set config = excluded.config, updated_at = now(), updated_by = excluded.updated_by`,
      [JSON.stringify(merged), actor.via === 'system' ? null : actor.id],
    );
    await rescore(conn, merged, 'day', await allPeriods(conn, 'day'));
    await rescore(conn, merged, 'week', await allPeriods(conn, 'week'));
    await conn.query(
      `insert into audit_log (id, actor_id, actor_name, action, entity, entity_id, summary, before, after, ip) values ($1, $2, $3, 'update', 'pos_settings', '1', $4, $5::jsonb, $6::jsonb, $7)`,
      [uuidv7(), actor.via === 'system' ? null : actor.id, actor.name, 'Updated cashier-monitoring weights and thresholds; scores recomputed', JSON.stringify(before), JSON.stringify(merged), actor.ip ?? null],
    );
  });
  return getSettings(ctx, actor);
}

// ------------------------------------------------------------------ imports

function presentImport(r: Row): PosImport {
  const started = iso(r.started_at)!;
  const finished = iso(r.finished_at);
  return {
    id: str(r.id),
    status: r.status as PosImport['status'],
    source: r.source as PosImport['source'],
    format: r.format as PosImport['format'],
    filename: str(r.filename),
    sha256: strOrNull(r.sha256),
    skipInvalid: Boolean(r.skip_invalid),
    bytesTotal: numOrNull(r.bytes_total),
    bytesRead: num(r.bytes_read),
    rowsRead: num(r.rows_read),
    rowsInserted: num(r.rows_inserted),
    rowsDuplicate: num(r.rows_duplicate),
    rowsInvalid: num(r.rows_invalid),
    errors: (typeof r.errors === 'string' ? JSON.parse(r.errors) : r.errors) as PosImport['errors'],
    errorTotal: num(r.error_total),
    unknownStores: (typeof r.unknown_stores === 'string' ? JSON.parse(r.unknown_stores) : r.unknown_stores) as string[],
    sameFileAs: null,
    message: str(r.message),
    createdBy: strOrNull(r.created_by),
    createdByName: strOrNull(r.created_by_name),
    startedAt: started,
    finishedAt: finished,
    durationMs: finished ? Date.parse(finished) - Date.parse(started) : null,
    queuePosition: null,
  };
}

/** POS files mix every store: people attached to stores see only the imports they started themselves. */
function importInScope(actor: Actor, row: Row) {
  return isChainWide(actor) || row.created_by === actor.id;
}

export async function getImport(ctx: AppContext, actor: Actor, id: string): Promise<PosImport> {
  assertCan(actor, 'pos:read');
  const live = runningImport(id);
  if (live && importInScope(actor, { created_by: live.createdBy })) return { ...live, errors: [...live.errors] };
  if (!isUuid(id)) throw notFound('Import');
  const [row] = await q(ctx, `select * from pos_imports where id = $1`, [id]);
  if (!row || !importInScope(actor, row)) throw notFound('Import');
  return presentImport(row);
}

export async function listImports(ctx: AppContext, actor: Actor, query: z.infer<typeof importListQuery>) {
  assertCan(actor, 'pos:read');
  const params: unknown[] = [];
  const where = [isChainWide(actor) ? 'true' : `created_by = $${params.push(actor.id)}`];
  if (query.status) where.push(`status = $${params.push(query.status)}`);
  const total = num((await q(ctx, `select count(*)::int as n from pos_imports where ${where.join(' and ')}`, params))[0]?.n);
  const op = query.order === 'desc' ? '<' : '>';
  const dir = query.order === 'desc' ? 'desc' : 'asc';
  if (query.cursor) {
    const [v, id] = decodeCursor(query.cursor, { value: 'date', id: 'uuid' });
    where.push(`(started_at, id) ${op} ($${params.push(v)}::timestamptz, $${params.push(id)}::uuid)`);
  }
  const rows = await q(ctx, `select * from pos_imports where ${where.join(' and ')} order by started_at ${dir}, id ${dir} limit ${query.limit + 1}`, params);
  const items = rows.slice(0, query.limit).map(presentImport);
  const last = items[items.length - 1];
  return { items, total, nextCursor: rows.length > query.limit && last ? encodeCursor(last.startedAt, last.id) : null };
}

// ------------------------------------------------------------------ global search

registerSearchProvider({
  kind: 'pos_exceptions',
  label: 'POS exceptions',
  order: 50,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'pos:read')) return [];
    const ref = terms.ref('EXC');
    const params: unknown[] = [];
    const match: string[] = [];
    if (ref) match.push(ref.digits ? `e.number::text like $${params.push(`${ref.digits}%`)}` : 'true');
    // The same expression as the GIN index pos_exceptions_search_idx.
    const document = `to_tsvector('simple', e.cashier_code || ' ' || e.summary)`;
    const order: string[] = [];
    if (ref?.exact != null) order.push(`e.number = $${params.push(ref.exact)} desc`);
    if (terms.tsquery && !ref?.prefixed) {
      const p = params.push(terms.tsquery);
      match.push(`${document} @@ to_tsquery('simple', $${p})`);
      order.push(`ts_rank(${document}, to_tsquery('simple', $${p})) desc`);
    }
    if (!match.length) return [];
    const rows = await q(
      ctx,
      `select e.id, e.number, e.summary, e.status, e.cashier_code, s.code as store_code, coalesce(c.name, '') as cashier_name
         from pos_exceptions e join stores s on s.id = e.store_id left join pos_cashiers c on c.store_id = e.store_id and c.code = e.cashier_code
        where ${exceptionsVisibleSql(actor, 'e', params)} and (${match.join(' or ')})
        order by ${[...order, 'e.occurred_at desc', 'e.id desc'].join(', ')} limit ${Number(limit)}`,
      params,
    );
    return rows.map((r) => ({
      id: str(r.id),
      ref: `EXC-${num(r.number)}`,
      title: str(r.summary),
      subtitle: `${str(r.status)} · ${str(r.cashier_name) || str(r.cashier_code)} · ${str(r.store_code)}`,
      link: `/pos/exceptions/${str(r.id)}`,
    }));
  },
});

registerSearchProvider({
  kind: 'pos_cashiers',
  label: 'Cashiers',
  order: 60,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'pos:read') || !terms.tsquery) return [];
    // The same expression as the GIN index pos_cashiers_search_idx.
    const document = `to_tsvector('simple', c.code || ' ' || c.name)`;
    const params: unknown[] = [terms.tsquery, terms.text];
    const rows = await q(
      ctx,
      `select c.id, c.code, c.name, s.code as store_code, s.name as store_name
         from pos_cashiers c join stores s on s.id = c.store_id
        where ${cashiersVisibleSql(actor, 'c', params)} and ${document} @@ to_tsquery('simple', $1)
        order by c.code = $2 desc, ts_rank(${document}, to_tsquery('simple', $1)) desc, c.name, c.id limit ${Number(limit)}`,
      params,
    );
    return rows.map((r) => ({
      id: str(r.id),
      ref: null,
      title: str(r.name) || `Cashier ${str(r.code)}`,
      subtitle: `Cashier ${str(r.code)} · ${str(r.store_code)} ${str(r.store_name)}`,
      link: `/pos/cashiers/${str(r.id)}`,
    }));
  },
});

// ------------------------------------------------------------------ My work

/**
 * Cashier monitoring on the home page, in the person's store scope: an investigator's assigned
 * exceptions and the cashiers who turned high-risk in the latest week; for leads, what waits on LP
 * (new, unassigned exceptions); for everyone who reads POS, the chain's (or their stores') figures.
 */
registerHomeContributor(async (ctx, actor) => {
  if (!can(actor, 'pos:read')) return {};
  const params: unknown[] = [];
  const scope = (column: string) => storeScopeText(actor, column, params);
  const exceptionScope = scope('e.store_id');
  const scoreScope = scope('p.store_id');
  const dayScope = scope('store_id');
  const [figures] = await q(
    ctx,
    `select (select count(*)::int from pos_exceptions e where e.status in ('new','reviewing','watch') and ${exceptionScope}) as open,
            (select count(*)::int from pos_exceptions e where e.status = 'new' and e.assignee_id is null and ${exceptionScope}) as unassigned,
            (select to_char(max(period_start), 'YYYY-MM-DD') from pos_scores p where p.period = 'week' and ${scoreScope}) as week,
            (select to_char(max(business_day), 'YYYY-MM-DD') from pos_store_days where ${dayScope}) as last_day`,
    params,
  );
  const week = strOrNull(figures?.week);
  const lastDay = strOrNull(figures?.last_day);
  const out: { actions: HomeAction[]; figures: HomeFigure[]; lists: HomeList[] } = { actions: [], figures: [], lists: [] };
  out.figures.push({ label: 'Open exceptions', value: num(figures?.open), window: 'now', href: '/pos/exceptions?open=true' });
  let fresh: CashierScore[] = [];
  if (week) {
    const p2: unknown[] = [week];
    const high = await scoreRows(
      ctx,
      `where p.period = 'week' and p.period_start = $1 and p.band = 'high' and ${storeScopeText(actor, 'p.store_id', p2)}`,
      p2,
      'order by p.score desc',
    );
    const before = new Set(
      (await q<{ k: string }>(ctx, `select store_id || ':' || cashier_code as k from pos_scores where period = 'week' and band = 'high' and period_start = $1::date - 7`, [week])).map((r) => r.k),
    );
    fresh = high.filter((s) => !before.has(`${s.storeId}:${s.cashierCode}`));
    out.figures.push({ label: 'High-risk cashiers', value: high.length, window: `week of ${week}`, href: '/pos' });
  }
  if (lastDay) {
    const p3: unknown[] = [lastDay];
    const [sums] = await q(ctx, `select coalesce(sum(refund_cents), 0)::float8 as refunds from pos_store_days where business_day > $1::date - 30 and business_day <= $1 and ${storeScopeText(actor, 'store_id', p3)}`, p3);
    out.figures.push({ label: 'POS refunds', value: num(sums?.refunds), unit: 'cents', window: `30 days to ${lastDay}`, href: '/pos' });
  }
  if (can(actor, 'pos:review')) {
    const p4: unknown[] = [actor.id];
    const assigned = await q(ctx, `${EXC_SELECT} where e.assignee_id = $1 and e.status in ('new','reviewing','watch') and ${storeScopeText(actor, 'e.store_id', p4)} order by e.score desc nulls last, e.occurred_at desc limit 10`, p4);
    for (const row of assigned) {
      const e = presentException(row);
      out.actions.push({ kind: 'exception', label: `${e.ref} ${e.cashierName || e.cashierCode} · ${e.storeCode}`, detail: `Assigned to you · ${e.summary}`, href: `/pos/exceptions/${e.id}`, due: null });
    }
    out.lists.push({
      key: 'pos-new-high-risk',
      title: 'Cashiers new to high risk',
      window: week ? `week of ${week}, against the week before` : null,
      items: fresh.slice(0, 8).map((s) => ({ label: `${s.cashierName || s.cashierCode} · ${s.storeCode}`, detail: s.summary, href: s.cashierId ? `/pos/cashiers/${s.cashierId}` : '/pos', badge: `Score ${Math.round(s.score)}` })),
      empty: 'No cashier entered the high-risk band this week.',
      action: { label: 'Open the exception queue', href: '/pos/exceptions?open=true' },
    });
  }
  if (actor.role === 'lead' || actor.role === 'admin') {
    const n = num(figures?.unassigned);
    if (n > 0) out.actions.push({ kind: 'exception', label: `${n} new exception${n === 1 ? '' : 's'} waiting on loss prevention`, detail: 'New and unassigned: assign a reviewer', href: '/pos/exceptions?status=new', due: null });
  }
  return out;
});
