import { and, eq, like } from 'drizzle-orm';
import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailMessages } from '../src/server/platform/schema.js';
import { people } from '../src/server/modules/people/schema.js';
import { ideas } from '../src/server/modules/ideas/schema.js';
import { suggestPairings, type PairingPerson } from '../src/server/modules/training/pairing.js';
import { sendCertificationReminders } from '../src/server/modules/training/service.js';
import { trainingCertifications, trainingSkills } from '../src/server/modules/training/schema.js';
import type { Heatmap, MySkills, Rating, SessionDetail } from '../src/contracts/training.js';
import { ROLE_EMAILS, TEST_DB, actorFor, seededApp, signIn, type TestApp } from './context.js';

describe('pairing suggestions on a small known matrix', () => {
  const p = (id: string, departmentId: string, region = 'HQ'): PairingPerson => ({ id, name: id, departmentId, departmentName: departmentId, region, storeId: null });
  const skills = [
    { id: 'net', name: 'Network basics' },
    { id: 'orc', name: 'Organised retail crime' },
  ];
  const levels = new Map([
    ['lp1', new Map([['net', 0], ['orc', 4]])], // far below the network target, expert in ORC
    ['lp2', new Map([['net', 1], ['orc', 3]])],
    ['lp3', new Map([['net', 2], ['orc', 3]])], // already at target
    ['it1', new Map([['net', 4], ['orc', 0]])],
    ['it2', new Map([['net', 3], ['orc', 1]])],
    ['it3', new Map([['net', 2], ['orc', 0]])], // holds nothing at 3+
    ['lpnorth', new Map([['net', 0], ['orc', 2]])],
  ]);
  const targets = new Map([
    ['lp1', new Map([['net', 3]])],
    ['lp2', new Map([['net', 2]])],
    ['lp3', new Map([['net', 2]])],
    ['it1', new Map([['orc', 2]])],
    ['it2', new Map([['orc', 2]])],
    ['it3', new Map([['orc', 2]])],
    ['lpnorth', new Map([['net', 3]])],
  ]);
  const lp = [p('lp1', 'LP'), p('lp2', 'LP'), p('lp3', 'LP'), p('lpnorth', 'LP', 'Northeast')];
  const it_ = [p('it1', 'IT'), p('it2', 'IT'), p('it3', 'IT')];

  it('pairs the largest gaps first with hosts at 3+ from another department in the same region, nobody over-booked', () => {
    const chosen = suggestPairings({ guests: [...lp, ...it_], hosts: [...lp, ...it_], skills, levels, targets, booked: new Map(), hostCapacity: 1, guestCapacity: 1 });
    const pairs = chosen.map((c) => `${c.guest.id}<-${c.host.id}:${c.gap}`);
    // lp1 (gap 3 in NET) takes the strongest network host, it1. it1 is then booked, so it cannot also be a guest;
    // it3 (gap 2 in ORC) would take the ORC expert lp1, but lp1 is booked, so lp2 hosts it; it2 (gap 1) gets lp3.
    // lp2 (gap 1) finds both network hosts booked; lp3 is at target; lpnorth has no host in its region.
    expect(pairs).toEqual(['lp1<-it1:3', 'it3<-lp2:2', 'it2<-lp3:1']);
    expect(chosen.find((c) => c.guest.id === 'lp1')!.skills).toEqual([{ id: 'net', name: 'Network basics', guestLevel: 0, target: 3, hostLevel: 4, gap: 3 }]);
  });

  it('counts sessions already booked against capacity', () => {
    const chosen = suggestPairings({ guests: lp, hosts: it_, skills, levels, targets, booked: new Map([['it1', 2]]), hostCapacity: 2, guestCapacity: 1 });
    expect(chosen.map((c) => `${c.guest.id}<-${c.host.id}`)).toEqual(['lp1<-it2', 'lp2<-it2']);
  });
});

describe('cross-training', () => {
  let t: TestApp;
  const cookie = {} as Record<string, string>;
  const ids = {} as Record<string, string>;
  const skill = {} as Record<string, string>;
  const emails = {
    rachel: ROLE_EMAILS.member, // IT member, HQ
    marcus: ROLE_EMAILS.lead, // IT lead
    luis: 'luis.ortega@meridian.example', // LP lead
    jamal: 'jamal.brooks@meridian.example', // LP member
    cynthia: 'cynthia.park@meridian.example', // LP, store MW-203 (America/Chicago)
    admin: ROLE_EMAILS.admin,
    viewer: ROLE_EMAILS.viewer, // IT viewer
  };

  beforeAll(async () => {
    t = await seededApp();
    for (const [k, email] of Object.entries(emails)) {
      cookie[k] = await signIn(t.app, email);
      const [row] = await t.ctx.db.select({ id: people.id }).from(people).where(eq(people.email, email));
      ids[k] = row.id;
    }
    for (const s of await t.ctx.db.select().from(trainingSkills)) skill[s.code] = s.id;
  }, 180_000);
  afterAll(async () => t?.close());

  const call = async <T>(who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, headers: { cookie: cookie[who] }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    const json = (res.headers['content-type'] ?? '').toString().includes('json');
    return { status: res.statusCode, body: (json && res.body ? JSON.parse(res.body) : null) as T, raw: res.body };
  };

  it('a member rates themselves; a lead of their department confirms or changes it with a note', async () => {
    const rated = await call<MySkills>('rachel', 'PUT', '/api/training/me/ratings', { skillId: skill.ORC, level: 2 });
    expect(rated.status).toBe(200);
    expect(rated.body.skills.find((s) => s.code === 'ORC')).toMatchObject({ selfLevel: 2, status: 'pending' });

    // Another department's lead may not confirm it; the member may not confirm at all.
    expect((await call('luis', 'POST', '/api/training/ratings/confirm', { personId: ids.rachel, skillId: skill.ORC, level: 2 })).status).toBe(403);
    expect((await call('rachel', 'POST', '/api/training/ratings/confirm', { personId: ids.rachel, skillId: skill.ORC, level: 2 })).status).toBe(403);

    const pending = await call<{ items: Rating[] }>('marcus', 'GET', `/api/training/ratings?status=pending&personId=${ids.rachel}`);
    expect(pending.body.items.map((r) => r.skillName)).toContain('Organised retail crime');

    const noNote = await call<{ error: { problems: Array<{ field: string }> } }>('marcus', 'POST', '/api/training/ratings/confirm', { personId: ids.rachel, skillId: skill.ORC, level: 1 });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.problems[0].field).toBe('note');

    const changed = await call<Rating>('marcus', 'POST', '/api/training/ratings/confirm', { personId: ids.rachel, skillId: skill.ORC, level: 1, note: 'Aware of ORC patterns, not yet working cases' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'confirmed', selfLevel: 2, confirmedLevel: 1, level: 1, confirmedBy: 'Marcus Chen' });

    const mine = await call<MySkills>('rachel', 'GET', '/api/training/me');
    expect(mine.body.skills.find((s) => s.code === 'ORC')).toMatchObject({ confirmedLevel: 1, status: 'confirmed', note: 'Aware of ORC patterns, not yet working cases' });

    // A new self-rating goes back to the lead.
    await call('rachel', 'PUT', '/api/training/me/ratings', { skillId: skill.ORC, level: 2 });
    expect((await call<MySkills>('rachel', 'GET', '/api/training/me')).body.skills.find((s) => s.code === 'ORC')!.status).toBe('pending');
  });

  it('people see their department’s matrix and ratings; admins see everyone', async () => {
    const deptOf = async (email: string) => (await t.ctx.db.select({ d: people.departmentId }).from(people).where(eq(people.email, email)))[0].d;
    const it = await deptOf(emails.rachel);
    const mapFor = async (who: string) => (await call<Heatmap>(who, 'GET', '/api/training/heatmap')).body;
    const memberMap = await mapFor('rachel');
    const itNames = (await t.ctx.db.select({ name: people.name }).from(people).where(and(eq(people.departmentId, it!), eq(people.active, true)))).map((p) => p.name);
    expect(memberMap.people.length).toBeGreaterThan(3);
    expect(memberMap.people.every((p) => itNames.includes(p.name))).toBe(true);
    const viewerMap = await mapFor('viewer');
    expect(viewerMap.people.map((p) => p.name).sort()).toEqual(memberMap.people.map((p) => p.name).sort());
    const adminMap = await mapFor('admin');
    expect(new Set(adminMap.people.map((p) => p.departmentName)).size).toBe(4);
    // Single points of failure: a skill held at 3+ by one person or by nobody.
    for (const s of adminMap.bySkill) expect(s.singlePointOfFailure).toBe(s.holders.length <= 1);

    const ratings = await call<{ items: Rating[]; total: number }>('rachel', 'GET', '/api/training/ratings?limit=200');
    expect(ratings.body.items.every((r) => r.departmentName === 'Information Technology')).toBe(true);
    const lpRatings = await call<{ total: number }>('rachel', 'GET', `/api/training/ratings?personId=${ids.jamal}`);
    expect(lpRatings.body.total).toBe(0);
    const csv = await call('rachel', 'GET', '/api/training/ratings/export');
    expect(csv.raw).not.toContain('Jamal Brooks');
    expect(csv.raw).toContain('Rachel Okafor');

    // Pairings for an LP lead propose LP guests only.
    const pairs = await call<{ items: Array<{ guest: { departmentName: string }; host: { departmentName: string }; gap: number }> }>('luis', 'GET', '/api/training/pairings');
    expect(pairs.status).toBe(200);
    expect(pairs.body.items.length).toBeGreaterThan(0);
    for (const p of pairs.body.items) {
      expect(p.guest.departmentName).toBe('Loss Prevention');
      expect(p.host.departmentName).not.toBe('Loss Prevention');
    }
    expect(pairs.body.items.map((p) => p.gap)).toEqual([...pairs.body.items.map((p) => p.gap)].sort((a, b) => b - a));
  });

  const calendarMails = async (uid: string) => {
    const rows = await t.ctx.db.select().from(mailMessages).where(like(mailMessages.kind, 'training.%'));
    return rows
      .filter((m) => m.icalEvent?.content.includes(`UID:${uid}`))
      .map((m) => {
        const parsed = ical.sync.parseICS(m.icalEvent!.content);
        const event = Object.values(parsed).find((c) => c?.type === 'VEVENT') as VEvent;
        return { to: m.toAddress, method: m.icalEvent!.method, event, vcalendar: parsed.vcalendar as unknown as { method: string } };
      });
  };

  it('invitations carry an .ics in the host’s time zone; updates and cancellation keep the UID with a rising SEQUENCE', async () => {
    // Cynthia works at MW-203 (Madison, America/Chicago): 09:00 there is 15:00 UTC in December.
    const proposed = await call<SessionDetail>('luis', 'POST', '/api/training/sessions', {
      hostId: ids.cynthia,
      guestIds: [ids.rachel],
      localStart: '2027-12-09T09:00',
      durationMinutes: 180,
      storeId: null,
      skillIds: [skill.POSX, skill.ORC],
      goals: 'See exception reporting at a store',
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ timezone: 'America/Chicago', localStart: '2027-12-09T09:00', startsAt: '2027-12-09T15:00:00.000Z', sequence: 0 });

    const first = await calendarMails(proposed.body.uid);
    expect(first.map((m) => m.to).sort()).toEqual([emails.cynthia, emails.rachel].sort());
    for (const m of first) {
      expect(m.method).toBe('REQUEST');
      expect(m.vcalendar.method).toBe('REQUEST');
      expect(m.event.uid).toBe(proposed.body.uid);
      expect(Number(m.event.sequence)).toBe(0);
      expect(m.event.start.toISOString()).toBe('2027-12-09T15:00:00.000Z');
      expect(m.event.end?.toISOString()).toBe('2027-12-09T18:00:00.000Z');
      expect((m.event.start as Date & { tz?: string }).tz).toBe('America/Chicago');
    }

    // The guest accepts in the app.
    const accepted = await call<SessionDetail>('rachel', 'POST', `/api/training/sessions/${proposed.body.ref}/respond`, { response: 'accepted' });
    expect(accepted.body.myResponse).toBe('accepted');

    // Move it one hour later (summer time in July: 10:00 CDT is 15:00 UTC).
    const updated = await call<SessionDetail>('luis', 'PATCH', `/api/training/sessions/${proposed.body.ref}`, { localStart: '2027-07-08T10:00' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ sequence: 1, startsAt: '2027-07-08T15:00:00.000Z' });
    expect(updated.body.guests[0].response).toBe('pending');
    const second = (await calendarMails(proposed.body.uid)).filter((m) => Number(m.event.sequence) === 1);
    expect(second).toHaveLength(2);
    expect(second[0].event.uid).toBe(proposed.body.uid);
    expect(second[0].event.start.toISOString()).toBe('2027-07-08T15:00:00.000Z');

    // A colleague of the host sees the session but cannot cancel it; someone who cannot see it gets 404.
    expect((await call('jamal', 'POST', `/api/training/sessions/${proposed.body.ref}/cancel`, {})).status).toBe(403);
    expect((await call('viewer', 'GET', `/api/training/sessions/${proposed.body.ref}`)).status).toBe(200);
    const cancelled = await call<SessionDetail>('luis', 'POST', `/api/training/sessions/${proposed.body.ref}/cancel`, { reason: 'Store audit that week' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', phase: 'cancelled', sequence: 2 });
    const third = (await calendarMails(proposed.body.uid)).filter((m) => m.method === 'CANCEL');
    expect(third).toHaveLength(2);
    for (const m of third) {
      expect(m.vcalendar.method).toBe('CANCEL');
      expect(m.event.uid).toBe(proposed.body.uid);
      expect(Number(m.event.sequence)).toBe(2);
      expect(m.event.status).toBe('CANCELLED');
    }
  });

  it('a member cannot propose a session for others; a reflection’s idea becomes an idea credited to its author', async () => {
    const others = await call('jamal', 'POST', '/api/training/sessions', { hostId: ids.rachel, guestIds: [ids.cynthia], localStart: '2027-01-10T10:00', skillIds: [skill.NET] });
    expect(others.status).toBe(403);

    const yesterday = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const past = await call<SessionDetail>('jamal', 'POST', '/api/training/sessions', { hostId: ids.rachel, guestIds: [ids.jamal], localStart: `${yesterday}T09:00`, durationMinutes: 120, skillIds: [skill.NET] });
    expect(past.status).toBe(201);
    expect(past.body.phase).toBe('done');
    expect(past.body.can.reflect).toBe(true);

    const reflection = await call<SessionDetail>('jamal', 'POST', `/api/training/sessions/${past.body.ref}/reflection`, {
      learned: 'How the store network is split into VLANs',
      redundancies: 'We both track switch ports',
      ideas: [{ title: 'Label camera switch ports in every store', description: 'A label on each port saves a call to IT when a camera drops.', category: 'technology' }],
    });
    expect(reflection.status).toBe(201);
    const idea = reflection.body.reflectionList[0].ideas[0];
    expect(idea.title).toBe('Label camera switch ports in every store');
    const [row] = await t.ctx.db.select().from(ideas).where(eq(ideas.id, idea.id));
    expect(row.authorId).toBe(ids.jamal);
    expect(row.description).toContain(past.body.ref);
    const listed = await call<{ items: Array<{ title: string; author: { name: string } }> }>('marcus', 'GET', `/api/ideas?q=${encodeURIComponent('Label camera switch ports')}`);
    expect(listed.body.items[0]).toMatchObject({ title: 'Label camera switch ports in every store', author: { name: 'Jamal Brooks' } });

    const again = await call('jamal', 'POST', `/api/training/sessions/${past.body.ref}/reflection`, { learned: 'twice' });
    expect(again.status).toBe(409);
    expect((await call('marcus', 'POST', `/api/training/sessions/${past.body.ref}/reflection`, { learned: 'not mine' })).status).toBe(403);
  });

  it('sends each certification reminder once, even when two runs overlap', async () => {
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const admin = await actorFor(t.ctx, emails.admin);
    await t.ctx.db.insert(trainingCertifications).values({ id: '01900000-0000-7000-8000-00000000c001', personId: admin.id, name: 'Test certification', expiresOn: soon, remindDays: 30 });
    const due = await t.ctx.db.select().from(trainingCertifications);
    const today = new Date().toISOString().slice(0, 10);
    const expected = due.filter((c) => c.expiresOn && c.expiresOn >= today && Date.parse(c.expiresOn) - c.remindDays * 86_400_000 <= Date.parse(today)).length;
    expect(expected).toBeGreaterThan(1);
    // On PostgreSQL the two runs really overlap on two connections; PGlite has one and serialises them.
    const [a, b] = await Promise.all([sendCertificationReminders(t.ctx), sendCertificationReminders(t.ctx)]);
    expect(a + b).toBe(expected);
    expect(await sendCertificationReminders(t.ctx)).toBe(0);
    const mails = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.kind, 'training.certification_reminder'));
    expect(mails).toHaveLength(expected);
    expect(mails.filter((m) => m.subject.includes('Test certification'))).toHaveLength(1);
    void TEST_DB;
  });
});
