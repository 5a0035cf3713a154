import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { departments } from '../src/server/modules/people/schema.js';
import { requestTypes } from '../src/server/modules/requests/schema.js';
import { searchTerms } from '../src/server/platform/search.js';
import { ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';

// Seeding the demo workspace takes a while on a busy machine.
vi.setConfig({ hookTimeout: 300_000, testTimeout: 120_000 });

let t: TestApp;
const cookie: Record<string, string> = {};
let requestRef = '';
let requestNumber = 0;
let exceptionRef = '';

beforeAll(async () => {
  t = await seededApp();
  for (const [k, email] of Object.entries({ ...ROLE_EMAILS, jamal: 'jamal.brooks@meridian.example' })) cookie[k] = await signIn(t.app, email);
  const [it] = await t.ctx.db.select().from(departments).where(eq(departments.code, 'IT'));
  const [type] = await t.ctx.db.select().from(requestTypes).where(eq(requestTypes.departmentId, it.id)).limit(1);
  const filed = await call('jamal', '/api/requests', { title: 'Quokka camera coverage at register 5', description: 'Blind spot over the lane', toDepartmentId: it.id, typeId: type.id, priority: 'P3' });
  expect(filed.statusCode, filed.body).toBe(201);
  requestRef = filed.json().ref;
  requestNumber = filed.json().number;
  const { rows: stores } = await t.ctx.database.query<{ id: string }>(`select id from stores order by code limit 1`);
  await t.ctx.database.query(`insert into pos_cashiers (id, store_id, code, name) values (gen_random_uuid(), $1, '7781', 'Wilhelmina Quokka')`, [stores[0].id]);
  const { rows } = await t.ctx.database.query<{ number: number }>(
    `insert into pos_exceptions (kind, rule, rules, store_id, cashier_code, summary, occurred_at) values ('transaction', 'refund_no_receipt', '{refund_no_receipt}', $1, '7781', 'Quokka refund without receipt $212.40', now()) returning number`,
    [stores[0].id],
  );
  exceptionRef = `EXC-${rows[0].number}`;
});
afterAll(async () => t?.close());

function call(as: string, url: string, payload?: object) {
  return t.app.inject({ method: payload ? 'POST' : 'GET', url, headers: { cookie: cookie[as] }, ...(payload ? { payload } : {}) });
}
async function search(as: string, q: string) {
  const res = await call(as, `/api/search?q=${encodeURIComponent(q)}`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { groups: Array<{ kind: string; label: string; items: Array<{ ref: string | null; title: string; subtitle: string | null; link: string }> }> };
  return { body, raw: res.body, group: (kind: string) => body.groups.find((g) => g.kind === kind)?.items ?? [] };
}

describe('search terms', () => {
  it('makes prefix words and recognises references', () => {
    const terms = searchTerms('  Cam  reg-5 ');
    expect(terms.tsquery).toBe('cam:* & reg:* & 5:*');
    expect(searchTerms('REQ-42').ref('REQ')).toEqual({ digits: '42', exact: 42, prefixed: true });
    expect(searchTerms('req').ref('REQ')).toEqual({ digits: '', exact: null, prefixed: true });
    expect(searchTerms('REQ-').ref('REQ')).toEqual({ digits: '', exact: null, prefixed: true });
    expect(searchTerms('42').ref('IDEA')).toEqual({ digits: '42', exact: 42, prefixed: false });
    expect(searchTerms('REQ-42').ref('IDEA')).toBeUndefined();
    expect(searchTerms('%_\'"&|!').tsquery).toBeNull();
  });
});

describe('global search', () => {
  it('finds requests by reference prefix, exact reference first, and by word prefixes in the text', async () => {
    const all = await search('member', 'REQ-');
    expect(all.group('requests').length).toBeGreaterThan(0);
    expect(all.group('requests').every((r) => r.ref?.startsWith('REQ-'))).toBe(true);
    expect(all.group('requests')[0].ref).toBe(requestRef); // newest first
    const exact = await search('member', requestRef);
    expect(exact.group('requests')[0]).toMatchObject({ ref: requestRef, title: 'Quokka camera coverage at register 5', link: `/requests/${requestNumber}` });
    const words = await search('member', 'quok cover');
    expect(words.group('requests').map((r) => r.ref)).toEqual([requestRef]);
    expect(words.body.groups.map((g) => g.label)).toContain('Requests');
  });

  it('people, stores, POS exceptions and cashiers for those who may see them', async () => {
    expect((await search('member', 'rachel')).group('people').map((p) => p.title)).toContain('Rachel Okafor');
    expect((await search('member', 'NE-101')).group('stores')[0]).toMatchObject({ ref: 'NE-101' });
    // Cashier monitoring belongs to LP: an LP investigator finds the records, an IT member does not.
    const pos = await search('jamal', 'quokka');
    expect(pos.group('pos_exceptions').map((e) => e.ref)).toEqual([exceptionRef]);
    expect(pos.group('pos_cashiers').map((c) => c.title)).toEqual(['Wilhelmina Quokka']);
    expect((await search('jamal', exceptionRef)).group('pos_exceptions')[0].ref).toBe(exceptionRef);
    const outside = await search('member', 'quokka');
    expect(outside.group('pos_exceptions')).toEqual([]);
    expect(outside.group('pos_cashiers')).toEqual([]);
    expect((await search('member', exceptionRef)).group('pos_exceptions')).toEqual([]);
  });

  it('store staff find no requests, people or POS records', async () => {
    const staff = await search('staff', 'quokka');
    expect(staff.group('requests')).toEqual([]);
    expect(staff.group('pos_exceptions')).toEqual([]);
    expect(staff.group('pos_cashiers')).toEqual([]);
    expect(staff.raw).not.toContain('Wilhelmina');
    expect((await search('staff', 'REQ-')).group('requests')).toEqual([]);
    expect((await search('staff', exceptionRef)).group('pos_exceptions')).toEqual([]);
    expect((await search('staff', 'rachel')).group('people')).toEqual([]);
    // Stores are workspace data everyone sees.
    expect((await search('staff', 'NE-101')).group('stores').length).toBe(1);
  });

  it('never reveals the author of an anonymous idea', async () => {
    const res = await call('jamal', '/api/ideas', { title: 'Zanzibar lockers for high-theft razors', description: 'Locked display for razor blades.', category: 'technology', storeId: null, anonymous: true });
    expect(res.statusCode, res.body).toBe(201);
    const found = await search('staff', 'zanzibar');
    expect(found.group('ideas').map((i) => i.ref)).toEqual([res.json().ref]);
    expect(found.raw).not.toMatch(/Jamal|Brooks/);
    // Searching for the author's name does not turn up the idea.
    expect((await search('member', 'jamal')).group('ideas').map((i) => i.ref)).not.toContain(res.json().ref);
  });

  it('asks for a query', async () => {
    const res = await call('member', '/api/search?q=');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems[0].field).toBe('q');
  });
});
