import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { ROLES, type Role } from '../src/contracts/roles.js';
import { auditLog, mailMessages } from '../src/server/platform/schema.js';
import { ideaEvents, ideas, ideaVotes } from '../src/server/modules/ideas/schema.js';
import { people } from '../src/server/modules/people/schema.js';
import { ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';

let t: TestApp;
const cookies = {} as Record<Role, string>;
let extraMember: string; // a second member, who owns nothing
const MISSING = '01900000-0000-7000-8000-000000000000';

beforeAll(async () => {
  t = await seededApp();
  for (const role of ROLES) cookies[role] = await signIn(t.app, ROLE_EMAILS[role]);
  extraMember = await signIn(t.app, 'jamal.brooks@meridian.example');
});
afterAll(async () => t?.close());

const as = (cookie: string) => ({
  get: (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } }),
  post: (url: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload }),
});
const personId = async (email: string) => (await t.ctx.db.select({ id: people.id }).from(people).where(eq(people.email, email)))[0].id;
const countIdeas = async () => Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(ideas))[0].n);
const ideaRow = async (id: string) => (await t.ctx.db.select().from(ideas).where(eq(ideas.id, id)))[0];
const eventCount = async (id: string) => Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(ideaEvents).where(eq(ideaEvents.ideaId, id)))[0].n);

async function submit(role: Role | string, overrides: Record<string, unknown> = {}) {
  const cookie = role in cookies ? cookies[role as Role] : role;
  const res = await as(cookie).post('/api/ideas', { title: 'Add a second camera at the returns desk', description: 'Returns fraud happens at the desk; one camera only sees the customer.', category: 'technology', storeId: null, ...overrides });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('submitting', () => {
  it('lets store staff submit an idea with a short IDEA-n reference, from their store, audited', async () => {
    const store = (await as(cookies.staff).get('/api/stores?q=NE-101')).json().items[0];
    const idea = await submit('staff', { title: 'Bag check sign at the entrance', storeId: store.id, category: 'store_operations' });
    expect(idea.ref).toMatch(/^IDEA-\d+$/);
    expect(idea).toMatchObject({ state: 'submitted', storeCode: 'NE-101', departmentName: 'Store Operations', author: { name: 'Lily Evans' }, mine: true, votes: 0, owner: null });
    const byRef = await as(cookies.viewer).get(`/api/ideas/${idea.ref}`);
    expect(byRef.json().id).toBe(idea.id);
    const audits = await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, idea.id));
    expect(audits.map((a) => a.action)).toEqual(['create']);
  });

  it('hides the author of an anonymous idea from everyone but admins, and the audit says so', async () => {
    const idea = await submit('member', { title: 'Anonymous: cashiers share one till login at night', anonymous: true });
    const memberId = await personId(ROLE_EMAILS.member);
    expect(idea.author).toBeNull();
    expect(idea.mine).toBe(true);
    expect(idea.departmentId).toBeNull();
    for (const role of ['lead', 'member', 'staff', 'viewer'] as Role[]) {
      const detail = await as(cookies[role]).get(`/api/ideas/${idea.id}`);
      const list = await as(cookies[role]).get(`/api/ideas?q=${encodeURIComponent('share one till')}`);
      const csv = await as(cookies[role]).get(`/api/ideas/export?q=${encodeURIComponent('share one till')}`);
      for (const body of [detail.body, list.body, csv.body]) {
        expect(body).not.toContain(memberId);
        expect(body).not.toContain('Rachel Okafor');
      }
      expect(detail.json().history[0]).toMatchObject({ kind: 'submitted', actor: null });
      expect(csv.body).toContain('Anonymous');
    }
    const asAdmin = (await as(cookies.admin).get(`/api/ideas/${idea.id}`)).json();
    expect(asAdmin.author).toMatchObject({ id: memberId, name: 'Rachel Okafor' });
    const [audit] = await t.ctx.db.select().from(auditLog).where(and(eq(auditLog.entityId, idea.id), eq(auditLog.action, 'create')));
    expect(audit.summary).toMatch(/anonymously \(the author is hidden from everyone but admins\)/);
    expect(audit.after).toMatchObject({ anonymous: true, authorHidden: true });
  });

  it('refuses an empty title and an unknown category, naming the fields, and writes nothing', async () => {
    const before = await countIdeas();
    const res = await as(cookies.staff).post('/api/ideas', { title: '   ', description: 'Something', category: 'magic' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'category']));
    expect(res.json().error.message).toMatch(/category: must be one of technology, process/);
    const badStore = await as(cookies.staff).post('/api/ideas', { title: 'x', description: 'y', category: 'other', storeId: MISSING });
    expect(badStore.statusCode).toBe(400);
    expect(badStore.json().error.problems[0].field).toBe('storeId');
    expect(await countIdeas()).toBe(before);
  });

  it('viewers read ideas but cannot submit', async () => {
    expect((await as(cookies.viewer).get('/api/ideas')).statusCode).toBe(200);
    expect((await as(cookies.viewer).post('/api/ideas', { title: 'x', description: 'y', category: 'other' })).statusCode).toBe(403);
  });
});

describe('similar ideas', () => {
  it('finds existing ideas from a few words typed into the title, best match first', async () => {
    const res = await as(cookies.staff).get(`/api/ideas/similar?q=${encodeURIComponent('camera self checkout')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0].title).toBe('Move the self-checkout camera to cover the bagging area');
    const partial = (await as(cookies.staff).get('/api/ideas/similar?q=spider')).json();
    expect(partial.items.map((i: { title: string }) => i.title)).toContain('Lock the high-theft razor blades in a spider-wrap by default');
    expect((await as(cookies.staff).get('/api/ideas/similar?q=a')).json().items).toEqual([]);
  });

  it('says whether the asker has voted for each match and may vote, so the idea form can offer the vote', async () => {
    const idea = await submit('staff', { title: 'Mirror the stockroom door camera onto the till screen' });
    const q = encodeURIComponent('stockroom door camera till screen');
    const find = async (cookie: string) => ((await as(cookie).get(`/api/ideas/similar?q=${q}`)).json().items as { id: string; voted: boolean; canVote: boolean; votes: number }[]).find((i) => i.id === idea.id)!;
    expect(await find(cookies.member)).toMatchObject({ voted: false, canVote: true, votes: 0 });
    await as(cookies.member).post(`/api/ideas/${idea.id}/vote`);
    expect(await find(cookies.member)).toMatchObject({ voted: true, canVote: true, votes: 1 });
    // Someone else's vote is not the asker's; a viewer may read but not vote.
    expect(await find(cookies.staff)).toMatchObject({ voted: false, canVote: true, votes: 1 });
    expect(await find(cookies.viewer)).toMatchObject({ voted: false, canVote: false, votes: 1 });
  });
});

describe('voting', () => {
  it('gives one vote per person: a second vote removes it', async () => {
    const idea = await submit('staff', { title: 'Vote test idea' });
    const first = await as(cookies.member).post(`/api/ideas/${idea.id}/vote`);
    expect(first.json()).toEqual({ voted: true, votes: 1 });
    expect((await as(cookies.member).get(`/api/ideas/${idea.id}`)).json().voted).toBe(true);
    const second = await as(cookies.member).post(`/api/ideas/${idea.id}/vote`);
    expect(second.json()).toEqual({ voted: false, votes: 0 });
    await as(cookies.member).post(`/api/ideas/${idea.ref}/vote`);
    await as(cookies.staff).post(`/api/ideas/${idea.id}/vote`);
    expect((await ideaRow(idea.id)).voteCount).toBe(2);
  });

  it('answers a vote on a missing idea with a 404 naming the idea, and changes nothing', async () => {
    const votesBefore = Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(ideaVotes))[0].n);
    for (const id of [MISSING, 'IDEA-99999']) {
      const res = await as(cookies.member).post(`/api/ideas/${id}/vote`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.problems[0].field).toBe('id');
      expect(res.json().error.message).toContain(id);
    }
    const bad = await as(cookies.member).post('/api/ideas/not-an-idea/vote');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems[0].field).toBe('id');
    expect(Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(ideaVotes))[0].n)).toBe(votesBefore);
  });
});

describe('state changes by role', () => {
  it('follows submitted → under review → accepted → in progress → done with the right people', async () => {
    const idea = await submit('staff', { title: 'Lifecycle idea' });
    const url = `/api/ideas/${idea.id}/state`;
    const memberId = await personId(ROLE_EMAILS.member);

    // Staff and viewers never change states; members do not review.
    for (const role of ['staff', 'viewer', 'member'] as Role[]) expect((await as(cookies[role]).post(url, { state: 'under_review' })).statusCode).toBe(403);
    expect((await ideaRow(idea.id)).state).toBe('submitted');

    const review = await as(cookies.lead).post(url, { state: 'under_review' });
    expect(review.statusCode).toBe(200);
    expect(review.json().state).toBe('under_review');
    expect((await as(cookies.member).post(url, { state: 'accepted' })).statusCode).toBe(403);

    const accepted = await as(cookies.lead).post(url, { state: 'accepted', ownerId: memberId });
    expect(accepted.json()).toMatchObject({ state: 'accepted', owner: { id: memberId, name: 'Rachel Okafor' } });
    // A member who is not the owner may not start it; the owner may.
    expect((await as(extraMember).post(url, { state: 'in_progress' })).statusCode).toBe(403);
    expect((await as(cookies.staff).post(url, { state: 'in_progress' })).statusCode).toBe(403);
    expect((await as(cookies.member).post(url, { state: 'in_progress' })).json().state).toBe('in_progress');
    expect((await as(cookies.member).post(url, { state: 'done' })).json().state).toBe('done');

    const detail = (await as(cookies.staff).get(`/api/ideas/${idea.id}`)).json();
    expect(detail.history.map((e: { kind: string; toState: string | null }) => `${e.kind}:${e.toState ?? ''}`)).toEqual([
      'submitted:submitted',
      'state:under_review',
      'owner:',
      'state:accepted',
      'state:in_progress',
      'state:done',
    ]);
    // The author hears about each move by mail.
    const mails = await t.ctx.db.select().from(mailMessages).where(and(eq(mailMessages.kind, 'idea_state'), eq(mailMessages.toAddress, ROLE_EMAILS.staff)));
    expect(mails.filter((m) => m.subject.includes(idea.ref))).toHaveLength(4);
  });

  it('admins can do every review move; the board shows leads which moves they have', async () => {
    const idea = await submit('member', { title: 'Admin review idea' });
    expect((await as(cookies.member).get(`/api/ideas/${idea.id}`)).json().can.moveTo).toEqual([]);
    expect((await as(cookies.lead).get(`/api/ideas/${idea.id}`)).json().can.moveTo).toEqual(['under_review', 'declined', 'duplicate']);
    expect((await as(cookies.admin).post(`/api/ideas/${idea.id}/state`, { state: 'under_review' })).statusCode).toBe(200);
  });

  it('refuses a move the state machine does not have, naming the state, and changes nothing', async () => {
    const idea = await submit('staff', { title: 'Cannot skip review' });
    const res = await as(cookies.lead).post(`/api/ideas/${idea.id}/state`, { state: 'done' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.problems[0].field).toBe('state');
    expect((await ideaRow(idea.id)).state).toBe('submitted');
  });

  it('needs a reason to decline, and writes nothing without one', async () => {
    const idea = await submit('staff', { title: 'Decline me' });
    const eventsBefore = await eventCount(idea.id);
    for (const body of [{ state: 'declined' }, { state: 'declined', reason: '   ' }]) {
      const res = await as(cookies.lead).post(`/api/ideas/${idea.id}/state`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.problems[0].field).toBe('reason');
    }
    const row = await ideaRow(idea.id);
    expect(row.state).toBe('submitted');
    expect(row.declineReason).toBeNull();
    expect(await eventCount(idea.id)).toBe(eventsBefore);
    const ok = await as(cookies.lead).post(`/api/ideas/${idea.id}/state`, { state: 'declined', reason: 'Covered by the camera roll-out' });
    expect(ok.json()).toMatchObject({ state: 'declined', declineReason: 'Covered by the camera roll-out' });
  });

  it('needs an owner before work starts', async () => {
    const idea = await submit('staff', { title: 'Nobody owns me' });
    await as(cookies.lead).post(`/api/ideas/${idea.id}/state`, { state: 'under_review' });
    await as(cookies.lead).post(`/api/ideas/${idea.id}/state`, { state: 'accepted' });
    const res = await as(cookies.lead).post(`/api/ideas/${idea.id}/state`, { state: 'in_progress' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems[0].field).toBe('ownerId');
    expect((await ideaRow(idea.id)).state).toBe('accepted');
  });

  it('marks a duplicate: links the original and merges the votes, one per person', async () => {
    const original = await submit('staff', { title: 'Original idea about receipts' });
    const dup = await submit('member', { title: 'Duplicate idea about receipts' });
    await as(cookies.staff).post(`/api/ideas/${original.id}/vote`);
    await as(cookies.staff).post(`/api/ideas/${dup.id}/vote`); // votes on both: counted once
    await as(cookies.lead).post(`/api/ideas/${dup.id}/vote`);
    await as(extraMember).post(`/api/ideas/${dup.id}/vote`);

    const missingLink = await as(cookies.lead).post(`/api/ideas/${dup.id}/state`, { state: 'duplicate' });
    expect(missingLink.statusCode).toBe(400);
    expect(missingLink.json().error.problems[0].field).toBe('duplicateOf');
    const self = await as(cookies.lead).post(`/api/ideas/${dup.id}/state`, { state: 'duplicate', duplicateOf: dup.ref });
    expect(self.json().error.problems[0].field).toBe('duplicateOf');
    const unknown = await as(cookies.lead).post(`/api/ideas/${dup.id}/state`, { state: 'duplicate', duplicateOf: 'IDEA-99999' });
    expect(unknown.statusCode).toBe(400);
    expect((await ideaRow(dup.id)).voteCount).toBe(3);

    const res = await as(cookies.lead).post(`/api/ideas/${dup.id}/state`, { state: 'duplicate', duplicateOf: original.ref });
    expect(res.json()).toMatchObject({ state: 'duplicate', duplicateOf: { id: original.id, ref: original.ref }, votes: 0 });
    const merged = (await as(cookies.staff).get(`/api/ideas/${original.id}`)).json();
    expect(merged.votes).toBe(3);
    expect(merged.duplicates).toEqual([{ id: dup.id, ref: dup.ref, title: dup.title }]);
    expect(merged.history.at(-1)).toMatchObject({ kind: 'votes_merged' });
    // Votes go to the original now.
    expect((await as(cookies.member).post(`/api/ideas/${dup.id}/vote`)).statusCode).toBe(409);
  });
});

describe('ownership', () => {
  it('a member takes ownership; another member cannot take it over; a lead reassigns', async () => {
    const idea = await submit('staff', { title: 'Ownership idea' });
    expect((await as(cookies.staff).post(`/api/ideas/${idea.id}/take`)).statusCode).toBe(403);
    const taken = await as(cookies.member).post(`/api/ideas/${idea.id}/take`);
    expect(taken.json().owner.name).toBe('Rachel Okafor');
    const clash = await as(extraMember).post(`/api/ideas/${idea.id}/take`);
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.message).toMatch(/owned by Rachel Okafor/);
    expect((await as(cookies.member).post(`/api/ideas/${idea.id}/owner`, { ownerId: await personId('jamal.brooks@meridian.example') })).statusCode).toBe(403);
    const assigned = await as(cookies.lead).post(`/api/ideas/${idea.id}/owner`, { ownerId: await personId('jamal.brooks@meridian.example') });
    expect(assigned.json().owner.name).toBe('Jamal Brooks');
    const mail = await t.ctx.db.select().from(mailMessages).where(and(eq(mailMessages.kind, 'idea_owner'), eq(mailMessages.toAddress, 'jamal.brooks@meridian.example')));
    expect(mail.some((m) => m.subject.includes(idea.ref))).toBe(true);
  });

  it('refuses store staff as owner, naming the field', async () => {
    const idea = await submit('staff', { title: 'Staff cannot own' });
    const res = await as(cookies.lead).post(`/api/ideas/${idea.id}/owner`, { ownerId: await personId(ROLE_EMAILS.staff) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems[0].field).toBe('ownerId');
    expect((await ideaRow(idea.id)).ownerId).toBeNull();
  });

  it('shows the ideas I own on My work', async () => {
    const idea = await submit('staff', { title: 'For my work' });
    await as(cookies.member).post(`/api/ideas/${idea.id}/take`);
    const home = (await as(cookies.member).get('/api/home')).json();
    expect(home.actions.some((a: { label: string; href: string }) => a.label.includes(idea.ref) && a.href === `/ideas/${idea.ref}`)).toBe(true);
    expect(home.figures.find((f: { label: string }) => f.label === 'Ideas I own').value).toBeGreaterThan(0);
    const mine = (await as(cookies.member).get('/api/ideas?mine=owned&limit=200')).json();
    expect(mine.items.every((i: { owner: { name: string } }) => i.owner.name === 'Rachel Okafor')).toBe(true);
  });
});

describe('comments', () => {
  it('mentions by email local part or by name notify those people by mail', async () => {
    const idea = await submit('staff', { title: 'Mention idea' });
    const res = await as(cookies.lead).post(`/api/ideas/${idea.id}/comments`, { body: 'Could @rachel.okafor check the switch, and @Victor Mensah the camera? @nobody.here is not a person.' });
    expect(res.statusCode).toBe(201);
    expect(res.json().comments).toBe(1);
    const mails = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.kind, 'idea_mention'));
    const mine = mails.filter((m) => m.subject.includes(idea.ref));
    expect(mine.map((m) => m.toAddress).sort()).toEqual(['rachel.okafor@meridian.example', 'victor.mensah@meridian.example']);
    expect(mine[0].text).toContain(`/ideas/${idea.ref}`);
    const detail = (await as(cookies.viewer).get(`/api/ideas/${idea.id}`)).json();
    const comment = detail.history.find((e: { kind: string }) => e.kind === 'comment');
    expect(comment.mentions.map((m: { name: string }) => m.name).sort()).toEqual(['Rachel Okafor', 'Victor Mensah']);
  });

  it('refuses an empty comment and viewers', async () => {
    const idea = await submit('staff', { title: 'Empty comment' });
    const res = await as(cookies.staff).post(`/api/ideas/${idea.id}/comments`, { body: ' ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems[0].field).toBe('body');
    expect((await as(cookies.viewer).post(`/api/ideas/${idea.id}/comments`, { body: 'hi' })).statusCode).toBe(403);
    expect((await ideaRow(idea.id)).commentCount).toBe(0);
  });
});

describe('lists, export and stats', () => {
  it('filters by state, category, store, department and owner, sorts by votes, and exports the same', async () => {
    const byVotes = (await as(cookies.lead).get('/api/ideas?sort=votes&order=desc&limit=5')).json();
    const votes = byVotes.items.map((i: { votes: number }) => i.votes);
    expect(votes).toEqual([...votes].sort((a, b) => b - a));
    const declined = (await as(cookies.lead).get('/api/ideas?state=declined')).json();
    expect(declined.items.length).toBeGreaterThan(0);
    expect(declined.items.every((i: { state: string }) => i.state === 'declined')).toBe(true);
    const lp = (await as(cookies.lead).get('/api/departments?q=Loss')).json().items[0];
    const lpTech = (await as(cookies.lead).get(`/api/ideas?departmentId=${lp.id}&category=training`)).json();
    expect(lpTech.items.every((i: { departmentName: string; category: string }) => i.departmentName === 'Loss Prevention' && i.category === 'training')).toBe(true);
    expect(lpTech.total).toBeGreaterThan(0);
    const csv = await as(cookies.lead).get(`/api/ideas/export?departmentId=${lp.id}&category=training`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(/^ref,title,category,state,store,department,author/);
    expect(lines.length - 1).toBe(lpTech.total);
    const hq = (await as(cookies.lead).get('/api/ideas?hq=true&limit=200')).json();
    expect(hq.items.every((i: { storeId: string | null }) => i.storeId === null)).toBe(true);
    const oldest = (await as(cookies.lead).get('/api/ideas?sort=lastActivityAt&order=asc&states=submitted,under_review&limit=3')).json();
    expect(oldest.items.every((i: { state: string }) => ['submitted', 'under_review'].includes(i.state))).toBe(true);
  });

  it('counts ideas by state and by department per month', async () => {
    const stats = (await as(cookies.viewer).get('/api/ideas/stats')).json();
    expect(stats.byState.map((s: { state: string }) => s.state)).toEqual(['submitted', 'under_review', 'accepted', 'declined', 'duplicate', 'in_progress', 'done']);
    expect(stats.byState.reduce((n: number, s: { count: number }) => n + s.count, 0)).toBe(await countIdeas());
    expect(stats.byMonth.length).toBeGreaterThan(3);
    expect(stats.byMonth.some((r: { department: string }) => r.department === 'Anonymous')).toBe(true);
  });
});
