import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { people } from '../src/server/modules/people/schema.js';
import { ACTOR_CACHE_MS } from '../src/server/platform/http-auth.js';
import { sessions } from '../src/server/platform/schema.js';
import { seededApp, signIn, type TestApp } from './context.js';

vi.setConfig({ hookTimeout: 300_000, testTimeout: 120_000 });

/**
 * The session → Actor cache (platform/http-auth.ts) must never outlive a change: sign-out, a role
 * change and deactivation take effect on the next request; a session ended behind the instance's
 * back (another instance, the database) within ACTOR_CACHE_MS.
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
afterEach(() => vi.useRealTimers());

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

  it('a session ended elsewhere (the database, another instance) stops working within the cache time', async () => {
    const email = 'priya.natarajan@meridian.example';
    const cookie = await signIn(t.app, email);
    expect((await get(cookie, '/api/me')).statusCode).toBe(200);
    await t.ctx.db.delete(sessions).where(eq(sessions.userId, await idOf(email)));
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ACTOR_CACHE_MS + 1 });
    expect((await get(cookie, '/api/me')).statusCode).toBe(401);
  });
});
