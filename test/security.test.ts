import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { and, desc, eq, like } from 'drizzle-orm';
import { ROLE_EMAILS, TEST_DB, createTestApp, seededApp, signIn, type TestApp, skipQueuedMail } from './context.js';
import { mailMessages, verifications } from '../src/server/platform/schema.js';
import { people } from '../src/server/modules/people/schema.js';
import { loadConfig, ConfigError } from '../src/server/config.js';
import { resolveAuthSecret, AUTH_SECRET_FILE } from '../src/server/platform/secret.js';
import { passwordProblem } from '../src/server/platform/passwords.js';
import { DEMO_SIGN_IN } from '../src/server/modules/access/service.js';

const origin = 'http://localhost:3000';
const json = { 'content-type': 'application/json', origin };
let t: TestApp;
let admin: string;
let ip = 0;
/** A fresh client address per call, clear of the per-address limits unless a test means to hit them. */
const nextIp = () => `10.1.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;

beforeAll(async () => {
  t = await seededApp({}, { LOGIN_RATE_LIMIT: '25' });
  admin = await signIn(t.app, ROLE_EMAILS.admin);
});
afterAll(async () => t?.close());

/** All cookies a sign-in sets (session token and any cache cookie), as a browser would keep them. */
async function signInAll(email: string, password = DEMO_SIGN_IN.password) {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: nextIp(), headers: json, payload: { email, password } });
  expect(res.statusCode).toBe(200);
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).filter((c) => !c.endsWith('=')).join('; ');
}

const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });

async function personByEmail(email: string) {
  const [p] = await t.ctx.db.select().from(people).where(eq(people.email, email));
  return p!;
}

describe('1. session secret', () => {
  it('refuses a cookie signed with the old public default secret', async () => {
    const oldDefault = 'tandem-development-secret-change-me';
    const victim = await personByEmail(ROLE_EMAILS.admin);
    const now = Date.now();
    const token = 'forgedforgedforgedforgedforged12';
    const sessionToken = `${token}.${createHmac('sha256', oldDefault).update(token).digest('base64')}`;
    const user = { id: victim.id, name: victim.name, email: victim.email, emailVerified: true, image: null, createdAt: new Date(now - 1e9).toISOString(), updatedAt: new Date(now).toISOString() };
    const session = { id: '0194f3c2-0000-7000-8000-000000000001', token, userId: victim.id, expiresAt: new Date(now + 864e5).toISOString(), createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString(), ipAddress: '', userAgent: '' };
    const sessionData = { session, user, updatedAt: now, version: '1' };
    const expiresAt = now + 60_000;
    const signature = createHmac('sha256', oldDefault).update(JSON.stringify({ ...sessionData, expiresAt })).digest('base64url');
    const cache = Buffer.from(JSON.stringify({ session: sessionData, expiresAt, signature })).toString('base64url');
    const cookie = `tandem.session_token=${encodeURIComponent(sessionToken)}; tandem.session_data=${cache}`;
    const res = await me(cookie);
    expect(res.statusCode).toBe(401);
  });

  it('generates a private secret in DATA_DIR on first start and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-secret-'));
    const config = loadConfig({ DATA_DIR: dir });
    const first = resolveAuthSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(path.join(dir, AUTH_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(resolveAuthSecret(config)).toBe(first);
    expect(resolveAuthSecret(loadConfig({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-secret-')) }))).not.toBe(first);
  });

  it('with DATABASE_URL, refuses to start without an AUTH_SECRET of 32+ characters, naming it', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://localhost/tandem' });
    expect(() => resolveAuthSecret(config)).toThrow(ConfigError);
    expect(() => resolveAuthSecret(config)).toThrow(/AUTH_SECRET/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/tandem', AUTH_SECRET: 'sixteen-chars-ok' })).toThrow(/AUTH_SECRET/);
    expect(resolveAuthSecret(loadConfig({ DATABASE_URL: 'postgres://localhost/tandem', AUTH_SECRET: 'x'.repeat(32) }))).toBe('x'.repeat(32));
  });
});

describe('5. cross-site requests', () => {
  it('refuses a cross-site form POST to an import, and creates nobody', async () => {
    const csv = 'name,email,title,role,department,store\nMallory Evil,mallory@evil.example,Boss,admin,LP,HQ\n';
    const before = await t.app.inject({ method: 'GET', url: '/api/people?q=mallory', headers: { cookie: admin } });
    expect(before.json().total).toBe(0);
    for (const contentType of ['text/plain', 'text/csv', 'application/x-www-form-urlencoded']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/people/import',
        headers: { cookie: admin, 'content-type': contentType, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        payload: csv,
      });
      expect(res.statusCode).toBe(403);
    }
    // An old browser without Fetch Metadata still sends Origin.
    const noFetchMeta = await t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: admin, origin: 'https://evil.example' }, payload: { name: 'Mallory Evil', email: 'mallory@evil.example', role: 'admin' } });
    expect(noFetchMeta.statusCode).toBe(403);
    const sameSite = await t.app.inject({ method: 'DELETE', url: '/api/tokens/0194f3c2-0000-7000-8000-000000000001', headers: { cookie: admin, 'sec-fetch-site': 'same-site' } });
    expect(sameSite.statusCode).toBe(403);
    const after = await t.app.inject({ method: 'GET', url: '/api/people?q=mallory', headers: { cookie: admin } });
    expect(after.json().total).toBe(0);
  });

  it('refuses text/plain on imports even from the same origin (only text/csv)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/stores/import', headers: { cookie: admin, 'content-type': 'text/plain', origin }, payload: 'code,name\n' });
    expect(res.statusCode).toBe(415);
  });

  it('lets same-origin browser requests and Bearer tokens through', async () => {
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: admin, origin, 'sec-fetch-site': 'same-origin' }, payload: { title: 'Director of LP' } });
    expect(ok.statusCode).toBe(200);
    const token = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: admin, origin }, payload: { name: 'sync', scope: 'read_write' } })).json().token;
    const bearer = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { authorization: `Bearer ${token}`, origin: 'https://integration.example' }, payload: { title: 'Director of LP' } });
    expect(bearer.statusCode).toBe(200);
  });
});

describe('6. library routes', () => {
  it('closes better-auth routes the app does not use, update-user first', async () => {
    const viewer = await signIn(t.app, ROLE_EMAILS.viewer);
    const rename = await t.app.inject({ method: 'POST', url: '/api/auth/update-user', headers: { cookie: viewer, ...json }, payload: { name: 'Dana Whitfield' } });
    expect(rename.statusCode).toBe(404);
    for (const route of ['/api/auth/list-sessions', '/api/auth/delete-user', '/api/auth/change-email', '/api/auth/list-accounts', '/api/auth/revoke-sessions', '/api/auth/ok']) {
      const res = await t.app.inject({ method: route === '/api/auth/list-sessions' || route === '/api/auth/list-accounts' || route === '/api/auth/ok' ? 'GET' : 'POST', url: route, headers: { cookie: viewer, ...json }, payload: route.includes('list') || route.endsWith('/ok') ? undefined : {} });
      expect(res.statusCode, route).toBe(404);
    }
    expect((await personByEmail(ROLE_EMAILS.viewer)).name).toBe('Chris Donnelly');
  });

  it('renames through the profile route only, with a length limit and an audit entry', async () => {
    const viewer = await signIn(t.app, ROLE_EMAILS.viewer);
    const long = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: viewer }, payload: { name: 'x'.repeat(100_000) } });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.problems[0].field).toBe('name');
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: viewer }, payload: { name: 'Chris Donnelly-Park' } });
    expect(ok.statusCode).toBe(200);
    const audit = await t.app.inject({ method: 'GET', url: '/api/audit?entity=person&action=update&limit=5', headers: { cookie: admin } });
    expect(audit.json().items[0].summary).toMatch(/Chris Donnelly updated their profile: name/);
    await t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: viewer }, payload: { name: 'Chris Donnelly' } });
  });
});

describe('7. security headers', () => {
  it('sends CSP without inline script, frame-ancestors none, nosniff and Referrer-Policy; no HSTS on http', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/static/index.html' });
    expect(docs.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('sends HSTS when PUBLIC_URL is https', { timeout: 120_000 }, async () => {
    const https = await createTestApp({ publicUrl: 'https://tandem.example' });
    try {
      const res = await https.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await https.close();
    }
  });
});

describe('8. sessions end at once', () => {
  it('on sign-out, even when every cookie the browser had is replayed', async () => {
    const cookies = await signInAll(ROLE_EMAILS.member);
    expect((await me(cookies)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: cookies, ...json }, payload: {} });
    expect(out.statusCode).toBe(200);
    expect((await me(cookies)).statusCode).toBe(401);
  });

  it('on a password change (other sessions) and on deactivation', async () => {
    const members = await t.ctx.db.select().from(people).where(eq(people.role, 'member')).orderBy(desc(people.email)).limit(1);
    const who = members[0].email;
    const laptop = await signInAll(who);
    const phone = await signInAll(who);
    const change = await t.app.inject({ method: 'POST', url: '/api/auth/change-password', headers: { cookie: laptop, ...json }, payload: { currentPassword: DEMO_SIGN_IN.password, newPassword: 'quiet harbour lantern 42', revokeOtherSessions: true } });
    expect(change.statusCode).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);

    const staff = await signInAll(ROLE_EMAILS.staff);
    const person = await personByEmail(ROLE_EMAILS.staff);
    expect((await t.app.inject({ method: 'POST', url: `/api/people/${person.id}/deactivate`, headers: { cookie: admin, origin } })).statusCode).toBe(200);
    expect((await me(staff)).statusCode).toBe(401);
    await t.app.inject({ method: 'POST', url: `/api/people/${person.id}/reactivate`, headers: { cookie: admin, origin } });
  });
});

describe('9. signed-out CPU and body limits', () => {
  it('checks an invitation token before hashing the password', async () => {
    const authContext = await t.ctx.auth.$context;
    const hash = vi.spyOn(authContext.password, 'hash');
    const res = await t.app.inject({ method: 'POST', url: '/api/invitations/inv_bogusbogusbogusbogus/accept', remoteAddress: nextIp(), payload: { password: 'quiet harbour lantern 42' } });
    expect(res.statusCode).toBe(404);
    expect(hash).not.toHaveBeenCalled();
    hash.mockRestore();
  });

  it('rate-limits invitation accepts and reset requests per address', async () => {
    const addr = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push((await t.app.inject({ method: 'POST', url: `/api/invitations/inv_bogus${i}bogusbogusbogus/accept`, remoteAddress: addr, payload: { password: 'quiet harbour lantern 42' } })).statusCode);
    }
    expect(codes.slice(0, 10).every((c) => c === 404)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
    const resetCodes: number[] = [];
    for (let i = 0; i < 7; i++) {
      resetCodes.push((await t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', remoteAddress: addr, headers: json, payload: { email: `nobody${i}@meridian.example` } })).statusCode);
    }
    expect(resetCodes).toContain(429);
  });

  it('refuses deeply nested and oversized JSON with 400/413, never 500, also on /api/auth', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const url of ['/api/ideas', '/api/auth/sign-in/email']) {
      const started = Date.now();
      const res = await t.app.inject({ method: 'POST', url, remoteAddress: nextIp(), headers: { cookie: admin, ...json }, payload: `{"title":${deep}}` });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error?.message ?? res.json().message).toMatch(/nest/i);
      expect(Date.now() - started).toBeLessThan(500);
    }
    const big = JSON.stringify({ title: 'x', description: 'y'.repeat(2 * 1024 * 1024) });
    const res = await t.app.inject({ method: 'POST', url: '/api/ideas', headers: { cookie: admin, ...json }, payload: big });
    expect(res.statusCode).toBe(413);
    const auth = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: nextIp(), headers: json, payload: big });
    expect(auth.statusCode).toBe(413);
  });
});

describe('10. login limits per account and per address', () => {
  it("one person's wrong tries lock their account, not colleagues behind the same address", async () => {
    const store = nextIp();
    const attempt = (email: string, password: string, from = store) =>
      t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: from, headers: json, payload: { email, password } });
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await attempt(ROLE_EMAILS.lead, `wrong-guess-${i}`)).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    const locked = await attempt(ROLE_EMAILS.lead, DEMO_SIGN_IN.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().message).toMatch(/too many/i);
    // Also from another address: the limit is the account's.
    expect((await attempt(ROLE_EMAILS.lead, DEMO_SIGN_IN.password, nextIp())).statusCode).toBe(429);
    // A colleague at the same store signs in.
    expect((await attempt('ben.adeyemi@meridian.example', DEMO_SIGN_IN.password)).statusCode).toBe(200);
  });

  it('still limits many accounts tried from one address', { timeout: 120_000 }, async () => {
    const from = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < 27; i++) {
      codes.push((await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: from, headers: json, payload: { email: `spray${i}@meridian.example`, password: 'x-wrong-guess' } })).statusCode);
    }
    expect(codes.at(-1)).toBe(429);
  });
});

describe('11. reset and invitation links', () => {
  const requestReset = (email: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', remoteAddress: nextIp(), headers: json, payload: { email, redirectTo: '/reset-password' } });
  const resetWith = (token: string, newPassword: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/reset-password', remoteAddress: nextIp(), headers: json, payload: { token, newPassword } });
  async function latestToken(email: string) {
    const [m] = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.toAddress, email)).orderBy(desc(mailMessages.createdAt)).limit(1);
    return /reset-password\?token=([A-Za-z0-9_-]+)/.exec(m.text)![1];
  }

  it('an older reset token dies when a newer one is issued, and a used one is dead', async () => {
    const [lead] = await t.ctx.db.select().from(people).where(eq(people.role, 'lead')).orderBy(desc(people.email)).limit(1);
    const email = lead.email;
    await requestReset(email);
    const older = await latestToken(email);
    await requestReset(email);
    const newer = await latestToken(email);
    expect(newer).not.toBe(older);
    // A weak password is refused naming the field, and the link still works afterwards.
    const weak = await resetWith(newer, 'aaaaaaaaaa');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/^newPassword: /);
    expect((await resetWith(newer, 'amber meadow compass 77')).statusCode).toBe(200);
    expect((await resetWith(older, 'another quiet river 19')).statusCode).toBe(400);
    expect((await resetWith(newer, 'another quiet river 19')).statusCode).toBe(400);
    // The database keeps no raw reset token.
    const rows = await t.ctx.db.select().from(verifications).where(like(verifications.identifier, '%reset-password%'));
    for (const r of rows) expect(r.identifier).not.toContain(newer);
  });

  it('the outbox does not show the token of a link once the message was sent', { timeout: 180_000 }, async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _s, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          received.push(data);
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const mailApp = await seededApp({ smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}` });
    try {
      const mailAdmin = await signIn(mailApp.app, ROLE_EMAILS.admin);
      await skipQueuedMail(mailApp.ctx);
      received.length = 0;
      const dept = (await mailApp.app.inject({ method: 'GET', url: '/api/departments?limit=1', headers: { cookie: mailAdmin } })).json().items[0];
      const created = await mailApp.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: mailAdmin, origin }, payload: { name: 'Nia Brooks', email: 'nia.brooks@meridian.example', role: 'member', departmentId: dept.id } });
      expect(created.statusCode).toBe(201);
      await mailApp.ctx.mailer.deliverQueued(mailApp.ctx.db);
      const token = /\/invite\/(inv_[A-Za-z0-9_-]+)/.exec(received.join(''))![1];
      const [m] = await mailApp.ctx.db.select().from(mailMessages).where(and(eq(mailMessages.toAddress, 'nia.brooks@meridian.example'), eq(mailMessages.kind, 'invitation')));
      expect(m.status).toBe('sent');
      expect(m.text).not.toContain(token);
      expect(m.html).not.toContain(token);
      const shown = await mailApp.app.inject({ method: 'GET', url: `/api/outbox/${m.id}`, headers: { cookie: mailAdmin } });
      expect(shown.body).not.toContain(token);
      expect(shown.json().text).toMatch(/\/invite\/inv_…/);
    } finally {
      await mailApp.close();
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});

describe('12. weak passwords', () => {
  it('the estimator refuses common and guessable passwords and accepts the demo password', () => {
    for (const weak of ['aaaaaaaaaa', '1234567890', 'password123', 'qwertyuiop', 'tandemtandem']) expect(passwordProblem(weak), weak).toBeTruthy();
    expect(passwordProblem(DEMO_SIGN_IN.password)).toBeUndefined();
    expect(passwordProblem('quiet harbour lantern 42')).toBeUndefined();
  });

  it('is applied to invitation accept, reset and change, naming the field', async () => {
    const dept = (await t.app.inject({ method: 'GET', url: '/api/departments?limit=1', headers: { cookie: admin } })).json().items[0];
    const created = await t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: admin, origin }, payload: { name: 'Omar Haddad', email: 'omar.haddad@meridian.example', role: 'member', departmentId: dept.id } });
    expect(created.statusCode).toBe(201);
    const [m] = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.toAddress, 'omar.haddad@meridian.example'));
    const invite = /\/invite\/(inv_[A-Za-z0-9_-]+)/.exec(m.text)![1];
    const weakInvite = await t.app.inject({ method: 'POST', url: `/api/invitations/${invite}/accept`, remoteAddress: nextIp(), payload: { password: '1234567890' } });
    expect(weakInvite.statusCode).toBe(400);
    expect(weakInvite.json().error.problems[0].field).toBe('password');

    // Reset: see "11." (the token is checked first, so a bogus link costs no estimate).
    const reset = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', remoteAddress: nextIp(), headers: json, payload: { token: 'whatever-token', newPassword: 'aaaaaaaaaa' } });
    expect(reset.statusCode).toBe(400);
    expect(reset.json().message).toMatch(/invalid, used or expired/);

    const viewer = await signIn(t.app, ROLE_EMAILS.viewer);
    const change = await t.app.inject({ method: 'POST', url: '/api/auth/change-password', headers: { cookie: viewer, ...json }, payload: { currentPassword: DEMO_SIGN_IN.password, newPassword: 'password123' } });
    expect(change.statusCode).toBe(400);
    expect(change.json().message).toMatch(/^newPassword: /);
  });
});

describe('16. malformed input is a 400 naming the field', () => {
  it('forged and mismatched cursors', async () => {
    const forged = Buffer.from(JSON.stringify([{ d: 'not a date' }, 'not-a-uuid'])).toString('base64url');
    const wrongType = Buffer.from(JSON.stringify([12, '0194f3c2-0000-7000-8000-000000000001'])).toString('base64url');
    const page = (await t.app.inject({ method: 'GET', url: '/api/people?limit=2&sort=name', headers: { cookie: admin } })).json();
    for (const [url, cursor] of [
      ['/api/audit', forged],
      ['/api/audit', wrongType],
      ['/api/ideas', forged],
      // A cursor of one sort reused with another.
      ['/api/people?sort=createdAt', page.nextCursor],
      ['/api/people?sort=name', 'garbage!!'],
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`, headers: { cookie: admin } });
      expect(res.statusCode, `${url} ${cursor}`).toBe(400);
      expect(res.json().error.problems[0].field).toBe('cursor');
    }
  });

  it('NUL bytes and lone surrogates in text, in bodies and queries', async () => {
    for (const title of ['bad\u0000title', 'bad \ud800 title']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/ideas', headers: { cookie: admin, ...json }, payload: JSON.stringify({ title, description: 'd', category: 'process' }) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.problems[0].field).toBe('title');
    }
    const q = await t.app.inject({ method: 'GET', url: '/api/people?q=a%00b', headers: { cookie: admin } });
    expect(q.statusCode).toBe(400);
    expect(q.json().error.problems[0].field).toBe('q');
  });

  it('deeply nested NDJSON is a bad line, named, not a 500', async () => {
    const token = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: admin, origin }, payload: { name: 'feed', scope: 'read_write' } })).json().token;
    const good = JSON.stringify({ store: 'NE-103', register: '1', cashier_id: '3101', cashier_name: 'Kim Lo', transaction: 'D1', business_day: '2026-03-13', start: '2026-03-13T10:01:00', type: 'sale', total: 9.5, items: 1, tender: 'cash' });
    const deep = `{"store":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const res = await t.app.inject({ method: 'POST', url: '/api/pos/batches?filename=deep.ndjson', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, payload: `${good}
${deep}
` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: 2, message: expect.stringMatching(/nested/) })]));
  });

  it('dates out of range', async () => {
    for (const q of ['to=0000-01-01', 'from=9999-12-31T23:59:59-14:00', 'from=2026-02-30']) {
      const audit = await t.app.inject({ method: 'GET', url: `/api/audit?${q}`, headers: { cookie: admin } });
      expect(audit.statusCode, q).toBe(400);
      expect(audit.json().error.problems[0].field, q).toBe(q.split('=')[0]);
    }
    const dept = (await t.app.inject({ method: 'GET', url: '/api/departments?limit=1', headers: { cookie: admin } })).json().items[0];
    for (const dueDate of ['9999-99-99', '0000-00-00', '275760-09-14', '0000-01-01', '2026-02-30']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/requests', headers: { cookie: admin, ...json }, payload: JSON.stringify({ title: 'x', toDepartmentId: dept.id, typeId: dept.id, priority: 'p3', dueDate }) });
      expect(res.statusCode, dueDate).toBe(400);
      expect(res.json().error.problems.map((p: { field: string }) => p.field), dueDate).toContain('dueDate');
    }
  });
});

describe('17. CSV exports', () => {
  it('neutralise spreadsheet formulas', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/ideas', headers: { cookie: admin, ...json }, payload: JSON.stringify({ title: '=HYPERLINK("http://evil.example","x")', description: '@SUM(1)', category: 'process' }) });
    expect(created.statusCode).toBe(201);
    const csv = await t.app.inject({ method: 'GET', url: '/api/ideas/export', headers: { cookie: admin } });
    expect(csv.body).toContain(`'=HYPERLINK`);
    expect(csv.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const { csvCell } = await import('../src/server/platform/list.js');
    for (const bad of ['=1+1', '+1', '-1', '@A1', '\tx', '\rx']) expect(csvCell(bad)).toBe(`'${bad}`);
    expect(csvCell(-5)).toBe(-5);
    expect(csvCell('plain')).toBe('plain');
  });
});

describe('18. demo sign-in in the public config', () => {
  it('shows it on the embedded demo only while the demo admin has the demo password', { timeout: 180_000 }, async () => {
    const demoApp = await seededApp();
    try {
      const config = () => demoApp.app.inject({ method: 'GET', url: '/api/public/config' }).then((r) => r.json().demo);
      (demoApp.app as { demoSeeded: boolean }).demoSeeded = true;
      if (TEST_DB === 'postgres') {
        // Never with DATABASE_URL, whatever the data.
        expect(await config()).toBeNull();
        return;
      }
      expect(await config()).toEqual(DEMO_SIGN_IN);
      const cookie = await signIn(demoApp.app, ROLE_EMAILS.admin);
      const change = await demoApp.app.inject({ method: 'POST', url: '/api/auth/change-password', headers: { cookie, ...json }, payload: { currentPassword: DEMO_SIGN_IN.password, newPassword: 'quiet harbour lantern 42' } });
      expect(change.statusCode).toBe(200);
      expect(await config()).toBeNull();
    } finally {
      await demoApp.close();
    }
  });
});

void randomBytes;
