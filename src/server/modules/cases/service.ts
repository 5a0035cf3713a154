import { and, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  CUSTODY_ACTION_LABELS,
  INCIDENT_TYPE_LABELS,
  SEALED_TYPES,
  caseRef,
  incidentRef,
  type Case,
  type CaseDetail,
  type CustodyAction,
  type Evidence,
  type caseInput,
  type caseLinkInput,
  type caseListQuery,
  type casePatch,
  type custodyInput,
  type evidenceLinkInput,
  type memberInput,
  type taskInput,
  type taskPatch,
  type videoRequestInput,
} from '../../../contracts/cases.js';
import { requestRef } from '../../../contracts/requests.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { resolveActor } from '../../platform/identity.js';
import { containsPattern, paginate } from '../../platform/list.js';
import { assertCan, can, type Actor } from '../../platform/policy.js';
import { isChainWide, storeScopeSql } from '../../platform/scope.js';
import { people, stores } from '../people/schema.js';
import { posCashiers } from '../pos/schema.js';
import { videoUrl } from '../pos/service.js';
import { createRequest, getRequest } from '../requests/service.js';
import { storeBlob, type HashedFile } from './files.js';
import { linkIncidents } from './incidents.js';
import { caseEvidence, caseMembers, caseNotes, caseRequests, cases, caseSettings, caseTasks, evidenceCustody, incidents } from './schema.js';
import { caseVisibleSql, isLpLead, rows } from './visibility.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const isAdmin = (actor: Actor) => actor.via === 'system' || actor.role === 'admin';
export const casePath = (ref: string) => `/cases/${ref}`;

/** Audit entity of a case record: sealed cases' entries are kept out of every activity feed. */
const auditEntity = (sealed: boolean) => (sealed ? 'sealed_case' : 'case');

const lead = alias(people, 'case_lead');

export const caseColumns = {
  id: cases.id,
  ref: cases.ref,
  title: cases.title,
  type: cases.type,
  sealed: cases.sealed,
  status: cases.status,
  outcome: cases.outcome,
  summary: cases.summary,
  storeId: cases.storeId,
  storeCode: stores.code,
  storeName: stores.name,
  leadId: cases.leadId,
  leadName: lead.name,
  subjectKind: cases.subjectKind,
  subjectName: cases.subjectName,
  subjectDescription: cases.subjectDescription,
  subjectCashierId: cases.subjectCashierId,
  cashierCode: posCashiers.code,
  cashierName: posCashiers.name,
  lossCents: cases.lossCents,
  recoveryCents: cases.recoveryCents,
  restitutionCents: cases.restitutionCents,
  policeReferralDate: cases.policeReferralDate,
  hrReferralDate: cases.hrReferralDate,
  openTasks: sql<number>`(select count(*)::int from case_tasks t where t.case_id = ${cases.id} and t.done_at is null)`,
  evidenceCount: sql<number>`(select count(*)::int from case_evidence e where e.case_id = ${cases.id})`,
  createdAt: cases.createdAt,
  updatedAt: cases.updatedAt,
  closedAt: cases.closedAt,
};
type CaseRow = { [K in keyof typeof caseColumns]: unknown };
const joinCaseRefs = (q: any) => q.leftJoin(stores, eq(stores.id, cases.storeId)).innerJoin(lead, eq(lead.id, cases.leadId)).leftJoin(posCashiers, eq(posCashiers.id, cases.subjectCashierId));

export function presentCase(r: CaseRow): Case {
  return {
    id: String(r.id),
    ref: String(r.ref),
    title: String(r.title),
    type: r.type as Case['type'],
    sealed: Boolean(r.sealed),
    status: r.status as Case['status'],
    outcome: (r.outcome as Case['outcome']) ?? null,
    summary: String(r.summary),
    storeId: (r.storeId as string) ?? null,
    storeCode: (r.storeCode as string) ?? null,
    storeName: (r.storeName as string) ?? null,
    leadId: String(r.leadId),
    leadName: String(r.leadName),
    subjectKind: r.subjectKind as Case['subjectKind'],
    subjectName: String(r.subjectName),
    subjectDescription: String(r.subjectDescription),
    subjectCashierId: (r.subjectCashierId as string) ?? null,
    subjectCashierLabel: r.subjectCashierId ? `${r.cashierName || 'Cashier'} (${r.cashierCode})` : null,
    lossCents: Number(r.lossCents),
    recoveryCents: Number(r.recoveryCents),
    restitutionCents: Number(r.restitutionCents),
    policeReferralDate: (r.policeReferralDate as string) ?? null,
    hrReferralDate: (r.hrReferralDate as string) ?? null,
    openTasks: Number(r.openTasks ?? 0),
    evidenceCount: Number(r.evidenceCount ?? 0),
    createdAt: iso(r.createdAt as Date)!,
    updatedAt: iso(r.updatedAt as Date)!,
    closedAt: iso(r.closedAt as Date | null),
  };
}

/** A case by id or by its reference (CASE-2026-0013, any case). */
export function caseRefWhere(ref: string): SQL {
  if (isUuid(ref)) return eq(cases.id, ref);
  return eq(cases.ref, ref.trim().toUpperCase());
}

function caseWhere(actor: Actor, query: Partial<z.infer<typeof caseListQuery>> & { exceptionId?: string }): SQL | undefined {
  const q = query.q?.trim();
  return and(
    caseVisibleSql(actor),
    q ? or(ilike(cases.ref, containsPattern(q)), ilike(cases.title, containsPattern(q)), ilike(cases.summary, containsPattern(q)), ilike(cases.subjectName, containsPattern(q))) : undefined,
    query.status === 'active' ? inArray(cases.status, ['open', 'on_hold']) : query.status ? eq(cases.status, query.status) : undefined,
    query.type ? eq(cases.type, query.type) : undefined,
    query.storeId ? eq(cases.storeId, query.storeId) : undefined,
    query.mine ? sql`(${cases.leadId} = ${actor.id}::uuid or exists (select 1 from case_members mm where mm.case_id = ${cases.id} and mm.person_id = ${actor.id}::uuid))` : undefined,
    query.cashierId ? eq(cases.subjectCashierId, query.cashierId) : undefined,
    query.exceptionId ? sql`exists (select 1 from case_pos_links pl where pl.case_id = ${cases.id} and pl.exception_id = ${query.exceptionId}::uuid)` : undefined,
  );
}

const caseSorts = { createdAt: cases.createdAt, updatedAt: cases.updatedAt, ref: cases.ref, lossCents: cases.lossCents };

export async function listCases(ctx: AppContext, actor: Actor, query: z.infer<typeof caseListQuery> & { exceptionId?: string }) {
  assertCan(actor, 'cases:read');
  const page = await paginate<CaseRow & { id: string }, typeof query.sort>(ctx.db, {
    table: cases,
    select: caseColumns,
    joins: joinCaseRefs,
    where: caseWhere(actor, query),
    sortColumns: caseSorts,
    idColumn: cases.id,
    params: query,
  });
  return { ...page, items: page.items.map(presentCase) };
}

export async function exportCases(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof caseListQuery>>) {
  assertCan(actor, 'cases:read');
  const sort = caseSorts[query.sort ?? 'createdAt'];
  const list = (await joinCaseRefs(ctx.db.select(caseColumns).from(cases))
    .where(caseWhere(actor, query))
    .orderBy(query.order === 'asc' ? sql`${sort} asc` : sql`${sort} desc`)) as CaseRow[];
  return list.map(presentCase);
}

/** Open cases this person sees, and how many of them are sealed (counts only). */
export async function caseCounts(ctx: AppContext, actor: Actor) {
  const [r] = await rows<{ open: number; sealed: number; mine: number }>(
    ctx.db,
    sql`select count(*)::int as open, count(*) filter (where c.sealed)::int as sealed,
               count(*) filter (where c.lead_id = ${actor.id}::uuid or exists (select 1 from case_members m where m.case_id = c.id and m.person_id = ${actor.id}::uuid))::int as mine
          from cases c where c.status <> 'closed' and ${caseVisibleSql(actor, 'c')}`,
  );
  return { open: Number(r?.open ?? 0), sealed: Number(r?.sealed ?? 0), mine: Number(r?.mine ?? 0) };
}

// ------------------------------------------------------------------ reading one case

type Membership = { access: 'read' | 'work' } | null;

async function caseRow(db: DbOrTx, actor: Actor, ref: string, lock = false) {
  const base = joinCaseRefs(db.select(caseColumns).from(cases)).where(and(caseRefWhere(ref), caseVisibleSql(actor)));
  const [row] = (await (lock ? base.for('update', { of: cases }) : base)) as CaseRow[];
  if (!row) throw notFound('Case');
  return presentCase(row);
}

async function membershipOf(db: DbOrTx, caseId: string, personId: string): Promise<Membership> {
  const [m] = await db.select({ access: caseMembers.access }).from(caseMembers).where(and(eq(caseMembers.caseId, caseId), eq(caseMembers.personId, personId)));
  return m ? { access: m.access as 'read' | 'work' } : null;
}

/**
 * What the actor may do with a case they can see. Sealed cases: the lead, members with work access
 * and LP leads. Other cases: everyone with case work access (members with read access only read).
 */
function abilities(actor: Actor, c: Case, membership: Membership) {
  const worker = can(actor, 'cases:work');
  const leadOf = c.leadId === actor.id;
  const edit = worker && (leadOf || (c.sealed ? membership?.access === 'work' || isLpLead(actor) : membership?.access !== 'read'));
  const manageMembers = worker && (leadOf || isLpLead(actor) || isAdmin(actor));
  return { edit, manageMembers };
}

async function assertEditable(db: DbOrTx, actor: Actor, c: Case) {
  const m = await membershipOf(db, c.id, actor.id);
  if (!abilities(actor, c, m).edit) throw forbidden(c.sealed ? 'Only the lead, members with work access and LP leads change a restricted case' : 'You have read access to this case');
  return m;
}

async function evidenceOf(db: DbOrTx, caseId: string): Promise<Evidence[]> {
  const maker = alias(people, 'evidence_maker');
  const list = await db
    .select({ e: caseEvidence, createdByName: maker.name })
    .from(caseEvidence)
    .leftJoin(maker, eq(maker.id, caseEvidence.createdBy))
    .where(eq(caseEvidence.caseId, caseId))
    .orderBy(caseEvidence.number);
  const custody = list.length
    ? await db.select().from(evidenceCustody).where(eq(evidenceCustody.caseId, caseId)).orderBy(evidenceCustody.createdAt, evidenceCustody.id)
    : [];
  return list.map(({ e, createdByName }) => ({
    id: e.id,
    label: `E${e.number}`,
    kind: e.kind as Evidence['kind'],
    title: e.title,
    description: e.description,
    filename: e.filename,
    contentType: e.contentType,
    sizeBytes: e.sizeBytes == null ? null : Number(e.sizeBytes),
    sha256: e.sha256,
    url: e.url,
    source: e.source as Evidence['source'],
    integrityAlarmAt: iso(e.integrityAlarmAt),
    createdByName: createdByName ?? null,
    createdAt: e.createdAt.toISOString(),
    custody: custody
      .filter((x) => x.evidenceId === e.id)
      .map((x) => ({ id: x.id, action: x.action as CustodyAction, actorName: x.actorName, reason: x.reason, recipient: x.recipient, sha256: x.sha256, createdAt: x.createdAt.toISOString() })),
  }));
}

async function posLinksOf(db: DbOrTx, caseId: string): Promise<CaseDetail['transactions']> {
  const list = await rows<Record<string, unknown>>(
    db,
    sql`select l.exception_id, e.number as exception_number, coalesce(l.transaction_id, e.transaction_id)::text as transaction_id, e.summary,
               coalesce(t.started_at, e.occurred_at) as occurred_at, coalesce(t.total_cents, e.amount_cents)::float8 as amount_cents,
               t.register, t.txn_number, t.type as txn_type, to_char(t.business_day, 'YYYY-MM-DD') as business_day, t.ended_at,
               rc.camera, v.url_template, v.lead_in_seconds, v.lead_out_seconds
          from case_pos_links l
          left join pos_exceptions e on e.id = l.exception_id
          left join pos_transactions t on t.id = coalesce(l.transaction_id, e.transaction_id)
          left join pos_register_cameras rc on rc.store_id = t.store_id and rc.register = t.register
          left join pos_video_systems v on v.store_id = t.store_id
         where l.case_id = ${caseId}
         order by coalesce(t.started_at, e.occurred_at), l.id`,
  );
  return list.map((r) => ({
    exceptionId: (r.exception_id as string) ?? null,
    exceptionRef: r.exception_number == null ? null : `EXC-${r.exception_number}`,
    transactionId: (r.transaction_id as string) ?? null,
    summary: r.summary ? String(r.summary) : r.txn_type ? `${String(r.txn_type).replace('_', ' ')} transaction` : 'Transaction',
    occurredAt: iso(r.occurred_at as Date),
    amountCents: r.amount_cents == null ? null : Number(r.amount_cents),
    register: (r.register as string) ?? null,
    receipt: r.txn_number ? `Receipt ${r.txn_number} · register ${r.register} · ${r.business_day}` : null,
    videoUrl: videoUrl(r.url_template as string, r.camera as string, (r.occurred_at as Date) ?? null, (r.ended_at as Date) ?? null, Number(r.lead_in_seconds ?? 10), Number(r.lead_out_seconds ?? 30)),
  }));
}

async function detailOf(db: DbOrTx, actor: Actor, ref: string): Promise<CaseDetail> {
  const c = await caseRow(db, actor, ref);
  const owner = alias(people, 'task_owner');
  const members = await rows<Record<string, unknown>>(
    db,
    sql`select p.id, p.name, p.title, d.name as department_name, m.access
          from case_members m join people p on p.id = m.person_id left join departments d on d.id = p.department_id
         where m.case_id = ${c.id} order by p.name`,
  );
  const tasks = await db
    .select({ id: caseTasks.id, title: caseTasks.title, ownerId: caseTasks.ownerId, ownerName: owner.name, dueDate: caseTasks.dueDate, doneAt: caseTasks.doneAt, createdAt: caseTasks.createdAt })
    .from(caseTasks)
    .leftJoin(owner, eq(owner.id, caseTasks.ownerId))
    .where(eq(caseTasks.caseId, c.id))
    .orderBy(sql`${caseTasks.doneAt} is not null`, sql`${caseTasks.dueDate} nulls last`, caseTasks.createdAt);
  const timeline = await db.select().from(caseNotes).where(eq(caseNotes.caseId, c.id)).orderBy(sql`${caseNotes.createdAt} desc`, sql`${caseNotes.id} desc`);
  const linkedIncidents = await db
    .select({ id: incidents.id, number: incidents.number, type: incidents.type, occurredAt: incidents.occurredAt, storeCode: stores.code, estimatedLossCents: incidents.estimatedLossCents, narrative: incidents.narrative })
    .from(incidents)
    .leftJoin(stores, eq(stores.id, incidents.storeId))
    .where(eq(incidents.caseId, c.id))
    .orderBy(incidents.occurredAt);
  const reqs = await rows<{ id: string; number: number; title: string; status: string }>(
    db,
    sql`select r.id, r.number, r.title, r.status from case_requests cr join requests r on r.id = cr.request_id where cr.case_id = ${c.id} order by r.number`,
  );
  const membership = await membershipOf(db, c.id, actor.id);
  const memberList = members.map((m) => ({
    personId: String(m.id),
    name: String(m.name),
    title: String(m.title ?? ''),
    departmentName: (m.department_name as string) ?? null,
    access: m.access as 'read' | 'work',
    lead: m.id === c.leadId,
  }));
  return {
    ...c,
    members: memberList,
    tasks: tasks.map((t) => ({ ...t, dueDate: t.dueDate ?? null, doneAt: iso(t.doneAt), createdAt: t.createdAt.toISOString() })),
    timeline: timeline.map((n) => ({ id: n.id, kind: n.kind as 'note' | 'event', authorName: n.authorName, body: n.body, link: n.link, createdAt: n.createdAt.toISOString() })),
    incidents: linkedIncidents.map((i) => ({ id: i.id, ref: incidentRef(i.number), type: i.type as Case['type'], occurredAt: i.occurredAt.toISOString(), storeCode: i.storeCode ?? null, estimatedLossCents: Number(i.estimatedLossCents), narrative: i.narrative })),
    transactions: await posLinksOf(db, c.id),
    requests: reqs.map((r) => ({ id: r.id, ref: requestRef(Number(r.number)), title: r.title, status: r.status })),
    evidence: await evidenceOf(db, c.id),
    can: abilities(actor, c, membership),
  };
}

export async function getCase(ctx: AppContext, actor: Actor, ref: string) {
  assertCan(actor, 'cases:read');
  const detail = await detailOf(ctx.db, actor, ref);
  // Every read of a restricted case is audited.
  if (detail.sealed) await recordAudit(ctx.db, actor, { action: 'read', entity: 'sealed_case', entityId: detail.id, summary: `Viewed restricted case ${detail.ref}` });
  return detail;
}

// ------------------------------------------------------------------ opening and changing a case

/** The next CASE-<year>-<n>: one row per year, incremented under its row lock, so two openings never share a number. */
async function nextCaseNumber(tx: DbOrTx, year: number) {
  const [r] = await rows<{ last: number }>(tx, sql`insert into case_ref_counters (year, last) values (${year}, 1) on conflict (year) do update set last = case_ref_counters.last + 1 returning last`);
  return Number(r.last);
}

async function assertCaseWorker(db: DbOrTx, personId: string, field: string, level: 'read' | 'work' = 'work') {
  const person = await resolveActor(db, personId);
  if (!person) throw invalid(field, 'no such active person');
  if (!can(person, level === 'work' ? 'cases:work' : 'cases:read')) throw invalid(field, `${person.name} has no ${level} access to cases`);
  return person;
}

async function assertCaseStore(db: DbOrTx, actor: Actor, storeId: string | null) {
  if (!storeId) {
    if (!isChainWide(actor)) throw invalid('storeId', 'choose your store');
    return;
  }
  const [s] = await db.select({ id: stores.id }).from(stores).where(eq(stores.id, storeId));
  if (!s) throw invalid('storeId', 'no such store');
  if (!isChainWide(actor) && !actor.storeIds!.includes(storeId)) throw invalid('storeId', 'is not one of your stores');
}

async function cashierInScope(db: DbOrTx, actor: Actor, cashierId: string) {
  const [c] = await db
    .select({ id: posCashiers.id, code: posCashiers.code, name: posCashiers.name, storeId: posCashiers.storeId })
    .from(posCashiers)
    .where(and(eq(posCashiers.id, cashierId), storeScopeSql(actor, posCashiers.storeId)));
  if (!c || !can(actor, 'pos:read')) throw invalid('subjectCashierId', 'no such cashier');
  return c;
}

async function note(tx: DbOrTx, caseId: string, actor: Actor | null, body: string, kind: 'note' | 'event' = 'event', link: string | null = null) {
  await tx.insert(caseNotes).values({ id: uuidv7(), caseId, kind, authorId: actor && actor.via !== 'system' ? actor.id : null, authorName: actor?.name ?? 'Tandem', body, link });
}

async function linkPos(tx: DbOrTx, actor: Actor, caseId: string, exceptionIds: string[], transactionIds: string[]) {
  const labels: string[] = [];
  if ((exceptionIds.length || transactionIds.length) && !can(actor, 'pos:read')) throw invalid('exceptionIds', 'you have no access to cashier monitoring');
  for (const id of exceptionIds) {
    const [e] = await rows<{ id: string; number: number }>(tx, sql`select e.id, e.number from pos_exceptions e where e.id = ${id} and ${storeScopeSql(actor, sql`e.store_id`)}`);
    if (!e) throw invalid('exceptionIds', `${id}: no such exception`);
    await tx.execute(sql`insert into case_pos_links (id, case_id, exception_id) values (${uuidv7()}, ${caseId}, ${id}) on conflict do nothing`);
    labels.push(`EXC-${e.number}`);
  }
  for (const id of transactionIds) {
    const [t] = await rows<{ id: string; txn_number: string }>(tx, sql`select t.id::text as id, t.txn_number from pos_transactions t where t.id = ${id}::bigint and ${storeScopeSql(actor, sql`t.store_id`)}`);
    if (!t) throw invalid('transactionIds', `${id}: no such transaction`);
    await tx.execute(sql`insert into case_pos_links (id, case_id, transaction_id) values (${uuidv7()}, ${caseId}, ${id}::bigint) on conflict do nothing`);
    labels.push(`transaction ${t.txn_number}`);
  }
  return labels;
}

export async function openCase(ctx: AppContext, actor: Actor, input: z.infer<typeof caseInput>) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    const sealed = SEALED_TYPES.includes(input.type);
    let storeId = input.storeId;
    let subjectName = input.subjectName;
    let subjectKind = input.subjectKind;
    if (input.subjectCashierId) {
      const cashier = await cashierInScope(tx, actor, input.subjectCashierId);
      if (storeId && storeId !== cashier.storeId) throw invalid('storeId', 'is not the cashier’s store');
      storeId = cashier.storeId;
      subjectName ||= cashier.name || `Cashier ${cashier.code}`;
      if (subjectKind === 'unknown') subjectKind = 'employee';
    }
    await assertCaseStore(tx, actor, storeId);
    const leadId = input.leadId ?? actor.id;
    const leadPerson = leadId === actor.id ? actor : await assertCaseWorker(tx, leadId, 'leadId');
    const memberIds = [...new Set(input.memberIds.filter((m) => m !== leadId))];
    const memberPeople = [];
    for (const m of memberIds) memberPeople.push(await assertCaseWorker(tx, m, 'memberIds', 'read'));
    const now = new Date();
    const year = now.getUTCFullYear();
    const seq = await nextCaseNumber(tx, year);
    const ref = caseRef(year, seq);
    const id = uuidv7();
    await tx.insert(cases).values({
      id,
      year,
      seq,
      ref,
      title: input.title,
      type: input.type,
      sealed,
      summary: input.summary,
      storeId,
      leadId,
      subjectKind,
      subjectName,
      subjectDescription: input.subjectDescription,
      subjectCashierId: input.subjectCashierId,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(caseMembers).values([
      { caseId: id, personId: leadId, access: 'work', addedBy: actor.id },
      ...(leadId !== actor.id && !isLpLead(actor) ? [{ caseId: id, personId: actor.id, access: 'work' as const, addedBy: actor.id }] : []),
      ...memberIds.filter((m) => m !== actor.id).map((m) => ({ caseId: id, personId: m, access: 'work' as const, addedBy: actor.id })),
    ]);
    const c = { id, ref };
    const fromIncidents = input.incidentIds.length ? await linkIncidents(tx, actor, c, input.incidentIds) : [];
    const fromPos = await linkPos(tx, actor, id, input.exceptionIds, input.transactionIds);
    // The case's loss starts as the incidents' estimates.
    if (fromIncidents.length) {
      await tx.execute(sql`update cases set loss_cents = (select coalesce(sum(estimated_loss_cents), 0) from incidents where case_id = ${id}),
                                            recovery_cents = (select coalesce(sum(recovered_cents), 0) from incidents where case_id = ${id}) where id = ${id}`);
    }
    // From POS exceptions alone: the flagged amounts (refunds and voids count as losses).
    if (!fromIncidents.length && fromPos.length) {
      await tx.execute(sql`update cases set loss_cents = (select coalesce(sum(abs(coalesce(t.total_cents, e.amount_cents, 0))), 0) from case_pos_links l
                                              left join pos_exceptions e on e.id = l.exception_id
                                              left join pos_transactions t on t.id = coalesce(l.transaction_id, e.transaction_id)
                                             where l.case_id = ${id} and (e.kind is null or e.kind = 'transaction')) where id = ${id}`);
    }
    const origin = [...fromIncidents, ...fromPos];
    await note(tx, id, actor, `Opened ${ref}${origin.length ? ` from ${origin.join(', ')}` : ''}; lead investigator ${leadPerson.name}.${sealed ? ' Restricted: internal theft, visible to its members and LP leads only.' : ''}`);
    await recordAudit(tx, actor, { action: 'create', entity: auditEntity(sealed), entityId: id, summary: `Opened ${ref}${sealed ? ' (restricted)' : `: ${input.title}`}`, after: { ref, type: input.type, leadId, storeId, from: origin } });
    await ctx.notifier.notify(tx, {
      kind: 'case_member',
      recipients: [leadId, ...memberIds],
      actorId: actor.id,
      title: sealed ? `${ref}: you were added to a restricted case` : `${ref}: you were added to "${input.title}"`,
      body: `${actor.name} opened ${ref} and added you${leadId !== actor.id ? ' (lead investigator: ' + leadPerson.name + ')' : ''}.`,
      link: casePath(ref),
      recordRef: ref,
    });
    return detailOf(tx, actor, id);
  });
}

export async function updateCase(ctx: AppContext, actor: Actor, ref: string, patch: z.infer<typeof casePatch>) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    const c = await caseRow(tx, actor, ref, true);
    await assertEditable(tx, actor, c);
    const status = patch.status ?? c.status;
    const outcome = patch.outcome !== undefined ? patch.outcome : c.outcome;
    if (status === 'closed' && !outcome) throw invalid('outcome', 'choose substantiated, unsubstantiated or inconclusive to close the case');
    if (patch.storeId !== undefined) await assertCaseStore(tx, actor, patch.storeId);
    if (patch.subjectCashierId) await cashierInScope(tx, actor, patch.subjectCashierId);
    if (patch.leadId && patch.leadId !== c.leadId) {
      if (!abilities(actor, c, null).manageMembers) throw forbidden('Only the lead, LP leads and admins change the lead investigator');
      await assertCaseWorker(tx, patch.leadId, 'leadId');
      await tx.insert(caseMembers).values({ caseId: c.id, personId: patch.leadId, access: 'work', addedBy: actor.id }).onConflictDoUpdate({ target: [caseMembers.caseId, caseMembers.personId], set: { access: 'work' } });
    }
    const before = c as unknown as Record<string, unknown>;
    const changes: Record<string, unknown> = { ...patch };
    const diff = changedFields(before, changes);
    if (!diff.changed.length) return detailOf(tx, actor, c.id);
    const now = new Date();
    const closing = status === 'closed' && c.status !== 'closed';
    await tx
      .update(cases)
      .set({ ...patch, updatedAt: now, ...(closing ? { closedAt: now } : status !== 'closed' ? { closedAt: null } : {}) })
      .where(eq(cases.id, c.id));
    const words: string[] = [];
    if (patch.status && patch.status !== c.status) words.push(`status ${CASE_STATUS_LABELS[c.status]} → ${CASE_STATUS_LABELS[patch.status]}`);
    if (patch.outcome !== undefined && patch.outcome !== c.outcome) words.push(`outcome ${patch.outcome ? CASE_OUTCOME_LABELS[patch.outcome] : 'none'}`);
    const other = diff.changed.filter((f) => f !== 'status' && f !== 'outcome');
    if (other.length) words.push(`changed ${other.join(', ')}`);
    await note(tx, c.id, actor, `${actor.name}: ${words.join('; ')}.`);
    await recordAudit(tx, actor, { action: 'update', entity: auditEntity(c.sealed), entityId: c.id, summary: `Updated ${c.ref}: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    if (patch.leadId && patch.leadId !== c.leadId) {
      await ctx.notifier.notify(tx, { kind: 'case_member', recipients: [patch.leadId], actorId: actor.id, title: `${c.ref}: you are now the lead investigator`, body: `${actor.name} made you lead of ${c.ref}.`, link: casePath(c.ref), recordRef: c.ref });
    }
    return detailOf(tx, actor, c.id);
  });
}

// ------------------------------------------------------------------ members

export async function addMember(ctx: AppContext, actor: Actor, ref: string, input: z.infer<typeof memberInput>) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    let c: Case;
    let breakGlass = false;
    try {
      c = await caseRow(tx, actor, ref, true);
    } catch (err) {
      // An admin may add themselves to a restricted case they cannot see: audited, and its members are told.
      if (!(err instanceof AppError && err.status === 404) || !isAdmin(actor) || input.personId !== actor.id) throw err;
      c = await caseRow(tx, { ...actor, via: 'system' }, ref, true);
      breakGlass = true;
    }
    if (!breakGlass && !abilities(actor, c, null).manageMembers) throw forbidden('Only the lead, LP leads and admins change who works on a case');
    const person = await assertCaseWorker(tx, input.personId, 'personId', 'read');
    if (!isChainWide(person) && (!c.storeId || !person.storeIds!.includes(c.storeId))) throw invalid('personId', `${person.name} works at another store`);
    await tx
      .insert(caseMembers)
      .values({ caseId: c.id, personId: person.id, access: input.access, addedBy: actor.id })
      .onConflictDoUpdate({ target: [caseMembers.caseId, caseMembers.personId], set: { access: input.access } });
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, c.id));
    const text = breakGlass ? `${actor.name} (administrator) added themselves to this restricted case.` : `${actor.name} added ${person.name} (${input.access === 'work' ? 'works on the case' : 'reads only'}).`;
    await note(tx, c.id, actor, text);
    await recordAudit(tx, actor, { action: breakGlass ? 'grant' : 'update', entity: auditEntity(c.sealed), entityId: c.id, summary: breakGlass ? `Administrator added themselves to restricted case ${c.ref}` : `Added ${person.name} to ${c.ref} (${input.access})`, after: input });
    if (c.sealed) {
      const others = await tx.select({ id: caseMembers.personId }).from(caseMembers).where(eq(caseMembers.caseId, c.id));
      await ctx.notifier.notify(tx, { kind: 'case_access', recipients: others.map((o) => o.id).filter((id) => id !== person.id), actorId: actor.id, title: `${c.ref}: ${person.name} joined this restricted case`, body: text, link: casePath(c.ref), recordRef: c.ref });
    }
    await ctx.notifier.notify(tx, { kind: 'case_member', recipients: [person.id], actorId: actor.id, title: c.sealed ? `${c.ref}: you were added to a restricted case` : `${c.ref}: you were added to "${c.title}"`, body: text, link: casePath(c.ref), recordRef: c.ref });
    return detailOf(tx, actor, c.id);
  });
}

export async function removeMember(ctx: AppContext, actor: Actor, ref: string, personId: string) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    const c = await caseRow(tx, actor, ref, true);
    if (!abilities(actor, c, null).manageMembers && personId !== actor.id) throw forbidden('Only the lead, LP leads and admins change who works on a case');
    if (personId === c.leadId) throw invalid('personId', 'is the lead investigator; make someone else lead first');
    const removed = await tx.delete(caseMembers).where(and(eq(caseMembers.caseId, c.id), eq(caseMembers.personId, personId))).returning();
    if (!removed.length) throw invalid('personId', 'is not a member of this case');
    const [p] = await tx.select({ name: people.name }).from(people).where(eq(people.id, personId));
    await note(tx, c.id, actor, `${actor.name} removed ${p?.name ?? 'a member'}.`);
    await recordAudit(tx, actor, { action: 'update', entity: auditEntity(c.sealed), entityId: c.id, summary: `Removed ${p?.name ?? personId} from ${c.ref}` });
    // Someone who leaves a restricted case no longer sees it: null.
    return detailOf(tx, actor, c.id).catch((err) => {
      if (err instanceof AppError && err.status === 404) return null;
      throw err;
    });
  });
}

// ------------------------------------------------------------------ tasks and timeline

export async function addTask(ctx: AppContext, actor: Actor, ref: string, input: z.infer<typeof taskInput>) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    const c = await caseRow(tx, actor, ref, true);
    await assertEditable(tx, actor, c);
    if (input.ownerId) await assertTaskOwner(tx, c, input.ownerId);
    await tx.insert(caseTasks).values({ id: uuidv7(), caseId: c.id, title: input.title, ownerId: input.ownerId, dueDate: input.dueDate, createdBy: actor.id });
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, c.id));
    await recordAudit(tx, actor, { action: 'update', entity: auditEntity(c.sealed), entityId: c.id, summary: `Added a task to ${c.ref}${c.sealed ? '' : `: ${input.title}`}` });
    if (input.ownerId) await ctx.notifier.notify(tx, { kind: 'case_task', recipients: [input.ownerId], actorId: actor.id, title: `${c.ref}: a task for you`, body: c.sealed ? 'Open the case to see it.' : input.title, link: casePath(c.ref), recordRef: c.ref });
    return detailOf(tx, actor, c.id);
  });
}

async function assertTaskOwner(tx: DbOrTx, c: Case, ownerId: string) {
  const m = await membershipOf(tx, c.id, ownerId);
  if (!m && c.sealed) throw invalid('ownerId', 'must be a member of this restricted case');
  if (!m) await assertCaseWorker(tx, ownerId, 'ownerId');
}

export async function updateTask(ctx: AppContext, actor: Actor, taskId: string, patch: z.infer<typeof taskPatch>) {
  assertCan(actor, 'cases:work');
  if (!isUuid(taskId)) throw notFound('Task');
  return ctx.db.transaction(async (tx) => {
    const [task] = await tx.select().from(caseTasks).where(eq(caseTasks.id, taskId)).for('update');
    if (!task) throw notFound('Task');
    const c = await caseRow(tx, actor, task.caseId).catch(() => {
      throw notFound('Task');
    });
    if (task.ownerId !== actor.id) await assertEditable(tx, actor, c);
    if (patch.ownerId) await assertTaskOwner(tx, c, patch.ownerId);
    const { done, ...rest } = patch;
    await tx
      .update(caseTasks)
      .set({ ...rest, ...(done === undefined ? {} : { doneAt: done ? (task.doneAt ?? new Date()) : null }) })
      .where(eq(caseTasks.id, taskId));
    if (done !== undefined && done !== !!task.doneAt) await note(tx, c.id, actor, `${actor.name} ${done ? 'completed' : 'reopened'} the task "${task.title}".`);
    await recordAudit(tx, actor, { action: 'update', entity: auditEntity(c.sealed), entityId: c.id, summary: `Updated a task of ${c.ref}`, after: patch });
    if (patch.ownerId && patch.ownerId !== task.ownerId) await ctx.notifier.notify(tx, { kind: 'case_task', recipients: [patch.ownerId], actorId: actor.id, title: `${c.ref}: a task for you`, body: c.sealed ? 'Open the case to see it.' : task.title, link: casePath(c.ref), recordRef: c.ref });
    return detailOf(tx, actor, c.id);
  });
}

export async function addNote(ctx: AppContext, actor: Actor, ref: string, body: string) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    const c = await caseRow(tx, actor, ref, true);
    await assertEditable(tx, actor, c);
    await note(tx, c.id, actor, body, 'note');
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, c.id));
    await recordAudit(tx, actor, { action: 'update', entity: auditEntity(c.sealed), entityId: c.id, summary: `Added a note to ${c.ref}` });
    return detailOf(tx, actor, c.id);
  });
}

export async function addLinks(ctx: AppContext, actor: Actor, ref: string, input: z.infer<typeof caseLinkInput>) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    const c = await caseRow(tx, actor, ref, true);
    await assertEditable(tx, actor, c);
    const linked = [...(input.incidentIds.length ? await linkIncidents(tx, actor, c, input.incidentIds) : []), ...(await linkPos(tx, actor, c.id, input.exceptionIds, input.transactionIds))];
    if (!linked.length) throw invalid('incidentIds', 'name at least one incident, exception or transaction');
    await note(tx, c.id, actor, `${actor.name} linked ${linked.join(', ')}.`);
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, c.id));
    await recordAudit(tx, actor, { action: 'update', entity: auditEntity(c.sealed), entityId: c.id, summary: `Linked ${linked.join(', ')} to ${c.ref}` });
    return detailOf(tx, actor, c.id);
  });
}

// ------------------------------------------------------------------ evidence and chain of custody

async function custody(tx: DbOrTx, actor: Actor, evidence: { id: string; caseId: string }, action: CustodyAction, reason: string, extra: { recipient?: string | null; sha256?: string | null } = {}) {
  await tx.insert(evidenceCustody).values({ id: uuidv7(), evidenceId: evidence.id, caseId: evidence.caseId, action, actorId: actor.via === 'system' ? null : actor.id, actorName: actor.name, reason, recipient: extra.recipient ?? null, sha256: extra.sha256 ?? null });
}

async function nextEvidenceNumber(tx: DbOrTx, caseId: string) {
  const [r] = await rows<{ n: number }>(tx, sql`select coalesce(max(number), 0) + 1 as n from case_evidence where case_id = ${caseId}`);
  return Number(r.n);
}

export async function uploadEvidence(
  ctx: AppContext,
  actor: Actor,
  ref: string,
  file: HashedFile,
  meta: { filename: string; contentType: string; title?: string; description?: string; source: 'upload' | 'video_export' },
) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    const c = await caseRow(tx, actor, ref, true);
    await assertEditable(tx, actor, c);
    if (c.status === 'closed') throw conflict('case', `${c.ref} is closed; reopen it to add evidence`);
    const blobId = await storeBlob(tx, file);
    const id = uuidv7();
    const number = await nextEvidenceNumber(tx, c.id);
    await tx.insert(caseEvidence).values({
      id,
      caseId: c.id,
      number,
      kind: 'file',
      title: meta.title || meta.filename,
      description: meta.description ?? '',
      blobId,
      filename: meta.filename,
      contentType: meta.contentType,
      sizeBytes: file.bytes,
      sha256: file.sha256,
      source: meta.source,
      createdBy: actor.id,
    });
    await custody(tx, actor, { id, caseId: c.id }, 'uploaded', meta.source === 'video_export' ? 'Video export received' : 'Uploaded to the case', { sha256: file.sha256 });
    await note(tx, c.id, actor, `${actor.name} added evidence E${number}: ${meta.title || meta.filename} (SHA-256 ${file.sha256.slice(0, 16)}…).`);
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, c.id));
    await recordAudit(tx, actor, { action: 'create', entity: auditEntity(c.sealed), entityId: c.id, summary: `Added evidence E${number} to ${c.ref} (${file.bytes} bytes, SHA-256 ${file.sha256})` });
    return (await evidenceOf(tx, c.id)).find((e) => e.id === id)!;
  });
}

/**
 * IT's video export comes back as evidence: the person working a case's video-export request in the
 * receiving department attaches the exported file on the request, and it lands on the case with its
 * SHA-256 and a custody entry "Received from IT (REQ-n)". They are not made a case member and gain no
 * read access: the answer names the evidence number and hash only, never the case's content.
 */
export async function receiveVideoExport(ctx: AppContext, actor: Actor, requestRef: string, file: HashedFile, meta: { filename: string; contentType: string }) {
  const request = await getRequest(ctx, actor, requestRef); // 404 when the request is not theirs to see
  if (!can(actor, 'requests:work') || actor.departmentId !== request.toDepartmentId) throw forbidden();
  if (request.status === 'declined' || request.status === 'cancelled') throw conflict('status', `${request.ref} is ${request.status}; reopen it before attaching the export`);
  return ctx.db.transaction(async (tx) => {
    // The case is found through the request it raised, not through the case scope: IT has none.
    const [c] = await rows<{ id: string; ref: string; sealed: boolean; status: string }>(
      tx,
      sql`select c.id, c.ref, c.sealed, c.status from case_requests cr join cases c on c.id = cr.case_id where cr.request_id = ${request.id} order by cr.created_at limit 1 for update of c`,
    );
    if (!c) throw invalid('request', `${request.ref} was not raised from a case; attach the file to the request's conversation instead`);
    if (c.status === 'closed') throw conflict('case', `${c.ref} no longer takes evidence; ask its lead to reopen it`);
    const blobId = await storeBlob(tx, file);
    const id = uuidv7();
    const number = await nextEvidenceNumber(tx, c.id);
    const title = `Video export (${request.ref}): ${meta.filename}`.slice(0, 200);
    await tx.insert(caseEvidence).values({ id, caseId: c.id, number, kind: 'file', title, description: request.title, blobId, filename: meta.filename, contentType: meta.contentType, sizeBytes: file.bytes, sha256: file.sha256, source: 'video_export', createdBy: actor.id });
    await custody(tx, actor, { id, caseId: c.id }, 'uploaded', `Received from IT (${request.ref})`, { sha256: file.sha256 });
    await note(tx, c.id, actor, `${actor.name} (IT) delivered the video export of ${request.ref} as evidence E${number}: ${meta.filename} (SHA-256 ${file.sha256.slice(0, 16)}…).`, 'event', `/requests/${request.ref}`);
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, c.id));
    await recordAudit(tx, actor, { action: 'create', entity: auditEntity(c.sealed), entityId: c.id, summary: `Received the video export of ${request.ref} on ${c.ref} as evidence E${number} (${file.bytes} bytes, SHA-256 ${file.sha256})` });
    return { requestRef: request.ref, caseRef: c.ref, evidenceNumber: number, filename: meta.filename, sizeBytes: file.bytes, sha256: file.sha256 };
  });
}

export async function addEvidenceLink(ctx: AppContext, actor: Actor, ref: string, input: z.infer<typeof evidenceLinkInput>) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    const c = await caseRow(tx, actor, ref, true);
    await assertEditable(tx, actor, c);
    const id = uuidv7();
    const number = await nextEvidenceNumber(tx, c.id);
    await tx.insert(caseEvidence).values({ id, caseId: c.id, number, kind: 'link', title: input.title, description: input.description, url: input.url, source: 'link', createdBy: actor.id });
    await custody(tx, actor, { id, caseId: c.id }, 'uploaded', 'Video system link recorded');
    await note(tx, c.id, actor, `${actor.name} added evidence E${number}: ${input.title} (video system link).`);
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, c.id));
    await recordAudit(tx, actor, { action: 'create', entity: auditEntity(c.sealed), entityId: c.id, summary: `Added evidence link E${number} to ${c.ref}` });
    return (await evidenceOf(tx, c.id)).find((e) => e.id === id)!;
  });
}

/** The evidence item and its case, when the actor sees the case (404 otherwise). */
async function evidenceFor(db: DbOrTx, actor: Actor, evidenceId: string) {
  if (!isUuid(evidenceId)) throw notFound('Evidence');
  const [e] = await db.select().from(caseEvidence).where(eq(caseEvidence.id, evidenceId));
  if (!e) throw notFound('Evidence');
  const c = await caseRow(db, actor, e.caseId).catch((err) => {
    throw err instanceof AppError && err.status === 404 ? notFound('Evidence') : err;
  });
  return { e, c };
}

/**
 * A download: the stored bytes are hashed again first. On a mismatch nothing is sent, the item
 * carries an integrity alarm, the custody log and the audit trail say so, and the case's lead and
 * members are told. Otherwise the download is written to the custody log before the bytes go out.
 */
export async function beginDownload(ctx: AppContext, actor: Actor, evidenceId: string, reason: string | undefined, verify: (blobId: string) => Promise<{ sha256: string; bytes: number }>) {
  assertCan(actor, 'cases:read');
  const { e, c } = await evidenceFor(ctx.db, actor, evidenceId);
  if (e.kind !== 'file' || !e.blobId) throw invalid('evidenceId', 'is a video system link; open the link instead');
  const now = await verify(e.blobId);
  if (now.sha256 !== e.sha256 || now.bytes !== Number(e.sizeBytes)) {
    await ctx.db.transaction(async (tx) => {
      await tx.update(caseEvidence).set({ integrityAlarmAt: new Date() }).where(eq(caseEvidence.id, e.id));
      await custody(tx, actor, e, 'integrity_alarm', `Stored file no longer matches its SHA-256 (expected ${e.sha256}, found ${now.sha256})`, { sha256: now.sha256 });
      await note(tx, c.id, null, `Integrity alarm on E${e.number}: the stored file no longer matches the hash recorded at upload. The download was refused.`);
      await recordAudit(tx, actor, { action: 'integrity_alarm', entity: auditEntity(c.sealed), entityId: c.id, summary: `Integrity alarm on evidence E${e.number} of ${c.ref}: expected SHA-256 ${e.sha256}, found ${now.sha256}` });
      const members = await tx.select({ id: caseMembers.personId }).from(caseMembers).where(eq(caseMembers.caseId, c.id));
      await ctx.notifier.notify(tx, { kind: 'evidence_alarm', recipients: [c.leadId, ...members.map((m) => m.id)], title: `${c.ref}: integrity alarm on evidence E${e.number}`, body: 'The stored file no longer matches the hash recorded at upload. Nobody can download it until this is investigated.', link: casePath(c.ref), recordRef: c.ref });
    });
    throw new AppError(409, 'integrity_alarm', `Evidence E${e.number} failed its integrity check: the stored file does not match the SHA-256 recorded at upload. The download was refused and the case team alerted.`);
  }
  await ctx.db.transaction(async (tx) => {
    await custody(tx, actor, e, 'downloaded', reason?.trim() || 'Downloaded', { sha256: now.sha256 });
    await recordAudit(tx, actor, { action: 'read', entity: auditEntity(c.sealed), entityId: c.id, summary: `Downloaded evidence E${e.number} of ${c.ref}` });
  });
  return { blobId: e.blobId, filename: e.filename ?? `evidence-${e.number}`, contentType: e.contentType || 'application/octet-stream', sizeBytes: Number(e.sizeBytes), sha256: e.sha256! };
}

export async function recordCustody(ctx: AppContext, actor: Actor, evidenceId: string, input: z.infer<typeof custodyInput>) {
  assertCan(actor, 'cases:work');
  return ctx.db.transaction(async (tx) => {
    const { e, c } = await evidenceFor(tx, actor, evidenceId);
    await assertEditable(tx, actor, c);
    if (input.action === 'transferred' && !input.recipient) throw invalid('recipient', 'name who received it (e.g. the police officer and badge number)');
    await custody(tx, actor, e, input.action, input.reason, { recipient: input.recipient ?? null, sha256: e.sha256 });
    await note(tx, c.id, actor, `${actor.name}: evidence E${e.number} ${CUSTODY_ACTION_LABELS[input.action].toLowerCase()}${input.recipient ? ` to ${input.recipient}` : ''} — ${input.reason}`);
    await recordAudit(tx, actor, { action: 'update', entity: auditEntity(c.sealed), entityId: c.id, summary: `Evidence E${e.number} of ${c.ref} ${input.action}${input.recipient ? ` to ${input.recipient}` : ''}` });
    return (await evidenceOf(tx, c.id)).find((x) => x.id === e.id)!;
  });
}

// ------------------------------------------------------------------ video export requests (to IT, through the requests module)

export async function requestVideoExport(ctx: AppContext, actor: Actor, input: z.infer<typeof videoRequestInput>) {
  assertCan(actor, 'cases:work');
  let caseInfo: Case | null = null;
  let storeId = input.storeId ?? null;
  let cameras = input.cameras;
  let from = input.from ? new Date(input.from) : null;
  let to = input.to ? new Date(input.to) : null;
  let origin = '';
  if (input.caseId) {
    caseInfo = await caseRow(ctx.db, actor, input.caseId);
    await assertEditable(ctx.db, actor, caseInfo);
    storeId ??= caseInfo.storeId;
    origin = caseInfo.ref;
  }
  if (input.exceptionId) {
    if (!can(actor, 'pos:read')) throw invalid('exceptionId', 'you have no access to cashier monitoring');
    const [e] = await rows<Record<string, unknown>>(
      ctx.db,
      sql`select e.number, e.store_id, e.occurred_at, t.started_at, t.ended_at, t.register, coalesce(rc.camera, '') as camera
            from pos_exceptions e left join pos_transactions t on t.id = e.transaction_id
            left join pos_register_cameras rc on rc.store_id = t.store_id and rc.register = t.register
           where e.id = ${input.exceptionId} and ${storeScopeSql(actor, sql`e.store_id`)}`,
    );
    if (!e) throw invalid('exceptionId', 'no such exception');
    storeId ??= String(e.store_id);
    if (!cameras) cameras = [e.camera, e.register ? `register ${e.register}` : ''].filter(Boolean).join(', ');
    const start = new Date((e.started_at ?? e.occurred_at) as Date);
    from ??= new Date(start.getTime() - 5 * 60_000);
    to ??= new Date(new Date((e.ended_at ?? start) as Date).getTime() + 5 * 60_000);
    origin = origin ? `${origin} / EXC-${e.number}` : `EXC-${e.number}`;
  }
  if (!from || !to) throw invalid('from', 'give the time window of the footage');
  if (to <= from) throw invalid('to', 'must be after the start of the window');
  if (!cameras.trim()) throw invalid('cameras', 'name the cameras or registers to export');
  // The IT department's "Video export" request type (the requests module's catalogue).
  const [type] = await rows<{ id: string; department_id: string }>(
    ctx.db,
    sql`select t.id, t.department_id from request_types t join departments d on d.id = t.department_id
         where d.kind = 'it' and d.active and t.active and lower(t.name) = 'video export' order by d.name limit 1`,
  );
  if (!type) throw invalid('caseId', 'IT offers no "Video export" request type; ask an administrator to add it to the IT catalogue');
  const [store] = storeId ? await ctx.db.select({ code: stores.code, name: stores.name, timezone: stores.timezone }).from(stores).where(eq(stores.id, storeId)) : [];
  const window = `${from.toISOString().replace('.000Z', 'Z')} – ${to.toISOString().replace('.000Z', 'Z')}`;
  const title = `Video export for ${origin}: ${store?.code ?? 'HQ'}, ${cameras}`.slice(0, 160);
  const description = [
    `Please export the footage below and attach it to ${caseInfo ? caseInfo.ref : origin} as evidence (its SHA-256 is recorded at upload).`,
    `Store: ${store ? `${store.code} ${store.name} (${store.timezone})` : 'HQ'}`,
    `Cameras / registers: ${cameras}`,
    `Time window (UTC): ${window}`,
    caseInfo ? `Case: ${caseInfo.ref}${caseInfo.sealed ? ' (restricted: share the export with the case team only)' : ''}` : '',
    input.note,
  ]
    .filter(Boolean)
    .join('\n');
  const request = await createRequest(ctx, actor, { title, description, toDepartmentId: type.department_id, typeId: type.id, priority: 'P2', dueDate: null, storeId });
  if (caseInfo) {
    const c = caseInfo;
    await ctx.db.transaction(async (tx) => {
      await tx.insert(caseRequests).values({ caseId: c.id, requestId: request.id }).onConflictDoNothing();
      await note(tx, c.id, actor, `${actor.name} asked IT for a video export: ${cameras}, ${window}.`, 'event', `/requests/${request.ref}`);
      await recordAudit(tx, actor, { action: 'update', entity: auditEntity(c.sealed), entityId: c.id, summary: `Asked IT for a video export for ${c.ref} (${request.ref})` });
    });
  }
  return { requestId: request.id, requestRef: request.ref, title };
}

// ------------------------------------------------------------------ settings (tip line)

export async function getSettings(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'cases:read');
  const [s] = await ctx.db.select().from(caseSettings).where(eq(caseSettings.id, 1));
  return { tipsEnabled: Boolean(s?.tipsEnabled), tipPath: '/tip' };
}

export async function updateSettings(ctx: AppContext, actor: Actor, input: { tipsEnabled: boolean }) {
  assertCan(actor, 'cases:settings');
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(caseSettings)
      .values({ id: 1, tipsEnabled: input.tipsEnabled, updatedBy: actor.id })
      .onConflictDoUpdate({ target: caseSettings.id, set: { tipsEnabled: input.tipsEnabled, updatedBy: actor.id, updatedAt: new Date() } });
    await recordAudit(tx, actor, { action: 'update', entity: 'case_settings', summary: `${input.tipsEnabled ? 'Opened' : 'Closed'} the anonymous tip line` });
  });
  return getSettings(ctx, actor);
}

/** Open tasks of this person on cases they see (home page). */
export async function myOpenTasks(ctx: AppContext, actor: Actor, limit = 5) {
  return rows<{ id: string; title: string; due_date: string | null; ref: string; sealed: boolean }>(
    ctx.db,
    sql`select t.id, t.title, to_char(t.due_date, 'YYYY-MM-DD') as due_date, c.ref, c.sealed from case_tasks t join cases c on c.id = t.case_id
         where t.owner_id = ${actor.id}::uuid and t.done_at is null and c.status <> 'closed' and ${caseVisibleSql(actor, 'c')}
         order by t.due_date nulls last, t.created_at limit ${limit}`,
  );
}

export { INCIDENT_TYPE_LABELS, isNull };

// ------------------------------------------------------------------ case report (PDF)

/**
 * The case as a printable report. Reading it is a read of the case (same visibility: a sealed case
 * answers 404 to non-members); the export is written to every evidence item's custody log and the
 * case's timeline and audit trail, in one transaction, and the report then carries those entries.
 */
export async function exportCaseReport(ctx: AppContext, actor: Actor, ref: string): Promise<CaseDetail> {
  assertCan(actor, 'cases:read');
  return ctx.db.transaction(async (tx) => {
    const c = await caseRow(tx, actor, ref, true);
    const items = await tx.select({ id: caseEvidence.id }).from(caseEvidence).where(eq(caseEvidence.caseId, c.id));
    for (const e of items) await custody(tx, actor, { id: e.id, caseId: c.id }, 'exported', 'Listed in the case report (PDF)');
    await note(tx, c.id, actor, `Exported the case report (PDF)`);
    await recordAudit(tx, actor, { action: 'export', entity: auditEntity(c.sealed), entityId: c.id, summary: `Exported the case report of ${c.sealed ? 'restricted case ' : ''}${c.ref} (PDF)` });
    return detailOf(tx, actor, c.id);
  });
}
