import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { seededApp, signIn, actorFor, type TestApp } from './context.js';
import { auditLog } from '../src/server/platform/schema.js';
import { people, stores } from '../src/server/modules/people/schema.js';
import { requests } from '../src/server/modules/requests/schema.js';
import { caseEvidence, cases, evidenceCustody, incidents } from '../src/server/modules/cases/schema.js';
import { openCase } from '../src/server/modules/cases/service.js';
import { rows } from '../src/server/modules/cases/visibility.js';
import { home } from '../src/server/modules/home/service.js';
import { agendaSuggesters } from '../src/server/platform/agenda.js';
import { newsletterContributors } from '../src/server/platform/newsletter-sections.js';

const EMAILS = {
  dana: 'dana.whitfield@meridian.example', // admin, LP director, HQ
  priya: 'priya.natarajan@meridian.example', // LP lead, HQ
  karen: 'karen.holt@meridian.example', // LP investigator (internal), HQ
  jamal: 'jamal.brooks@meridian.example', // LP investigator (ORC), HQ
  ricky: 'ricky.navarro@meridian.example', // LP associate at NE-101
  hannah: 'hannah.cole@meridian.example', // security member, HQ
  marcus: 'marcus.chen@meridian.example', // IT lead
  rachel: 'rachel.okafor@meridian.example', // IT member
  chris: 'chris.donnelly@meridian.example', // IT viewer (CIO)
  gary: 'gary.lutz@meridian.example', // store manager NE-101
  lily: 'lily.evans@meridian.example', // store staff NE-101
  marco: 'marco.bianchi@meridian.example', // store staff NE-102
} as const;
type Who = keyof typeof EMAILS;

let t: TestApp;
const cookie = {} as Record<Who, string>;
const id = {} as Record<Who, string>;
const store: Record<string, string> = {};
const LIMIT = 4 * 1024 * 1024;

beforeAll(async () => {
  t = await seededApp({ evidenceMaxBytes: LIMIT });
  for (const [k, email] of Object.entries(EMAILS) as [Who, string][]) {
    cookie[k] = await signIn(t.app, email);
    const [p] = await t.ctx.db.select({ id: people.id }).from(people).where(eq(people.email, email));
    id[k] = p.id;
  }
  for (const s of await t.ctx.db.select().from(stores)) store[s.code] = s.id;
}, 300_000);
afterAll(async () => t?.close());

function call(as: Who | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: { ...(as ? { cookie: cookie[as] } : {}), origin: 'http://localhost:3000' }, ...(payload ? { payload } : {}) });
}
function upload(as: Who, url: string, data: Buffer) {
  return t.app.inject({ method: 'POST', url, headers: { cookie: cookie[as], origin: 'http://localhost:3000', 'content-type': 'application/octet-stream' }, payload: data });
}
/** The text drawn in a PDF: its content streams inflated, the strings pdfkit writes (hex and literal). */
function pdfText(pdf: Buffer): string {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('\nstream\n', at) + 1;
    if (start === 0) break;
    const end = pdf.indexOf('\nendstream', start);
    if (end < 0) break;
    try {
      const body = inflateSync(pdf.subarray(start + 'stream\n'.length, end)).toString('latin1');
      for (const m of body.matchAll(/<([0-9a-f]+)>/gi)) out.push(Buffer.from(m[1], 'hex').toString('latin1'));
      for (const m of body.matchAll(/\(((?:[^()\\]|\\.)*)\)\s*Tj/g)) out.push(m[1]);
    } catch {
      // not a deflated stream (fonts, images)
    }
    at = end + '\nendstream'.length;
  }
  return out.join('');
}
/** An hour ago, but not before today (UTC): the shrink dashboard counts an incident in this month's column. */
const now = () => {
  const t = Date.now();
  const today = new Date(t);
  return new Date(Math.max(t - 3600_000, Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()))).toISOString();
};

async function report(as: Who, body: Record<string, unknown>) {
  const res = await call(as, 'POST', '/api/incidents', { occurredAt: now(), type: 'external_theft', narrative: 'Two fragrance sets taken from the front display.', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('incidents', () => {
  it('store staff report from their store; they see their own reports, LP sees them, IT does not', async () => {
    const inc = await report('lily', { storeId: store['NE-101'], estimatedLossCents: 12999, peopleInvolved: 'Man, about 40, grey hoodie' });
    expect(inc.ref).toMatch(/^INC-\d+$/);
    expect(inc.reporterName).toBe('Lily Evans');
    const other = await call('lily', 'POST', '/api/incidents', { storeId: store['NE-102'], occurredAt: now(), type: 'damage', narrative: 'x' });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.problems[0].field).toBe('storeId');

    const mine = (await call('lily', 'GET', '/api/incidents?mine=true')).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toContain(inc.id);
    expect((await call('jamal', 'GET', `/api/incidents/${inc.ref}`)).statusCode).toBe(200);
    expect((await call('gary', 'GET', `/api/incidents/${inc.ref}`)).statusCode).toBe(200); // same store
    expect((await call('marco', 'GET', `/api/incidents/${inc.ref}`)).statusCode).toBe(404); // another store
    expect((await call('rachel', 'GET', `/api/incidents/${inc.ref}`)).statusCode).toBe(404); // IT, HQ, no case access
    const itList = (await call('rachel', 'GET', '/api/incidents')).json();
    expect(itList.items.every((i: { reporterId: string }) => i.reporterId === id.rachel)).toBe(true);
  });

  it('a report sent twice with the same draft key is stored once', async () => {
    const clientKey = '0190aaaa-0000-7000-8000-000000000001';
    const a = await report('lily', { storeId: store['NE-101'], clientKey });
    const b = await report('lily', { storeId: store['NE-101'], clientKey });
    expect(b.id).toBe(a.id);
  });

  it('home: store staff get the report action and their reports; triagers get the new incidents to triage', async () => {
    const lily = await home(t.ctx, await actorFor(t.ctx, EMAILS.lily));
    expect(lily.actions.map((a) => a.href)).toContain('/incidents/new');
    expect(lily.lists.find((l) => l.key === 'incidents:mine')!.items.length).toBeGreaterThan(0);
    expect(lily.figures.find((f) => f.label === 'Open cases')).toBeUndefined();
    const priya = await home(t.ctx, await actorFor(t.ctx, EMAILS.priya));
    expect(priya.actions.some((a) => a.kind === 'triage')).toBe(true);
    const search = (await call('jamal', 'GET', '/api/search?q=INC-')).json();
    expect(search.groups.find((g: { kind: string }) => g.kind === 'incidents').items.length).toBeGreaterThan(0);
    expect((await call('rachel', 'GET', '/api/search?q=INC-')).json().groups.find((g: { kind: string }) => g.kind === 'incidents')).toBeUndefined();
  });

  it('internal-theft reports are not shown to other store people', async () => {
    const inc = await report('lily', { storeId: store['NE-101'], type: 'internal_theft', narrative: 'A colleague pockets cash from refunds.' });
    expect((await call('gary', 'GET', `/api/incidents/${inc.ref}`)).statusCode).toBe(404);
    expect((await call('ricky', 'GET', `/api/incidents/${inc.ref}`)).statusCode).toBe(200); // LP at that store
  });

  it('triage: merge duplicates, link to a case, close only with a reason', async () => {
    const a = await report('lily', { storeId: store['NE-101'], narrative: 'Shoplifter ran out with jackets.' });
    const b = await report('gary', { storeId: store['NE-101'], narrative: 'Jackets stolen at 3pm, same man.' });
    expect((await call('lily', 'POST', `/api/incidents/${b.ref}/triage`, { action: 'triage' })).statusCode).toBe(403);
    const merged = await call('jamal', 'POST', `/api/incidents/${b.ref}/triage`, { action: 'merge', duplicateOf: a.ref });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({ status: 'closed', duplicateOfRef: a.ref });
    expect((await call('jamal', 'GET', `/api/incidents/${a.ref}`)).json().duplicates.map((d: { ref: string }) => d.ref)).toEqual([b.ref]);

    const noReason = await call('jamal', 'POST', `/api/incidents/${a.ref}/triage`, { action: 'close', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.problems[0].field).toBe('reason');

    const opened = await call('jamal', 'POST', '/api/cases', { title: 'Jacket thefts NE-101', type: 'external_theft', storeId: store['NE-101'] });
    expect(opened.statusCode, opened.body).toBe(201);
    const linked = await call('jamal', 'POST', `/api/incidents/${a.ref}/triage`, { action: 'link', caseRef: opened.json().ref });
    expect(linked.json()).toMatchObject({ status: 'linked', caseRef: opened.json().ref });
  });
});

describe('sealed cases', () => {
  let sealed: { id: string; ref: string; title: string };
  let open: { id: string; ref: string };
  const TITLE = 'Refund skimming Zebulon';

  beforeAll(async () => {
    const res = await call('karen', 'POST', '/api/cases', { title: TITLE, type: 'internal_theft', storeId: store['NE-101'], subjectKind: 'employee', subjectName: 'Quentin Zebulon' });
    expect(res.statusCode, res.body).toBe(201);
    sealed = res.json();
    expect(res.json().sealed).toBe(true);
    open = (await call('jamal', 'POST', '/api/cases', { title: 'ORC crew at Westfield mall', type: 'orc', storeId: store['NE-101'] })).json();
  });

  const OUTSIDERS: Who[] = ['dana', 'jamal', 'hannah', 'marcus', 'chris', 'ricky'];

  it('is absent from every list, count, search, export, home and feed for non-members (admin, LP member, security, IT lead, viewer, store LP)', async () => {
    for (const who of OUTSIDERS) {
      const list = await call(who, 'GET', '/api/cases?limit=200');
      if (list.statusCode === 403) {
        expect(['marcus', 'chris']).toContain(who); // IT has no case access at all
      } else {
        expect(list.json().items.map((c: { ref: string }) => c.ref), who).not.toContain(sealed.ref);
        expect(list.json().items.some((c: { sealed: boolean }) => c.sealed), who).toBe(false);
        const csv = await call(who, 'GET', '/api/cases/export');
        expect(csv.body, who).not.toContain(sealed.ref);
        expect(csv.body, who).not.toContain('Quentin');
      }
      const direct = await call(who, 'GET', `/api/cases/${sealed.ref}`);
      expect([403, 404], who).toContain(direct.statusCode);
      if (direct.statusCode === 403) expect(['marcus', 'chris']).toContain(who);
      for (const q of [sealed.ref, 'CASE-', 'Zebulon', 'Quentin']) {
        const s = JSON.stringify((await call(who, 'GET', `/api/search?q=${encodeURIComponent(q)}`)).json().groups);
        expect(s, `${who} ${q}`).not.toContain(sealed.ref);
        expect(s, `${who} ${q}`).not.toContain('Quentin');
        expect(s, `${who} ${q}`).not.toContain('Zebulon');
      }
      const h = await home(t.ctx, await actorFor(t.ctx, EMAILS[who]));
      expect(JSON.stringify(h), who).not.toContain(sealed.ref);
      expect(JSON.stringify(h), who).not.toContain(TITLE);
      const openFigure = h.figures.find((f) => f.label === 'Open cases');
      if (openFigure) {
        const visible = (await call(who, 'GET', '/api/cases?status=active&limit=1')).json().total;
        expect(openFigure.value, who).toBe(visible);
      }
      const evidence = await call(who, 'GET', `/api/cases/${sealed.ref}`);
      expect(evidence.body).not.toContain('Quentin');
    }
    // The non-sealed case stays visible to LP, security and the admin.
    expect((await call('dana', 'GET', `/api/cases/${open.ref}`)).statusCode).toBe(200);
    expect((await call('hannah', 'GET', `/api/cases/${open.ref}`)).statusCode).toBe(200);
  });

  it('is visible to its lead and to LP leads; every read is audited; the activity feed never shows it', async () => {
    expect((await call('karen', 'GET', `/api/cases/${sealed.ref}`)).statusCode).toBe(200);
    const byLead = await call('priya', 'GET', `/api/cases/${sealed.ref}`);
    expect(byLead.statusCode).toBe(200);
    expect(byLead.json().subjectName).toBe('Quentin Zebulon');
    const reads = await t.ctx.db.select().from(auditLog).where(sql`${auditLog.entity} = 'sealed_case' and ${auditLog.action} = 'read' and ${auditLog.entityId} = ${sealed.id}`);
    expect(reads.map((r) => r.actorId).sort()).toEqual([id.karen, id.priya].sort());
    const feed = await home(t.ctx, await actorFor(t.ctx, EMAILS.dana));
    expect(feed.recent.some((r) => r.summary.includes(sealed.ref))).toBe(false);
    const priyaHome = await home(t.ctx, await actorFor(t.ctx, EMAILS.priya));
    expect(priyaHome.figures.find((f) => f.label === 'Open cases')!.value).toBe((await call('priya', 'GET', '/api/cases?status=active&limit=1')).json().total);
  });

  it('agenda suggestions name restricted cases as a count only', async () => {
    const suggester = agendaSuggesters().find((s) => s.kind === 'cases')!;
    const priyaItems = await suggester.suggest(t.ctx, await actorFor(t.ctx, EMAILS.priya), { from: new Date(Date.now() - 86400_000), to: new Date(Date.now() + 60_000), departmentIds: [] });
    const text = JSON.stringify(priyaItems);
    expect(text).toMatch(/restricted \(count only\)/);
    expect(text).not.toContain(sealed.ref);
    const jamalItems = JSON.stringify(await suggester.suggest(t.ctx, await actorFor(t.ctx, EMAILS.jamal), { from: new Date(Date.now() - 86400_000), to: new Date(), departmentIds: [] }));
    expect(jamalItems).not.toMatch(/restricted/);
  });

  it('an admin who adds themselves is audited and the members are told', async () => {
    const res = await call('dana', 'POST', `/api/cases/${sealed.ref}/members`, { personId: id.dana, access: 'read' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await call('dana', 'GET', `/api/cases/${sealed.ref}`)).statusCode).toBe(200);
    const [grant] = await t.ctx.db.select().from(auditLog).where(sql`${auditLog.action} = 'grant' and ${auditLog.entityId} = ${sealed.id}`);
    expect(grant.actorId).toBe(id.dana);
    const told = await t.ctx.database.query<{ n: number }>(`select count(*)::int as n from notifications where recipient_id = $1 and kind = 'case_access'`, [id.karen]);
    expect(Number(told.rows[0].n)).toBe(1);
    // Adding someone else to a case the admin cannot see is not possible (it does not exist for them).
    const other = (await call('karen', 'POST', '/api/cases', { title: 'Till shortages', type: 'internal_theft', storeId: store['NE-101'] })).json();
    expect((await call('dana', 'POST', `/api/cases/${other.ref}/members`, { personId: id.jamal })).statusCode).toBe(404);
    // A read-only member cannot change the case.
    expect((await call('dana', 'POST', `/api/cases/${sealed.ref}/notes`, { body: 'x' })).statusCode).toBe(403);
  });

  it('the newsletter tells closed cases without names, and never a restricted one', async () => {
    await call('karen', 'PATCH', `/api/cases/${sealed.ref}`, { status: 'closed', outcome: 'substantiated', lossCents: 250000 });
    const c = (await call('jamal', 'POST', '/api/cases', { title: 'Booster Yolanda Ferris', type: 'external_theft', storeId: store['NE-102'], subjectKind: 'external', subjectName: 'Yolanda Ferris' })).json();
    const closed = await call('jamal', 'PATCH', `/api/cases/${c.ref}`, { status: 'closed', outcome: 'substantiated', lossCents: 48000, recoveryCents: 12000 });
    expect(closed.statusCode, closed.body).toBe(200);
    const contributor = newsletterContributors().find((n) => n.kind === 'cases')!;
    const sections = await contributor.draft(t.ctx, { from: new Date(Date.now() - 86400_000), to: new Date(Date.now() + 60_000) });
    const text = JSON.stringify(sections);
    expect(text).toContain('Cases closed');
    expect(text).toContain('$480');
    expect(text).not.toContain('Yolanda');
    expect(text).not.toContain('Ferris');
    expect(text).not.toContain(c.ref);
    expect(text).not.toContain('Internal / employee theft');
    expect(text).not.toContain('Zebulon');
  });
});

describe('evidence and chain of custody', () => {
  let ref: string;
  beforeAll(async () => {
    ref = (await call('karen', 'POST', '/api/cases', { title: 'Gift-card fraud ring', type: 'return_fraud', storeId: store['NE-101'] })).json().ref;
  });

  it('stores the file in chunks with its SHA-256, and logs upload and download with who and why', async () => {
    const data = randomBytes(2.5 * 1024 * 1024);
    const res = await upload('karen', `/api/cases/${ref}/evidence?filename=${encodeURIComponent('register 3 clip.mp4')}&contentType=video/mp4`, data);
    expect(res.statusCode, res.body).toBe(201);
    const ev = res.json();
    expect(ev.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(ev.sizeBytes).toBe(data.length);
    const [{ n }] = (await t.ctx.database.query<{ n: number }>(`select count(*)::int as n from case_blob_chunks c join case_evidence e on e.blob_id = c.blob_id where e.id = $1`, [ev.id])).rows;
    expect(Number(n)).toBe(3);
    const down = await call('jamal', 'GET', `/api/case-evidence/${ev.id}/download?reason=${encodeURIComponent('Prepare police pack')}`);
    expect(down.statusCode).toBe(200);
    expect(Buffer.compare(down.rawPayload, data)).toBe(0);
    expect(down.headers['x-content-sha256']).toBe(ev.sha256);
    const custody = await t.ctx.db.select().from(evidenceCustody).where(eq(evidenceCustody.evidenceId, ev.id)).orderBy(evidenceCustody.createdAt);
    expect(custody.map((c) => [c.action, c.actorName])).toEqual([
      ['uploaded', 'Karen Holt'],
      ['downloaded', 'Jamal Brooks'],
    ]);
    expect(custody[1].reason).toBe('Prepare police pack');
    const transfer = await call('karen', 'POST', `/api/case-evidence/${ev.id}/custody`, { action: 'transferred', reason: 'Handed to Hartford PD', recipient: 'Officer M. Reyes #4411' });
    expect(transfer.statusCode, transfer.body).toBe(201);
    expect(transfer.json().custody.at(-1)).toMatchObject({ action: 'transferred', recipient: 'Officer M. Reyes #4411', actorName: 'Karen Holt' });
  });

  it('the custody log is append-only', async () => {
    await expect(t.ctx.database.query(`update evidence_custody set reason = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(t.ctx.database.query(`delete from evidence_custody`)).rejects.toThrow(/append-only/);
  });

  it('a tampered stored file raises the integrity alarm and is not sent', async () => {
    const data = Buffer.from('original statement of the witness, signed');
    const ev = (await upload('karen', `/api/cases/${ref}/evidence?filename=statement.txt&contentType=text/plain`, data)).json();
    await t.ctx.database.query(`update case_blob_chunks set data = $1 where blob_id = (select blob_id from case_evidence where id = $2)`, [Buffer.from('altered statement of the witness, signed'), ev.id]);
    const down = await call('karen', 'GET', `/api/case-evidence/${ev.id}/download`);
    expect(down.statusCode).toBe(409);
    expect(down.json().error.code).toBe('integrity_alarm');
    const [row] = await t.ctx.db.select().from(caseEvidence).where(eq(caseEvidence.id, ev.id));
    expect(row.integrityAlarmAt).not.toBeNull();
    const custody = await t.ctx.db.select().from(evidenceCustody).where(eq(evidenceCustody.evidenceId, ev.id));
    expect(custody.map((c) => c.action)).toContain('integrity_alarm');
    expect(custody.map((c) => c.action)).not.toContain('downloaded');
  });

  it('an upload over the limit gets 413 naming the limit, and nothing is stored', async () => {
    const before = await t.ctx.db.select().from(caseEvidence);
    const res = await upload('karen', `/api/cases/${ref}/evidence?filename=big.mp4`, randomBytes(LIMIT + 10));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toMatch(/4 MB \(EVIDENCE_MAX_BYTES\)/);
    expect((await t.ctx.db.select().from(caseEvidence)).length).toBe(before.length);
  });

  it('people outside the case cannot download its evidence', async () => {
    const sealedRef = (await call('karen', 'POST', '/api/cases', { title: 'Sealed evidence', type: 'internal_theft', storeId: store['NE-101'] })).json().ref;
    const ev = (await upload('karen', `/api/cases/${sealedRef}/evidence?filename=a.txt`, Buffer.from('abc'))).json();
    expect((await call('jamal', 'GET', `/api/case-evidence/${ev.id}/download`)).statusCode).toBe(404);
    expect((await call('dana', 'GET', `/api/case-evidence/${ev.id}/download`)).statusCode).toBe(404);
  });
});

describe('case report (PDF)', () => {
  it('prints the case with its evidence hashes and custody; the export is in the custody log, the timeline and the audit; non-members get 404', async () => {
    const opened = await call('karen', 'POST', '/api/cases', { title: 'Refunds without receipts at register 2', type: 'internal_theft', storeId: store['NE-101'] });
    expect(opened.statusCode, opened.body).toBe(201);
    const { ref, id: caseId } = opened.json();
    await call('karen', 'PATCH', `/api/cases/${ref}`, { subjectKind: 'employee', subjectName: 'Quinn Porter', lossCents: 184250, recoveryCents: 40000, restitutionCents: 25000, policeReferralDate: '2026-11-20' });
    await call('karen', 'POST', `/api/cases/${ref}/tasks`, { title: 'Interview the shift supervisor', ownerId: id.karen, dueDate: '2026-12-04' });
    await call('karen', 'POST', `/api/cases/${ref}/notes`, { body: 'Seven no-receipt refunds in two weeks, all on the same badge.' });
    const data = Buffer.from('refund log export for register 2');
    const ev = (await upload('karen', `/api/cases/${ref}/evidence?filename=refunds.csv&contentType=text/csv`, data)).json();
    expect(ev.sha256).toBe(createHash('sha256').update(data).digest('hex'));

    const res = await call('karen', 'GET', `/api/cases/${ref}/report.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`${ref}-report.pdf`);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const drawn = pdfText(res.rawPayload);
    expect(drawn).toContain(ref);
    expect(drawn).toContain(ev.sha256);
    expect(drawn).toContain('Quinn Porter');
    expect(drawn).toContain('Interview the shift supervisor');
    expect(drawn).toContain('RESTRICTED');

    // The export is in the item's custody log (and in the printed one), the timeline and the audit trail.
    const custody = await t.ctx.db.select().from(evidenceCustody).where(eq(evidenceCustody.evidenceId, ev.id)).orderBy(evidenceCustody.createdAt);
    expect(custody.map((c) => [c.action, c.actorName])).toEqual([
      ['uploaded', 'Karen Holt'],
      ['exported', 'Karen Holt'],
    ]);
    expect(drawn).toContain('Listed in the case report (PDF)');
    const detail = (await call('karen', 'GET', `/api/cases/${ref}`)).json();
    expect(detail.timeline.map((n: { body: string }) => n.body)).toContain('Exported the case report (PDF)');
    const audits = await t.ctx.db.select().from(auditLog).where(sql`${auditLog.entityId} = ${caseId} and ${auditLog.action} = 'export'`);
    expect(audits).toHaveLength(1);
    expect(audits[0].entity).toBe('sealed_case');

    // Same visibility as reading the case: a sealed case is not found for non-members, admins and IT included.
    for (const who of ['jamal', 'dana', 'hannah'] as const) {
      const denied = await call(who, 'GET', `/api/cases/${ref}/report.pdf`);
      expect(denied.statusCode, who).toBe(404);
    }
    // IT has no case access at all: refused as a read of the case is.
    expect((await call('marcus', 'GET', `/api/cases/${ref}/report.pdf`)).statusCode).toBe((await call('marcus', 'GET', `/api/cases/${ref}`)).statusCode);
    // An LP lead may read it.
    expect((await call('priya', 'GET', `/api/cases/${ref}/report.pdf`)).statusCode).toBe(200);
    // A refused print writes nothing.
    const after = await t.ctx.db.select().from(evidenceCustody).where(eq(evidenceCustody.evidenceId, ev.id));
    expect(after.filter((c) => c.action === 'exported').map((c) => c.actorName)).toEqual(['Karen Holt', 'Priya Natarajan']);
  });
});

/**
 * A large evidence upload streams: the body is generated as a stream (never held whole), sent over a
 * real HTTP connection, and the process's memory is sampled while it flows. Size: EVIDENCE_STREAM_MB,
 * by default 500 MB on PostgreSQL. In-memory PGlite keeps the database itself in this process, so the
 * stored copy necessarily grows memory once the body is in (and storing is slow: about 1 MB/s);
 * there the default is 48 MB, a quick run of the same path, and the bound is checked while the body
 * streams in. The flat-memory claim itself is the PostgreSQL run: 500 MB, bound over the whole
 * request, storage included (measured: rss +65 MB, heap +1 MB).
 */
describe('large evidence uploads', () => {
  const onPg = process.env.TEST_DATABASE === 'postgres';
  const MB = Number(process.env.EVIDENCE_STREAM_MB ?? (onPg ? 500 : 48));
  const BOUND = 150 * 1024 * 1024;

  it(`a ${MB} MB upload streams with flat memory and is stored with the right SHA-256`, async () => {
    const ref = (await call('karen', 'POST', '/api/cases', { title: 'Loading dock video', type: 'orc', storeId: store['NE-101'] })).json().ref;
    const total = MB * 1024 * 1024;
    const previous = t.ctx.config.evidenceMaxBytes;
    t.ctx.config.evidenceMaxBytes = total + 1024 * 1024;
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (new URL(address).port || (t.app.server.address() as AddressInfo).port);
    try {
      // 1 MiB of noise repeated, each copy stamped with its index, hashed as it is produced.
      const block = randomBytes(1024 * 1024);
      const expected = createHash('sha256');
      let sent = 0;
      const body = new Readable({
        read() {
          if (sent >= total) return void this.push(null);
          const chunk = Buffer.from(block);
          chunk.writeUInt32BE(sent / block.length, 0);
          expected.update(chunk);
          sent += chunk.length;
          this.push(chunk);
        },
      });
      global.gc?.();
      const base = process.memoryUsage();
      let peakRss = base.rss;
      let peakHeap = base.heapUsed;
      let peakRssWhileStreaming = base.rss;
      let peakHeapWhileStreaming = base.heapUsed;
      const sample = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
        if (sent < total) {
          peakRssWhileStreaming = Math.max(peakRssWhileStreaming, m.rss);
          peakHeapWhileStreaming = Math.max(peakHeapWhileStreaming, m.heapUsed);
        }
      }, 25);
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/api/cases/${ref}/evidence?filename=dock-camera-4.mp4&contentType=video/mp4`,
            headers: { cookie: cookie.karen, origin: 'http://localhost:3000', 'content-type': 'application/octet-stream', 'content-length': String(total) },
          },
          (r) => {
            const parts: Buffer[] = [];
            r.on('data', (c: Buffer) => parts.push(c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
          },
        );
        req.on('error', reject);
        body.pipe(req);
      });
      clearInterval(sample);
      expect(res.status, res.body).toBe(201);
      const ev = JSON.parse(res.body);
      expect(ev.sizeBytes).toBe(total);
      expect(ev.sha256).toBe(expected.digest('hex'));
      const mb = (n: number) => Math.round(n / 1024 / 1024);
      const growth = { rss: peakRss - base.rss, rssWhileStreaming: peakRssWhileStreaming - base.rss, heap: peakHeap - base.heapUsed, heapWhileStreaming: peakHeapWhileStreaming - base.heapUsed };
      console.info(`evidence upload ${MB} MB on ${onPg ? 'PostgreSQL' : 'PGlite'}: rss +${mb(growth.rss)} MB (while streaming +${mb(growth.rssWhileStreaming)} MB), heap +${mb(growth.heap)} MB (while streaming +${mb(growth.heapWhileStreaming)} MB)`);
      expect(growth.rssWhileStreaming).toBeLessThan(BOUND);
      expect(growth.heapWhileStreaming).toBeLessThan(BOUND);
      if (onPg) {
        expect(growth.rss).toBeLessThan(BOUND);
        expect(growth.heap).toBeLessThan(BOUND);
      }
      const [{ n }] = (await t.ctx.database.query<{ n: number }>(`select count(*)::int as n from case_blob_chunks c join case_evidence e on e.blob_id = c.blob_id where e.id = $1`, [ev.id])).rows;
      expect(Number(n)).toBe(MB);
    } finally {
      t.ctx.config.evidenceMaxBytes = previous;
    }
  }, 600_000);
});

describe('writes are all-or-nothing; references are unique', () => {
  it('opening a case with one bad link stores nothing', async () => {
    const inc = await report('lily', { storeId: store['NE-101'] });
    const casesBefore = (await t.ctx.db.select().from(cases)).length;
    const res = await call('jamal', 'POST', '/api/cases', { title: 'Half good', type: 'external_theft', storeId: store['NE-101'], incidentIds: [inc.ref, 'INC-999999'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems[0].field).toBe('incidentIds');
    expect((await t.ctx.db.select().from(cases)).length).toBe(casesBefore);
    const [row] = await t.ctx.db.select().from(incidents).where(eq(incidents.id, inc.id));
    expect(row.caseId).toBeNull();
    expect(row.status).toBe('new');
  });

  it('CASE references stay unique and gap-free when cases are opened at once', async () => {
    const actor = await actorFor(t.ctx, EMAILS.jamal);
    const opened = await Promise.all(Array.from({ length: 8 }, (_, i) => openCase(t.ctx, actor, { title: `Parallel ${i}`, type: 'damage', summary: '', storeId: store['NE-103'], subjectKind: 'unknown', subjectName: '', subjectDescription: '', subjectCashierId: null, incidentIds: [], exceptionIds: [], transactionIds: [], memberIds: [] })));
    const refs = opened.map((c) => c.ref);
    expect(new Set(refs).size).toBe(8);
    const seqs = refs.map((r) => Number(r.split('-')[2])).sort((a, b) => a - b);
    expect(seqs.at(-1)! - seqs[0]).toBe(7);
    expect(refs[0]).toMatch(new RegExp(`^CASE-${new Date().getUTCFullYear()}-\\d{4}$`));
  });
});

describe('video export requests and tips', () => {
  it('asks IT for a video export from a case, carrying store, cameras, window and the case reference', async () => {
    const c = (await call('jamal', 'POST', '/api/cases', { title: 'Fitting-room thefts', type: 'external_theft', storeId: store['NE-101'] })).json();
    const res = await call('jamal', 'POST', '/api/video-requests', { caseId: c.ref, cameras: 'NE-101-CAM-R3, fitting rooms', from: '2026-11-20T18:40:00Z', to: '2026-11-20T19:10:00Z' });
    expect(res.statusCode, res.body).toBe(201);
    const [r] = await t.ctx.db.select().from(requests).where(eq(requests.id, res.json().requestId));
    expect(r.storeId).toBe(store['NE-101']);
    expect(r.description).toContain(c.ref);
    expect(r.description).toContain('NE-101-CAM-R3');
    expect(r.description).toContain('2026-11-20T18:40:00Z');
    const detail = (await call('jamal', 'GET', `/api/cases/${c.ref}`)).json();
    expect(detail.requests.map((x: { ref: string }) => x.ref)).toEqual([res.json().requestRef]);
  });

  it('anonymous tips: closed until an admin opens the line; the tipster reads replies with the code; nothing identifies them', async () => {
    const body = { storeId: store['NE-102'], type: 'internal_theft', occurredAt: now(), narrative: 'The night supervisor voids sales after customers leave.' };
    expect((await call(null, 'POST', '/api/public/tips', body)).statusCode).toBe(404);
    expect((await call('jamal', 'PUT', '/api/case-settings', { tipsEnabled: true })).statusCode).toBe(403);
    expect((await call('dana', 'PUT', '/api/case-settings', { tipsEnabled: true })).statusCode).toBe(200);
    const tip = await t.app.inject({ method: 'POST', url: '/api/public/tips', remoteAddress: '203.0.113.9', headers: { origin: 'http://localhost:3000' }, payload: body });
    expect(tip.statusCode, tip.body).toBe(201);
    const { ref, code } = tip.json();
    const [row] = await t.ctx.db.select().from(incidents).where(eq(incidents.number, Number(ref.slice(4))));
    expect(row.reporterId).toBeNull();
    expect(row.tipCodeHash).not.toContain(code);
    const audits = await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, row.id));
    expect(audits.every((a) => a.actorId === null && a.ip === null)).toBe(true);
    expect(JSON.stringify(await t.ctx.database.query(`select * from incidents where id = $1`, [row.id]))).not.toContain('203.0.113.9');

    const reply = await call('jamal', 'POST', `/api/incidents/${ref}/messages`, { body: 'Thank you. Which nights?' });
    expect(reply.statusCode, reply.body).toBe(201);
    const thread = await call(null, 'GET', `/api/public/tips/${code}`);
    expect(thread.json().messages.map((m: { body: string }) => m.body)).toEqual(['Thank you. Which nights?']);
    const more = await call(null, 'POST', `/api/public/tips/${code}/messages`, { body: 'Tuesdays and Fridays after 9pm.' });
    expect(more.statusCode).toBe(201);
    expect((await call('jamal', 'GET', `/api/incidents/${ref}`)).json().messages.map((m: { fromTipster: boolean }) => m.fromTipster)).toEqual([false, true]);
    expect((await call(null, 'GET', '/api/public/tips/WRONG-CODE-1234')).statusCode).toBe(404);
    // Rate limited per address.
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.app.inject({ method: 'POST', url: '/api/public/tips', remoteAddress: '198.51.100.7', headers: { origin: 'http://localhost:3000' }, payload: body })).statusCode);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});

describe('shrink dashboard', () => {
  type Figures = { totals: { lostCents: number; recoveredCents: number; count: number }; byCause: { type: string; lostCents: number }[]; byStore: { storeId: string | null; storeCode: string | null; lostCents: number }[]; byMonth: { month: string; lostCents: number }[]; nrf: { cause: string; nrfShare: number; chainShare: number | null; lostCents: number }[]; cases: { open: number; onHold: number; closed: number; avgDaysToClose: number | null } };
  const figures = async (as: Who, qs = '') => {
    const res = await call(as, 'GET', `/api/incidents/shrink${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Figures;
  };
  const cause = (f: Figures, type: string) => f.byCause.find((c) => c.type === type)!.lostCents;

  it('sums losses by cause, store and month; totals agree; the NRF reference and the chain shares sit side by side', async () => {
    const f = await figures('priya');
    const sum = (xs: { lostCents: number }[]) => xs.reduce((a, x) => a + x.lostCents, 0);
    expect(f.totals.lostCents).toBeGreaterThan(0);
    expect(sum(f.byCause)).toBe(f.totals.lostCents);
    expect(sum(f.byStore)).toBe(f.totals.lostCents);
    expect(sum(f.byMonth)).toBe(f.totals.lostCents);
    expect(f.byMonth).toHaveLength(12);
    expect(f.nrf.map((n) => [n.cause, n.nrfShare])).toEqual([['external', 36], ['internal', 29], ['process', 27], ['other', 8]]);
    expect(f.nrf.reduce((a, n) => a + n.lostCents, 0)).toBe(f.totals.lostCents);
    expect(f.nrf.find((n) => n.cause === 'external')!.lostCents).toBe(cause(f, 'external_theft') + cause(f, 'orc') + cause(f, 'return_fraud'));

    // A new incident of 123.45 adds exactly that to its cause, its store and this month.
    await report('lily', { storeId: store['NE-101'], type: 'damage', estimatedLossCents: 12345, recoveredCents: 2000 });
    const g = await figures('priya');
    expect(g.totals.lostCents - f.totals.lostCents).toBe(12345);
    expect(g.totals.recoveredCents - f.totals.recoveredCents).toBe(2000);
    expect(cause(g, 'damage') - cause(f, 'damage')).toBe(12345);
    expect(g.byStore.find((s) => s.storeCode === 'NE-101')!.lostCents - f.byStore.find((s) => s.storeCode === 'NE-101')!.lostCents).toBe(12345);
    expect(g.byMonth.at(-1)!.lostCents - f.byMonth.at(-1)!.lostCents).toBe(12345);

    // When the case it leads to records a loss, the case's figure replaces the incident's: not counted twice.
    const inc = await report('lily', { storeId: store['NE-101'], type: 'external_theft', estimatedLossCents: 50000 });
    const c = (await call('jamal', 'POST', '/api/cases', { title: 'Walk-outs at NE-101 garden centre', type: 'external_theft', storeId: store['NE-101'], incidentIds: [inc.id] })).json();
    const before = await figures('priya');
    expect((await call('jamal', 'PATCH', `/api/cases/${c.ref}`, { lossCents: 80000, recoveryCents: 10000, restitutionCents: 5000 })).statusCode).toBe(200);
    const after = await figures('priya');
    expect(after.totals.lostCents - before.totals.lostCents).toBe(80000 - 50000);
    expect(after.totals.recoveredCents - before.totals.recoveredCents).toBe(15000);
    expect(after.cases.open).toBe(before.cases.open);
  });

  it('a store person sees only their stores; a non-member never gets a restricted case\'s loss, its members and LP leads do', async () => {
    const gary = await figures('gary');
    expect(gary.byStore.length).toBeGreaterThan(0);
    expect(gary.byStore.every((s) => s.storeId === store['NE-101'])).toBe(true);
    expect(cause(gary, 'internal_theft')).toBe(0); // internal-theft reports are not shown to store people
    expect(gary.cases).toEqual({ open: 0, onHold: 0, closed: 0, avgDaysToClose: null });

    const who: Who[] = ['jamal', 'dana', 'ricky', 'karen', 'priya', 'gary'];
    const before = Object.fromEntries(await Promise.all(who.map(async (w) => [w, await figures(w)] as const))) as Record<Who, Figures>;
    const sealed = (await call('karen', 'POST', '/api/cases', { title: 'Till shortages on late shift', type: 'internal_theft', storeId: store['NE-101'], subjectKind: 'employee' })).json();
    expect(sealed.sealed).toBe(true);
    expect((await call('karen', 'PATCH', `/api/cases/${sealed.ref}`, { lossCents: 777700, status: 'closed', outcome: 'substantiated' })).statusCode).toBe(200);
    for (const w of ['jamal', 'dana', 'ricky', 'gary'] as Who[]) {
      const after = await figures(w);
      expect(after.totals, w).toEqual(before[w].totals);
      expect(after.byStore, w).toEqual(before[w].byStore);
      expect(after.cases, w).toEqual(before[w].cases);
      const csv = (await call(w, 'GET', '/api/incidents/shrink/export')).body;
      expect(csv).not.toContain('7777.00');
    }
    for (const w of ['karen', 'priya'] as Who[]) {
      const after = await figures(w);
      expect(after.totals.lostCents - before[w].totals.lostCents, w).toBe(777700);
      expect(cause(after, 'internal_theft') - cause(before[w], 'internal_theft'), w).toBe(777700);
      expect(after.cases.closed - before[w].cases.closed, w).toBe(1);
    }
  });

  it('filters by store and period, exports the same figures as CSV, and names a bad parameter', async () => {
    const ne = await figures('priya', `?storeId=${store['NE-101']}&months=3`);
    expect(ne.byMonth).toHaveLength(3);
    expect(ne.byStore.every((s) => s.storeId === store['NE-101'])).toBe(true);
    const csv = await call('priya', 'GET', `/api/incidents/shrink/export?storeId=${store['NE-101']}&months=3`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('section,key,label,lost,recovered,count,share_of_loss_percent,nrf_share_percent');
    expect(lines[1]).toContain(`total,all,`);
    expect(lines[1]).toContain((ne.totals.lostCents / 100).toFixed(2));
    expect(csv.body).toContain('nrf_cause,internal,Internal theft');
    expect(csv.body).toContain('29 (NRF National Retail Security Survey 2022)');
    const bad = await call('priya', 'GET', '/api/incidents/shrink?months=40');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems[0].field).toBe('months');
  });
});

describe('video export delivered by IT as evidence', () => {
  it('IT attaches the export on the request; it lands on the restricted case with its SHA-256 and custody, and IT still cannot read the case', async () => {
    const c = (await call('karen', 'POST', '/api/cases', { title: 'Lane voids on the late shift', type: 'internal_theft', storeId: store['NE-101'], subjectKind: 'employee' })).json();
    expect(c.sealed).toBe(true);
    const ask = await call('karen', 'POST', '/api/video-requests', { caseId: c.ref, cameras: 'NE-101 lane 3', from: '2026-11-21T20:00:00Z', to: '2026-11-21T20:30:00Z' });
    expect(ask.statusCode, ask.body).toBe(201);
    const reqRef = ask.json().requestRef as string;
    for (const status of ['accepted', 'in_progress', 'done']) {
      const s = await call('rachel', 'POST', `/api/requests/${reqRef}/status`, { status });
      expect(s.statusCode, s.body).toBe(200);
    }
    const data = randomBytes(300_000);
    const sha = createHash('sha256').update(data).digest('hex');
    // Someone on the asking side cannot deliver it; a file without a name is refused by field.
    expect((await upload('jamal', `/api/requests/${reqRef}/video-export?filename=lane3.mp4`, data)).statusCode).toBe(403);
    const noName = await upload('rachel', `/api/requests/${reqRef}/video-export`, data);
    expect(noName.statusCode).toBe(400);
    expect(noName.json().error.problems[0].field).toBe('filename');

    const res = await upload('rachel', `/api/requests/${reqRef}/video-export?filename=lane3.mp4&contentType=video/mp4`, data);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ requestRef: reqRef, caseRef: c.ref, sha256: sha, sizeBytes: data.length, evidenceNumber: 1 });
    expect(JSON.stringify(res.json())).not.toContain('Lane voids');

    // On the case: the file, its hash, and the custody entry naming the request.
    const detail = (await call('karen', 'GET', `/api/cases/${c.ref}`)).json();
    const ev = detail.evidence.find((e: { sha256: string }) => e.sha256 === sha);
    expect(ev).toBeTruthy();
    expect(ev.source).toBe('video_export');
    const custody = await t.ctx.db.select().from(evidenceCustody).where(eq(evidenceCustody.evidenceId, ev.id));
    expect(custody.map((x) => [x.action, x.reason, x.actorId, x.sha256])).toEqual([['uploaded', `Received from IT (${reqRef})`, id.rachel, sha]]);
    const dl = await call('karen', 'GET', `/api/case-evidence/${ev.id}/download?reason=${encodeURIComponent('Review the lane 3 footage')}`);
    expect(dl.statusCode).toBe(200);
    expect(createHash('sha256').update(dl.rawPayload).digest('hex')).toBe(sha);

    // IT is not a member and still cannot read the case or its evidence.
    expect(await rows(t.ctx.db, sql`select 1 from case_members where case_id = ${c.id} and person_id = ${id.rachel}`)).toHaveLength(0);
    expect([403, 404]).toContain((await call('rachel', 'GET', `/api/cases/${c.ref}`)).statusCode); // IT has no case access at all
    expect([403, 404]).toContain((await call('rachel', 'GET', `/api/case-evidence/${ev.id}/download?reason=x`)).statusCode);
    expect((await call('rachel', 'GET', '/api/cases')).statusCode).toBe(403);

    // A request that no case raised takes no export.
    const [{ department_id: itDept }] = await rows<{ department_id: string }>(t.ctx.db, sql`select department_id from request_types where lower(name) = 'video export' limit 1`);
    const plain = (await call('gary', 'POST', '/api/requests', { title: 'Camera footage for a slip and fall', description: 'Aisle 4', toDepartmentId: itDept, priority: 'P3' })).json();
    const other = await upload('rachel', `/api/requests/${plain.ref}/video-export?filename=fall.mp4`, data);
    expect(other.statusCode, other.body).toBe(400);
    expect(other.json().error.problems[0].field).toBe('request');
  });
});
