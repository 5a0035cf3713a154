import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, type DbOrTx } from '../src/server/platform/db.js';
import { createTestApp, type TestApp } from './context.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => t?.close());

/** Three reads through readAll; returns how many were in flight at most, and their answers in order. */
async function overlap(db: DbOrTx) {
  let inFlight = 0;
  let most = 0;
  const read = (n: number) => async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    try {
      const r = (await db.execute(sql`select ${n}::int as n, pg_sleep(0.02)`)) as unknown as { rows: Array<{ n: number }> };
      return r.rows[0].n;
    } finally {
      inFlight--;
    }
  };
  const answers = await readAll(db, [read(1), read(2), read(3)]);
  return { most, answers };
}

describe('independent reads', () => {
  it('run one after another on a transaction (its single connection runs one query at a time), in order', async () => {
    const r = await t.ctx.db.transaction((tx) => overlap(tx));
    expect(r).toEqual({ most: 1, answers: [1, 2, 3] });
  });

  it('run at once on the database', async () => {
    const r = await overlap(t.ctx.db);
    expect(r.answers).toEqual([1, 2, 3]);
    expect(r.most).toBe(3);
  });
});
