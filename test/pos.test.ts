import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANTED } from '../src/server/modules/pos/generator.js';
import { demoStartDay } from '../src/server/modules/pos/demo.js';
import { ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/pos');
const HEADER = 'store,register,cashier_id,cashier_name,transaction,business_day,start,end,type,total,items,tender,card_entry,card_token,original_transaction';

let t: TestApp;
let admin: string;
let lead: string;
let storeIds: Record<string, string>;

const count = async (sql: string, params: unknown[] = []) => Number((await t.ctx.database.query<{ n: number }>(sql, params)).rows[0].n);
const txnCount = () => count('select count(*)::int as n from pos_transactions');

async function upload(body: string, contentType = 'text/csv', query = '', cookie = admin) {
  return t.app.inject({ method: 'POST', url: `/api/pos/imports?wait=true${query}`, headers: { cookie, 'content-type': contentType }, payload: body });
}

beforeAll(async () => {
  // The POS demo month is part of this suite: the ranking checks run on it.
  t = await seededApp({}, {}, { pos: true });
  admin = await signIn(t.app, ROLE_EMAILS.admin);
  // Cashier monitoring belongs to LP: its chain-wide lead tunes the scoring.
  lead = await signIn(t.app, 'priya.natarajan@meridian.example');
  const { rows } = await t.ctx.database.query<{ id: string; code: string }>('select id, code from stores');
  storeIds = Object.fromEntries(rows.map((r) => [r.code, r.id]));
}, 400_000);
afterAll(async () => t?.close());

describe('POS import', () => {
  it('refuses a CSV with bad lines, naming line and field, and imports nothing', async () => {
    const before = await txnCount();
    const res = await upload(fs.readFileSync(path.join(FIXTURES, 'bad.csv'), 'utf8'), 'text/csv', '&filename=bad.csv');
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('invalid_rows');
    expect(error.message).toMatch(/nothing was imported/);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, field: 'total' }),
        expect.objectContaining({ line: 4, field: 'store', message: expect.stringContaining('ZZ-999') }),
        expect.objectContaining({ line: 5, field: 'business_day' }),
        expect.objectContaining({ line: 6, field: 'type' }),
      ]),
    );
    expect(error.total).toBe(4);
    expect(await txnCount()).toBe(before);
    // The failed import is on record, with its errors and the unknown store.
    const list = await t.app.inject({ method: 'GET', url: '/api/pos/imports?status=failed', headers: { cookie: admin } });
    const failed = list.json().items[0];
    expect(failed).toMatchObject({ status: 'failed', filename: 'bad.csv', errorTotal: 4, unknownStores: ['ZZ-999'] });
  });

  it('skip-invalid mode imports the good rows and lists the bad ones', async () => {
    const csv = fs.readFileSync(path.join(FIXTURES, 'bad.csv'), 'utf8').replace(/2026-03-10/g, '2026-03-11');
    const res = await upload(csv, 'text/csv', '&skipInvalid=true');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'succeeded', rowsRead: 6, rowsInserted: 2, rowsInvalid: 4, errorTotal: 4, unknownStores: ['ZZ-999'] });
    expect(body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6]);
  });

  it('adds nothing when the same file is imported twice', async () => {
    const csv = `${HEADER}\n${Array.from({ length: 30 }, (_, i) => `SO-301,3,3301,Pat Lee,${i + 1},2026-03-12,2026-03-12T1${i % 10}:00:00,,sale,${10 + i}.00,1,cash,,,`).join('\n')}\n`;
    const first = (await upload(csv)).json();
    expect(first).toMatchObject({ status: 'succeeded', rowsInserted: 30, rowsDuplicate: 0 });
    const before = await txnCount();
    const aggBefore = await count(`select sum(txn_count)::int as n from pos_cashier_days where store_id = $1 and business_day = '2026-03-12'`, [storeIds['SO-301']]);
    const second = (await upload(csv)).json();
    expect(second).toMatchObject({ status: 'succeeded', rowsInserted: 0, rowsDuplicate: 30, sameFileAs: first.id });
    expect(await txnCount()).toBe(before);
    expect(await count(`select sum(txn_count)::int as n from pos_cashier_days where store_id = $1 and business_day = '2026-03-12'`, [storeIds['SO-301']])).toBe(aggBefore);
    // An overlapping file adds only what is new; a line repeated within the file counts once.
    const more = `${csv}SO-301,3,3301,Pat Lee,31,2026-03-12,2026-03-12T20:00:00,,sale,5.00,1,cash,,,\nSO-301,3,3301,Pat Lee,31,2026-03-12,2026-03-12T20:00:00,,sale,5.00,1,cash,,,\n`;
    expect((await upload(more)).json()).toMatchObject({ rowsInserted: 1, rowsDuplicate: 31 });
    expect(await count(`select sum(txn_count)::int as n from pos_cashier_days where store_id = $1 and business_day = '2026-03-12'`, [storeIds['SO-301']])).toBe(aggBefore + 1);
  });

  it('adds nothing when a day of training transactions only is sent again (no aggregates mark that day as held)', async () => {
    const csv = `${HEADER}\n${Array.from({ length: 5 }, (_, i) => `SO-301,9,3309,Trainee One,T${i + 1},2026-03-14,2026-03-14T10:0${i}:00,,training,${10 + i}.00,1,cash,,,`).join('\n')}\n`;
    expect((await upload(csv)).json()).toMatchObject({ status: 'succeeded', rowsInserted: 5, rowsDuplicate: 0 });
    expect((await upload(csv)).json()).toMatchObject({ status: 'succeeded', rowsInserted: 0, rowsDuplicate: 5 });
  });

  it('refuses a file that adds a day that does not exist to a day that holds data, naming the line, and imports nothing', async () => {
    const before = await txnCount();
    const csv = `${HEADER}\nSO-301,3,3301,Pat Lee,900,2026-03-12,2026-03-12T21:00:00,,sale,5.00,1,cash,,,\nSO-301,3,3301,Pat Lee,901,2026-02-30,2026-02-30T10:00:00,,sale,5.00,1,cash,,,\n`;
    const res = await upload(csv);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('invalid_rows');
    expect(error.message).toMatch(/line 3.*nothing was imported/);
    expect(error.problems).toEqual([expect.objectContaining({ line: 3, field: 'business_day' })]);
    expect(await txnCount()).toBe(before);
  });

  it('merges a large overlapping file slice by slice: only the new rows are added', async () => {
    const row = (i: number) => `SO-302,4,3402,Kim Ode,${i},2026-03-13,2026-03-13T1${i % 10}:00:00,,sale,${1 + (i % 50)}.00,1,cash,,,`;
    const old = (await upload(`${HEADER}\n${Array.from({ length: 40 }, (_, i) => row(i * 100 + 1)).join('\n')}\n`)).json();
    expect(old).toMatchObject({ status: 'succeeded', rowsInserted: 40 });
    const before = await txnCount();
    // 6,000 rows of a store-day that holds data: all staged, merged in several slices.
    const res = (await upload(`${HEADER}\n${Array.from({ length: 6000 }, (_, i) => row(i + 1)).join('\n')}\n`)).json();
    expect(res).toMatchObject({ status: 'succeeded', rowsInserted: 5960, rowsDuplicate: 40 });
    expect(await txnCount()).toBe(before + 5960);
    expect(await count(`select count(distinct txn_number)::int as n from pos_transactions where store_id = $1 and business_day = '2026-03-13' and register = '4'`, [storeIds['SO-302']])).toBe(6000);
  });

  it('reads POSLog: sale with line void and price override, return with link, no-sale; ignores vendor extensions and sign-off', async () => {
    // Video for MW-203 (America/Chicago): register 2 is covered by camera CAM-7.
    const video = await t.app.inject({
      method: 'PUT',
      url: `/api/pos/stores/${storeIds['MW-203']}/video`,
      headers: { cookie: lead },
      payload: { urlTemplate: 'https://vms.example/play?cam={camera}&t={start_iso}&e={start_epoch}&to={end_iso}', leadInSeconds: 10, leadOutSeconds: 30, registers: [{ register: '2', camera: 'CAM-7' }] },
    });
    expect(video.statusCode).toBe(200);
    const res = await upload(fs.readFileSync(path.join(FIXTURES, 'poslog.xml'), 'utf8'), 'application/xml', '&filename=poslog.xml');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'succeeded', format: 'poslog', rowsRead: 3, rowsInserted: 3 });
    const { rows } = await t.ctx.database.query<Record<string, unknown>>(
      `select txn_number, type, total_cents::int as total, item_count, line_void_count, line_void_cents::int as lvc, override_count, override_cents::int as oc,
              manual_entry_count, tender, card_entry, card_token, original_ref, cashier_code, flags, details
         from pos_transactions where store_id = $1 and business_day = '2026-03-10' order by txn_number`,
      [storeIds['MW-203']],
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ txn_number: '5001', type: 'sale', total: 5997, item_count: 2, line_void_count: 1, lvc: 1999, override_count: 1, oc: 1000, manual_entry_count: 1, tender: 'card', card_entry: 'chip', card_token: 'tok_9f2c1e', cashier_code: 'J77' });
    expect((rows[0].details as { lines: unknown[] }).lines).toHaveLength(3);
    expect(rows[1]).toMatchObject({ txn_number: '5002', type: 'return', total: -3999, original_ref: 'MW-203/2/5001/2026-03-10', tender: 'cash' });
    expect(rows[2]).toMatchObject({ txn_number: '5003', type: 'no_sale', flags: 4 });
    const [cashier] = (await t.ctx.database.query<{ name: string }>(`select name from pos_cashiers where store_id = $1 and code = 'J77'`, [storeIds['MW-203']])).rows;
    expect(cashier.name).toBe('Jane Doe');
  });

  it('gives a flagged transaction a video link at its second, in UTC from the store time zone', async () => {
    const list = await t.app.inject({ method: 'GET', url: `/api/pos/exceptions?storeId=${storeIds['MW-203']}&rule=no_sale_after_hours&from=2026-03-10&to=2026-03-11`, headers: { cookie: admin } });
    expect(list.statusCode).toBe(200);
    const [exc] = list.json().items;
    // 23:10:00 CDT (UTC-5, DST began 2026-03-08) = 04:10:00Z next day; minus a 10 s lead-in.
    const start = Date.UTC(2026, 2, 11, 4, 9, 50) / 1000;
    expect(exc.videoUrl).toBe(`https://vms.example/play?cam=CAM-7&t=2026-03-11T04:09:50Z&e=${start}&to=2026-03-11T04:10:30Z`);
    const detail = (await t.app.inject({ method: 'GET', url: `/api/pos/exceptions/${exc.id}`, headers: { cookie: admin } })).json();
    expect(detail.transaction).toMatchObject({ type: 'no_sale', localStart: '2026-03-10 23:10:00', startedAt: '2026-03-11T04:10:00.000Z', videoUrl: exc.videoUrl });
  });

  it('imports NDJSON and, with an API token, through the batch endpoint', async () => {
    const tokenRes = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: admin }, payload: { name: 'POS feed', scope: 'read_write' } });
    const token = tokenRes.json().token as string;
    const lines = [1, 2, 3].map((i) => JSON.stringify({ store: 'NE-103', register: '1', cashier_id: '3101', cashier_name: 'Kim Lo', transaction: `N${i}`, business_day: '2026-03-13', start: `2026-03-13T10:0${i}:00`, type: 'sale', total: 9.5, items: 1, tender: 'cash' }));
    const res = await t.app.inject({ method: 'POST', url: '/api/pos/batches?filename=feed.ndjson', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, payload: `${lines.join('\n')}\n` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'succeeded', source: 'api', format: 'ndjson', rowsInserted: 3 });
    const readToken = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: admin }, payload: { name: 'read only', scope: 'read' } })).json().token;
    const refused = await t.app.inject({ method: 'POST', url: '/api/pos/batches', headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/x-ndjson' }, payload: lines[0] });
    expect(refused.statusCode).toBe(403);
  });

  it('answers an upload at once and reports progress until it has finished', async () => {
    const csv = `${HEADER}\n${Array.from({ length: 200 }, (_, i) => `SO-303,1,3501,Ana Ruiz,${i + 1},2026-03-14,2026-03-14T12:00:00,,sale,3.00,1,cash,,,`).join('\n')}\n`;
    const res = await t.app.inject({ method: 'POST', url: '/api/pos/imports?filename=up.csv', headers: { cookie: admin, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(202);
    const { id } = res.json();
    let job = res.json();
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await t.app.inject({ method: 'GET', url: `/api/pos/imports/${id}`, headers: { cookie: admin } })).json();
    }
    expect(job).toMatchObject({ id, status: 'succeeded', rowsInserted: 200, bytesRead: Buffer.byteLength(csv) });
  });

  it('rejects bad input with a 4xx naming the field', async () => {
    const noType = await t.app.inject({ method: 'POST', url: '/api/pos/imports', headers: { cookie: admin, 'content-type': 'application/pdf' }, payload: 'x' });
    expect(noType.statusCode).toBe(415);
    const missing = await upload('store,register\nNE-101,1\n');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: 1, field: 'cashier_id' })]));
    const xml = await upload('<POSLog><Transaction>', 'application/xml');
    expect(xml.statusCode).toBe(400);
    const template = await t.app.inject({ method: 'PUT', url: `/api/pos/stores/${storeIds['NE-101']}/video`, headers: { cookie: admin }, payload: { urlTemplate: 'https://vms.example/?t={start_iso}', leadInSeconds: 5, leadOutSeconds: 5, registers: [] } });
    expect(template.statusCode).toBe(400);
    expect(template.json().error.problems[0].field).toBe('urlTemplate');
    const settings = await t.app.inject({ method: 'PATCH', url: '/api/pos/settings', headers: { cookie: lead }, payload: { weights: { refund_rate: -1 } } });
    expect(settings.statusCode).toBe(400);
    expect(settings.json().error.problems[0].field).toBe('weights.refund_rate');
    const [exc] = (await t.app.inject({ method: 'GET', url: '/api/pos/exceptions?limit=1', headers: { cookie: admin } })).json().items;
    const dismiss = await t.app.inject({ method: 'PATCH', url: `/api/pos/exceptions/${exc.id}`, headers: { cookie: admin }, payload: { status: 'dismissed' } });
    expect(dismiss.statusCode).toBe(400);
    expect(dismiss.json().error.problems[0].field).toBe('dismissReason');
  });
});

describe('scoring on the demo month', () => {
  it('ranks the planted cashiers at the top of the chain', async () => {
    const { rows } = await t.ctx.database.query<{ cashier_code: string; avg: number }>(
      `select cashier_code, avg(score)::float8 as avg from pos_scores where period = 'week' and period_start >= $1 group by cashier_code order by avg desc limit 3`,
      [demoStartDay()],
    );
    expect(rows.map((r) => r.cashier_code).sort()).toEqual(PLANTED.map((p) => p.code).sort());
    const res = await t.app.inject({ method: 'GET', url: '/api/pos/scores?period=week&limit=5', headers: { cookie: admin } });
    const top = res.json().items;
    expect(PLANTED.map((p) => p.code)).toContain(top[0].cashierCode);
    expect(top[0].band).toBe('high');
    expect(top[0].summary).toMatch(/vs lane cashiers peers .*σ/);
  });

  it('does not put a cashier with five transactions and one refund on top', async () => {
    const week = (await t.app.inject({ method: 'GET', url: '/api/pos/scores?period=week&limit=1', headers: { cookie: admin } })).json().items[0].periodStart as string;
    const day = week;
    const csv = `${HEADER}\n${[1, 2, 3, 4].map((i) => `NE-101,2,NEW5,New Hire,X${i},${day},${day}T10:0${i}:00,,sale,20.00,2,cash,,,`).join('\n')}\nNE-101,2,NEW5,New Hire,X5,${day},${day}T10:09:00,,return,-20.00,1,cash,,,\n`;
    expect((await upload(csv)).json()).toMatchObject({ rowsInserted: 5 });
    const scores = (await t.app.inject({ method: 'GET', url: `/api/pos/scores?period=week&periodStart=${week}&limit=200`, headers: { cookie: admin } })).json().items as Array<{ cashierCode: string; score: number; band: string }>;
    const rank = scores.findIndex((s) => s.cashierCode === 'NEW5');
    expect(rank).toBeGreaterThan(9);
    expect(scores[rank].band).toBe('low');
    const dayScores = (await t.app.inject({ method: 'GET', url: `/api/pos/scores?period=day&periodStart=${day}&storeId=${storeIds['NE-101']}&limit=200`, headers: { cookie: admin } })).json().items as Array<{ cashierCode: string; band: string }>;
    expect(dayScores[0].cashierCode).not.toBe('NEW5');
    expect(dayScores.find((s) => s.cashierCode === 'NEW5')?.band).toBe('low');
  });

  it('serves chain, store and cashier dashboards from the aggregates', async () => {
    const chain = (await t.app.inject({ method: 'GET', url: '/api/pos/dashboard', headers: { cookie: admin } })).json();
    expect(chain.byStore).toHaveLength(12);
    expect(chain.totals.transactions).toBeGreaterThan(40000);
    expect(chain.trend.length).toBeGreaterThanOrEqual(28);
    const store = (await t.app.inject({ method: 'GET', url: `/api/pos/stores/${storeIds['NE-101']}/dashboard`, headers: { cookie: admin } })).json();
    expect(store.cashiers[0]).toMatchObject({ cashierCode: '1907' });
    expect(store.distribution.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(store.cashiers.length);
    const cashier = (await t.app.inject({ method: 'GET', url: `/api/pos/cashiers/${store.cashiers[0].cashierId}`, headers: { cookie: admin } })).json();
    expect(cashier.days.length).toBeGreaterThan(20);
    expect(cashier.days[0].metrics.refund_rate).toBeGreaterThan(cashier.days[0].store.refund_rate);
    const txns = (await t.app.inject({ method: 'GET', url: `/api/pos/cashiers/${store.cashiers[0].cashierId}/transactions?type=return&limit=5`, headers: { cookie: admin } })).json();
    expect(txns.items).toHaveLength(5);
    expect(txns.nextCursor).toBeTruthy();
    const next = (await t.app.inject({ method: 'GET', url: `/api/pos/cashiers/${store.cashiers[0].cashierId}/transactions?type=return&limit=5&cursor=${txns.nextCursor}`, headers: { cookie: admin } })).json();
    expect(next.items[0].id).not.toBe(txns.items[4].id);
    expect(next.items[0].startedAt <= txns.items[4].startedAt).toBe(true);
  });

  it('keeps the store-day sums the dashboards read equal to the cashier-days and their exceptions', async () => {
    const { rows } = await t.ctx.database.query<{ store_id: string; day: string; txn: number; sales: number; refunds: number; exceptions: number; cashiers: number }>(
      `select d.store_id, d.business_day::text as day, d.txn, d.sales, d.refunds, d.cashiers, coalesce(x.n, 0)::int as exceptions
         from (select store_id, business_day, sum(txn_count)::int as txn, sum(sales_cents)::float8 as sales, sum(refund_cents)::float8 as refunds, count(*)::int as cashiers
                 from pos_cashier_days group by 1, 2) d
         left join (select t.store_id, t.business_day, count(*)::int as n from pos_exceptions e join pos_transactions t on t.id = e.transaction_id group by 1, 2) x
           on x.store_id = d.store_id and x.business_day = d.business_day
        order by 1, 2`,
    );
    const { rows: kept } = await t.ctx.database.query<typeof rows[number]>(
      `select store_id, business_day::text as day, txn_count as txn, sales_cents::float8 as sales, refund_cents::float8 as refunds, cashier_count as cashiers, exception_count as exceptions
         from pos_store_days order by 1, 2`,
    );
    expect(rows.length).toBeGreaterThan(300);
    expect(kept).toEqual(rows);
    const chain = (await t.app.inject({ method: 'GET', url: '/api/pos/dashboard', headers: { cookie: admin } })).json();
    const inRange = rows.filter((r) => r.day >= chain.from && r.day <= chain.to);
    expect(chain.trend.reduce((n: number, d: { exceptions: number }) => n + d.exceptions, 0)).toBe(inRange.reduce((n, r) => n + r.exceptions, 0));
    expect(chain.totals.transactions).toBe(inRange.reduce((n, r) => n + r.txn, 0));
  });

  it('lets a reviewer work the exception queue: assign, note, dismiss with reason, export', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/pos/exceptions?kind=cashier_period&sort=score&order=desc&limit=2', headers: { cookie: admin } })).json();
    expect(list.total).toBeGreaterThan(0);
    const exc = list.items[0];
    expect(exc.ref).toMatch(/^EXC-\d+$/);
    const [me] = (await t.ctx.database.query<{ id: string }>(`select id from people where email = $1`, ['jamal.brooks@meridian.example'])).rows;
    const assigned = await t.app.inject({ method: 'PATCH', url: `/api/pos/exceptions/${exc.id}`, headers: { cookie: admin }, payload: { assigneeId: me.id, status: 'reviewing' } });
    expect(assigned.json()).toMatchObject({ status: 'reviewing', assigneeId: me.id });
    const noted = await t.app.inject({ method: 'POST', url: `/api/pos/exceptions/${exc.id}/notes`, headers: { cookie: admin }, payload: { body: 'Pulled the video, checking receipts.' } });
    expect(noted.statusCode).toBe(201);
    expect(noted.json().notes).toHaveLength(1);
    expect(noted.json().cashierScore.explanation.length).toBeGreaterThan(0);
    const dismissed = await t.app.inject({ method: 'PATCH', url: `/api/pos/exceptions/${exc.id}`, headers: { cookie: admin }, payload: { status: 'dismissed', dismissReason: 'Store-approved returns event' } });
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', dismissReason: 'Store-approved returns event' });
    const page2 = (await t.app.inject({ method: 'GET', url: `/api/pos/exceptions?kind=cashier_period&sort=score&order=desc&limit=2&cursor=${list.nextCursor}`, headers: { cookie: admin } })).json();
    expect(page2.items[0].id).not.toBe(list.items[1].id);
    const csv = await t.app.inject({ method: 'GET', url: '/api/pos/exceptions/export?status=dismissed', headers: { cookie: admin } });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain(exc.ref);
    const audit = await t.ctx.database.query(`select action from audit_log where entity = 'pos_exception' and entity_id = $1`, [exc.id]);
    expect(audit.rows.map((r) => (r as { action: string }).action)).toEqual(expect.arrayContaining(['read', 'update']));
  });

  it('recomputes scores when an LP lead changes the weights', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/pos/scores?period=week&limit=1', headers: { cookie: admin } })).json().items[0];
    const res = await t.app.inject({ method: 'PATCH', url: '/api/pos/settings', headers: { cookie: lead }, payload: { weights: { refund_rate: 0, refund_no_receipt_rate: 0, refund_cash_rate: 0, refund_after_sale_rate: 0 } } });
    expect(res.statusCode).toBe(200);
    expect(res.json().weights.refund_rate).toBe(0);
    const after = (await t.app.inject({ method: 'GET', url: `/api/pos/scores?period=week&periodStart=${before.periodStart}&limit=50`, headers: { cookie: admin } })).json().items as Array<{ cashierCode: string; explanation: Array<{ metric: string }> }>;
    expect(after.flatMap((s) => s.explanation.map((e) => e.metric))).not.toContain('refund_rate');
  });
});
