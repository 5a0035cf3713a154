import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.js';
import { seedDemo } from '../src/server/demo/index.js';
import { DEMO_STORES } from '../src/server/demo/workspace.js';
import { generatePosCsv } from '../src/server/modules/pos/generator.js';
import { importStream } from '../src/server/modules/pos/importer.js';
import { closeContext, createContext } from '../src/server/platform/bootstrap.js';
import { SYSTEM_ACTOR } from '../src/server/platform/policy.js';
import { childProcessDatabase } from './context.js';

// An import killed half-way (SIGKILL of a `tandem import pos` process) leaves nothing of itself behind,
// and the same file imports cleanly afterwards.

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-pos-kill-'));
const file = path.join(dir, 'big.csv');
let database: Awaited<ReturnType<typeof childProcessDatabase>> | undefined;
let env: Record<string, string>;

const openCtx = () => createContext(loadConfig({ ...process.env, ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));

beforeAll(async () => {
  database = await childProcessDatabase(dir);
  env = { ...database.env };
  const ctx = await openCtx();
  await seedDemo(ctx, { pos: false });
  await closeContext(ctx);
  const out = fs.createWriteStream(file);
  for (const chunk of generatePosCsv({ stores: DEMO_STORES, rows: 300_000, startDay: '2026-02-02', days: 28 })) out.write(chunk);
  await new Promise<void>((resolve) => out.end(() => resolve()));
}, 120_000);

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});

it('leaves nothing behind when the import process is killed half-way, and a re-import works', async () => {
  // `node --import tsx`, not the tsx CLI: the CLI would run the script in a grandchild that SIGKILL misses.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/tandem.ts'), 'import', 'pos', file], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: 'production', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  let stderr = '';
  // Wait until the import reports rows read (progress lines every 2 s), then kill it without warning.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no progress from the import: ${stderr}`)), 60_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/\((\d{4,}) rows\)/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`the import ended before it could be killed: ${stderr}`)));
  });
  expect(exited).toBe(false);
  child.kill('SIGKILL');
  await exit;

  const ctx = await openCtx();
  try {
    const n = async (table: string) => Number((await ctx.database.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0].n);
    expect(await n('pos_transactions')).toBe(0);
    expect(await n('pos_cashier_days')).toBe(0);
    expect(await n('pos_imports')).toBe(0);
    expect(await n('pos_exceptions')).toBe(0);
    const result = await importStream(ctx, SYSTEM_ACTOR, fs.createReadStream(file, { highWaterMark: 1 << 20 }), { source: 'cli', format: 'csv', filename: 'big.csv', skipInvalid: false, bytesTotal: null });
    expect(result.sameFileAs).toBeNull();
    expect(result.rowsInserted).toBeGreaterThan(250_000);
    expect(await n('pos_transactions')).toBe(result.rowsInserted);
  } finally {
    await closeContext(ctx);
  }
  // (Usually 20–40 s. On PostgreSQL under load, a re-import right after the kill has been seen to
  // take 2–3 minutes in its aggregate phase when the killed import had created the month's partition;
  // the test checks what is left behind and that the re-import works, not its speed.)
}, 480_000);
