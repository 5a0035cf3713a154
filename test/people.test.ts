import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { actorFor, ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';
import * as service from '../src/server/modules/people/service.js';
import { auditLog, mailMessages } from '../src/server/platform/schema.js';
import { people, stores } from '../src/server/modules/people/schema.js';
import { AppError } from '../src/server/platform/errors.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await seededApp();
  admin = await signIn(t.app, ROLE_EMAILS.admin);
});
afterAll(async () => t?.close());

const countPeople = async () => Number((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(people))[0].n);

describe('people', () => {
  it('creates a person, invites them by email and audits both in the same transaction', async () => {
    const dept = (await t.app.inject({ method: 'GET', url: '/api/departments?q=IT', headers: { cookie: admin } })).json().items[0];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie: admin },
      payload: { name: 'Nina Ferreira', email: 'Nina.Ferreira@Meridian.example', title: 'Network Engineer', role: 'member', departmentId: dept.id, storeId: null },
    });
    expect(res.statusCode).toBe(201);
    const person = res.json();
    expect(person).toMatchObject({ email: 'nina.ferreira@meridian.example', status: 'invited', departmentName: dept.name, storeId: null });
    const mails = await t.ctx.db.select().from(mailMessages).where(eq(mailMessages.toAddress, 'nina.ferreira@meridian.example'));
    expect(mails).toHaveLength(1);
    expect(mails[0].status).toBe('outbox');
    expect(mails[0].text).toMatch(/http:\/\/localhost:3000\/invite\/inv_/);
    const audits = await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, person.id));
    expect(audits.map((a) => a.action).sort()).toEqual(['create', 'invite']);
  });

  it('refuses a duplicate email with a 409 naming the field, and writes nothing', async () => {
    const before = await countPeople();
    const dept = (await t.app.inject({ method: 'GET', url: '/api/departments', headers: { cookie: admin } })).json().items[0];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie: admin },
      payload: { name: 'Someone', email: ROLE_EMAILS.member, role: 'member', departmentId: dept.id },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.problems[0].field).toBe('email');
    expect(await countPeople()).toBe(before);
  });

  it('names the field of bad input', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: admin }, payload: { name: '', email: 'not-an-email', role: 'boss' } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'email', 'role', 'departmentId']));
  });

  it('imports nothing from a people CSV with two bad lines, and names both lines', async () => {
    const before = await countPeople();
    const csv = [
      'name,email,title,role,department,store',
      'Ada Brooks,ada.brooks@meridian.example,Analyst,member,LP,NE-101',
      'Bad Role,bad.role@meridian.example,Analyst,superuser,LP,NE-101',
      'Cal Dunn,cal.dunn@meridian.example,Technician,member,IT,HQ',
      'Unknown Store,unknown.store@meridian.example,Cashier,staff,OPS,ZZ-999',
    ].join('\n');
    const res = await t.app.inject({ method: 'POST', url: '/api/people/import', headers: { cookie: admin, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.problems.map((p: { line: number }) => p.line)).toEqual([3, 5]);
    expect(error.problems[0].field).toBe('role');
    expect(error.problems[1].field).toBe('store');
    expect(error.message).toMatch(/lines 3, 5/);
    expect(await countPeople()).toBe(before);
  });

  it('imports a valid people CSV: creates, updates by email, invites the new', async () => {
    const csv = 'Name,Email,Title,Role,Department,Store\nAda Brooks,ada.brooks@meridian.example,Analyst,member,Loss Prevention,NE-101\nRachel Okafor,rachel.okafor@meridian.example,Senior Network Engineer,member,IT,\n';
    const res = await t.app.inject({ method: 'POST', url: '/api/people/import', headers: { cookie: admin, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 1, updated: 1, lines: 2 });
    const [rachel] = await t.ctx.db.select().from(people).where(eq(people.email, 'rachel.okafor@meridian.example'));
    expect(rachel.title).toBe('Senior Network Engineer');
  });

  it('filters, sorts and pages people with a stable cursor', async () => {
    const first = (await t.app.inject({ method: 'GET', url: '/api/people?role=staff&sort=name&limit=5', headers: { cookie: admin } })).json();
    expect(first.items).toHaveLength(5);
    expect(first.total).toBe(20);
    const names = first.items.map((p: { name: string }) => p.name);
    expect([...names].sort((a, b) => a.localeCompare(b))).toEqual(names);
    const seen = new Set(names);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = (await t.app.inject({ method: 'GET', url: `/api/people?role=staff&sort=name&limit=5&cursor=${cursor}`, headers: { cookie: admin } })).json();
      for (const p of page.items) {
        expect(seen.has(p.name)).toBe(false);
        seen.add(p.name);
      }
      cursor = page.nextCursor;
    }
    expect(seen.size).toBe(20);
  });

  it('exports the filtered list as CSV', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/people/export?role=viewer', headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('name,email,title,role,department,store,status,last_sign_in_at');
    expect(lines).toHaveLength(3);
  });

  it('deactivates a person: sessions end and sign-in is refused', async () => {
    const member = await signIn(t.app, 'sofia.alvarez@meridian.example');
    const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: member } })).json();
    const res = await t.app.inject({ method: 'POST', url: `/api/people/${me.id}/deactivate`, headers: { cookie: admin } });
    expect(res.json().status).toBe('deactivated');
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: member } })).statusCode).toBe(401);
    await expect(signIn(t.app, 'sofia.alvarez@meridian.example')).rejects.toThrow(/401/);
  });

  it('keeps at least one active admin', async () => {
    const actor = await actorFor(t.ctx, ROLE_EMAILS.admin);
    await expect(service.setPersonActive(t.ctx, actor, actor.id, false)).rejects.toBeInstanceOf(AppError);
    await expect(service.updatePerson(t.ctx, actor, actor.id, { role: 'lead' })).rejects.toThrow(/at least one active admin/);
  });
});

describe('departments', () => {
  it('counts active people per department', async () => {
    const page = (await t.app.inject({ method: 'GET', url: '/api/departments?sort=code', headers: { cookie: admin } })).json();
    const counts = Object.fromEntries(page.items.map((d: { code: string; peopleCount: number }) => [d.code, d.peopleCount]));
    expect(counts.INFOSEC).toBeGreaterThanOrEqual(3);
    expect(counts.SEC).toBeGreaterThanOrEqual(4);
  });

  it('filters people by status, with a total that matches the items', async () => {
    const invited = (await t.app.inject({ method: 'GET', url: '/api/people?status=invited&limit=200', headers: { cookie: admin } })).json();
    expect(invited.items.length).toBeGreaterThan(0);
    expect(invited.items.every((p: { status: string }) => p.status === 'invited')).toBe(true);
    expect(invited.total).toBe(invited.items.length);
  });
});

describe('stores', () => {
  it('imports stores all-or-nothing with line-numbered errors', async () => {
    const before = (await t.ctx.db.select().from(stores)).length;
    const bad = 'code,name,region,district,timezone,uplink_mbps\nNE-105,Boston Back Bay,Northeast,Massachusetts,America/New_York,300\nNE-106,Portland Old Port,Northeast,Maine,Mars/Olympus,100\nNE-107,Burlington,Northeast,Vermont,America/New_York,fast\n';
    const res = await t.app.inject({ method: 'POST', url: '/api/stores/import', headers: { cookie: admin, 'content-type': 'text/csv' }, payload: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual([
      { line: 3, field: 'timezone', message: expect.stringMatching(/time zone/) },
      { line: 4, field: 'uplink_mbps', message: expect.any(String) },
    ]);
    expect((await t.ctx.db.select().from(stores)).length).toBe(before);
    const good = 'code,name,region,district,timezone,uplink_mbps\nNE-105,Boston Back Bay,Northeast,Massachusetts,America/New_York,300\nNE-101,Hartford Downtown,Northeast,Connecticut,America/New_York,500\n';
    const ok = await t.app.inject({ method: 'POST', url: '/api/stores/import', headers: { cookie: admin, 'content-type': 'text/csv' }, payload: good });
    expect(ok.json()).toEqual({ created: 1, updated: 1, lines: 2 });
  });

  it('records before and after of an edit in the audit trail', async () => {
    const store = (await t.app.inject({ method: 'GET', url: '/api/stores?q=MW-204', headers: { cookie: admin } })).json().items[0];
    const res = await t.app.inject({ method: 'PATCH', url: `/api/stores/${store.id}`, headers: { cookie: admin }, payload: { uplinkMbps: 100 } });
    expect(res.json().uplinkMbps).toBe(100);
    const audit = (await t.app.inject({ method: 'GET', url: `/api/audit?entity=store&entityId=${store.id}`, headers: { cookie: admin } })).json();
    expect(audit.items[0]).toMatchObject({ action: 'update', actorName: 'Dana Whitfield', before: { uplinkMbps: 50 }, after: { uplinkMbps: 100 } });
  });
});

describe('audit trail', () => {
  it('is append-only in the database itself', async () => {
    const reason = (err: unknown) => String((err as { cause?: Error }).cause?.message ?? (err as Error).message);
    const update = await t.ctx.db.execute(sql`update audit_log set summary = 'rewritten'`).catch(reason);
    const remove = await t.ctx.db.execute(sql`delete from audit_log`).catch(reason);
    expect(update).toMatch(/append-only/);
    expect(remove).toMatch(/append-only/);
  });

  it('exports as CSV with the filters of the list', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/audit/export?entity=store', headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toMatch(/^at,actor,actor_id,action,entity/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(',store,'))).toBe(true);
  });
});
