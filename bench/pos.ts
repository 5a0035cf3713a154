// `npm run bench -- pos`: generates 1,000,000 POS transactions (Tandem CSV) and measures, in one run:
//  - import rows/s through the server (HTTP upload, the real pipeline: scan → COPY → merge →
//    aggregates → scores) into PGlite and into PostgreSQL, each as a ratio to a raw COPY of the
//    same file into a bare table (no indexes) on the same engine (goal ≥ 0.7);
//  - the event loop's longest stall in the server during each import (goal < 100 ms);
//  - scoring time for the whole month (all days and weeks, from the aggregates);
//  - peak memory (process RSS);
//  - DuckDB's own CSV load of the same file as the reference limit.
//  - the chain, store and cashier dashboards right after the import (median of sequential requests,
//    as a ratio to a bare Fastify route measured the same way; goal < 50 ms on PGlite at 2M rows).
// BENCH_POS_OVERLAP=<n> first imports n rows spread over every store-day of the file (untimed), so
// the timed import takes the overlapping path (staging + ON CONFLICT merge) for all its rows.
// BENCH_POS_ROWS overrides the row count; BENCH_POS_ENGINES=pglite or postgres runs one engine.
// PGlite runs on a data directory on disk, as deployed (DATA_DIR); BENCH_POS_PGLITE=memory runs it
// in memory instead, as the tests do (its in-memory file system makes many COPYs into a growing
// table slower and slower: not the deployed case).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { pino } from 'pino';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { seedDemo } from '../src/server/demo/index.js';
import { DEMO_STORES } from '../src/server/demo/workspace.js';
import { generatePosCsv } from '../src/server/modules/pos/generator.js';
import { allPeriods, rescore } from '../src/server/modules/pos/scoring.js';
import { loadSettings } from '../src/server/modules/pos/settings.js';
import { closeContext, createContext } from '../src/server/platform/bootstrap.js';
import { ROLE_EMAILS, signIn } from '../test/context.js';
import { machine } from './lib/format.js';
import { startReferenceServer } from './lib/reference.js';

const ROWS = Number(process.env.BENCH_POS_ROWS) || 1_000_000;
const OVERLAP = Number(process.env.BENCH_POS_OVERLAP) || 0;
const ENGINES = (process.env.BENCH_POS_ENGINES ?? 'pglite,postgres').split(',');
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const BARE = `create table pos_bare (store text, register text, cashier_id text, cashier_name text, transaction text, business_day date,
  start timestamp, "end" timestamp, type text, total numeric(12,2), items int, line_voids int, line_void_amount numeric(12,2),
  price_overrides int, price_override_amount numeric(12,2), discount_amount numeric(12,2), employee_discount boolean, manual_entries int,
  tender text, card_entry text, card_token text, original_transaction text, manager_override text, voided_after_total boolean,
  gift_card_issued numeric(12,2))`;

const BARE_COLUMNS = ['store', 'register', 'cashier_id', 'cashier_name', 'transaction', 'business_day', 'start', '"end"', 'type', 'total', 'items', 'line_voids',
  'line_void_amount', 'price_overrides', 'price_override_amount', 'discount_amount', 'employee_discount', 'manual_entries', 'tender', 'card_entry',
  'card_token', 'original_transaction', 'manager_override', 'voided_after_total', 'gift_card_issued'];

let peakRss = 0;
/** Peak RSS while the import runs (the probe samples it every 5 ms). */
let importPeakRss = 0;
const sampleRss = () => {
  const rss = process.memoryUsage().rss;
  if (rss > peakRss) peakRss = rss;
  if (rss > importPeakRss) importPeakRss = rss;
};

interface EngineResult {
  engine: string;
  rawSeconds: number;
  importSeconds: number;
  inserted: number;
  maxStallMs: number;
  p99StallMs: number;
  scoringSeconds: number;
  scored: number;
  dashboards: Array<{ name: string; ms: number }>;
  importRss: { before: number; peak: number };
}

/** Median milliseconds of sequential GETs (after a warm-up). */
async function medianGet(url: string, cookie?: string, n = 15): Promise<number> {
  const once = async () => {
    const t0 = performance.now();
    const res = await fetch(url, { headers: cookie ? { cookie } : {} });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}

/** A file of every k-th row of `file` (with its header): about `n` rows touching every store-day. */
function overlapFile(file: string, n: number, rows: number): { path: string; rows: number } {
  const k = Math.max(1, Math.floor(rows / n));
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out = [lines[0]];
  for (let i = 1; i < lines.length; i += k) if (lines[i]) out.push(lines[i]);
  const target = `${file}.overlap.csv`;
  fs.writeFileSync(target, out.join('\n') + '\n');
  return { path: target, rows: out.length - 1 };
}

/** POSTs the file to the running server and resolves with the import record. */
function upload(port: number, cookie: string, file: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/pos/imports?wait=true&filename=bench.csv', headers: { cookie, 'content-type': 'text/csv', 'content-length': fs.statSync(file).size } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(req);
  });
}

async function runEngine(engine: 'pglite' | 'postgres', file: string, rows: number): Promise<EngineResult> {
  let url: string | undefined;
  const dataDir = process.env.BENCH_POS_PGLITE === 'memory' ? 'memory://' : path.join(path.dirname(file), 'data');
  let dbName = '';
  if (engine === 'postgres') {
    dbName = `tandem_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(ADMIN_URL);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: dataDir, JOBS: 'off', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000', LOGIN_RATE_LIMIT: '1000', DATABASE_URL: url ?? '' },
    { databaseUrl: url, dataDir, authSecret: randomBytes(32).toString('hex') },
  );
  const ctx = await createContext(config, pino({ level: 'silent' }));
  const app = await buildApp(ctx, { logger: false, serveWeb: false });
  try {
    await seedDemo(ctx, { pos: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const cookie = await signIn(app, ROLE_EMAILS.admin);

    let overlapped = 0;
    if (OVERLAP > 0) {
      const part = overlapFile(file, OVERLAP, rows);
      const pre = await upload(port, cookie, part.path);
      if (pre.status !== 200) throw new Error(`overlap import answered ${pre.status}`);
      overlapped = part.rows;
      fs.rmSync(part.path);
    }

    // Target: the real pipeline through HTTP, with the event loop watched.
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let last = performance.now();
    let maxGap = 0;
    const probe = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last - 5);
      last = now;
      sampleRss();
    }, 5);
    histogram.enable();
    let t0 = performance.now();
    const rssBefore = process.memoryUsage().rss;
    importPeakRss = rssBefore;
    const res = await upload(port, cookie, file);
    const importSeconds = (performance.now() - t0) / 1000;
    clearInterval(probe);
    const importRss = { before: rssBefore, peak: importPeakRss };
    histogram.disable();
    if (res.status !== 200) throw new Error(`import answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    const inserted = Number(res.body.rowsInserted);
    if (inserted !== rows - overlapped) throw new Error(`import inserted ${inserted} of ${rows - overlapped} rows: ${String(res.body.message)}`);

    // Dashboards on the data just imported, vs a bare Fastify route measured the same way.
    const reference = await startReferenceServer();
    const dashboards: Array<{ name: string; ms: number }> = [];
    try {
      const [{ id: storeId }] = (await ctx.database.query<{ id: string }>(`select id from stores where code = $1`, [DEMO_STORES[0].code])).rows;
      const [{ id: cashierId }] = (await ctx.database.query<{ id: string }>(`select id from pos_cashiers where store_id = $1 order by code limit 1`, [storeId])).rows;
      const base = `http://127.0.0.1:${port}`;
      dashboards.push({ name: 'bare Fastify route', ms: await medianGet(reference.url) });
      dashboards.push({ name: 'chain', ms: await medianGet(`${base}/api/pos/dashboard`, cookie) });
      dashboards.push({ name: 'store', ms: await medianGet(`${base}/api/pos/stores/${storeId}/dashboard`, cookie) });
      dashboards.push({ name: 'cashier', ms: await medianGet(`${base}/api/pos/cashiers/${cashierId}`, cookie) });
    } finally {
      await reference.close();
    }

    // Reference: raw COPY of the same CSV into a bare table, same engine (after the import, so that the
    // import's memory is measured without the whole-file COPY the reference makes).
    await ctx.database.query(BARE);
    const data = fs.readFileSync(file);
    t0 = performance.now();
    // The whole file in one COPY on both engines (what "load this CSV" costs at best).
    await ctx.database.bulkTransaction((conn) => conn.copyFrom('pos_bare', BARE_COLUMNS, data, 'format csv, header true'));
    const rawSeconds = (performance.now() - t0) / 1000;
    sampleRss();
    const [{ n: bareRows }] = (await ctx.database.query<{ n: number }>('select count(*)::int as n from pos_bare')).rows;
    if (Number(bareRows) !== rows) throw new Error(`raw COPY loaded ${bareRows} rows, expected ${rows}`);
    await ctx.database.query('drop table pos_bare');

    // Scoring the month again, from the aggregates.
    const { settings } = await loadSettings(ctx.db);
    t0 = performance.now();
    let scored = 0;
    await ctx.database.bulkTransaction(async (conn) => {
      scored += await rescore(conn, settings, 'day', await allPeriods(conn, 'day'));
      scored += await rescore(conn, settings, 'week', await allPeriods(conn, 'week'));
    });
    const scoringSeconds = (performance.now() - t0) / 1000;
    sampleRss();
    return {
      engine,
      rawSeconds,
      importSeconds,
      inserted,
      maxStallMs: Math.max(histogram.max / 1e6, maxGap),
      p99StallMs: histogram.percentile(99) / 1e6,
      scoringSeconds,
      scored,
      dashboards,
      importRss,
    };
  } finally {
    await Promise.race([app.close().then(() => closeContext(ctx)), new Promise((r) => setTimeout(r, 5000).unref())]);
    if (dbName) {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

async function duckdb(file: string, rows: number): Promise<string> {
  let mod: typeof import('@duckdb/node-api');
  try {
    mod = await import('@duckdb/node-api');
  } catch {
    return 'not installed (npm i -D @duckdb/node-api: its binary ships in the registry package, nothing is downloaded at install)';
  }
  const instance = await mod.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const t0 = performance.now();
  await conn.run(`create table t as select * from read_csv('${file.replace(/'/g, "''")}', header = true)`);
  const seconds = (performance.now() - t0) / 1000;
  const reader = await conn.runAndReadAll('select count(*) from t');
  const n = Number(reader.getRows()[0][0]);
  conn.closeSync();
  if (n !== rows) return `loaded ${n} rows (expected ${rows})`;
  return `${seconds.toFixed(2)} s, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`;
}

export async function runPosBench(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-pos-bench-'));
  const file = path.join(dir, 'pos.csv');
  try {
    const t0 = performance.now();
    const out = fs.createWriteStream(file);
    let lines = -1;
    for (const chunk of generatePosCsv({ stores: DEMO_STORES, rows: ROWS, startDay: '2026-03-02', days: 28, cashiersPerStore: 10 })) {
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    const genSeconds = (performance.now() - t0) / 1000;
    const size = fs.statSync(file).size;
    sampleRss();
    console.log(`Tandem bench — pos (${machine()})`);
    if (OVERLAP) console.log(`overlap    ${OVERLAP.toLocaleString('en-US')} rows of the file (every store-day) imported before the timed import`);
    console.log(`file       ${lines.toLocaleString('en-US')} transactions, ${(size / 1e6).toFixed(0)} MB CSV, 12 stores × 28 days, generated in ${genSeconds.toFixed(1)} s`);

    const duck = await duckdb(file, lines);
    console.log(`duckdb     read_csv of the same file (reference limit): ${duck}`);

    let ok = true;
    for (const engine of ENGINES as Array<'pglite' | 'postgres'>) {
      let r: EngineResult;
      try {
        r = await runEngine(engine, file, lines);
      } catch (err) {
        console.log(`${engine.padEnd(10)} FAILED: ${(err as Error).message}`);
        ok = false;
        continue;
      }
      const rawRate = lines / r.rawSeconds;
      const rate = lines / r.importSeconds;
      const ratio = rate / rawRate;
      console.log(
        `${engine.padEnd(10)} import ${r.importSeconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US')} rows/s; raw COPY into a bare table ${r.rawSeconds.toFixed(2)} s = ${Math.round(rawRate).toLocaleString('en-US')} rows/s; ` +
          `ratio ${ratio.toFixed(2)} (goal ≥ 0.7${ratio >= 0.7 ? ', met' : ', NOT met'})`,
      );
      console.log(
        `${''.padEnd(10)} event loop during the import: longest stall ${r.maxStallMs.toFixed(0)} ms (goal < 100 ms${r.maxStallMs < 100 ? ', met' : ', NOT met'}), p99 ${r.p99StallMs.toFixed(1)} ms; ` +
          `scoring the month (${r.scored} cashier-periods, days and weeks) ${r.scoringSeconds.toFixed(2)} s`,
      );
      console.log(`${''.padEnd(10)} memory during the import: peak RSS ${(r.importRss.peak / 1e6).toFixed(0)} MB (${(r.importRss.before / 1e6).toFixed(0)} MB when it started; goal < 1 GB)`);
      const bare = r.dashboards[0].ms;
      console.log(
        `${''.padEnd(10)} dashboards (median of 15 sequential GETs): ` +
          r.dashboards.map((d, i) => (i === 0 ? `${d.name} ${d.ms.toFixed(1)} ms` : `${d.name} ${d.ms.toFixed(1)} ms (×${(d.ms / bare).toFixed(0)})`)).join(', ') +
          ` (goal < 50 ms${r.dashboards.slice(1).every((d) => d.ms < 50) ? ', met' : ', NOT met'})`,
      );
    }
    console.log(`memory     peak RSS ${(peakRss / 1e6).toFixed(0)} MB (whole process: generator, both engines, the HTTP client)`);
    return ok ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
