import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { and, eq, sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { actorFor, seededApp, signIn, type TestApp, skipQueuedMail } from './context.js';
import { mailMessages } from '../src/server/platform/schema.js';
import { departments, people } from '../src/server/modules/people/schema.js';
import { newsletterEditions, newsletterRecipients, newsletterSubscribers } from '../src/server/modules/newsletter/schema.js';
import { gateMessagesOnCommit, runSender, smtpDelivery, type Deliver } from '../src/server/modules/newsletter/sender.js';
import { parseDsn } from '../src/server/modules/newsletter/service.js';
import { submitIdea } from '../src/server/modules/ideas/service.js';
import { uuidv7 } from 'uuidv7';

/** A real SMTP server in-process: what the newsletter sends is parsed as a mail client would. */
interface Received { to: string; subject: string; html: string; text: string; raw: string; messageId: string; attachments: { contentType: string; cid?: string; size: number }[] }
const received: Received[] = [];
/** Addresses the server refuses for good (550 at RCPT), and how many temporary failures to give (451 at DATA). */
const refuse = new Set<string>();
const failOnce = new Map<string, number>();
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  disableReverseLookup: true,
  size: 10 * 1024 * 1024,
  onRcptTo(address, _session, callback) {
    if (refuse.has(address.address)) return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
    callback();
  },
  onData(stream, session, callback) {
    const to = session.envelope.rcptTo.map((r) => r.address).join(',');
    const left = failOnce.get(to) ?? 0;
    if (left > 0) {
      failOnce.set(to, left - 1);
      stream.resume();
      stream.on('end', () => callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 })));
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      simpleParser(raw).then((mail) => {
        received.push({
          to,
          subject: mail.subject ?? '',
          html: String(mail.html || ''),
          text: mail.text ?? '',
          raw,
          messageId: mail.messageId ?? '',
          attachments: mail.attachments.map((a) => ({ contentType: a.contentType, cid: a.cid, size: a.size })),
        });
        callback();
      }, callback);
    });
  },
});

let t: TestApp;
let smtpUrl: string;
let admin: string;
let itLead: string;
let staff: string;
let storeManager: string;
const json = { 'content-type': 'application/json' };
const ANON_AUTHOR = 'Ottoline Fairweather-Quist';
const CASHIER = 'Zebulon Marchetti-Oyelaran';
// A sealed (restricted) case closed this month, and an ordinary closed case: neither subject may appear.
const SEALED_TITLE = 'Refund skimming at the returns desk, Quillfeather';
const SEALED_SUBJECT = 'Perpetua Quillfeather';
const CLOSED_SUBJECT = 'Yolanda Brightwater';
let sealedRef = '';
/** What no draft, preview, mail or archive may contain. */
const never = () => [ANON_AUTHOR, CASHIER, 'C-9931', SEALED_TITLE, SEALED_SUBJECT, 'Quillfeather', sealedRef, CLOSED_SUBJECT, 'Brightwater'];

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  t = await seededApp({ smtpUrl });
  await skipQueuedMail(t.ctx);
  received.length = 0;
  admin = await signIn(t.app, 'dana.whitfield@meridian.example');
  itLead = await signIn(t.app, 'marcus.chen@meridian.example');
  staff = await signIn(t.app, 'lily.evans@meridian.example');
  storeManager = await signIn(t.app, 'gary.lutz@meridian.example');
  // No waiting on the per-second budget in tests (the budget itself is shared through the database).
  expect((await t.app.inject({ method: 'PATCH', url: '/api/newsletter/settings', headers: { cookie: admin }, payload: { ratePerSecond: 10_000 } })).statusCode).toBe(200);
}, 300_000);
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** Restricted records planted in this month: an anonymous idea (author hidden) and a POS exception naming a cashier. */
async function plantRestricted() {
  const [dept] = await t.ctx.db.select().from(departments).where(eq(departments.code, 'IT'));
  const res = await t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: admin }, payload: { name: ANON_AUTHOR, email: 'ottoline.fq@meridian.example', role: 'member', departmentId: dept!.id } });
  expect(res.statusCode).toBe(201);
  const author = await actorFor(t.ctx, 'ottoline.fq@meridian.example');
  await submitIdea(t.ctx, author, { title: 'Badge readers log tailgating at the stockroom door', description: 'Count tailgating events per door and send a weekly digest.', category: 'technology', storeId: null, anonymous: true });
  const storeId = rowsOf<{ id: string }>(await t.ctx.db.execute(sql`select id from stores order by code limit 1`))[0]!.id;
  await t.ctx.db.execute(sql`insert into pos_cashiers (id, store_id, code, name) values (${uuidv7()}, ${storeId}, 'C-9931', ${CASHIER})`);
  await t.ctx.db.execute(sql`insert into pos_exceptions (kind, rule, rules, store_id, cashier_code, summary, occurred_at, status)
    values ('cashier_period', 'refund_no_receipt', array['refund_no_receipt'], ${storeId}, 'C-9931', ${`${CASHIER}: 14 refunds without receipt`}, now(), 'confirmed')`);

  const investigator = await signIn(t.app, 'karen.holt@meridian.example');
  const caseCall = async (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method, url, headers: { cookie: investigator }, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };
  const sealed = await caseCall('POST', '/api/cases', { title: SEALED_TITLE, type: 'internal_theft', storeId, subjectKind: 'employee', subjectName: SEALED_SUBJECT });
  expect(sealed.sealed).toBe(true);
  sealedRef = sealed.ref;
  await caseCall('PATCH', `/api/cases/${sealed.ref}`, { status: 'closed', outcome: 'substantiated', lossCents: 310000 });
  const closed = await caseCall('POST', '/api/cases', { title: `Booster ${CLOSED_SUBJECT}`, type: 'external_theft', storeId, subjectKind: 'external', subjectName: CLOSED_SUBJECT });
  await caseCall('PATCH', `/api/cases/${closed.ref}`, { status: 'closed', outcome: 'substantiated', lossCents: 48000, recoveryCents: 12000 });
}

/** Header lines as one line each (long headers are folded onto several). */
const unfold = (raw: string) => raw.replace(/\r?\n[ \t]+/g, ' ');

function rowsOf<T>(r: unknown): T[] {
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}

async function newEdition(cookie = itLead, cadence: 'weekly' | 'monthly' = 'monthly') {
  const res = await t.app.inject({ method: 'POST', url: '/api/newsletter/editions', headers: { cookie }, payload: { cadence, periodOf: new Date().toISOString() } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function sendTo(id: string, audience: Record<string, unknown>) {
  const patch = await t.app.inject({ method: 'PATCH', url: `/api/newsletter/editions/${id}`, headers: { cookie: itLead }, payload: { audience } });
  expect(patch.statusCode, patch.body).toBe(200);
  const res = await t.app.inject({ method: 'POST', url: `/api/newsletter/editions/${id}/schedule`, headers: { cookie: itLead }, payload: {} });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().status).toBe('scheduled');
}

const NONE = { departmentIds: [], storeIds: [], regions: [], roles: [], subscribers: false };

// Sending renders the edition and talks to a real SMTP server: generous time on a busy machine.
describe('editions', { timeout: 120_000 }, () => {
  let edition: { id: string; sections: { id: string; source: string | null; title: string; blocks: { type: string }[] }[] };

  beforeAll(async () => {
    await plantRestricted();
    edition = await newEdition();
  });

  it('drafts the period from the modules: ideas with credit, requests, cashier monitoring counts', () => {
    const sources = new Set(edition.sections.map((s) => s.source));
    expect(sources).toContain('ideas');
    expect(sources).toContain('pos');
    const ideasNew = edition.sections.find((s) => s.id === 'ideas:new')!;
    expect(JSON.stringify(ideasNew)).toContain('Badge readers log tailgating');
    expect(JSON.stringify(ideasNew)).toContain('Suggested anonymously');
    const pos = edition.sections.find((s) => s.source === 'pos')!;
    expect(JSON.stringify(pos)).toMatch(/Exceptions reviewed/);
    // Closed cases are told, redacted; the sealed one is not even counted.
    const cases = edition.sections.find((s) => s.id === 'cases:closed') as unknown as { blocks: { items: { label: string; value: string }[] }[] };
    expect(cases.blocks[0]!.items[0]).toMatchObject({ label: 'Cases closed', value: '1' });
    for (const word of never()) expect(JSON.stringify(edition)).not.toContain(word);
  });

  it('lets the editor reorder, edit, remove and add sections and write a note; refuses a duplicate section id', async () => {
    const [first, second, ...rest] = edition.sections;
    const sections = [
      second!,
      { ...first!, title: 'Renamed by the editor' },
      ...rest.slice(1),
      { id: 'own:welcome', source: null, title: 'Welcome, new colleagues', blocks: [{ type: 'paragraph', text: 'Three new analysts joined InfoSec.' }] },
    ];
    const removed = rest[0]!;
    const res = await t.app.inject({ method: 'PATCH', url: `/api/newsletter/editions/${edition.id}`, headers: { cookie: itLead }, payload: { sections, editorNote: 'A quiet month, and a good one.' } });
    expect(res.statusCode, res.body).toBe(200);
    const saved = res.json();
    expect(saved.sections.map((s: { id: string }) => s.id)).toEqual(sections.map((s) => s.id));
    expect(saved.sections.some((s: { id: string }) => s.id === removed.id)).toBe(false);
    expect(saved.editorNote).toBe('A quiet month, and a good one.');

    const dup = await t.app.inject({ method: 'PATCH', url: `/api/newsletter/editions/${edition.id}`, headers: { cookie: itLead }, payload: { sections: [sections[0], sections[0]] } });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.problems[0].field).toBe('sections.1.id');
  });

  it('previews as mail-client-safe HTML (tables, inline styles, alt text, 600 px) and as plain text', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${edition.id}/preview`, headers: { cookie: itLead } });
    expect(res.statusCode).toBe(200);
    const { html, text, subject } = res.json();
    expect(subject).toMatch(/Security & IT newsletter/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/fonts\.googleapis/i);
    expect(html).toMatch(/<table[^>]+role="presentation"/);
    expect(html).toMatch(/style="[^"]*font-family:Arial/);
    // Every picture has words; no width wider than the 600 px column.
    const imgs = [...html.matchAll(/<img\b[^>]*>/g)].map((m) => m[0]);
    expect(imgs.length).toBeGreaterThan(0);
    for (const img of imgs) expect(img).toMatch(/\salt="[^"]+"/);
    for (const m of html.matchAll(/\bwidth="(\d+)"/g)) expect(Number(m[1])).toBeLessThanOrEqual(600);
    for (const m of html.matchAll(/(?:^|[;"\s])(?:max-)?width:\s*(\d+)px/g)) expect(Number(m[1])).toBeLessThanOrEqual(600);
    // Charts are PNG pictures drawn on the server.
    const png = /src="data:image\/png;base64,([^"]+)"/.exec(html)![1]!;
    expect(Buffer.from(png, 'base64').subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(html).toContain('Renamed by the editor');
    expect(text).toContain('Renamed by the editor');
    expect(text).toContain("EDITOR'S NOTE");
    expect(text).toContain('A quiet month, and a good one.');
    expect(text).not.toMatch(/<[a-z]+[ >]/i);
  });

  it('never shows an anonymous author, a cashier, a sealed case or a case subject in the draft or the preview', async () => {
    const draft = await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${edition.id}`, headers: { cookie: itLead } });
    const preview = await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${edition.id}/preview`, headers: { cookie: itLead } });
    for (const body of [draft.body, preview.body]) {
      expect(body).not.toContain('Ottoline');
      for (const word of never()) expect(body).not.toContain(word);
    }
  });

  it('only editors (security and IT leads, admins) draft; a store manager and staff may not', async () => {
    for (const cookie of [storeManager, staff]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/newsletter/editions', headers: { cookie }, payload: { cadence: 'weekly' } });
      expect(res.statusCode).toBe(403);
    }
  });

  it('sends to a department over SMTP with one-click unsubscribe headers; the archive shows exactly what was sent', async () => {
    const [it] = await t.ctx.db.select().from(departments).where(eq(departments.code, 'IT'));
    const itPeople = await t.ctx.db.select({ email: people.email }).from(people).where(and(eq(people.departmentId, it!.id), eq(people.active, true)));
    const size = await t.app.inject({ method: 'PATCH', url: `/api/newsletter/editions/${edition.id}`, headers: { cookie: itLead }, payload: { audience: { ...NONE, departmentIds: [it!.id] } } });
    expect(size.statusCode).toBe(200);
    const counted = (await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${edition.id}/audience`, headers: { cookie: itLead } })).json();
    expect(counted.total).toBe(itPeople.length);
    await sendTo(edition.id, { ...NONE, departmentIds: [it!.id] });
    // A scheduled edition is no longer editable.
    const locked = await t.app.inject({ method: 'PATCH', url: `/api/newsletter/editions/${edition.id}`, headers: { cookie: itLead }, payload: { title: 'Too late' } });
    expect(locked.statusCode).toBe(409);

    received.length = 0;
    const stats = await runSender(t.ctx, { workerId: 'test' });
    expect(stats.sent).toBe(itPeople.length);
    expect(received.map((m) => m.to).sort()).toEqual(itPeople.map((p) => p.email.toLowerCase()).sort());
    const mail = received[0]!;
    expect(unfold(mail.raw)).toMatch(/^List-Unsubscribe: <http:\/\/localhost:3000\/api\/newsletter\/unsubscribe\?token=[^>]+>/m);
    expect(unfold(mail.raw)).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    // The parser resolves cid: references to the attached pictures, as a mail client does.
    expect(mail.html).toMatch(/src="data:image\/png;base64,/);
    expect(mail.attachments.some((a) => a.contentType === 'image/png' && a.cid)).toBe(true);
    for (const m of received) {
      // The author's own copy is addressed to them by name (the To header); no one else's names them.
      for (const body of m.to === 'ottoline.fq@meridian.example' ? [m.html, m.text] : [m.html, m.text, m.raw]) {
        for (const word of never()) expect(body).not.toContain(word);
      }
    }

    const progress = (await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${edition.id}/progress`, headers: { cookie: itLead } })).json();
    expect(progress.status).toBe('sent');
    expect(progress.counts).toMatchObject({ total: itPeople.length, sent: itPeople.length, queued: 0, sending: 0 });

    // Everyone reads the archive, staff too; it holds no audience and no names it should not.
    const archive = (await t.app.inject({ method: 'GET', url: '/api/newsletter/archive', headers: { cookie: staff } })).json();
    expect(archive.items.map((e: { id: string }) => e.id)).toContain(edition.id);
    const archived = await t.app.inject({ method: 'GET', url: `/api/newsletter/archive/${edition.id}`, headers: { cookie: staff } });
    expect(archived.statusCode).toBe(200);
    expect(archived.json().html).toContain('Renamed by the editor');
    for (const word of never()) expect(archived.body).not.toContain(word);
    expect(archived.json().audience.departmentIds).toEqual([]);
    // No public link unless an admin enables it.
    expect((await t.app.inject({ method: 'GET', url: `/api/newsletter/public/${edition.id}` })).statusCode).toBe(404);
    await t.app.inject({ method: 'PATCH', url: '/api/newsletter/settings', headers: { cookie: admin }, payload: { publicArchive: true } });
    expect((await t.app.inject({ method: 'GET', url: `/api/newsletter/public/${edition.id}` })).statusCode).toBe(200);
    await t.app.inject({ method: 'PATCH', url: '/api/newsletter/settings', headers: { cookie: admin }, payload: { publicArchive: false } });
  });

  it('unsubscribes with one click (RFC 8058 POST, no session); the next edition skips the address; resubscribe brings it back', async () => {
    const mail = received.find((m) => m.to === 'marcus.chen@meridian.example')!;
    const url = /^List-Unsubscribe: <([^>]+)>/m.exec(unfold(mail.raw))![1]!;
    const path = url.replace('http://localhost:3000', '');
    const res = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ email: 'marcus.chen@meridian.example', status: 'unsubscribed' });
    const forged = await t.app.inject({ method: 'POST', url: path.replace(/token=([^&]{10})/, 'token=AAAAAAAAAA'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(forged.statusCode).toBe(400);

    const [it] = await t.ctx.db.select().from(departments).where(eq(departments.code, 'IT'));
    const next = await newEdition();
    await sendTo(next.id, { ...NONE, departmentIds: [it!.id] });
    received.length = 0;
    await runSender(t.ctx);
    expect(received.some((m) => m.to === 'marcus.chen@meridian.example')).toBe(false);
    expect(received.length).toBeGreaterThan(0);

    const token = decodeURIComponent(/token=([^&]+)/.exec(url)![1]!);
    const prefs = await t.app.inject({ method: 'GET', url: `/api/newsletter/preferences?token=${encodeURIComponent(token)}` });
    expect(prefs.json()).toMatchObject({ status: 'unsubscribed', inWorkspace: true });
    const back = await t.app.inject({ method: 'POST', url: '/api/newsletter/preferences', headers: json, payload: { token, action: 'resubscribe' } });
    expect(back.json().status).toBe('active');
    const again = await newEdition();
    await t.app.inject({ method: 'PATCH', url: `/api/newsletter/editions/${again.id}`, headers: { cookie: itLead }, payload: { audience: { ...NONE, departmentIds: [it!.id] } } });
    const size = (await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${again.id}/audience`, headers: { cookie: itLead } })).json();
    expect(size.total).toBe(received.length + 1);
    // Monthly only: a weekly edition skips the address, a monthly one does not.
    await t.app.inject({ method: 'POST', url: '/api/newsletter/preferences', headers: json, payload: { token, action: 'frequency', frequency: 'monthly' } });
    const weekly = await newEdition(itLead, 'weekly');
    await t.app.inject({ method: 'PATCH', url: `/api/newsletter/editions/${weekly.id}`, headers: { cookie: itLead }, payload: { audience: { ...NONE, departmentIds: [it!.id] } } });
    expect((await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${weekly.id}/audience`, headers: { cookie: itLead } })).json().total).toBe(received.length);
  });

  it('opt-in subscribers receive nothing until they confirm (double opt-in)', async () => {
    const ed = await newEdition();
    await t.app.inject({ method: 'PATCH', url: `/api/newsletter/editions/${ed.id}`, headers: { cookie: itLead }, payload: { audience: { ...NONE, subscribers: true } } });
    const audienceTotal = async () => (await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${ed.id}/audience`, headers: { cookie: itLead } })).json().total as number;
    const before = await audienceTotal();
    const add = await t.app.inject({ method: 'POST', url: '/api/newsletter/subscribers', headers: { cookie: itLead }, payload: { email: 'Partner.Desk@Northwind.example', name: 'Northwind partner desk' } });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toMatchObject({ email: 'partner.desk@northwind.example', status: 'pending' });
    expect(await audienceTotal()).toBe(before);
    const [confirmation] = await t.ctx.db.select().from(mailMessages).where(and(eq(mailMessages.toAddress, 'partner.desk@northwind.example'), eq(mailMessages.kind, 'newsletter_confirm')));
    const token = decodeURIComponent(/\/newsletter\/confirm\?token=([^\s"<&]+)/.exec(confirmation!.text)![1]!);
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/newsletter/confirm', headers: json, payload: { token } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'active', optIn: true });
    expect(await audienceTotal()).toBe(before + 1);
    // Opt-in readers count as subscribers even when they also have a workspace account.
    const size = (await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${ed.id}/audience`, headers: { cookie: itLead } })).json();
    expect(size).toMatchObject({ people: 0, subscribers: before + 1 });
    // A confirmation link is not an unsubscribe link.
    expect((await t.app.inject({ method: 'GET', url: `/api/newsletter/preferences?token=${encodeURIComponent(token)}` })).statusCode).toBe(400);
  });

  it('records bounces: refused at send time, and from a delivery status notification; bounced addresses get no more editions', async () => {
    const [sec] = await t.ctx.db.select().from(departments).where(eq(departments.code, 'SEC'));
    const secPeople = await t.ctx.db.select({ email: people.email }).from(people).where(and(eq(people.departmentId, sec!.id), eq(people.active, true)));
    expect(secPeople.length).toBeGreaterThanOrEqual(2);
    const [refused, later] = secPeople.map((p) => p.email.toLowerCase());
    refuse.add(refused!);
    const ed = await newEdition();
    await sendTo(ed.id, { ...NONE, departmentIds: [sec!.id] });
    received.length = 0;
    const stats = await runSender(t.ctx);
    refuse.clear();
    expect(stats.bounced).toBe(1);
    const [row] = await t.ctx.db.select().from(newsletterRecipients).where(and(eq(newsletterRecipients.editionId, ed.id), eq(newsletterRecipients.email, refused!)));
    expect(row!.status).toBe('bounced');

    const sentMail = received.find((m) => m.to === later)!;
    const dsn = [
      'Reporting-MTA: dns; mx.meridian.example',
      '',
      `Final-Recipient: rfc822; ${later}`,
      'Action: failed',
      'Status: 5.2.1',
      'Diagnostic-Code: smtp; 550 5.2.1 Mailbox disabled',
      '',
      `Message-ID: ${sentMail.messageId}`,
      'Subject: whatever',
    ].join('\r\n');
    expect(parseDsn(dsn).recipients).toEqual([{ email: later, status: '5.2.1', permanent: true }]);
    const bounce = await t.app.inject({ method: 'POST', url: '/api/newsletter/bounces', headers: { cookie: itLead }, payload: { dsn } });
    expect(bounce.statusCode, bounce.body).toBe(200);
    expect(bounce.json().recorded).toBe(1);
    const [bounced] = await t.ctx.db.select().from(newsletterRecipients).where(and(eq(newsletterRecipients.editionId, ed.id), eq(newsletterRecipients.email, later!)));
    expect(bounced!.status).toBe('bounced');
    const [sub] = await t.ctx.db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, later!));
    expect(sub!.status).toBe('bounced');
    const next = await newEdition();
    await t.app.inject({ method: 'PATCH', url: `/api/newsletter/editions/${next.id}`, headers: { cookie: itLead }, payload: { audience: { ...NONE, departmentIds: [sec!.id] } } });
    expect((await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${next.id}/audience`, headers: { cookie: itLead } })).json().total).toBe(secPeople.length - 1);
  });

  it('retries a temporary failure with backoff', async () => {
    const [lp] = await t.ctx.db.select().from(departments).where(eq(departments.code, 'LP'));
    const ed = await newEdition();
    await sendTo(ed.id, { ...NONE, departmentIds: [lp!.id] });
    failOnce.set('priya.natarajan@meridian.example', 1);
    const first = await runSender(t.ctx);
    expect(first.retried).toBe(1);
    const [row] = await t.ctx.db.select().from(newsletterRecipients).where(and(eq(newsletterRecipients.editionId, ed.id), eq(newsletterRecipients.email, 'priya.natarajan@meridian.example')));
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row!.lastError).toMatch(/temporarily unavailable/);
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect((await t.ctx.db.select().from(newsletterEditions).where(eq(newsletterEditions.id, ed.id)))[0]!.status).toBe('sending');
    // Time passes (the backoff runs out): the next run delivers it.
    await t.ctx.db.update(newsletterRecipients).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(newsletterRecipients.id, row!.id));
    expect((await runSender(t.ctx)).sent).toBe(1);
    expect((await t.ctx.db.select().from(newsletterEditions).where(eq(newsletterEditions.id, ed.id)))[0]!.status).toBe('sent');
  });
});

describe('sending survives a crash', () => {
  it('two workers and a worker killed half-way: every recipient gets exactly one message', async () => {
    const N = 150;
    await t.ctx.db.insert(newsletterSubscribers).values(
      Array.from({ length: N }, (_, i) => ({ id: uuidv7(), email: `reader${String(i).padStart(3, '0')}@readers.example`, name: `Reader ${i}`, status: 'active', optIn: true, confirmedAt: new Date() })),
    );
    const ed = await newEdition(admin);
    await sendTo(ed.id, { ...NONE, subscribers: true });
    received.length = 0;

    // Worker A delivers 40 messages, then dies in the middle of the next ones (they never reach the server).
    const transport = gateMessagesOnCommit(nodemailer.createTransport(smtpUrl));
    const smtpDeliver = smtpDelivery(transport, 'newsletter@meridian.example');
    let delivered = 0;
    const dying: Deliver = (m, commit) => (delivered++ < 40 ? smtpDeliver(m, commit) : new Promise<never>(() => {}));
    void runSender(t.ctx, { workerId: 'A', deliver: dying, batchSize: 25 });
    for (let i = 0; i < 600; i++) {
      const [n] = rowsOf<{ n: number }>(await t.ctx.db.execute(sql`select count(*)::int as n from newsletter_recipients where edition_id = ${ed.id} and status = 'sent'`));
      if (Number(n!.n) >= 40) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const [stuck] = rowsOf<{ n: number }>(await t.ctx.db.execute(sql`select count(*)::int as n from newsletter_recipients where edition_id = ${ed.id} and status = 'sending' and locked_by = 'A'`));
    expect(Number(stuck!.n)).toBeGreaterThan(0);
    transport.close();
    // The dead worker's leases run out (time passes); two fresh workers share what is left.
    await t.ctx.db.execute(sql`update newsletter_recipients set locked_until = now() - interval '1 second' where edition_id = ${ed.id} and status = 'sending'`);
    const [b, c] = await Promise.all([runSender(t.ctx, { workerId: 'B', batchSize: 20 }), runSender(t.ctx, { workerId: 'C', batchSize: 20 })]);
    // The readers, and the subscribers confirmed before them (demo readers, the partner desk).
    const total = Number(rowsOf<{ n: number }>(await t.ctx.db.execute(sql`select count(*)::int as n from newsletter_recipients where edition_id = ${ed.id}`))[0]!.n);
    expect(total).toBeGreaterThan(N);
    expect(40 + b.sent + c.sent).toBe(total);

    const perAddress = new Map<string, number>();
    for (const m of received) perAddress.set(m.to, (perAddress.get(m.to) ?? 0) + 1);
    expect(perAddress.size).toBe(total);
    expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
    const progress = (await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${ed.id}/progress`, headers: { cookie: admin } })).json();
    expect(progress).toMatchObject({ status: 'sent', counts: { total, sent: total, sending: 0, queued: 0 } });
    const list = (await t.app.inject({ method: 'GET', url: `/api/newsletter/editions/${ed.id}/recipients?status=sent&limit=10`, headers: { cookie: admin } })).json();
    expect(list.total).toBe(total);
  }, 120_000);
});
