import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDetail } from '../src/contracts/projects.js';
import { AppError } from '../src/server/platform/errors.js';
import { homeContributors } from '../src/server/platform/home.js';
import { agendaSuggesters } from '../src/server/platform/agenda.js';
import { newsletterContributors } from '../src/server/platform/newsletter-sections.js';
import { searchAll } from '../src/server/platform/search.js';
import { mailMessages } from '../src/server/platform/schema.js';
import { notifications } from '../src/server/platform/notifications-schema.js';
import * as projects from '../src/server/modules/projects/service.js';
import * as budget from '../src/server/modules/budget/service.js';
import { resolveFinding } from '../src/server/modules/devices/service.js';
import { createPlan as createCameraPlan } from '../src/server/modules/devices/plans.js';
import { changeState, getIdea } from '../src/server/modules/ideas/service.js';
import type { Actor } from '../src/server/platform/policy.js';
import { actorFor, seededApp, signIn, SYSTEM_ACTOR, type TestApp } from './context.js';


let t: TestApp;
const who = {} as Record<'admin' | 'lpLead' | 'itLead' | 'itMember' | 'infosecLead' | 'storeLp' | 'storeManager' | 'lpMember' | 'secMember' | 'infosecMember', Actor>;

beforeAll(async () => {
  t = await seededApp();
  who.admin = await actorFor(t.ctx, 'dana.whitfield@meridian.example');
  who.lpLead = await actorFor(t.ctx, 'priya.natarajan@meridian.example');
  who.lpMember = await actorFor(t.ctx, 'jamal.brooks@meridian.example');
  who.itLead = await actorFor(t.ctx, 'marcus.chen@meridian.example');
  who.itMember = await actorFor(t.ctx, 'rachel.okafor@meridian.example');
  who.infosecLead = await actorFor(t.ctx, 'elena.petrova@meridian.example');
  who.infosecMember = await actorFor(t.ctx, 'ben.adeyemi@meridian.example');
  who.secMember = await actorFor(t.ctx, 'hannah.cole@meridian.example');
  who.storeLp = await actorFor(t.ctx, 'ricky.navarro@meridian.example');
  who.storeManager = await actorFor(t.ctx, 'gary.lutz@meridian.example');
}, 300_000);
afterAll(async () => t?.close());

async function rejects(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

const rows = async <T>(q: ReturnType<typeof sql>) => ((await t.ctx.db.execute(q)) as unknown as { rows: T[] }).rows;
const MISSING_STORE = '01900000-0000-7000-8000-000000000000';
const storeId = async (code: string) => (await rows<{ id: string }>(sql`select id from stores where code = ${code}`))[0].id;

async function tickAll(p: ProjectDetail, gate: 'security_review' | 'capacity_review' | 'budget_approval') {
  let d = p;
  const n = d.gates.find((g) => g.gate === gate)!.checklist.length;
  for (let i = 0; i < n; i++) d = await projects.tickChecklist(t.ctx, who.lpLead, d.ref, { gate, index: i, done: true });
  return d;
}

describe('demo projects', () => {
  it('seeds six projects at different stages, one blocked by a finding and one by capacity', async () => {
    const list = await projects.listProjects(t.ctx, who.lpLead, { order: 'asc', limit: 50, sort: 'number' });
    expect(list.total).toBe(6);
    expect(new Set(list.items.map((p) => p.stage)).size).toBeGreaterThanOrEqual(5);
    const security = list.items.find((p) => p.stage === 'security_review')!;
    const detail = await projects.getProject(t.ctx, who.lpLead, security.ref);
    expect(detail.gates.find((g) => g.gate === 'security_review')!.blockers.some((b) => b.code === 'finding')).toBe(true);
    const capacity = list.items.find((p) => p.stage === 'capacity_review')!;
    const cap = await projects.getProject(t.ctx, who.lpLead, capacity.ref);
    expect(cap.gates.find((g) => g.gate === 'capacity_review')!.blockers.some((b) => b.code === 'uplink')).toBe(true);
    const done = list.items.find((p) => p.stage === 'done')!;
    expect(done.storesDone).toBe(done.storesTotal);
  });

  it('a sign-off refused by a finding answers 409 with the reason', async () => {
    const cookie = await signIn(t.app, 'elena.petrova@meridian.example');
    const list = await projects.listProjects(t.ctx, who.lpLead, { order: 'asc', limit: 50, sort: 'number', stage: 'security_review' });
    const blocked = list.items.find((p) => p.title.startsWith('Self-checkout'))!;
    const res = await t.app.inject({ method: 'POST', url: `/api/projects/${blocked.ref}/signoffs`, headers: { cookie }, payload: { decision: 'approve' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/finding/);
  });
});

describe('gates', () => {
  let project: ProjectDetail;
  let findingId: string;

  it('an LP lead proposes a camera roll-out and submits it to the IT security review', async () => {
    project = await projects.createProject(t.ctx, who.lpLead, {
      title: 'Register cameras for the Midwest',
      description: 'Cameras over every register in the Midwest stores.',
      type: 'camera_rollout',
      itContactId: who.itMember.id,
      estimatedCostCents: 12_000_000,
      targetDate: null,
      storeIds: [await storeId('MW-201'), await storeId('MW-204')],
    });
    expect(project.stage).toBe('proposal');
    expect(project.gates[0].checklist.length).toBeGreaterThan(0);
    // Link a device with an open high (or critical) finding whose condition can be fixed.
    const [f] = await rows<{ id: string; device_id: string }>(
      sql`select id, device_id from device_findings where state = 'open' and severity in ('high','critical') and rule = 'default_credentials' and device_id not in (select target_id from project_links) order by number limit 1`,
    );
    findingId = f.id;
    project = await projects.addLink(t.ctx, who.lpLead, project.ref, { kind: 'device', target: f.device_id });
    project = await projects.changeStage(t.ctx, who.lpLead, project.ref, { to: 'security_review' });
    expect(project.stage).toBe('security_review');
    // The signers hear about it, and the gate is on their home page.
    const notes = await rows<{ n: number }>(sql`select count(*)::int as n from notifications where recipient_id = ${who.infosecLead.id} and kind = 'project_gate'`);
    expect(notes[0].n).toBeGreaterThan(0);
    const home = await Promise.all(homeContributors().map((c) => c(t.ctx, who.infosecLead)));
    expect(home.flatMap((h) => h.actions ?? []).some((a) => a.href === `/projects/${project.ref}`)).toBe(true);
  });

  it('the security gate is signed by an LP lead and an InfoSec lead, not an IT lead or a member', async () => {
    const itLead = await rejects(projects.signoff(t.ctx, who.itLead, project.ref, { decision: 'approve' }));
    expect(itLead.status).toBe(403);
    const member = await rejects(projects.signoff(t.ctx, who.infosecMember, project.ref, { decision: 'approve' }));
    expect(member.status).toBe(403);
    expect(project.gates.find((g) => g.gate === 'security_review')!.canSign).toBe('lp');
  });

  it('refusing needs a reason, and the refusal stays in the history', async () => {
    const noReason = await rejects(projects.signoff(t.ctx, who.infosecLead, project.ref, { decision: 'refuse' }));
    expect(noReason.status).toBe(400);
    expect(noReason.problems?.[0].field).toBe('reason');
    project = await projects.signoff(t.ctx, who.infosecLead, project.ref, { decision: 'refuse', reason: 'Camera still on its factory password' });
    const gate = project.gates.find((g) => g.gate === 'security_review')!;
    expect(gate.signoffs.find((s) => s.side === 'it')).toMatchObject({ decision: 'refused', reason: 'Camera still on its factory password' });
    expect(project.events.some((e) => e.kind === 'signoff' && e.decision === 'refused')).toBe(true);
  });

  it('cannot pass while the checklist is open or a linked device has an open high finding; the reason names it', async () => {
    const open = await rejects(projects.signoff(t.ctx, who.lpLead, project.ref, { decision: 'approve' }));
    expect(open.status).toBe(409);
    expect(open.problems?.map((p) => p.field)).toEqual(expect.arrayContaining(['checklist', 'finding']));
    project = await tickAll(project, 'security_review');
    const blocked = await rejects(projects.signoff(t.ctx, who.infosecLead, project.ref, { decision: 'approve' }));
    expect(blocked.status).toBe(409);
    expect(blocked.problems?.map((p) => p.field)).toEqual(['finding']);
    expect(blocked.message).toMatch(/open (high|critical) finding/);
    expect(project.gates.find((g) => g.gate === 'security_review')!.blockers.map((b) => b.code)).toEqual(['finding']);
  });

  it('once IT resolves the finding both leads sign and the project moves to the capacity review', async () => {
    await resolveFinding(t.ctx, who.itMember, findingId, { note: 'Password rotated and stored in the vault' });
    project = await projects.signoff(t.ctx, who.infosecLead, project.ref, { decision: 'approve' });
    expect(project.stage).toBe('security_review');
    project = await projects.signoff(t.ctx, who.lpLead, project.ref, { decision: 'approve' });
    expect(project.stage).toBe('capacity_review');
    expect(project.gates.find((g) => g.gate === 'security_review')!.state).toBe('passed');
    const audit = await rows<{ summary: string }>(sql`select summary from audit_log where entity = 'project' and entity_id = ${project.id} order by at`);
    expect(audit.map((a) => a.summary).join('\n')).toMatch(/passed the it security review/i);
  });

  it('the capacity gate cannot pass while a camera plan is over the store uplink or PoE budget', async () => {
    const plan = await createCameraPlan(t.ctx, who.itMember, {
      storeId: await storeId('MW-204'),
      name: 'Register cameras, Des Moines',
      project: 'Register cameras for the Midwest',
      offsitePercent: 100,
      switchPoeBudgetW: 60,
      lines: [{ label: 'Registers', quantity: 20, resolutionMp: 8.3, codec: 'h264', fps: 30, activity: 'high', recording: 'continuous', motionPercent: 30, retentionDays: 30, poeClass: 3 }],
    });
    expect(plan.figures.overPoe).toBe(true);
    expect(plan.figures.overUplink).toBe(true);
    project = await projects.addLink(t.ctx, who.lpLead, project.ref, { kind: 'camera_plan', target: plan.id });
    project = await tickAll(project, 'capacity_review');
    const blocked = await rejects(projects.signoff(t.ctx, who.itLead, project.ref, { decision: 'approve' }));
    expect(blocked.status).toBe(409);
    expect(blocked.problems?.map((p) => p.field).sort()).toEqual(['poe', 'uplink']);
    expect(blocked.message).toMatch(/Mbps of uplink; the store has 50 Mbps/);
    expect(blocked.message).toMatch(/switch budget is 60 W/);
    // The plan is cut down to fit: H.265, 2 MP, fewer cameras, a bigger switch.
    const { updatePlan } = await import('../src/server/modules/devices/plans.js');
    const fitted = await updatePlan(t.ctx, who.itMember, plan.id, {
      switchPoeBudgetW: 740,
      lines: [{ label: 'Registers', quantity: 8, resolutionMp: 2.1, codec: 'h265', fps: 10, activity: 'medium', recording: 'continuous', motionPercent: 30, retentionDays: 30, poeClass: 2 }],
    });
    expect(fitted.figures.overUplink || fitted.figures.overPoe).toBe(false);
    // The store's demo plan over its uplink is linked too? Not to this project: only its own plan counts.
    project = await projects.signoff(t.ctx, who.itLead, project.ref, { decision: 'approve' });
    project = await projects.signoff(t.ctx, who.lpLead, project.ref, { decision: 'approve' });
    expect(project.stage).toBe('budget_approval');
  });

  it('the budget gate needs an IT budget line funding the project', async () => {
    project = await tickAll(project, 'budget_approval');
    const blocked = await rejects(projects.signoff(t.ctx, who.itLead, project.ref, { decision: 'approve' }));
    expect(blocked.problems?.map((p) => p.field)).toEqual(['budget']);
    const priorities = (await budget.listPriorities(t.ctx, who.itLead)).items;
    const cctv = priorities.find((p) => p.code === 'cashier_cctv')!;
    await budget.createLine(t.ctx, who.itLead, { fiscalYear: 2026, kind: 'capex', title: 'Midwest register cameras', vendor: 'Axis', category: 'security', amountCents: 12_000_000, ownerId: null, project: project.ref, tags: [{ priorityId: cctv.id, sharePercent: 100 }] });
    project = await projects.signoff(t.ctx, who.itLead, project.ref, { decision: 'approve' });
    project = await projects.signoff(t.ctx, who.lpLead, project.ref, { decision: 'approve' });
    expect(project.stage).toBe('pilot');
    expect(project.budgetLines).toHaveLength(1);
  });

  it('gates are left only by sign-offs; stopping needs a reason', async () => {
    const other = await projects.createProject(t.ctx, who.lpLead, { title: 'Door counters', description: '', type: 'other', itContactId: null, estimatedCostCents: null, targetDate: null, storeIds: [] });
    const moved = await projects.changeStage(t.ctx, who.lpLead, other.ref, { to: 'security_review' });
    const skip = await rejects(projects.changeStage(t.ctx, who.lpLead, moved.ref, { to: 'capacity_review' }));
    expect(skip.status).toBe(409);
    expect(skip.message).toMatch(/when both leads sign off/);
    const noReason = await rejects(projects.changeStage(t.ctx, who.lpLead, moved.ref, { to: 'stopped' }));
    expect(noReason.problems?.[0].field).toBe('reason');
    const stopped = await projects.changeStage(t.ctx, who.lpLead, moved.ref, { to: 'stopped', reason: 'Vendor left the market' });
    expect(stopped.stoppedReason).toBe('Vendor left the market');
  });

  it('a linked idea moves to in progress, and to done when the project is done', async () => {
    const [idea] = await rows<{ id: string }>(sql`select id from ideas where state in ('submitted','under_review','accepted') order by number limit 1`);
    project = await projects.addLink(t.ctx, who.lpLead, project.ref, { kind: 'idea', target: idea.id });
    expect((await getIdea(t.ctx, SYSTEM_ACTOR, idea.id)).state).toBe('in_progress');
    project = await projects.changeStage(t.ctx, who.lpLead, project.ref, { to: 'rollout' });
    project = await projects.setStores(t.ctx, who.lpLead, project.ref, { items: project.stores.map((s) => ({ storeId: s.storeId, status: 'done', doneOn: null })) });
    expect(project.storesDone).toBe(2);
    project = await projects.changeStage(t.ctx, who.lpLead, project.ref, { to: 'done' });
    expect((await getIdea(t.ctx, SYSTEM_ACTOR, idea.id)).state).toBe('done');
    void changeState;
  });

  it('admins edit checklist templates; new projects start from them', async () => {
    const denied = await rejects(projects.putTemplate(t.ctx, who.lpLead, { type: 'eas', gate: 'security_review', items: ['x'] }));
    expect(denied.status).toBe(403);
    await projects.putTemplate(t.ctx, who.admin, { type: 'eas', gate: 'security_review', items: ['Controllers on the security VLAN', 'Vendor VPN reviewed'] });
    const p = await projects.createProject(t.ctx, who.lpLead, { title: 'EAS for the outlet stores', description: '', type: 'eas', itContactId: null, estimatedCostCents: null, targetDate: null, storeIds: [] });
    expect(p.gates.find((g) => g.gate === 'security_review')!.checklist.map((c) => c.label)).toEqual(['Controllers on the security VLAN', 'Vendor VPN reviewed']);
  });
});

describe('editing milestones, stores and checklist templates', () => {
  let project: ProjectDetail;
  let lpCookie: string;
  let adminCookie: string;
  const day = (offset: number) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
  const put = (url: string, cookie: string, payload: object) => t.app.inject({ method: 'PUT', url, headers: { cookie }, payload });
  const fields = (res: { json: () => { error: { problems: Array<{ field: string }> } } }) => res.json().error.problems.map((p) => p.field);

  beforeAll(async () => {
    lpCookie = await signIn(t.app, 'priya.natarajan@meridian.example');
    adminCookie = await signIn(t.app, 'dana.whitfield@meridian.example');
    project = await projects.createProject(t.ctx, who.lpLead, { title: 'Stockroom cameras', description: '', type: 'camera_rollout', itContactId: null, estimatedCostCents: null, targetDate: null, storeIds: [await storeId('NE-101'), await storeId('NE-102')] });
  });

  it('milestones: a bad due date, a missing title, a bad reached date or id are refused naming the item and field', async () => {
    const url = `/api/projects/${project.ref}/milestones`;
    const badDate = await put(url, lpCookie, { items: [{ title: 'Pilot live', dueDate: day(30) }, { title: 'Half the stores', dueDate: day(60) }, { title: 'All stores', dueDate: '2026-13-01' }] });
    expect(badDate.statusCode).toBe(400);
    expect(fields(badDate)).toEqual(['items.2.dueDate']);
    const noTitle = await put(url, lpCookie, { items: [{ title: '  ', dueDate: day(30) }] });
    expect(fields(noTitle)).toEqual(['items.0.title']);
    expect(noTitle.json().error.message).toMatch(/items\.0\.title: is required/);
    const badDone = await put(url, lpCookie, { items: [{ title: 'Pilot live', dueDate: day(30), doneOn: 'yesterday' }] });
    expect(fields(badDone)).toEqual(['items.0.doneOn']);
    const badId = await put(url, lpCookie, { items: [{ id: 'm1', title: 'Pilot live', dueDate: day(30) }] });
    expect(fields(badId)).toEqual(['items.0.id']);
  });

  it('milestones: a reached date in the future, a repeated title and another project’s milestone are refused', async () => {
    const future = await rejects(projects.setMilestones(t.ctx, who.lpLead, project.ref, { items: [{ title: 'Pilot live', dueDate: day(-3), doneOn: day(3) }] }));
    expect(future.problems).toEqual([{ field: 'items.0.doneOn', message: 'cannot be in the future' }]);
    const twice = await rejects(projects.setMilestones(t.ctx, who.lpLead, project.ref, { items: [{ title: 'Pilot live', dueDate: day(5), doneOn: null }, { title: 'pilot LIVE', dueDate: day(9), doneOn: null }] }));
    expect(twice.problems?.[0].field).toBe('items.1.title');
    const other = (await projects.getProject(t.ctx, who.lpLead, 'PRJ-5')).milestones[0];
    const foreign = await rejects(projects.setMilestones(t.ctx, who.lpLead, project.ref, { items: [{ id: other.id, title: 'Pilot live', dueDate: day(5), doneOn: null }] }));
    expect(foreign.problems?.[0]).toEqual({ field: 'items.0.id', message: 'is not a milestone of this project' });
    expect((await projects.getProject(t.ctx, who.lpLead, project.ref)).milestones).toHaveLength(0);
  });

  it('milestones: added, reached, renamed and removed; a rename keeps the milestone and is not reached twice', async () => {
    project = await projects.setMilestones(t.ctx, who.lpLead, project.ref, { items: [{ title: 'Pilot live', dueDate: day(-2), doneOn: null }, { title: 'All stores live', dueDate: day(40), doneOn: null }] });
    const pilot = project.milestones.find((m) => m.title === 'Pilot live')!;
    project = await projects.setMilestones(t.ctx, who.lpLead, project.ref, { items: project.milestones.map((m) => ({ ...m, doneOn: m.id === pilot.id ? day(-1) : m.doneOn })) });
    const reached = () => project.events.filter((e) => e.kind === 'milestone').length;
    expect(reached()).toBe(1);
    project = await projects.setMilestones(t.ctx, who.lpLead, project.ref, { items: project.milestones.map((m) => (m.id === pilot.id ? { ...m, title: 'Pilot live at Hartford' } : m)) });
    expect(project.milestones.find((m) => m.id === pilot.id)).toMatchObject({ title: 'Pilot live at Hartford', doneOn: day(-1) });
    expect(reached()).toBe(1);
    project = await projects.setMilestones(t.ctx, who.lpLead, project.ref, { items: project.milestones.filter((m) => m.id !== pilot.id) });
    expect(project.milestones.map((m) => m.title)).toEqual(['All stores live']);
  });

  it('stores: an unknown, repeated or closed store, a bad status and done dates that do not fit are refused naming the item', async () => {
    const url = `/api/projects/${project.ref}/stores`;
    const items = project.stores.map((s) => ({ storeId: s.storeId, status: s.status, doneOn: s.doneOn }));
    const badStatus = await put(url, lpCookie, { items: [{ ...items[0], status: 'finished' }] });
    expect(badStatus.statusCode).toBe(400);
    expect(fields(badStatus)).toEqual(['items.0.status']);
    const badId = await put(url, lpCookie, { items: [items[0], { storeId: 'NE-103', status: 'planned' }] });
    expect(fields(badId)).toEqual(['items.1.storeId']);
    const unknown = await rejects(projects.setStores(t.ctx, who.lpLead, project.ref, { items: [...items, { storeId: MISSING_STORE, status: 'planned', doneOn: null }] }));
    expect(unknown.problems).toEqual([{ field: 'items.2.storeId', message: 'no such store' }]);
    const twice = await rejects(projects.setStores(t.ctx, who.lpLead, project.ref, { items: [...items, items[0]] }));
    expect(twice.problems?.[0]).toEqual({ field: 'items.2.storeId', message: 'NE-101 is already store 1 of the list' });
    const planned = await rejects(projects.setStores(t.ctx, who.lpLead, project.ref, { items: [{ ...items[0], status: 'planned', doneOn: day(-1) }] }));
    expect(planned.problems?.[0].field).toBe('items.0.doneOn');
    const future = await rejects(projects.setStores(t.ctx, who.lpLead, project.ref, { items: [{ ...items[0], status: 'done', doneOn: day(3) }] }));
    expect(future.problems).toEqual([{ field: 'items.0.doneOn', message: 'cannot be in the future' }]);
    // A closed store is not added anew, but one already on the project stays when it closes.
    const closedId = '01900000-0000-7000-8000-0000000000c1';
    await t.ctx.db.execute(sql`insert into stores (id, code, name, region, district, timezone, uplink_mbps, active) values (${closedId}, 'ZZ-999', 'Closed store', 'Test', 'Test', 'America/New_York', 50, false)`);
    const closed = await rejects(projects.setStores(t.ctx, who.lpLead, project.ref, { items: [...items, { storeId: closedId, status: 'planned', doneOn: null }] }));
    expect(closed.problems).toEqual([{ field: 'items.2.storeId', message: 'ZZ-999 is inactive' }]);
    expect((await projects.getProject(t.ctx, who.lpLead, project.ref)).storesTotal).toBe(2);
  });

  it('stores: added, marked done on a day, and removed; the progress figure follows', async () => {
    const items = project.stores.map((s) => ({ storeId: s.storeId, status: s.status, doneOn: s.doneOn }));
    project = await projects.setStores(t.ctx, who.lpLead, project.ref, { items: [...items, { storeId: await storeId('NE-103'), status: 'planned', doneOn: null }] });
    expect([project.storesDone, project.storesTotal]).toEqual([0, 3]);
    project = await projects.setStores(t.ctx, who.lpLead, project.ref, { items: project.stores.map((s) => (s.storeCode === 'NE-102' ? { storeId: s.storeId, status: 'done', doneOn: day(-4) } : s)) });
    expect([project.storesDone, project.storesTotal]).toEqual([1, 3]);
    expect(project.stores.find((s) => s.storeCode === 'NE-102')!.doneOn).toBe(day(-4));
    expect(project.events[0].body).toBe('Roll-out: 1 / 3 stores done');
    project = await projects.setStores(t.ctx, who.lpLead, project.ref, { items: project.stores.filter((s) => s.storeCode !== 'NE-101') });
    expect([project.storesDone, project.storesTotal]).toEqual([1, 2]);
  });

  it('templates: an empty item, an empty list, a repeated item and an unknown type or gate are refused naming the field', async () => {
    const url = '/api/project-templates';
    const empty = await put(url, adminCookie, { type: 'eas', gate: 'capacity_review', items: ['Power surveyed', '  '] });
    expect(empty.statusCode).toBe(400);
    expect(fields(empty)).toEqual(['items.1']);
    expect(fields(await put(url, adminCookie, { type: 'eas', gate: 'capacity_review', items: [] }))).toEqual(['items']);
    expect(fields(await put(url, adminCookie, { type: 'drones', gate: 'pilot', items: ['x'] }))).toEqual(['type', 'gate']);
    const twice = await rejects(projects.putTemplate(t.ctx, who.admin, { type: 'eas', gate: 'capacity_review', items: ['Power surveyed', 'Ports free', 'power surveyed'] }));
    expect(twice.problems).toEqual([{ field: 'items.2', message: 'is the same as item 1' }]);
  });

  it('templates: a change reaches projects proposed afterwards, not the ones already proposed', async () => {
    const before = project.gates.find((g) => g.gate === 'budget_approval')!.checklist.map((c) => c.label);
    await projects.putTemplate(t.ctx, who.admin, { type: 'camera_rollout', gate: 'budget_approval', items: [...before, 'Maintenance contract priced for five years'] });
    expect((await projects.getProject(t.ctx, who.lpLead, project.ref)).gates.find((g) => g.gate === 'budget_approval')!.checklist.map((c) => c.label)).toEqual(before);
    const next = await projects.createProject(t.ctx, who.lpLead, { title: 'Car park cameras', description: '', type: 'camera_rollout', itContactId: null, estimatedCostCents: null, targetDate: null, storeIds: [] });
    expect(next.gates.find((g) => g.gate === 'budget_approval')!.checklist.map((c) => c.label)).toEqual([...before, 'Maintenance contract priced for five years']);
    const audit = await rows<{ summary: string }>(sql`select summary from audit_log where entity = 'project_gate_template' order by at desc limit 1`);
    expect(audit[0].summary).toBe('Changed the budget approval checklist for camera roll-out projects (4 items)');
  });
});

describe('scope', () => {
  it('people attached to a store see only projects rolling out to their store', async () => {
    const all = await projects.listProjects(t.ctx, who.lpLead, { order: 'asc', limit: 200, sort: 'number' });
    const mine = await projects.listProjects(t.ctx, who.storeLp, { order: 'asc', limit: 200, sort: 'number' });
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.total).toBeLessThan(all.total);
    const ne101 = await storeId('NE-101');
    for (const p of mine.items) {
      const d = await projects.getProject(t.ctx, who.storeLp, p.ref);
      expect(d.stores.some((s) => s.storeId === ne101)).toBe(true);
    }
    const hidden = all.items.find((p) => !mine.items.some((m) => m.id === p.id))!;
    expect((await rejects(projects.getProject(t.ctx, who.storeLp, hidden.ref))).status).toBe(404);
    const found = await searchAll(t.ctx, who.storeLp, hidden.ref, 10);
    expect(found.groups.find((g) => g.kind === 'projects')?.items.some((i) => i.id === hidden.id) ?? false).toBe(false);
  });

  it('store people cannot propose; store operations read projects but do not work in them', async () => {
    expect((await rejects(projects.createProject(t.ctx, who.storeLp, { title: 'x', description: '', type: 'other', itContactId: null, estimatedCostCents: null, targetDate: null, storeIds: [] }))).status).toBe(403);
    expect((await projects.listProjects(t.ctx, who.storeManager, { order: 'asc', limit: 5, sort: 'number' })).total).toBeGreaterThan(0);
  });

  it('the budget: IT leads edit, LP leads read, store people and IT members do not edit', async () => {
    expect((await budget.alignment(t.ctx, who.lpLead, {})).benchmarkPercent).toBe(8.3);
    const line = { fiscalYear: 2030, kind: 'opex' as const, title: 'x', vendor: '', category: 'other' as const, amountCents: 100, ownerId: null, project: null, tags: [] };
    expect((await rejects(budget.createLine(t.ctx, who.lpLead, line))).status).toBe(403);
    expect((await rejects(budget.createLine(t.ctx, who.itMember, line))).status).toBe(403);
    expect((await rejects(budget.alignment(t.ctx, who.storeLp, {}))).status).toBe(403);
  });

  it('search finds projects by PRJ reference', async () => {
    const res = await searchAll(t.ctx, who.lpLead, 'PRJ-2', 5);
    expect(res.groups.find((g) => g.kind === 'projects')!.items[0].ref).toBe('PRJ-2');
  });
});

describe('budget', () => {
  it('computes the share on LP priorities with partial shares', async () => {
    const pr = (await budget.listPriorities(t.ctx, who.itLead)).items;
    const cctv = pr.find((p) => p.code === 'cashier_cctv')!;
    const eas = pr.find((p) => p.code === 'eas')!;
    await budget.createLine(t.ctx, who.itLead, { fiscalYear: 2040, kind: 'capex', title: 'Switch refresh', vendor: 'Cisco', category: 'network', amountCents: 1_000_000_00, ownerId: null, project: null, tags: [{ priorityId: cctv.id, sharePercent: 30 }] });
    await budget.createLine(t.ctx, who.itLead, { fiscalYear: 2040, kind: 'opex', title: 'EAS maintenance', vendor: 'Sensormatic', category: 'security', amountCents: 100_000_00, ownerId: null, project: null, tags: [{ priorityId: eas.id, sharePercent: 100 }] });
    const line = await budget.createLine(t.ctx, who.itLead, { fiscalYear: 2040, kind: 'opex', title: 'ERP', vendor: 'Oracle', category: 'software', amountCents: 900_000_00, ownerId: null, project: null, tags: [] });
    let a = await budget.alignment(t.ctx, who.lpLead, { fiscalYear: 2040 });
    expect(a.totalCents).toBe(2_000_000_00);
    expect(a.lpCents).toBe(400_000_00);
    expect(a.lpPercent).toBe(20);
    expect(a.byPriority.find((p) => p.priorityId === cctv.id)).toMatchObject({ cents: 300_000_00, percentOfIt: 15 });
    // Tagging the ERP line 10 % for data analytics moves the figure.
    const data = pr.find((p) => p.code === 'data_analytics')!;
    await budget.updateLine(t.ctx, who.itLead, line.id, { tags: [{ priorityId: data.id, sharePercent: 10 }] });
    a = await budget.alignment(t.ctx, who.lpLead, { fiscalYear: 2040 });
    expect(a.lpPercent).toBe(24.5);
  });

  it('refuses shares that add up to more than 100 %', async () => {
    const pr = (await budget.listPriorities(t.ctx, who.itLead)).items;
    const err = await rejects(
      budget.createLine(t.ctx, who.itLead, { fiscalYear: 2040, kind: 'capex', title: 'Too much', vendor: '', category: 'security', amountCents: 100, ownerId: null, project: null, tags: [{ priorityId: pr[0].id, sharePercent: 70 }, { priorityId: pr[1].id, sharePercent: 40 }] }),
    );
    expect(err.problems?.[0]).toMatchObject({ field: 'tags' });
    expect(err.message).toMatch(/110 %/);
  });

  it('imports CSV all-or-nothing, with errors by line and field', async () => {
    const before = await budget.alignment(t.ctx, who.itLead, { fiscalYear: 2041 });
    expect(before.totalCents).toBe(0);
    const bad = ['kind,title,amount,vendor,category,owner_email,priorities,project', 'capex,Switches,480000.00,Cisco,network,rachel.okafor@meridian.example,cashier_cctv:30,', 'capital,Cameras,12x,Axis,security,,,', 'opex,VMS,96000,Milestone,security,nobody@meridian.example,cashier_cctv:80;nonsense:20,PRJ-999'].join('\n');
    const err = await rejects(budget.importLines(t.ctx, who.itLead, { fiscalYear: 2041, csv: bad }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/nothing was imported/);
    const problems = err.problems!.map((p) => `${p.line}:${p.field}`);
    expect(problems).toEqual(expect.arrayContaining(['3:kind', '3:amount', '4:owner_email', '4:priorities', '4:project']));
    expect(problems.some((p) => p.startsWith('2:'))).toBe(false);
    expect((await budget.alignment(t.ctx, who.itLead, { fiscalYear: 2041 })).totalCents).toBe(0);
    const good = await budget.importLines(t.ctx, who.itLead, { fiscalYear: 2041, csv: budget.BUDGET_CSV_EXAMPLE });
    expect(good.imported).toBe(2);
    const after = await budget.alignment(t.ctx, who.itLead, { fiscalYear: 2041 });
    expect(after.totalCents).toBe(576_000_00);
    expect(after.lpCents).toBe(144_000_00 + 96_000_00);
  });
});

describe('priority pulse', () => {
  let roundId: string;
  it('shows no department figure for fewer than five answers', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
    roundId = (await budget.createRound(t.ctx, who.admin, { title: 'Test pulse', opensOn: today, closesOn: later })).id;
    const pr = (await budget.listPriorities(t.ctx, who.lpLead)).items;
    const answer = (yes: boolean) => ({ answers: pr.map((p) => ({ priorityId: p.id, isPriority: yes, importance: yes ? 5 : 1 })) });
    const lp = ['dana.whitfield', 'priya.natarajan', 'jamal.brooks', 'karen.holt', 'tomas.rivera'];
    for (const name of lp.slice(0, 4)) await budget.answerRound(t.ctx, await actorFor(t.ctx, `${name}@meridian.example`), roundId, answer(true));
    let round = await budget.getRound(t.ctx, who.lpLead, roundId);
    const lpOf = () => round.report.priorities[0].groups.find((g) => g.department === 'lp')!;
    expect(lpOf().priorityPercent).toBeNull();
    expect(lpOf().respondents).toBe(0);
    await budget.answerRound(t.ctx, await actorFor(t.ctx, `${lp[4]}@meridian.example`), roundId, answer(false));
    round = await budget.getRound(t.ctx, who.lpLead, roundId);
    expect(lpOf()).toMatchObject({ respondents: 5, priorityPercent: 80 });
    // InfoSec has three people: never shown.
    for (const e of ['elena.petrova', 'ben.adeyemi', 'laura.kim']) await budget.answerRound(t.ctx, await actorFor(t.ctx, `${e}@meridian.example`), roundId, answer(true));
    round = await budget.getRound(t.ctx, who.lpLead, roundId);
    expect(round.report.priorities[0].groups.find((g) => g.department === 'infosec')!.priorityPercent).toBeNull();
    // One's own answers come back to oneself only.
    expect(round.myAnswers).toHaveLength(pr.length);
    expect((await budget.getRound(t.ctx, who.itLead, roundId)).myAnswers).toHaveLength(0);
  });

  it('store operations are not asked', async () => {
    const pr = (await budget.listPriorities(t.ctx, who.lpLead)).items;
    expect((await rejects(budget.answerRound(t.ctx, who.storeManager, roundId, { answers: [{ priorityId: pr[0].id, isPriority: true, importance: 3 }] }))).status).toBe(403);
  });

  it('the demo alignment report shows LP vs IT per priority and the trend across three rounds', async () => {
    const a = await budget.alignment(t.ctx, who.lpLead, {});
    expect(a.pulse).not.toBeNull();
    expect(a.pulse!.trend.length).toBeGreaterThanOrEqual(3);
    const agenda = await Promise.all(agendaSuggesters().map((s) => s.suggest(t.ctx, who.lpLead, { from: new Date(Date.now() - 30 * 86400000), to: new Date(), departmentIds: [] })));
    const items = agenda.flat();
    expect(items.some((i) => i.key.startsWith('projects:gate:'))).toBe(true);
  });

  it('the newsletter gets alignment figures with the 8.3 % benchmark as a chart', async () => {
    const budgetSection = newsletterContributors().find((c) => c.kind === 'budget')!;
    const sections = await budgetSection.draft(t.ctx, { from: new Date(Date.now() - 30 * 86400000), to: new Date() });
    const chart = sections[0].blocks.find((b) => b.type === 'chart');
    expect(chart && chart.type === 'chart' && chart.points.every((p) => p.reference === 8.3)).toBe(true);
  });
});

describe('daily pulse reminders', () => {
  const DAY = 86_400_000;
  const dayIso = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
  /** Noon (UTC) `offset` days from now: the job's clock. */
  const noon = (offset: number) => new Date(`${dayIso(offset)}T12:00:00Z`);
  const reminders = (roundId: string) =>
    t.ctx.db
      .select({ recipientId: notifications.recipientId, title: notifications.title })
      .from(notifications)
      .where(and(eq(notifications.link, `/budget/pulse/${roundId}`), like(notifications.title, 'Reminder:%')));
  const reminderMails = (title: string) => t.ctx.db.select({ to: mailMessages.toAddress }).from(mailMessages).where(like(mailMessages.subject, `Reminder: priority pulse "${title}"%`));
  const remindedRound = async (roundId: string, now: Date) => (await budget.sendPulseReminders(t.ctx, now)).find((r) => r.roundId === roundId);

  it('reminds only those who have not answered, once a day, the last the day before the deadline', async () => {
    const title = 'Reminder pulse';
    const roundId = (await budget.createRound(t.ctx, who.admin, { title, opensOn: dayIso(0), closesOn: dayIso(3) })).id;
    const pr = (await budget.listPriorities(t.ctx, who.lpLead)).items;
    const answers = { answers: pr.map((p) => ({ priorityId: p.id, isPriority: true, importance: 4 })) };
    await budget.answerRound(t.ctx, who.lpMember, roundId, answers);
    await budget.answerRound(t.ctx, who.itMember, roundId, answers);
    const invited = (await budget.getRound(t.ctx, who.admin, roundId)).invited;

    // Opened today with its invitation: no reminder the same day.
    expect(await remindedRound(roundId, noon(0))).toBeUndefined();
    expect(await reminders(roundId)).toHaveLength(0);

    // Tomorrow: two runs at the same moment (two instances) remind each non-respondent once.
    const [a, b] = await Promise.all([budget.sendPulseReminders(t.ctx, noon(1)), budget.sendPulseReminders(t.ctx, noon(1))]);
    const runs = [...a, ...b].filter((r) => r.roundId === roundId);
    expect(runs).toHaveLength(1);
    expect(runs[0].reminded).toBe(invited - 2);
    let sent = await reminders(roundId);
    expect(sent).toHaveLength(invited - 2);
    expect(new Set(sent.map((n) => n.recipientId)).size).toBe(sent.length);
    expect(sent.map((n) => n.recipientId)).not.toContain(who.lpMember.id);
    expect(sent.map((n) => n.recipientId)).not.toContain(who.itMember.id);
    const mails = await reminderMails(title);
    expect(mails.length).toBeGreaterThan(0);
    expect(new Set(mails.map((m) => m.to)).size).toBe(mails.length);
    expect(mails.map((m) => m.to)).not.toContain(who.lpMember.email);

    // A later run the same day sends nothing.
    expect(await remindedRound(roundId, new Date(noon(1).getTime() + 5 * 3600_000))).toBeUndefined();
    expect(await reminders(roundId)).toHaveLength(invited - 2);

    // The round page says when the last reminder went out and until when they go.
    const page = await budget.getRound(t.ctx, who.admin, roundId);
    expect(page.remindedAt).toBe(noon(1).toISOString());
    expect(page.lastReminderOn).toBe(dayIso(2));

    // Someone answers; the day before the deadline is the last reminder, without them.
    await budget.answerRound(t.ctx, who.secMember, roundId, answers);
    expect((await remindedRound(roundId, noon(2)))?.reminded).toBe(invited - 3);
    sent = await reminders(roundId);
    const last = sent.filter((n) => n.title.includes('closes tomorrow'));
    expect(last).toHaveLength(invited - 3);
    expect(last.map((n) => n.recipientId)).not.toContain(who.secMember.id);

    // On the deadline day and after it: nothing.
    expect(await remindedRound(roundId, noon(3))).toBeUndefined();
    expect(await remindedRound(roundId, noon(4))).toBeUndefined();
    expect(await reminders(roundId)).toHaveLength(2 * invited - 5);
  });

  it('a round reminded by hand today is not reminded again by the job; closed rounds never', async () => {
    const round = (await budget.listRounds(t.ctx, who.admin)).items.find((r) => r.title === 'Winter pulse')!;
    expect(round.open).toBe(true);
    const before = (await reminders(round.id)).length;
    const { reminded } = await budget.remindRound(t.ctx, who.admin, round.id);
    expect(reminded).toBeGreaterThan(0);
    expect(await remindedRound(round.id, new Date())).toBeUndefined();
    expect(await reminders(round.id)).toHaveLength(before + reminded);

    const closed = (await budget.listRounds(t.ctx, who.admin)).items.find((r) => r.title === 'Autumn pulse')!;
    expect(closed.open).toBe(false);
    expect(closed.lastReminderOn).toBeNull();
    expect(await remindedRound(closed.id, new Date())).toBeUndefined();
    expect(await reminders(closed.id)).toHaveLength(0);
  });
});
