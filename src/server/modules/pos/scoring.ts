import { METRIC_LABELS, METRICS, PEER_GROUP_LABELS, type Band, type Explanation, type Metric, type PeerGroup, type Period, type PosSettings } from '../../../contracts/pos.js';
import type { BulkConnection } from '../../platform/db.js';
import { runReads } from '../../platform/reads.js';
import { scoreOffThread } from './scoring-thread.js';
import { yieldNow } from '../../platform/yield.js';

/**
 * Risk scores per cashier over any range of business days (a day, a week, four weeks…), from the
 * per-day aggregates (never raw transactions). See docs/detection.md for the method.
 *
 * Peer groups: each cashier is compared with the people who do the same job — register type
 * (service desk, self-checkout supervision), role (manager, supervisor), tenure (trainee: in the first
 * four weeks at some point of the range), shift (night closing), else lane cashier.
 * Reference (leave-one-out throughout): the same group across the chain, shrunk toward the whole
 * chain; times the store's effect, learned from all the store's other cashiers against their own
 * groups; then adjusted by the colleagues of the same group in the store, who count for what their
 * number allows (one or two colleagues are mostly their own habits, not the store's).
 * Each metric is a count x over an exposure n (or a mean, for the "low" metrics). Honest people differ:
 * their true rate is gamma-distributed around the reference with a relative spread τ estimated from
 * the chain's own cashiers (maximum likelihood under the model below, per metric and peer group), so
 * x is negative binomial with mean n·p. The evidence of a metric is the likelihood ratio of "n·p·F" (F = 1.5, 2, 3 or 4, equally
 * likely) against "n·p"; small samples carry little evidence by construction. A dishonest cashier
 * shows in some metric: the Bayes factor is the mixture Σ wₘ·LRₘ / Σ wₘ (weights from the settings),
 * and the score is the posterior probability (×100) at a prior share of 5% dishonest cashiers.
 * Summing counts over the range accumulates evidence across weeks: a 3× rate that a week cannot
 * show stands out over five. Keyed card entries are compared with what the registers the cashier
 * used would give anyone (a faulty reader is the register's, not the cashier's).
 */

const TAU = 0.15;
const TAU_AVG = 0.12;
/** Store peers count as this many reference units before the chain's group rate gives way. */
const STORE_PRIOR = 3;
/** Share of a cashier's transactions on a register type, or at night, that puts them in that group. */
const GROUP_SHARE = 0.5;
const TRAINEE_DAYS = 28;
const NIGHT_MIN_SHARE = 0.5;

/** Sums per cashier over a period, as read from pos_cashier_days (and, for detection, the signal tables). */
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
  refundCard?: number;
  refundOtherCard?: number;
  refundCashSaleToCard?: number;
  giftVoids?: number;
  timedSales?: number;
  timedSeconds?: number;
  timedItems?: number;
  timedCents?: number;
  manualItems?: number;
  discounts?: number;
  night?: number;
  cardRefundRepeats?: number;
  discountRepeats?: number;
}

/** What the engine knows of a cashier besides the counts. */
export interface CashierContext {
  group: PeerGroup;
  /** Keyed card entries anyone would have on the registers this cashier used (leave-one-out), or null. */
  expectedKeyed: number | null;
  topRefundCard: { token: string; count: number } | null;
  topDiscountCard: { token: string; count: number } | null;
}

type RateMetric = Exclude<Metric, 'low_avg_item_value' | 'low_items_per_minute' | 'low_value_per_minute'>;
type MeanMetric = 'low_avg_item_value' | 'low_items_per_minute' | 'low_value_per_minute';
const z0 = (v: number | undefined) => v ?? 0;
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
  refund_card_repeat: (c) => [z0(c.cardRefundRepeats), c.txn],
  refund_other_card: (c) => [z0(c.refundOtherCard), c.txn],
  cash_sale_refund_card: (c) => [z0(c.refundCashSaleToCard), c.txn],
  gift_card_void: (c) => [z0(c.giftVoids), c.txn],
  manual_item_rate: (c) => [z0(c.manualItems), c.saleItems],
  discount_card_repeat: (c) => [z0(c.discountRepeats), c.sales],
};
/** Means: [sum, units] with the weight of the evidence in transactions. */
const MEAN: Record<MeanMetric, (c: CashierCounts) => { sum: number; units: number; weight: number; cv: number }> = {
  low_avg_item_value: (c) => ({ sum: c.salesCents, units: c.saleItems, weight: c.saleItems, cv: 1 }),
  low_items_per_minute: (c) => ({ sum: z0(c.timedItems), units: z0(c.timedSeconds) / 60, weight: z0(c.timedSales), cv: 0.8 }),
  low_value_per_minute: (c) => ({ sum: z0(c.timedCents), units: z0(c.timedSeconds) / 60, weight: z0(c.timedSales), cv: 1 }),
};
const isMean = (m: Metric): m is MeanMetric => m in MEAN;

export const metricValue = (m: Metric, c: CashierCounts): number => {
  if (isMean(m)) {
    const { sum: a, units } = MEAN[m](c);
    return units ? a / units : 0;
  }
  const [x, n] = RATE[m](c);
  return n ? x / n : 0;
};

function sum(list: CashierCounts[]): CashierCounts {
  const t = { ...list[0] };
  for (const k of Object.keys(t) as (keyof CashierCounts)[]) if (typeof t[k] === 'number') (t as Record<string, unknown>)[k] = 0;
  for (const c of list) for (const k of Object.keys(c) as (keyof CashierCounts)[]) if (typeof c[k] === 'number') (t as unknown as Record<string, number>)[k] = ((t as unknown as Record<string, number>)[k] ?? 0) + (c[k] as number);
  return t;
}
function minus(a: CashierCounts, b: CashierCounts): CashierCounts {
  const t = { ...a };
  for (const k of Object.keys(a) as (keyof CashierCounts)[]) if (typeof a[k] === 'number') (t as unknown as Record<string, number>)[k] = (a[k] as number) - z0(b[k] as number | undefined);
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
  group: PeerGroup;
  /** The evidence behind the score, unbounded (ranking uses it: the score saturates at 100). */
  points: number;
  explanation: Explanation[];
}

export function bandOf(score: number, s: PosSettings): Band {
  return score >= s.highThreshold ? 'high' : score >= s.watchThreshold ? 'watch' : 'low';
}

/** Reference sums of a cashier's peers, leave-one-out: store group, chain group, chain. */
interface Reference {
  store: CashierCounts | null;
  chainGroup: CashierCounts | null;
  chain: CashierCounts;
  storeAll: CashierCounts;
}

/** How the store-group colleagues weigh: their honest spread τ and the sum of their squared exposures. */
interface Colleagues {
  tau: number;
  sumSq: number;
}

/**
 * The reference rate: chain → chain group, times the store's effect, → the same-group colleagues in
 * the store, each level shrunk toward the one above. Colleagues' exposure is discounted for their own
 * habits: pooled, their rate varies by p/n + τ²p²·Σnⱼ²/n² around the group's, so they count as
 * n / (1 + τ²·p·Σnⱼ²/n) transactions (one colleague's transactions say at most 1/(τ²p) about the group).
 */
function referenceRate(m: RateMetric, ref: Reference, base: number, storeEffect: number, colleagues: Colleagues | null): number {
  const [xa, na] = RATE[m](ref.chain);
  let p = na > 0 ? xa / na : 0;
  if (ref.chainGroup) {
    const [x, n] = RATE[m](ref.chainGroup);
    const k = Math.max(base, 1 / Math.min(Math.max(p, 1e-4), 0.9999));
    p = (x + k * p) / (n + k);
  }
  p *= storeEffect;
  if (ref.store) {
    const [x, n] = RATE[m](ref.store);
    const q = Math.min(Math.max(p, 1e-4), 0.9999);
    const k = STORE_PRIOR * Math.max(base, 1 / q);
    const neff = colleagues && n > 0 ? n / (1 + (colleagues.tau * colleagues.tau * q * colleagues.sumSq) / n) : n;
    p = (n > 0 ? (x / n) * neff + k * p : k * p) / (neff + k);
  }
  return p;
}
function referenceMean(m: MeanMetric, ref: Reference, base: number): number {
  const a = MEAN[m](ref.chain);
  let mu = a.units > 0 ? a.sum / a.units : 0;
  for (const level of [ref.chainGroup, ref.store]) {
    if (!level) continue;
    const v = MEAN[m](level);
    if (!v.units || !v.weight) continue;
    const k = (level === ref.store ? STORE_PRIOR : 1) * base;
    const perWeight = v.units / v.weight;
    mu = (v.sum + k * perWeight * mu) / (v.units + k * perWeight);
  }
  return mu;
}

function weeksOf(days: number) {
  return days % 7 === 0 ? `${days / 7} week${days === 7 ? '' : 's'}` : `${days} day${days === 1 ? '' : 's'}`;
}

/**
 * Scores every cashier of one range (all stores together, for the chain references).
 * `contexts` gives each cashier's peer group and register expectation (default: lane, none).
 */
export function scoreCashiers(rows: CashierCounts[], s: PosSettings, contexts: Map<string, CashierContext> = new Map(), days = 7): ScoredCashier[] {
  if (!rows.length) return [];
  const key = (c: CashierCounts) => `${c.storeId}\t${c.cashierCode}`;
  const ctxOf = (c: CashierCounts): CashierContext => contexts.get(key(c)) ?? { group: 'lane', expectedKeyed: null, topRefundCard: null, topDiscountCard: null };
  const chain = sum(rows);
  const groups = new Map<string, CashierCounts[]>();
  const storeGroups = new Map<string, CashierCounts[]>();
  const stores = new Map<string, CashierCounts[]>();
  for (const r of rows) {
    const g = ctxOf(r).group;
    for (const [map, k] of [[groups, g], [storeGroups, `${r.storeId}\t${g}`], [stores, r.storeId]] as const) {
      const list = map.get(k) ?? [];
      list.push(r);
      map.set(k, list);
    }
  }
  const sums = (m: Map<string, CashierCounts[]>) => new Map([...m].map(([k, list]) => [k, sum(list)]));
  const groupSums = sums(groups);
  const storeGroupSums = sums(storeGroups);
  const storeSums = sums(stores);
  const groupTop = new Map<string, { refund: number; discount: number; n: number }>();
  for (const r of rows) {
    const c = ctxOf(r);
    const k = `${r.storeId}\t${c.group}`;
    const t = groupTop.get(k) ?? { refund: 0, discount: 0, n: 0 };
    t.refund += c.topRefundCard?.count ?? 0;
    t.discount += c.topDiscountCard?.count ?? 0;
    t.n++;
    groupTop.set(k, t);
  }
  const txnPerChain = Math.max(chain.txn, 1);
  const rateBase = (m: RateMetric) => s.priorTransactions * (RATE[m](chain)[1] / txnPerChain);

  // The store's effect on each count: its cashiers' events against what their groups give across the
  // chain. A store's habits (its customers, its scanners, its policies) show in every job; a group with
  // one or two people in the store learns the store from all its colleagues, not from those one or two.
  const groupRate = new Map<string, number>();
  const storeEvents = new Map<string, { x: number; expected: number }>();
  /** Σ of squared exposures of each store group, per metric (for the colleagues' weight). */
  const cellSq = new Map<string, number>();
  for (const m of METRICS) {
    if (isMean(m) || !s.weights[m]) continue;
    const [xc, nc] = RATE[m](chain);
    if (!nc) continue;
    const pc = xc / nc;
    const k = Math.max(rateBase(m), 1 / Math.min(Math.max(pc, 1e-4), 0.9999));
    for (const [g, sums] of groupSums) {
      const [x, n] = RATE[m](sums);
      groupRate.set(`${m}\t${g}`, (x + k * pc) / (n + k));
    }
    for (const r of rows) {
      const [x, n] = RATE[m](r);
      const g = ctxOf(r).group;
      const t = storeEvents.get(`${r.storeId}\t${m}`) ?? { x: 0, expected: 0 };
      t.x += x;
      t.expected += n * groupRate.get(`${m}\t${g}`)!;
      storeEvents.set(`${r.storeId}\t${m}`, t);
      const ck = `${r.storeId}\t${g}\t${m}`;
      cellSq.set(ck, (cellSq.get(ck) ?? 0) + n * n);
    }
  }
  /** Leave-one-out store effect, shrunk toward 1 with the prior worth of a store (STORE_PRIOR events, or more for frequent events). */
  const storeEffect = (c: CashierCounts, g: PeerGroup, m: RateMetric, base: number) => {
    const t = storeEvents.get(`${c.storeId}\t${m}`);
    const rate = groupRate.get(`${m}\t${g}`);
    if (!t || rate === undefined) return 1;
    const [x, n] = RATE[m](c);
    const prior = STORE_PRIOR * Math.max(base * rate, 1);
    return (t.x - x + prior) / (t.expected - n * rate + prior);
  };

  // Pass 1: for every cashier and metric, the observation and its leave-one-out peer reference.
  interface Obs {
    m: Metric;
    mean: boolean;
    /** Rate metrics: events and exposure. Mean metrics: the cashier's mean and its weight in transactions. */
    x: number;
    n: number;
    peer: number;
    cv: number;
    value: number;
  }
  const prepare = (spread: Map<string, number> | null) => rows.map((c) => {
    const cx = ctxOf(c);
    const storeAll = storeSums.get(c.storeId)!;
    const sg = storeGroupSums.get(`${c.storeId}\t${cx.group}`)!;
    const cg = groupSums.get(cx.group)!;
    const storeLoo = minus(sg, c);
    const chainLoo = minus(cg, c);
    const ref: Reference = { store: storeLoo.txn > 0 ? storeLoo : null, chainGroup: chainLoo.txn > 0 ? chainLoo : null, chain: minus(chain, c), storeAll };
    const obs: Obs[] = [];
    for (const m of METRICS) {
      if (!s.weights[m]) continue;
      const value = metricValue(m, c);
      if (isMean(m)) {
        const me = MEAN[m](c);
        if (!me.weight || !me.units) continue;
        const base = s.priorTransactions * (MEAN[m](chain).weight / txnPerChain);
        const peer = referenceMean(m, ref, base);
        if (!(peer > 0)) continue;
        obs.push({ m, mean: true, x: me.sum / me.units, n: me.weight, peer, cv: me.cv, value });
      } else {
        const [x, n] = RATE[m](c);
        const [, nChain] = RATE[m](chain);
        if (!nChain || !n) continue;
        const base = rateBase(m);
        const colleagues = spread ? { tau: spreadOf(spread, m, cx.group, false), sumSq: (cellSq.get(`${c.storeId}\t${cx.group}\t${m}`) ?? 0) - n * n } : null;
        let peer = referenceRate(m, ref, base, storeEffect(c, cx.group, m, base), colleagues);
        if (m === 'manual_card_rate' && cx.expectedKeyed !== null && c.cards > 0) peer = Math.max(peer, cx.expectedKeyed / c.cards);
        obs.push({ m, mean: false, x, n, peer: Math.min(Math.max(peer, RATE_FLOOR), 0.9999), cv: 0, value });
      }
    }
    return { c, cx, storeAll, obs };
  });

  // Pass 2: the honest spread between people of each metric (and peer group), estimated from the data;
  // it sets how much the colleagues of a store group count, so the references are made again with it
  // and the spread estimated once more around them.
  const weightSum = METRICS.reduce((a, m) => a + (s.weights[m] ?? 0), 0) || 1;
  // The share of people a metric's dishonest few make up: the prior share, spread over the metrics as the weights spread the evidence.
  const contamination = (m: Metric) => (PRIOR_SHARE * (s.weights[m] ?? 0)) / weightSum;
  const first = estimateSpread(prepare(null).map((p) => ({ group: p.cx.group, obs: p.obs })), contamination);
  const prepared = prepare(first);
  const spread = estimateSpread(prepared.map((p) => ({ group: p.cx.group, obs: p.obs })), contamination);

  // Pass 3: a likelihood ratio per metric, combined as a mixture (a dishonest cashier shows in some metric).
  const out: ScoredCashier[] = [];
  for (const { c, cx, storeAll, obs } of prepared) {
    const explanation: Explanation[] = [];
    let mixture = 0;
    for (const o of obs) {
      const w = s.weights[o.m];
      const tau = spreadOf(spread, o.m, cx.group, o.mean);
      let lr: number;
      let z: number;
      if (o.mean) {
        const sd = o.peer * Math.sqrt((o.cv * o.cv) / o.n + tau * tau);
        z = (o.peer - o.x) / sd;
        lr = meanLikelihoodRatio(o.x, o.peer, sd);
      } else {
        const mu = o.n * o.peer;
        z = (o.x - mu) / Math.sqrt(mu + (tau * mu) ** 2);
        lr = rateLikelihoodRatio(o.x, mu, tau);
      }
      mixture += w * lr;
      if (lr < EXPLAIN_LR || z <= 0) continue;
      const peer = o.peer;
      const value = o.value;
      const m = o.m;
      const label = METRIC_LABELS[m];
      const peerLabel = `${PEER_GROUP_LABELS[cx.group]} peers`;
      let text: string;
      const top = groupTop.get(`${c.storeId}\t${cx.group}`);
      if (m === 'refund_card_repeat' && cx.topRefundCard) {
        const peers = top && top.n > 1 ? (top.refund - cx.topRefundCard.count) / (top.n - 1) : 0;
        text = `${cx.topRefundCard.count} refunds to card …${cx.topRefundCard.token.slice(-4)} in ${weeksOf(days)}; peers: ${peers.toFixed(1)}`;
      } else if (m === 'discount_card_repeat' && cx.topDiscountCard) {
        const peers = top && top.n > 1 ? (top.discount - cx.topDiscountCard.count) / (top.n - 1) : 0;
        text = `${cx.topDiscountCard.count} discounts to card …${cx.topDiscountCard.token.slice(-4)} in ${weeksOf(days)}; peers: ${peers.toFixed(1)}`;
      } else if (m === 'manual_card_rate' && cx.expectedKeyed !== null) {
        text = `${label} ${pct(value)} vs ${pct(peer)} expected on the registers used (${z.toFixed(1)}σ)`;
      } else if (o.mean) {
        const fmt = m === 'low_items_per_minute' ? (v: number) => v.toFixed(1) : dollars;
        text = `${label} ${fmt(value)} vs ${peerLabel} ${fmt(peer)} (${z.toFixed(1)}σ below)`;
      } else {
        text = `${label} ${pct(value)} (${o.x} in ${weeksOf(days)}) vs ${peerLabel} ${pct(peer)} (${z.toFixed(1)}σ)`;
      }
      const bits = Math.log10(lr);
      explanation.push({ metric: m, value, storeValue: metricValue(m, storeAll), chainValue: metricValue(m, chain), peerValue: peer, z: Math.round(z * 10) / 10, points: Math.round(bits * 10) / 10, text });
    }
    explanation.sort((a, b) => b.points - a.points);
    // The Bayes factor "dishonest in some metric" vs "honest", and the posterior at the prior share.
    const bayes = mixture / weightSum;
    const odds = (PRIOR_SHARE / (1 - PRIOR_SHARE)) * bayes;
    const score = Math.round((100 * odds) / (1 + odds));
    const points = Math.log10(Math.max(bayes, 1e-12));
    out.push({ storeId: c.storeId, cashierCode: c.cashierCode, periodStart: c.periodStart, score, band: bandOf(score, s), txn: c.txn, group: cx.group, points, explanation });
  }
  return out;
}

/** Floor of a peer rate (a rate never seen among the peers still gets a small chance). */
const RATE_FLOOR = 2e-4;
/** A metric is named in the explanation when it is at least this many times likelier for a dishonest cashier. */
const EXPLAIN_LR = 3;
/** Share of cashiers behind the posterior score (prior odds of "dishonest over the range"). */
export const PRIOR_SHARE = 0.05;
/** Alternatives: how many times the honest rate a dishonest cashier has (equally likely, 1.5× to 4×). */
const RATE_FACTORS = [1.5, 2, 3, 4];
/** Alternatives for the "low" means: the share by which a dishonest cashier's mean is lower. */
const MEAN_DROPS = [0.1, 0.2, 0.3, 0.4];


/**
 * Negative binomial (gamma–Poisson) likelihood ratio of x events at mean μ·F against mean μ,
 * shape 1/τ² (the honest spread between people), averaged over the factors F.
 */
export function rateLikelihoodRatio(x: number, mu: number, tau: number): number {
  const a = 1 / (tau * tau);
  let sum = 0;
  for (const f of RATE_FACTORS) {
    const mu1 = mu * f;
    sum += Math.exp(a * Math.log((a + mu) / (a + mu1)) + x * Math.log((mu1 * (a + mu)) / (mu * (a + mu1))));
  }
  return sum / RATE_FACTORS.length;
}

/** Normal likelihood ratio of a mean lower by one of MEAN_DROPS against the peers' mean. */
export function meanLikelihoodRatio(x: number, peer: number, sd: number): number {
  let sum = 0;
  const d0 = (x - peer) / sd;
  for (const drop of MEAN_DROPS) {
    const d1 = (x - peer * (1 - drop)) / sd;
    sum += Math.exp(Math.min(50, (d0 * d0 - d1 * d1) / 2));
  }
  return sum / MEAN_DROPS.length;
}

/** The honest spread of a metric for a peer group: the group's own when it has enough people, else the chain's. */
function spreadOf(spread: Map<string, number>, m: Metric, group: PeerGroup, mean: boolean): number {
  return spread.get(`${m}\t${group}`) ?? spread.get(m) ?? (mean ? TAU_AVG : TAU);
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, 15 digits). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const y = x - 1;
  let a = c[0];
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** How far above (or, for means, below) the reference the dishonest few may be when the spread is estimated: wider than the scored alternatives, so that gross outliers do not widen it. */
const OUTLIER_FACTORS = [1.5, 2, 3, 5, 10, 30, 100];
const OUTLIER_DROPS = [0.1, 0.2, 0.3, 0.45, 0.6, 0.8];
const LOG_FACTORS = [0, ...OUTLIER_FACTORS.map(Math.log)];
/** Candidate spreads (log-spaced): rates 0.03–1.5, means 0.01–0.6; the best is refined by a parabola. */
const spreadGrid = (lo: number, hi: number, steps: number) => Array.from({ length: steps + 1 }, (_, i) => lo * (hi / lo) ** (i / steps));
const RATE_GRID = spreadGrid(0.03, 1.5, 24);
const MEAN_GRID = spreadGrid(0.01, 0.6, 24);

/**
 * The honest spread τ of each metric between people (relative standard deviation of their true
 * rates around the peer reference), by maximum likelihood under the model the scores use: most
 * people honest (negative binomial around their reference with spread τ; for means, normal with
 * variance (cv²/n + τ²)·p²), a small share ε — the metric's part of the prior share of dishonest
 * cashiers — anywhere from 1.5× to 100× (or 10–80% lower). The dishonest few are absorbed by that
 * share instead of widening the spread, and the honest tail stays honest (trimming the most extreme
 * tenth, as before, cut the honest tail too and left less than the Poisson noise for rare events,
 * so most spreads sat at their floor). Per metric and peer group when the group has 12 or more
 * cashiers with data (counts: an expected count of 0.5 or more), else across the chain. Clamped to
 * [0.1, 1] (means [0.03, 0.5]).
 */
function estimateSpread(people: Array<{ group: PeerGroup; obs: Array<{ m: Metric; mean: boolean; x: number; n: number; peer: number; cv: number }> }>, contamination: (m: Metric) => number): Map<string, number> {
  // Log-likelihood of every candidate spread, summed per cell (metric, and metric × group).
  const cells = new Map<string, { ll: Float64Array; count: number; mean: boolean }>();
  const terms = new Float64Array(Math.max(OUTLIER_FACTORS.length, OUTLIER_DROPS.length) + 1);
  for (const p of people) {
    for (const o of p.obs) {
      if (!o.mean && o.n * o.peer < 0.5) continue;
      const grid = o.mean ? MEAN_GRID : RATE_GRID;
      const logMu = o.mean ? 0 : Math.log(o.n * o.peer);
      const eps = Math.min(Math.max(contamination(o.m), 1e-4), 0.5);
      const keys = [o.m, `${o.m}\t${p.group}`];
      const lists = keys.map((k) => {
        let cell = cells.get(k);
        if (!cell) cells.set(k, (cell = { ll: new Float64Array(grid.length), count: 0, mean: o.mean }));
        cell.count++;
        return cell.ll;
      });
      for (let i = 0; i < grid.length; i++) {
        const tau = grid[i];
        // terms[0]: honest; then the outliers. Log-likelihoods up to a constant common to every hypothesis.
        let alts: number;
        let common: number;
        if (o.mean) {
          const sd = o.peer * Math.sqrt((o.cv * o.cv) / o.n + tau * tau);
          terms[0] = -(((o.x - o.peer) / sd) ** 2) / 2;
          OUTLIER_DROPS.forEach((d, j) => (terms[j + 1] = -(((o.x - o.peer * (1 - d)) / sd) ** 2) / 2));
          alts = OUTLIER_DROPS.length;
          common = -Math.log(sd);
        } else {
          // Negative binomial with mean μ·F and shape a = 1/τ², without the −log x! term:
          // a·log(a/(a+μF)) + x·log(μF/(a+μF)).
          const a = 1 / (tau * tau);
          const logA = -2 * Math.log(tau);
          const mu = o.n * o.peer;
          for (let j = 0; j <= OUTLIER_FACTORS.length; j++) {
            const f = j === 0 ? 1 : OUTLIER_FACTORS[j - 1];
            const l = Math.log(a + mu * f);
            terms[j] = a * (logA - l) + (o.x > 0 ? o.x * (logMu + LOG_FACTORS[j] - l) : 0);
          }
          alts = OUTLIER_FACTORS.length;
          common = o.x > 0 ? logGamma(o.x + a) - logGamma(a) : 0;
        }
        let top = terms[0];
        for (let j = 1; j <= alts; j++) top = Math.max(top, terms[j]);
        let alt = 0;
        for (let j = 1; j <= alts; j++) alt += Math.exp(terms[j] - top);
        const ll = common + top + Math.log((1 - eps) * Math.exp(terms[0] - top) + (eps * alt) / alts);
        for (const list of lists) list[i] += ll;
      }
    }
  }
  const out = new Map<string, number>();
  for (const [k, cell] of cells) {
    if (cell.count < 12) continue;
    const grid = cell.mean ? MEAN_GRID : RATE_GRID;
    let best = 0;
    for (let i = 1; i < grid.length; i++) if (cell.ll[i] > cell.ll[best]) best = i;
    // Refine on log τ with the parabola through the best point and its neighbours.
    let logTau = Math.log(grid[best]);
    if (best > 0 && best < grid.length - 1) {
      const [l, c, r] = [cell.ll[best - 1], cell.ll[best], cell.ll[best + 1]];
      const curvature = l - 2 * c + r;
      if (curvature < 0) logTau += ((l - r) / (2 * curvature)) * (Math.log(grid[best + 1]) - logTau);
    }
    const t = Math.exp(logTau);
    out.set(k, cell.mean ? Math.min(Math.max(t, 0.03), 0.5) : Math.min(Math.max(t, 0.1), 1));
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

const SIGNAL_SUMS = `sum(refund_card_count)::int as "refundCard", sum(refund_other_card_count)::int as "refundOtherCard",
  sum(refund_cash_sale_to_card_count)::int as "refundCashSaleToCard", sum(gift_void_count)::int as "giftVoids", sum(timed_sale_count)::int as "timedSales",
  sum(timed_sale_seconds)::float8 as "timedSeconds", sum(timed_sale_items)::int as "timedItems", sum(timed_sale_cents)::float8 as "timedCents",
  sum(manual_item_count)::int as "manualItems", sum(discount_count)::int as discounts, sum(night_count)::int as night`;

/** A bulk transaction's single connection, or the pool (`pooled`: independent reads may run at once). */
type Query = Pick<BulkConnection, 'query'> & { pooled?: boolean };

/** The SQL start of the period a business day belongs to (weeks start on Monday). */
const periodStartSql = (period: Period) => (period === 'day' ? 'business_day' : `(business_day - ((extract(isodow from business_day)::int + 6) % 7))`);


const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000) + 1;

export interface RegisterAlert {
  storeId: string;
  register: string;
  cashiers: number;
  keyedRate: number;
  storeKeyedRate: number;
  text: string;
}

export interface RangeInput {
  rows: CashierCounts[];
  contexts: Map<string, CashierContext>;
  registerAlerts: RegisterAlert[];
  days: number;
}

/** Reads the sums, peer groups and register expectations of every cashier over [from, to]. */
export async function loadRange(conn: Query, from: string, to: string): Promise<RangeInput> {
  const range = [from, to];
  const [counts, signals, regs, cards, operators, registers] = await runReads(conn.pooled === true, [
    () => conn.query<CashierCounts>(
      `select store_id as "storeId", cashier_code as "cashierCode", $3::text as "periodStart", ${SUMS}
         from pos_cashier_days where business_day between $1 and $2 group by 1, 2`,
      [from, to, from],
    ),
    () => conn.query<CashierCounts>(`select store_id as "storeId", cashier_code as "cashierCode", ${SIGNAL_SUMS} from pos_cashier_day_signals where business_day between $1 and $2 group by 1, 2`, range),
    () => conn.query<{ storeId: string; cashierCode: string; register: string; txn: number; cards: number; keyed: number }>(
      `select store_id as "storeId", cashier_code as "cashierCode", register, sum(txn_count)::int as txn, sum(card_count)::int as cards, sum(keyed_count)::int as keyed
         from pos_cashier_register_days where business_day between $1 and $2 group by 1, 2, 3`,
      range,
    ),
    () => conn.query<{ storeId: string; cashierCode: string; token: string; refunds: number; discounts: number }>(
      `select store_id as "storeId", cashier_code as "cashierCode", card_token as token, sum(refund_count)::int as refunds, sum(discount_count)::int as discounts
         from pos_cashier_card_days where business_day between $1 and $2 group by 1, 2, 3 having sum(refund_count) > 1 or sum(discount_count) > 1`,
      range,
    ),
    () => conn.query<{ storeId: string; code: string; role: string; hireDate: string | null }>(`select store_id as "storeId", code, role, to_char(hire_date, 'YYYY-MM-DD') as "hireDate" from pos_operators`),
    () => conn.query<{ storeId: string; register: string; type: string }>(`select store_id as "storeId", register, type from pos_registers`),
  ]);
  const key = (storeId: string, code: string) => `${storeId}\t${code}`;
  const sig = new Map(signals.rows.map((r) => [key(r.storeId, r.cashierCode), r]));
  const rows = counts.rows.map((r) => {
    const extra = sig.get(key(r.storeId, r.cashierCode));
    const row: CashierCounts = { ...r, ...(extra ?? {}), storeId: r.storeId, cashierCode: r.cashierCode, cardRefundRepeats: 0, discountRepeats: 0 };
    return row;
  });
  const byKey = new Map(rows.map((r) => [key(r.storeId, r.cashierCode), r]));
  const contexts = new Map<string, CashierContext>();
  const ctxOf = (k: string) => {
    let c = contexts.get(k);
    if (!c) contexts.set(k, (c = { group: 'lane', expectedKeyed: null, topRefundCard: null, topDiscountCard: null }));
    return c;
  };
  // Repeated refunds / discounts to one card: everything beyond the first per card.
  for (const t of cards.rows) {
    const k = key(t.storeId, t.cashierCode);
    const row = byKey.get(k);
    if (!row) continue;
    const c = ctxOf(k);
    if (t.refunds > 1) {
      row.cardRefundRepeats = z0(row.cardRefundRepeats) + t.refunds - 1;
      if (!c.topRefundCard || t.refunds > c.topRefundCard.count) c.topRefundCard = { token: t.token, count: t.refunds };
    }
    if (t.discounts > 1) {
      row.discountRepeats = z0(row.discountRepeats) + t.discounts - 1;
      if (!c.topDiscountCard || t.discounts > c.topDiscountCard.count) c.topDiscountCard = { token: t.token, count: t.discounts };
    }
  }
  // Register types and the keyed entries each register gives everyone who uses it.
  const regType = new Map(registers.rows.map((r) => [key(r.storeId, r.register), r.type]));
  const regTotals = new Map<string, { cards: number; keyed: number; cashiers: number }>();
  const storeCards = new Map<string, { cards: number; keyed: number }>();
  const mix = new Map<string, { desk: number; sco: number; regs: typeof regs.rows }>();
  for (const r of regs.rows) {
    const rk = key(r.storeId, r.register);
    const t = regTotals.get(rk) ?? { cards: 0, keyed: 0, cashiers: 0 };
    t.cards += r.cards;
    t.keyed += r.keyed;
    if (r.cards > 0) t.cashiers++;
    regTotals.set(rk, t);
    const sc = storeCards.get(r.storeId) ?? { cards: 0, keyed: 0 };
    sc.cards += r.cards;
    sc.keyed += r.keyed;
    storeCards.set(r.storeId, sc);
    const ck = key(r.storeId, r.cashierCode);
    const m = mix.get(ck) ?? { desk: 0, sco: 0, regs: [] };
    const type = regType.get(rk);
    if (type === 'service_desk') m.desk += r.txn;
    if (type === 'self_checkout') m.sco += r.txn;
    m.regs.push(r);
    mix.set(ck, m);
  }
  const KEYED_PRIOR = 30;
  for (const [ck, m] of mix) {
    const row = byKey.get(ck);
    if (!row) continue;
    const sc = storeCards.get(row.storeId)!;
    const mineCards = m.regs.reduce((n, r) => n + r.cards, 0);
    const mineKeyed = m.regs.reduce((n, r) => n + r.keyed, 0);
    const p0 = sc.cards - mineCards > 0 ? (sc.keyed - mineKeyed) / (sc.cards - mineCards) : 0;
    let expected = 0;
    for (const r of m.regs) {
      const t = regTotals.get(key(r.storeId, r.register))!;
      const q = (t.keyed - r.keyed + KEYED_PRIOR * p0) / (t.cards - r.cards + KEYED_PRIOR);
      expected += r.cards * q;
    }
    ctxOf(ck).expectedKeyed = mineCards > 0 ? expected : null;
  }
  const registerAlerts: RegisterAlert[] = [];
  for (const [rk, t] of regTotals) {
    const [storeId, register] = rk.split('\t');
    const sc = storeCards.get(storeId)!;
    const otherCards = sc.cards - t.cards;
    if (t.cards < 30 || otherCards < 30 || t.cashiers < 2) continue;
    const rate = t.keyed / t.cards;
    const other = (sc.keyed - t.keyed) / otherCards;
    const zr = (rate - other) / Math.sqrt(Math.max(other, 1e-3) * (1 - other) / t.cards);
    if (rate >= 3 * Math.max(other, 0.005) && zr >= 4) {
      registerAlerts.push({
        storeId,
        register,
        cashiers: t.cashiers,
        keyedRate: rate,
        storeKeyedRate: other,
        text: `Register ${register}: ${pct(rate)} of card sales keyed by hand, by ${t.cashiers} cashiers, vs ${pct(other)} on the store's other registers — check the card reader`,
      });
    }
  }
  // Peer groups: register type first, then role and tenure, then the night closing shift.
  const ops = new Map(operators.rows.map((o) => [key(o.storeId, o.code), o]));
  // In their first four weeks during any part of the range.
  const traineeSince = addDays(from, -TRAINEE_DAYS);
  for (const row of rows) {
    const k = key(row.storeId, row.cashierCode);
    const c = ctxOf(k);
    const m = mix.get(k);
    const op = ops.get(k);
    const txn = Math.max(row.txn, 1);
    if (m && m.desk / txn >= GROUP_SHARE) c.group = 'service_desk';
    else if (m && m.sco / txn >= GROUP_SHARE) c.group = 'self_checkout';
    else if (op?.role === 'manager') c.group = 'manager';
    else if (op?.role === 'supervisor') c.group = 'supervisor';
    else if (op?.hireDate && op.hireDate > traineeSince) c.group = 'trainee';
    else if (z0(row.night) / txn >= NIGHT_MIN_SHARE) c.group = 'night';
  }
  return { rows, contexts, registerAlerts, days: daysBetween(from, to) };
}

/** Scores of every cashier over [from, to]: evidence summed over the whole range. */
export async function scoreRange(conn: Query, s: PosSettings, from: string, to: string) {
  const input = await loadRange(conn, from, to);
  return { scored: await scoreOffThread(input.rows, s, input.contexts, input.days), registerAlerts: input.registerAlerts, days: input.days };
}

/**
 * Proposes the service desk of each store from the register mix of the 4 weeks to `to`: the
 * register with the most returns when returns are ≥ 20% of its transactions and ≥ 4× the store's
 * other registers. A lead confirms or corrects it; a register with a row is never proposed again.
 */
export async function proposeRegisters(conn: Query, storeIds: string[], to: string): Promise<number> {
  if (!storeIds.length) return 0;
  const { rows } = await conn.query<{ storeId: string; register: string; txn: number; refunds: number }>(
    `select store_id as "storeId", register, sum(txn_count)::int as txn, sum(refund_count)::int as refunds
       from pos_cashier_register_days where store_id = any($1::uuid[]) and business_day between $2::date - 27 and $2::date group by 1, 2`,
    [storeIds, to],
  );
  const byStore = new Map<string, typeof rows>();
  for (const r of rows) byStore.set(r.storeId, [...(byStore.get(r.storeId) ?? []), r]);
  const proposals: Array<{ storeId: string; register: string; reason: string }> = [];
  for (const [storeId, list] of byStore) {
    const top = [...list].filter((r) => r.txn >= 50).sort((a, b) => b.refunds / b.txn - a.refunds / a.txn)[0];
    if (!top) continue;
    const others = list.filter((r) => r !== top);
    const otherTxn = others.reduce((n, r) => n + r.txn, 0);
    const otherRate = otherTxn ? others.reduce((n, r) => n + r.refunds, 0) / otherTxn : 0;
    const rate = top.refunds / top.txn;
    if (rate >= 0.2 && rate >= 4 * otherRate) {
      proposals.push({ storeId, register: top.register, reason: `${pct(rate)} of its transactions are returns vs ${pct(otherRate)} on the other registers` });
    }
  }
  if (!proposals.length) return 0;
  const r = await conn.query(
    `insert into pos_registers (store_id, register, type, status, reason)
     select u.store_id, u.register, 'service_desk', 'proposed', u.reason from unnest($1::uuid[], $2::text[], $3::text[]) as u(store_id, register, reason)
     on conflict (store_id, register) do nothing`,
    [proposals.map((p) => p.storeId), proposals.map((p) => p.register), proposals.map((p) => p.reason)],
  );
  return r.rowCount;
}

const rulesOf = (r: ScoredCashier, rule: string) => [rule, ...r.explanation.slice(0, 3).map((e) => e.metric)];

/**
 * Recomputes the scores of the given periods (day: the days; week: the Mondays) and upserts an
 * exception for each high-risk cashier-week. Works period by period, yielding between them.
 */
export async function rescore(conn: Query, s: PosSettings, period: Period, starts: string[]): Promise<number> {
  if (!starts.length) return 0;
  const sorted = [...new Set(starts)].sort();
  let written = 0;
  for (const start of sorted) {
    const end = period === 'day' ? start : addDays(start, 6);
    const { scored } = await scoreRange(conn, s, start, end);
    await conn.query(`delete from pos_scores where period = $1 and period_start = $2`, [period, start]);
    if (scored.length) {
      await conn.query(
        `insert into pos_scores (store_id, cashier_code, period, period_start, score, band, txn_count, explanation)
         select u.store_id, u.cashier_code, $1, $2, u.score, u.band, u.txn, u.explanation
           from unnest($3::uuid[], $4::text[], $5::real[], $6::text[], $7::int[], $8::jsonb[])
             as u(store_id, cashier_code, score, band, txn, explanation)`,
        [
          period,
          start,
          scored.map((r) => r.storeId),
          scored.map((r) => r.cashierCode),
          scored.map((r) => r.score),
          scored.map((r) => r.band),
          scored.map((r) => r.txn),
          scored.map((r) => JSON.stringify(r.explanation)),
        ],
      );
    }
    if (period === 'week') {
      const high = scored.filter((r) => r.band === 'high');
      await upsertScoreExceptions(conn, high, 'high_risk_score', start, (r) => `Risk score ${r.score} for the week of ${start}: ${r.explanation.slice(0, 3).map((e) => e.text).join('; ')}`);
    }
    written += scored.length;
    await yieldNow();
  }
  return written;
}

async function upsertScoreExceptions(conn: Query, high: ScoredCashier[], rule: string, periodStart: string, summary: (r: ScoredCashier) => string) {
  if (!high.length) return 0;
  const r = await conn.query(
    `insert into pos_exceptions (kind, rule, rules, store_id, cashier_code, period, period_start, score, summary, occurred_at)
     select 'cashier_period', $1, string_to_array(u.rules, ','), u.store_id, u.cashier_code, 'week', $2, u.score, u.summary, $2::date::timestamptz
       from unnest($3::uuid[], $4::text[], $5::real[], $6::text[], $7::text[]) as u(store_id, cashier_code, score, summary, rules)
     on conflict (store_id, cashier_code, period, period_start, rule)
     do update set score = excluded.score, summary = excluded.summary, rules = excluded.rules, updated_at = now()
      where pos_exceptions.score is distinct from excluded.score`,
    [rule, periodStart, high.map((h) => h.storeId), high.map((h) => h.cashierCode), high.map((h) => h.score), high.map(summary), high.map((h) => rulesOf(h, rule).join(','))],
  );
  return r.rowCount;
}

/** The rolling window over which evidence accumulates for the queue. */
export const ACCUMULATION_DAYS = 28;

/**
 * Evidence accumulated over the 4 weeks to `to`: one exception per cashier whose score over the
 * window is high (filed under the week `to` falls in), so a pattern no single week shows is queued.
 */
export async function raiseAccumulated(conn: Query, s: PosSettings, to: string): Promise<number> {
  const from = addDays(to, -(ACCUMULATION_DAYS - 1));
  const { scored } = await scoreRange(conn, s, from, to);
  const high = scored.filter((r) => r.band === 'high');
  return upsertScoreExceptions(conn, high, 'accumulated_risk', weekStartOf(to), (r) => `Risk score ${r.score} over ${from} – ${to}: ${r.explanation.slice(0, 3).map((e) => e.text).join('; ')}`);
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
