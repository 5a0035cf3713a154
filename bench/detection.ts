// `npm run bench -- detection`: how well cashier monitoring finds dishonest cashiers, on several
// independent seeds of a realistic scenario (src/server/modules/pos/scenario.ts: service desks,
// managers, supervisors, trainees, part-timers, night closers, store differences, a broken card
// reader, a holiday; 16 planted dishonest patterns, most at 1.5–3×; the truth kept apart).
// Each seed is imported through the real pipeline (operator list, then the transactions) into an
// embedded database, then every cashier is ranked over the whole range by:
//  - Tandem: peer groups, leave-one-out references, evidence summed over the range, all signals;
//  - the naive baseline: for each metric, the cashier's raw rate as a z-score against the store's
//    cashiers; a cashier's score is the largest.
// Printed per seed and averaged: precision@10, average precision, ROC AUC, and how many honest but
// unusual people (service desk, managers, supervisors, trainees, night closers, the broken reader's
// cashiers) reach the top 10. BENCH_DETECTION_SEEDS=1,2,3 picks the seeds.
import { pino } from 'pino';
import { loadConfig } from '../src/server/config.js';
import { seedDemo } from '../src/server/demo/index.js';
import { DEMO_STORES } from '../src/server/demo/workspace.js';
import { METRICS } from '../src/contracts/pos.js';
import { importOperators } from '../src/server/modules/pos/detection.js';
import { importStream } from '../src/server/modules/pos/importer.js';
import { generateScenario, type ScenarioTruth } from '../src/server/modules/pos/scenario.js';
import { loadRange, metricValue, scoreCashiers, type CashierCounts } from '../src/server/modules/pos/scoring.js';
import { loadSettings } from '../src/server/modules/pos/settings.js';
import { closeContext, createContext } from '../src/server/platform/bootstrap.js';
import { SYSTEM_ACTOR } from '../src/server/platform/policy.js';

/**
 * Seeds the method was developed on (101–110 too, outside the default list); every other seed is held
 * out (marked * in the table). 211, 313 and 419 were first run with the method as it stands.
 */
const DEVELOPMENT_SEEDS = [11, 23, 37, 41, 59, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110];
const SEEDS = (process.env.BENCH_DETECTION_SEEDS ?? '11,23,37,41,59,211,313,419').split(',').map(Number);
const START = '2026-03-02';
/** Lane cashiers per store as a share of 12 (BENCH_DETECTION_SCALE), for a quicker run on a busy machine. */
const SCALE = Number(process.env.BENCH_DETECTION_SCALE) || 1;

interface Figures {
  p10: number;
  ap: number;
  auc: number;
  unusualTop10: number;
  protectedTop10: number;
  /** The best-ranked honest service-desk cashier, manager or trainee: rank (1-based). */
  protectedFirst: number;
  /** Calibration: people in the high / watch bands, and how many of them are dishonest. */
  high: number;
  highDishonest: number;
  watch: number;
  watchDishonest: number;
}

function evaluate(ranked: string[], positives: Set<string>, unusual: Map<string, string>, bands: Map<string, string> = new Map()): Figures {
  let hits = 0;
  let apSum = 0;
  ranked.forEach((k, i) => {
    if (positives.has(k)) {
      hits++;
      apSum += hits / (i + 1);
    }
  });
  const top10 = ranked.slice(0, 10);
  // ROC AUC: the chance that a random dishonest cashier ranks above a random honest one.
  const negativesSeen = ranked.filter((k) => !positives.has(k)).length;
  let pairs = 0;
  let negBelow = negativesSeen;
  for (const k of ranked) {
    if (positives.has(k)) pairs += negBelow;
    else negBelow--;
  }
  const auc = positives.size && negativesSeen ? pairs / (positives.size * negativesSeen) : 0;
  return {
    p10: top10.filter((k) => positives.has(k)).length / 10,
    ap: positives.size ? apSum / positives.size : 0,
    auc,
    unusualTop10: top10.filter((k) => unusual.has(k)).length,
    protectedTop10: top10.filter((k) => ['desk', 'manager', 'trainee'].includes(unusual.get(k) ?? '')).length,
    protectedFirst: ranked.findIndex((k) => ['desk', 'manager', 'trainee'].includes(unusual.get(k) ?? '')) + 1,
    high: ranked.filter((k) => bands.get(k) === 'high').length,
    highDishonest: ranked.filter((k) => bands.get(k) === 'high' && positives.has(k)).length,
    watch: ranked.filter((k) => bands.get(k) === 'watch').length,
    watchDishonest: ranked.filter((k) => bands.get(k) === 'watch' && positives.has(k)).length,
  };
}

/** The naive baseline: largest raw z-score of any metric against the store's cashiers. */
function naiveRanking(rows: CashierCounts[]): string[] {
  const byStore = new Map<string, CashierCounts[]>();
  for (const r of rows) byStore.set(r.storeId, [...(byStore.get(r.storeId) ?? []), r]);
  const scored: Array<{ k: string; s: number }> = [];
  for (const list of byStore.values()) {
    const stats = METRICS.map((m) => {
      const values = list.map((c) => metricValue(m, c));
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(values.length - 1, 1)) || 1e-9;
      return { m, mean, sd, low: m.startsWith('low_') };
    });
    for (const c of list) {
      let best = 0;
      for (const st of stats) {
        const z = (metricValue(st.m, c) - st.mean) / st.sd;
        best = Math.max(best, st.low ? -z : z);
      }
      scored.push({ k: `${c.storeId}\t${c.cashierCode}`, s: best });
    }
  }
  return scored.sort((a, b) => b.s - a.s).map((x) => x.k);
}

export async function runDetectionBench(): Promise<number> {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', JOBS: 'off', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' }, { dataDir: 'memory://' });
  const ctx = await createContext(config, pino({ level: 'silent' }));
  const results: Array<{ seed: number; tandem: Figures; naive: Figures; rows: number; cashiers: number; top: string[]; protectedScore: number }> = [];
  try {
    await seedDemo(ctx, { pos: false });
    const storeIds = new Map((await ctx.database.query<{ id: string; code: string }>('select id, code from stores')).rows.map((r) => [r.code, r.id]));
    for (const seed of SEEDS) {
      // The previous seed's POS data goes; cases may reference exceptions (case_pos_links, emptied with
      // them) and cashiers (cases.subject_cashier_id: the cashiers are deleted, not truncated).
      await ctx.database.query(
        `truncate pos_transactions, pos_cashier_days, pos_cashier_day_signals, pos_cashier_register_days, pos_cashier_card_days, pos_scores, pos_exception_notes, pos_exceptions, case_pos_links, pos_operators, pos_registers, pos_imports`,
      );
      await ctx.database.query(`update cases set subject_cashier_id = null where subject_cashier_id is not null`);
      await ctx.database.query(`delete from pos_cashiers`);
      const scenario = generateScenario({ stores: DEMO_STORES, startDay: START, seed, scale: SCALE });
      const t: ScenarioTruth = scenario.truth;
      await importOperators(ctx, SYSTEM_ACTOR, scenario.operators);
      const started = Date.now();
      const job = await importStream(ctx, SYSTEM_ACTOR, (async function* () {
        for (const chunk of scenario.transactions()) yield Buffer.from(chunk);
      })(), { source: 'cli', format: 'csv', filename: `scenario-${seed}.csv`, skipInvalid: false, bytesTotal: null });
      const importSeconds = (Date.now() - started) / 1000;
      const { settings } = await loadSettings(ctx.db);
      const end = new Date(Date.parse(`${START}T00:00:00Z`) + (t.days - 1) * 86400000).toISOString().slice(0, 10);
      const conn = { query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await ctx.database.query<T>(text, params)).rows, rowCount: 0 }) };
      const input = await loadRange(conn, START, end);
      const scored = scoreCashiers(input.rows, settings, input.contexts, input.days).sort((a, b) => b.points - a.points);
      const key = (store: string, code: string) => `${storeIds.get(store)}\t${code}`;
      const positives = new Set(t.dishonest.map((d) => key(d.store, d.code)));
      const unusual = new Map(t.unusual.map((u) => [key(u.store, u.code), u.kind]));
      const tandemRank = scored.map((s) => `${s.storeId}\t${s.cashierCode}`);
      const tandem = evaluate(tandemRank, positives, unusual, new Map(scored.map((x) => [`${x.storeId}\t${x.cashierCode}`, x.band])));
      const naive = evaluate(naiveRanking(input.rows), positives, unusual);
      const codeOf = (k: string) => {
        const [sid, code] = k.split('\t');
        const store = [...storeIds].find(([, id]) => id === sid)?.[0];
        const d = t.dishonest.find((x) => x.store === store && x.code === code);
        return d ? `${code}:${d.pattern}(${d.factor}×)` : `${code}:${unusual.get(k) ?? 'honest'}`;
      };
      const protectedScore = tandem.protectedFirst ? scored[tandem.protectedFirst - 1].score : 0;
      results.push({ seed, tandem, naive, rows: job.rowsInserted, cashiers: input.rows.length, top: tandemRank.slice(0, 10).map(codeOf), protectedScore });
      const missed = t.dishonest.filter((d) => tandemRank.indexOf(key(d.store, d.code)) >= 15).map((d) => `${d.pattern}(${d.factor}×)@${tandemRank.indexOf(key(d.store, d.code)) + 1}`);
      console.log(`seed ${seed}: ${job.rowsInserted} transactions, ${input.rows.length} cashiers, ${t.dishonest.length} dishonest, ${t.unusual.length} honest-but-unusual; import ${importSeconds.toFixed(1)} s`);
      console.log(`  Tandem top 10: ${results.at(-1)!.top.join(', ')}`);
      if (missed.length) console.log(`  below rank 15: ${missed.join(', ')}`);
    }
  } finally {
    await closeContext(ctx);
  }
  const f = (v: number) => v.toFixed(2).padStart(6);
  console.log('');
  // "first desk/mgr/trainee": the rank of the best-ranked honest service-desk cashier, manager or trainee (Tandem: with their score).
  console.log('seed   | Tandem p@10    AP   AUC unusual@10 first desk/mgr/trainee | naive p@10    AP   AUC unusual@10 first desk/mgr/trainee | high band (dishonest) watch band (dishonest)');
  for (const r of results) {
    const calibration = ` | ${String(r.tandem.high).padStart(9)} (${r.tandem.highDishonest}) ${String(r.tandem.watch).padStart(10)} (${r.tandem.watchDishonest})`;
    const tandemFirst = `${r.tandem.protectedFirst} (${r.protectedScore})`.padStart(22);
    console.log(
      `${String(r.seed).padEnd(5)}${DEVELOPMENT_SEEDS.includes(r.seed) ? ' ' : '*'}| ${f(r.tandem.p10)} ${f(r.tandem.ap)} ${f(r.tandem.auc)} ${String(r.tandem.unusualTop10).padStart(10)} ${tandemFirst} | ${f(r.naive.p10)} ${f(r.naive.ap)} ${f(r.naive.auc)} ${String(r.naive.unusualTop10).padStart(10)} ${String(r.naive.protectedFirst).padStart(22)}${calibration}`,
    );
  }
  const avg = (sel: (r: (typeof results)[number]) => number) => results.reduce((a, r) => a + sel(r), 0) / results.length;
  console.log(
    `mean   | ${f(avg((r) => r.tandem.p10))} ${f(avg((r) => r.tandem.ap))} ${f(avg((r) => r.tandem.auc))} ${avg((r) => r.tandem.unusualTop10).toFixed(1).padStart(10)} | ${f(avg((r) => r.naive.p10))} ${f(avg((r) => r.naive.ap))} ${f(avg((r) => r.naive.auc))} ${avg((r) => r.naive.unusualTop10).toFixed(1).padStart(10)}`,
  );
  const heldOut = results.filter((r) => !DEVELOPMENT_SEEDS.includes(r.seed));
  if (heldOut.length && heldOut.length < results.length) {
    const h = (sel: (r: (typeof results)[number]) => number) => heldOut.reduce((a, r) => a + sel(r), 0) / heldOut.length;
    console.log(`held-out seeds (*), mean: Tandem p@10 ${h((r) => r.tandem.p10).toFixed(2)}, AP ${h((r) => r.tandem.ap).toFixed(2)}, AUC ${h((r) => r.tandem.auc).toFixed(2)}; naive p@10 ${h((r) => r.naive.p10).toFixed(2)}, AP ${h((r) => r.naive.ap).toFixed(2)}`);
  }
  const protectedInTop = results.reduce((n, r) => n + r.top.filter((x) => /:(desk|manager|trainee)$/.test(x)).length, 0);
  console.log(`service desk, manager or trainee (honest) in Tandem's top 10, all seeds: ${protectedInTop}`);
  const ok = avg((r) => r.tandem.p10) >= 0.8 && avg((r) => r.tandem.ap) >= 0.7 && protectedInTop === 0;
  console.log(`goal (p@10 ≥ 0.8, AP ≥ 0.7, no desk/manager/trainee in the top 10): ${ok ? 'met' : 'not met'}`);
  return 0;
}
