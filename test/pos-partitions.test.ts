import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STORES } from '../src/server/demo/workspace.js';
import { generatePosCsv } from '../src/server/modules/pos/generator.js';
import { importStream } from '../src/server/modules/pos/importer.js';
import { applyRetention, ensurePartitions, listPartitions, monthStart, partitionName, retentionCutoff } from '../src/server/modules/pos/partitions.js';
import { openDatabase } from '../src/server/platform/db.js';
import { ROLE_EMAILS, seededApp, signIn, SYSTEM_ACTOR, TEST_DB, type TestApp } from './context.js';

/**
 * POS transactions are partitioned by business month: imports create their months' partitions,
 * partition creation is safe when instances race, and retention drops whole old months (with what
 * was derived from them) while the dashboards keep answering.
 */
let t: TestApp;
let admin: string;
const now = new Date();
const thisMonth = monthStart(now);
const lastMonth = monthStart(now, -1);
const count = async (sql: string, params: unknown[] = []) => Number((await t.ctx.database.query<{ n: number }>(sql, params)).rows[0].n);
const partitions = async () => (await listPartitions(t.ctx.database)).map((p) => p.month);
const csvText = (startDay: string, days: number, rows: number, seed: number) => [...generatePosCsv({ stores: DEMO_STORES.slice(0, 3), rows, startDay, days, seed })].join('');
/** The text as a stream read once. */
const stream = (text: string) =>
  (async function* () {
    yield Buffer.from(text);
  })();
const csv = (startDay: string, days: number, rows: number, seed: number) => stream(csvText(startDay, days, rows, seed));
const inMonth = (m: string) => `business_day >= '${m}' and business_day < '${monthStart(m, 1)}'`;

/** Counts the rows inserted into the default partition from now on (a row trigger: it fires for COPY too). */
async function watchDefault() {
  const db = t.ctx.database;
  await db.query(`create table if not exists test_default_hits (business_day date not null)`);
  await db.query(`delete from test_default_hits`);
  await db.query(`create or replace function test_default_hit() returns trigger language plpgsql as $$ begin insert into test_default_hits values (new.business_day); return new; end $$`);
  await db.query(`create or replace trigger test_default_hit before insert on pos_transactions_default for each row execute function test_default_hit()`);
  return {
    hits: () => count(`select count(*)::int as n from test_default_hits`),
    stop: () => db.query(`drop trigger test_default_hit on pos_transactions_default`),
  };
}
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await seededApp();
  admin = await signIn(t.app, ROLE_EMAILS.admin);
}, 240_000);
afterAll(async () => t?.close());

describe('POS partitions by business month', () => {
  it('an import creates the partitions of its months before loading; rows land in their month, none in the default partition', async () => {
    expect(await partitions()).not.toContain(thisMonth);
    // Ten days each side of the first of this month: last month and this one.
    const job = await importStream(t.ctx, SYSTEM_ACTOR, csv(addDays(thisMonth, -10), 20, 4000, 7), { source: 'api', format: 'csv', filename: 'two-months.csv', skipInvalid: false, bytesTotal: null });
    expect(job.status).toBe('succeeded');
    expect(job.rowsInserted).toBeGreaterThan(3000);
    const months = await partitions();
    // Last month to two months ahead: not every month of the retention period (each empty partition
    // is one more probe in every lookup of a transaction by id).
    expect(months).toContain(thisMonth);
    expect(months).toContain(lastMonth);
    expect(months).toContain(monthStart(now, 2));
    expect(months).not.toContain(monthStart(now, -2));
    expect(months).not.toContain(monthStart(now, -25));
    const inThis = await count(`select count(*)::int as n from ${partitionName(thisMonth)}`);
    const inLast = await count(`select count(*)::int as n from ${partitionName(lastMonth)}`);
    expect(inThis).toBeGreaterThan(0);
    expect(inLast).toBeGreaterThan(0);
    expect(inThis + inLast).toBe(job.rowsInserted);
    expect(await count(`select count(*)::int as n from pos_transactions_default`)).toBe(0);
  }, 120_000);

  it('a backfill of months outside the prepared ones loads straight into their partitions, created before loading: no row goes through the default partition', async () => {
    const [older, old] = [monthStart(now, -6), monthStart(now, -5)];
    expect(await partitions()).not.toContain(older);
    expect(await partitions()).not.toContain(old);
    const watch = await watchDefault();
    try {
      // Through the upload route: the spooled file is read twice, its months first.
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/pos/imports?wait=true&filename=backfill.csv',
        headers: { cookie: admin, 'content-type': 'text/csv' },
        payload: csvText(addDays(old, -10), 20, 3000, 5),
      });
      expect(res.statusCode).toBe(200);
      const job = res.json() as { status: string; rowsInserted: number };
      expect(job.status).toBe('succeeded');
      expect(job.rowsInserted).toBeGreaterThan(2000);
      expect(await watch.hits()).toBe(0);
      const months = await partitions();
      expect(months).toContain(older);
      expect(months).toContain(old);
      expect(months).not.toContain(monthStart(now, -7));
      expect(months).not.toContain(monthStart(now, -4));
      const inOlder = await count(`select count(*)::int as n from ${partitionName(older)}`);
      const inOld = await count(`select count(*)::int as n from ${partitionName(old)}`);
      expect(inOlder).toBeGreaterThan(0);
      expect(inOld).toBeGreaterThan(0);
      expect(inOlder + inOld).toBe(job.rowsInserted);
      expect(await count(`select count(*)::int as n from pos_transactions_default`)).toBe(0);
    } finally {
      await watch.stop();
    }
  }, 120_000);

  it('a stream that can be read only once: its backfill goes through the default partition and is moved into its new months after the commit', async () => {
    const [older, old] = [monthStart(now, -9), monthStart(now, -8)];
    expect(await partitions()).not.toContain(old);
    const watch = await watchDefault();
    try {
      const job = await importStream(t.ctx, SYSTEM_ACTOR, csv(addDays(old, -5), 10, 1000, 9), { source: 'api', format: 'csv', filename: 'stream.csv', skipInvalid: false, bytesTotal: null });
      expect(job.status).toBe('succeeded');
      expect(await watch.hits()).toBe(job.rowsInserted);
      const months = await partitions();
      expect(months).toContain(older);
      expect(months).toContain(old);
      expect(await count(`select count(*)::int as n from pos_transactions_default`)).toBe(0);
      expect((await count(`select count(*)::int as n from ${partitionName(older)}`)) + (await count(`select count(*)::int as n from ${partitionName(old)}`))).toBe(job.rowsInserted);
    } finally {
      await watch.stop();
    }
  }, 120_000);

  it('rows of a month far ahead wait in the default partition and move into it when the month is created', async () => {
    const far = monthStart(now, 40);
    const text = csvText(addDays(far, 3), 2, 300, 11);
    const job = await importStream(t.ctx, SYSTEM_ACTOR, stream(text), { source: 'api', format: 'csv', filename: 'far.csv', skipInvalid: false, bytesTotal: null, reopen: () => stream(text) });
    expect(job.status).toBe('succeeded');
    // More than two months ahead: no partition yet (the daily job creates it two months before).
    expect(await partitions()).not.toContain(far);
    expect(await count(`select count(*)::int as n from pos_transactions_default where ${inMonth(far)}`)).toBe(job.rowsInserted);
    const ids = `select count(*)::int as n, coalesce(sum(id), 0)::text as s from pos_transactions where business_day >= '${far}'`;
    const before = (await t.ctx.database.query<{ n: number; s: string }>(ids)).rows[0];
    expect(Number(before.n)).toBe(job.rowsInserted);
    // The move: creating the month takes its rows out of the default partition, ids and all.
    expect(await ensurePartitions(t.ctx.database, far, far)).toEqual([far]);
    expect(await count(`select count(*)::int as n from pos_transactions_default where ${inMonth(far)}`)).toBe(0);
    expect(await count(`select count(*)::int as n from ${partitionName(far)}`)).toBe(job.rowsInserted);
    expect((await t.ctx.database.query<{ n: number; s: string }>(ids)).rows[0]).toEqual(before);
    // A re-import of the same file adds nothing: the unique key holds across the move.
    const again = await importStream(t.ctx, SYSTEM_ACTOR, stream(text), { source: 'api', format: 'csv', filename: 'far.csv', skipInvalid: false, bytesTotal: null, reopen: () => stream(text) });
    expect(again.rowsInserted).toBe(0);
  }, 120_000);

  it('a file of fifty months creates partitions only for the months kept (retention cutoff to two months ahead); older rows wait in the default partition until retention removes them', async () => {
    const cutoff = retentionCutoff(25, now);
    const months = Array.from({ length: 50 }, (_, i) => monthStart(now, i - 40)); // 40 months back to 9 ahead
    const text = months.map((m, i) => csvText(addDays(m, 9), 1, 6, 100 + i)).map((c, i) => (i ? c.slice(c.indexOf('\n') + 1) : c)).join('');
    const before = new Set(await partitions());
    const job = await importStream(t.ctx, SYSTEM_ACTOR, stream(text), { source: 'api', format: 'csv', filename: 'fifty-months.csv', skipInvalid: false, bytesTotal: null, reopen: () => stream(text) });
    expect(job.status).toBe('succeeded');
    const after = await partitions();
    const kept = months.filter((m) => m >= cutoff && m <= monthStart(now, 2));
    expect(kept).toHaveLength(28);
    expect(months.filter((m) => after.includes(m))).toEqual(kept);
    expect(after.filter((m) => !before.has(m)).length).toBeLessThanOrEqual(28);
    const older = await count(`select count(*)::int as n from pos_transactions_default where business_day < $1`, [cutoff]);
    const later = await count(`select count(*)::int as n from pos_transactions_default where business_day >= $1`, [monthStart(now, 3)]);
    expect(older).toBeGreaterThan(0);
    expect(later).toBeGreaterThan(0);
    // The import says which of its rows retention will remove.
    expect(job.message).toContain(`${older} of the file's transactions are from before ${cutoff}, older than the 25 months kept: the nightly retention run removes them`);
    expect(await count(`select count(*)::int as n from pos_transactions_default`)).toBe(older + later);
    // The nightly retention run removes the rows older than what is kept; the later ones wait for their months.
    await applyRetention(t.ctx, now);
    expect(await count(`select count(*)::int as n from pos_transactions_default where business_day < $1`, [cutoff])).toBe(0);
    expect(await count(`select count(*)::int as n from pos_transactions_default`)).toBe(later);
  }, 120_000);

  it('two instances creating the same months at once both succeed, and each month is created once', async () => {
    const from = monthStart(now, 60);
    const to = monthStart(now, 62);
    // A second connection pool on the same database stands for a second instance (PGlite: one process, one session).
    const other = TEST_DB === 'postgres' ? await openDatabase({ databaseUrl: t.config.databaseUrl }) : t.ctx.database;
    try {
      const results = await Promise.all([ensurePartitions(t.ctx.database, from, to), ensurePartitions(other, from, to), ensurePartitions(t.ctx.database, from, to)]);
      expect(results.flat().sort()).toEqual([from, monthStart(now, 61), to]);
      const months = await partitions();
      for (const m of [from, monthStart(now, 61), to]) expect(months.filter((x) => x === m)).toHaveLength(1);
    } finally {
      if (other !== t.ctx.database) await other.close();
    }
  }, 60_000);

  it('retention is a POS setting: a bad value names the field', async () => {
    const bad = await t.app.inject({ method: 'PATCH', url: '/api/pos/settings', headers: { cookie: admin }, payload: { retentionMonths: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems).toContainEqual(expect.objectContaining({ field: 'retentionMonths', message: expect.stringMatching(/at least 3 months/) }));
    const fraction = await t.app.inject({ method: 'PATCH', url: '/api/pos/settings', headers: { cookie: admin }, payload: { retentionMonths: 6.5 } });
    expect(fraction.statusCode).toBe(400);
    expect(fraction.json().error.problems).toContainEqual(expect.objectContaining({ field: 'retentionMonths' }));
    const read = await t.app.inject({ method: 'GET', url: '/api/pos/settings', headers: { cookie: admin } });
    expect(read.json().retentionMonths).toBe(25);
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/pos/settings', headers: { cookie: admin }, payload: { retentionMonths: 3 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().retentionMonths).toBe(3);
  }, 120_000);

  it('the retention job drops months older than the setting, with their aggregates and exceptions, audited; newer months and the dashboards stay', async () => {
    const day = (m: string) => `select count(*)::int as n from pos_cashier_days where business_day >= '${m}' and business_day < '${monthStart(m, 1)}'`;
    const txns = (m: string) => `select count(*)::int as n from pos_transactions where business_day >= '${m}' and business_day < '${monthStart(m, 1)}'`;
    const thisBefore = await count(txns(thisMonth));
    const thisDaysBefore = await count(day(thisMonth));
    expect(await count(txns(lastMonth))).toBeGreaterThan(0);
    expect(await count(day(lastMonth))).toBeGreaterThan(0);
    expect(await count(`select count(*)::int as n from pos_store_days where business_day < $1`, [thisMonth])).toBeGreaterThan(0);
    expect(await count(`select count(*)::int as n from pos_exceptions where occurred_at < $1::date - 1`, [thisMonth])).toBeGreaterThan(0);

    await t.app.inject({ method: 'PATCH', url: '/api/pos/settings', headers: { cookie: admin }, payload: { retentionMonths: 3 } });
    // Three months after this one, with 3 months kept: last month is older than the period, this month is the oldest kept.
    const later = new Date(Date.parse(`${monthStart(now, 3)}T12:00:00Z`));
    const result = await applyRetention(t.ctx, later);
    expect(result.cutoff).toBe(thisMonth);
    expect(result.droppedPartitions).toContain(partitionName(lastMonth));
    expect(result.droppedPartitions).not.toContain(partitionName(thisMonth));
    const months = await partitions();
    expect(months).not.toContain(lastMonth);
    expect(months).toContain(thisMonth);
    expect(await count(txns(lastMonth))).toBe(0);
    expect(await count(day(lastMonth))).toBe(0);
    for (const table of ['pos_cashier_day_signals', 'pos_cashier_register_days', 'pos_cashier_card_days', 'pos_store_days']) {
      expect(await count(`select count(*)::int as n from ${table} where business_day < $1`, [thisMonth])).toBe(0);
    }
    expect(await count(`select count(*)::int as n from pos_store_days where business_day >= $1`, [thisMonth])).toBeGreaterThan(0);
    expect(await count(`select count(*)::int as n from pos_scores where period_start < $1`, [thisMonth])).toBe(0);
    expect(await count(`select count(*)::int as n from pos_exceptions where occurred_at < $1::date - 1`, [thisMonth])).toBe(0);
    // This month is intact.
    expect(await count(txns(thisMonth))).toBe(thisBefore);
    expect(await count(day(thisMonth))).toBe(thisDaysBefore);
    // The removal is in the audit trail, with what went.
    const [audit] = (await t.ctx.database.query<{ summary: string; after: { cutoff: string; droppedPartitions: string[]; deleted: Record<string, number> } }>(
      `select summary, after from audit_log where entity = 'pos_retention' order by at desc limit 1`,
    )).rows;
    expect(audit.summary).toContain(`before ${thisMonth}`);
    expect(audit.after.droppedPartitions).toContain(partitionName(lastMonth));
    expect(audit.after.deleted.pos_transactions).toBeGreaterThan(0);

    // The dashboards answer over a range that covers the dropped month.
    const range = `from=${lastMonth}&to=${addDays(thisMonth, 20)}`;
    const chain = await t.app.inject({ method: 'GET', url: `/api/pos/dashboard?${range}`, headers: { cookie: admin } });
    expect(chain.statusCode).toBe(200);
    const [{ id: storeId }] = (await t.ctx.database.query<{ id: string }>(`select id from stores where code = $1`, [DEMO_STORES[0].code])).rows;
    const store = await t.app.inject({ method: 'GET', url: `/api/pos/stores/${storeId}/dashboard`, headers: { cookie: admin } });
    expect(store.statusCode).toBe(200);
    const [{ id: cashierId }] = (await t.ctx.database.query<{ id: string }>(`select id from pos_cashiers where store_id = $1 order by code limit 1`, [storeId])).rows;
    const cashier = await t.app.inject({ method: 'GET', url: `/api/pos/cashiers/${cashierId}?${range}`, headers: { cookie: admin } });
    expect(cashier.statusCode).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: `/api/pos/cashiers/${cashierId}/transactions?limit=5`, headers: { cookie: admin } });
    expect(list.statusCode).toBe(200);
    const exceptions = await t.app.inject({ method: 'GET', url: '/api/pos/exceptions?limit=5', headers: { cookie: admin } });
    expect(exceptions.statusCode).toBe(200);

    // Running it again removes nothing more and records nothing.
    const auditRows = await count(`select count(*)::int as n from audit_log where entity = 'pos_retention'`);
    const again = await applyRetention(t.ctx, later);
    expect(again.droppedPartitions).toEqual([]);
    expect(await count(`select count(*)::int as n from audit_log where entity = 'pos_retention'`)).toBe(auditRows);
  }, 180_000);
});
