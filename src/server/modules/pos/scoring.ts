import { METRIC_LABELS, METRICS, type Band, type Explanation, type Metric, type Period, type PosSettings } from '../../../contracts/pos.js';
import type { BulkConnection } from '../../platform/db.js';

/**
 * Risk scores per cashier and period from the per-day aggregates (never raw transactions).
 *
 * Each metric is a rate x/n (or, for average item value, a mean). The cashier's rate is shrunk
 * toward the reference rate p (the store's, then the chain's), empirical-Bayes style:
 * r = (x + k·p)/(n + k), with k the prior strength in the metric's own units — at least
 * `priorTransactions`, and at least enough to hold one expected event (1/p), so that one rare event
 * (a post-void where the store has one in a thousand) cannot make a newcomer's rate look extreme. The deviation is measured against the store's cashiers and
 * the chain: z = (r − p)/σ with σ² = p(1−p)/(n + k) + (τ·p)², where τ (25%) is the spread between
 * honest cashiers that should not raise an alarm. z_store and z_chain are blended by chainWeight.
 * Each metric adds w·max(0, min(z, 10) − 1) points; score = 100·(1 − e^(−points/5)).
 */

const TAU = 0.25;
const PRIOR_EVENTS = 1;
const TAU_AVG = 0.15;
const SCALE = 5;

/** Sums per cashier over a period, as read from pos_cashier_days. */
export interface CashierCounts {
  storeId: string;
  cashierCode: string;
  periodStart: string;
  txn: number;
  sales: number;
  salesCents: number;
  saleItems: number;
  items: number;
  refunds: number;
  refundNoReceipt: number;
  refundCash: number;
  refundAfterSale: number;
  postVoids: number;
  voidAfterTotal: number;
  lineVoids: number;
  noSales: number;
  overrides: number;
  cards: number;
  manualCards: number;
  employeeDiscounts: number;
  giftIssues: number;
  giftRedeems: number;
  managerOverrides: number;
}

type RateMetric = Exclude<Metric, 'low_avg_item_value'>;
const RATE: Record<RateMetric, (c: CashierCounts) => [number, number]> = {
  refund_rate: (c) => [c.refunds, c.txn],
  refund_no_receipt_rate: (c) => [c.refundNoReceipt, c.txn],
  refund_cash_rate: (c) => [c.refundCash, c.txn],
  refund_after_sale_rate: (c) => [c.refundAfterSale, c.txn],
  post_void_rate: (c) => [c.postVoids, c.txn],
  void_after_total_rate: (c) => [c.voidAfterTotal, c.txn],
  line_void_rate: (c) => [c.lineVoids, c.items + c.lineVoids],
  no_sale_rate: (c) => [c.noSales, c.txn],
  price_override_rate: (c) => [c.overrides, c.items],
  manual_card_rate: (c) => [c.manualCards, c.cards],
  employee_discount_rate: (c) => [c.employeeDiscounts, c.sales],
  gift_card_rate: (c) => [c.giftIssues + c.giftRedeems, c.txn],
  manager_override_rate: (c) => [c.managerOverrides, c.txn],
};

export const metricValue = (m: Metric, c: CashierCounts): number => {
  if (m === 'low_avg_item_value') return c.saleItems ? c.salesCents / c.saleItems : 0;
  const [x, n] = RATE[m](c);
  return n ? x / n : 0;
};

function sum(list: CashierCounts[]): CashierCounts {
  const t = { ...list[0] };
  for (const k of Object.keys(t) as (keyof CashierCounts)[]) if (typeof t[k] === 'number') (t as Record<string, unknown>)[k] = 0;
  for (const c of list) for (const k of Object.keys(t) as (keyof CashierCounts)[]) if (typeof c[k] === 'number') (t as unknown as Record<string, number>)[k] += c[k] as number;
  return t;
}

const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

export interface ScoredCashier {
  storeId: string;
  cashierCode: string;
  periodStart: string;
  score: number;
  band: Band;
  txn: number;
  explanation: Explanation[];
}

export function bandOf(score: number, s: PosSettings): Band {
  return score >= s.highThreshold ? 'high' : score >= s.watchThreshold ? 'watch' : 'low';
}

/** Scores every cashier of one period (all stores together, for the chain comparison). */
export function scorePeriod(rows: CashierCounts[], s: PosSettings): ScoredCashier[] {
  if (!rows.length) return [];
  const chain = sum(rows);
  const byStore = new Map<string, CashierCounts[]>();
  for (const r of rows) {
    const list = byStore.get(r.storeId) ?? [];
    list.push(r);
    byStore.set(r.storeId, list);
  }
  const out: ScoredCashier[] = [];
  for (const list of byStore.values()) {
    const store = sum(list);
    const txnPerStore = Math.max(store.txn, 1);
    for (const c of list) {
      const explanation: Explanation[] = [];
      let points = 0;
      for (const m of METRICS) {
        const w = s.weights[m];
        if (!w) continue;
        let z: number;
        const value = metricValue(m, c);
        const storeValue = metricValue(m, store);
        const chainValue = metricValue(m, chain);
        if (m === 'low_avg_item_value') {
          if (!c.saleItems || !store.saleItems) continue;
          const k = s.priorTransactions * (store.saleItems / txnPerStore);
          const shrunk = (c.salesCents + k * storeValue) / (c.saleItems + k);
          const sd = (mu: number) => mu * Math.sqrt(1 / (c.saleItems + k) + TAU_AVG * TAU_AVG);
          const zs = storeValue > 0 ? (storeValue - shrunk) / sd(storeValue) : 0;
          const zc = chainValue > 0 ? (chainValue - shrunk) / sd(chainValue) : 0;
          z = (1 - s.chainWeight) * zs + s.chainWeight * zc;
        } else {
          const [x, n] = RATE[m](c);
          const [, nStore] = RATE[m](store);
          if (!nStore) continue;
          const base = s.priorTransactions * (nStore / txnPerStore);
          // Shrink toward the reference rate (store, then chain) and measure the deviation from it.
          const zOf = (p: number) => {
            const q = Math.min(Math.max(p, 1e-4), 0.9999);
            const k = Math.max(base, PRIOR_EVENTS / q);
            const shrunk = (x + k * p) / (n + k);
            return (shrunk - p) / Math.sqrt((q * (1 - q)) / (n + k) + (TAU * q) ** 2);
          };
          z = (1 - s.chainWeight) * zOf(storeValue) + s.chainWeight * zOf(chainValue);
        }
        const add = w * Math.max(0, Math.min(z, 10) - 1);
        if (add <= 0) continue;
        points += add;
        const label = METRIC_LABELS[m];
        const text =
          m === 'low_avg_item_value'
            ? `${label} ${dollars(value)} vs store ${dollars(storeValue)} (${z.toFixed(1)}σ below)`
            : `${label} ${pct(value)} vs store ${pct(storeValue)} (${z.toFixed(1)}σ)`;
        explanation.push({ metric: m, value, storeValue, chainValue, z: Math.round(z * 10) / 10, points: Math.round(add * 10) / 10, text });
      }
      explanation.sort((a, b) => b.points - a.points);
      const score = Math.round(100 * (1 - Math.exp(-points / SCALE)));
      out.push({ storeId: c.storeId, cashierCode: c.cashierCode, periodStart: c.periodStart, score, band: bandOf(score, s), txn: c.txn, explanation });
    }
  }
  return out;
}

/** The cashier-day counters summed into CashierCounts (the columns scoring reads). */
export const SUMS = `sum(txn_count)::int as txn, sum(sale_count)::int as sales, sum(sales_cents)::float8 as "salesCents", sum(sale_items)::int as "saleItems",
  sum(item_count)::int as items, sum(refund_count)::int as refunds, sum(refund_no_receipt_count)::int as "refundNoReceipt",
  sum(refund_cash_count)::int as "refundCash", sum(refund_after_sale_count)::int as "refundAfterSale", sum(post_void_count)::int as "postVoids",
  sum(void_after_total_count)::int as "voidAfterTotal", sum(line_void_count)::int as "lineVoids", sum(no_sale_count)::int as "noSales",
  sum(override_count)::int as overrides, sum(card_count)::int as cards, sum(manual_card_count)::int as "manualCards",
  sum(employee_discount_count)::int as "employeeDiscounts", sum(gift_issue_count)::int as "giftIssues", sum(gift_redeem_count)::int as "giftRedeems",
  sum(manager_override_count)::int as "managerOverrides"`;

type Query = Pick<BulkConnection, 'query'>;

/** The SQL start of the period a business day belongs to (weeks start on Monday). */
const periodStartSql = (period: Period) => (period === 'day' ? 'business_day' : `(business_day - ((extract(isodow from business_day)::int + 6) % 7))`);

/**
 * Recomputes the scores of the given periods (day: the days; week: the Mondays) and upserts an
 * exception for each high-risk cashier-week. Works chunk by chunk, yielding between periods.
 */
export async function rescore(conn: Query, s: PosSettings, period: Period, starts: string[]): Promise<number> {
  if (!starts.length) return 0;
  const sorted = [...new Set(starts)].sort();
  const periodExpr = periodStartSql(period);
  let written = 0;
  for (let i = 0; i < sorted.length; i += 7) {
    const batch = sorted.slice(i, i + 7);
    const { rows } = await conn.query<CashierCounts & { ps: string }>(
      `select store_id as "storeId", cashier_code as "cashierCode", to_char(${periodExpr}, 'YYYY-MM-DD') as "periodStart", ${SUMS}
         from pos_cashier_days
        where ${periodExpr} = any($1::date[])
        group by 1, 2, 3`,
      [batch],
    );
    const byPeriod = new Map<string, CashierCounts[]>();
    for (const r of rows) {
      const list = byPeriod.get(r.periodStart) ?? [];
      list.push(r);
      byPeriod.set(r.periodStart, list);
    }
    const scored = [...byPeriod.values()].flatMap((list) => scorePeriod(list, s));
    await conn.query(`delete from pos_scores where period = $1 and period_start = any($2::date[])`, [period, batch]);
    if (scored.length) {
      await conn.query(
        `insert into pos_scores (store_id, cashier_code, period, period_start, score, band, txn_count, explanation)
         select u.store_id, u.cashier_code, $1, u.period_start, u.score, u.band, u.txn, u.explanation
           from unnest($2::uuid[], $3::text[], $4::date[], $5::real[], $6::text[], $7::int[], $8::jsonb[])
             as u(store_id, cashier_code, period_start, score, band, txn, explanation)`,
        [
          period,
          scored.map((r) => r.storeId),
          scored.map((r) => r.cashierCode),
          scored.map((r) => r.periodStart),
          scored.map((r) => r.score),
          scored.map((r) => r.band),
          scored.map((r) => r.txn),
          scored.map((r) => JSON.stringify(r.explanation)),
        ],
      );
    }
    if (period === 'week') {
      const high = scored.filter((r) => r.band === 'high');
      if (high.length) {
        await conn.query(
          `insert into pos_exceptions (kind, rule, rules, store_id, cashier_code, period, period_start, score, summary, occurred_at)
           select 'cashier_period', 'high_risk_score', array['high_risk_score'], u.store_id, u.cashier_code, 'week', u.period_start, u.score, u.summary, u.period_start::timestamptz
             from unnest($1::uuid[], $2::text[], $3::date[], $4::real[], $5::text[]) as u(store_id, cashier_code, period_start, score, summary)
           on conflict (store_id, cashier_code, period, period_start, rule)
           do update set score = excluded.score, summary = excluded.summary, updated_at = now()
            where pos_exceptions.score is distinct from excluded.score`,
          [
            high.map((r) => r.storeId),
            high.map((r) => r.cashierCode),
            high.map((r) => r.periodStart),
            high.map((r) => r.score),
            high.map((r) => `Risk score ${r.score} for the week of ${r.periodStart}: ${r.explanation.slice(0, 3).map((e) => e.text).join('; ')}`),
          ],
        );
      }
    }
    written += scored.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return written;
}

/** Every scored period of a kind (for a full rescore after the settings change). */
export async function allPeriods(conn: Query, period: Period): Promise<string[]> {
  const expr = periodStartSql(period);
  const { rows } = await conn.query<{ d: string }>(`select distinct to_char(${expr}, 'YYYY-MM-DD') as d from pos_cashier_days order by 1`);
  return rows.map((r) => r.d);
}

export const weekStartOf = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - dow * 86400000).toISOString().slice(0, 10);
};
