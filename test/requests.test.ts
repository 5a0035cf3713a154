import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';
import { auditLog, mailMessages } from '../src/server/platform/schema.js';
import { departments } from '../src/server/modules/people/schema.js';
import { requestCalendars, requestEvents, requests, requestTypes } from '../src/server/modules/requests/schema.js';
import { addBusinessMinutes } from '../src/server/platform/business-hours.js';

let t: TestApp;
const who: Record<string, string> = {};
const EMAILS = {
  jamal: 'jamal.brooks@meridian.example', // LP member
  luis: 'luis.ortega@meridian.example', // LP lead
  rachel: ROLE_EMAILS.member, // IT member
  ethan: 'ethan.kowalski@meridian.example', // IT member
  marcus: ROLE_EMAILS.lead, // IT lead
  ben: 'ben.adeyemi@meridian.example', // InfoSec member
  dana: ROLE_EMAILS.admin, // admin, in LP
  chris: ROLE_EMAILS.viewer, // IT viewer
  lily: ROLE_EMAILS.staff, // store staff
};
const dept: Record<string, string> = {};
const itTypes: Record<string, string> = {};
let lpTypeId: string;
let ethanId: string;
let jamalId: string;

beforeAll(async () => {
  t = await seededApp();
  for (const [k, email] of Object.entries(EMAILS)) who[k] = await signIn(t.app, email);
  for (const d of await t.ctx.db.select().from(departments)) dept[d.code] = d.id;
  for (const ty of await t.ctx.db.select().from(requestTypes).where(eq(requestTypes.departmentId, dept.IT))) itTypes[ty.name] = ty.id;
  [{ id: lpTypeId }] = await t.ctx.db.select({ id: requestTypes.id }).from(requestTypes).where(eq(requestTypes.departmentId, dept.LP)).limit(1);
  const people = (await call('marcus', 'GET', `/api/people?q=ethan`)).json().items;
  ethanId = people[0].id;
  jamalId = (await call('marcus', 'GET', `/api/people?q=jamal`)).json().items[0].id;
});
afterAll(async () => t?.close());

function call(as: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: { cookie: who[as] }, ...(payload ? { payload } : {}) });
}

const counts = async () => {
  const [r] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(requests);
  const [e] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(requestEvents);
  const [m] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(mailMessages);
  const [a] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(auditLog);
  return { requests: Number(r.n), events: Number(e.n), mails: Number(m.n), audits: Number(a.n) };
};

const videoExport = () => ({
  title: 'Video export for case C-2026-090 (NE-101, 20 Nov 17:00–17:30)',
  description: 'Cameras 3 and 7.',
  toDepartmentId: dept.IT,
  typeId: itTypes['Video export'],
  priority: 'P2',
});

async function file(as = 'jamal', body: object = videoExport()) {
  const res = await call(as, 'POST', '/api/requests', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('filing a request', () => {
  it('files LP → IT with targets from the priority, history, audit, and mail to IT leads in the same transaction', async () => {
    const before = await counts();
    const r = await file();
    expect(r).toMatchObject({ status: 'new', priority: 'P2', fromDepartmentName: 'Loss Prevention', toDepartmentName: 'Information Technology', typeName: 'Video export', assigneeId: null, overdue: false });
    expect(r.ref).toBe(`REQ-${r.number}`);
    // IT counts its business hours (the demo sets weekdays 08:00–18:00 in New York).
    const it = (await call('chris', 'GET', '/api/request-calendars')).json().items.find((c: { departmentId: string }) => c.departmentId === dept.IT).calendar;
    expect(it).toMatchObject({ workDays: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' });
    expect(r.responseDueAt).toBe(addBusinessMinutes(new Date(r.createdAt), 8 * 60, it).toISOString());
    expect(r.resolutionDueAt).toBe(addBusinessMinutes(new Date(r.createdAt), 3 * 24 * 60, it).toISOString());
    expect(r.targetClock).toBe('business hours of Information Technology: Mon–Fri 08:00–18:00 (America/New_York), 7 holidays');
    expect(r.events.map((e: { kind: string }) => e.kind)).toEqual(['created']);
    const mails = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.kind, 'request_new'));
    expect(mails.map((m) => m.toAddress)).toContain(EMAILS.marcus);
    expect(mails.find((m) => m.toAddress === EMAILS.marcus)!.subject).toContain(r.ref);
    const after = await counts();
    expect(after.requests).toBe(before.requests + 1);
    expect(after.mails).toBe(before.mails + 1); // IT has one lead
    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, r.id));
    expect(audit.map((a) => a.action)).toEqual(['create']);
    // Readable by reference and by number.
    expect((await call('chris', 'GET', `/api/requests/${r.ref}`)).json().id).toBe(r.id);
    expect((await call('chris', 'GET', `/api/requests/${r.number}`)).json().id).toBe(r.id);
  });

  const bad: Array<[string, () => object, string]> = [
    ['an empty title', () => ({ ...videoExport(), title: '   ' }), 'title'],
    ['a type of another department', () => ({ ...videoExport(), typeId: lpTypeId }), 'typeId'],
    ['a request to one’s own department', () => ({ ...videoExport(), toDepartmentId: dept.LP, typeId: lpTypeId }), 'toDepartmentId'],
    ['an unknown priority', () => ({ ...videoExport(), priority: 'P9' }), 'priority'],
    ['a due date in the past', () => ({ ...videoExport(), dueDate: '2020-01-31' }), 'dueDate'],
  ];
  for (const [what, body, field] of bad) {
    it(`refuses ${what} with a 400 naming ${field}, and writes nothing`, async () => {
      const before = await counts();
      const res = await call('jamal', 'POST', '/api/requests', body());
      expect(res.statusCode).toBe(400);
      expect(res.json().error.problems.map((p: { field: string }) => p.field)).toContain(field);
      expect(res.json().error.message).toContain(field);
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses staff and viewers', async () => {
    expect((await call('lily', 'POST', '/api/requests', videoExport())).statusCode).toBe(403);
    expect((await call('chris', 'POST', '/api/requests', videoExport())).statusCode).toBe(403);
    expect((await call('lily', 'GET', '/api/requests')).statusCode).toBe(403);
  });
});

describe('state changes by role', () => {
  it('only the target department (or an admin) accepts; accepting takes it on and stops the response clock', async () => {
    const r = await file();
    for (const as of ['jamal', 'luis', 'ben']) {
      const res = await call(as, 'POST', `/api/requests/${r.id}/status`, { status: 'accepted' });
      expect(res.statusCode, as).toBe(403);
    }
    expect((await call('chris', 'POST', `/api/requests/${r.id}/status`, { status: 'accepted' })).statusCode).toBe(403);
    expect((await call('lily', 'POST', `/api/requests/${r.id}/status`, { status: 'accepted' })).statusCode).toBe(403);
    const unchanged = (await call('chris', 'GET', `/api/requests/${r.id}`)).json();
    expect(unchanged.status).toBe('new');
    expect(unchanged.firstResponseAt).toBeNull();

    const res = await call('rachel', 'POST', `/api/requests/${r.id}/status`, { status: 'accepted' });
    expect(res.statusCode, res.body).toBe(200);
    const accepted = res.json();
    expect(accepted.status).toBe('accepted');
    expect(accepted.assigneeName).toBe('Rachel Okafor');
    expect(accepted.firstResponseAt).not.toBeNull();
    expect(accepted.responseMinutes).toBe(0);
    expect(accepted.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'status', 'assigned']);
  });

  it('moves through in progress to done; the requester is told; closed requests stay closed', async () => {
    const r = await file();
    await call('rachel', 'POST', `/api/requests/${r.id}/status`, { status: 'accepted' });
    expect((await call('rachel', 'POST', `/api/requests/${r.id}/status`, { status: 'in_progress' })).statusCode).toBe(200);
    const done = await call('rachel', 'POST', `/api/requests/${r.id}/status`, { status: 'done', reason: 'Exported with hashes; link sent.' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', closeReason: 'Exported with hashes; link sent.' });
    expect(done.json().resolvedAt).not.toBeNull();
    expect(done.json().resolutionMinutes).toBe(0);
    const mails = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.kind, 'request_status'));
    expect(mails.some((m) => m.toAddress === EMAILS.jamal && m.subject.includes(r.ref))).toBe(true);
    const again = await call('jamal', 'POST', `/api/requests/${r.id}/status`, { status: 'cancelled' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.problems[0].field).toBe('status');
  });

  it('declining needs a reason (400 naming it, nothing changes), then records it', async () => {
    const r = await file();
    const before = await counts();
    const res = await call('marcus', 'POST', `/api/requests/${r.id}/status`, { status: 'declined' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems[0].field).toBe('reason');
    expect(await counts()).toEqual(before);
    expect((await call('marcus', 'GET', `/api/requests/${r.id}`)).json().status).toBe('new');
    const ok = await call('marcus', 'POST', `/api/requests/${r.id}/status`, { status: 'declined', reason: 'The recorder at NE-101 keeps 14 days; this footage is gone.' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'declined', closeReason: 'The recorder at NE-101 keeps 14 days; this footage is gone.' });
    expect(ok.json().resolutionMinutes).toBeNull(); // resolution time counts delivered requests only
  });

  it('the requesting side cancels; the target department cannot', async () => {
    const r = await file();
    expect((await call('rachel', 'POST', `/api/requests/${r.id}/status`, { status: 'cancelled' })).statusCode).toBe(403);
    expect((await call('marcus', 'POST', `/api/requests/${r.id}/status`, { status: 'cancelled' })).statusCode).toBe(403);
    const res = await call('luis', 'POST', `/api/requests/${r.id}/status`, { status: 'cancelled', reason: 'Case closed' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('cancelled');
    expect(res.json().firstResponseAt).toBeNull(); // cancelling is not a response
  });

  it('an admin may act for the target department', async () => {
    const r = await file();
    const res = await call('dana', 'POST', `/api/requests/${r.id}/status`, { status: 'accepted' });
    expect(res.statusCode).toBe(200);
    expect(res.json().assigneeId).toBeNull(); // an admin outside IT does not become the assignee
  });

  it('leads of the target department assign, to their own people only', async () => {
    const r = await file();
    expect((await call('rachel', 'POST', `/api/requests/${r.id}/assign`, { assigneeId: ethanId })).statusCode).toBe(403);
    expect((await call('luis', 'POST', `/api/requests/${r.id}/assign`, { assigneeId: ethanId })).statusCode).toBe(403);
    const before = await counts();
    const wrong = await call('marcus', 'POST', `/api/requests/${r.id}/assign`, { assigneeId: jamalId });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.problems[0].field).toBe('assigneeId');
    expect(await counts()).toEqual(before);
    const res = await call('marcus', 'POST', `/api/requests/${r.id}/assign`, { assigneeId: ethanId });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ assigneeName: 'Ethan Kowalski', status: 'new' });
    expect(res.json().firstResponseAt).not.toBeNull();
    const mails = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.kind, 'request_assigned'));
    expect(mails.some((m) => m.toAddress === EMAILS.ethan)).toBe(true);
  });

  it('comments come from the two departments; a target-side comment is a first response', async () => {
    const r = await file();
    expect((await call('ben', 'POST', `/api/requests/${r.id}/comments`, { body: 'Hello' })).statusCode).toBe(403);
    expect((await call('chris', 'POST', `/api/requests/${r.id}/comments`, { body: 'Hello' })).statusCode).toBe(403);
    const empty = await call('jamal', 'POST', `/api/requests/${r.id}/comments`, { body: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.problems[0].field).toBe('body');
    const mine = await call('jamal', 'POST', `/api/requests/${r.id}/comments`, { body: 'Camera 7 matters most.' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().firstResponseAt).toBeNull();
    const theirs = await call('ethan', 'POST', `/api/requests/${r.id}/comments`, { body: 'On it this afternoon.' });
    expect(theirs.json().firstResponseAt).not.toBeNull();
    expect(theirs.json().events.filter((e: { kind: string }) => e.kind === 'comment').map((e: { body: string }) => e.body)).toEqual(['Camera 7 matters most.', 'On it this afternoon.']);
  });

  it('the requester edits an open request; a priority change moves the targets', async () => {
    const r = await file();
    expect((await call('rachel', 'PATCH', `/api/requests/${r.id}`, { title: 'Changed' })).statusCode).toBe(403);
    const res = await call('jamal', 'PATCH', `/api/requests/${r.id}`, { priority: 'P1' });
    expect(res.statusCode).toBe(200);
    expect(new Date(res.json().responseDueAt).getTime() - new Date(r.createdAt).getTime()).toBe(4 * 3600_000);
    expect(res.json().events.at(-1)).toMatchObject({ kind: 'edited', body: 'Changed priority P2 → P1' });
  });
});

describe('business hours', () => {
  const weekdays = { timezone: 'America/Chicago', workDays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [{ date: '2026-12-25', name: 'Christmas Day' }] };
  const calendarRows = async () => Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(requestCalendars))[0]!.n);

  it('an admin sets a department’s hours; requests filed to it count them; P1 counts round the clock', async () => {
    const set = await call('dana', 'PUT', `/api/request-calendars/${dept.LP}`, weekdays);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ departmentName: 'Loss Prevention', summary: 'Mon–Fri 09:00–17:00 (America/Chicago), 1 holiday' });
    const r = await file('rachel', { title: 'Receipts for the Q4 audit', description: '', toDepartmentId: dept.LP, typeId: lpTypeId, priority: 'P3' });
    const [p3] = (await call('rachel', 'GET', '/api/request-priorities')).json().items.filter((p: { code: string }) => p.code === 'P3');
    expect(r.responseDueAt).toBe(addBusinessMinutes(new Date(r.createdAt), p3.responseMinutes, weekdays).toISOString());
    // Whatever the hour of the test, a business-hours deadline falls inside the hours, on a weekday.
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(r.responseDueAt));
    expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri),? (09|1[0-6]):[0-5]\d|^(Mon|Tue|Wed|Thu|Fri),? 17:00/);
    expect(r.targetClock).toBe('business hours of Loss Prevention: Mon–Fri 09:00–17:00 (America/Chicago), 1 holiday');
    const p1 = await file('rachel', { title: 'Robbery at NE-101: footage now', description: '', toDepartmentId: dept.LP, typeId: lpTypeId, priority: 'P1' });
    expect(new Date(p1.responseDueAt).getTime() - new Date(p1.createdAt).getTime()).toBe(4 * 3600_000);
    expect(p1.targetClock).toBe('round the clock (priority P1)');
  });

  const bad: Array<[string, object, string]> = [
    ['an unknown time zone', { ...weekdays, timezone: 'Mars/Olympus' }, 'timezone'],
    ['no working day', { ...weekdays, workDays: [] }, 'workDays'],
    ['a day 8', { ...weekdays, workDays: [1, 8] }, 'workDays'],
    ['an end before the start', { ...weekdays, start: '18:00', end: '08:00' }, 'end'],
    ['a time 25:00', { ...weekdays, end: '25:00' }, 'end'],
    ['a holiday that is not a date', { ...weekdays, holidays: [{ date: '2026-13-01', name: 'Nope' }] }, 'holidays'],
  ];
  for (const [what, body, field] of bad) {
    it(`refuses ${what} with a 400 naming ${field}, and changes nothing`, async () => {
      const before = (await call('dana', 'GET', '/api/request-calendars')).json();
      const res = await call('dana', 'PUT', `/api/request-calendars/${dept.SEC}`, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toContain(field);
      expect((await call('dana', 'GET', '/api/request-calendars')).json()).toEqual(before);
    });
  }

  it('only admins change hours; everyone who reads requests sees them; removing them goes back to round the clock', async () => {
    const rows = await calendarRows();
    for (const as of ['marcus', 'luis', 'jamal']) expect((await call(as, 'PUT', `/api/request-calendars/${dept.SEC}`, weekdays)).statusCode).toBe(403);
    expect((await call('marcus', 'DELETE', `/api/request-calendars/${dept.IT}`)).statusCode).toBe(403);
    expect((await call('lily', 'GET', '/api/request-calendars')).statusCode).toBe(403);
    expect(await calendarRows()).toBe(rows);
    expect((await call('chris', 'GET', '/api/request-calendars')).statusCode).toBe(200);
    const cleared = await call('dana', 'DELETE', `/api/request-calendars/${dept.LP}`);
    expect(cleared.json()).toMatchObject({ calendar: null, summary: 'round the clock' });
    expect(await calendarRows()).toBe(rows - 1);
  });
});

describe('lists, ledger and My work', () => {
  it('filters by direction, status, overdue and assignee; pages with a cursor; exports CSV', async () => {
    const to = (await call('rachel', 'GET', '/api/requests?direction=to&limit=200')).json();
    expect(to.items.length).toBeGreaterThan(5);
    expect(to.items.every((r: { toDepartmentId: string }) => r.toDepartmentId === dept.IT)).toBe(true);
    const overdue = (await call('rachel', 'GET', '/api/requests?overdue=true&limit=200')).json();
    expect(overdue.total).toBeGreaterThan(0);
    expect(overdue.items.every((r: { overdue: boolean }) => r.overdue)).toBe(true);
    const open = (await call('rachel', 'GET', '/api/requests?status=open&limit=200')).json();
    expect(open.items.every((r: { status: string }) => ['new', 'accepted', 'in_progress'].includes(r.status))).toBe(true);
    const mine = (await call('rachel', 'GET', '/api/requests?assignee=me&limit=200')).json();
    expect(mine.items.every((r: { assigneeName: string }) => r.assigneeName === 'Rachel Okafor')).toBe(true);
    const p1 = (await call('rachel', 'GET', '/api/requests?limit=5&sort=createdAt&order=desc')).json();
    const p2 = (await call('rachel', 'GET', `/api/requests?limit=5&sort=createdAt&order=desc&cursor=${p1.nextCursor}`)).json();
    expect(p1.items).toHaveLength(5);
    expect(p2.items[0].createdAt <= p1.items[4].createdAt).toBe(true);
    expect(new Set([...p1.items, ...p2.items].map((r: { id: string }) => r.id)).size).toBe(10);
    const csv = await call('chris', 'GET', '/api/requests/export?direction=to&status=open');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('ref,title,from,to,type,priority,status');
    const bad = await call('rachel', 'GET', '/api/requests?priority=P7');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems[0].field).toBe('priority');
  });

  it('the ledger shows both directions per pair with medians and a monthly trend', async () => {
    const res = await call('chris', 'GET', '/api/requests/ledger?months=6');
    expect(res.statusCode, res.body).toBe(200);
    const l = res.json();
    expect(l.months).toHaveLength(6);
    const pair = l.pairs.find((p: { a: { code: string }; b: { code: string } }) => [p.a.code, p.b.code].sort().join() === 'IT,LP');
    expect(pair).toBeTruthy();
    const lpToIt = pair.a.code === 'LP' ? pair.aToB : pair.bToA;
    const itToLp = pair.a.code === 'LP' ? pair.bToA : pair.aToB;
    expect(lpToIt.asks).toBeGreaterThan(itToLp.asks);
    expect(lpToIt.delivered).toBeGreaterThan(0);
    expect(typeof lpToIt.medianResponseHours).toBe('number');
    expect(typeof lpToIt.medianResolutionHours).toBe('number');
    expect(pair.trend).toHaveLength(6);
    expect(pair.trend.reduce((n: number, m: { aToBAsks: number; bToAAsks: number }) => n + m.aToBAsks + m.bToAAsks, 0)).toBe(lpToIt.asks + itToLp.asks);
    const it = l.departments.find((d: { code: string }) => d.code === 'IT');
    expect(it.received).toBeGreaterThan(0);
  });

  it('My work lists requests assigned to me and those waiting on my department', async () => {
    const r = await file();
    const home = (await call('rachel', 'GET', '/api/home')).json();
    const requestActions = home.actions.filter((a: { kind: string }) => a.kind === 'request');
    expect(requestActions.some((a: { label: string; detail: string }) => a.label.startsWith(r.ref) && a.detail.includes('Waiting on Information Technology'))).toBe(true);
    expect(requestActions.some((a: { detail: string }) => a.detail.includes('Assigned to you'))).toBe(true);
    expect(home.figures.map((f: { label: string }) => f.label)).toContain('Open requests to IT');
    const staffHome = (await call('lily', 'GET', '/api/home')).json();
    expect(staffHome.actions.filter((a: { kind: string }) => a.kind === 'request')).toHaveLength(0);
  });
});

describe('catalogue and priorities', () => {
  it('admins add types (unique per department) and change targets; bad targets are refused', async () => {
    const res = await call('dana', 'POST', '/api/request-types', { departmentId: dept.IT, name: 'Wi-Fi survey', description: 'Coverage check for handhelds.' });
    expect(res.statusCode).toBe(201);
    expect((await call('dana', 'POST', '/api/request-types', { departmentId: dept.IT, name: 'wi-fi survey' })).statusCode).toBe(409);
    const off = await call('dana', 'PATCH', `/api/request-types/${res.json().id}`, { active: false });
    expect(off.json().active).toBe(false);
    const refused = await call('jamal', 'POST', '/api/requests', { ...videoExport(), typeId: res.json().id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.problems[0].field).toBe('typeId');
    const listed = (await call('jamal', 'GET', `/api/request-types?departmentId=${dept.IT}`)).json().items.map((x: { name: string }) => x.name);
    expect(listed).toContain('Video export');
    expect(listed).not.toContain('Wi-Fi survey');

    const p = await call('dana', 'PATCH', '/api/request-priorities/P4', { responseMinutes: 4000 });
    expect(p.statusCode).toBe(200);
    expect(p.json().responseMinutes).toBe(4000);
    const badP = await call('dana', 'PATCH', '/api/request-priorities/P1', { resolutionMinutes: 60 });
    expect(badP.statusCode).toBe(400);
    expect(badP.json().error.problems[0].field).toBe('resolutionMinutes');
    expect((await call('dana', 'GET', '/api/request-priorities')).json().items.find((x: { code: string }) => x.code === 'P1').resolutionMinutes).toBe(1440);
  });
});
