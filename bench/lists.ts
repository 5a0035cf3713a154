// `npm run bench -- lists`: every main list (people, ideas, requests, POS exceptions) on both
// engines (embedded PGlite, then PostgreSQL at 127.0.0.1), each run in a process of its own
// (`npm run bench -- <list>` with TEST_DATABASE set), then one summary: requests/s, p99 and the
// ratio to the bare Fastify route measured in the same run, against the goal (PGlite ≥ 1,000 req/s,
// PostgreSQL ≥ 2,500 req/s, p99 < 100 ms at 50 connections).
// BENCH_LISTS=people,ideas, BENCH_ENGINES=pglite|postgres and BENCH_MODES=kept|queried narrow the run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './lib/load.js';
import { LISTS, SETTINGS } from './people.js';
import { LOAD_MODE } from './lib/load.js';
import { machine, settingsLine } from './lib/format.js';

const GOAL = { pglite: 1000, postgres: 2500 } as const;
const P99_GOAL_MS = 100;
type Engine = keyof typeof GOAL;

interface RunResult {
  list: string;
  database: string;
  total: number;
  perPage: number;
  reference: LoadResult;
  target: LoadResult;
  failures: number;
}

const RUN = fileURLToPath(new URL('./run.ts', import.meta.url));

/**
 * Kept answers (platform/response-cache.ts) serve a list asked again while the database is unchanged,
 * which is what a load generator asking one address does; `queried` runs with RESPONSE_CACHE_MS=0, so
 * every request runs the queries, the presenter and the serialiser. Both are printed.
 */
const MODES = { kept: {}, queried: { RESPONSE_CACHE_MS: '0' } } as const;
type Mode = keyof typeof MODES;

function runOne(list: string, engine: Engine, mode: Mode): Promise<RunResult | undefined> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-')), 'result.json');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, RUN, list], {
      env: { ...process.env, ...MODES[mode], TEST_DATABASE: engine, BENCH_RESULT_FILE: file },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', () => {
      try {
        resolve(JSON.parse(fs.readFileSync(file, 'utf8')) as RunResult);
      } catch {
        resolve(undefined);
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
    });
  });
}

export async function runListsBench(): Promise<number> {
  const lists = (process.env.BENCH_LISTS?.split(',') ?? Object.keys(LISTS)).filter((l) => l in LISTS);
  const engines = (process.env.BENCH_ENGINES?.split(',') ?? ['pglite', 'postgres']).filter((e): e is Engine => e in GOAL);
  const modes = (process.env.BENCH_MODES?.split(',') ?? Object.keys(MODES)).filter((m): m is Mode => m in MODES);
  const rows: string[][] = [];
  let failed = false;
  for (const engine of engines) {
    for (const list of lists) {
     for (const mode of modes) {
      console.log(`\n--- ${list} on ${engine}, ${mode === 'kept' ? 'kept answers on' : 'every request queried'}`);
      const r = await runOne(list, engine, mode);
      if (!r) {
        failed = true;
        rows.push([list, engine, mode, 'failed', '', '', '', '']);
        continue;
      }
      if (r.failures) failed = true;
      const rps = r.target.requestsPerSecond;
      const p99 = r.target.latencyMs.p99;
      const met = rps >= GOAL[engine] && p99 < P99_GOAL_MS;
      rows.push([
        list,
        engine,
        mode,
        `${Math.round(rps)} req/s`,
        `p99 ${p99.toFixed(0)} ms`,
        `ratio ${(rps / r.reference.requestsPerSecond).toFixed(3)}`,
        `reference ${Math.round(r.reference.requestsPerSecond)} req/s`,
        met ? 'goal met' : `goal ${GOAL[engine]} req/s, p99 < ${P99_GOAL_MS} ms: not met`,
      ]);
     }
    }
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  console.log(`\nTandem bench — main lists (${machine()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  console.log(settingsLine(SETTINGS, LOAD_MODE) + '; each list and engine in its own process');
  console.log('kept: answers kept while the database is unchanged (platform/response-cache.ts); queried: RESPONSE_CACHE_MS=0');
  for (const r of rows) console.log(r.map((v, i) => (i === 3 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd());
  return failed ? 1 : 0;
}
