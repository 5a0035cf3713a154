import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seededApp, signIn, type TestApp } from './context.js';

vi.setConfig({ hookTimeout: 300_000, testTimeout: 120_000 });

let t: TestApp;
let lead: string;
let member: string;

beforeAll(async () => {
  t = await seededApp();
  lead = await signIn(t.app, 'priya.natarajan@meridian.example');
  member = await signIn(t.app, 'jamal.brooks@meridian.example');
});
afterAll(async () => t?.close());

const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

describe('saved list views', () => {
  it('keeps a person’s named views of a list, without the page cursor', async () => {
    const created = await call(lead, 'POST', '/api/views', { listKey: 'requests', name: 'My overdue', search: { status: 'open', overdue: 'true', sort: 'priority', order: 'asc', cursor: 'abc' } });
    expect(created.statusCode).toBe(200);
    expect(created.json().search).toEqual({ status: 'open', overdue: 'true', sort: 'priority', order: 'asc' });
    const list = await call(lead, 'GET', '/api/views?list=requests');
    expect(list.json().items.map((v: { name: string }) => v.name)).toEqual(['My overdue']);
    // Another list's views are apart.
    expect((await call(lead, 'GET', '/api/views?list=people')).json().items).toEqual([]);
  });

  it('refuses a second view of the same name on one list, naming the field', async () => {
    const res = await call(lead, 'POST', '/api/views', { listKey: 'requests', name: 'my OVERDUE', search: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.problems[0].field).toBe('name');
    const bad = await call(lead, 'POST', '/api/views', { listKey: 'requests', name: '  ', search: {} });
    expect(bad.statusCode).toBe(400);
  });

  it('renames, sets one default per list and deletes', async () => {
    const a = (await call(lead, 'POST', '/api/views', { listKey: 'ideas', name: 'Store ideas', search: { state: 'submitted' }, isDefault: true })).json();
    const b = (await call(lead, 'POST', '/api/views', { listKey: 'ideas', name: 'Mine', search: { mine: 'true' } })).json();
    expect(a.isDefault).toBe(true);
    const renamed = await call(lead, 'PATCH', `/api/views/${b.id}`, { name: 'Mine only', isDefault: true });
    expect(renamed.json()).toMatchObject({ name: 'Mine only', isDefault: true });
    const items = (await call(lead, 'GET', '/api/views?list=ideas')).json().items as Array<{ id: string; isDefault: boolean }>;
    expect(items.filter((v) => v.isDefault).map((v) => v.id)).toEqual([b.id]);
    expect((await call(lead, 'DELETE', `/api/views/${a.id}`)).statusCode).toBe(200);
    expect(((await call(lead, 'GET', '/api/views?list=ideas')).json().items as unknown[]).length).toBe(1);
  });

  it('never shows or lets anyone change another person’s views', async () => {
    const own = (await call(lead, 'GET', '/api/views?list=requests')).json().items[0] as { id: string };
    expect((await call(member, 'GET', '/api/views?list=requests')).json().items).toEqual([]);
    expect((await call(member, 'PATCH', `/api/views/${own.id}`, { name: 'Taken' })).statusCode).toBe(404);
    expect((await call(member, 'DELETE', `/api/views/${own.id}`)).statusCode).toBe(404);
    // The same name is free for someone else.
    expect((await call(member, 'POST', '/api/views', { listKey: 'requests', name: 'My overdue', search: {} })).statusCode).toBe(200);
    expect((await call(lead, 'GET', '/api/views?list=requests')).json().items[0]).toMatchObject({ id: own.id, name: 'My overdue' });
  });
});
