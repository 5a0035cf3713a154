import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { stores } from '../src/server/platform/schema.js';
import { moduleAccess, storeScopeSql } from '../src/server/platform/scope.js';
import { can } from '../src/server/platform/policy.js';
import { actorFor, seededApp, signIn, type TestApp } from './context.js';

/**
 * Scope (policy v2): department module access and store scope, on the demo with its POS month.
 * The authorization table (test/authorization.test.ts) covers who reaches each route; this file
 * covers what they see there: another store's record is 404, lists and counts hold one's stores.
 */
const IT_MEMBER = 'rachel.okafor@meridian.example';
const IT_LEAD = 'marcus.chen@meridian.example';
const STORE_LP = 'ricky.navarro@meridian.example'; // LP associate of NE-101
const STORE_MANAGER = 'gary.lutz@meridian.example'; // Store Operations lead of NE-101
const LP_MEMBER = 'jamal.brooks@meridian.example';
const ADMIN = 'dana.whitfield@meridian.example';

let t: TestApp;
const cookie: Record<string, string> = {};
let storeIds: Record<string, string> = {};
let otherStoreException: { id: string; cashierId: string | null; transactionId: string | null };

const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookie[who] } });

beforeAll(async () => {
  t = await seededApp({}, {}, { pos: true });
  for (const email of [IT_MEMBER, IT_LEAD, STORE_LP, STORE_MANAGER, LP_MEMBER, ADMIN]) cookie[email] = await signIn(t.app, email);
  const { rows } = await t.ctx.database.query<{ id: string; code: string }>('select id, code from stores');
  storeIds = Object.fromEntries(rows.map((r) => [r.code, r.id]));
  const other = (await get(ADMIN, `/api/pos/exceptions?storeId=${storeIds['MW-201']}&kind=transaction&limit=1`)).json().items[0];
  otherStoreException = { id: other.id, cashierId: other.cashierId, transactionId: other.transactionId };
}, 600_000);
afterAll(async () => t?.close());

describe('module access by department', () => {
  it('resolves defaults onto the actor: LP works in POS, IT has none, everyone reads ideas', async () => {
    const it = await actorFor(t.ctx, IT_MEMBER);
    const lp = await actorFor(t.ctx, LP_MEMBER);
    expect(it.department?.code).toBe('IT');
    expect(moduleAccess(it, 'pos')).toBe('none');
    expect(moduleAccess(it, 'cases')).toBe('none');
    expect(moduleAccess(it, 'requests')).toBe('work');
    expect(moduleAccess(lp, 'pos')).toBe('work');
    expect(can(lp, 'pos:review')).toBe(true);
    expect(can(it, 'pos:read')).toBe(false);
    expect(lp.storeIds).toBeNull();
    const store = await actorFor(t.ctx, STORE_LP);
    expect(store.storeIds).toEqual([storeIds['NE-101']]);
    // Store-attached people do not tune the chain's scoring nor import files that mix every store.
    expect(can(store, 'pos:review')).toBe(true);
    expect(can(store, 'pos:import')).toBe(false);
  });

  it('an IT member cannot see or change POS exceptions: list, detail, export, dashboard, home', async () => {
    expect((await get(IT_MEMBER, '/api/pos/exceptions')).statusCode).toBe(403);
    expect((await get(IT_MEMBER, `/api/pos/exceptions/${otherStoreException.id}`)).statusCode).toBe(403);
    expect((await get(IT_MEMBER, '/api/pos/exceptions/export')).statusCode).toBe(403);
    expect((await get(IT_MEMBER, '/api/pos/dashboard')).statusCode).toBe(403);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/pos/exceptions/${otherStoreException.id}`, headers: { cookie: cookie[IT_MEMBER] }, payload: { status: 'dismissed', dismissReason: 'x' } });
    expect(patch.statusCode).toBe(403);
    const home = (await get(IT_MEMBER, '/api/home')).json();
    expect(JSON.stringify(home.figures) + JSON.stringify(home.actions) + JSON.stringify(home.lists)).not.toMatch(/\/pos/);
    expect(home.recent.every((r: { summary: string }) => !/EXC-|cashier-monitoring/i.test(r.summary))).toBe(true);
    const me = (await get(IT_MEMBER, '/api/me')).json();
    expect(me.modules.pos).toBe('none');
    expect(me.permissions).not.toContain('pos:read');
  });

  it('an admin grants IT read access to POS; IT then reads but still cannot change; reset restores the default', async () => {
    const it = await actorFor(t.ctx, IT_MEMBER);
    const set = (access: string | null) => t.app.inject({ method: 'PATCH', url: '/api/module-access', headers: { cookie: cookie[ADMIN] }, payload: { departmentId: it.departmentId, module: 'pos', access } });
    const granted = await set('read');
    expect(granted.statusCode).toBe(200);
    expect(granted.json().find((d: { code: string }) => d.code === 'IT').modules.find((m: { module: string }) => m.module === 'pos')).toMatchObject({ access: 'read', custom: true, defaultAccess: 'none' });
    expect((await get(IT_MEMBER, '/api/pos/exceptions')).statusCode).toBe(200);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/pos/exceptions/${otherStoreException.id}`, headers: { cookie: cookie[IT_MEMBER] }, payload: { status: 'watch' } });
    expect(patch.statusCode).toBe(403);
    expect((await set(null)).statusCode).toBe(200);
    expect((await get(IT_MEMBER, '/api/pos/exceptions')).statusCode).toBe(403);
    // Ideas are open to everyone: an admin cannot take them away.
    const ideas = await t.app.inject({ method: 'PATCH', url: '/api/module-access', headers: { cookie: cookie[ADMIN] }, payload: { departmentId: it.departmentId, module: 'ideas', access: 'none' } });
    expect(ideas.statusCode).toBe(400);
    expect(ideas.json().error.problems[0].field).toBe('access');
    const audit = await t.ctx.database.query(`select summary from audit_log where entity = 'module_access' order by at`);
    expect(audit.rows.length).toBe(2);
  });

  it('only admins and chain-wide LP leads change the scoring: not an IT lead', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/pos/settings', headers: { cookie: cookie[IT_LEAD] }, payload: { watchThreshold: 50 } });
    expect(res.statusCode).toBe(403);
    const store = await t.app.inject({ method: 'PATCH', url: '/api/pos/settings', headers: { cookie: cookie[STORE_LP] }, payload: { watchThreshold: 50 } });
    expect(store.statusCode).toBe(403);
  });
});

describe('store scope', () => {
  it('storeScopeSql limits a Drizzle query to the person’s stores and is true for HQ', async () => {
    const store = await actorFor(t.ctx, STORE_LP);
    const hq = await actorFor(t.ctx, LP_MEMBER);
    const count = async (a: typeof store) => Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(stores).where(storeScopeSql(a, stores.id)))[0].n);
    expect(await count(store)).toBe(1);
    expect(await count(hq)).toBe(12);
  });

  it('a store LP associate sees only their store’s exceptions, in lists, counts, exports and dashboards', async () => {
    const all = (await get(ADMIN, '/api/pos/exceptions?limit=1')).json().total;
    const ne101 = (await get(ADMIN, `/api/pos/exceptions?limit=1&storeId=${storeIds['NE-101']}`)).json().total;
    expect(ne101).toBeGreaterThan(0);
    expect(all).toBeGreaterThan(ne101);
    const list = (await get(STORE_LP, '/api/pos/exceptions?limit=200')).json();
    expect(list.total).toBe(ne101);
    expect(list.items.every((e: { storeCode: string }) => e.storeCode === 'NE-101')).toBe(true);
    // Asking for another store by filter gives nothing, not that store.
    expect((await get(STORE_LP, `/api/pos/exceptions?storeId=${storeIds['MW-201']}`)).json().total).toBe(0);
    const csv = (await get(STORE_LP, '/api/pos/exceptions/export')).body.trim().split('\n').slice(1);
    expect(csv.length).toBe(ne101);
    expect(csv.every((line) => line.includes(',NE-101,'))).toBe(true);
    const dash = (await get(STORE_LP, '/api/pos/dashboard')).json();
    expect(dash.byStore.map((s: { storeCode: string }) => s.storeCode)).toEqual(['NE-101']);
    const scores = (await get(STORE_LP, '/api/pos/scores?period=week&limit=100')).json();
    expect(scores.items.length).toBeGreaterThan(0);
    expect(scores.items.every((s: { storeCode: string }) => s.storeCode === 'NE-101')).toBe(true);
    const home = (await get(STORE_LP, '/api/home')).json();
    const open = home.figures.find((f: { label: string }) => f.label === 'Open exceptions');
    expect(open.window).toBe('now');
    expect(open.value).toBe((await get(STORE_LP, '/api/pos/exceptions?open=true&limit=1')).json().total);
  });

  it('another store’s records answer 404 to a store LP associate: exception, cashier, transaction, store dashboard, video', async () => {
    expect((await get(STORE_LP, `/api/pos/exceptions/${otherStoreException.id}`)).statusCode).toBe(404);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/pos/exceptions/${otherStoreException.id}`, headers: { cookie: cookie[STORE_LP] }, payload: { status: 'watch' } });
    expect(patch.statusCode).toBe(404);
    if (otherStoreException.cashierId) {
      expect((await get(STORE_LP, `/api/pos/cashiers/${otherStoreException.cashierId}`)).statusCode).toBe(404);
      expect((await get(STORE_LP, `/api/pos/cashiers/${otherStoreException.cashierId}/transactions`)).statusCode).toBe(404);
    }
    if (otherStoreException.transactionId) expect((await get(STORE_LP, `/api/pos/transactions/${otherStoreException.transactionId}`)).statusCode).toBe(404);
    expect((await get(STORE_LP, `/api/pos/stores/${storeIds['MW-201']}/dashboard`)).statusCode).toBe(404);
    expect((await get(STORE_LP, `/api/pos/stores/${storeIds['MW-201']}/cashiers`)).statusCode).toBe(404);
    expect((await get(STORE_LP, `/api/pos/stores/${storeIds['MW-201']}/video`)).statusCode).toBe(404);
    // Their own store answers.
    expect((await get(STORE_LP, `/api/pos/stores/${storeIds['NE-101']}/dashboard`)).statusCode).toBe(200);
    // Chain-wide POS files are not theirs to see.
    expect((await get(STORE_LP, '/api/pos/imports')).json().total).toBe(0);
  });

  it('the overview and the queue count the same open exceptions', async () => {
    const dash = (await get(ADMIN, '/api/pos/dashboard')).json();
    const queue = (await get(ADMIN, '/api/pos/exceptions?open=true&limit=1')).json();
    expect(dash.totals.openExceptions).toBe(queue.total);
  });

  it('a store manager sees their store’s requests and their own, not other stores’', async () => {
    const mgr = await actorFor(t.ctx, STORE_MANAGER);
    const list = (await get(STORE_MANAGER, '/api/requests?limit=200')).json();
    for (const r of list.items as Array<{ storeId: string | null; requesterId: string; assigneeId: string | null }>) {
      expect(r.storeId === storeIds['NE-101'] || r.requesterId === mgr.id || r.assigneeId === mgr.id).toBe(true);
    }
    const { rows } = await t.ctx.database.query<{ number: number }>(`select number from requests where store_id = $1 and requester_id <> $2 and (assignee_id is null or assignee_id <> $2) limit 1`, [storeIds['MW-201'], mgr.id]);
    if (rows[0]) expect((await get(STORE_MANAGER, `/api/requests/REQ-${rows[0].number}`)).statusCode).toBe(404);
    const all = (await get(ADMIN, '/api/requests?limit=1')).json().total;
    expect(list.total).toBeLessThan(all);
  });
});

describe('district and regional people', () => {
  const patchPerson = (id: string, body: object) => t.app.inject({ method: 'PATCH', url: `/api/people/${id}`, headers: { cookie: cookie[ADMIN] }, payload: body });

  it('a regional LP manager sees every store of the region, and only those, in lists and counts; a district manager theirs', async () => {
    const lp = await actorFor(t.ctx, LP_MEMBER);
    const { rows: [one] } = await t.ctx.database.query<{ district: string; n: number }>('select district, count(*)::int as n from stores group by district order by district limit 1');
    expect((await patchPerson(lp.id, { district: one.district })).json()).toMatchObject({ district: one.district, region: null, storeId: null });
    expect((await actorFor(t.ctx, LP_MEMBER)).storeIds).toHaveLength(one.n);
    const { rows } = await t.ctx.database.query<{ region: string; n: number }>('select region, count(*)::int as n from stores group by region order by n desc, region limit 1');
    const { region, n } = rows[0];
    expect(n).toBeGreaterThan(1);
    const res = await patchPerson(lp.id, { region });
    expect(res.statusCode).toBe(200);
    // Naming the region clears the district: one place at a time.
    expect(res.json()).toMatchObject({ region, district: null, storeId: null });
    const manager = await actorFor(t.ctx, LP_MEMBER);
    expect(manager.storeIds).toHaveLength(n);
    const count = Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(stores).where(storeScopeSql(manager, stores.id)))[0].n);
    expect(count).toBe(n);
    // The POS queue holds the district's stores only; a store outside it answers nothing.
    const districtStores = new Set((await t.ctx.database.query<{ code: string }>('select code from stores where region = $1', [region])).rows.map((r) => r.code));
    const list = (await get(LP_MEMBER, '/api/pos/exceptions?limit=200')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((e: { storeCode: string }) => districtStores.has(e.storeCode))).toBe(true);
    const outside = Object.keys(storeIds).find((code) => !districtStores.has(code))!;
    expect((await get(LP_MEMBER, `/api/pos/exceptions?storeId=${storeIds[outside]}&limit=1`)).json().total).toBe(0);
    // Back to headquarters: the chain again.
    expect((await patchPerson(lp.id, { region: null })).statusCode).toBe(200);
    expect((await actorFor(t.ctx, LP_MEMBER)).storeIds).toBeNull();
  });

  it('a person works in one store, district or region: naming two is refused by field; an unknown district too', async () => {
    const lp = await actorFor(t.ctx, LP_MEMBER);
    const both = await patchPerson(lp.id, { storeId: storeIds['NE-101'], region: 'Northeast' });
    expect(both.statusCode).toBe(400);
    expect(JSON.stringify(both.json())).toContain('one store, one district or one region');
    const unknown = await patchPerson(lp.id, { district: 'Atlantis' });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json())).toContain('district');
  });

  it('editing a store person’s title keeps their store (a patch changes only what it names)', async () => {
    const ricky = await actorFor(t.ctx, STORE_LP);
    expect((await patchPerson(ricky.id, { title: 'Senior LP associate' })).json()).toMatchObject({ title: 'Senior LP associate', storeId: storeIds['NE-101'] });
    expect((await actorFor(t.ctx, STORE_LP)).storeIds).toEqual([storeIds['NE-101']]);
  });
});

