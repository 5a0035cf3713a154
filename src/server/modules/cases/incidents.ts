import { createHash, randomBytes } from 'node:crypto';
import { and, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  INCIDENT_TYPE_LABELS,
  caseRef,
  incidentRef,
  type Incident,
  type IncidentDetail,
  type incidentInput,
  type incidentListQuery,
  type incidentTriageInput,
  type tipInput,
} from '../../../contracts/cases.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { containsPattern, paginate, refNumber } from '../../platform/list.js';
import { assertCan, can, type Actor } from '../../platform/policy.js';
import { limitRate } from '../../platform/rate-limit.js';
import { isChainWide } from '../../platform/scope.js';
import { people, stores } from '../people/schema.js';
import { storeBlob, type HashedFile } from './files.js';
import { caseSettings, incidentFiles, incidentMessages, incidents } from './schema.js';
import { caseVisibleSql, incidentVisibleSql, rows } from './visibility.js';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

const reporter = alias(people, 'reporter');
const duplicate = alias(incidents, 'duplicate');

export const incidentColumns = {
  id: incidents.id,
  number: incidents.number,
  source: incidents.source,
  storeId: incidents.storeId,
  storeCode: stores.code,
  storeName: stores.name,
  occurredAt: incidents.occurredAt,
  type: incidents.type,
  estimatedLossCents: incidents.estimatedLossCents,
  recoveredCents: incidents.recoveredCents,
  narrative: incidents.narrative,
  peopleInvolved: incidents.peopleInvolved,
  policeReport: incidents.policeReport,
  reporterId: incidents.reporterId,
  reporterName: reporter.name,
  status: incidents.status,
  closeReason: incidents.closeReason,
  duplicateOfNumber: sql<number | null>`(select d.number from incidents d where d.id = ${incidents.duplicateOf})`,
  caseRef: sql<string | null>`(select c.ref from cases c where c.id = ${incidents.caseId})`,
  fileCount: sql<number>`(select count(*)::int from incident_files f where f.incident_id = ${incidents.id})`,
  createdAt: incidents.createdAt,
  updatedAt: incidents.updatedAt,
};
type IncidentRow = {
  [K in keyof typeof incidentColumns]: unknown;
};
export const joinIncidentRefs = (q: any) => q.leftJoin(stores, eq(stores.id, incidents.storeId)).leftJoin(reporter, eq(reporter.id, incidents.reporterId));

export function presentIncident(r: IncidentRow): Incident {
  return {
    id: String(r.id),
    ref: incidentRef(Number(r.number)),
    number: Number(r.number),
    source: r.source as Incident['source'],
    storeId: (r.storeId as string) ?? null,
    storeCode: (r.storeCode as string) ?? null,
    storeName: (r.storeName as string) ?? null,
    occurredAt: iso(r.occurredAt as Date)!,
    type: r.type as Incident['type'],
    estimatedLossCents: Number(r.estimatedLossCents),
    recoveredCents: Number(r.recoveredCents),
    narrative: String(r.narrative),
    peopleInvolved: String(r.peopleInvolved),
    policeReport: String(r.policeReport),
    reporterId: (r.reporterId as string) ?? null,
    reporterName: r.source === 'tip' ? 'Anonymous tip' : ((r.reporterName as string) ?? null),
    status: r.status as Incident['status'],
    closeReason: (r.closeReason as string) ?? null,
    duplicateOfRef: r.duplicateOfNumber == null ? null : incidentRef(Number(r.duplicateOfNumber)),
    caseRef: (r.caseRef as string) ?? null,
    fileCount: Number(r.fileCount ?? 0),
    createdAt: iso(r.createdAt as Date)!,
    updatedAt: iso(r.updatedAt as Date)!,
  };
}

/** An incident by id or by "INC-12" / "12". */
export function incidentRefWhere(ref: string): SQL {
  if (isUuid(ref)) return eq(incidents.id, ref);
  const n = refNumber('INC', ref, { bare: true });
  return n !== undefined ? eq(incidents.number, n) : sql`false`;
}

function incidentWhere(actor: Actor, query: Partial<z.infer<typeof incidentListQuery>>): SQL | undefined {
  const q = query.q?.trim();
  const n = q ? refNumber('INC', q, { bare: true }) : undefined;
  return and(
    incidentVisibleSql(actor),
    q ? or(ilike(incidents.narrative, containsPattern(q)), ilike(incidents.peopleInvolved, containsPattern(q)), ilike(incidents.policeReport, containsPattern(q)), n !== undefined ? eq(incidents.number, n) : undefined) : undefined,
    query.status === 'open' ? inArray(incidents.status, ['new', 'triaged']) : query.status ? eq(incidents.status, query.status) : undefined,
    query.type ? eq(incidents.type, query.type) : undefined,
    query.storeId ? eq(incidents.storeId, query.storeId) : undefined,
    query.source ? eq(incidents.source, query.source) : undefined,
    query.mine ? eq(incidents.reporterId, actor.id) : undefined,
  );
}

const incidentSorts = { occurredAt: incidents.occurredAt, createdAt: incidents.createdAt, number: incidents.number, estimatedLossCents: incidents.estimatedLossCents };

export async function listIncidents(ctx: AppContext, actor: Actor, query: z.infer<typeof incidentListQuery>) {
  assertCan(actor, 'incidents:read');
  const page = await paginate<IncidentRow & { id: string }, typeof query.sort>(ctx.db, {
    table: incidents,
    select: incidentColumns,
    joins: joinIncidentRefs,
    where: incidentWhere(actor, query),
    sortColumns: incidentSorts,
    idColumn: incidents.id,
    params: query,
  });
  return { ...page, items: page.items.map(presentIncident) };
}

export async function exportIncidents(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof incidentListQuery>>) {
  assertCan(actor, 'incidents:read');
  const sort = incidentSorts[query.sort ?? 'createdAt'];
  const list = (await joinIncidentRefs(ctx.db.select(incidentColumns).from(incidents))
    .where(incidentWhere(actor, query))
    .orderBy(query.order === 'asc' ? sql`${sort} asc` : sql`${sort} desc`)) as IncidentRow[];
  return list.map(presentIncident);
}

/** Triage is for people with case work access who see the incident. */
export const canTriage = (actor: Actor) => can(actor, 'cases:triage');

async function incidentRow(db: DbOrTx, actor: Actor, ref: string, lock = false) {
  const base = joinIncidentRefs(db.select(incidentColumns).from(incidents)).where(and(incidentRefWhere(ref), incidentVisibleSql(actor)));
  const [row] = (await (lock ? base.for('update', { of: incidents }) : base)) as IncidentRow[];
  if (!row) throw notFound('Incident');
  return row;
}

async function incidentDetail(db: DbOrTx, actor: Actor, ref: string): Promise<IncidentDetail> {
  const row = await incidentRow(db, actor, ref);
  const incident = presentIncident(row);
  const files = await db.select().from(incidentFiles).where(eq(incidentFiles.incidentId, incident.id)).orderBy(incidentFiles.createdAt);
  const messages = await db.select().from(incidentMessages).where(eq(incidentMessages.incidentId, incident.id)).orderBy(incidentMessages.createdAt, incidentMessages.id);
  const dups = await db.select({ id: duplicate.id, number: duplicate.number }).from(duplicate).where(and(eq(duplicate.duplicateOf, incident.id), incidentVisibleSql(actor, '"duplicate"')));
  const own = incident.reporterId === actor.id;
  return {
    ...incident,
    files: files.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, sizeBytes: Number(f.sizeBytes), sha256: f.sha256, createdAt: f.createdAt.toISOString() })),
    messages: messages.map((m) => ({ id: m.id, fromTipster: m.fromTipster, authorName: m.authorName, body: m.body, createdAt: m.createdAt.toISOString() })),
    duplicates: dups.map((d) => ({ id: d.id, ref: incidentRef(d.number) })),
    can: { triage: canTriage(actor), attach: own || canTriage(actor), reply: own || canTriage(actor) },
  };
}

export async function getIncident(ctx: AppContext, actor: Actor, ref: string) {
  assertCan(actor, 'incidents:read');
  return incidentDetail(ctx.db, actor, ref);
}

async function assertStore(db: DbOrTx, actor: Actor, storeId: string | null, field = 'storeId') {
  if (!storeId) {
    if (!isChainWide(actor)) throw invalid(field, 'choose your store');
    return null;
  }
  const [s] = await db.select({ id: stores.id, code: stores.code }).from(stores).where(eq(stores.id, storeId));
  if (!s) throw invalid(field, 'no such store');
  if (!isChainWide(actor) && !actor.storeIds!.includes(storeId)) throw invalid(field, 'is not one of your stores');
  return s;
}

function assertWhen(occurredAt: string, field = 'occurredAt') {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(occurredAt) ? `${occurredAt}T12:00:00Z` : occurredAt);
  if (t > Date.now() + 36 * 3600_000) throw invalid(field, 'is in the future');
  if (t < Date.now() - 5 * 365 * 86400_000) throw invalid(field, 'is more than five years ago');
  return new Date(t);
}

/** People who triage new incidents of a store: LP leads and members with case access, chain-wide or at that store. */
async function triagers(db: DbOrTx, storeId: string | null) {
  const list = await rows<{ id: string }>(
    db,
    sql`select p.id from people p join departments d on d.id = p.department_id
         where p.active and d.kind = 'lp' and p.role in ('lead') and (p.store_id is null or p.store_id = ${storeId})`,
  );
  return list.map((r) => r.id);
}

export async function reportIncident(ctx: AppContext, actor: Actor, input: z.infer<typeof incidentInput>) {
  assertCan(actor, 'incidents:report');
  const occurredAt = assertWhen(input.occurredAt);
  if (input.recoveredCents > input.estimatedLossCents && input.estimatedLossCents > 0) throw invalid('recoveredCents', 'is more than the estimated loss');
  return ctx.db.transaction(async (tx) => {
    if (input.clientKey) {
      const [again] = await tx.select({ id: incidents.id }).from(incidents).where(and(eq(incidents.reporterId, actor.id), eq(incidents.clientKey, input.clientKey)));
      if (again) return incidentDetail(tx, actor, again.id);
    }
    const store = await assertStore(tx, actor, input.storeId);
    const id = uuidv7();
    const [created] = await tx
      .insert(incidents)
      .values({
        id,
        source: 'report',
        storeId: input.storeId,
        occurredAt,
        type: input.type,
        estimatedLossCents: input.estimatedLossCents,
        recoveredCents: input.recoveredCents,
        narrative: input.narrative,
        peopleInvolved: input.peopleInvolved,
        policeReport: input.policeReport,
        reporterId: actor.id,
        clientKey: input.clientKey,
      })
      .returning({ number: incidents.number });
    const ref = incidentRef(created.number);
    await recordAudit(tx, actor, { action: 'create', entity: 'incident', entityId: id, summary: `Reported ${ref}: ${INCIDENT_TYPE_LABELS[input.type]} at ${store?.code ?? 'HQ'}` });
    await ctx.notifier.notify(tx, {
      kind: 'incident_new',
      recipients: await triagers(tx, input.storeId),
      actorId: actor.id,
      title: `${ref} new incident: ${INCIDENT_TYPE_LABELS[input.type]} at ${store?.code ?? 'HQ'}`,
      body: `${actor.name} reported an incident to triage.`,
      link: `/incidents/${created.number}`,
      recordRef: ref,
    });
    return incidentDetail(tx, actor, id);
  });
}

export async function attachIncidentFile(ctx: AppContext, actor: Actor, ref: string, file: HashedFile, meta: { filename: string; contentType: string }) {
  assertCan(actor, 'incidents:report');
  return ctx.db.transaction(async (tx) => {
    const row = await incidentRow(tx, actor, ref, true);
    if (row.reporterId !== actor.id && !canTriage(actor)) throw notFound('Incident');
    const blobId = await storeBlob(tx, file);
    const id = uuidv7();
    await tx.insert(incidentFiles).values({ id, incidentId: String(row.id), blobId, filename: meta.filename, contentType: meta.contentType, sizeBytes: file.bytes, sha256: file.sha256, uploadedBy: actor.id });
    await tx.update(incidents).set({ updatedAt: new Date() }).where(eq(incidents.id, String(row.id)));
    await recordAudit(tx, actor, { action: 'update', entity: 'incident', entityId: String(row.id), summary: `Attached ${meta.filename} (${file.bytes} bytes, SHA-256 ${file.sha256.slice(0, 12)}…) to ${incidentRef(Number(row.number))}` });
    return incidentDetail(tx, actor, String(row.id));
  });
}

export async function incidentFileFor(ctx: AppContext, actor: Actor, fileId: string) {
  assertCan(actor, 'incidents:read');
  if (!isUuid(fileId)) throw notFound('File');
  const [f] = await ctx.db
    .select({ id: incidentFiles.id, blobId: incidentFiles.blobId, filename: incidentFiles.filename, contentType: incidentFiles.contentType, sizeBytes: incidentFiles.sizeBytes, sha256: incidentFiles.sha256, incidentId: incidentFiles.incidentId })
    .from(incidentFiles)
    .innerJoin(incidents, eq(incidents.id, incidentFiles.incidentId))
    .where(and(eq(incidentFiles.id, fileId), incidentVisibleSql(actor)));
  if (!f) throw notFound('File');
  return f;
}

async function caseByRef(db: DbOrTx, actor: Actor, ref: string) {
  const where = isUuid(ref) ? sql`c.id = ${ref}` : sql`c.ref = ${ref.trim().toUpperCase()}`;
  const [c] = await rows<{ id: string; ref: string; sealed: boolean; status: string }>(db, sql`select c.id, c.ref, c.sealed, c.status from cases c where ${where} and ${caseVisibleSql(actor, 'c')}`);
  return c;
}

export async function triageIncident(ctx: AppContext, actor: Actor, ref: string, input: z.infer<typeof incidentTriageInput>) {
  assertCan(actor, 'cases:triage');
  return ctx.db.transaction(async (tx) => {
    const row = await incidentRow(tx, actor, ref, true);
    const id = String(row.id);
    const label = incidentRef(Number(row.number));
    const now = new Date();
    let summary: string;
    let entity = 'incident';
    switch (input.action) {
      case 'triage':
        if (row.status !== 'new') throw conflict('action', `${label} is ${row.status}, not new`);
        await tx.update(incidents).set({ status: 'triaged', updatedAt: now }).where(eq(incidents.id, id));
        summary = `Triaged ${label}`;
        break;
      case 'reopen':
        if (row.status !== 'closed') throw conflict('action', `${label} is not closed`);
        await tx.update(incidents).set({ status: 'triaged', closeReason: null, duplicateOf: null, updatedAt: now }).where(eq(incidents.id, id));
        summary = `Reopened ${label}`;
        break;
      case 'close':
        if (row.status === 'closed') throw conflict('action', `${label} is already closed`);
        await tx.update(incidents).set({ status: 'closed', closeReason: input.reason, updatedAt: now }).where(eq(incidents.id, id));
        summary = `Closed ${label}: ${input.reason}`;
        break;
      case 'merge': {
        const [target] = await tx.select({ id: incidents.id, number: incidents.number, duplicateOf: incidents.duplicateOf }).from(incidents).where(and(incidentRefWhere(input.duplicateOf), incidentVisibleSql(actor)));
        if (!target) throw invalid('duplicateOf', 'no such incident');
        if (target.id === id) throw invalid('duplicateOf', 'is this incident itself');
        if (target.duplicateOf) throw invalid('duplicateOf', `${incidentRef(target.number)} is itself a duplicate; merge into the incident it duplicates`);
        if (row.status === 'closed') throw conflict('action', `${label} is already closed`);
        const into = incidentRef(target.number);
        await tx.update(incidents).set({ status: 'closed', closeReason: `Duplicate of ${into}`, duplicateOf: target.id, updatedAt: now }).where(eq(incidents.id, id));
        // Duplicates of this incident follow it into the target.
        await tx.update(incidents).set({ duplicateOf: target.id, closeReason: `Duplicate of ${into}`, updatedAt: now }).where(eq(incidents.duplicateOf, id));
        summary = `Merged ${label} into ${into} as a duplicate`;
        break;
      }
      case 'link': {
        const c = await caseByRef(tx, actor, input.caseRef);
        if (!c) throw invalid('caseRef', 'no such case');
        if (c.status === 'closed') throw invalid('caseRef', `${c.ref} is closed`);
        await linkIncidents(tx, actor, c, [id]);
        summary = `Linked ${label} to ${c.ref}`;
        if (c.sealed) entity = 'sealed_case';
        break;
      }
    }
    await recordAudit(tx, actor, { action: 'update', entity, entityId: entity === 'incident' ? id : null, summary, before: { status: row.status }, after: input });
    return incidentDetail(tx, actor, id);
  });
}

/** Links incidents to a case (the caller has checked the case); used by triage and by opening a case. */
export async function linkIncidents(tx: DbOrTx, actor: Actor, c: { id: string; ref: string }, incidentRefs: string[]) {
  const linked: string[] = [];
  for (const ref of incidentRefs) {
    const [row] = await tx.select({ id: incidents.id, number: incidents.number, caseId: incidents.caseId }).from(incidents).where(and(incidentRefWhere(ref), incidentVisibleSql(actor))).for('update');
    if (!row) throw invalid('incidentIds', `${ref}: no such incident`);
    if (row.caseId && row.caseId !== c.id) throw invalid('incidentIds', `${incidentRef(row.number)} is already linked to another case`);
    await tx.update(incidents).set({ caseId: c.id, status: 'linked', closeReason: null, updatedAt: new Date() }).where(eq(incidents.id, row.id));
    linked.push(incidentRef(row.number));
  }
  return linked;
}

export async function addIncidentMessage(ctx: AppContext, actor: Actor, ref: string, body: string) {
  assertCan(actor, 'incidents:report');
  return ctx.db.transaction(async (tx) => {
    const row = await incidentRow(tx, actor, ref, true);
    const own = row.reporterId === actor.id;
    if (!own && !canTriage(actor)) throw notFound('Incident');
    await tx.insert(incidentMessages).values({ id: uuidv7(), incidentId: String(row.id), fromTipster: false, authorId: actor.id, authorName: actor.name, body });
    await tx.update(incidents).set({ updatedAt: new Date() }).where(eq(incidents.id, String(row.id)));
    const label = incidentRef(Number(row.number));
    await recordAudit(tx, actor, { action: 'update', entity: 'incident', entityId: String(row.id), summary: `Replied on ${label}` });
    if (!own && row.reporterId) {
      await ctx.notifier.notify(tx, { kind: 'incident_reply', recipients: [String(row.reporterId)], actorId: actor.id, title: `${label}: a reply from loss prevention`, body, link: `/incidents/${row.number}`, recordRef: label });
    }
    return incidentDetail(tx, actor, String(row.id));
  });
}

// ------------------------------------------------------------------ anonymous tips

const codeHash = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
/** A tip code the tipster keeps: 16 characters from an alphabet without look-alikes (80 bits). */
function newTipCode() {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  let code = '';
  for (const b of bytes) code += alphabet[b % alphabet.length];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12, 16)}`;
}

export async function tipsEnabled(db: DbOrTx) {
  const [s] = await db.select().from(caseSettings).where(eq(caseSettings.id, 1));
  return Boolean(s?.tipsEnabled);
}

export async function tipConfig(ctx: AppContext) {
  const enabled = await tipsEnabled(ctx.db);
  const list = enabled ? await ctx.db.select({ id: stores.id, code: stores.code, name: stores.name }).from(stores).where(eq(stores.active, true)).orderBy(stores.code) : [];
  return { enabled, stores: list };
}

const tipsClosed = () => new AppError(404, 'not_found', 'The tip line is not open');

/**
 * The rate limit of anonymous tips. Nothing that identifies a tipster is stored: no account, no
 * address in the database or the audit trail. The per-address window lives in this process's
 * memory only (and is forgotten after the window); the chain-wide ceiling is counted in the database.
 */
const tipWindows = new Map<string, { count: number; until: number }>();
const TIP_WINDOW_MS = 60 * 60_000;
/** New tips per address per hour; reads and follow-ups per address per hour; new tips and follow-ups chain-wide per hour. */
export const TIP_LIMITS = { perAddress: 5, readsPerAddress: 60, perHour: 200 };
function limitTipAddress(address: string | undefined, bucket: 'new' | 'read' = 'new') {
  const now = Date.now();
  for (const [k, v] of tipWindows) if (v.until < now) tipWindows.delete(k);
  const key = `${bucket}:${createHash('sha256').update(address ?? 'unknown').digest('hex')}`;
  const w = tipWindows.get(key) ?? { count: 0, until: now + TIP_WINDOW_MS };
  w.count++;
  tipWindows.set(key, w);
  const max = bucket === 'new' ? TIP_LIMITS.perAddress : TIP_LIMITS.readsPerAddress;
  if (w.count > max) throw new AppError(429, 'rate_limited', `Too many tips from here; try again in about ${Math.ceil((w.until - now) / 60_000)} min`);
}

export async function submitTip(ctx: AppContext, input: z.infer<typeof tipInput>, address: string | undefined) {
  if (!(await tipsEnabled(ctx.db))) throw tipsClosed();
  limitTipAddress(address);
  await limitRate(ctx.db, 'tips:all', TIP_LIMITS.perHour, 3600);
  const occurredAt = assertWhen(input.occurredAt);
  const code = newTipCode();
  return ctx.db.transaction(async (tx) => {
    let storeCode = 'HQ';
    if (input.storeId) {
      const [s] = await tx.select({ code: stores.code }).from(stores).where(eq(stores.id, input.storeId));
      if (!s) throw invalid('storeId', 'no such store');
      storeCode = s.code;
    }
    const id = uuidv7();
    const [created] = await tx
      .insert(incidents)
      .values({ id, source: 'tip', storeId: input.storeId, occurredAt, type: input.type, narrative: input.narrative, peopleInvolved: input.peopleInvolved, reporterId: null, tipCodeHash: codeHash(code) })
      .returning({ number: incidents.number });
    const ref = incidentRef(created.number);
    // No actor: the audit row carries neither a person nor an address.
    await recordAudit(tx, null, { action: 'create', entity: 'incident', entityId: id, summary: `Anonymous tip ${ref}: ${INCIDENT_TYPE_LABELS[input.type]} at ${storeCode}` });
    await ctx.notifier.notify(tx, { kind: 'incident_new', recipients: await triagers(tx, input.storeId), title: `${ref} anonymous tip: ${INCIDENT_TYPE_LABELS[input.type]} at ${storeCode}`, body: 'An anonymous tip came in through the tip line.', link: `/incidents/${created.number}`, recordRef: ref });
    return { ref, code };
  });
}

async function tipByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(incidents).where(and(eq(incidents.tipCodeHash, codeHash(code)), eq(incidents.source, 'tip')));
  return row;
}

export async function tipThread(ctx: AppContext, code: string, address: string | undefined) {
  if (address !== undefined) limitTipAddress(address, 'read');
  const row = await tipByCode(ctx.db, code);
  if (!row) throw notFound('Tip');
  const messages = await ctx.db.select().from(incidentMessages).where(eq(incidentMessages.incidentId, row.id)).orderBy(incidentMessages.createdAt, incidentMessages.id);
  return {
    ref: incidentRef(row.number),
    // The tipster sees whether the tip is being worked on, not which case it joined.
    status: (row.status === 'linked' ? 'triaged' : row.status) as Incident['status'],
    type: row.type as Incident['type'],
    narrative: row.narrative,
    createdAt: row.createdAt.toISOString(),
    messages: messages.map((m) => ({ id: m.id, fromTipster: m.fromTipster, authorName: m.fromTipster ? 'You' : 'Loss prevention', body: m.body, createdAt: m.createdAt.toISOString() })),
  };
}

export async function addTipMessage(ctx: AppContext, code: string, body: string, address: string | undefined) {
  limitTipAddress(address, 'read');
  await limitRate(ctx.db, 'tips:all', TIP_LIMITS.perHour, 3600);
  await ctx.db.transaction(async (tx) => {
    const row = await tipByCode(tx, code);
    if (!row) throw notFound('Tip');
    await tx.insert(incidentMessages).values({ id: uuidv7(), incidentId: row.id, fromTipster: true, authorId: null, authorName: 'Tipster', body });
    await tx.update(incidents).set({ updatedAt: new Date() }).where(eq(incidents.id, row.id));
    const ref = incidentRef(row.number);
    await recordAudit(tx, null, { action: 'update', entity: 'incident', entityId: row.id, summary: `The tipster of ${ref} added details` });
    await ctx.notifier.notify(tx, { kind: 'incident_new', recipients: await triagers(tx, row.storeId), title: `${ref}: the tipster added details`, body, link: `/incidents/${row.number}`, recordRef: ref });
  });
  return tipThread(ctx, code, undefined);
}

export { caseRef };
