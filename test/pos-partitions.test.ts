import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STORES } from '../src/server/demo/workspace.js';
import { generatePosCsv } from '../src/server/modules/pos/generator.js';
import { importStream } from '../src/server/modules/pos/importer.js';
import { applyRetention, ensurePartitions, listPartitions, monthStart, partitionName } from '../src/server/modules/pos/partitions.js';
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
const csv = (startDay: string, days: number, rows: number, seed: number) => {
  const text = [...generatePosCsv({ stores: DEMO_STORES.slice(0, 3), rows, startDay, days, seed })].join('');
  return (async function* () {
    yield Buffer.from(text);
  })();
};
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

  it('rows of a month without a partition wait in the default partition and move into it when the month is created', async () => {
    const far = monthStart(now, 40);
    const job = await importStream(t.ctx, SYSTEM_ACTOR, csv(addDays(far, 3), 2, 300, 11), { source: 'api', format: 'csv', filename: 'far.csv', skipInvalid: false, bytesTotal: null });
    expect(job.status).toBe('succeeded');
    // The import gave the far month its partition once it had committed: the default partition is empty again.
    expect(await partitions()).toContain(far);
    expect(await count(`select count(*)::int as n from pos_transactions_default`)).toBe(0);
    expect(await count(`select count(*)::int as n from ${partitionName(far)}`)).toBe(job.rowsInserted);
    // The move itself: detach the month's rows back into the default partition, then create the month again.
    // (An import that could not create its month in time, another instance holding the lock, leaves them so.)
    await t.ctx.database.query(`alter table pos_transactions detach partition ${partitionName(far)}`);
    await t.ctx.database.query(`insert into pos_transactions overriding system value select * from ${partitionName(far)}`);
    await t.ctx.database.query(`drop table ${partitionName(far)}`);
    const ids = `select count(*)::int as n, coalesce(sum(id), 0)::text as s from pos_transactions where business_day >= '${far}'`;
    const before = (await t.ctx.database.query<{ n: number; s: string }>(ids)).rows[0];
    expect(Number(before.n)).toBe(job.rowsInserted);
    expect(await count(`select count(*)::int as n from pos_transactions_default`)).toBe(job.rowsInserted);
    expect(await ensurePartitions(t.ctx.database, far, far)).toEqual([far]);
    expect(await count(`select count(*)::int as n from pos_transactions_default`)).toBe(0);
    expect(await count(`select count(*)::int as n from ${partitionName(far)}`)).toBe(job.rowsInserted);
    expect((await t.ctx.database.query<{ n: number; s: string }>(ids)).rows[0]).toEqual(before);
    // A re-import of the same file adds nothing: the unique key holds across the move.
    const again = await importStream(t.ctx, SYSTEM_ACTOR, csv(addDays(far, 3), 2, 300, 11), { source: 'api', format: 'csv', filename: 'far.csv', skipInvalid: false, bytesTotal: null });
    expect(again.rowsInserted).toBe(0);
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
