import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { mailMessages } from '../src/server/platform/schema.js';
import { notificationDeliveries, notifications, notificationWebhooks } from '../src/server/platform/notifications-schema.js';
import { createNotifier } from '../src/server/platform/notifications.js';
import { departments, people } from '../src/server/modules/people/schema.js';
import { requestTypes } from '../src/server/modules/requests/schema.js';
import { actorFor, ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';

/** A local chat endpoint: records every POST; answers with the next queued status (200 when none). */
class Receiver {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.hits.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(body || 'null') as Record<string, unknown>, raw: body });
      const status = this.statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'nope');
    });
  });
  hits: Array<{ path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown>; raw: string }> = [];
  statuses: number[] = [];
  url = '';
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// Seeding the demo workspace takes a while on a busy machine.
vi.setConfig({ hookTimeout: 300_000, testTimeout: 120_000 });

let t: TestApp;
const receiver = new Receiver();
const cookie: Record<string, string> = {};
const id: Record<string, string> = {};
const EMAILS = { jamal: 'jamal.brooks@meridian.example', rachel: ROLE_EMAILS.member, marcus: ROLE_EMAILS.lead, dana: ROLE_EMAILS.admin, lily: ROLE_EMAILS.staff, ethan: 'ethan.kowalski@meridian.example' };
const dept: Record<string, string> = {};

beforeAll(async () => {
  t = await seededApp();
  await receiver.start();
  for (const [k, email] of Object.entries(EMAILS)) {
    cookie[k] = await signIn(t.app, email);
    id[k] = (await t.ctx.db.select({ id: people.id }).from(people).where(eq(people.email, email)))[0].id;
  }
  for (const d of await t.ctx.db.select().from(departments)) dept[d.code] = d.id;
});
afterAll(async () => {
  await receiver.stop();
  await t?.close();
});
beforeEach(async () => {
  receiver.hits = [];
  receiver.statuses = [];
  // Every test starts with no chat posts waiting.
  await t.ctx.db.delete(notificationDeliveries);
});

const call = (as: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie: cookie[as] }, ...(payload ? { payload } : {}) });

const count = async (table: typeof notifications | typeof mailMessages | typeof notificationDeliveries) => Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n);

async function setPersonWebhook(as: string, format: 'slack' | 'teams', path: string, signingSecret?: string) {
  const res = await call(as, 'PUT', '/api/notifications/webhooks', { scope: 'person', format, url: `${receiver.url}${path}`, ...(signingSecret ? { signingSecret } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const sample = (recipients: Array<string | null | undefined>, extra: object = {}) => ({
  recipients,
  kind: 'request_status' as const,
  title: 'REQ-900 accepted: Video export for NE-101',
  body: 'Rachel Okafor accepted the request.',
  link: '/requests/900',
  recordRef: 'REQ-900',
  ...extra,
});

describe('notify', () => {
  it('writes nothing when the caller’s transaction rolls back', async () => {
    await setPersonWebhook('jamal', 'slack', '/rollback');
    const before = { n: await count(notifications), m: await count(mailMessages), d: await count(notificationDeliveries) };
    await expect(
      t.ctx.db.transaction(async (tx) => {
        const r = await t.ctx.notifier.notify(tx, sample([id.jamal]));
        expect(r).toEqual({ notified: 1, posts: 1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect({ n: await count(notifications), m: await count(mailMessages), d: await count(notificationDeliveries) }).toEqual(before);
    expect(await t.ctx.notifier.deliver()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(receiver.hits).toHaveLength(0);
  });

  it('skips the actor and deactivated people, and writes bell + mail in the same transaction', async () => {
    const [ghost] = await t.ctx.db.select({ id: people.id }).from(people).where(eq(people.active, false)).limit(1);
    const beforeMail = await count(mailMessages);
    const r = await t.ctx.db.transaction((tx) => t.ctx.notifier.notify(tx, sample([id.rachel, id.rachel, id.ethan, ghost?.id, null], { actorId: id.ethan })));
    expect(r.notified).toBe(1);
    expect(await count(mailMessages)).toBe(beforeMail + 1);
    const [mail] = await t.ctx.db.select().from(mailMessages).where(and(eq(mailMessages.toAddress, EMAILS.rachel), eq(mailMessages.kind, 'request_status')));
    expect(mail.subject).toBe('REQ-900 accepted: Video export for NE-101');
    expect(mail.text).toContain('http://localhost:3000/requests/900');
  });

  it('a chat post is claimed once by two workers running at the same time', async () => {
    await setPersonWebhook('marcus', 'slack', '/twice');
    await t.ctx.db.transaction(async (tx) => {
      for (let i = 0; i < 6; i++) await t.ctx.notifier.notify(tx, sample([id.marcus], { title: `Post ${i}` }));
    });
    const second = createNotifier({ database: t.ctx.database, mailer: t.ctx.mailer, publicUrl: 'http://localhost:3000' });
    const [a, b] = await Promise.all([t.ctx.notifier.deliver({ limit: 4 }), second.deliver({ limit: 4 })]);
    const [c, d] = await Promise.all([t.ctx.notifier.deliver(), second.deliver()]);
    expect(a.sent + b.sent + c.sent + d.sent).toBe(6);
    const titles = receiver.hits.map((h) => (h.body.text as string).split('\n')[0]).sort();
    expect(titles).toEqual(['Post 0', 'Post 1', 'Post 2', 'Post 3', 'Post 4', 'Post 5']);
    const rows = await t.ctx.db.select().from(notificationDeliveries);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('posts the Slack shape, signed with HMAC-SHA256 when a secret is set', async () => {
    const secret = 'a-long-signing-secret-for-tests';
    await setPersonWebhook('rachel', 'slack', '/slack', secret);
    await t.ctx.db.transaction((tx) => t.ctx.notifier.notify(tx, sample([id.rachel])));
    expect((await t.ctx.notifier.deliver()).sent).toBe(1);
    const [hit] = receiver.hits;
    expect(hit.path).toBe('/slack');
    expect(hit.body.text).toBe('REQ-900 accepted: Video export for NE-101\nRachel Okafor accepted the request.');
    const blocks = hit.body.blocks as Array<Record<string, any>>;
    expect(blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*<http://localhost:3000/requests/900|REQ-900 accepted: Video export for NE-101>*\nRachel Okafor accepted the request.' } });
    expect(blocks[1].type).toBe('context');
    expect(blocks[2].elements[0]).toMatchObject({ type: 'button', url: 'http://localhost:3000/requests/900' });
    const sig = String(hit.headers['x-tandem-signature']);
    const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig)!;
    expect(v1).toBe(createHmac('sha256', secret).update(`${ts}.${hit.raw}`).digest('hex'));
  });

  it('posts the Teams MessageCard shape to a department channel, once per notify', async () => {
    const res = await call('dana', 'PUT', '/api/notifications/webhooks', { scope: 'department', departmentId: dept.IT, format: 'teams', url: `${receiver.url}/teams/it-channel` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ scope: 'department', departmentName: 'Information Technology', format: 'teams', signed: false });
    expect(res.json().maskedUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…nnel$/);
    expect(JSON.stringify((await call('dana', 'GET', '/api/notifications/webhooks')).json())).not.toContain('it-channel');
    await t.ctx.db.transaction((tx) => t.ctx.notifier.notify(tx, sample([], { departmentIds: [dept.IT, dept.IT] })));
    expect((await t.ctx.notifier.deliver()).sent).toBe(1);
    expect(receiver.hits).toHaveLength(1);
    expect(receiver.hits[0].body).toEqual({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: 'REQ-900 accepted: Video export for NE-101',
      themeColor: '1C7ED6',
      title: 'REQ-900 accepted: Video export for NE-101',
      text: 'Rachel Okafor accepted the request.',
      sections: [{ facts: [{ name: 'Record', value: 'REQ-900' }] }],
      potentialAction: [{ '@type': 'OpenUri', name: 'Open REQ-900', targets: [{ os: 'default', uri: 'http://localhost:3000/requests/900' }] }],
    });
    await t.ctx.db.delete(notificationWebhooks).where(eq(notificationWebhooks.departmentId, dept.IT));
  });

  it('retries after a 500 with backoff, then delivers; gives up after the last attempt', async () => {
    await setPersonWebhook('ethan', 'slack', '/flaky');
    receiver.statuses = [500];
    await t.ctx.db.transaction((tx) => t.ctx.notifier.notify(tx, sample([id.ethan])));
    const now = new Date();
    expect(await t.ctx.notifier.deliver({ now })).toEqual({ sent: 0, retried: 1, failed: 0 });
    const [row] = await t.ctx.db.select().from(notificationDeliveries);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500, lastError: 'HTTP 500' });
    expect(row.nextAttemptAt.getTime() - now.getTime()).toBe(30_000);
    // Not yet due: nothing is sent again.
    expect(await t.ctx.notifier.deliver({ now: new Date(now.getTime() + 10_000) })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await t.ctx.notifier.deliver({ now: new Date(now.getTime() + 31_000) })).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(receiver.hits).toHaveLength(2);

    receiver.statuses = Array(10).fill(500);
    await t.ctx.db.delete(notificationDeliveries);
    await t.ctx.db.transaction((tx) => t.ctx.notifier.notify(tx, sample([id.ethan])));
    let at = now.getTime();
    const totals = { sent: 0, retried: 0, failed: 0 };
    for (let i = 0; i < 8; i++) {
      const r = await t.ctx.notifier.deliver({ now: new Date(at) });
      totals.sent += r.sent;
      totals.retried += r.retried;
      totals.failed += r.failed;
      at += 3_600_000;
    }
    expect(totals).toEqual({ sent: 0, retried: 5, failed: 1 });
  });
});

describe('preferences and digest', () => {
  it('respects email and chat switches per kind; in-app always', async () => {
    await setPersonWebhook('lily', 'slack', '/lily');
    const put = await call('lily', 'PUT', '/api/notifications/preferences', { kinds: [{ kind: 'idea_state', email: false, webhook: false }] });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().kinds.find((k: { kind: string }) => k.kind === 'idea_state')).toMatchObject({ email: false, webhook: false });
    const mails = await count(mailMessages);
    await t.ctx.db.transaction((tx) => t.ctx.notifier.notify(tx, sample([id.lily], { kind: 'idea_state' })));
    expect(await count(mailMessages)).toBe(mails);
    expect(await count(notificationDeliveries)).toBe(0);
    const bell = (await call('lily', 'GET', '/api/notifications?unread=true')).json();
    expect(bell.items[0]).toMatchObject({ kind: 'idea_state', title: 'REQ-900 accepted: Video export for NE-101', readAt: null });
    // Another kind is still on.
    await t.ctx.db.transaction((tx) => t.ctx.notifier.notify(tx, sample([id.lily], { kind: 'idea_comment' })));
    expect(await count(mailMessages)).toBe(mails + 1);
    expect(await count(notificationDeliveries)).toBe(1);
  });

  it('the daily digest gathers held notifications into one mail, claimed once by two instances', async () => {
    const jamal = await actorFor(t.ctx, EMAILS.jamal);
    expect((await call('jamal', 'PUT', '/api/notifications/preferences', { emailDigest: true })).json().emailDigest).toBe(true);
    const mails = await count(mailMessages);
    await t.ctx.db.transaction(async (tx) => {
      await t.ctx.notifier.notify(tx, sample([jamal.id], { title: 'First thing' }));
      await t.ctx.notifier.notify(tx, sample([jamal.id], { title: 'Second thing' }));
      await t.ctx.notifier.notify(tx, sample([jamal.id], { title: 'Already read' }));
    });
    expect(await count(mailMessages)).toBe(mails);
    const list = (await call('jamal', 'GET', '/api/notifications')).json();
    const read = list.items.find((n: { title: string }) => n.title === 'Already read');
    expect((await call('jamal', 'POST', `/api/notifications/${read.id}/read`)).statusCode).toBe(200);

    const second = createNotifier({ database: t.ctx.database, mailer: t.ctx.mailer, publicUrl: 'http://localhost:3000' });
    const [a, b] = await Promise.all([t.ctx.notifier.digest(), second.digest()]);
    expect(a.mails + b.mails).toBe(1);
    expect(a.items + b.items).toBe(2);
    const digests = await t.ctx.db.select().from(mailMessages).where(and(eq(mailMessages.kind, 'notification_digest'), eq(mailMessages.toAddress, EMAILS.jamal)));
    expect(digests).toHaveLength(1);
    expect(digests[0].text).toContain('First thing');
    expect(digests[0].text).toContain('Second thing');
    expect(digests[0].text).not.toContain('Already read');
    expect(await t.ctx.notifier.digest()).toEqual({ mails: 0, items: 0 });
    await call('jamal', 'PUT', '/api/notifications/preferences', { emailDigest: false });
  });
});

describe('modules notify through it', () => {
  it('an accepted request: the requester gets a bell notification and a mail; mark read and mark all read', async () => {
    const [type] = await t.ctx.db.select().from(requestTypes).where(eq(requestTypes.departmentId, dept.IT)).limit(1);
    const filed = await call('jamal', 'POST', '/api/requests', { title: 'Camera at register 5', description: 'Blind spot', toDepartmentId: dept.IT, typeId: type.id, priority: 'P3' });
    expect(filed.statusCode, filed.body).toBe(201);
    const r = filed.json();
    await call('jamal', 'POST', '/api/notifications/read-all');
    expect((await call('jamal', 'GET', '/api/notifications/unread-count')).json()).toEqual({ unread: 0 });
    expect((await call('rachel', 'POST', `/api/requests/${r.number}/status`, { status: 'accepted' })).statusCode).toBe(200);
    const bell = (await call('jamal', 'GET', '/api/notifications')).json();
    expect(bell.unread).toBe(1);
    expect(bell.items[0]).toMatchObject({ kind: 'request_status', recordRef: r.ref, link: `/requests/${r.number}`, actorName: 'Rachel Okafor', readAt: null });
    expect(bell.items[0].title).toBe(`${r.ref} accepted: Camera at register 5`);
    const mail = await t.ctx.db.select().from(mailMessages).where(and(eq(mailMessages.toAddress, EMAILS.jamal), eq(mailMessages.subject, `${r.ref} accepted: Camera at register 5`)));
    expect(mail).toHaveLength(1);
    // Someone else cannot mark Jamal's notification read.
    expect((await call('rachel', 'POST', `/api/notifications/${bell.items[0].id}/read`)).statusCode).toBe(404);
    expect((await call('jamal', 'POST', `/api/notifications/${bell.items[0].id}/read`)).json()).toEqual({ unread: 0 });

    // A comment with an @mention: the mentioned person hears of it once (as a mention), the requester as a comment.
    const c = await call('rachel', 'POST', `/api/requests/${r.number}/comments`, { body: 'Cabling first. @Ethan Kowalski can you check the PoE budget?' });
    expect(c.statusCode, c.body).toBe(200);
    const ethanBell = (await call('ethan', 'GET', '/api/notifications')).json();
    expect(ethanBell.items[0]).toMatchObject({ kind: 'request_mention', recordRef: r.ref });
    expect(ethanBell.items.filter((n: { recordRef: string }) => n.recordRef === r.ref)).toHaveLength(1);
    expect((await call('jamal', 'GET', '/api/notifications')).json().items[0]).toMatchObject({ kind: 'request_comment', recordRef: r.ref });
  });

  it('assigning a POS exception tells the assignee', async () => {
    const [store] = await t.ctx.database.query<{ id: string }>(`select id from stores order by code limit 1`).then((r) => r.rows);
    const { rows } = await t.ctx.database.query<{ id: string; number: number }>(
      `insert into pos_exceptions (kind, rule, rules, store_id, cashier_code, summary, occurred_at) values ('transaction', 'refund_no_receipt', '{refund_no_receipt}', $1, '4417', 'Refund without receipt $212.40', now()) returning id, number`,
      [store.id],
    );
    // Cashier monitoring belongs to LP: the LP director (admin) assigns an LP investigator.
    const res = await call('dana', 'PATCH', `/api/pos/exceptions/${rows[0].id}`, { assigneeId: id.jamal });
    expect(res.statusCode, res.body).toBe(200);
    const bell = (await call('jamal', 'GET', '/api/notifications')).json();
    expect(bell.items[0]).toMatchObject({ kind: 'pos_assigned', recordRef: `EXC-${rows[0].number}`, link: `/pos/exceptions/${rows[0].id}` });
  });
});

describe('webhook settings', () => {
  it('only https (loopback http outside production); department channels are for admins; secrets never come back', async () => {
    const bad = await call('rachel', 'PUT', '/api/notifications/webhooks', { scope: 'person', format: 'slack', url: 'http://hooks.example.com/x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems[0].field).toBe('url');
    expect((await call('rachel', 'PUT', '/api/notifications/webhooks', { scope: 'department', departmentId: dept.IT, format: 'slack', url: 'https://hooks.slack.com/services/T0/B0/abcdefgh' })).statusCode).toBe(403);
    const ok = await call('rachel', 'PUT', '/api/notifications/webhooks', { scope: 'person', format: 'slack', url: 'https://hooks.slack.com/services/T0/B0/abcdefgh', signingSecret: 'sixteen-chars-or-more' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ maskedUrl: 'https://hooks.slack.com/…efgh', signed: true });
    const listed = (await call('rachel', 'GET', '/api/notifications/webhooks')).json();
    expect(listed.items).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain('sixteen');
    expect((await call('ethan', 'DELETE', `/api/notifications/webhooks/${listed.items[0].id}`)).statusCode).toBe(404);
    expect((await call('rachel', 'DELETE', `/api/notifications/webhooks/${listed.items[0].id}`)).statusCode).toBe(200);
  });
});
