import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { IDEA_STATE_LABELS, type IdeaState } from '../../../contracts/ideas.js';
import {
  DEFAULT_GATE_TEMPLATES,
  GATES,
  PROJECT_LINK_LABELS,
  PROJECT_ROAD,
  PROJECT_STAGE_LABELS,
  stageName,
  PROJECT_TYPE_LABELS,
  PROJECT_TYPES,
  SIDE_LABELS,
  SIGN_SIDES,
  gateSignerKind,
  isGate,
  nextStage,
  projectRef,
  type Blocker,
  type Gate,
  type ProjectDetail,
  type ProjectStage,
  type ProjectType,
  type SignSide,
  type checklistTick,
  type linkInput,
  type milestonesInput,
  type projectInput,
  type projectListQuery,
  type projectPatch,
  type signoffInput,
  type stageChangeInput,
  type storesInput,
  type templatePut,
} from '../../../contracts/projects.js';
import type { DepartmentKind } from '../../../contracts/roles.js';
import { registerAgendaSuggester } from '../../platform/agenda.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { readAll, type Db, type DbOrTx } from '../../platform/db.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { registerHomeContributor, type HomeAction } from '../../platform/home.js';
import { containsPattern, paginate, refNumber } from '../../platform/list.js';
import { registerNewsletterContributor } from '../../platform/newsletter-sections.js';
import { assertCan, can, SYSTEM_ACTOR, type Actor } from '../../platform/policy.js';
import { isChainWide } from '../../platform/scope.js';
import { registerSearchProvider } from '../../platform/search.js';
import { budgetLinesOfProject } from '../budget/service.js';
import { getDevice, openHighFindingsForDevices } from '../devices/service.js';
import { getPlan } from '../devices/plans.js';
import { changeState as changeIdeaState, getIdea } from '../ideas/service.js';
import { departments, people, stores } from '../people/schema.js';
import { getRequest } from '../requests/service.js';
import { projectEvents, projectGates, projectGateTemplates, projectLinks, projectMilestones, projects, projectSignoffs, projectStores } from './schema.js';

const owner = alias(people, 'project_owner');
const itContact = alias(people, 'project_it_contact');
const personId = (actor: Actor) => (actor.via === 'system' ? null : actor.id);
const txCtx = (ctx: AppContext, tx: DbOrTx): AppContext => ({ ...ctx, db: tx as unknown as Db });
const today = () => new Date().toISOString().slice(0, 10);

const projectNotFound = (idOrRef: string) => new AppError(404, 'not_found', `Project ${idOrRef} not found`, [{ field: 'id', message: 'no project with this id or reference' }]);

// ------------------------------------------------------------------ scope

/**
 * Which projects this actor sees: everyone with project access sees the chain's projects; people
 * attached to stores see the projects that roll out to one of their stores. One condition for list,
 * export, search, home and agenda.
 */
export function projectsVisibleSql(actor: Actor): SQL {
  if (!can(actor, 'projects:read')) return sql`false`;
  if (isChainWide(actor)) return sql`true`;
  if (!actor.storeIds!.length) return sql`false`;
  return sql`exists (select 1 from project_stores ps where ps.project_id = ${projects.id} and ps.store_id in (${sql.join(
    actor.storeIds!.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}))`;
}

// ------------------------------------------------------------------ templates

export async function gateTemplates(db: DbOrTx): Promise<Record<ProjectType, Record<Gate, { items: string[]; updatedAt: string | null }>>> {
  const rows = await db.select().from(projectGateTemplates);
  const out = {} as Record<ProjectType, Record<Gate, { items: string[]; updatedAt: string | null }>>;
  for (const type of PROJECT_TYPES) {
    out[type] = {} as Record<Gate, { items: string[]; updatedAt: string | null }>;
    for (const gate of GATES) {
      const row = rows.find((r) => r.type === type && r.gate === gate);
      out[type][gate] = row ? { items: row.items, updatedAt: row.updatedAt.toISOString() } : { items: DEFAULT_GATE_TEMPLATES[type][gate], updatedAt: null };
    }
  }
  return out;
}

export async function listTemplates(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'projects:read');
  const all = await gateTemplates(ctx.db);
  return { items: PROJECT_TYPES.flatMap((type) => GATES.map((gate) => ({ type, gate, ...all[type][gate] }))) };
}

/** Admins edit a template; projects created afterwards start from it (running projects keep theirs). */
export async function putTemplate(ctx: AppContext, actor: Actor, input: z.infer<typeof templatePut>) {
  assertCan(actor, 'projects:templates');
  const seen = new Map<string, number>();
  input.items.forEach((item, i) => {
    const key = item.toLowerCase();
    if (seen.has(key)) throw invalid(`items.${i}`, `is the same as item ${seen.get(key)! + 1}`);
    seen.set(key, i);
  });
  return ctx.db.transaction(async (tx) => {
    const before = (await gateTemplates(tx))[input.type][input.gate];
    await tx
      .insert(projectGateTemplates)
      .values({ type: input.type, gate: input.gate, items: input.items })
      .onConflictDoUpdate({ target: [projectGateTemplates.type, projectGateTemplates.gate], set: { items: input.items, updatedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'project_gate_template',
      entityId: null,
      summary: `Changed the ${stageName(input.gate)} checklist for ${PROJECT_TYPE_LABELS[input.type].toLowerCase()} projects (${input.items.length} items)`,
      before: { items: before.items },
      after: { items: input.items },
    });
    const after = (await gateTemplates(tx))[input.type][input.gate];
    return { type: input.type, gate: input.gate, ...after };
  });
}

// ------------------------------------------------------------------ reading

const storesTotalSql = sql<number>`(select count(*)::int from project_stores ps where ps.project_id = ${projects.id})`;
const storesDoneSql = sql<number>`(select count(*)::int from project_stores ps where ps.project_id = ${projects.id} and ps.status = 'done')`;

const projectColumns = {
  id: projects.id,
  number: projects.number,
  title: projects.title,
  description: projects.description,
  type: projects.type,
  stage: projects.stage,
  ownerId: projects.ownerId,
  ownerName: owner.name,
  itContactId: projects.itContactId,
  itContactName: itContact.name,
  estimatedCostCents: projects.estimatedCostCents,
  storesTotal: storesTotalSql,
  storesDone: storesDoneSql,
  targetDate: projects.targetDate,
  stageSince: projects.stageSince,
  stoppedReason: projects.stoppedReason,
  createdAt: projects.createdAt,
  updatedAt: projects.updatedAt,
};
type ProjectRow = {
  id: string;
  number: number;
  title: string;
  description: string;
  type: string;
  stage: string;
  ownerId: string;
  ownerName: string | null;
  itContactId: string | null;
  itContactName: string | null;
  estimatedCostCents: number | null;
  storesTotal: number;
  storesDone: number;
  targetDate: string | null;
  stageSince: Date;
  stoppedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
};
 
const joinRefs = (q: any) => q.innerJoin(owner, eq(owner.id, projects.ownerId)).leftJoin(itContact, eq(itContact.id, projects.itContactId));

function present(r: ProjectRow) {
  return {
    id: r.id,
    number: r.number,
    ref: projectRef(r.number),
    title: r.title,
    description: r.description,
    type: r.type as ProjectType,
    stage: r.stage as ProjectStage,
    ownerId: r.ownerId,
    ownerName: r.ownerName ?? '',
    itContactId: r.itContactId,
    itContactName: r.itContactName,
    estimatedCostCents: r.estimatedCostCents == null ? null : Number(r.estimatedCostCents),
    storesTotal: Number(r.storesTotal),
    storesDone: Number(r.storesDone),
    targetDate: r.targetDate,
    stageSince: new Date(r.stageSince).toISOString(),
    stoppedReason: r.stoppedReason,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function listWhere(actor: Actor, query: Partial<z.infer<typeof projectListQuery>>) {
  const q = query.q?.trim();
  const number = q ? refNumber('PRJ', q, { bare: true }) : undefined;
  return and(
    projectsVisibleSql(actor),
    q ? or(ilike(projects.title, containsPattern(q)), ilike(projects.description, containsPattern(q)), number !== undefined ? eq(projects.number, number) : undefined) : undefined,
    query.stage ? eq(projects.stage, query.stage) : undefined,
    query.type ? eq(projects.type, query.type) : undefined,
    query.atGate === true ? inArray(projects.stage, [...GATES]) : undefined,
  );
}
const SORTS = { number: projects.number, updatedAt: projects.updatedAt, title: projects.title, stage: projects.stage };

export async function listProjects(ctx: AppContext, actor: Actor, query: z.infer<typeof projectListQuery>) {
  assertCan(actor, 'projects:read');
  const page = await paginate<ProjectRow, typeof query.sort>(ctx.db, {
    table: projects,
    select: projectColumns,
    joins: joinRefs,
    where: listWhere(actor, query),
    sortColumns: SORTS,
    idColumn: projects.id,
    params: query,
  });
  return { ...page, items: page.items.map(present) };
}

export async function exportProjects(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof projectListQuery>>) {
  assertCan(actor, 'projects:read');
  const direction = query.order === 'asc' ? asc : desc;
  const rows = (await joinRefs(ctx.db.select(projectColumns).from(projects))
    .where(listWhere(actor, query))
    .orderBy(direction(SORTS[query.sort ?? 'number']), direction(projects.id))) as ProjectRow[];
  return rows.map(present);
}

async function resolveProject(db: DbOrTx, actor: Actor, idOrRef: string, lock = false) {
  const number = refNumber('PRJ', idOrRef, { bare: true });
  const where = number !== undefined ? eq(projects.number, number) : /^[0-9a-f-]{36}$/i.test(idOrRef) ? eq(projects.id, idOrRef) : sql`false`;
  const q = db.select().from(projects).where(and(where, projectsVisibleSql(actor)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw projectNotFound(idOrRef);
  return row;
}

/** For other modules (budget lines): the project's id and reference, when the actor may see it. */
export async function findProject(ctx: AppContext, actor: Actor, idOrRef: string): Promise<{ id: string; ref: string; title: string } | null> {
  const number = refNumber('PRJ', idOrRef, { bare: true });
  const where = number !== undefined ? eq(projects.number, number) : /^[0-9a-f-]{36}$/i.test(idOrRef) ? eq(projects.id, idOrRef) : sql`false`;
  const [row] = await ctx.db.select({ id: projects.id, number: projects.number, title: projects.title }).from(projects).where(and(where, projectsVisibleSql(actor)));
  return row ? { id: row.id, ref: projectRef(row.number), title: row.title } : null;
}

/** Active leads (and admins) of a department kind: the people who sign a side of a gate. */
async function signersOf(db: DbOrTx, kind: DepartmentKind) {
  return db
    .select({ id: people.id, name: people.name })
    .from(people)
    .innerJoin(departments, eq(departments.id, people.departmentId))
    .where(and(eq(departments.kind, kind), eq(people.active, true), inArray(people.role, ['lead', 'admin']), sql`${people.storeId} is null`))
    .orderBy(asc(people.name));
}

/** The side of a gate this actor signs, if any: a lead (or admin) of the department kind that signs it. */
export function signingSide(actor: Actor, gate: Gate): SignSide | null {
  if (!can(actor, 'projects:signoff')) return null;
  if (actor.role !== 'lead' && actor.role !== 'admin') return null;
  const kind = actor.department?.kind;
  if (!kind || !isChainWide(actor)) return null;
  return SIGN_SIDES.find((side) => gateSignerKind(gate, side) === kind) ?? null;
}

/**
 * The facts that stop a gate now: open checklist items, open high findings on the project's devices
 * (security), camera plans over a store's uplink or PoE budget (capacity), no budget line (budget).
 * Checked as the system, so a signer's own scope never hides a fact.
 */
export async function gateBlockers(ctx: AppContext, projectId: string, gate: Gate): Promise<Blocker[]> {
  const out: Blocker[] = [];
  const [g] = await ctx.db.select().from(projectGates).where(and(eq(projectGates.projectId, projectId), eq(projectGates.gate, gate)));
  const open = (g?.checklist ?? []).filter((i) => !i.done);
  if (open.length) out.push({ code: 'checklist', message: `${open.length} checklist item${open.length === 1 ? '' : 's'} open: ${open.map((i) => i.label).join('; ')}`, link: null });
  const links = await ctx.db.select().from(projectLinks).where(eq(projectLinks.projectId, projectId));
  if (gate === 'security_review') {
    const deviceIds = links.filter((l) => l.kind === 'device').map((l) => l.targetId);
    const findings = await openHighFindingsForDevices(ctx, SYSTEM_ACTOR, deviceIds);
    for (const f of findings) {
      out.push({ code: 'finding', message: `${f.ref}: open ${f.severity} finding on ${f.deviceName} (${f.storeCode}) — ${f.detail}`, link: `/devices/${f.deviceId}` });
    }
  }
  if (gate === 'capacity_review') {
    for (const l of links.filter((x) => x.kind === 'camera_plan')) {
      const plan = await getPlan(ctx, SYSTEM_ACTOR, l.targetId).catch(() => null);
      if (!plan) continue;
      const f = plan.figures;
      if (f.overUplink)
        out.push({ code: 'uplink', message: `Camera plan “${plan.name}” (${plan.storeCode}) needs ${f.uplinkNeededMbps} Mbps of uplink; the store has ${f.uplinkMbps} Mbps`, link: `/devices/planner` });
      if (f.overPoe)
        out.push({
          code: 'poe',
          message: `Camera plan “${plan.name}” (${plan.storeCode}) draws ${Math.round((f.poeWatts + f.existingPoeWatts) * 10) / 10} W of PoE with what is installed; the switch budget is ${f.poeBudgetW} W`,
          link: `/devices/planner`,
        });
    }
  }
  if (gate === 'budget_approval') {
    const lines = await budgetLinesOfProject(ctx.db, projectId);
    if (!lines.length) out.push({ code: 'budget', message: 'No IT budget line funds this project yet', link: '/budget' });
  }
  return out;
}

async function linkDetails(ctx: AppContext, actor: Actor, links: Array<typeof projectLinks.$inferSelect>) {
  const out: ProjectDetail['links'] = [];
  for (const l of links) {
    const base = { id: l.id, kind: l.kind as ProjectDetail['links'][number]['kind'], targetId: l.targetId };
    try {
      if (l.kind === 'request') {
        const r = await getRequest(ctx, actor, l.targetId);
        out.push({ ...base, ref: r.ref, title: r.title, detail: `${r.fromDepartmentName} → ${r.toDepartmentName} · ${r.status.replace(/_/g, ' ')}`, link: `/requests/${r.ref}` });
      } else if (l.kind === 'idea') {
        const i = await getIdea(ctx, actor, l.targetId);
        out.push({ ...base, ref: i.ref, title: i.title, detail: IDEA_STATE_LABELS[i.state as IdeaState], link: `/ideas/${i.ref}` });
      } else if (l.kind === 'device') {
        const d = await getDevice(ctx, actor, l.targetId);
        out.push({ ...base, ref: null, title: d.name, detail: `${d.vendor} ${d.model} · ${d.storeCode}`, link: `/devices/${d.id}` });
      } else if (l.kind === 'camera_plan') {
        const p = await getPlan(ctx, actor, l.targetId);
        const f = p.figures;
        out.push({
          ...base,
          ref: null,
          title: p.name,
          detail: `${p.storeCode} · ${f.cameras} cameras · ${f.uplinkNeededMbps}/${f.uplinkMbps} Mbps uplink${f.poeBudgetW != null ? ` · ${Math.round(f.poeWatts + f.existingPoeWatts)}/${f.poeBudgetW} W PoE` : ''}${f.overUplink || f.overPoe ? ' · over budget' : ''}`,
          link: `/devices/planner`,
        });
      }
    } catch {
      out.push({ ...base, ref: null, title: `${PROJECT_LINK_LABELS[l.kind as keyof typeof PROJECT_LINK_LABELS]} you cannot open`, detail: 'Outside your access', link: null });
    }
  }
  return out;
}

async function detailOf(ctx: AppContext, actor: Actor, id: string): Promise<ProjectDetail> {
  const [row] = (await joinRefs(ctx.db.select(projectColumns).from(projects)).where(eq(projects.id, id))) as ProjectRow[];
  if (!row) throw projectNotFound(id);
  const p = present(row);
  const signer = alias(people, 'signer');
  const [gates, signoffs, milestones, storeRows, links, events, budgetLines] = await readAll(ctx.db, [
    () => ctx.db.select().from(projectGates).where(eq(projectGates.projectId, id)),
    () => ctx.db.select({ s: projectSignoffs, name: signer.name }).from(projectSignoffs).innerJoin(signer, eq(signer.id, projectSignoffs.personId)).where(eq(projectSignoffs.projectId, id)),
    () => ctx.db.select().from(projectMilestones).where(eq(projectMilestones.projectId, id)).orderBy(asc(projectMilestones.dueDate), asc(projectMilestones.position)),
    () =>
      ctx.db
        .select({ storeId: projectStores.storeId, storeCode: stores.code, storeName: stores.name, status: projectStores.status, doneOn: projectStores.doneOn })
        .from(projectStores)
        .innerJoin(stores, eq(stores.id, projectStores.storeId))
        .where(eq(projectStores.projectId, id))
        .orderBy(asc(stores.code)),
    () => ctx.db.select().from(projectLinks).where(eq(projectLinks.projectId, id)).orderBy(asc(projectLinks.createdAt)),
    () => ctx.db.select({ e: projectEvents, actorName: people.name }).from(projectEvents).leftJoin(people, eq(people.id, projectEvents.actorId)).where(eq(projectEvents.projectId, id)).orderBy(desc(projectEvents.createdAt), desc(projectEvents.id)),
    () => budgetLinesOfProject(ctx.db, id),
  ]);
  const roadIndex = PROJECT_ROAD.indexOf(p.stage);
  const gateViews: ProjectDetail['gates'] = [];
  for (const gate of GATES) {
    const g = gates.find((x) => x.gate === gate);
    const current = p.stage === gate;
    const state = g?.passedAt ? 'passed' : current ? 'current' : roadIndex > PROJECT_ROAD.indexOf(gate) ? 'passed' : 'waiting';
    const sides = [];
    for (const side of SIGN_SIDES) {
      const s = signoffs.find((x) => x.s.gate === gate && x.s.side === side);
      const waiting = current && s?.s.decision !== 'approved' ? (await signersOf(ctx.db, gateSignerKind(gate, side))).map((x) => x.name) : [];
      sides.push({ side, label: SIDE_LABELS[gate][side], decision: (s?.s.decision ?? null) as 'approved' | 'refused' | null, personName: s?.name ?? null, reason: s?.s.reason ?? null, at: s ? s.s.at.toISOString() : null, waitingOn: waiting });
    }
    const mySide = current ? signingSide(actor, gate) : null;
    gateViews.push({
      gate,
      label: PROJECT_STAGE_LABELS[gate],
      state,
      passedAt: g?.passedAt ? g.passedAt.toISOString() : null,
      checklist: (g?.checklist ?? []).map((i) => ({ label: i.label, done: i.done, doneByName: i.doneByName, doneAt: i.doneAt })),
      signoffs: sides,
      blockers: current ? await gateBlockers(ctx, id, gate) : [],
      canSign: mySide,
    });
  }
  const editable = can(actor, 'projects:manage');
  return {
    ...p,
    gates: gateViews,
    milestones: milestones.map((m) => ({ id: m.id, title: m.title, dueDate: m.dueDate, doneOn: m.doneOn })),
    stores: storeRows.map((s) => ({ ...s, status: s.status as 'planned' | 'in_progress' | 'done' })),
    links: await linkDetails(ctx, actor, links),
    budgetLines: budgetLines.map((b) => ({ id: b.id, ref: b.ref, fiscalYear: b.fiscalYear, title: b.title, kind: b.kind, amountCents: b.amountCents })),
    events: events.map(({ e, actorName }) => ({
      id: e.id,
      kind: e.kind,
      gate: e.gate,
      fromStage: e.fromStage,
      toStage: e.toStage,
      decision: e.decision,
      body: e.body,
      actorName,
      at: e.createdAt.toISOString(),
    })),
    can: { edit: editable, moves: editable ? manualMoves(p.stage) : [] },
  };
}

export async function getProject(ctx: AppContext, actor: Actor, idOrRef: string) {
  assertCan(actor, 'projects:read');
  const row = await resolveProject(ctx.db, actor, idOrRef);
  return detailOf(ctx, actor, row.id);
}

// ------------------------------------------------------------------ writing

/** Stage moves a project's team makes by hand; gates are left only by both sign-offs (or by stopping). */
function manualMoves(stage: ProjectStage): ProjectStage[] {
  const moves: Partial<Record<ProjectStage, ProjectStage[]>> = {
    proposal: ['security_review', 'stopped'],
    security_review: ['stopped'],
    capacity_review: ['stopped'],
    budget_approval: ['stopped'],
    pilot: ['rollout', 'stopped'],
    rollout: ['done', 'stopped'],
    stopped: ['proposal'],
  };
  return moves[stage] ?? [];
}

async function addEvent(tx: DbOrTx, actor: Actor, projectId: string, e: Omit<typeof projectEvents.$inferInsert, 'id' | 'projectId' | 'actorId'>) {
  await tx.insert(projectEvents).values({ id: uuidv7(), projectId, actorId: personId(actor), ...e });
}

async function assertPerson(tx: DbOrTx, field: string, id: string, kinds?: DepartmentKind[]) {
  const [p] = await tx.select({ id: people.id, active: people.active, kind: departments.kind }).from(people).leftJoin(departments, eq(departments.id, people.departmentId)).where(eq(people.id, id));
  if (!p || !p.active) throw invalid(field, 'no such active person');
  if (kinds && (!p.kind || !kinds.includes(p.kind as DepartmentKind))) throw invalid(field, `must be someone in ${kinds.map((k) => k.toUpperCase()).join(' or ')}`);
}

async function assertStores(tx: DbOrTx, field: string, ids: string[]) {
  if (!ids.length) return;
  const found = await tx.select({ id: stores.id }).from(stores).where(inArray(stores.id, ids));
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw invalid(field, `${missing.length} unknown store${missing.length === 1 ? '' : 's'}`);
}

/** Tells the people who sign the gate the project has just reached. */
async function notifyGate(ctx: AppContext, tx: DbOrTx, actor: Actor, project: { id: string; number: number; title: string }, gate: Gate) {
  const recipients = [];
  for (const side of SIGN_SIDES) recipients.push(...(await signersOf(tx, gateSignerKind(gate, side))).map((s) => s.id));
  await ctx.notifier.notify(tx, {
    kind: 'project_gate',
    recipients,
    actorId: personId(actor),
    title: `${projectRef(project.number)} waits at the ${stageName(gate)}: ${project.title}`,
    body: `The project needs the sign-off of an ${SIDE_LABELS[gate].lp} and an ${SIDE_LABELS[gate].it}. Check the checklist and the facts on the gate panel, then approve or refuse with a reason.`,
    link: `/projects/${projectRef(project.number)}`,
    recordRef: projectRef(project.number),
  });
}

export async function createProject(ctx: AppContext, actor: Actor, input: z.infer<typeof projectInput>) {
  assertCan(actor, 'projects:propose');
  if (actor.via === 'system') throw forbidden('A project needs a person as its owner');
  return ctx.db.transaction(async (tx) => {
    if (input.itContactId) await assertPerson(tx, 'itContactId', input.itContactId, ['it', 'infosec']);
    const storeIds = [...new Set(input.storeIds)];
    await assertStores(tx, 'storeIds', storeIds);
    const id = uuidv7();
    const [row] = await tx
      .insert(projects)
      .values({ id, title: input.title, description: input.description, type: input.type, ownerId: actor.id, itContactId: input.itContactId, estimatedCostCents: input.estimatedCostCents, targetDate: input.targetDate })
      .returning({ number: projects.number });
    const templates = (await gateTemplates(tx))[input.type];
    await tx.insert(projectGates).values(GATES.map((gate) => ({ projectId: id, gate, checklist: templates[gate].items.map((label) => ({ label, done: false, doneBy: null, doneByName: null, doneAt: null })) })));
    if (storeIds.length) await tx.insert(projectStores).values(storeIds.map((storeId) => ({ projectId: id, storeId })));
    await addEvent(tx, actor, id, { kind: 'created', toStage: 'proposal', body: `Proposed as a ${PROJECT_TYPE_LABELS[input.type].toLowerCase()} project` });
    await recordAudit(tx, actor, { action: 'create', entity: 'project', entityId: id, summary: `Proposed ${projectRef(row.number)} "${input.title}"`, after: input });
    return detailOf(txCtx(ctx, tx), actor, id);
  });
}

export async function updateProject(ctx: AppContext, actor: Actor, idOrRef: string, patch: z.infer<typeof projectPatch>) {
  assertCan(actor, 'projects:manage');
  return ctx.db.transaction(async (tx) => {
    const before = await resolveProject(tx, actor, idOrRef, true);
    if (patch.itContactId) await assertPerson(tx, 'itContactId', patch.itContactId, ['it', 'infosec']);
    const diff = changedFields(before as Record<string, unknown>, patch as Record<string, unknown>);
    if (diff.changed.length) {
      await tx.update(projects).set({ ...patch, updatedAt: new Date() }).where(eq(projects.id, before.id));
      await recordAudit(tx, actor, { action: 'update', entity: 'project', entityId: before.id, summary: `Updated ${projectRef(before.number)}: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    }
    return detailOf(txCtx(ctx, tx), actor, before.id);
  });
}

/** Moves linked ideas along with the project: in progress while it runs, done when it is done. */
async function moveLinkedIdeas(ctx: AppContext, tx: DbOrTx, project: { id: string; number: number; ownerId: string }, to: 'in_progress' | 'done', ideaIds?: string[]) {
  const ids = ideaIds ?? (await tx.select({ id: projectLinks.targetId }).from(projectLinks).where(and(eq(projectLinks.projectId, project.id), eq(projectLinks.kind, 'idea')))).map((l) => l.id);
  const inner = txCtx(ctx, tx);
  for (const ideaId of ids) {
    const idea = await getIdea(inner, SYSTEM_ACTOR, ideaId);
    const reason = `${to === 'done' ? 'Done with' : 'Taken up by'} project ${projectRef(project.number)}`;
    // The steps an idea takes to get there; declined and duplicate ideas stay where they are.
    const path: Partial<Record<IdeaState, IdeaState[]>> =
      to === 'in_progress'
        ? { submitted: ['under_review', 'accepted', 'in_progress'], under_review: ['accepted', 'in_progress'], accepted: ['in_progress'] }
        : { submitted: ['under_review', 'accepted', 'in_progress', 'done'], under_review: ['accepted', 'in_progress', 'done'], accepted: ['in_progress', 'done'], in_progress: ['done'] };
    for (const state of path[idea.state as IdeaState] ?? []) {
      await changeIdeaState(inner, SYSTEM_ACTOR, idea.id, { state, reason, ownerId: state === 'in_progress' && !idea.owner ? project.ownerId : undefined });
    }
  }
}

export async function changeStage(ctx: AppContext, actor: Actor, idOrRef: string, input: z.infer<typeof stageChangeInput>) {
  assertCan(actor, 'projects:manage');
  return ctx.db.transaction(async (tx) => {
    const p = await resolveProject(tx, actor, idOrRef, true);
    const from = p.stage as ProjectStage;
    const to = input.to;
    if (!manualMoves(from).includes(to)) {
      const why = isGate(from) && to === nextStage(from) ? `it passes the ${stageName(from)} when both leads sign off` : `from ${stageName(from)} it can move to ${manualMoves(from).map((s) => stageName(s)).join(' or ') || 'nothing'}`;
      throw conflict('to', `${projectRef(p.number)} is at ${stageName(from)}; ${why}`);
    }
    if (to === 'stopped' && !input.reason) throw invalid('reason', 'is required when stopping a project');
    const now = new Date();
    await tx.update(projects).set({ stage: to, stageSince: now, updatedAt: now, stoppedReason: to === 'stopped' ? input.reason! : null }).where(eq(projects.id, p.id));
    await addEvent(tx, actor, p.id, { kind: 'stage', fromStage: from, toStage: to, body: input.reason ?? '' });
    if (to === 'proposal') {
      // A restarted project goes through every gate again.
      await tx.update(projectGates).set({ passedAt: null }).where(eq(projectGates.projectId, p.id));
      await tx.delete(projectSignoffs).where(eq(projectSignoffs.projectId, p.id));
    }
    if (isGate(to)) await notifyGate(ctx, tx, actor, p, to);
    if (to === 'done') await moveLinkedIdeas(ctx, tx, p, 'done');
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'project',
      entityId: p.id,
      summary: `Moved ${projectRef(p.number)} from ${stageName(from)} to ${stageName(to)}${input.reason ? `: ${input.reason}` : ''}`,
      before: { stage: from },
      after: { stage: to },
    });
    await ctx.notifier.notify(tx, {
      kind: 'project_decision',
      recipients: [p.ownerId, p.itContactId],
      actorId: personId(actor),
      title: `${projectRef(p.number)} moved to ${stageName(to)}: ${p.title}`,
      body: input.reason,
      link: `/projects/${projectRef(p.number)}`,
      recordRef: projectRef(p.number),
    });
    return detailOf(txCtx(ctx, tx), actor, p.id);
  });
}

/**
 * A lead signs their side of the gate the project waits at. Refusing needs a reason. Approving needs
 * the checklist done and the facts clear (no open high findings on its devices at the security gate,
 * no camera plan over a store's uplink or PoE at the capacity gate, a budget line at the budget gate):
 * otherwise it is refused with every reason. When both sides have approved, the project moves on.
 */
export async function signoff(ctx: AppContext, actor: Actor, idOrRef: string, input: z.infer<typeof signoffInput>) {
  assertCan(actor, 'projects:signoff');
  return ctx.db.transaction(async (tx) => {
    const p = await resolveProject(tx, actor, idOrRef, true);
    const stage = p.stage as ProjectStage;
    if (!isGate(stage)) throw conflict('stage', `${projectRef(p.number)} is at ${stageName(stage)}, not waiting at a gate`);
    const side = signingSide(actor, stage);
    if (!side) throw forbidden(`The ${stageName(stage)} is signed by an ${SIDE_LABELS[stage].lp} and an ${SIDE_LABELS[stage].it}`);
    const inner = txCtx(ctx, tx);
    if (input.decision === 'refuse' && !input.reason) throw invalid('reason', 'is required when refusing a sign-off');
    if (input.decision === 'approve') {
      const blockers = await gateBlockers(inner, p.id, stage);
      if (blockers.length)
        throw new AppError(
          409,
          'gate_blocked',
          `The ${stageName(stage)} cannot pass: ${blockers.map((b) => b.message).join(' · ')}`,
          blockers.map((b) => ({ field: b.code, message: b.message })),
        );
    }
    const decision = input.decision === 'approve' ? 'approved' : 'refused';
    const now = new Date();
    await tx
      .insert(projectSignoffs)
      .values({ projectId: p.id, gate: stage, side, decision, personId: actor.id, reason: input.reason ?? null, at: now })
      .onConflictDoUpdate({ target: [projectSignoffs.projectId, projectSignoffs.gate, projectSignoffs.side], set: { decision, personId: actor.id, reason: input.reason ?? null, at: now } });
    await addEvent(tx, actor, p.id, { kind: 'signoff', gate: stage, decision, body: `${SIDE_LABELS[stage][side]}: ${decision}${input.reason ? ` — ${input.reason}` : ''}` });
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'project',
      entityId: p.id,
      summary: `${decision === 'approved' ? 'Signed off' : 'Refused'} the ${stageName(stage)} of ${projectRef(p.number)} as ${SIDE_LABELS[stage][side]}${input.reason ? `: ${input.reason}` : ''}`,
      after: { gate: stage, side, decision, reason: input.reason ?? null },
    });
    const standing = await tx.select().from(projectSignoffs).where(and(eq(projectSignoffs.projectId, p.id), eq(projectSignoffs.gate, stage)));
    const passed = SIGN_SIDES.every((s) => standing.some((x) => x.side === s && x.decision === 'approved'));
    let to: ProjectStage = stage;
    if (passed) {
      to = nextStage(stage)!;
      await tx.update(projectGates).set({ passedAt: now }).where(and(eq(projectGates.projectId, p.id), eq(projectGates.gate, stage)));
      await tx.update(projects).set({ stage: to, stageSince: now, updatedAt: now }).where(eq(projects.id, p.id));
      await addEvent(tx, actor, p.id, { kind: 'stage', gate: stage, fromStage: stage, toStage: to, body: `Passed the ${stageName(stage)}` });
      await recordAudit(tx, actor, { action: 'update', entity: 'project', entityId: p.id, summary: `${projectRef(p.number)} passed the ${stageName(stage)}`, before: { stage }, after: { stage: to } });
      if (isGate(to)) await notifyGate(ctx, tx, actor, p, to);
    } else {
      await tx.update(projects).set({ updatedAt: now }).where(eq(projects.id, p.id));
    }
    await ctx.notifier.notify(tx, {
      kind: 'project_decision',
      recipients: [p.ownerId, p.itContactId],
      actorId: personId(actor),
      title: passed
        ? `${projectRef(p.number)} passed the ${stageName(stage)}: ${p.title}`
        : `${actor.name} ${decision === 'approved' ? 'signed off' : 'refused'} the ${stageName(stage)} of ${projectRef(p.number)}`,
      body: input.reason,
      link: `/projects/${projectRef(p.number)}`,
      recordRef: projectRef(p.number),
    });
    return detailOf(inner, actor, p.id);
  });
}

export async function tickChecklist(ctx: AppContext, actor: Actor, idOrRef: string, input: z.infer<typeof checklistTick>) {
  assertCan(actor, 'projects:manage');
  return ctx.db.transaction(async (tx) => {
    const p = await resolveProject(tx, actor, idOrRef, true);
    const [g] = await tx.select().from(projectGates).where(and(eq(projectGates.projectId, p.id), eq(projectGates.gate, input.gate))).for('update');
    if (!g) throw notFound('Gate');
    if (g.passedAt) throw conflict('gate', `The ${stageName(input.gate)} has passed; its checklist is closed`);
    const item = g.checklist[input.index];
    if (!item) throw invalid('index', `the checklist has ${g.checklist.length} items`);
    if (item.done === input.done) return detailOf(txCtx(ctx, tx), actor, p.id);
    const now = new Date().toISOString();
    const checklist = g.checklist.map((x, i) => (i === input.index ? { ...x, done: input.done, doneBy: input.done ? personId(actor) : null, doneByName: input.done ? actor.name : null, doneAt: input.done ? now : null } : x));
    await tx.update(projectGates).set({ checklist }).where(and(eq(projectGates.projectId, p.id), eq(projectGates.gate, input.gate)));
    await tx.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, p.id));
    await addEvent(tx, actor, p.id, { kind: 'checklist', gate: input.gate, body: `${input.done ? 'Ticked' : 'Unticked'} “${item.label}”` });
    await recordAudit(tx, actor, { action: 'update', entity: 'project', entityId: p.id, summary: `${input.done ? 'Ticked' : 'Unticked'} “${item.label}” at the ${stageName(input.gate)} of ${projectRef(p.number)}`, before: { done: item.done }, after: { done: input.done } });
    return detailOf(txCtx(ctx, tx), actor, p.id);
  });
}

/**
 * The latest day a milestone or store may be done on: today, with a day's grace for people whose
 * day starts before UTC's.
 */
const latestDoneDay = () => new Date(Date.now() + 86400000).toISOString().slice(0, 10);

export async function setMilestones(ctx: AppContext, actor: Actor, idOrRef: string, input: z.infer<typeof milestonesInput>) {
  assertCan(actor, 'projects:manage');
  return ctx.db.transaction(async (tx) => {
    const p = await resolveProject(tx, actor, idOrRef, true);
    const before = await tx.select().from(projectMilestones).where(eq(projectMilestones.projectId, p.id));
    const latest = latestDoneDay();
    const titles = new Map<string, number>();
    const ids = new Set<string>();
    input.items.forEach((m, i) => {
      if (m.id !== undefined) {
        if (!before.some((b) => b.id === m.id)) throw invalid(`items.${i}.id`, 'is not a milestone of this project');
        if (ids.has(m.id)) throw invalid(`items.${i}.id`, 'is listed twice');
        ids.add(m.id);
      }
      const key = m.title.toLowerCase();
      if (titles.has(key)) throw invalid(`items.${i}.title`, `milestone ${titles.get(key)! + 1} has the same title`);
      titles.set(key, i);
      if (m.doneOn && m.doneOn > latest) throw invalid(`items.${i}.doneOn`, 'cannot be in the future');
    });
    await tx.delete(projectMilestones).where(eq(projectMilestones.projectId, p.id));
    const rows = input.items.map((m, i) => ({ id: m.id ?? uuidv7(), projectId: p.id, title: m.title, dueDate: m.dueDate, doneOn: m.doneOn, position: i }));
    if (rows.length) await tx.insert(projectMilestones).values(rows);
    // The same milestone before: by id, or by title for callers that send none.
    const previous = (m: (typeof input.items)[number]) => (m.id ? before.find((b) => b.id === m.id) : before.find((b) => b.title === m.title));
    const newlyDone = input.items.filter((m) => m.doneOn && !previous(m)?.doneOn);
    for (const m of newlyDone) await addEvent(tx, actor, p.id, { kind: 'milestone', body: `Milestone reached: ${m.title} (${m.doneOn})` });
    await tx.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, p.id));
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'project',
      entityId: p.id,
      summary: `Updated the milestones of ${projectRef(p.number)} (${input.items.length})`,
      before: before.map((b) => ({ title: b.title, dueDate: b.dueDate, doneOn: b.doneOn })),
      after: input.items.map((m) => ({ title: m.title, dueDate: m.dueDate, doneOn: m.doneOn })),
    });
    return detailOf(txCtx(ctx, tx), actor, p.id);
  });
}

export async function setStores(ctx: AppContext, actor: Actor, idOrRef: string, input: z.infer<typeof storesInput>) {
  assertCan(actor, 'projects:manage');
  return ctx.db.transaction(async (tx) => {
    const p = await resolveProject(tx, actor, idOrRef, true);
    const before = await tx.select().from(projectStores).where(eq(projectStores.projectId, p.id));
    const ids = input.items.map((i) => i.storeId);
    const known = new Map((ids.length ? await tx.select({ id: stores.id, code: stores.code, active: stores.active }).from(stores).where(inArray(stores.id, ids)) : []).map((k) => [k.id, k]));
    const wasOn = new Set(before.map((b) => b.storeId));
    const firstAt = new Map<string, number>();
    const latest = latestDoneDay();
    input.items.forEach((item, i) => {
      const store = known.get(item.storeId);
      if (!store) throw invalid(`items.${i}.storeId`, 'no such store');
      const first = firstAt.get(item.storeId);
      if (first !== undefined) throw invalid(`items.${i}.storeId`, `${store.code} is already store ${first + 1} of the list`);
      firstAt.set(item.storeId, i);
      // A store that has closed stays on a project that already covers it, but is not added anew.
      if (!store.active && !wasOn.has(item.storeId)) throw invalid(`items.${i}.storeId`, `${store.code} is inactive`);
      if (item.doneOn && item.status !== 'done') throw invalid(`items.${i}.doneOn`, `only a store marked done has a done date (${store.code} is ${item.status.replace('_', ' ')})`);
      if (item.doneOn && item.doneOn > latest) throw invalid(`items.${i}.doneOn`, 'cannot be in the future');
    });
    await tx.delete(projectStores).where(eq(projectStores.projectId, p.id));
    const day = today();
    if (input.items.length)
      await tx.insert(projectStores).values(input.items.map((i) => ({ projectId: p.id, storeId: i.storeId, status: i.status, doneOn: i.status === 'done' ? (i.doneOn ?? before.find((b) => b.storeId === i.storeId)?.doneOn ?? day) : null })));
    const done = input.items.filter((i) => i.status === 'done').length;
    const wasDone = before.filter((b) => b.status === 'done').length;
    if (done !== wasDone) await addEvent(tx, actor, p.id, { kind: 'rollout', body: `Roll-out: ${done} / ${input.items.length} stores done` });
    await tx.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, p.id));
    await recordAudit(tx, actor, { action: 'update', entity: 'project', entityId: p.id, summary: `Updated the stores of ${projectRef(p.number)}: ${done} / ${input.items.length} done`, before: { stores: before.length, done: wasDone }, after: { stores: input.items.length, done } });
    return detailOf(txCtx(ctx, tx), actor, p.id);
  });
}

/** Links a request, device, camera plan or idea, checked through its own module as the actor sees it. */
export async function addLink(ctx: AppContext, actor: Actor, idOrRef: string, input: z.infer<typeof linkInput>) {
  assertCan(actor, 'projects:manage');
  return ctx.db.transaction(async (tx) => {
    const p = await resolveProject(tx, actor, idOrRef, true);
    const inner = txCtx(ctx, tx);
    let targetId: string;
    let label: string;
    try {
      if (input.kind === 'request') {
        const r = await getRequest(inner, actor, input.target);
        [targetId, label] = [r.id, `${r.ref} ${r.title}`];
      } else if (input.kind === 'idea') {
        const i = await getIdea(inner, actor, input.target);
        [targetId, label] = [i.id, `${i.ref} ${i.title}`];
      } else if (input.kind === 'device') {
        const d = await getDevice(inner, actor, input.target);
        [targetId, label] = [d.id, `${d.name} (${d.storeCode})`];
      } else {
        const p = await getPlan(inner, actor, input.target);
        [targetId, label] = [p.id, `“${p.name}” (${p.storeCode})`];
      }
    } catch (err) {
      if (err instanceof AppError && (err.status === 404 || err.status === 400 || err.status === 403)) throw invalid('target', `no ${PROJECT_LINK_LABELS[input.kind].toLowerCase()} ${input.target} that you can see`);
      throw err;
    }
    const inserted = await tx.insert(projectLinks).values({ id: uuidv7(), projectId: p.id, kind: input.kind, targetId, createdBy: personId(actor) }).onConflictDoNothing().returning({ id: projectLinks.id });
    if (!inserted.length) throw conflict('target', `${input.target} is already linked to ${projectRef(p.number)}`);
    await addEvent(tx, actor, p.id, { kind: 'link', body: `Linked ${PROJECT_LINK_LABELS[input.kind].toLowerCase()} ${label}` });
    if (input.kind === 'idea' && p.stage !== 'stopped') await moveLinkedIdeas(ctx, tx, p, p.stage === 'done' ? 'done' : 'in_progress', [targetId]);
    await tx.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, p.id));
    await recordAudit(tx, actor, { action: 'update', entity: 'project', entityId: p.id, summary: `Linked ${PROJECT_LINK_LABELS[input.kind].toLowerCase()} ${label} to ${projectRef(p.number)}`, after: { kind: input.kind, targetId } });
    return detailOf(inner, actor, p.id);
  });
}

export async function removeLink(ctx: AppContext, actor: Actor, linkId: string) {
  assertCan(actor, 'projects:manage');
  return ctx.db.transaction(async (tx) => {
    const [l] = await tx.select().from(projectLinks).where(eq(projectLinks.id, linkId));
    if (!l) throw notFound('Link');
    const p = await resolveProject(tx, actor, l.projectId, true);
    await tx.delete(projectLinks).where(eq(projectLinks.id, l.id));
    await addEvent(tx, actor, p.id, { kind: 'link', body: `Removed a ${PROJECT_LINK_LABELS[l.kind as keyof typeof PROJECT_LINK_LABELS].toLowerCase()} link` });
    await recordAudit(tx, actor, { action: 'update', entity: 'project', entityId: p.id, summary: `Removed a ${l.kind.replace('_', ' ')} link from ${projectRef(p.number)}`, before: { kind: l.kind, targetId: l.targetId } });
    return detailOf(txCtx(ctx, tx), actor, p.id);
  });
}

// ------------------------------------------------------------------ waiting on people

/** Projects at a gate where this actor's side has not approved yet (what waits on them). */
export async function gatesWaitingOn(ctx: AppContext, actor: Actor) {
  if (!can(actor, 'projects:signoff')) return [];
  const rows = await ctx.db
    .select({ id: projects.id, number: projects.number, title: projects.title, stage: projects.stage, stageSince: projects.stageSince })
    .from(projects)
    .where(and(projectsVisibleSql(actor), inArray(projects.stage, [...GATES])))
    .orderBy(asc(projects.stageSince));
  const out = [];
  for (const r of rows) {
    const gate = r.stage as Gate;
    const side = signingSide(actor, gate);
    if (!side) continue;
    const [s] = await ctx.db.select().from(projectSignoffs).where(and(eq(projectSignoffs.projectId, r.id), eq(projectSignoffs.gate, gate), eq(projectSignoffs.side, side)));
    if (s?.decision === 'approved') continue;
    out.push({ ...r, gate, side, refused: s?.decision === 'refused' });
  }
  return out;
}

registerHomeContributor(async (ctx, actor) => {
  if (!can(actor, 'projects:read')) return {};
  const waiting = await gatesWaitingOn(ctx, actor);
  const actions: HomeAction[] = waiting.map((w) => ({
    kind: 'project_gate',
    label: `Sign the ${stageName(w.gate)} of ${projectRef(w.number)}`,
    detail: `${w.title} · waiting ${Math.max(0, Math.floor((Date.now() - w.stageSince.getTime()) / 86400000))} days${w.refused ? ' · you refused it earlier' : ''}`,
    href: `/projects/${projectRef(w.number)}`,
    due: null,
  }));
  const [counts] = await ctx.db
    .select({ atGate: sql<number>`count(*) filter (where ${projects.stage} in ('security_review','capacity_review','budget_approval'))::int`, running: sql<number>`count(*) filter (where ${projects.stage} in ('pilot','rollout'))::int` })
    .from(projects)
    .where(projectsVisibleSql(actor));
  return {
    actions,
    figures: [
      { label: 'Projects waiting at a gate', value: Number(counts?.atGate ?? 0), window: 'now', href: '/projects?atGate=true' },
      { label: 'Projects in pilot or roll-out', value: Number(counts?.running ?? 0), window: 'now', href: '/projects' },
    ],
  };
});

registerSearchProvider({
  kind: 'projects',
  label: 'Projects',
  order: 25,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'projects:read')) return [];
    const ref = terms.ref('PRJ');
    // The same expression as the GIN index projects_simple_search_idx.
    const document = sql`to_tsvector('simple', ${projects.title} || ' ' || ${projects.description})`;
    const query = terms.tsquery && !ref?.prefixed ? sql`to_tsquery('simple', ${terms.tsquery})` : null;
    const match = or(ref ? (ref.digits ? sql`${projects.number}::text like ${`${ref.digits}%`}` : sql`true`) : undefined, query ? sql`${document} @@ ${query}` : undefined);
    if (!match) return [];
    const rows = await ctx.db
      .select({ id: projects.id, number: projects.number, title: projects.title, stage: projects.stage, type: projects.type })
      .from(projects)
      .where(and(projectsVisibleSql(actor), match))
      .orderBy(...[ref?.exact != null ? desc(sql`${projects.number} = ${ref.exact}`) : undefined, query ? desc(sql`ts_rank(${document}, ${query})`) : undefined].filter((o) => o !== undefined), desc(projects.number))
      .limit(limit);
    return rows.map((r) => ({ id: r.id, ref: projectRef(r.number), title: r.title, subtitle: `${PROJECT_TYPE_LABELS[r.type as ProjectType]} · ${PROJECT_STAGE_LABELS[r.stage as ProjectStage]}`, link: `/projects/${projectRef(r.number)}` }));
  },
});

registerAgendaSuggester({
  kind: 'projects',
  label: 'Projects',
  async suggest(ctx, actor) {
    if (!can(actor, 'projects:read')) return [];
    const rows = await ctx.db
      .select({ id: projects.id, number: projects.number, title: projects.title, stage: projects.stage, stageSince: projects.stageSince })
      .from(projects)
      .where(and(projectsVisibleSql(actor), inArray(projects.stage, [...GATES])))
      .orderBy(asc(projects.stageSince));
    const out = [];
    for (const r of rows) {
      const gate = r.stage as Gate;
      const days = Math.max(0, Math.floor((Date.now() - r.stageSince.getTime()) / 86400000));
      const blockers = await gateBlockers(ctx, r.id, gate);
      const facts = blockers.filter((b) => b.code !== 'checklist');
      out.push({
        key: `projects:gate:${r.id}:${gate}`,
        title: `${projectRef(r.number)} at the ${stageName(gate)}: ${r.title}`,
        why: `Waiting ${days} day${days === 1 ? '' : 's'}${facts.length ? `; blocked: ${facts[0].message}${facts.length > 1 ? ` (+${facts.length - 1} more)` : ''}` : ''}`,
        link: `/projects/${projectRef(r.number)}`,
        minutes: facts.length ? 10 : 5,
        weight: 50 + Math.min(days, 60) + (facts.length ? 20 : 0),
      });
    }
    return out;
  },
});

registerNewsletterContributor({
  kind: 'projects',
  label: 'Projects',
  order: 30,
  async draft(ctx, period) {
    const inPeriod = and(sql`${projectEvents.createdAt} >= ${period.from.toISOString()}`, sql`${projectEvents.createdAt} < ${period.to.toISOString()}`);
    const events = await ctx.db
      .select({ kind: projectEvents.kind, gate: projectEvents.gate, toStage: projectEvents.toStage, body: projectEvents.body, number: projects.number, title: projects.title })
      .from(projectEvents)
      .innerJoin(projects, eq(projects.id, projectEvents.projectId))
      .where(and(inPeriod, inArray(projectEvents.kind, ['stage', 'milestone', 'rollout'])))
      .orderBy(asc(projectEvents.createdAt));
    const milestones = await ctx.db
      .select({ title: projectMilestones.title, doneOn: projectMilestones.doneOn, number: projects.number, projectTitle: projects.title })
      .from(projectMilestones)
      .innerJoin(projects, eq(projects.id, projectMilestones.projectId))
      .where(and(sql`${projectMilestones.doneOn} >= ${period.from.toISOString().slice(0, 10)}`, sql`${projectMilestones.doneOn} < ${period.to.toISOString().slice(0, 10)}`));
    const gatesPassed = events.filter((e) => e.kind === 'stage' && e.gate);
    const finished = events.filter((e) => e.kind === 'stage' && e.toStage === 'done');
    const sections = [];
    if (gatesPassed.length || milestones.length || finished.length) {
      sections.push({
        key: 'projects:progress',
        title: 'Technology projects',
        blocks: [
          { type: 'figures' as const, items: [{ label: 'Gates passed', value: String(gatesPassed.length) }, { label: 'Milestones reached', value: String(milestones.length) }, { label: 'Projects done', value: String(finished.length) }] },
          {
            type: 'items' as const,
            items: [
              ...gatesPassed.map((e) => ({ title: `${projectRef(e.number)} ${e.title}`, text: `Passed the ${stageName(e.gate as Gate)}; now at ${stageName(e.toStage as ProjectStage)}.`, link: `/projects/${projectRef(e.number)}` })),
              ...milestones.map((m) => ({ title: `${projectRef(m.number)} ${m.projectTitle}`, text: `Milestone reached: ${m.title} (${m.doneOn}).`, link: `/projects/${projectRef(m.number)}` })),
              ...finished.map((e) => ({ title: `${projectRef(e.number)} ${e.title}`, text: 'Done.', link: `/projects/${projectRef(e.number)}` })),
            ],
          },
        ],
      });
    }
    return sections;
  },
});
