import { and, asc, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  DEFAULT_REQUEST_CATALOGUES,
  OPEN_STATUSES,
  REQUEST_STATUS_LABELS,
  REQUEST_TRANSITIONS,
  requestRef,
  type DepartmentCalendar,
  type DirectionStats,
  type Ledger,
  type PriorityCode,
  type RequestDetail,
  type RequestEvent,
  type RequestPriority,
  type RequestStatus,
  type RequestType,
  type TandemRequest,
  type assignInput,
  type calendarInput,
  type commentInput,
  type ledgerQuery,
  type priorityPatch,
  type requestInput,
  type requestListQuery,
  type requestPatch,
  type requestTypeInput,
  type requestTypeListQuery,
  type requestTypePatch,
  type statusChangeInput,
} from '../../../contracts/requests.js';
import { roleCan } from '../../../contracts/policy.js';
import type { DepartmentKind, Role } from '../../../contracts/roles.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import { addBusinessMinutes, describeCalendar, type BusinessCalendar } from '../../platform/business-hours.js';
import { isTimeZone } from '../../platform/zoned-time.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { containsPattern, paginate, refNumber } from '../../platform/list.js';
import { resolveMentions } from '../../platform/mentions.js';
import { assertCan, can, type Actor } from '../../platform/policy.js';
import { registerSearchProvider } from '../../platform/search.js';
import { isChainWide, storeScopeSql } from '../../platform/scope.js';
import { registerHomeContributor, type HomeFigure } from '../../platform/home.js';
import { departments, people, stores } from '../people/schema.js';
import { requestCalendars, requestEvents, requestPriorities, requests, requestTypes } from './schema.js';
import './agenda.js';
// The module's sections of the newsletter (M9), registered at import.
import './newsletter.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const MINUTE = 60_000;
const isAdmin = (actor: Actor) => actor.via === 'system' || actor.role === 'admin';

// ---------------------------------------------------------------- priorities

function presentPriority(row: typeof requestPriorities.$inferSelect): RequestPriority {
  return { ...row, code: row.code as PriorityCode, updatedAt: row.updatedAt.toISOString() };
}

export async function listPriorities(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'requests:read');
  const rows = await ctx.db.select().from(requestPriorities).orderBy(asc(requestPriorities.code));
  return { items: rows.map(presentPriority) };
}

export async function updatePriority(ctx: AppContext, actor: Actor, code: PriorityCode, patch: z.infer<typeof priorityPatch>) {
  assertCan(actor, 'requests:catalogue');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(requestPriorities).where(eq(requestPriorities.code, code)).for('update');
    if (!before) throw notFound('Priority');
    const response = patch.responseMinutes ?? before.responseMinutes;
    const resolution = patch.resolutionMinutes ?? before.resolutionMinutes;
    if (resolution < response) throw invalid('resolutionMinutes', 'must be at least the response target');
    const diff = changedFields(before, patch);
    if (!diff.changed.length) return presentPriority(before);
    const [row] = await tx.update(requestPriorities).set({ ...patch, updatedAt: new Date() }).where(eq(requestPriorities.code, code)).returning();
    await recordAudit(tx, actor, { action: 'update', entity: 'request_priority', entityId: null, summary: `Changed request priority ${code}: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    return presentPriority(row);
  });
}

// ---------------------------------------------------------------- catalogue

const typeColumns = {
  id: requestTypes.id,
  departmentId: requestTypes.departmentId,
  departmentName: departments.name,
  name: requestTypes.name,
  description: requestTypes.description,
  active: requestTypes.active,
  position: requestTypes.position,
  requestCount: sql<number>`(select count(*)::int from requests r where r.type_id = ${requestTypes.id})`,
};

const presentType = (row: RequestType): RequestType => ({ ...row, requestCount: Number(row.requestCount) });

async function typeById(db: DbOrTx, id: string) {
  const [row] = await db.select(typeColumns).from(requestTypes).innerJoin(departments, eq(departments.id, requestTypes.departmentId)).where(eq(requestTypes.id, id));
  if (!row) throw notFound('Request type');
  return presentType(row as RequestType);
}

export async function listTypes(ctx: AppContext, actor: Actor, query: z.infer<typeof requestTypeListQuery>) {
  assertCan(actor, 'requests:read');
  const rows = await ctx.db
    .select(typeColumns)
    .from(requestTypes)
    .innerJoin(departments, eq(departments.id, requestTypes.departmentId))
    .where(and(query.departmentId ? eq(requestTypes.departmentId, query.departmentId) : undefined, query.includeInactive ? undefined : eq(requestTypes.active, true)))
    .orderBy(asc(departments.name), asc(requestTypes.position), asc(requestTypes.name));
  return { items: rows.map((r) => presentType(r as RequestType)) };
}

async function assertDepartment(tx: DbOrTx, id: string, field: string) {
  const [d] = await tx.select().from(departments).where(eq(departments.id, id));
  if (!d) throw invalid(field, 'no such department');
  if (!d.active) throw invalid(field, `${d.name} is deactivated`);
  return d;
}

export async function createType(ctx: AppContext, actor: Actor, input: z.infer<typeof requestTypeInput>) {
  assertCan(actor, 'requests:catalogue');
  return ctx.db.transaction(async (tx) => {
    const dept = await assertDepartment(tx, input.departmentId, 'departmentId');
    const [clash] = await tx.select({ id: requestTypes.id }).from(requestTypes).where(and(eq(requestTypes.departmentId, dept.id), sql`lower(${requestTypes.name}) = lower(${input.name})`));
    if (clash) throw conflict('name', `${dept.name} already has a request type with this name`);
    const [{ next }] = await tx.select({ next: sql<number>`coalesce(max(${requestTypes.position}) + 1, 0)::int` }).from(requestTypes).where(eq(requestTypes.departmentId, dept.id));
    const id = uuidv7();
    await tx.insert(requestTypes).values({ id, departmentId: dept.id, name: input.name, description: input.description, position: input.position ?? Number(next) });
    await recordAudit(tx, actor, { action: 'create', entity: 'request_type', entityId: id, summary: `Added request type "${input.name}" to ${dept.name}'s catalogue`, after: input });
    return typeById(tx, id);
  });
}

export async function updateType(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof requestTypePatch>) {
  assertCan(actor, 'requests:catalogue');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(requestTypes).where(eq(requestTypes.id, id)).for('update');
    if (!before) throw notFound('Request type');
    if (patch.name && patch.name.toLowerCase() !== before.name.toLowerCase()) {
      const [clash] = await tx
        .select({ id: requestTypes.id })
        .from(requestTypes)
        .where(and(eq(requestTypes.departmentId, before.departmentId), sql`lower(${requestTypes.name}) = lower(${patch.name})`));
      if (clash) throw conflict('name', 'this department already has a request type with this name');
    }
    const diff = changedFields(before, patch);
    if (diff.changed.length) {
      await tx.update(requestTypes).set({ ...patch, updatedAt: new Date() }).where(eq(requestTypes.id, id));
      await recordAudit(tx, actor, { action: 'update', entity: 'request_type', entityId: id, summary: `Updated request type "${before.name}": ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    }
    return typeById(tx, id);
  });
}

/** Adds the standard catalogue for the department's kind (types it already has are kept). */
export async function installDefaultCatalogue(ctx: AppContext, actor: Actor, departmentId: string) {
  assertCan(actor, 'requests:catalogue');
  return ctx.db.transaction(async (tx) => {
    const dept = await assertDepartment(tx, departmentId, 'departmentId');
    const existing = new Set((await tx.select({ name: requestTypes.name }).from(requestTypes).where(eq(requestTypes.departmentId, dept.id))).map((t) => t.name.toLowerCase()));
    const defaults = DEFAULT_REQUEST_CATALOGUES[dept.kind as DepartmentKind] ?? DEFAULT_REQUEST_CATALOGUES.custom;
    const missing = defaults.filter((d) => !existing.has(d.name.toLowerCase()));
    if (missing.length) {
      await tx.insert(requestTypes).values(missing.map((d) => ({ id: uuidv7(), departmentId: dept.id, name: d.name, description: d.description, position: defaults.indexOf(d) })));
      await recordAudit(tx, actor, { action: 'create', entity: 'request_type', summary: `Added the standard request catalogue to ${dept.name}: ${missing.map((m) => m.name).join(', ')}` });
    }
    return { added: missing.length };
  });
}

// ---------------------------------------------------------------- requests

const fromDept = alias(departments, 'from_dept');
const toDept = alias(departments, 'to_dept');
const requester = alias(people, 'requester');
const assignee = alias(people, 'assignee');

const requestColumns = {
  id: requests.id,
  number: requests.number,
  title: requests.title,
  description: requests.description,
  status: requests.status,
  priority: requests.priority,
  fromDepartmentId: requests.fromDepartmentId,
  fromDepartmentName: fromDept.name,
  toDepartmentId: requests.toDepartmentId,
  toDepartmentName: toDept.name,
  typeId: requests.typeId,
  typeName: requestTypes.name,
  requesterId: requests.requesterId,
  requesterName: requester.name,
  assigneeId: requests.assigneeId,
  assigneeName: assignee.name,
  storeId: requests.storeId,
  storeCode: stores.code,
  storeName: stores.name,
  dueDate: requests.dueDate,
  responseDueAt: requests.responseDueAt,
  resolutionDueAt: requests.resolutionDueAt,
  firstResponseAt: requests.firstResponseAt,
  resolvedAt: requests.resolvedAt,
  closeReason: requests.closeReason,
  createdAt: requests.createdAt,
  updatedAt: requests.updatedAt,
};
type RequestRow = {
  id: string;
  number: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  fromDepartmentId: string;
  fromDepartmentName: string;
  toDepartmentId: string;
  toDepartmentName: string;
  typeId: string;
  typeName: string;
  requesterId: string;
  requesterName: string;
  assigneeId: string | null;
  assigneeName: string | null;
  storeId: string | null;
  storeCode: string | null;
  storeName: string | null;
  dueDate: string | null;
  responseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closeReason: string | null;
  createdAt: Date;
  updatedAt: Date;
};

const joinRequestRefs = (q: any) =>
  q
    .innerJoin(fromDept, eq(fromDept.id, requests.fromDepartmentId))
    .innerJoin(toDept, eq(toDept.id, requests.toDepartmentId))
    .innerJoin(requestTypes, eq(requestTypes.id, requests.typeId))
    .innerJoin(requester, eq(requester.id, requests.requesterId))
    .leftJoin(assignee, eq(assignee.id, requests.assigneeId))
    .leftJoin(stores, eq(stores.id, requests.storeId));

const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);
const isOpen = (status: string) => OPEN_STATUSES.includes(status as RequestStatus);

/** Why an open request is overdue: response or resolution target breached, or its due date passed. */
export function overdueReasonsOf(r: { status: string; firstResponseAt: Date | null; responseDueAt: Date; resolutionDueAt: Date; dueDate: string | null }, now = new Date()) {
  const reasons: Array<'response' | 'resolution' | 'due_date'> = [];
  if (!isOpen(r.status)) return reasons;
  if (!r.firstResponseAt && r.responseDueAt < now) reasons.push('response');
  if (r.resolutionDueAt < now) reasons.push('resolution');
  if (r.dueDate && r.dueDate < todayUtc(now)) reasons.push('due_date');
  return reasons;
}

/** The same rule in SQL, for the overdue filter and the ledger's counts. */
export const overdueSql = sql`(${requests.status} in ('new','accepted','in_progress') and ((${requests.firstResponseAt} is null and ${requests.responseDueAt} < now()) or ${requests.resolutionDueAt} < now() or (${requests.dueDate} is not null and ${requests.dueDate} < (now() at time zone 'UTC')::date)))`;

function presentRequest(row: RequestRow, now = new Date()): TandemRequest {
  const minutesBetween = (a: Date, b: Date | null) => (b ? Math.max(0, Math.round((b.getTime() - a.getTime()) / MINUTE)) : null);
  const reasons = overdueReasonsOf(row, now);
  return {
    ...row,
    ref: requestRef(row.number),
    status: row.status as RequestStatus,
    priority: row.priority as PriorityCode,
    responseDueAt: row.responseDueAt.toISOString(),
    resolutionDueAt: row.resolutionDueAt.toISOString(),
    firstResponseAt: iso(row.firstResponseAt),
    resolvedAt: iso(row.resolvedAt),
    responseMinutes: minutesBetween(row.createdAt, row.firstResponseAt),
    resolutionMinutes: row.status === 'done' ? minutesBetween(row.createdAt, row.resolvedAt) : null,
    overdue: reasons.length > 0,
    overdueReasons: reasons,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Store scope of requests: people attached to stores see their stores' requests and the ones they
 * asked or were assigned; HQ people see all.
 */
function requestScope(actor: Actor): SQL | undefined {
  if (isChainWide(actor)) return undefined;
  return or(storeScopeSql(actor, requests.storeId), eq(requests.requesterId, actor.id), eq(requests.assigneeId, actor.id));
}

/** Which requests this actor may see: the one condition of the list, the export and global search. */
export function requestsVisibleSql(actor: Actor): SQL {
  if (!can(actor, 'requests:read')) return sql`false`;
  return requestScope(actor) ?? sql`true`;
}

function requestWhere(actor: Actor, query: Partial<z.infer<typeof requestListQuery>>): SQL | undefined {
  const q = query.q?.trim();
  const number = q ? refNumber('REQ', q, { bare: true }) : undefined;
  const myDept = actor.departmentId ?? '00000000-0000-0000-0000-000000000000';
  return and(
    requestsVisibleSql(actor),
    q ? or(ilike(requests.title, containsPattern(q)), ilike(requests.description, containsPattern(q)), number !== undefined ? eq(requests.number, number) : undefined) : undefined,
    query.direction === 'from' ? eq(requests.fromDepartmentId, myDept) : query.direction === 'to' ? eq(requests.toDepartmentId, myDept) : undefined,
    query.departmentId ? or(eq(requests.fromDepartmentId, query.departmentId), eq(requests.toDepartmentId, query.departmentId)) : undefined,
    query.fromDepartmentId ? eq(requests.fromDepartmentId, query.fromDepartmentId) : undefined,
    query.toDepartmentId ? eq(requests.toDepartmentId, query.toDepartmentId) : undefined,
    query.status === 'open'
      ? inArray(requests.status, [...OPEN_STATUSES])
      : query.status === 'closed'
        ? inArray(requests.status, ['done', 'declined', 'cancelled'])
        : query.status
          ? eq(requests.status, query.status)
          : undefined,
    query.priority ? eq(requests.priority, query.priority) : undefined,
    query.assignee === 'me' ? eq(requests.assigneeId, actor.id) : query.assignee === 'none' ? isNull(requests.assigneeId) : query.assignee ? eq(requests.assigneeId, query.assignee) : undefined,
    query.typeId ? eq(requests.typeId, query.typeId) : undefined,
    query.overdue === true ? overdueSql : query.overdue === false ? sql`not ${overdueSql}` : undefined,
  );
}

const sortColumns = {
  number: requests.number,
  createdAt: requests.createdAt,
  updatedAt: requests.updatedAt,
  priority: requests.priority,
  title: requests.title,
  resolutionDueAt: requests.resolutionDueAt,
};

export async function listRequests(ctx: AppContext, actor: Actor, query: z.infer<typeof requestListQuery>) {
  assertCan(actor, 'requests:read');
  const page = await paginate<RequestRow, typeof query.sort>(ctx.db, {
    table: requests,
    select: requestColumns,
    joins: joinRequestRefs,
    where: requestWhere(actor, query),
    sortColumns,
    idColumn: requests.id,
    params: query,
  });
  const now = new Date();
  return { ...page, items: page.items.map((r) => presentRequest(r, now)) };
}

export async function exportRequests(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof requestListQuery>>) {
  assertCan(actor, 'requests:read');
  const sortColumn = sortColumns[query.sort ?? 'number'];
  const direction = (query.order ?? 'desc') === 'desc' ? desc : asc;
  const rows = (await joinRequestRefs(ctx.db.select(requestColumns).from(requests))
    .where(requestWhere(actor, query))
    .orderBy(direction(sortColumn), direction(requests.id))) as RequestRow[];
  const now = new Date();
  return rows.map((r) => presentRequest(r, now));
}

/** A request by id, by "REQ-42" or by 42. */
function refWhere(ref: string) {
  const number = refNumber('REQ', ref, { bare: true });
  return number !== undefined ? eq(requests.number, number) : eq(requests.id, ref);
}

async function requestRow(db: DbOrTx, ref: string, actor?: Actor) {
  const [row] = (await joinRequestRefs(db.select(requestColumns).from(requests)).where(and(refWhere(ref), actor ? requestScope(actor) : undefined))) as RequestRow[];
  if (!row) throw notFound('Request');
  return row;
}

type Sides = { status: string; fromDepartmentId: string; toDepartmentId: string; requesterId: string };
const onTargetSide = (actor: Actor, r: Sides) => !!actor.departmentId && actor.departmentId === r.toDepartmentId;
const onRequestingSide = (actor: Actor, r: Sides) => actor.id === r.requesterId || (actor.role === 'lead' && actor.departmentId === r.fromDepartmentId);

/** What this actor may do with this request: the single rule set used by the service and shown by the page. */
export function abilitiesOf(actor: Actor, r: Sides) {
  const transitions = REQUEST_TRANSITIONS[r.status as RequestStatus].filter((to) =>
    to === 'cancelled' ? can(actor, 'requests:create') && (onRequestingSide(actor, r) || isAdmin(actor)) : can(actor, 'requests:work') && (onTargetSide(actor, r) || isAdmin(actor)),
  );
  return {
    transitions: [...transitions],
    assign: isOpen(r.status) && can(actor, 'requests:assign') && (onTargetSide(actor, r) || isAdmin(actor)),
    comment: can(actor, 'requests:create') && (onTargetSide(actor, r) || actor.departmentId === r.fromDepartmentId || isAdmin(actor)),
    edit: isOpen(r.status) && can(actor, 'requests:create') && (onRequestingSide(actor, r) || isAdmin(actor)),
  };
}

const actorDept = alias(departments, 'actor_dept');
const eventActor = alias(people, 'event_actor');

async function eventsOf(db: DbOrTx, requestId: string): Promise<RequestEvent[]> {
  const rows = await db
    .select({
      id: requestEvents.id,
      kind: requestEvents.kind,
      actorId: requestEvents.actorId,
      actorName: eventActor.name,
      actorDepartmentName: actorDept.name,
      body: requestEvents.body,
      fromStatus: requestEvents.fromStatus,
      toStatus: requestEvents.toStatus,
      createdAt: requestEvents.createdAt,
    })
    .from(requestEvents)
    .leftJoin(eventActor, eq(eventActor.id, requestEvents.actorId))
    .leftJoin(actorDept, eq(actorDept.id, eventActor.departmentId))
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id));
  return rows.map((e) => ({
    ...e,
    kind: e.kind as RequestEvent['kind'],
    fromStatus: e.fromStatus as RequestStatus | null,
    toStatus: e.toStatus as RequestStatus | null,
    createdAt: e.createdAt.toISOString(),
  }));
}

async function detailOf(db: DbOrTx, actor: Actor, ref: string): Promise<RequestDetail> {
  const row = await requestRow(db, ref, actor);
  return { ...presentRequest(row), events: await eventsOf(db, row.id), can: abilitiesOf(actor, row), targetClock: await targetClockOf(db, row.priority, row.toDepartmentId, row.toDepartmentName) };
}

/** What a request's targets count, in words. */
async function targetClockOf(db: DbOrTx, priority: string, departmentId: string, departmentName: string) {
  const [p] = await db.select({ roundTheClock: requestPriorities.roundTheClock }).from(requestPriorities).where(eq(requestPriorities.code, priority));
  if (p?.roundTheClock) return `round the clock (priority ${priority})`;
  const calendar = await calendarOf(db, departmentId);
  return calendar ? `business hours of ${departmentName}: ${describeCalendar(calendar)}` : 'round the clock';
}

export async function getRequest(ctx: AppContext, actor: Actor, ref: string) {
  assertCan(actor, 'requests:read');
  return detailOf(ctx.db, actor, ref);
}

/** Response and resolution targets of a request filed at `from`: in the target department's business hours unless the priority counts round the clock. */
async function priorityTargets(tx: DbOrTx, code: string, from: Date, toDepartmentId: string) {
  const [p] = await tx.select().from(requestPriorities).where(eq(requestPriorities.code, code));
  if (!p) throw invalid('priority', 'is not a known priority');
  const calendar = p.roundTheClock ? null : await calendarOf(tx, toDepartmentId);
  return { responseDueAt: addBusinessMinutes(from, p.responseMinutes, calendar), resolutionDueAt: addBusinessMinutes(from, p.resolutionMinutes, calendar) };
}

// ---------------------------------------------------------------- business hours

async function calendarOf(db: DbOrTx, departmentId: string): Promise<BusinessCalendar | null> {
  const [row] = await db.select().from(requestCalendars).where(eq(requestCalendars.departmentId, departmentId));
  return row ? { timezone: row.timezone, workDays: row.workDays, start: row.startTime, end: row.endTime, holidays: row.holidays } : null;
}

function presentCalendar(dept: { id: string; name: string }, row: typeof requestCalendars.$inferSelect | undefined): DepartmentCalendar {
  const calendar = row ? { timezone: row.timezone, workDays: row.workDays, start: row.startTime, end: row.endTime, holidays: row.holidays } : null;
  return { departmentId: dept.id, departmentName: dept.name, calendar, summary: describeCalendar(calendar), updatedAt: row ? row.updatedAt.toISOString() : null };
}

/** Every active department's business hours (null: round the clock). */
export async function listCalendars(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'requests:read');
  const rows = await ctx.db
    .select({ dept: { id: departments.id, name: departments.name }, calendar: requestCalendars })
    .from(departments)
    .leftJoin(requestCalendars, eq(requestCalendars.departmentId, departments.id))
    .where(eq(departments.active, true))
    .orderBy(asc(departments.name));
  return { items: rows.map((r) => presentCalendar(r.dept, r.calendar ?? undefined)) };
}

/** Sets a department's business hours; targets of requests filed from now on count them. */
export async function setCalendar(ctx: AppContext, actor: Actor, departmentId: string, input: z.infer<typeof calendarInput>) {
  assertCan(actor, 'requests:catalogue');
  if (!isTimeZone(input.timezone)) throw invalid('timezone', 'is not a time zone name such as America/New_York');
  return ctx.db.transaction(async (tx) => {
    const dept = await assertDepartment(tx, departmentId, 'departmentId');
    const values = { timezone: input.timezone, workDays: [...input.workDays].sort((a, b) => a - b), startTime: input.start, endTime: input.end, holidays: [...input.holidays].sort((a, b) => a.date.localeCompare(b.date)), updatedAt: new Date() };
    const [row] = await tx.insert(requestCalendars).values({ departmentId: dept.id, ...values }).onConflictDoUpdate({ target: requestCalendars.departmentId, set: values }).returning();
    const presented = presentCalendar(dept, row);
    await recordAudit(tx, actor, { action: 'update', entity: 'request_calendar', entityId: dept.id, summary: `Set the business hours of ${dept.name}: ${presented.summary}` });
    return presented;
  });
}

/** Back to round the clock. */
export async function clearCalendar(ctx: AppContext, actor: Actor, departmentId: string) {
  assertCan(actor, 'requests:catalogue');
  return ctx.db.transaction(async (tx) => {
    const dept = await assertDepartment(tx, departmentId, 'departmentId');
    const removed = await tx.delete(requestCalendars).where(eq(requestCalendars.departmentId, dept.id)).returning();
    if (removed.length) await recordAudit(tx, actor, { action: 'update', entity: 'request_calendar', entityId: dept.id, summary: `${dept.name} counts request targets round the clock` });
    return presentCalendar(dept, undefined);
  });
}

async function assertType(tx: DbOrTx, typeId: string, departmentId: string, departmentName: string) {
  const [type] = await tx.select().from(requestTypes).where(eq(requestTypes.id, typeId));
  if (!type || type.departmentId !== departmentId) throw invalid('typeId', `is not a request type of ${departmentName}`);
  if (!type.active) throw invalid('typeId', `"${type.name}" is no longer offered by ${departmentName}`);
  return type;
}

async function assertStore(tx: DbOrTx, storeId: string | null | undefined) {
  if (!storeId) return;
  const [s] = await tx.select({ id: stores.id }).from(stores).where(eq(stores.id, storeId));
  if (!s) throw invalid('storeId', 'no such store');
}

function assertDueDate(dueDate: string | null | undefined) {
  // A day of slack: the requester's "today" may still be yesterday in UTC.
  if (dueDate && dueDate < todayUtc(new Date(Date.now() - 24 * 60 * MINUTE))) throw invalid('dueDate', 'is in the past');
}

const requestPath = (number: number) => `/requests/${number}`;

export async function createRequest(ctx: AppContext, actor: Actor, input: z.infer<typeof requestInput>) {
  assertCan(actor, 'requests:create');
  if (!actor.departmentId) throw invalid('toDepartmentId', 'you belong to no department; ask an admin to set yours before filing requests');
  const fromDepartmentId = actor.departmentId;
  if (input.toDepartmentId === fromDepartmentId) throw invalid('toDepartmentId', 'is your own department; requests go to another department');
  return ctx.db.transaction(async (tx) => {
    const to = await assertDepartment(tx, input.toDepartmentId, 'toDepartmentId');
    const [from] = await tx.select().from(departments).where(eq(departments.id, fromDepartmentId));
    const type = await assertType(tx, input.typeId, to.id, to.name);
    await assertStore(tx, input.storeId);
    assertDueDate(input.dueDate);
    const now = new Date();
    const targets = await priorityTargets(tx, input.priority, now, to.id);
    const id = uuidv7();
    const [created] = await tx
      .insert(requests)
      .values({ id, title: input.title, description: input.description, fromDepartmentId, toDepartmentId: to.id, typeId: type.id, priority: input.priority, requesterId: actor.id, storeId: input.storeId, dueDate: input.dueDate, ...targets, createdAt: now, updatedAt: now })
      .returning({ number: requests.number });
    const ref = requestRef(created.number);
    await tx.insert(requestEvents).values({ id: uuidv7(), requestId: id, kind: 'created', actorId: actor.id, body: '', toStatus: 'new', createdAt: now });
    await recordAudit(tx, actor, { action: 'create', entity: 'request', entityId: id, summary: `Filed ${ref} to ${to.name}: ${input.title}`, after: { ...input, ref } });
    // The target department's leads (and its chat channel) hear of it in the same transaction: nobody hears of a request that rolled back.
    const leads = await tx.select({ id: people.id }).from(people).where(and(eq(people.departmentId, to.id), eq(people.role, 'lead'), eq(people.active, true)));
    await ctx.notifier.notify(tx, {
      kind: 'request_new',
      recipients: leads.map((l) => l.id),
      departmentIds: [to.id],
      actorId: actor.id,
      title: `${ref} ${input.priority} to ${to.name}: ${input.title}`,
      body: [
        `${actor.name} (${from?.name ?? 'another department'}) filed a ${input.priority} request to ${to.name}: "${input.title}" (${type.name}).`,
        ...(input.description ? [input.description] : []),
        `Please accept or assign it by ${targets.responseDueAt.toUTCString()} to meet the response target.`,
      ].join('\n\n'),
      link: requestPath(created.number),
      recordRef: ref,
    });
    return detailOf(tx, actor, id);
  });
}

async function lockRequest(tx: DbOrTx, ref: string, actor?: Actor) {
  const [row] = await tx.select().from(requests).where(and(refWhere(ref), actor ? requestScope(actor) : undefined)).for('update');
  if (!row) throw notFound('Request');
  return row;
}

/** A change by the target department (or an admin on its behalf) starts the response clock's end. */
function firstResponse(actor: Actor, r: typeof requests.$inferSelect, now: Date) {
  return !r.firstResponseAt && (onTargetSide(actor, r) || isAdmin(actor)) ? { firstResponseAt: now } : {};
}

export async function changeStatus(ctx: AppContext, actor: Actor, ref: string, input: z.infer<typeof statusChangeInput>) {
  assertCan(actor, input.status === 'cancelled' ? 'requests:create' : 'requests:work');
  return ctx.db.transaction(async (tx) => {
    const r = await lockRequest(tx, ref, actor);
    const from = r.status as RequestStatus;
    const to = input.status;
    if (!REQUEST_TRANSITIONS[from].includes(to)) {
      throw conflict('status', `a ${REQUEST_STATUS_LABELS[from].toLowerCase()} request cannot become ${REQUEST_STATUS_LABELS[to].toLowerCase()}`);
    }
    if (!abilitiesOf(actor, r).transitions.includes(to)) {
      throw forbidden(to === 'cancelled' ? 'Only the requester, a lead of the requesting department or an admin can cancel a request' : 'Only the department the request is addressed to (or an admin) can change its status');
    }
    const reason = input.reason?.trim() || null;
    if (to === 'declined' && (!reason || reason.length < 3)) throw invalid('reason', 'is required to decline a request: tell the requester why');
    const now = new Date();
    // Taking a request on: a member of the target department who accepts or starts it becomes its assignee.
    const selfAssign = !r.assigneeId && (to === 'accepted' || to === 'in_progress') && onTargetSide(actor, r) && actor.role !== 'viewer';
    const changes = {
      status: to,
      updatedAt: now,
      ...(to === 'cancelled' ? {} : firstResponse(actor, r, now)),
      ...(to === 'done' || to === 'declined' ? { resolvedAt: now } : {}),
      ...(to === 'done' || to === 'declined' || to === 'cancelled' ? { closeReason: reason } : {}),
      ...(selfAssign ? { assigneeId: actor.id } : {}),
    };
    await tx.update(requests).set(changes).where(eq(requests.id, r.id));
    await tx.insert(requestEvents).values({ id: uuidv7(), requestId: r.id, kind: 'status', actorId: actor.id, body: reason ?? '', fromStatus: from, toStatus: to, createdAt: now });
    if (selfAssign) await tx.insert(requestEvents).values({ id: uuidv7(), requestId: r.id, kind: 'assigned', actorId: actor.id, body: `${actor.name} took it on`, createdAt: now });
    const refText = requestRef(r.number);
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'request',
      entityId: r.id,
      summary: `${refText}: ${REQUEST_STATUS_LABELS[from]} → ${REQUEST_STATUS_LABELS[to]}${reason ? ` (${reason.slice(0, 120)})` : ''}`,
      before: { status: from, assigneeId: r.assigneeId },
      after: { status: to, ...(reason ? { reason } : {}), ...(selfAssign ? { assigneeId: actor.id } : {}) },
    });
    // The requester hears of every decision on their request; the assignee too (unless they made it).
    const verb: Partial<Record<RequestStatus, string>> = { accepted: 'accepted', in_progress: 'started work on', done: 'completed', declined: 'declined', cancelled: 'cancelled' };
    const assigneeAfter = selfAssign ? actor.id : r.assigneeId;
    await ctx.notifier.notify(tx, {
      kind: 'request_status',
      recipients: [r.requesterId, assigneeAfter],
      actorId: actor.id,
      title: `${refText} ${REQUEST_STATUS_LABELS[to].toLowerCase()}: ${r.title}`,
      body: [`${actor.name} ${verb[to] ?? 'updated'} the request "${r.title}".`, ...(selfAssign ? [`${actor.name} took it on and is now its assignee.`] : []), ...(reason ? [`${to === 'declined' ? 'Reason' : 'Note'}: ${reason}`] : [])].join('\n\n'),
      link: requestPath(r.number),
      recordRef: refText,
    });
    return detailOf(tx, actor, r.id);
  });
}

export async function assignRequest(ctx: AppContext, actor: Actor, ref: string, input: z.infer<typeof assignInput>) {
  assertCan(actor, 'requests:assign');
  return ctx.db.transaction(async (tx) => {
    const r = await lockRequest(tx, ref, actor);
    if (!isOpen(r.status)) throw conflict('assigneeId', `a ${REQUEST_STATUS_LABELS[r.status as RequestStatus].toLowerCase()} request cannot be reassigned`);
    if (!abilitiesOf(actor, r).assign) throw forbidden('Only a lead of the department the request is addressed to (or an admin) can assign it');
    if (input.assigneeId === r.assigneeId) return detailOf(tx, actor, r.id);
    const [to] = await tx.select().from(departments).where(eq(departments.id, r.toDepartmentId));
    let assigneeName: string | null = null;
    if (input.assigneeId) {
      const [person] = await tx.select().from(people).where(eq(people.id, input.assigneeId));
      if (!person || !person.active || person.departmentId !== r.toDepartmentId || !['admin', 'lead', 'member'].includes(person.role)) {
        throw invalid('assigneeId', `must be an active member or lead of ${to?.name ?? 'the target department'}`);
      }
      assigneeName = person.name;
      await ctx.notifier.notify(tx, {
        kind: 'request_assigned',
        recipients: [person.id],
        actorId: actor.id,
        title: `${requestRef(r.number)} assigned to you: ${r.title}`,
        body: `${actor.name} assigned you the ${r.priority} request "${r.title}".`,
        link: requestPath(r.number),
        recordRef: requestRef(r.number),
      });
    }
    const now = new Date();
    await tx.update(requests).set({ assigneeId: input.assigneeId, updatedAt: now, ...firstResponse(actor, r, now) }).where(eq(requests.id, r.id));
    const body = assigneeName ? `Assigned to ${assigneeName}` : 'Unassigned';
    await tx.insert(requestEvents).values({ id: uuidv7(), requestId: r.id, kind: 'assigned', actorId: actor.id, body, createdAt: now });
    await recordAudit(tx, actor, { action: 'update', entity: 'request', entityId: r.id, summary: `${requestRef(r.number)}: ${body}`, before: { assigneeId: r.assigneeId }, after: { assigneeId: input.assigneeId } });
    return detailOf(tx, actor, r.id);
  });
}

export async function addComment(ctx: AppContext, actor: Actor, ref: string, input: z.infer<typeof commentInput>) {
  assertCan(actor, 'requests:create');
  return ctx.db.transaction(async (tx) => {
    const r = await lockRequest(tx, ref, actor);
    if (!abilitiesOf(actor, r).comment) throw forbidden('Only the two departments involved (and admins) can comment on a request');
    const now = new Date();
    await tx.update(requests).set({ updatedAt: now, ...firstResponse(actor, r, now) }).where(eq(requests.id, r.id));
    await tx.insert(requestEvents).values({ id: uuidv7(), requestId: r.id, kind: 'comment', actorId: actor.id, body: input.body, createdAt: now });
    // @mentions reach people who may read requests (store staff do not).
    const mentioned = (await resolveMentions(tx, input.body)).filter((p) => p.id !== actor.id && roleCan(p.role as Role, 'requests:read'));
    const refText = requestRef(r.number);
    await ctx.notifier.notify(tx, {
      kind: 'request_mention',
      recipients: mentioned.map((p) => p.id),
      actorId: actor.id,
      title: `${actor.name} mentioned you on ${refText}: ${r.title}`,
      body: input.body,
      link: requestPath(r.number),
      recordRef: refText,
    });
    const mentionedIds = new Set(mentioned.map((p) => p.id));
    await ctx.notifier.notify(tx, {
      kind: 'request_comment',
      recipients: [r.requesterId, r.assigneeId].filter((id) => id && !mentionedIds.has(id)),
      actorId: actor.id,
      title: `${actor.name} commented on ${refText}: ${r.title}`,
      body: input.body,
      link: requestPath(r.number),
      recordRef: refText,
    });
    await recordAudit(tx, actor, {
      action: 'comment',
      entity: 'request',
      entityId: r.id,
      summary: `${refText}: comment by ${actor.name}${mentioned.length ? `, mentioning ${mentioned.map((p) => p.name).join(', ')}` : ''}`,
      after: { body: input.body, mentions: mentioned.map((p) => p.id) },
    });
    return detailOf(tx, actor, r.id);
  });
}

export async function updateRequest(ctx: AppContext, actor: Actor, ref: string, patch: z.infer<typeof requestPatch>) {
  assertCan(actor, 'requests:create');
  return ctx.db.transaction(async (tx) => {
    const r = await lockRequest(tx, ref, actor);
    if (!isOpen(r.status)) throw conflict('status', `a ${REQUEST_STATUS_LABELS[r.status as RequestStatus].toLowerCase()} request can no longer be edited`);
    if (!abilitiesOf(actor, r).edit) throw forbidden('Only the requester, a lead of the requesting department or an admin can edit a request');
    const [to] = await tx.select().from(departments).where(eq(departments.id, r.toDepartmentId));
    if (patch.typeId && patch.typeId !== r.typeId) await assertType(tx, patch.typeId, r.toDepartmentId, to.name);
    if (patch.storeId !== undefined) await assertStore(tx, patch.storeId);
    if (patch.dueDate !== undefined && patch.dueDate !== r.dueDate) assertDueDate(patch.dueDate);
    const diff = changedFields(r, patch);
    if (!diff.changed.length) return detailOf(tx, actor, r.id);
    const now = new Date();
    const targets = patch.priority && patch.priority !== r.priority ? await priorityTargets(tx, patch.priority, r.createdAt, r.toDepartmentId) : {};
    await tx.update(requests).set({ ...patch, ...targets, updatedAt: now }).where(eq(requests.id, r.id));
    const labels: Record<string, string> = { title: 'title', description: 'description', typeId: 'type', priority: 'priority', dueDate: 'due date', storeId: 'store' };
    const what = diff.changed.map((f) => (f === 'priority' ? `priority ${r.priority} → ${patch.priority}` : labels[f] ?? f)).join(', ');
    await tx.insert(requestEvents).values({ id: uuidv7(), requestId: r.id, kind: 'edited', actorId: actor.id, body: `Changed ${what}`, createdAt: now });
    await recordAudit(tx, actor, { action: 'update', entity: 'request', entityId: r.id, summary: `${requestRef(r.number)}: changed ${what}`, before: diff.before, after: diff.after });
    return detailOf(tx, actor, r.id);
  });
}

// ---------------------------------------------------------------- give-and-take ledger

const hours = (seconds: unknown) => (seconds === null || seconds === undefined ? null : Math.round((Number(seconds) / 3600) * 10) / 10);

export async function ledger(ctx: AppContext, actor: Actor, query: z.infer<typeof ledgerQuery>): Promise<Ledger> {
  assertCan(actor, 'requests:read');
  const now = new Date();
  const sinceDate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (query.months - 1), 1));
  const since = sinceDate.toISOString();
  const inWindow = sql`${requests.createdAt} >= ${since}::timestamptz`;
  const open = sql`${requests.status} in ('new','accepted','in_progress')`;
  const stats = await ctx.db
    .select({
      from: requests.fromDepartmentId,
      to: requests.toDepartmentId,
      asks: sql<number>`(count(*) filter (where ${inWindow}))::int`,
      delivered: sql<number>`(count(*) filter (where ${requests.status} = 'done' and ${requests.resolvedAt} >= ${since}::timestamptz))::int`,
      declined: sql<number>`(count(*) filter (where ${requests.status} = 'declined' and ${requests.resolvedAt} >= ${since}::timestamptz))::int`,
      open: sql<number>`(count(*) filter (where ${open}))::int`,
      overdue: sql<number>`(count(*) filter (where ${overdueSql}))::int`,
      medianResponse: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${requests.firstResponseAt} - ${requests.createdAt})) filter (where ${requests.firstResponseAt} is not null and ${inWindow})`,
      medianResolution: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${requests.resolvedAt} - ${requests.createdAt})) filter (where ${requests.status} = 'done' and ${inWindow})`,
    })
    .from(requests)
    .where(or(inWindow, open, sql`${requests.resolvedAt} >= ${since}::timestamptz`))
    .groupBy(requests.fromDepartmentId, requests.toDepartmentId);
  const month = (col: typeof requests.createdAt) => sql<string>`to_char(date_trunc('month', ${col} at time zone 'UTC'), 'YYYY-MM')`;
  const asksByMonth = await ctx.db
    .select({ month: month(requests.createdAt), from: requests.fromDepartmentId, to: requests.toDepartmentId, n: sql<number>`count(*)::int` })
    .from(requests)
    .where(inWindow)
    .groupBy(sql`1`, sql`2`, sql`3`);
  const deliveredByMonth = await ctx.db
    .select({ month: month(requests.resolvedAt as never), from: requests.fromDepartmentId, to: requests.toDepartmentId, n: sql<number>`count(*)::int` })
    .from(requests)
    .where(and(eq(requests.status, 'done'), sql`${requests.resolvedAt} >= ${since}::timestamptz`))
    .groupBy(sql`1`, sql`2`, sql`3`);
  const depts = await ctx.db.select({ id: departments.id, code: departments.code, name: departments.name }).from(departments).orderBy(asc(departments.name));
  const deptById = new Map(depts.map((d) => [d.id, d]));

  const months: string[] = [];
  for (let i = 0; i < query.months; i++) {
    const d = new Date(Date.UTC(sinceDate.getUTCFullYear(), sinceDate.getUTCMonth() + i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  const empty = (): DirectionStats => ({ asks: 0, delivered: 0, declined: 0, open: 0, overdue: 0, medianResponseHours: null, medianResolutionHours: null });
  const key = (a: string, b: string) => `${a}|${b}`;
  const byDirection = new Map<string, DirectionStats>();
  for (const s of stats) {
    byDirection.set(key(s.from, s.to), {
      asks: Number(s.asks),
      delivered: Number(s.delivered),
      declined: Number(s.declined),
      open: Number(s.open),
      overdue: Number(s.overdue),
      medianResponseHours: hours(s.medianResponse),
      medianResolutionHours: hours(s.medianResolution),
    });
  }
  const count = (rows: Array<{ month: string; from: string; to: string; n: number }>) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(`${key(r.from, r.to)}|${r.month}`, Number(r.n));
    return (from: string, to: string, mo: string) => m.get(`${key(from, to)}|${mo}`) ?? 0;
  };
  const asksAt = count(asksByMonth);
  const deliveredAt = count(deliveredByMonth);

  // Unordered pairs, ordered by name so "A ⇄ B" reads the same way every time.
  const pairKeys = new Map<string, [string, string]>();
  for (const s of stats) {
    const [a, b] = [s.from, s.to].sort((x, y) => (deptById.get(x)?.name ?? '').localeCompare(deptById.get(y)?.name ?? ''));
    pairKeys.set(key(a, b), [a, b]);
  }
  const pairs = [...pairKeys.values()]
    .filter(([a, b]) => deptById.has(a) && deptById.has(b))
    .map(([a, b]) => ({
      a: deptById.get(a)!,
      b: deptById.get(b)!,
      aToB: byDirection.get(key(a, b)) ?? empty(),
      bToA: byDirection.get(key(b, a)) ?? empty(),
      trend: months.map((mo) => ({ month: mo, aToBAsks: asksAt(a, b, mo), bToAAsks: asksAt(b, a, mo), aToBDelivered: deliveredAt(a, b, mo), bToADelivered: deliveredAt(b, a, mo) })),
    }))
    .sort((x, y) => y.aToB.asks + y.bToA.asks - (x.aToB.asks + x.bToA.asks));

  const departmentsOut = depts
    .map((d) => {
      let asked = 0;
      let received = 0;
      let delivered = 0;
      let openN = 0;
      let overdue = 0;
      for (const s of stats) {
        if (s.from === d.id) asked += Number(s.asks);
        if (s.to === d.id) {
          received += Number(s.asks);
          delivered += Number(s.delivered);
          openN += Number(s.open);
          overdue += Number(s.overdue);
        }
      }
      return { ...d, asked, received, delivered, open: openN, overdue };
    })
    .filter((d) => d.asked + d.received + d.open > 0);
  return { since, months, pairs, departments: departmentsOut };
}

// ---------------------------------------------------------------- My work

registerHomeContributor(async (ctx, actor) => {
  if (!can(actor, 'requests:read')) return {};
  const now = new Date();
  const mine = (await joinRequestRefs(ctx.db.select(requestColumns).from(requests))
    .where(and(eq(requests.assigneeId, actor.id), inArray(requests.status, [...OPEN_STATUSES])))
    .orderBy(asc(requests.resolutionDueAt))
    .limit(10)) as RequestRow[];
  const waiting = actor.departmentId
    ? ((await joinRequestRefs(ctx.db.select(requestColumns).from(requests))
        .where(and(eq(requests.toDepartmentId, actor.departmentId), eq(requests.status, 'new'), isNull(requests.assigneeId), requestScope(actor)))
        .orderBy(asc(requests.responseDueAt))
        .limit(10)) as RequestRow[])
    : [];
  const label = (r: RequestRow) => `${requestRef(r.number)} ${r.title}`;
  const late = (r: RequestRow) => (overdueReasonsOf(r, now).length ? 'Overdue · ' : '');
  const actions = [
    ...mine.map((r) => ({
      kind: 'request',
      label: label(r),
      detail: `${late(r)}Assigned to you · ${r.priority} · from ${r.fromDepartmentName} (${r.requesterName}) · ${REQUEST_STATUS_LABELS[r.status as RequestStatus]}`,
      href: `/requests/${r.number}`,
      due: r.dueDate ?? r.resolutionDueAt.toISOString(),
    })),
    ...(can(actor, 'requests:work')
      ? waiting.map((r) => ({
          kind: 'request',
          label: label(r),
          detail: `${late(r)}Waiting on ${r.toDepartmentName}: new and unassigned · ${r.priority} · from ${r.fromDepartmentName}`,
          href: `/requests/${r.number}`,
          due: r.responseDueAt.toISOString(),
        }))
      : []),
  ];
  const figures: HomeFigure[] = [];
  if (actor.departmentId) {
    const [d] = await ctx.db.select({ code: departments.code }).from(departments).where(eq(departments.id, actor.departmentId));
    const [c] = await ctx.db
      .select({ open: sql<number>`(count(*) filter (where ${requests.status} in ('new','accepted','in_progress')))::int`, overdue: sql<number>`(count(*) filter (where ${overdueSql}))::int` })
      .from(requests)
      .where(and(eq(requests.toDepartmentId, actor.departmentId), requestScope(actor)));
    figures.push({ label: `Open requests to ${d?.code ?? 'us'}`, value: Number(c?.open ?? 0), window: 'now', href: '/requests?direction=to&status=open' });
    figures.push({ label: `Overdue requests to ${d?.code ?? 'us'}`, value: Number(c?.overdue ?? 0), window: 'now', href: '/requests?direction=to&overdue=true' });
  }
  return { actions, figures };
});

// ---------------------------------------------------------------- global search

registerSearchProvider({
  kind: 'requests',
  label: 'Requests',
  order: 30,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'requests:read')) return [];
    const ref = terms.ref('REQ');
    // The same expression as the GIN index requests_search_idx, so the index serves it.
    const document = sql`to_tsvector('simple', ${requests.title} || ' ' || ${requests.description})`;
    const query = terms.tsquery && !ref?.prefixed ? sql`to_tsquery('simple', ${terms.tsquery})` : null;
    const match = or(
      ref ? (ref.digits ? sql`${requests.number}::text like ${`${ref.digits}%`}` : sql`true`) : undefined,
      query ? sql`${document} @@ ${query}` : undefined,
    );
    if (!match) return [];
    const rows = await ctx.db
      .select({ id: requests.id, number: requests.number, title: requests.title, status: requests.status, priority: requests.priority, from: fromDept.name, to: toDept.name })
      .from(requests)
      .innerJoin(fromDept, eq(fromDept.id, requests.fromDepartmentId))
      .innerJoin(toDept, eq(toDept.id, requests.toDepartmentId))
      .where(and(requestsVisibleSql(actor), match))
      .orderBy(
        ...[ref?.exact != null ? desc(sql`${requests.number} = ${ref.exact}`) : undefined, query ? desc(sql`ts_rank(${document}, ${query})`) : undefined].filter((o) => o !== undefined),
        desc(requests.number),
      )
      .limit(limit);
    return rows.map((r) => ({
      id: r.id,
      ref: requestRef(r.number),
      title: r.title,
      subtitle: `${REQUEST_STATUS_LABELS[r.status as RequestStatus]} · ${r.priority} · ${r.from} → ${r.to}`,
      link: `/requests/${r.number}`,
    }));
  },
});
