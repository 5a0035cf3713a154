import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/platform/bootstrap.js';
import type { AppContext } from '../src/server/platform/context.js';
import { ROLE_EMAILS, signIn, TEST_DB } from './context.js';

/**
 * Upgrades keep data: a database made by the previous release (migrations 0000–0004, the demo
 * workspace and its month of POS transactions, dumped from PostgreSQL) is restored, then opened by
 * this build. Its migrations apply on top and every row of every old table is still there.
 */
const DUMP = path.resolve(import.meta.dirname, 'fixtures/upgrade/release-0004.sql.gz');
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

async function rowCounts(query: Query, tables: string[]) {
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = Number((await query(`select count(*)::int as n from public."${t}"`))[0].n);
  return counts;
}

const TABLES_SQL = `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;

let ctx: AppContext;
let cleanup: () => Promise<void>;
let before: Record<string, number>;
let oldTables: string[];
/** Sum and count of POS transaction ids per business month, before the upgrade (the partitioning migration must keep every id). */
let beforeIds: string;
const IDS_SQL = `select coalesce(string_agg(m || ':' || n || ':' || s, ',' order by m), '') as ids from (
  select to_char(business_day, 'YYYY-MM') as m, count(*) as n, sum(id) as s from pos_transactions group by 1) x`;

beforeAll(async () => {
  const dump = gunzipSync(fs.readFileSync(DUMP)).toString('utf8');
  let databaseUrl: string | undefined;
  let dataDir = 'memory://';
  if (TEST_DB === 'postgres') {
    const name = `tandem_upgrade_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(dump);
    await c.query('select pg_catalog.set_config(\'search_path\', \'"$user", public\', false)');
    oldTables = (await c.query(TABLES_SQL)).rows.map((r) => r.table_name as string);
    before = await rowCounts(async (sql) => (await c.query(sql)).rows, oldTables);
    beforeIds = (await c.query(IDS_SQL)).rows[0].ids as string;
    await c.end();
    cleanup = async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-upgrade-'));
    const db = await PGlite.create(path.join(dataDir, 'pglite'));
    await db.exec(dump);
    await db.exec(`select pg_catalog.set_config('search_path', '"$user", public', false)`);
    oldTables = (await db.query<{ table_name: string }>(TABLES_SQL)).rows.map((r) => r.table_name);
    before = await rowCounts(async (sql) => (await db.query<Record<string, unknown>>(sql)).rows, oldTables);
    beforeIds = (await db.query<{ ids: string }>(IDS_SQL)).rows[0].ids;
    await db.close();
    const dir = dataDir;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: dataDir, JOBS: 'off', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000', LOGIN_RATE_LIMIT: '1000', AUTH_SECRET: 'upgrade-test-secret-upgrade-test-secret-0123' },
    { databaseUrl, dataDir },
  );
  ctx = await createContext(config, pino({ level: 'silent' }));
}, 240_000);

afterAll(async () => {
  if (ctx) await closeContext(ctx);
  await cleanup?.();
});

describe('upgrade from the previous release', () => {
  it('keeps every row of every table the previous release had', async () => {
    expect(oldTables.length).toBeGreaterThan(10);
    expect(before.people).toBeGreaterThan(60);
    expect(before.pos_transactions).toBeGreaterThan(40_000);
    const after = await rowCounts(async (sql) => (await ctx.database.query<Record<string, unknown>>(sql)).rows, oldTables);
    // Migrations may add rows (defaults for new settings) but never lose one.
    for (const t of oldTables) expect(after[t], t).toBeGreaterThanOrEqual(before[t]);
    expect(after.people).toBe(before.people);
    expect(after.ideas).toBe(before.ideas);
    expect(after.requests).toBe(before.requests);
    expect(after.pos_transactions).toBe(before.pos_transactions);
    expect(after.audit_log).toBeGreaterThanOrEqual(before.audit_log);
  });

  it('partitions the POS transactions by business month, keeping every id in its month', async () => {
    const q = <T,>(sql: string) => ctx.database.query<T>(sql).then((r) => r.rows);
    const [{ kind }] = await q<{ kind: string }>(`select relkind::text as kind from pg_class where oid = 'public.pos_transactions'::regclass`);
    expect(kind).toBe('p');
    const months = (await q<{ m: string }>(`select distinct to_char(business_day, 'YYYY"m"MM') as m from pos_transactions order by 1`)).map((r) => r.m);
    const parts = (await q<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'public.pos_transactions'::regclass`,
    )).map((r) => r.name);
    expect(months.length).toBeGreaterThan(0);
    for (const m of months) expect(parts).toContain(`pos_transactions_y${m}`);
    expect(parts).toContain('pos_transactions_default');
    const [{ n: stray }] = await q<{ n: number }>(`select count(*)::int as n from pos_transactions_default`);
    expect(Number(stray)).toBe(0);
    expect((await q<{ ids: string }>(IDS_SQL))[0].ids).toBe(beforeIds);
    // New transactions continue after the highest old id.
    const [{ max }] = await q<{ max: string }>(`select max(id)::text as max from pos_transactions`);
    const [{ next }] = await q<{ next: string }>(`select last_value::text as next from pos_transactions_id_seq`);
    expect(BigInt(next)).toBeGreaterThanOrEqual(BigInt(max));
  });

  it('serves the old data: people sign in with their passwords, lists and references still work', async () => {
    const app = await buildApp(ctx, { logger: false, serveWeb: false });
    await app.ready();
    try {
      const admin = await signIn(app, ROLE_EMAILS.admin);
      const ideas = await app.inject({ method: 'GET', url: '/api/ideas?limit=5', headers: { cookie: admin } });
      expect(ideas.statusCode).toBe(200);
      expect(ideas.json().items.length).toBe(5);
      const req = await app.inject({ method: 'GET', url: '/api/requests?limit=1', headers: { cookie: admin } });
      expect(req.statusCode).toBe(200);
      const exceptions = await app.inject({ method: 'GET', url: '/api/pos/exceptions?limit=3', headers: { cookie: admin } });
      expect(exceptions.statusCode).toBe(200);
      expect(exceptions.json().items.length).toBe(3);
      // New records continue the old numbering.
      const created = await app.inject({ method: 'POST', url: '/api/ideas', headers: { cookie: admin, origin: 'http://localhost:3000' }, payload: { title: 'After the upgrade', description: 'Numbering continues.', category: 'process' } });
      expect(created.statusCode).toBe(201);
      expect(created.json().number).toBe(before.ideas + 1);
    } finally {
      await app.close();
    }
  });
});
