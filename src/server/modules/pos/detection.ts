import { assertStoreScope, isChainWide, storeScopeText } from '../../platform/scope.js';
import { z } from 'zod';
import {
  METRIC_LABELS,
  OPERATOR_ROLES,
  POS_FLAG_LABELS,
  type Metric,
  type PeerGroup,
  type PosFlag,
  type PosRegister,
  type QueueGroup,
  type Ranking,
  type exceptionBulkInput,
  type queueQuery,
  type rankingQuery,
} from '../../../contracts/pos.js';
import type { AppContext } from '../../platform/context.js';
import { importError, parseCsvRows } from '../../platform/csv-import.js';
import { invalid, notFound } from '../../platform/errors.js';
import { assertCan, type Actor } from '../../platform/policy.js';
import { ACCUMULATION_DAYS, scoreRange } from './scoring.js';
import { EXC_SELECT, exceptionWhere, presentException } from './service.js';
import { loadSettings } from './settings.js';

/**
 * Detection services: the ranking of cashiers over any date range (peer groups, evidence summed
 * over the range), the POS operator list and register types behind the peer groups, the queue
 * grouped by cashier with bulk decisions, and the outcomes report.
 */

type Row = Record<string, unknown>;
const str = (v: unknown) => (v == null ? '' : String(v));
const strOrNull = (v: unknown) => (v == null ? null : String(v));
const num = (v: unknown) => (v == null ? 0 : Number(v));
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
async function q<T = Row>(ctx: AppContext, text: string, params: unknown[] = []): Promise<T[]> {
  return (await ctx.database.query<T>(text, params)).rows;
}
/** Read-only queries in the shape scoring expects, on the pool (so they may run at once). */
const reader = (ctx: AppContext) => ({
  pooled: true,
  query: async <T,>(text: string, params?: unknown[]) => {
    const r = await ctx.database.query<T>(text, params);
    return { rows: r.rows, rowCount: r.rows.length };
  },
});
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

// ------------------------------------------------------------------ ranking

/** Who to look at for a period: every cashier scored over [from, to] against their peers, by evidence. */
export async function rankCashiers(ctx: AppContext, actor: Actor, query: z.infer<typeof rankingQuery>): Promise<Ranking> {
  assertCan(actor, 'pos:read');
  // People attached to stores rank their store only (the ranking compares against the chain, but lists their cashiers).
  if (!isChainWide(actor)) {
    if (!query.storeId) query = { ...query, storeId: actor.storeIds?.[0] };
    assertStoreScope(actor, query.storeId ?? null, 'Store');
  }
  let { from, to } = query;
  if (!from || !to) {
    const [r] = await q(ctx, `select to_char(max(business_day), 'YYYY-MM-DD') as max from pos_cashier_days`);
    const max = strOrNull(r?.max);
    if (!max) return { from: from ?? null, to: to ?? null, days: 0, total: 0, items: [], registerAlerts: [] };
    to = to ?? max;
    from = from ?? addDays(to, -(ACCUMULATION_DAYS - 1));
  }
  if (from > to) throw invalid('from', 'must not be after to');
  if (Date.parse(to) - Date.parse(from) > 366 * 86400000) throw invalid('from', 'the range is at most a year');
  const { settings } = await loadSettings(ctx.db);
  const result = await scoreRange(reader(ctx), settings, from, to);
  let scored = result.scored;
  if (query.storeId) scored = scored.filter((s) => s.storeId === query.storeId);
  if (query.group) scored = scored.filter((s) => s.group === query.group);
  if (query.band) scored = scored.filter((s) => s.band === query.band);
  scored.sort((a, b) => b.points - a.points || b.txn - a.txn);
  const total = scored.length;
  const top = scored.slice(0, query.limit);
  const names = new Map(
    (await q(ctx, `select c.id, c.store_id, c.code, c.name, s.code as store_code from pos_cashiers c join stores s on s.id = c.store_id where c.store_id = any($1::uuid[])`, [[...new Set(top.map((t) => t.storeId))]])).map((r) => [
      `${str(r.store_id)}\t${str(r.code)}`,
      r,
    ]),
  );
  const storeCodes = new Map((await q(ctx, `select id, code from stores`)).map((r) => [str(r.id), str(r.code)]));
  const open = new Map(
    (await q(ctx, `select store_id, cashier_code, count(*)::int as n from pos_exceptions where status in ('new','reviewing','watch') group by 1, 2`)).map((r) => [`${str(r.store_id)}\t${str(r.cashier_code)}`, num(r.n)]),
  );
  return {
    from,
    to,
    days: result.days,
    total,
    items: top.map((s) => {
      const c = names.get(`${s.storeId}\t${s.cashierCode}`);
      return {
        cashierId: c ? str(c.id) : null,
        cashierCode: s.cashierCode,
        cashierName: c ? str(c.name) : '',
        storeId: s.storeId,
        storeCode: storeCodes.get(s.storeId) ?? '',
        group: s.group,
        score: s.score,
        band: s.band,
        points: Math.round(s.points * 100) / 100,
        transactions: s.txn,
        explanation: s.explanation,
        summary: s.explanation.length ? s.explanation.slice(0, 3).map((e) => e.text).join('; ') : 'in line with their peers',
        openExceptions: open.get(`${s.storeId}\t${s.cashierCode}`) ?? 0,
      };
    }),
    registerAlerts: result.registerAlerts
      .filter((a) => !query.storeId || a.storeId === query.storeId)
      .map((a) => ({ ...a, storeCode: storeCodes.get(a.storeId) ?? '' })),
  };
}

// ------------------------------------------------------------------ operators and registers

const operatorRow = z.object({
  store: z.string().trim().min(1, 'is required'),
  cashier_id: z.string().trim().min(1, 'is required').max(40, 'must be at most 40 characters'),
  name: z.string().trim().max(200).optional().default(''),
  role: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v) => (v ? v : 'cashier'))
    .pipe(z.enum(OPERATOR_ROLES, { error: `must be one of ${OPERATOR_ROLES.join(', ')}` })),
  hire_date: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.iso.date({ error: 'must be a date YYYY-MM-DD' }).nullable()),
});

/** Imports the POS operator list (store, cashier_id, name, role, hire_date): roles and tenure for the peer groups. */
export async function importOperators(ctx: AppContext, actor: Actor, csvText: string) {
  assertCan(actor, 'pos:settings');
  const { rows, problems, total } = parseCsvRows(csvText, operatorRow, { required: ['store', 'cashier_id'] });
  const parseProblems = problems.length;
  const stores = new Map((await q(ctx, `select id, code from stores`)).map((s) => [str(s.code).toLowerCase(), str(s.id)]));
  const seen = new Map<string, number>();
  for (const { line, value } of rows) {
    if (!stores.has(value.store.toLowerCase())) problems.push({ line, field: 'store', message: `unknown store ${value.store}` });
    const k = `${value.store.toLowerCase()}\t${value.cashier_id}`;
    if (seen.has(k)) problems.push({ line, field: 'cashier_id', message: `duplicate of line ${seen.get(k)}` });
    else seen.set(k, line);
  }
  if (problems.length) throw importError(problems, total + problems.length - parseProblems);
  return ctx.database.bulkTransaction(async (conn) => {
    const { rows: existing } = await conn.query<{ n: number }>(
      `select count(*)::int as n from pos_operators o where (o.store_id, o.code) in (select * from unnest($1::uuid[], $2::text[]))`,
      [rows.map((r) => stores.get(r.value.store.toLowerCase())), rows.map((r) => r.value.cashier_id)],
    );
    await conn.query(
      `insert into pos_operators (store_id, code, name, role, hire_date, updated_at)
       select u.store_id, u.code, u.name, u.role, u.hire_date, now() from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[]) as u(store_id, code, name, role, hire_date)
       on conflict (store_id, code) do update set name = excluded.name, role = excluded.role, hire_date = excluded.hire_date, updated_at = now()`,
      [
        rows.map((r) => stores.get(r.value.store.toLowerCase())),
        rows.map((r) => r.value.cashier_id),
        rows.map((r) => r.value.name),
        rows.map((r) => r.value.role),
        rows.map((r) => r.value.hire_date),
      ],
    );
    const updated = existing[0].n;
    const created = rows.length - updated;
    await conn.query(
      `insert into audit_log (id, actor_id, actor_name, action, entity, entity_id, summary, after, ip) values (gen_random_uuid(), $1, $2, 'import', 'pos_operator', null, $3, $4::jsonb, $5)`,
      [actor.via === 'system' ? null : actor.id, actor.name, `Imported the POS operator list: ${created} created, ${updated} updated`, JSON.stringify({ created, updated, lines: rows.length }), actor.ip ?? null],
    );
    return { created, updated, lines: rows.length };
  });
}

export async function listOperators(ctx: AppContext, actor: Actor, storeId?: string) {
  assertCan(actor, 'pos:read');
  if (!isChainWide(actor)) {
    storeId = storeId ?? actor.storeIds?.[0];
    assertStoreScope(actor, storeId ?? null, 'Store');
  }
  const rows = await q(
    ctx,
    `select o.store_id, s.code as store_code, o.code, o.name, o.role, to_char(o.hire_date, 'YYYY-MM-DD') as hire_date from pos_operators o join stores s on s.id = o.store_id
      ${storeId ? 'where o.store_id = $1' : ''} order by s.code, o.code limit 5000`,
    storeId ? [storeId] : [],
  );
  return rows.map((r) => ({ storeId: str(r.store_id), storeCode: str(r.store_code), code: str(r.code), name: str(r.name), role: r.role as (typeof OPERATOR_ROLES)[number], hireDate: strOrNull(r.hire_date) }));
}

const presentRegister = (r: Row): PosRegister => ({
  storeId: str(r.store_id),
  storeCode: str(r.store_code),
  register: str(r.register),
  type: r.type as PosRegister['type'],
  status: r.status as PosRegister['status'],
  reason: str(r.reason),
  confirmedByName: strOrNull(r.confirmed_by_name),
  updatedAt: iso(r.updated_at),
});
const REGISTER_SELECT = `select r.store_id, s.code as store_code, r.register, r.type, r.status, r.reason, p.name as confirmed_by_name, r.updated_at
  from pos_registers r join stores s on s.id = r.store_id left join people p on p.id = r.confirmed_by`;

/** Register types, proposed ones first (a lead confirms them). */
export async function listRegisters(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'pos:read');
  const params: unknown[] = [];
  return (await q(ctx, `${REGISTER_SELECT} where ${storeScopeText(actor, 'r.store_id', params)} order by r.status = 'confirmed', s.code, r.register`, params)).map(presentRegister);
}

/** A lead sets (and so confirms) a register's type: lane, service desk or self-checkout supervision. */
export async function setRegisterType(ctx: AppContext, actor: Actor, storeId: string, register: string, type: PosRegister['type']) {
  assertCan(actor, 'pos:settings');
  const [store] = await q(ctx, `select id, code from stores where id = $1`, [storeId]);
  if (!store) throw notFound('Store');
  const [before] = await q(ctx, `select type, status from pos_registers where store_id = $1 and register = $2`, [storeId, register]);
  if (!before) {
    const [seen] = await q(ctx, `select 1 from pos_cashier_register_days where store_id = $1 and register = $2 limit 1`, [storeId, register]);
    if (!seen) throw notFound('Register');
  }
  await ctx.database.bulkTransaction(async (conn) => {
    await conn.query(
      `insert into pos_registers (store_id, register, type, status, reason, confirmed_by, updated_at) values ($1, $2, $3, 'confirmed', '', $4, now())
       on conflict (store_id, register) do update set type = excluded.type, status = 'confirmed', confirmed_by = excluded.confirmed_by, updated_at = now()`,
      [storeId, register, type, actor.via === 'system' ? null : actor.id],
    );
    await conn.query(
      `insert into audit_log (id, actor_id, actor_name, action, entity, entity_id, summary, before, after, ip) values (gen_random_uuid(), $1, $2, 'update', 'pos_register', $3, $4, $5::jsonb, $6::jsonb, $7)`,
      [
        actor.via === 'system' ? null : actor.id,
        actor.name,
        `${str(store.code)}/${register}`,
        `Register ${register} of ${str(store.code)} confirmed as ${type.replace('_', ' ')}`,
        JSON.stringify(before ?? null),
        JSON.stringify({ type, status: 'confirmed' }),
        actor.ip ?? null,
      ],
    );
  });
  const [row] = await q(ctx, `${REGISTER_SELECT} where r.store_id = $1 and r.register = $2`, [storeId, register]);
  return presentRegister(row);
}

// ------------------------------------------------------------------ queue

/** The queue: open exceptions grouped under their cashier, groups by risk (highest first). */
export async function exceptionQueue(ctx: AppContext, actor: Actor, query: z.infer<typeof queueQuery>): Promise<{ total: number; groups: QueueGroup[] }> {
  assertCan(actor, 'pos:read');
  const { where, params } = await exceptionWhere(ctx, actor, { storeId: query.storeId, assigneeId: query.assigneeId, open: query.open ? true : undefined });
  const rows = await q(ctx, `${EXC_SELECT} where ${where.join(' and ')} order by coalesce(e.score, -1) desc, e.occurred_at desc limit 5000`, params);
  const latest = new Map(
    (
      await q(
        ctx,
        `select distinct on (store_id, cashier_code) store_id, cashier_code, score from pos_scores where period = 'week' order by store_id, cashier_code, period_start desc`,
      )
    ).map((r) => [`${str(r.store_id)}\t${str(r.cashier_code)}`, num(r.score)]),
  );
  const groups = new Map<string, QueueGroup>();
  for (const r of rows) {
    const e = presentException(r);
    const k = `${e.storeId}\t${e.cashierCode}`;
    let g = groups.get(k);
    if (!g) {
      g = { cashierId: e.cashierId, cashierCode: e.cashierCode, cashierName: e.cashierName, storeId: e.storeId, storeCode: e.storeCode, risk: latest.get(k) ?? 0, exceptions: [] };
      groups.set(k, g);
    }
    g.exceptions.push(e);
    if ((e.score ?? 0) > g.risk) g.risk = e.score ?? 0;
  }
  const ordered = [...groups.values()].sort((a, b) => b.risk - a.risk || b.exceptions.length - a.exceptions.length || a.cashierCode.localeCompare(b.cashierCode));
  return { total: rows.length, groups: ordered.slice(0, query.limit) };
}

/** The exception to open after deciding `id`: the next open one in queue order (same cashier first). */
export async function nextException(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'pos:read');
  const [current] = await q(ctx, `select store_id, cashier_code from pos_exceptions where id = $1`, [id]);
  if (!current) throw notFound('Exception');
  assertStoreScope(actor, str(current.store_id), 'Exception');
  const { groups } = await exceptionQueue(ctx, actor, { open: true, limit: 500 });
  const order = groups.flatMap((g) => g.exceptions.map((e) => e.id)).filter((x) => x !== id);
  const sameCashier = groups.find((g) => g.storeId === str(current.store_id) && g.cashierCode === str(current.cashier_code));
  const next = sameCashier?.exceptions.find((e) => e.id !== id)?.id ?? order[0] ?? null;
  return { id: next };
}

/** Bulk decisions: assign (or unassign), dismiss with one reason, mark watch; one audit entry per exception. */
export async function bulkUpdateExceptions(ctx: AppContext, actor: Actor, input: z.infer<typeof exceptionBulkInput>) {
  assertCan(actor, 'pos:review');
  if (input.action === 'assign' && input.assigneeId) {
    const [p] = await q(ctx, `select id, role, active from people where id = $1`, [input.assigneeId]);
    if (!p || !p.active) throw invalid('assigneeId', 'is not an active person');
    if (!['admin', 'lead', 'member'].includes(str(p.role))) throw invalid('assigneeId', 'this person cannot review exceptions');
  }
  const ids = [...new Set(input.ids)];
  return ctx.database.bulkTransaction(async (conn) => {
    const scopeParams: unknown[] = [ids];
    const { rows: found } = await conn.query<{ id: string; number: number; status: string; assignee_id: string | null; dismiss_reason: string | null }>(
      `select id, number, status, assignee_id, dismiss_reason from pos_exceptions where id = any($1::uuid[]) and ${storeScopeText(actor, 'store_id', scopeParams)} for update`,
      scopeParams,
    );
    if (found.length !== ids.length) {
      const missing = ids.findIndex((x) => !found.some((f) => f.id === x));
      throw invalid(`ids.${missing}`, 'is not an exception');
    }
    const set =
      input.action === 'assign'
        ? { sql: `assignee_id = $2`, param: input.assigneeId ?? null }
        : input.action === 'dismiss'
          ? { sql: `status = 'dismissed', dismiss_reason = $2`, param: input.dismissReason! }
          : { sql: `status = 'watch', dismiss_reason = null, $2::text is null`, param: null };
    const setSql = input.action === 'watch' ? `status = 'watch', dismiss_reason = null` : set.sql;
    const params: unknown[] = input.action === 'watch' ? [ids] : [ids, set.param];
    const r = await conn.query(`update pos_exceptions set ${setSql}, updated_at = now() where id = any($1::uuid[])`, params);
    for (const f of found) {
      const after = input.action === 'assign' ? { assigneeId: input.assigneeId ?? null } : input.action === 'dismiss' ? { status: 'dismissed', dismissReason: input.dismissReason } : { status: 'watch' };
      const before = input.action === 'assign' ? { assigneeId: f.assignee_id } : { status: f.status, dismissReason: f.dismiss_reason };
      await conn.query(
        `insert into audit_log (id, actor_id, actor_name, action, entity, entity_id, summary, before, after, ip) values (gen_random_uuid(), $1, $2, 'update', 'pos_exception', $3, $4, $5::jsonb, $6::jsonb, $7)`,
        [actor.via === 'system' ? null : actor.id, actor.name, f.id, `EXC-${f.number}: ${input.action === 'assign' ? 'assignment changed' : `status ${f.status} → ${input.action === 'dismiss' ? 'dismissed' : 'watch'}`} (bulk)`, JSON.stringify(before), JSON.stringify(after), actor.ip ?? null],
      );
    }
    return { updated: r.rowCount };
  });
}

// ------------------------------------------------------------------ outcomes

const RULE_LABELS: Record<string, string> = {
  ...POS_FLAG_LABELS,
  high_risk_score: 'High risk score for a week',
  accumulated_risk: 'High risk over 4 weeks (accumulated)',
};

/** Each rule's and each signal's hit rate (confirmed / reviewed) and the loss found, for tuning weights. */
export async function outcomes(ctx: AppContext, actor: Actor, query: { from?: string; to?: string }) {
  assertCan(actor, 'pos:read');
  const params: unknown[] = [];
  const where = [storeScopeText(actor, 'e.store_id', params)];
  if (query.from) where.push(`e.occurred_at >= $${params.push(query.from)}::date`);
  if (query.to) where.push(`e.occurred_at < $${params.push(query.to)}::date + 1`);
  const rows = await q(
    ctx,
    `select r.rule, count(*)::int as raised,
            count(*) filter (where e.status in ('dismissed','confirmed','watch'))::int as reviewed,
            count(*) filter (where e.status = 'confirmed')::int as confirmed,
            count(*) filter (where e.status = 'dismissed')::int as dismissed,
            coalesce(sum(coalesce(e.amount_cents, 0)) filter (where e.status = 'confirmed'), 0)::float8 as loss
       from pos_exceptions e cross join lateral unnest(e.rules) as r(rule)
      where ${where.join(' and ')}
      group by r.rule order by raised desc`,
    params,
  );
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    items: rows.map((r) => {
      const rule = str(r.rule);
      const reviewed = num(r.reviewed);
      return {
        rule,
        label: RULE_LABELS[rule as PosFlag] ?? (METRIC_LABELS[rule as Metric] ? `Signal: ${METRIC_LABELS[rule as Metric]}` : rule),
        raised: num(r.raised),
        reviewed,
        confirmed: num(r.confirmed),
        dismissed: num(r.dismissed),
        hitRate: reviewed ? Math.round((num(r.confirmed) / reviewed) * 1000) / 1000 : null,
        lossFoundCents: num(r.loss),
      };
    }),
  };
}

export type { PeerGroup };
