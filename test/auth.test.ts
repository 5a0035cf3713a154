import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';
import { mailMessages } from '../src/server/platform/schema.js';

let t: TestApp;
let admin: string;
const origin = 'http://localhost:3000';
beforeAll(async () => {
  // A tight login limit so the test reaches it quickly; other suites raise it.
  t = await seededApp({ loginRateLimit: { max: 4, windowSeconds: 60 } });
  admin = await signIn(t.app, ROLE_EMAILS.admin);
});
afterAll(async () => t?.close());

const signInAttempt = (email: string, password: string, ip = '127.0.9.9') =>
  t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: ip, headers: { 'content-type': 'application/json', origin }, payload: { email, password } });

async function latestMailTo(email: string) {
  const [m] = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.toAddress, email)).orderBy(desc(mailMessages.createdAt)).limit(1);
  return m;
}

describe('sign-in', () => {
  it('answers a wrong password and an unknown email with the same generic error', async () => {
    const wrong = await signInAttempt(ROLE_EMAILS.member, 'not-the-password', '127.0.9.1');
    const unknown = await signInAttempt('nobody@meridian.example', 'not-the-password', '127.0.9.1');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe('Invalid email or password');
    expect(unknown.json().message).toBe(wrong.json().message);
  });

  it('rate-limits repeated attempts from one address with a 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await signInAttempt(ROLE_EMAILS.lead, `guess-${i}-password`, '127.0.9.2')).statusCode);
    expect(codes.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(codes.slice(4)).toEqual([429, 429]);
    // Another address is not affected.
    expect((await signInAttempt(ROLE_EMAILS.lead, 'tandem-demo-2026', '127.0.9.3')).statusCode).toBe(200);
  });

  it('sets an httpOnly SameSite session cookie, and sign-out ends the session', async () => {
    const res = await signInAttempt(ROLE_EMAILS.viewer, 'tandem-demo-2026', '127.0.9.4');
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tandem.session_token='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const header = cookie.split(';')[0];
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: header } })).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: header, origin, 'content-type': 'application/json' }, payload: {} });
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: header } })).statusCode).toBe(401);
  });
});

describe('invitations', () => {
  it('lets an invited person set a password once, then sign in', async () => {
    const dept = (await t.app.inject({ method: 'GET', url: '/api/departments?q=INFOSEC', headers: { cookie: admin } })).json().items[0];
    const created = await t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: admin }, payload: { name: 'Ivy Lam', email: 'ivy.lam@meridian.example', role: 'member', departmentId: dept.id } });
    expect(created.statusCode).toBe(201);
    const mail = await latestMailTo('ivy.lam@meridian.example');
    const token = /\/invite\/(inv_[A-Za-z0-9_-]+)/.exec(mail.text)![1];

    const info = await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` });
    expect(info.json()).toMatchObject({ name: 'Ivy Lam', email: 'ivy.lam@meridian.example' });
    const short = await t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: { password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.problems[0].field).toBe('password');

    const accepted = await t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: { password: 'a-long-enough-password' } });
    expect(accepted.statusCode).toBe(204);
    const cookie = await signIn(t.app, 'ivy.lam@meridian.example', 'a-long-enough-password');
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).json().email).toBe('ivy.lam@meridian.example');

    const again = await t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: { password: 'another-long-password' } });
    expect(again.statusCode).toBe(404);
    const person = (await t.app.inject({ method: 'GET', url: `/api/people/${created.json().id}`, headers: { cookie: admin } })).json();
    expect(person.status).toBe('active');
  });

  it('refuses an unknown invitation token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/invitations/inv_doesnotexist0000' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('invitation_invalid');
  });
});

describe('password reset', () => {
  it('mails a reset link; the new password works and the old one no longer does', async () => {
    const email = 'ben.adeyemi@meridian.example';
    const req = await t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', headers: { origin, 'content-type': 'application/json' }, payload: { email, redirectTo: '/reset-password' } });
    expect(req.statusCode).toBe(200);
    const mail = await latestMailTo(email);
    expect(mail.kind).toBe('password_reset');
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const reset = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', headers: { origin, 'content-type': 'application/json' }, payload: { token, newPassword: 'brand-new-password-1' } });
    expect(reset.statusCode).toBe(200);
    await expect(signIn(t.app, email)).rejects.toThrow(/401/);
    expect(await signIn(t.app, email, 'brand-new-password-1')).toMatch(/tandem.session_token=/);
  });

  it('says nothing about whether an address exists', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', headers: { origin, 'content-type': 'application/json' }, payload: { email: 'nobody@meridian.example', redirectTo: '/reset-password' } });
    expect(res.statusCode).toBe(200);
    expect(await latestMailTo('nobody@meridian.example')).toBeUndefined();
  });
});

describe('API tokens', () => {
  it('authenticates with Bearer; a read token cannot write; a revoked token stops working', async () => {
    const read = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: admin }, payload: { name: 'BI export', scope: 'read' } })).json();
    const write = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: admin }, payload: { name: 'HR sync', scope: 'read_write', expiresInDays: 30 } })).json();
    expect(read.token).toMatch(/^tdm_/);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    expect((await t.app.inject({ method: 'GET', url: '/api/people?limit=1', headers: bearer(read.token) })).statusCode).toBe(200);
    const storePayload = { code: 'SO-399', name: 'Test', region: 'South', district: 'Alabama', timezone: 'America/Chicago', uplinkMbps: 50 };
    expect((await t.app.inject({ method: 'POST', url: '/api/stores', headers: bearer(read.token), payload: storePayload })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/stores', headers: bearer(write.token), payload: storePayload })).statusCode).toBe(201);
    // Tokens cannot mint tokens.
    expect((await t.app.inject({ method: 'POST', url: '/api/tokens', headers: bearer(write.token), payload: { name: 'x', scope: 'read' } })).statusCode).toBe(403);

    const list = (await t.app.inject({ method: 'GET', url: '/api/tokens', headers: { cookie: admin } })).json();
    expect(list.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['BI export', 'HR sync']));
    expect(JSON.stringify(list)).not.toContain(read.token);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${read.id}`, headers: { cookie: admin } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/people?limit=1', headers: bearer(read.token) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/people?limit=1', headers: bearer('tdm_forged') })).statusCode).toBe(401);
  });

  it('gives a viewer read tokens only', async () => {
    const viewer = await signIn(t.app, ROLE_EMAILS.viewer);
    expect((await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: viewer }, payload: { name: 'dash', scope: 'read_write' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: viewer }, payload: { name: 'dash', scope: 'read' } })).statusCode).toBe(201);
  });
});
