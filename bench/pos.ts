// `npm run bench -- pos`: generates 1,000,000 POS transactions (Tandem CSV) and measures, in one run:
//  - import rows/s through the server (HTTP upload, the real pipeline: scan → COPY → merge →
//    aggregates → scores) into PGlite and into PostgreSQL, each as a ratio to a raw COPY of the
//    same file into a bare table (no indexes) on the same engine (goal ≥ 0.7);
//  - the event loop's longest stall in the server during each import (goal < 100 ms);
//  - scoring time for the whole month (all days and weeks, from the aggregates);
//  - memory: the process RSS when the timed import starts and its peak during it (goal < 1 GB on
//    PGlite; the raw-COPY references run after the import, so their 32 MB pieces do not count);
//  - DuckDB's own CSV load of the same file as the reference limit.
// BENCH_POS_ROWS overrides the row count; BENCH_POS_ENGINES=pglite or postgres runs one engine.
// PGlite runs on a data directory on disk, as deployed (DATA_DIR); BENCH_POS_PGLITE=memory runs it
// in memory instead, as the tests do (its in-memory file system makes many COPYs into a growing
// table slower and slower: not the deployed case).
// Options (after `npm run bench -- pos`): --rows N (default 1,000,000), --days N (business days
// from 2026-03-02, default 28), --engines pglite,postgres, --duckdb off (skips the DuckDB reference,
// which holds the whole file in memory). The file is generated to disk in chunks
// and every COPY reads it in pieces, so memory does not grow with --rows. After the import the
// bench times the dashboards (chain, store, cashier: median of 5 requests, against GET /healthz in
// the same run) and the retention job dropping the oldest month's partition.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
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

const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ROWS = Number(option('rows') ?? process.env.BENCH_POS_ROWS) || 1_000_000;
const DAYS = Number(option('days') ?? process.env.BENCH_POS_DAYS) || 28;
const START_DAY = '2026-03-02';
const ENGINES = (option('engines') ?? process.env.BENCH_POS_ENGINES ?? 'pglite,postgres').split(',');
/** Rows loaded before the timed import, spread over every store-day, so it takes the overlap path (staged merge). */
const OVERLAP = Number(option('overlap') ?? process.env.BENCH_POS_OVERLAP) || 0;
/** The raw reference COPY reads the file in pieces of this size (cut at line ends), all in one transaction. */
const COPY_PIECE = 32 * 1024 * 1024;
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
const sampleRss = () => {
  const rss = process.memoryUsage().rss;
  if (rss > peakRss) peakRss = rss;
};

interface EngineResult {
  engine: string;
  rawSeconds: number;
  /** The same raw COPY into a table with the two keys pos_transactions keeps (its identity primary key and its unique key). */
  keyedSeconds: number;
  importSeconds: number;
  inserted: number;
  maxStallMs: number;
  /** Seconds into the upload when the longest gap between the 5 ms probe's ticks ended. */
  maxStallAt: number;
  p99StallMs: number;
  /** RSS of the process when the timed import started, and its peak during the import. */
  importRss: { start: number; peak: number };
  scoringSeconds: number;
  scored: number;
  partitions: number;
  /** Size of pos_transactions (every partition, heap and indexes) after the import. */
  tableBytes: number;
  dashboards: Array<{ what: string; ms: number }>;
  healthMs: number;
  retention: { seconds: number; dropped: string[]; rows: number; dashboardsAfter: boolean } | null;
}

/** Median time of `n` GETs of `url` on the running server, in ms (after one warm-up request). */
async function timeGet(port: number, cookie: string, url: string, n = 5): Promise<{ ms: number; status: number }> {
  const once = () =>
    new Promise<{ ms: number; status: number }>((resolve, reject) => {
      const t0 = performance.now();
      http
        .get({ host: '127.0.0.1', port, path: url, headers: { cookie } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }));
        })
        .on('error', reject);
    });
  const first = await once();
  if (first.status !== 200) return first;
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await once()).ms);
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], status: 200 };
}

/** Splits the file into pieces of about `size` bytes, each ending at a line end. */
async function* pieces(file: string, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    parts.push(chunk);
    bytes += chunk.length;
    if (bytes < size) continue;
    const all = Buffer.concat(parts);
    const cut = all.lastIndexOf(10) + 1;
    if (cut <= 0) continue;
    yield all.subarray(0, cut);
    parts = [Buffer.from(all.subarray(cut))];
    bytes = parts[0].length;
  }
  if (bytes) yield Buffer.concat(parts);
}

/** A file of every k-th row of `file` (with its header): about `n` rows touching every store-day. */
async function overlapFile(file: string, n: number, rows: number): Promise<{ path: string; rows: number }> {
  const k = Math.max(1, Math.floor(rows / n));
  const target = `${file}.overlap.csv`;
  const out = fs.createWriteStream(target);
  let i = -1;
  let kept = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    i++;
    if (!line || (i > 0 && (i - 1) % k !== 0)) continue;
    if (i > 0) kept++;
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { path: target, rows: kept };
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

    // The whole file in one transaction, COPY by 32 MB pieces (what "load this CSV" costs at best, in
    // bounded memory), into `table`; returns the seconds it took and drops the table.
    const rawCopy = async (table: string) => {
      const t0 = performance.now();
      await ctx.database.bulkTransaction(async (conn) => {
        let first = true;
        for await (const piece of pieces(file, COPY_PIECE)) {
          await conn.copyFrom(table, BARE_COLUMNS, piece, first ? 'format csv, header true' : 'format csv');
          first = false;
          sampleRss();
        }
      });
      const seconds = (performance.now() - t0) / 1000;
      sampleRss();
      const [{ n }] = (await ctx.database.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows;
      if (Number(n) !== rows) throw new Error(`raw COPY into ${table} loaded ${n} rows, expected ${rows}`);
      await ctx.database.query(`drop table ${table}`);
      return seconds;
    };
    let t0 = performance.now();

    let overlapped = 0;
    if (OVERLAP > 0) {
      const part = await overlapFile(file, OVERLAP, rows);
      const pre = await upload(port, cookie, part.path);
      if (pre.status !== 200) throw new Error(`overlap import answered ${pre.status}`);
      overlapped = part.rows;
      fs.rmSync(part.path);
    }

    // Target: the real pipeline through HTTP, with the event loop watched.
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let last = performance.now();
    let maxGap = 0;
    let maxGapAt = 0;
    const uploadStart = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      if (now - last - 5 > maxGap) {
        maxGap = now - last - 5;
        maxGapAt = (now - uploadStart) / 1000;
      }
      last = now;
      sampleRss();
    }, 5);
    histogram.enable();
    const importRss = { start: process.memoryUsage.rss(), peak: 0 };
    const importProbe = setInterval(() => (importRss.peak = Math.max(importRss.peak, process.memoryUsage.rss())), 5);
    t0 = performance.now();
    const res = await upload(port, cookie, file);
    clearInterval(importProbe);
    const importSeconds = (performance.now() - t0) / 1000;
    clearInterval(probe);
    histogram.disable();
    if (res.status !== 200) throw new Error(`import answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    const inserted = Number(res.body.rowsInserted);
    if (inserted !== rows - overlapped) throw new Error(`import inserted ${inserted} of ${rows - overlapped} new rows (${overlapped} loaded before): ${String(res.body.message)}`);

    // References, after the import (so that its memory is measured from the app's own, not from the
    // high-water mark of these 32 MB COPY pieces). Raw COPY of the same CSV into a bare table, same engine.
    await ctx.database.query(BARE);
    const rawSeconds = await rawCopy('pos_bare');
    // Second reference: the same COPY into a table with pos_transactions' two keys (identity primary
    // key with the day, unique store/day/register/transaction): what loading costs once the keys an
    // import needs (merging re-sent files, finding a transaction) are kept, before any other work.
    await ctx.database.query(BARE.replace('create table pos_bare (', 'create table pos_bare_keyed (id bigint generated always as identity, '));
    await ctx.database.query('alter table pos_bare_keyed add primary key (id, business_day)');
    await ctx.database.query('create unique index on pos_bare_keyed (store, business_day, register, transaction)');
    const keyedSeconds = await rawCopy('pos_bare_keyed');

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

    // Dashboards over the whole range, from the aggregates, against a trivial route in the same run.
    const [{ n: partitions, bytes }] = (
      await ctx.database.query<{ n: number; bytes: string }>(
        `select count(*)::int as n, sum(pg_total_relation_size(inhrelid))::text as bytes from pg_inherits where inhparent = 'public.pos_transactions'::regclass`,
      )
    ).rows;
    const lastDay = new Date(Date.parse(`${START_DAY}T00:00:00Z`) + (DAYS - 1) * 86400000).toISOString().slice(0, 10);
    const range = `from=${START_DAY}&to=${lastDay}`;
    const [store] = (await ctx.database.query<{ id: string }>(`select id from stores where code = $1`, [DEMO_STORES[0].code])).rows;
    const [cashier] = (await ctx.database.query<{ id: string }>(`select id from pos_cashiers where store_id = $1 order by code limit 1`, [store.id])).rows;
    const routes = [
      { what: 'chain', url: `/api/pos/dashboard?${range}` },
      { what: 'store', url: `/api/pos/stores/${store.id}/dashboard` },
      { what: 'cashier', url: `/api/pos/cashiers/${cashier.id}?${range}` },
    ];
    const healthMs = (await timeGet(port, cookie, '/healthz')).ms;
    const dashboards: Array<{ what: string; ms: number }> = [];
    for (const r of routes) {
      const t = await timeGet(port, cookie, r.url);
      if (t.status !== 200) throw new Error(`${r.url} answered ${t.status}`);
      dashboards.push({ what: r.what, ms: t.ms });
    }

    // Retention: the job as it would run the day the oldest month falls out of the default 25 months.
    let retention: EngineResult['retention'] = null;
    const { applyRetention, monthStart, partitionName } = await import('../src/server/modules/pos/partitions.js');
    const later = new Date(Date.parse(`${monthStart(START_DAY, settings.retentionMonths + 1)}T12:00:00Z`));
    t0 = performance.now();
    const dropped = await applyRetention(ctx, later);
    const seconds = (performance.now() - t0) / 1000;
    let after = true;
    for (const r of routes) if ((await timeGet(port, cookie, r.url, 1)).status !== 200) after = false;
    retention = { seconds, dropped: dropped.droppedPartitions.filter((n) => n >= partitionName(monthStart(START_DAY))), rows: dropped.deleted.pos_transactions, dashboardsAfter: after };
    return {
      engine,
      rawSeconds,
      keyedSeconds,
      importSeconds,
      inserted,
      maxStallMs: Math.max(histogram.max / 1e6, maxGap),
      maxStallAt: maxGapAt,
      p99StallMs: histogram.percentile(99) / 1e6,
      importRss,
      scoringSeconds,
      scored,
      partitions: Number(partitions),
      tableBytes: Number(bytes),
      dashboards,
      healthMs,
      retention,
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
    for (const chunk of generatePosCsv({ stores: DEMO_STORES, rows: ROWS, startDay: START_DAY, days: DAYS, cashiersPerStore: 10 })) {
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    const genSeconds = (performance.now() - t0) / 1000;
    const size = fs.statSync(file).size;
    sampleRss();
    console.log(`Tandem bench — pos (${machine()})`);
    console.log(`file       ${lines.toLocaleString('en-US')} transactions, ${(size / 1e6).toFixed(0)} MB CSV, 12 stores × ${DAYS} days from ${START_DAY}, generated in ${genSeconds.toFixed(1)} s`);

    const duck = option('duckdb') === 'off' ? 'skipped (--duckdb off)' : await duckdb(file, lines);
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
        `${''.padEnd(10)} raw COPY into a table with pos_transactions' two keys ${r.keyedSeconds.toFixed(2)} s = ratio ${(r.rawSeconds / r.keyedSeconds).toFixed(2)} to the bare table ` +
          `(the most an import that keeps the keys can reach); the import is ${(r.keyedSeconds / r.importSeconds).toFixed(2)} of that`,
      );
      console.log(
        `${''.padEnd(10)} event loop during the import: longest stall ${r.maxStallMs.toFixed(0)} ms (goal < 100 ms${r.maxStallMs < 100 ? ', met' : ', NOT met'}; the probe's longest gap ended ${r.maxStallAt.toFixed(1)} s into the upload), p99 ${r.p99StallMs.toFixed(1)} ms; ` +
          `scoring the month (${r.scored} cashier-periods, days and weeks) ${r.scoringSeconds.toFixed(2)} s`,
      );
      console.log(
        `${''.padEnd(10)} memory during the import: RSS ${(r.importRss.start / 1e6).toFixed(0)} MB when it started → peak ${(r.importRss.peak / 1e6).toFixed(0)} MB ` +
          `(goal < 1 GB on PGlite${r.engine === 'pglite' ? (r.importRss.peak < 1e9 ? ', met' : ', NOT met') : ''}; the process holds the bench's generator and references too)`,
      );
      console.log(
        `${''.padEnd(10)} pos_transactions ${(r.tableBytes / 1e6).toFixed(0)} MB with its indexes = ${Math.round(r.tableBytes / r.inserted)} bytes per transaction; ` +
          `dashboards (median of 5, ${r.partitions} partitions): ` +
          r.dashboards.map((d) => `${d.what} ${d.ms.toFixed(1)} ms (${(d.ms / r.healthMs).toFixed(1)}× GET /healthz ${r.healthMs.toFixed(1)} ms)`).join(', '),
      );
      if (r.retention) {
        console.log(
          `${''.padEnd(10)} retention job: dropped ${r.retention.dropped.join(', ') || 'nothing'} (${r.retention.rows.toLocaleString('en-US')} transactions, with their aggregates) in ${r.retention.seconds.toFixed(2)} s; ` +
            `dashboards after the drop: ${r.retention.dashboardsAfter ? 'answer 200' : 'FAILED'}`,
        );
        if (!r.retention.dashboardsAfter) ok = false;
      }
    }
    console.log(`memory     peak RSS ${(peakRss / 1e6).toFixed(0)} MB (whole process: generator, both engines, the HTTP client)`);
    return ok ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
