import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { people } from '../src/server/modules/people/schema.js';
import { sessions } from '../src/server/platform/schema.js';
import { seededApp, signIn, type TestApp } from './context.js';

vi.setConfig({ hookTimeout: 300_000, testTimeout: 120_000 });

/**
 * Session lookups (platform/http-auth.ts, session-lookup.ts) never outlive a change: sign-out, a
 * role change and deactivation take effect on the next request, whether made through this
 * instance's routes or behind its back (another instance, a job, the database).
 */
let t: TestApp;
let admin: string;
const ADMIN = 'dana.whitfield@meridian.example';
const LP_MEMBER = 'jamal.brooks@meridian.example';

beforeAll(async () => {
  t = await seededApp();
  admin = await signIn(t.app, ADMIN);
});
afterAll(async () => t?.close());

const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const idOf = async (email: string) => (await t.ctx.db.select({ id: people.id }).from(people).where(eq(people.email, email)))[0].id;

describe('session cache', () => {
  it('signing out ends the session on the next request', async () => {
    const cookie = await signIn(t.app, LP_MEMBER);
    expect((await get(cookie, '/api/me')).statusCode).toBe(200);
    expect((await get(cookie, '/api/me')).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, origin: 'http://localhost:3000', 'content-type': 'application/json' }, payload: {} });
    expect(out.statusCode).toBe(200);
    expect((await get(cookie, '/api/me')).statusCode).toBe(401);
  });

  it('a role change applies on the next request', async () => {
    const cookie = await signIn(t.app, LP_MEMBER);
    const id = await idOf(LP_MEMBER);
    expect((await get(cookie, '/api/me')).json().role).toBe('member');
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/people/${id}`, headers: { cookie: admin, origin: 'http://localhost:3000' }, payload: { role: 'viewer' } });
    expect(patch.statusCode).toBe(200);
    expect((await get(cookie, '/api/me')).json().role).toBe('viewer');
    // Viewers may not create requests: the new role decides at once.
    const create = await t.app.inject({ method: 'POST', url: '/api/requests', headers: { cookie, origin: 'http://localhost:3000' }, payload: {} });
    expect(create.statusCode).toBe(403);
    await t.app.inject({ method: 'PATCH', url: `/api/people/${id}`, headers: { cookie: admin, origin: 'http://localhost:3000' }, payload: { role: 'member' } });
  });

  it('deactivation ends the session on the next request', async () => {
    const email = 'hannah.cole@meridian.example';
    const cookie = await signIn(t.app, email);
    const id = await idOf(email);
    expect((await get(cookie, '/api/me')).statusCode).toBe(200);
    const off = await t.app.inject({ method: 'POST', url: `/api/people/${id}/deactivate`, headers: { cookie: admin, origin: 'http://localhost:3000' } });
    expect(off.statusCode).toBe(200);
    expect((await get(cookie, '/api/me')).statusCode).toBe(401);
  });

  it('a session ended elsewhere (the database, another instance, a job) stops working on the next request', async () => {
    const email = 'priya.natarajan@meridian.example';
    const cookie = await signIn(t.app, email);
    expect((await get(cookie, '/api/me')).statusCode).toBe(200);
    expect((await get(cookie, '/api/me')).statusCode).toBe(200);
    await t.ctx.db.delete(sessions).where(eq(sessions.userId, await idOf(email)));
    expect((await get(cookie, '/api/me')).statusCode).toBe(401);
  });

  it('a role, department access or deactivation changed elsewhere applies on the next request', async () => {
    const cookie = await signIn(t.app, LP_MEMBER);
    const id = await idOf(LP_MEMBER);
    expect((await get(cookie, '/api/me')).json().role).toBe('member');
    expect((await get(cookie, '/api/people?limit=1')).statusCode).toBe(200);
    // Inside a transaction, as a service or another instance would write it.
    await t.ctx.db.transaction(async (tx) => {
      await tx.update(people).set({ role: 'viewer' }).where(eq(people.id, id));
    });
    expect((await get(cookie, '/api/me')).json().role).toBe('viewer');
    await t.ctx.db.update(people).set({ role: 'member' }).where(eq(people.id, id));
    expect((await get(cookie, '/api/me')).json().role).toBe('member');
    await t.ctx.db.update(people).set({ active: false }).where(eq(people.id, id));
    expect((await get(cookie, '/api/me')).statusCode).toBe(401);
    await t.ctx.db.update(people).set({ active: true }).where(eq(people.id, id));
    expect((await get(cookie, '/api/me')).statusCode).toBe(200);
  });

  it('a forged or tampered cookie is no session', async () => {
    const cookie = await signIn(t.app, LP_MEMBER);
    const [name, value] = cookie.split('=');
    const token = decodeURIComponent(value).split('.')[0];
    expect((await get(`${name}=${token}`, '/api/me')).statusCode).toBe(401);
    expect((await get(`${name}=${encodeURIComponent(`${token}.${'A'.repeat(43)}=`)}`, '/api/me')).statusCode).toBe(401);
    expect((await get(cookie, '/api/me')).statusCode).toBe(200);
  });

  it('a session past its end is no session, and one due for its daily refresh is extended', async () => {
    const email = 'hannah.cole@meridian.example';
    const id = await idOf(email);
    await t.ctx.db.update(people).set({ active: true }).where(eq(people.id, id));
    const cookie = await signIn(t.app, email);
    const dayAgo = new Date(Date.now() + 6 * 24 * 3600_000 - 60_000);
    await t.ctx.db.update(sessions).set({ expiresAt: dayAgo }).where(eq(sessions.userId, id));
    expect((await get(cookie, '/api/me')).statusCode).toBe(200);
    const [refreshed] = await t.ctx.db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.userId, id));
    expect(refreshed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * 24 * 3600_000);
    await t.ctx.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, id));
    expect((await get(cookie, '/api/me')).statusCode).toBe(401);
  });
});
