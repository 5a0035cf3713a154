import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { runningImport, startImport } from '../src/server/modules/pos/importer.js';
import { AppError, fromDatabaseError } from '../src/server/platform/errors.js';
import { SYSTEM_ACTOR, TEST_DB, createTestApp, type TestApp } from './context.js';

// The server ends the app's connections (pg_terminate_backend, as a failover or an administrator
// would) during a POS import and during a burst of writes: the process stays up, the work fails
// with 503 and leaves nothing half-written, and the next request works.

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HEADER = 'store,register,cashier_id,cashier_name,transaction,business_day,start,end,type,total,items,tender\n';
const rows = (from: number, n: number) => {
  let out = '';
  for (let i = from; i < from + n; i++) out += `LOSS-1,${1 + (i % 8)},C${i % 40},Casey Lim,${i},2026-03-0${2 + (i % 5)},2026-03-0${2 + (i % 5)}T10:${String(i % 60).padStart(2, '0')}:00,,sale,12.50,2,cash\n`;
  return out;
};

let t: TestApp;
let dbName: string;
const terminateAppBackends = async () => {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  // Only this test's database and only the app's connections (application_name set by the pool).
  const r = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name like 'tandem%' and pid <> pg_backend_pid()`, [dbName]);
  await admin.end();
  return r.rowCount ?? 0;
};
const count = async (text: string) => Number((await t.ctx.database.query<{ n: number }>(text)).rows[0].n);

describe.skipIf(TEST_DB !== 'postgres')('a lost PostgreSQL connection', () => {
  beforeAll(async () => {
    t = await createTestApp();
    dbName = (await t.ctx.database.query<{ d: string }>('select current_database() as d')).rows[0].d;
    await t.ctx.database.query(`insert into stores (id, code, name, region, district, timezone, uplink_mbps) values ($1, 'LOSS-1', 'Loss', 'East', 'D1', 'America/New_York', 100)`, [uuidv7()]);
  }, 120_000);
  // Closing waits for the pool to end; on a busy CI machine a terminated backend's socket can take
  // long to report its end, so the close is bounded (the database is then left to the next cleanup).
  afterAll(async () => {
    await Promise.race([t?.close(), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
  }, 60_000);

  it('during a POS import: 503, nothing imported, the process stays up and the next import works', async () => {
    let released = false;
    async function* trickle() {
      yield Buffer.from(HEADER);
      // Keep the import's transaction open (COPYs in flight) until the connection is cut.
      for (let i = 0; !released || i < 40; i++) {
        yield Buffer.from(rows(i * 2000, 2000));
        await new Promise((r) => setTimeout(r, 20));
        if (i > 400) break;
      }
    }
    const job = startImport(t.ctx, SYSTEM_ACTOR, Readable.from(trickle()), { source: 'api', format: 'csv', filename: 'loss.csv', skipInvalid: false, bytesTotal: null });
    while ((runningImport(job.id)?.rowsRead ?? 0) < 20_000) await new Promise((r) => setTimeout(r, 20));
    expect(await terminateAppBackends()).toBeGreaterThan(0);
    released = true;
    const err = await job.done.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(await count('select count(*)::int as n from pos_transactions')).toBe(0);
    // The next import works on a fresh connection.
    const next = await startImport(t.ctx, SYSTEM_ACTOR, Readable.from([Buffer.from(HEADER + rows(0, 500))]), { source: 'api', format: 'csv', filename: 'again.csv', skipInvalid: false, bytesTotal: null }).done;
    expect(next).toMatchObject({ status: 'succeeded', rowsInserted: 500 });
  }, 120_000);

  it('during a burst of writes: each transaction is all or nothing, failures map to 503, the next request works', async () => {
    await t.ctx.database.query('create table if not exists loss_pairs (id uuid primary key, pair uuid not null, half int not null)');
    const write = async () => {
      const pair = uuidv7();
      await t.ctx.db.transaction(async (tx) => {
        await tx.execute(sql`insert into loss_pairs values (${uuidv7()}, ${pair}, 1)`);
        await tx.execute(sql`select pg_sleep(0.05)`);
        await tx.execute(sql`insert into loss_pairs values (${uuidv7()}, ${pair}, 2)`);
      });
    };
    const burst = Promise.allSettled(Array.from({ length: 30 }, (_, i) => new Promise((r) => setTimeout(r, i * 10)).then(write)));
    await new Promise((r) => setTimeout(r, 120));
    await terminateAppBackends();
    const outcomes = await burst;
    const failed = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
    expect(failed.length).toBeGreaterThan(0);
    for (const reason of failed) expect(fromDatabaseError(reason)?.status).toBe(503);
    expect(await count(`select count(*)::int as n from (select pair from loss_pairs group by pair having count(*) <> 2) p`)).toBe(0);
    expect(await count('select count(*)::int as n from loss_pairs')).toBe(2 * (outcomes.length - failed.length));
    // The app answers again at once.
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await write();
  }, 120_000);
});
