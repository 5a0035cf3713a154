import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { and, eq } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { ROLE_EMAILS, seededApp, signIn, type TestApp, skipQueuedMail } from './context.js';
import { mailMessages } from '../src/server/platform/schema.js';

/** A real SMTP server in-process: what Tandem sends is parsed as a mail client would. */
interface Received { to: string; subject: string; html: string; text: string }
const received: Received[] = [];
let failNext = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    if (failNext > 0) {
      failNext--;
      stream.resume();
      stream.on('end', () => callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 })));
      return;
    }
    simpleParser(stream).then((mail) => {
      received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: mail.subject ?? '', html: String(mail.html || ''), text: mail.text ?? '' });
      callback();
    }, callback);
  },
});

let t: TestApp;
let admin: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await seededApp({ smtpUrl: `smtp://127.0.0.1:${port}` });
  // The demo's modules queue their own notifications: set those aside so each test sees only its mail.
  await skipQueuedMail(t.ctx);
  received.length = 0;
  admin = await signIn(t.app, ROLE_EMAILS.admin);
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('mail over SMTP', () => {
  it('delivers an invitation with HTML and plain text, and marks it sent', async () => {
    const dept = (await t.app.inject({ method: 'GET', url: '/api/departments', headers: { cookie: admin } })).json().items[0];
    const res = await t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: admin }, payload: { name: 'Quinn Avery', email: 'quinn.avery@meridian.example', role: 'member', departmentId: dept.id } });
    expect(res.statusCode).toBe(201);
    const [queued] = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.toAddress, 'quinn.avery@meridian.example'));
    expect(queued.status).toBe('queued');

    expect(await t.ctx.mailer.deliverQueued(t.ctx.db)).toEqual({ sent: 1, failed: 0 });
    const mail = received.find((m) => m.to === 'quinn.avery@meridian.example')!;
    expect(mail.subject).toBe('Dana Whitfield invited you to Tandem');
    expect(mail.html).toContain('Accept the invitation');
    expect(mail.text).toMatch(/http:\/\/localhost:3000\/invite\/inv_/);
    const [sent] = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.id, queued.id));
    expect(sent.status).toBe('sent');
    expect(sent.sentAt).not.toBeNull();
  });

  it('keeps a refused message for retry with the server\'s reason', async () => {
    await t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' }, payload: { email: ROLE_EMAILS.member, redirectTo: '/reset-password' } });
    failNext = 1;
    expect(await t.ctx.mailer.deliverQueued(t.ctx.db)).toEqual({ sent: 0, failed: 1 });
    const [retry] = await t.ctx.db.select().from(mailMessages).where(and(eq(mailMessages.toAddress, ROLE_EMAILS.member), eq(mailMessages.kind, 'password_reset')));
    expect(retry.status).toBe('retry');
    expect(retry.lastError).toMatch(/Mailbox temporarily unavailable/);
    expect(await t.ctx.mailer.deliverQueued(t.ctx.db)).toEqual({ sent: 1, failed: 0 });
    expect(received.some((m) => m.to === ROLE_EMAILS.member && m.subject === 'Reset your Tandem password')).toBe(true);
  });

  it('two workers delivering at once send each message once', async () => {
    received.length = 0;
    await t.ctx.db.transaction(async (tx) => {
      for (let i = 0; i < 5; i++) await t.ctx.mailer.queue(tx, { to: `twice${i}@meridian.example`, subject: `Once only ${i}`, paragraphs: ['Hello'], kind: 'test' });
    });
    const results = await Promise.all([t.ctx.mailer.deliverQueued(t.ctx.db), t.ctx.mailer.deliverQueued(t.ctx.db)]);
    expect(results[0].sent + results[1].sent).toBe(5);
    expect(received.map((m) => m.subject).sort()).toEqual(['Once only 0', 'Once only 1', 'Once only 2', 'Once only 3', 'Once only 4']);
  });
});
