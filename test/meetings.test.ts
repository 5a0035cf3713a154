import { and, eq, like, sql } from 'drizzle-orm';
import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments, people, stores } from '../src/server/modules/people/schema.js';
import { meetingOccurrences, meetingSeries } from '../src/server/modules/meetings/schema.js';
import { cadenceDates, utcToZoned, zonedToUtc } from '../src/server/modules/meetings/calendar.js';
import * as meetings from '../src/server/modules/meetings/service.js';
import { changeStatus, createRequest } from '../src/server/modules/requests/service.js';
import { requestTypes, requests } from '../src/server/modules/requests/schema.js';
import { home as homeFor } from '../src/server/modules/home/service.js';
import { mailMessages } from '../src/server/platform/schema.js';
import { actorFor, seededApp, signIn, type TestApp } from './context.js';

const IT_LEAD = 'marcus.chen@meridian.example';
const IT_MEMBER = 'rachel.okafor@meridian.example';
const LP_LEAD = 'priya.natarajan@meridian.example';
const LP_MEMBER = 'jamal.brooks@meridian.example';
const STORE_OPS = 'gary.lutz@meridian.example';

let t: TestApp;
const ids: Record<string, string> = {};

async function personId(email: string) {
  const [p] = await t.ctx.db.select({ id: people.id }).from(people).where(eq(people.email, email));
  return p.id;
}

/** The meeting of a series whose wall-clock date is `date`. */
async function occurrenceOn(seriesId: string, date: string) {
  const rows = await t.ctx.db.select().from(meetingOccurrences).where(eq(meetingOccurrences.seriesId, seriesId));
  const [series] = await t.ctx.db.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId));
  const found = rows.find((o) => utcToZoned(o.originalStartsAt, series.timezone).startsWith(date));
  if (!found) throw new Error(`no meeting on ${date}`);
  return found;
}

function events(content: string) {
  return Object.values(ical.sync.parseICS(content)).filter((c): c is VEvent => c?.type === 'VEVENT');
}

beforeAll(async () => {
  t = await seededApp();
  for (const [k, e] of Object.entries({ itLead: IT_LEAD, itMember: IT_MEMBER, lpLead: LP_LEAD, lpMember: LP_MEMBER, storeOps: STORE_OPS })) ids[k] = await personId(e);
}, 300_000);
afterAll(async () => t?.close());

describe('cadence', () => {
  it('keeps the wall-clock time across daylight-saving changes', () => {
    const dates = cadenceDates('weekly', '2026-10-20', '2026-11-10');
    expect(dates).toEqual(['2026-10-20', '2026-10-27', '2026-11-03', '2026-11-10']);
    const utc = dates.map((d) => zonedToUtc(`${d}T10:00`, 'America/New_York').toISOString());
    // New York leaves daylight time on 1 November 2026: 14:00Z before, 15:00Z after, 10:00 local throughout.
    expect(utc).toEqual(['2026-10-20T14:00:00.000Z', '2026-10-27T14:00:00.000Z', '2026-11-03T15:00:00.000Z', '2026-11-10T15:00:00.000Z']);
    // Europe changes a week earlier (25 October).
    expect(cadenceDates('weekly', '2026-10-19', '2026-10-26').map((d) => zonedToUtc(`${d}T09:30`, 'Europe/Berlin').toISOString())).toEqual(['2026-10-19T07:30:00.000Z', '2026-10-26T08:30:00.000Z']);
  });

  it('keeps the weekday and its place in the month for monthly and quarterly meetings', () => {
    // 13 October 2026 is the second Tuesday.
    expect(cadenceDates('monthly', '2026-10-13', '2027-01-31')).toEqual(['2026-10-13', '2026-11-10', '2026-12-08', '2027-01-12']);
    expect(cadenceDates('quarterly', '2026-10-13', '2027-07-31')).toEqual(['2026-10-13', '2027-01-12', '2027-04-13', '2027-07-13']);
    // 29 October 2026 is the last Thursday: it stays the last one.
    expect(cadenceDates('monthly', '2026-10-29', '2026-12-31')).toEqual(['2026-10-29', '2026-11-26', '2026-12-31']);
    expect(cadenceDates('weekdays', '2026-11-27', '2026-12-02')).toEqual(['2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(cadenceDates('biweekly', '2026-11-02', '2026-11-30')).toEqual(['2026-11-02', '2026-11-16', '2026-11-30']);
  });
});

describe('series', () => {
  let seriesId = '';

  it('needs attendees from two departments, a real time zone, and the right role', async () => {
    const cookie = await signIn(t.app, IT_LEAD);
    const base = { title: 'Store network and LP', cadence: 'weekly', firstDate: '2026-10-20', localTime: '10:00', durationMinutes: 45, timezone: 'America/New_York', chairId: ids.itLead, noteTakerId: ids.itMember };
    const oneDept = await t.app.inject({ method: 'POST', url: '/api/meetings/series', headers: { cookie }, payload: { ...base, attendeeIds: [ids.itLead, ids.itMember] } });
    expect(oneDept.statusCode).toBe(400);
    expect(oneDept.json().error.problems[0].field).toBe('attendeeIds');
    const badZone = await t.app.inject({ method: 'POST', url: '/api/meetings/series', headers: { cookie }, payload: { ...base, timezone: 'Mars/Olympus', attendeeIds: [ids.itLead, ids.lpLead] } });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error.problems[0].field).toBe('timezone');
    const member = await signIn(t.app, LP_MEMBER);
    const denied = await t.app.inject({ method: 'POST', url: '/api/meetings/series', headers: { cookie: member }, payload: { ...base, attendeeIds: [ids.itLead, ids.lpLead] } });
    expect(denied.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/meetings/series', headers: { cookie }, payload: { ...base, attendeeIds: [ids.lpLead, ids.lpMember] } });
    expect(ok.statusCode).toBe(201);
    const body = ok.json();
    seriesId = body.id;
    expect(body.departments).toEqual(['Information Technology', 'Loss Prevention']);
    expect(body.attendees.map((a: { id: string }) => a.id).sort()).toEqual([ids.itLead, ids.itMember, ids.lpLead, ids.lpMember].sort());
    expect(body.rrule).toBe('FREQ=WEEKLY;BYDAY=TU');
  });

  it('mails an invitation with RRULE, UID and SEQUENCE that a calendar parser reads back', async () => {
    const mails = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.kind, 'meetings.invitation'));
    const mine = mails.filter((m) => m.icalEvent?.content.includes(`UID:${seriesId}@tandem`));
    expect(mine.map((m) => m.toAddress).sort()).toEqual([IT_LEAD, IT_MEMBER, LP_LEAD, LP_MEMBER].sort());
    const [event] = events(mine[0].icalEvent!.content);
    expect(event.uid).toBe(`${seriesId}@tandem`);
    expect(Number(event.sequence)).toBe(0);
    expect(event.rrule).toBeDefined();
    expect(event.rrule!.toString()).toContain('FREQ=WEEKLY');
    expect(event.rrule!.toString()).toContain('BYDAY=TU');
    expect(new Date(event.start).toISOString()).toBe('2026-10-20T14:00:00.000Z');
    // The parsed rule expands to the same meetings the server generated, daylight saving included.
    const expanded = event.rrule!.between(new Date('2026-10-19T00:00:00Z'), new Date('2026-11-11T00:00:00Z'), true).map((d) => d.toISOString());
    const generated = (await t.ctx.db.select().from(meetingOccurrences).where(eq(meetingOccurrences.seriesId, seriesId)))
      .map((o) => o.startsAt.toISOString())
      .filter((s) => s < '2026-11-11')
      .sort();
    expect(generated).toEqual(['2026-10-20T14:00:00.000Z', '2026-10-27T14:00:00.000Z', '2026-11-03T15:00:00.000Z', '2026-11-10T15:00:00.000Z']);
    expect(expanded.length).toBe(generated.length);
    // The download is the same series.
    const cookie = await signIn(t.app, LP_MEMBER);
    const res = await t.app.inject({ method: 'GET', url: `/api/meetings/series/${seriesId}/calendar.ics`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    expect(res.body).toContain('RRULE:FREQ=WEEKLY;BYDAY=TU');
  });

  it('generates occurrences once, even when two runs race', async () => {
    // Every series (the demo's too): what both runs added together is what now exists, once.
    const count = async () => Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(meetingOccurrences))[0].n);
    const before = await count();
    const later = new Date(Date.now() + 200 * 86_400_000);
    const [a, b] = await Promise.all([meetings.generateOccurrences(t.ctx, { now: later }), meetings.generateOccurrences(t.ctx, { now: later })]);
    const after = await count();
    expect(after).toBeGreaterThan(before);
    expect(a + b).toBe(after - before);
    const [dupes] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(sql`(select series_id, original_starts_at from meeting_occurrences group by series_id, original_starts_at having count(*) > 1) d`);
    expect(Number(dupes.n)).toBe(0);
    expect(await meetings.generateOccurrences(t.ctx, { now: later })).toBe(0);
  });

  it('sends a single-meeting change with RECURRENCE-ID and a higher SEQUENCE', async () => {
    const occ = await occurrenceOn(seriesId, '2026-11-03');
    const cookie = await signIn(t.app, IT_MEMBER); // the note taker
    const res = await t.app.inject({ method: 'PATCH', url: `/api/meetings/occurrences/${occ.id}`, headers: { cookie }, payload: { localStart: '2026-11-04T11:00', note: 'Moved for the POS freeze' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().localStart).toBe('2026-11-04T11:00');
    const mails = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.kind, 'meetings.change'));
    expect(mails).toHaveLength(4);
    const [event] = events(mails[0].icalEvent!.content);
    expect(event.uid).toBe(`${seriesId}@tandem`);
    expect(Number(event.sequence)).toBe(1);
    expect(new Date(event.recurrenceid as unknown as Date).toISOString()).toBe('2026-11-03T15:00:00.000Z');
    expect(new Date(event.start).toISOString()).toBe('2026-11-04T16:00:00.000Z');
    // Someone outside the chair and note taker may not move it.
    const other = await signIn(t.app, LP_MEMBER);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/meetings/occurrences/${occ.id}`, headers: { cookie: other }, payload: { status: 'cancelled' } })).statusCode).toBe(403);
  });

  it('is seen by attendees and their departments only', async () => {
    const ops = await signIn(t.app, STORE_OPS);
    expect((await t.app.inject({ method: 'GET', url: `/api/meetings/series/${seriesId}`, headers: { cookie: ops } })).statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: '/api/meetings/series?limit=200', headers: { cookie: ops } });
    expect(list.json().items.map((s: { id: string }) => s.id)).not.toContain(seriesId);
    const search = await t.app.inject({ method: 'GET', url: '/api/search?q=Store%20network', headers: { cookie: ops } });
    expect(JSON.stringify(search.json())).not.toContain(seriesId);
    // Karen Holt is LP but not an attendee: her department sits at the table.
    const karen = await signIn(t.app, 'karen.holt@meridian.example');
    expect((await t.app.inject({ method: 'GET', url: `/api/meetings/series/${seriesId}`, headers: { cookie: karen } })).statusCode).toBe(200);
    const found = await t.app.inject({ method: 'GET', url: '/api/search?q=Store%20network', headers: { cookie: karen } });
    expect(JSON.stringify(found.json())).toContain(seriesId);
  });
});

describe('agenda, minutes and actions', () => {
  let seriesId = '';
  let first = '';
  let second = '';

  beforeAll(async () => {
    const lead = await actorFor(t.ctx, IT_LEAD);
    const today = new Date().toISOString().slice(0, 10);
    const start = new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10);
    const s = await meetings.createSeries(t.ctx, lead, {
      title: 'LP–IT agenda test',
      purpose: '',
      cadence: 'weekly',
      firstDate: start,
      localTime: '09:00',
      durationMinutes: 60,
      timezone: 'America/New_York',
      location: '',
      chairId: ids.itLead,
      noteTakerId: ids.itMember,
      attendeeIds: [ids.lpLead, ids.lpMember],
    });
    seriesId = s.id;
    const rows = (await t.ctx.db.select().from(meetingOccurrences).where(eq(meetingOccurrences.seriesId, seriesId))).sort((a, b) => +a.startsAt - +b.startsAt);
    const past = rows.filter((o) => o.startsAt.toISOString().slice(0, 10) < today);
    first = past[past.length - 2].id;
    second = past[past.length - 1].id;
  });

  it('suggests overdue requests between the departments and drops the suggestion once resolved', async () => {
    const [lp] = await t.ctx.db.select().from(departments).where(eq(departments.code, 'LP'));
    const [it] = await t.ctx.db.select().from(departments).where(eq(departments.code, 'IT'));
    const between = sql`((${requests.fromDepartmentId} = ${lp.id} and ${requests.toDepartmentId} = ${it.id}) or (${requests.fromDepartmentId} = ${it.id} and ${requests.toDepartmentId} = ${lp.id}))`;
    await t.ctx.db.update(requests).set({ status: 'done', resolvedAt: new Date(), firstResponseAt: new Date() }).where(between);
    const lpLead = await actorFor(t.ctx, LP_LEAD);
    const keys = async () => (await meetings.suggestions(t.ctx, lpLead, second)).items.map((s) => s.key);
    expect((await keys()).filter((k) => k.startsWith('requests:overdue'))).toEqual([]);
    const [type] = await t.ctx.db.select().from(requestTypes).where(eq(requestTypes.departmentId, it.id)).limit(1);
    const created = await createRequest(t.ctx, lpLead, { title: 'Replace the camera NVR at NE-101', description: '', toDepartmentId: it.id, typeId: type.id, priority: 'P3', dueDate: null, storeId: null });
    await t.ctx.db.update(requests).set({ responseDueAt: new Date(Date.now() - 5 * 86_400_000), resolutionDueAt: new Date(Date.now() - 86_400_000), createdAt: new Date(Date.now() - 9 * 86_400_000) }).where(eq(requests.id, created.id));
    const list = await meetings.suggestions(t.ctx, lpLead, second);
    const overdue = list.items.find((s) => s.key === `requests:overdue:${lp.id}:${it.id}`);
    expect(overdue?.why).toContain('1 request from Loss Prevention to Information Technology is overdue');
    const itLead = await actorFor(t.ctx, IT_LEAD);
    await changeStatus(t.ctx, itLead, created.ref, { status: 'accepted' });
    await changeStatus(t.ctx, itLead, created.ref, { status: 'done' });
    expect((await keys()).filter((k) => k.startsWith('requests:overdue'))).toEqual([]);
  });

  it('shows new high-risk cashiers as counts to those who see cashier monitoring, never a cashier', async () => {
    const [store] = await t.ctx.db.select().from(stores).where(eq(stores.code, 'NE-101'));
    const week = new Date(Date.now() - 8 * 86_400_000).toISOString().slice(0, 10);
    await t.ctx.database.query(
      `insert into pos_scores (store_id, cashier_code, period, period_start, score, band, txn_count, explanation) values ($1, 'C-SECRET-77', 'week', $2, 91, 'high', 120, '{}'::jsonb)`,
      [store.id, week],
    );
    const lpLead = await actorFor(t.ctx, LP_LEAD);
    const lp = (await meetings.suggestions(t.ctx, lpLead, second)).items.find((s) => s.kind === 'pos');
    expect(lp?.title).toBe('1 cashier new to high risk');
    expect(JSON.stringify(lp)).not.toContain('C-SECRET-77');
    // IT has no access to cashier monitoring: the same meeting suggests nothing of it to them.
    const itLead = await actorFor(t.ctx, IT_LEAD);
    const it = await meetings.suggestions(t.ctx, itLead, second);
    expect(it.items.find((s) => s.kind === 'pos')).toBeUndefined();
    expect(JSON.stringify(it)).not.toContain('C-SECRET-77');
    // A store-attached LP associate of another store does not count the NE-101 cashier.
    const [other] = await t.ctx.db.select().from(people).where(and(like(people.title, 'Store LP Associate'), sql`${people.storeId} <> ${store.id}`)).limit(1);
    const storeLp = await actorFor(t.ctx, other.email);
    expect((await meetings.suggestions(t.ctx, storeLp, second).catch(() => ({ items: [] as { kind: string }[] }))).items.find((s) => s.kind === 'pos')).toBeUndefined();
  });

  it('accepts a suggestion with one click, remembers a dismissal, and lets the chair order the agenda', async () => {
    const chair = await signIn(t.app, IT_LEAD);
    const list = (await t.app.inject({ method: 'GET', url: `/api/meetings/occurrences/${second}/suggestions`, headers: { cookie: chair } })).json();
    expect(list.items.length).toBeGreaterThan(0);
    const [take, drop] = list.items;
    const accepted = await t.app.inject({ method: 'POST', url: `/api/meetings/occurrences/${second}/suggestions/accept`, headers: { cookie: chair }, payload: { key: take.key } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().items[0]).toMatchObject({ title: take.title, why: take.why, suggestionKey: take.key });
    if (drop) {
      expect((await t.app.inject({ method: 'POST', url: `/api/meetings/occurrences/${second}/suggestions/dismiss`, headers: { cookie: chair }, payload: { key: drop.key } })).statusCode).toBe(200);
    }
    const again = (await t.app.inject({ method: 'GET', url: `/api/meetings/occurrences/${second}/suggestions`, headers: { cookie: chair } })).json();
    expect(again.items.map((s: { key: string }) => s.key)).not.toContain(take.key);
    if (drop) expect(again.items.map((s: { key: string }) => s.key)).not.toContain(drop.key);
    // An attendee adds an item before the meeting; an outsider cannot.
    const lpMember = await signIn(t.app, LP_MEMBER);
    const added = await t.app.inject({ method: 'POST', url: `/api/meetings/occurrences/${second}/items`, headers: { cookie: lpMember }, payload: { title: 'Badge readers at the DC', timeBoxMinutes: 5, links: [{ label: 'REQ-1', href: '/requests/REQ-1' }] } });
    expect(added.statusCode).toBe(201);
    const items = added.json().items as Array<{ id: string; title: string }>;
    const badLink = await t.app.inject({ method: 'POST', url: `/api/meetings/occurrences/${second}/items`, headers: { cookie: lpMember }, payload: { title: 'x', links: [{ label: 'bad', href: 'javascript:alert(1)' }] } });
    expect(badLink.statusCode).toBe(400);
    expect(badLink.json().error.problems[0].field).toBe('links.0.href');
    const karen = await signIn(t.app, 'karen.holt@meridian.example');
    expect((await t.app.inject({ method: 'POST', url: `/api/meetings/occurrences/${second}/items`, headers: { cookie: karen }, payload: { title: 'Not mine to add' } })).statusCode).toBe(403);
    // Only the chair or note taker orders, and the order must name every item once.
    const reversed = items.map((i) => i.id).reverse();
    expect((await t.app.inject({ method: 'PUT', url: `/api/meetings/occurrences/${second}/order`, headers: { cookie: lpMember }, payload: { itemIds: reversed } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: `/api/meetings/occurrences/${second}/order`, headers: { cookie: chair }, payload: { itemIds: reversed.slice(1) } })).statusCode).toBe(400);
    const ordered = await t.app.inject({ method: 'PUT', url: `/api/meetings/occurrences/${second}/order`, headers: { cookie: chair }, payload: { itemIds: reversed } });
    expect(ordered.json().items.map((i: { id: string }) => i.id)).toEqual(reversed);
  });

  it('carries open actions into the next meeting, the owner’s home page and the suggestions until done', async () => {
    const noteTaker = await signIn(t.app, IT_MEMBER);
    const [firstRow] = await t.ctx.db.select().from(meetingOccurrences).where(eq(meetingOccurrences.id, first));
    // Due the day after the first meeting: overdue by the time of the second.
    const dueSoon = new Date(firstRow.startsAt.getTime() + 86_400_000).toISOString().slice(0, 10);
    const res = await t.app.inject({ method: 'POST', url: `/api/meetings/occurrences/${first}/actions`, headers: { cookie: noteTaker }, payload: { title: 'Send the VLAN plan for the camera network', ownerId: ids.lpMember, dueDate: dueSoon } });
    expect(res.statusCode).toBe(201);
    const action = res.json().actions[0];
    expect(action.overdue).toBe(true);
    const next = (await t.app.inject({ method: 'GET', url: `/api/meetings/occurrences/${second}`, headers: { cookie: noteTaker } })).json();
    expect(next.carriedActions.map((a: { id: string }) => a.id)).toContain(action.id);
    const owner = await actorFor(t.ctx, LP_MEMBER);
    const home = await homeFor(t.ctx, owner);
    expect(home.actions.some((a) => a.label.includes(action.ref))).toBe(true);
    const [notification] = await t.ctx.database.query<{ title: string }>(`select title from notifications where recipient_id = $1 and kind = 'meeting_action'`, [ids.lpMember]).then((r) => r.rows);
    expect(notification.title).toContain(action.ref);
    const chair = await actorFor(t.ctx, IT_LEAD);
    expect((await meetings.suggestions(t.ctx, chair, second)).items.map((s) => s.key)).toContain(`meetings:overdue-action:${action.id}`);
    // The owner closes it: gone from home, suggestions and later meetings.
    const ownerCookie = await signIn(t.app, LP_MEMBER);
    const done = await t.app.inject({ method: 'PATCH', url: `/api/meetings/actions/${action.id}`, headers: { cookie: ownerCookie }, payload: { status: 'done' } });
    expect(done.json().status).toBe('done');
    expect((await t.app.inject({ method: 'PATCH', url: `/api/meetings/actions/${action.id}`, headers: { cookie: ownerCookie }, payload: { ownerId: ids.lpLead } })).statusCode).toBe(403);
    expect((await homeFor(t.ctx, owner)).actions.some((a) => a.label.includes(action.ref))).toBe(false);
    expect((await meetings.suggestions(t.ctx, chair, second)).items.map((s) => s.key)).not.toContain(`meetings:overdue-action:${action.id}`);
  });

  it('records minutes, decisions and attendance, and mails the follow-up once', async () => {
    const noteTaker = await signIn(t.app, IT_MEMBER);
    const detail = (await t.app.inject({ method: 'GET', url: `/api/meetings/occurrences/${second}`, headers: { cookie: noteTaker } })).json();
    const item = detail.items[0];
    expect((await t.app.inject({ method: 'PATCH', url: `/api/meetings/items/${item.id}`, headers: { cookie: noteTaker }, payload: { minutes: 'Agreed to phase the rollout by region.' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/meetings/occurrences/${second}/decisions`, headers: { cookie: noteTaker }, payload: { text: 'Camera VLANs go live region by region from January.', itemId: item.id } })).statusCode).toBe(201);
    const att = await t.app.inject({ method: 'PUT', url: `/api/meetings/occurrences/${second}/attendance`, headers: { cookie: noteTaker }, payload: { entries: [{ personId: ids.itLead, status: 'present' }, { personId: ids.lpLead, status: 'excused' }] } });
    expect(att.json().attendance.find((a: { personId: string }) => a.personId === ids.itLead).status).toBe('present');
    const outsider = await t.app.inject({ method: 'PUT', url: `/api/meetings/occurrences/${second}/attendance`, headers: { cookie: noteTaker }, payload: { entries: [{ personId: ids.storeOps, status: 'present' }] } });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json().error.problems[0].field).toBe('entries.0.personId');
    const sent = await t.app.inject({ method: 'POST', url: `/api/meetings/occurrences/${second}/follow-up`, headers: { cookie: noteTaker } });
    expect(sent.statusCode).toBe(200);
    const mails = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.kind, 'meetings.follow_up'));
    expect(mails.map((m) => m.toAddress).sort()).toEqual([IT_LEAD, IT_MEMBER, LP_LEAD, LP_MEMBER].sort());
    expect(mails[0].text).toContain('Agreed to phase the rollout by region.');
    expect(mails[0].text).toContain('Camera VLANs go live region by region from January.');
    expect((await t.app.inject({ method: 'POST', url: `/api/meetings/occurrences/${second}/follow-up`, headers: { cookie: noteTaker } })).statusCode).toBe(409);
    const series = (await t.app.inject({ method: 'GET', url: `/api/meetings/series/${seriesId}`, headers: { cookie: noteTaker } })).json();
    const past = series.past.find((o: { id: string }) => o.id === second);
    expect(past.itemCount).toBe(detail.items.length);
    expect(past.followUpSentAt).not.toBeNull();
  });

  it('lists and exports actions within scope', async () => {
    const ops = await signIn(t.app, STORE_OPS);
    const none = (await t.app.inject({ method: 'GET', url: `/api/meetings/actions?seriesId=${seriesId}`, headers: { cookie: ops } })).json();
    expect(none.total).toBe(0);
    const lp = await signIn(t.app, LP_MEMBER);
    const mine = (await t.app.inject({ method: 'GET', url: '/api/meetings/actions?mine=true', headers: { cookie: lp } })).json();
    expect(mine.items.some((a: { title: string }) => a.title === 'Send the VLAN plan for the camera network')).toBe(true);
    const csv = await t.app.inject({ method: 'GET', url: `/api/meetings/actions/export?seriesId=${seriesId}`, headers: { cookie: lp } });
    expect(csv.body.split('\n')[0]).toContain('ref');
    expect(csv.body).toContain('Send the VLAN plan');
  });
});

describe('changing a series (PATCH /api/meetings/series/:id)', () => {
  const TZ = 'America/New_York';
  let seriesId = '';
  /** Occurrences as they were before each change, by id. */
  let before = new Map<string, typeof meetingOccurrences.$inferSelect>();
  let prepared = ''; // a future meeting with an agenda item, no minutes: moves, with its agenda
  let minuted = ''; // a future meeting with minutes already written: keeps its time
  let cancelled = ''; // a future meeting cancelled on its own: stays cancelled at the new time

  const occurrences = async () => (await t.ctx.db.select().from(meetingOccurrences).where(eq(meetingOccurrences.seriesId, seriesId))).sort((a, b) => +a.startsAt - +b.startsAt);
  const localDate = (o: { startsAt: Date }) => utcToZoned(o.startsAt, TZ).slice(0, 10);
  const dayGap = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
  const patchSeries = async (email: string, payload: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/api/meetings/series/${seriesId}`, headers: { cookie: await signIn(t.app, email) }, payload });
  const invitations = async () =>
    (await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.kind, 'meetings.invitation'))).filter((m) => m.icalEvent?.content.includes(`UID:${seriesId}@tandem`));
  const itemTitles = async (occurrenceId: string) => (await t.ctx.database.query<{ title: string }>('select title from meeting_items where occurrence_id = $1', [occurrenceId])).rows.map((r) => r.title);

  /** No two meetings of the series on one day, and no slot twice. */
  async function expectNoDuplicates() {
    const rows = await occurrences();
    const dates = rows.map(localDate);
    expect(dates.filter((d, i) => dates.indexOf(d) !== i)).toEqual([]);
    const slots = rows.map((o) => o.originalStartsAt.toISOString());
    expect(new Set(slots).size).toBe(slots.length);
  }

  beforeAll(async () => {
    const lead = await actorFor(t.ctx, IT_LEAD);
    const s = await meetings.createSeries(t.ctx, lead, {
      title: 'Series change test',
      purpose: 'Exception reports and the store network.',
      cadence: 'weekly',
      firstDate: utcToZoned(new Date(Date.now() - 35 * 86_400_000), TZ).slice(0, 10),
      localTime: '10:00',
      durationMinutes: 45,
      timezone: TZ,
      location: 'Room 4B',
      chairId: ids.itLead,
      noteTakerId: ids.itMember,
      attendeeIds: [ids.lpLead, ids.lpMember],
    });
    seriesId = s.id;
    const now = new Date();
    const future = (await occurrences()).filter((o) => o.startsAt > now);
    [prepared, minuted, cancelled] = [future[0].id, future[1].id, future[2].id];
    // An attendee adds an item to the next meeting; the chair writes minutes ahead on the one after.
    await meetings.addItem(t.ctx, await actorFor(t.ctx, LP_MEMBER), prepared, { title: 'Agenda for the next meeting', ownerId: null, timeBoxMinutes: 10, links: [] });
    const chair = await actorFor(t.ctx, IT_LEAD);
    const itemId = await meetings.addItem(t.ctx, chair, minuted, { title: 'Pre-read', ownerId: null, timeBoxMinutes: 10, links: [] });
    await meetings.updateItem(t.ctx, chair, itemId, { minutes: 'Read the camera survey before the meeting.' });
    await meetings.updateOccurrence(t.ctx, chair, cancelled, { status: 'cancelled', note: 'Stock count' });
  });

  it('moves future meetings to the new time; past meetings and meetings with minutes keep theirs', async () => {
    before = new Map((await occurrences()).map((o) => [o.id, o]));
    const res = await patchSeries(IT_MEMBER, { localTime: '11:30' }); // the note taker
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.localTime).toBe('11:30');
    // Fields the patch does not name keep their values.
    expect(body).toMatchObject({ location: 'Room 4B', purpose: 'Exception reports and the store network.', durationMinutes: 45, cadence: 'weekly', title: 'Series change test' });
    const now = new Date();
    const after = await occurrences();
    const byId = new Map(after.map((o) => [o.id, o]));
    for (const o of before.values())
      if (o.startsAt <= now) {
        expect(byId.get(o.id)?.startsAt.toISOString(), `past meeting ${localDate(o)}`).toBe(o.startsAt.toISOString());
        expect(byId.get(o.id)?.endsAt.toISOString()).toBe(o.endsAt.toISOString());
      }
    expect(byId.get(minuted)?.startsAt.toISOString()).toBe(before.get(minuted)!.startsAt.toISOString());
    // The prepared meeting moved on its day, with its agenda.
    const moved = byId.get(prepared)!;
    expect(utcToZoned(moved.startsAt, TZ)).toBe(`${localDate(before.get(prepared)!)}T11:30`);
    expect(moved.endsAt.getTime() - moved.startsAt.getTime()).toBe(45 * 60_000);
    expect(await itemTitles(prepared)).toEqual(['Agenda for the next meeting']);
    // The cancelled one stays cancelled.
    expect(byId.get(cancelled)?.status).toBe('cancelled');
    // Every other future meeting is at 11:30, one a week, with no gap and nothing extra.
    const future = after.filter((o) => o.startsAt > now);
    expect(future.filter((o) => o.id !== minuted).map((o) => utcToZoned(o.startsAt, TZ).slice(11))).toEqual(future.filter((o) => o.id !== minuted).map(() => '11:30'));
    const dates = future.map(localDate);
    expect(dates.slice(1).map((d, i) => dayGap(dates[i], d))).toEqual(dates.slice(1).map(() => 7));
    await expectNoDuplicates();
    // The hourly generation adds no second meeting on any day, now or later.
    await meetings.generateOccurrences(t.ctx, { now: new Date(Date.now() + 60 * 86_400_000) });
    await expectNoDuplicates();
  });

  it('sends the updated invitation with the same UID and a higher SEQUENCE', async () => {
    const mails = await invitations();
    const updated = mails.filter((m) => m.subject.startsWith('Updated:'));
    expect(updated.map((m) => m.toAddress).sort()).toEqual([IT_LEAD, IT_MEMBER, LP_LEAD, LP_MEMBER].sort());
    expect(updated[0].text).toContain('What changed: time 10:00 → 11:30.');
    expect(updated[0].text).toContain('follow the new schedule');
    const [original] = events(mails.find((m) => m.subject.startsWith('Invitation:'))!.icalEvent!.content);
    const [event] = events(updated[0].icalEvent!.content);
    expect(event.uid).toBe(`${seriesId}@tandem`);
    expect(event.uid).toBe(original.uid);
    expect(Number(event.sequence)).toBeGreaterThan(Number(original.sequence));
    expect(Number(event.sequence)).toBe(1);
    expect(utcToZoned(new Date(event.start), TZ).slice(11)).toBe('11:30');
    expect(event.rrule!.toString()).toContain('FREQ=WEEKLY');
  });

  it('changes the cadence without duplicates, carrying agendas of dropped meetings to the next one', async () => {
    const now = new Date();
    const future = (await occurrences()).filter((o) => o.startsAt > now && o.status === 'scheduled' && o.id !== minuted && o.id !== prepared);
    // Two more meetings get an agenda item; on a fortnightly cadence at least one of the three prepared meetings falls away.
    const lpMember = await actorFor(t.ctx, LP_MEMBER);
    await meetings.addItem(t.ctx, lpMember, future[0].id, { title: 'Badge readers at the DC', ownerId: null, timeBoxMinutes: 5, links: [] });
    await meetings.addItem(t.ctx, lpMember, future[1].id, { title: 'Register 7 voids', ownerId: null, timeBoxMinutes: 5, links: [] });
    before = new Map((await occurrences()).map((o) => [o.id, o]));
    const res = await patchSeries(IT_LEAD, { cadence: 'biweekly' });
    expect(res.statusCode).toBe(200);
    expect(res.json().rrule).toMatch(/^FREQ=WEEKLY;INTERVAL=2;BYDAY=/);
    const after = await occurrences();
    const byId = new Map(after.map((o) => [o.id, o]));
    for (const o of before.values()) if (o.startsAt <= now) expect(byId.get(o.id)?.startsAt.toISOString()).toBe(o.startsAt.toISOString());
    expect(byId.get(minuted)?.startsAt.toISOString()).toBe(before.get(minuted)!.startsAt.toISOString());
    const pattern = after.filter((o) => o.startsAt > now && o.id !== minuted).map(localDate);
    expect(pattern.slice(1).map((d, i) => dayGap(pattern[i], d))).toEqual(pattern.slice(1).map(() => 14));
    await expectNoDuplicates();
    // No agenda item was lost: each is on a meeting of the series that is still ahead.
    const ahead = after.filter((o) => o.startsAt > now);
    const titles = (await Promise.all(ahead.map((o) => itemTitles(o.id)))).flat().sort();
    expect(titles).toEqual(['Agenda for the next meeting', 'Badge readers at the DC', 'Pre-read', 'Register 7 voids'].sort());
    await meetings.generateOccurrences(t.ctx, { now: new Date(Date.now() + 90 * 86_400_000) });
    await expectNoDuplicates();
    const [event] = events((await invitations()).filter((m) => m.toAddress === LP_LEAD).map((m) => m.icalEvent!.content).find((c) => c.includes('SEQUENCE:2'))!);
    expect(event.uid).toBe(`${seriesId}@tandem`);
    expect(event.rrule!.toString()).toContain('INTERVAL=2');
  });

  it('sends a removed attendee a CANCEL and the others an update without them', async () => {
    const res = await patchSeries(IT_LEAD, { attendeeIds: [ids.itLead, ids.itMember, ids.lpLead] });
    expect(res.statusCode).toBe(200);
    expect(res.json().attendees.map((a: { id: string }) => a.id)).not.toContain(ids.lpMember);
    const mails = await invitations();
    const cancel = mails.find((m) => m.toAddress === LP_MEMBER && m.icalEvent?.method === 'CANCEL');
    expect(cancel?.subject).toBe('Removed: Series change test');
    expect(cancel!.icalEvent!.content).toContain('METHOD:CANCEL');
    const [event] = events(cancel!.icalEvent!.content);
    expect(event.uid).toBe(`${seriesId}@tandem`);
    expect(Number(event.sequence)).toBe(3);
    expect(event.status).toBe('CANCELLED');
    const update = mails.find((m) => m.toAddress === LP_LEAD && m.icalEvent?.content.includes('SEQUENCE:3'));
    expect(update?.icalEvent?.method).toBe('REQUEST');
    expect(update!.icalEvent!.content).toContain(LP_LEAD);
    expect(update!.icalEvent!.content).not.toContain(LP_MEMBER);
    expect(mails.filter((m) => m.toAddress === LP_MEMBER && m.icalEvent?.content.includes('SEQUENCE:3'))).toHaveLength(1);
  });

  it('refuses bad input, naming the field, and changes nothing', async () => {
    const [{ sequence }] = await t.ctx.db.select({ sequence: meetingSeries.sequence }).from(meetingSeries).where(eq(meetingSeries.id, seriesId));
    const mailCount = (await invitations()).length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ attendeeIds: [ids.itLead, ids.itMember] }, 'attendeeIds'], // IT only: not a joint meeting
      [{ attendeeIds: [ids.lpLead, '01900000-0000-7000-8000-000000000000'] }, 'attendeeIds.1'],
      [{ chairId: '01900000-0000-7000-8000-000000000000' }, 'chairId'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ localTime: '25:00' }, 'localTime'],
      [{ cadence: 'daily' }, 'cadence'],
    ];
    for (const [payload, field] of cases) {
      const res = await patchSeries(IT_LEAD, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.problems[0].field).toBe(field);
    }
    const [after] = await t.ctx.db.select({ sequence: meetingSeries.sequence }).from(meetingSeries).where(eq(meetingSeries.id, seriesId));
    expect(after.sequence).toBe(sequence);
    expect((await invitations()).length).toBe(mailCount);
  });

  it('is for the chair, the note taker and admins only', async () => {
    // An attendee who leads LP, but neither chairs nor takes notes.
    expect((await patchSeries(LP_LEAD, { localTime: '12:00' })).statusCode).toBe(403);
    // A viewer may not change meetings at all.
    expect((await patchSeries('chris.donnelly@meridian.example', { localTime: '12:00' })).statusCode).toBe(403);
    // Someone who cannot see the series does not learn it exists.
    expect((await patchSeries(STORE_OPS, { localTime: '12:00' })).statusCode).toBe(404);
    // An administrator who does not attend may.
    const admin = await patchSeries('dana.whitfield@meridian.example', { title: 'Series change test (renamed)' });
    expect(admin.statusCode).toBe(200);
    expect(admin.json()).toMatchObject({ title: 'Series change test (renamed)', localTime: '11:30', location: 'Room 4B' });
  });
});
