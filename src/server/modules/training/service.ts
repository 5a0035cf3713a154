import { and, asc, desc, eq, gte, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { ideaRef } from '../../../contracts/ideas.js';
import {
  COVERAGE_TARGET,
  HOLD_LEVEL,
  HQ_TIME_ZONE,
  SIDE_OF_KIND,
  sessionRef,
  type Certification,
  type Coverage,
  type GuestResponse,
  type Heatmap,
  type MySkills,
  type Pairing,
  type Rating,
  type Reflection,
  type Session,
  type SessionDetail,
  type Side,
  type Skill,
  type SkillTrack,
  type Target,
  type certificationInput,
  type certificationListQuery,
  type confirmInput,
  type heatmapQuery,
  type pairingQuery,
  type ratingListQuery,
  type reflectionInput,
  type selfRatingInput,
  type sessionInput,
  type sessionListQuery,
  type sessionPatch,
  type skillInput,
  type skillPatch,
  type targetInput,
} from '../../../contracts/training.js';
import type { DepartmentKind } from '../../../contracts/roles.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { readAll, type Db, type DbOrTx } from '../../platform/db.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { paginate, refNumber } from '../../platform/list.js';
import { assertCan, can, type Actor } from '../../platform/policy.js';
import { colleagueScope } from '../../platform/scope.js';
import { registerHomeContributor } from '../home/service.js';
import { submitIdea } from '../ideas/service.js';
import { departments, people, stores } from '../people/schema.js';
import { ideas } from '../ideas/schema.js';
import { sessionCalendar, utcToZoned, zonedToUtc } from './calendar.js';
import { suggestPairings, type PairingPerson } from './pairing.js';
import {
  trainingCertifications,
  trainingRatingEvents,
  trainingRatings,
  trainingReflectionIdeas,
  trainingReflections,
  trainingSessionGuests,
  trainingSessions,
  trainingSessionSkills,
  trainingSkills,
  trainingTargets,
} from './schema.js';
import './agenda.js';
// The module's sections of the newsletter (M9), registered at import.
import './newsletter.js';

// ---------------------------------------------------------------- visibility

/**
 * Whose cross-training records an actor sees and manages: the platform's colleague scope (own
 * records, the own department's; leads manage their department; admins everyone), used by every
 * list, count, figure and export of the module.
 */
export const trainingVisibility = colleagueScope;

// ---------------------------------------------------------------- shared reads

const MATRIX_KINDS = Object.keys(SIDE_OF_KIND) as DepartmentKind[];
const actorPersonId = (actor: Actor) => (actor.via === 'system' ? null : actor.id);

export interface MatrixPerson extends PairingPerson {
  title: string;
  email: string;
  kind: DepartmentKind;
  side: Side;
  timezone: string;
  storeName: string | null;
}

/** Active people of the LP, security, IT and information-security departments, within the actor's visibility. */
async function matrixPeople(db: DbOrTx, actor: Actor | null, filters: { departmentId?: string; storeId?: string; region?: string } = {}): Promise<MatrixPerson[]> {
  const scope = actor ? trainingVisibility(actor).person(people.id) : undefined;
  const rows = await db
    .select({
      id: people.id,
      name: people.name,
      title: people.title,
      email: people.email,
      departmentId: people.departmentId,
      departmentName: departments.name,
      kind: departments.kind,
      storeId: people.storeId,
      storeName: stores.name,
      region: stores.region,
      timezone: stores.timezone,
    })
    .from(people)
    .innerJoin(departments, eq(departments.id, people.departmentId))
    .leftJoin(stores, eq(stores.id, people.storeId))
    .where(
      and(
        eq(people.active, true),
        inArray(departments.kind, MATRIX_KINDS),
        scope,
        filters.departmentId ? eq(people.departmentId, filters.departmentId) : undefined,
        filters.storeId ? eq(people.storeId, filters.storeId) : undefined,
        filters.region ? (filters.region === 'HQ' ? isNull(people.storeId) : eq(stores.region, filters.region)) : undefined,
      ),
    )
    .orderBy(departments.name, people.name);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    title: r.title,
    email: r.email,
    departmentId: r.departmentId!,
    departmentName: r.departmentName,
    kind: r.kind as DepartmentKind,
    side: SIDE_OF_KIND[r.kind as DepartmentKind]!,
    storeId: r.storeId,
    storeName: r.storeName,
    region: r.region ?? 'HQ',
    timezone: r.timezone ?? HQ_TIME_ZONE,
  }));
}

type TargetRow = { skillId: string; departmentId: string | null; title: string | null; level: number };

/** The target that applies to a person: department and title, then title, then department, then everyone. */
function targetFor(targets: TargetRow[], person: { departmentId: string | null; title: string }, skillId: string): number | null {
  const title = person.title.trim().toLowerCase();
  let best: { rank: number; level: number } | null = null;
  for (const t of targets) {
    if (t.skillId !== skillId) continue;
    if (t.departmentId && t.departmentId !== person.departmentId) continue;
    if (t.title && t.title.trim().toLowerCase() !== title) continue;
    const rank = (t.title ? 2 : 0) + (t.departmentId ? 1 : 0);
    if (!best || rank > best.rank) best = { rank, level: t.level };
  }
  return best?.level ?? null;
}

const allTargets = (db: DbOrTx) => db.select({ skillId: trainingTargets.skillId, departmentId: trainingTargets.departmentId, title: trainingTargets.title, level: trainingTargets.level }).from(trainingTargets);

function presentSkill(row: typeof trainingSkills.$inferSelect): Skill {
  return { id: row.id, code: row.code, name: row.name, description: row.description, track: row.track as SkillTrack, active: row.active, sortOrder: row.sortOrder };
}

const activeSkills = (db: DbOrTx, track?: SkillTrack) =>
  db
    .select()
    .from(trainingSkills)
    .where(and(eq(trainingSkills.active, true), track ? eq(trainingSkills.track, track) : undefined))
    .orderBy(asc(trainingSkills.sortOrder), asc(trainingSkills.name));

/** personId → skillId → the level the matrix uses (confirmed once confirmed, else self-rated). */
async function levelsOf(db: DbOrTx, personIds: string[]) {
  const levels = new Map<string, Map<string, { level: number; confirmed: boolean }>>();
  if (!personIds.length) return levels;
  const rows = await db.select().from(trainingRatings).where(inArray(trainingRatings.personId, personIds));
  for (const r of rows) {
    const confirmed = r.status === 'confirmed';
    if (!levels.has(r.personId)) levels.set(r.personId, new Map());
    levels.get(r.personId)!.set(r.skillId, { level: confirmed ? r.confirmedLevel! : r.selfLevel, confirmed });
  }
  return levels;
}

async function personById(db: DbOrTx, id: string, field: string) {
  const [p] = await db
    .select({ id: people.id, name: people.name, email: people.email, title: people.title, active: people.active, departmentId: people.departmentId, storeId: people.storeId, timezone: stores.timezone })
    .from(people)
    .leftJoin(stores, eq(stores.id, people.storeId))
    .where(eq(people.id, id));
  if (!p) throw invalid(field, 'no such person');
  return p;
}

// ---------------------------------------------------------------- catalogue

export async function listSkills(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'training:read');
  const rows = await ctx.db.select().from(trainingSkills).orderBy(asc(trainingSkills.sortOrder), asc(trainingSkills.name));
  return { items: rows.map(presentSkill) };
}

export async function createSkill(ctx: AppContext, actor: Actor, input: z.infer<typeof skillInput>) {
  assertCan(actor, 'training:catalogue');
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: trainingSkills.id }).from(trainingSkills).where(eq(trainingSkills.code, input.code));
    if (existing) throw conflict('code', `a skill with code ${input.code} exists`);
    const [row] = await tx.insert(trainingSkills).values({ id: uuidv7(), ...input }).returning();
    await recordAudit(tx, actor, { action: 'create', entity: 'training_skill', entityId: row.id, summary: `Added the skill "${row.name}" to the catalogue`, after: input });
    return presentSkill(row);
  });
}

export async function updateSkill(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof skillPatch>) {
  assertCan(actor, 'training:catalogue');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(trainingSkills).where(eq(trainingSkills.id, id)).for('update');
    if (!before) throw notFound('Skill');
    if (patch.code && patch.code !== before.code) {
      const [clash] = await tx.select({ id: trainingSkills.id }).from(trainingSkills).where(eq(trainingSkills.code, patch.code));
      if (clash) throw conflict('code', `a skill with code ${patch.code} exists`);
    }
    const diff = changedFields(before, patch);
    if (!diff.changed.length) return presentSkill(before);
    const [row] = await tx.update(trainingSkills).set({ ...patch, updatedAt: new Date() }).where(eq(trainingSkills.id, id)).returning();
    await recordAudit(tx, actor, { action: 'update', entity: 'training_skill', entityId: id, summary: `Changed the skill "${row.name}": ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    return presentSkill(row);
  });
}

export async function listTargets(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'training:read');
  const rows = await ctx.db
    .select({ id: trainingTargets.id, skillId: trainingTargets.skillId, skillName: trainingSkills.name, departmentId: trainingTargets.departmentId, departmentName: departments.name, title: trainingTargets.title, level: trainingTargets.level })
    .from(trainingTargets)
    .innerJoin(trainingSkills, eq(trainingSkills.id, trainingTargets.skillId))
    .leftJoin(departments, eq(departments.id, trainingTargets.departmentId))
    .orderBy(asc(trainingSkills.sortOrder), asc(trainingSkills.name), asc(departments.name), asc(trainingTargets.title));
  return { items: rows as Target[] };
}

/** Sets the target of a skill for a department and title (one target per such scope: an existing one is replaced). */
export async function setTarget(ctx: AppContext, actor: Actor, input: z.infer<typeof targetInput>) {
  assertCan(actor, 'training:catalogue');
  return ctx.db.transaction(async (tx) => {
    const [skill] = await tx.select({ id: trainingSkills.id, name: trainingSkills.name }).from(trainingSkills).where(eq(trainingSkills.id, input.skillId));
    if (!skill) throw invalid('skillId', 'no such skill');
    if (input.departmentId) {
      const [d] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, input.departmentId));
      if (!d) throw invalid('departmentId', 'no such department');
    }
    const sameScope = and(
      eq(trainingTargets.skillId, input.skillId),
      input.departmentId ? eq(trainingTargets.departmentId, input.departmentId) : isNull(trainingTargets.departmentId),
      input.title ? sql`lower(${trainingTargets.title}) = ${input.title.toLowerCase()}` : isNull(trainingTargets.title),
    );
    const [existing] = await tx.select().from(trainingTargets).where(sameScope).for('update');
    const id = existing?.id ?? uuidv7();
    if (existing) await tx.update(trainingTargets).set({ level: input.level }).where(eq(trainingTargets.id, id));
    else await tx.insert(trainingTargets).values({ id, ...input });
    await recordAudit(tx, actor, {
      action: existing ? 'update' : 'create',
      entity: 'training_target',
      entityId: id,
      summary: `Target for "${skill.name}"${input.title ? ` (${input.title})` : ''} set to ${input.level}`,
      before: existing ? { level: existing.level } : undefined,
      after: input,
    });
    return (await listTargets(ctx.db === tx ? ctx : { ...ctx, db: tx as unknown as Db }, actor)).items.find((t) => t.id === id)!;
  });
}

export async function deleteTarget(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'training:catalogue');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(trainingTargets).where(eq(trainingTargets.id, id)).returning();
    if (!row) throw notFound('Target');
    await recordAudit(tx, actor, { action: 'delete', entity: 'training_target', entityId: id, summary: `Removed a skill target (level ${row.level})`, before: row });
  });
}

// ---------------------------------------------------------------- ratings

export async function mySkills(ctx: AppContext, actor: Actor): Promise<MySkills> {
  assertCan(actor, 'training:read');
  const [me] = await ctx.db
    .select({ departmentId: people.departmentId, title: people.title, kind: departments.kind })
    .from(people)
    .leftJoin(departments, eq(departments.id, people.departmentId))
    .where(eq(people.id, actor.id));
  const confirmer = alias(people, 'confirmer');
  const [skills, ratings, targets, certifications] = await Promise.all([
    activeSkills(ctx.db),
    ctx.db.select({ r: trainingRatings, confirmedBy: confirmer.name }).from(trainingRatings).leftJoin(confirmer, eq(confirmer.id, trainingRatings.confirmedById)).where(eq(trainingRatings.personId, actor.id)),
    allTargets(ctx.db),
    certificationRows(ctx.db, eq(trainingCertifications.personId, actor.id)),
  ]);
  const bySkill = new Map(ratings.map((x) => [x.r.skillId, x]));
  return {
    inMatrix: !!me?.kind && MATRIX_KINDS.includes(me.kind as DepartmentKind),
    skills: skills.map((s) => {
      const x = bySkill.get(s.id);
      return {
        ...presentSkill(s),
        selfLevel: x?.r.selfLevel ?? null,
        confirmedLevel: x?.r.confirmedLevel ?? null,
        status: (x?.r.status as 'pending' | 'confirmed' | undefined) ?? null,
        note: x?.r.note ?? null,
        confirmedBy: x?.confirmedBy ?? null,
        target: me ? targetFor(targets, { departmentId: me.departmentId, title: me.title }, s.id) : null,
      };
    }),
    certifications,
  };
}

export async function rateSelf(ctx: AppContext, actor: Actor, input: z.infer<typeof selfRatingInput>, options: { at?: Date } = {}) {
  assertCan(actor, 'training:rate');
  const at = options.at ?? new Date();
  await ctx.db.transaction(async (tx) => {
    const [skill] = await tx.select().from(trainingSkills).where(eq(trainingSkills.id, input.skillId));
    if (!skill || !skill.active) throw invalid('skillId', 'no such skill in the catalogue');
    const [before] = await tx.select().from(trainingRatings).where(and(eq(trainingRatings.personId, actor.id), eq(trainingRatings.skillId, input.skillId))).for('update');
    await tx
      .insert(trainingRatings)
      .values({ personId: actor.id, skillId: input.skillId, selfLevel: input.level, selfRatedAt: at, status: 'pending' })
      .onConflictDoUpdate({ target: [trainingRatings.personId, trainingRatings.skillId], set: { selfLevel: input.level, selfRatedAt: at, status: 'pending' } });
    await tx.insert(trainingRatingEvents).values({ id: uuidv7(), personId: actor.id, skillId: input.skillId, kind: 'self', level: input.level, actorId: actorPersonId(actor), at });
    await recordAudit(tx, actor, {
      action: before ? 'update' : 'create',
      entity: 'training_rating',
      entityId: `${actor.id}:${input.skillId}`,
      summary: `Rated themselves ${input.level} in "${skill.name}" (awaiting a lead's confirmation)`,
      before: before ? { selfLevel: before.selfLevel, status: before.status } : undefined,
      after: { selfLevel: input.level, status: 'pending' },
    });
  });
  return mySkills(ctx, actor);
}

/** A lead confirms a self-rating or changes it; a change needs a note saying why. */
export async function confirmRating(ctx: AppContext, actor: Actor, input: z.infer<typeof confirmInput>, options: { at?: Date } = {}) {
  assertCan(actor, 'training:confirm');
  const at = options.at ?? new Date();
  return ctx.db.transaction(async (tx) => {
    const person = await personById(tx, input.personId, 'personId');
    const scope = trainingVisibility(actor);
    if (!scope.manages(person)) throw forbidden('Leads confirm ratings for their own department only');
    if (person.id === actor.id && !scope.all) throw forbidden('Your own ratings are confirmed by another lead or an admin');
    const [before] = await tx.select().from(trainingRatings).where(and(eq(trainingRatings.personId, input.personId), eq(trainingRatings.skillId, input.skillId))).for('update');
    if (!before) throw invalid('skillId', `${person.name} has not rated this skill yet`);
    if (input.level !== before.selfLevel && !input.note) throw invalid('note', 'say why when you change the level');
    const [skill] = await tx.select({ name: trainingSkills.name }).from(trainingSkills).where(eq(trainingSkills.id, input.skillId));
    await tx
      .update(trainingRatings)
      .set({ confirmedLevel: input.level, confirmedById: actorPersonId(actor), confirmedAt: at, note: input.note || null, status: 'confirmed' })
      .where(and(eq(trainingRatings.personId, input.personId), eq(trainingRatings.skillId, input.skillId)));
    await tx.insert(trainingRatingEvents).values({ id: uuidv7(), personId: input.personId, skillId: input.skillId, kind: 'confirm', level: input.level, actorId: actorPersonId(actor), note: input.note || null, at });
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'training_rating',
      entityId: `${input.personId}:${input.skillId}`,
      summary:
        input.level === before.selfLevel
          ? `Confirmed ${person.name}'s level ${input.level} in "${skill?.name}"`
          : `Changed ${person.name}'s level in "${skill?.name}" from ${before.selfLevel} to ${input.level}: ${input.note}`,
      before: { selfLevel: before.selfLevel, confirmedLevel: before.confirmedLevel, status: before.status },
      after: { confirmedLevel: input.level, status: 'confirmed', note: input.note || null },
    });
    const [row] = await ratingRows(tx, and(eq(trainingRatings.personId, input.personId), eq(trainingRatings.skillId, input.skillId)));
    return row;
  });
}

const confirmerPerson = alias(people, 'confirmer');
async function ratingRows(db: DbOrTx, where: SQL | undefined, order: 'asc' | 'desc' = 'desc'): Promise<Rating[]> {
  const rows = await db
    .select({ r: trainingRatings, personName: people.name, departmentId: people.departmentId, title: people.title, departmentName: departments.name, skillName: trainingSkills.name, confirmedBy: confirmerPerson.name })
    .from(trainingRatings)
    .innerJoin(people, eq(people.id, trainingRatings.personId))
    .leftJoin(departments, eq(departments.id, people.departmentId))
    .innerJoin(trainingSkills, eq(trainingSkills.id, trainingRatings.skillId))
    .leftJoin(confirmerPerson, eq(confirmerPerson.id, trainingRatings.confirmedById))
    .where(where)
    .orderBy(order === 'desc' ? desc(trainingRatings.selfRatedAt) : asc(trainingRatings.selfRatedAt), asc(people.name))
    .limit(100_000);
  const targets = await allTargets(db);
  return rows.map((x) => presentRating(x, targets));
}

function presentRating(
  x: { r: typeof trainingRatings.$inferSelect; personName: string; departmentId: string | null; title: string; departmentName: string | null; skillName: string; confirmedBy: string | null },
  targets: TargetRow[],
): Rating {
  const confirmed = x.r.status === 'confirmed';
  return {
    personId: x.r.personId,
    personName: x.personName,
    departmentName: x.departmentName,
    skillId: x.r.skillId,
    skillName: x.skillName,
    selfLevel: x.r.selfLevel,
    selfRatedAt: x.r.selfRatedAt.toISOString(),
    confirmedLevel: x.r.confirmedLevel,
    confirmedBy: x.confirmedBy,
    confirmedAt: x.r.confirmedAt?.toISOString() ?? null,
    note: x.r.note,
    status: x.r.status as Rating['status'],
    level: confirmed ? x.r.confirmedLevel! : x.r.selfLevel,
    target: targetFor(targets, { departmentId: x.departmentId, title: x.title }, x.r.skillId),
  };
}

function ratingWhere(actor: Actor, q: Partial<z.infer<typeof ratingListQuery>>) {
  return and(
    trainingVisibility(actor).person(sql`${trainingRatings.personId}`),
    q.status ? eq(trainingRatings.status, q.status) : undefined,
    q.personId ? eq(trainingRatings.personId, q.personId) : undefined,
    q.skillId ? eq(trainingRatings.skillId, q.skillId) : undefined,
    q.departmentId ? sql`${trainingRatings.personId} in (select dp.id from people dp where dp.department_id = ${q.departmentId})` : undefined,
    q.q ? sql`${trainingRatings.personId} in (select qp.id from people qp where qp.name ilike ${`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`})` : undefined,
  );
}

export async function listRatings(ctx: AppContext, actor: Actor, query: z.infer<typeof ratingListQuery>) {
  assertCan(actor, 'training:read');
  type Row = { id: string; r: typeof trainingRatings.$inferSelect; personName: string; departmentId: string | null; title: string; departmentName: string | null; skillName: string; confirmedBy: string | null };
  // Ratings have a composite key: the keyset tie-breaker is the "person:skill" text.
  const key = sql<string>`${trainingRatings.personId}::text || ':' || ${trainingRatings.skillId}::text`;
  const page = await paginate<Row, typeof query.sort>(ctx.db, {
    table: trainingRatings,
    select: { id: key, r: trainingRatings as never, personName: people.name, departmentId: people.departmentId, title: people.title, departmentName: departments.name, skillName: trainingSkills.name, confirmedBy: confirmerPerson.name } as never,
    joins: (q) =>
      q
        .innerJoin(people, eq(people.id, trainingRatings.personId))
        .leftJoin(departments, eq(departments.id, people.departmentId))
        .innerJoin(trainingSkills, eq(trainingSkills.id, trainingRatings.skillId))
        .leftJoin(confirmerPerson, eq(confirmerPerson.id, trainingRatings.confirmedById)),
    where: ratingWhere(actor, query),
    sortColumns: { selfRatedAt: trainingRatings.selfRatedAt, personName: people.name },
    idColumn: key as never,
    params: query,
  });
  const targets = await allTargets(ctx.db);
  return { ...page, items: page.items.map((x) => presentRating(x, targets)) };
}

export async function exportRatings(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof ratingListQuery>>) {
  assertCan(actor, 'training:read');
  return ratingRows(ctx.db, ratingWhere(actor, query), query.order ?? 'desc');
}

// ---------------------------------------------------------------- certifications

function daysBetween(fromIso: string, toIso: string) {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}
const todayIso = (now = new Date()) => now.toISOString().slice(0, 10);

async function certificationRows(db: DbOrTx, where: SQL | undefined): Promise<Certification[]> {
  const rows = await db
    .select({ c: trainingCertifications, personName: people.name })
    .from(trainingCertifications)
    .innerJoin(people, eq(people.id, trainingCertifications.personId))
    .where(where)
    .orderBy(sql`${trainingCertifications.expiresOn} asc nulls last`, asc(people.name), asc(trainingCertifications.id))
    .limit(100_000);
  return rows.map((x) => presentCertification(x.c, x.personName));
}

function presentCertification(c: typeof trainingCertifications.$inferSelect, personName: string): Certification {
  return {
    id: c.id,
    personId: c.personId,
    personName,
    name: c.name,
    issuer: c.issuer,
    issuedOn: c.issuedOn,
    expiresOn: c.expiresOn,
    remindDays: c.remindDays,
    remindedAt: c.remindedAt?.toISOString() ?? null,
    daysLeft: c.expiresOn ? daysBetween(todayIso(), c.expiresOn) : null,
  };
}

function certificationWhere(actor: Actor, q: Partial<z.infer<typeof certificationListQuery>>) {
  return and(
    trainingVisibility(actor).person(sql`${trainingCertifications.personId}`),
    q.personId ? eq(trainingCertifications.personId, q.personId) : undefined,
    q.expiringWithin !== undefined ? sql`${trainingCertifications.expiresOn} <= (current_date + ${q.expiringWithin}::int)` : undefined,
    q.q ? sql`${trainingCertifications.name} ilike ${`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined,
  );
}

export async function listCertifications(ctx: AppContext, actor: Actor, query: z.infer<typeof certificationListQuery>) {
  assertCan(actor, 'training:read');
  const page = await paginate<{ id: string; c: typeof trainingCertifications.$inferSelect; personName: string }, typeof query.sort>(ctx.db, {
    table: trainingCertifications,
    select: { id: trainingCertifications.id, c: trainingCertifications as never, personName: people.name } as never,
    joins: (q) => q.innerJoin(people, eq(people.id, trainingCertifications.personId)),
    where: certificationWhere(actor, query),
    sortColumns: { expiresOn: trainingCertifications.expiresOn, name: trainingCertifications.name },
    idColumn: trainingCertifications.id,
    params: query,
  });
  return { ...page, items: page.items.map((x) => presentCertification(x.c, x.personName)) };
}

export async function exportCertifications(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof certificationListQuery>>) {
  assertCan(actor, 'training:read');
  return certificationRows(ctx.db, certificationWhere(actor, query));
}

export async function addCertification(ctx: AppContext, actor: Actor, input: z.infer<typeof certificationInput>) {
  assertCan(actor, 'training:rate');
  return ctx.db.transaction(async (tx) => {
    const personId = input.personId ?? actor.id;
    const person = await personById(tx, personId, 'personId');
    if (person.id !== actor.id && !trainingVisibility(actor).manages(person)) throw forbidden('Leads record certifications for their own department only');
    const id = uuidv7();
    const { personId: _p, ...values } = input;
    const [row] = await tx.insert(trainingCertifications).values({ id, personId, ...values }).returning();
    await recordAudit(tx, actor, { action: 'create', entity: 'training_certification', entityId: id, summary: `Recorded ${person.name}'s certification "${input.name}"${input.expiresOn ? `, expiring ${input.expiresOn}` : ''}`, after: input });
    return presentCertification(row, person.name);
  });
}

export async function deleteCertification(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'training:rate');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(trainingCertifications).where(eq(trainingCertifications.id, id)).for('update');
    if (!row) throw notFound('Certification');
    const person = await personById(tx, row.personId, 'personId');
    if (person.id !== actor.id && !trainingVisibility(actor).manages(person)) throw forbidden('Leads manage certifications for their own department only');
    await tx.delete(trainingCertifications).where(eq(trainingCertifications.id, id));
    await recordAudit(tx, actor, { action: 'delete', entity: 'training_certification', entityId: id, summary: `Removed ${person.name}'s certification "${row.name}"`, before: row });
  });
}

/**
 * The daily reminder: claims every certification whose reminder window has opened and that has
 * not been reminded (one UPDATE … RETURNING, so two instances running it at once never both
 * claim a row) and queues one mail each, in the same transaction.
 */
export async function sendCertificationReminders(ctx: AppContext, now = new Date()): Promise<number> {
  const today = todayIso(now);
  return ctx.db.transaction(async (tx) => {
    const claimed = await tx
      .update(trainingCertifications)
      .set({ remindedAt: now })
      .where(
        and(
          isNull(trainingCertifications.remindedAt),
          sql`${trainingCertifications.expiresOn} is not null`,
          sql`${trainingCertifications.expiresOn} >= ${today}::date`,
          sql`${trainingCertifications.expiresOn} - ${trainingCertifications.remindDays} <= ${today}::date`,
          sql`${trainingCertifications.personId} in (select id from people where active)`,
        ),
      )
      .returning();
    for (const c of claimed) {
      const [p] = await tx.select({ name: people.name, email: people.email }).from(people).where(eq(people.id, c.personId));
      const days = daysBetween(today, c.expiresOn!);
      await ctx.mailer.queue(tx, {
        to: p.email,
        subject: `Your certification "${c.name}" expires in ${days} day${days === 1 ? '' : 's'}`,
        paragraphs: [
          `Hello ${p.name.split(' ')[0]},`,
          `Your certification "${c.name}"${c.issuer ? ` (${c.issuer})` : ''} expires on ${c.expiresOn}. Plan the renewal now so it does not lapse.`,
          'When you have renewed it, update the expiry date under My skills.',
        ],
        action: { label: 'Open my skills', url: `${ctx.config.publicUrl}/training` },
        kind: 'training.certification_reminder',
        relatedPersonId: c.personId,
      });
      await recordAudit(tx, null, { action: 'remind', entity: 'training_certification', entityId: c.id, summary: `Reminded ${p.name} that "${c.name}" expires on ${c.expiresOn}` });
    }
    return claimed.length;
  });
}

// ---------------------------------------------------------------- heatmap

export async function heatmap(ctx: AppContext, actor: Actor, query: z.infer<typeof heatmapQuery>): Promise<Heatmap> {
  assertCan(actor, 'training:read');
  const [persons, skills, targets] = await Promise.all([matrixPeople(ctx.db, actor, query), activeSkills(ctx.db, query.track), allTargets(ctx.db)]);
  const levels = await levelsOf(ctx.db, persons.map((p) => p.id));
  const rows = persons.map((p) => ({
    id: p.id,
    name: p.name,
    title: p.title,
    departmentName: p.departmentName,
    region: p.region,
    cells: skills.map((s) => {
      const l = levels.get(p.id)?.get(s.id);
      return { level: l?.level ?? null, target: targetFor(targets, p, s.id), confirmed: l?.confirmed ?? false };
    }),
  }));
  const bySkill = skills.map((s, i) => {
    let belowTarget = 0;
    let gap = 0;
    const holders: Array<{ id: string; name: string }> = [];
    for (const r of rows) {
      const c = r.cells[i];
      const level = c.level ?? 0;
      if (c.target !== null && level < c.target) {
        belowTarget++;
        gap += c.target - level;
      }
      if (level >= HOLD_LEVEL) holders.push({ id: r.id, name: r.name });
    }
    return { skillId: s.id, belowTarget, gap, holders, singlePointOfFailure: holders.length <= 1 };
  });
  const trend = await ratingTrend(ctx.db, persons, skills.map((s) => s.id), targets);
  const [regionRows] = await Promise.all([ctx.db.selectDistinct({ region: stores.region }).from(stores).orderBy(stores.region)]);
  return {
    skills: skills.map((s) => ({ id: s.id, code: s.code, name: s.name, track: s.track as SkillTrack })),
    people: rows,
    bySkill,
    trend,
    regions: ['HQ', ...regionRows.map((r) => r.region)],
  };
}

/** Month by month over the last 12: the level each person stood at (latest rating event by month end). */
async function ratingTrend(db: DbOrTx, persons: MatrixPerson[], skillIds: string[], targets: TargetRow[]) {
  if (!persons.length || !skillIds.length) return [];
  const events = await db
    .select({ personId: trainingRatingEvents.personId, skillId: trainingRatingEvents.skillId, level: trainingRatingEvents.level, at: trainingRatingEvents.at })
    .from(trainingRatingEvents)
    .where(and(inArray(trainingRatingEvents.personId, persons.map((p) => p.id)), inArray(trainingRatingEvents.skillId, skillIds)))
    .orderBy(asc(trainingRatingEvents.at));
  const now = new Date();
  const months: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  const current = new Map<string, number>();
  let e = 0;
  return months.map((month) => {
    const [y, m] = month.split('-').map(Number);
    const end = Date.UTC(y, m, 1);
    while (e < events.length && events[e].at.getTime() < end) {
      current.set(`${events[e].personId}:${events[e].skillId}`, events[e].level);
      e++;
    }
    let sum = 0;
    let rated = 0;
    let withTarget = 0;
    let met = 0;
    for (const p of persons) {
      for (const s of skillIds) {
        const level = current.get(`${p.id}:${s}`);
        if (level !== undefined) {
          sum += level;
          rated++;
        }
        const target = targetFor(targets, p, s);
        if (target !== null) {
          withTarget++;
          if ((level ?? 0) >= target) met++;
        }
      }
    }
    return { month, averageLevel: rated ? Math.round((sum / rated) * 100) / 100 : 0, targetsMet: withTarget ? Math.round((met / withTarget) * 1000) / 1000 : 0 };
  });
}

// ---------------------------------------------------------------- pairings and coverage

/** Upcoming (next 60 days) sessions per person, as host or guest: what "over-booked" counts. */
async function bookedCounts(db: DbOrTx) {
  const soon = and(eq(trainingSessions.status, 'scheduled'), sql`${trainingSessions.endsAt} > now()`, sql`${trainingSessions.startsAt} < now() + interval '60 days'`);
  const [hosting, guesting] = await readAll(db, [
    () => db.select({ personId: trainingSessions.hostId, n: sql<number>`count(*)::int` }).from(trainingSessions).where(soon).groupBy(trainingSessions.hostId),
    () => db
      .select({ personId: trainingSessionGuests.personId, n: sql<number>`count(*)::int` })
      .from(trainingSessionGuests)
      .innerJoin(trainingSessions, eq(trainingSessions.id, trainingSessionGuests.sessionId))
      .where(and(soon, ne(trainingSessionGuests.response, 'declined')))
      .groupBy(trainingSessionGuests.personId),
  ]);
  const booked = new Map<string, number>();
  for (const r of [...hosting, ...guesting]) booked.set(r.personId, (booked.get(r.personId) ?? 0) + Number(r.n));
  return booked;
}

export async function pairings(ctx: AppContext, actor: Actor, query: z.infer<typeof pairingQuery>): Promise<{ items: Pairing[] }> {
  assertCan(actor, 'training:plan');
  // Guests come from the actor's visibility; hosts from everyone (only their level in the skill is shown).
  const [guests, hosts, skills, targets, booked] = await Promise.all([
    matrixPeople(ctx.db, actor, query),
    matrixPeople(ctx.db, null),
    activeSkills(ctx.db),
    allTargets(ctx.db),
    bookedCounts(ctx.db),
  ]);
  const levelRows = await levelsOf(ctx.db, hosts.map((p) => p.id));
  const levels = new Map([...levelRows].map(([id, m]) => [id, new Map([...m].map(([s, v]) => [s, v.level]))]));
  const targetMap = new Map(guests.map((g) => [g.id, new Map(skills.map((s) => [s.id, targetFor(targets, g, s.id)]).filter((x): x is [string, number] => x[1] !== null))]));
  const chosen = suggestPairings({ guests, hosts, skills: skills.map((s) => ({ id: s.id, name: s.name })), levels, targets: targetMap, booked });
  return {
    items: chosen.map((c) => ({
      guest: { id: c.guest.id, name: c.guest.name, departmentName: c.guest.departmentName, region: c.guest.region },
      host: { id: c.host.id, name: c.host.name, departmentName: c.host.departmentName, region: c.host.region, storeId: c.host.storeId },
      skills: c.skills,
      gap: c.gap,
    })),
  };
}

export async function coverage(ctx: AppContext, actor: Actor): Promise<Coverage> {
  assertCan(actor, 'training:read');
  const persons = await matrixPeople(ctx.db, actor);
  const everyone = await matrixPeople(ctx.db, null);
  const sideOf = new Map(everyone.map((p) => [p.id, p.side]));
  const rows = await ctx.db
    .select({ guestId: trainingSessionGuests.personId, hostId: trainingSessions.hostId, startsAt: trainingSessions.startsAt })
    .from(trainingSessionGuests)
    .innerJoin(trainingSessions, eq(trainingSessions.id, trainingSessionGuests.sessionId))
    .where(and(eq(trainingSessions.status, 'scheduled'), ne(trainingSessionGuests.response, 'declined'), lte(trainingSessions.startsAt, new Date())));
  const yearAgo = Date.now() - 365 * 86_400_000;
  const shadowedOther = new Set<string>();
  const everShadowed = new Set<string>();
  for (const r of rows) {
    everShadowed.add(r.guestId);
    const hostSide = sideOf.get(r.hostId);
    if (r.startsAt.getTime() >= yearAgo && hostSide && hostSide !== sideOf.get(r.guestId)) shadowedOther.add(r.guestId);
  }
  const groups = new Map<string, { departmentId: string; departmentName: string; region: string; people: number; shadowed: number }>();
  const depts = new Map<string, { departmentId: string; departmentName: string; people: number; shadowed: number }>();
  for (const p of persons) {
    const key = `${p.departmentId}|${p.region}`;
    const g = groups.get(key) ?? { departmentId: p.departmentId, departmentName: p.departmentName, region: p.region, people: 0, shadowed: 0 };
    const d = depts.get(p.departmentId) ?? { departmentId: p.departmentId, departmentName: p.departmentName, people: 0, shadowed: 0 };
    g.people++;
    d.people++;
    if (shadowedOther.has(p.id)) {
      g.shadowed++;
      d.shadowed++;
    }
    groups.set(key, g);
    depts.set(p.departmentId, d);
  }
  const share = (x: { people: number; shadowed: number }) => (x.people ? Math.round((x.shadowed / x.people) * 1000) / 1000 : 0);
  return {
    target: COVERAGE_TARGET,
    rows: [...groups.values()].map((g) => ({ ...g, share: share(g) })).sort((a, b) => a.departmentName.localeCompare(b.departmentName) || a.region.localeCompare(b.region)),
    byDepartment: [...depts.values()].map((d) => ({ ...d, share: share(d) })),
    neverShadowed: persons.filter((p) => !everShadowed.has(p.id)).map((p) => ({ id: p.id, name: p.name, departmentName: p.departmentName, region: p.region })),
  };
}

// ---------------------------------------------------------------- sessions: reading

const sessionNotFound = (idOrRef: string) => new AppError(404, 'not_found', `Session ${idOrRef} not found`, [{ field: 'id', message: 'no session with this id or reference' }]);

function phaseOf(s: { status: string; endsAt: Date }, now = new Date()): Session['phase'] {
  if (s.status === 'cancelled') return 'cancelled';
  return s.endsAt.getTime() <= now.getTime() ? 'done' : 'upcoming';
}

/** A session is visible when its host or one of its guests is. */
function sessionVisible(actor: Actor): SQL | undefined {
  const scope = trainingVisibility(actor);
  const host = scope.person(sql`${trainingSessions.hostId}`);
  if (!host) return undefined;
  return or(host, sql`exists (select 1 from training_session_guests vg where vg.session_id = ${trainingSessions.id} and ${scope.person(sql`vg.person_id`)})`);
}

function sessionWhere(actor: Actor, q: Partial<z.infer<typeof sessionListQuery>>) {
  const now = new Date();
  const involves = (personId: string) =>
    or(eq(trainingSessions.hostId, personId), sql`exists (select 1 from training_session_guests mg where mg.session_id = ${trainingSessions.id} and mg.person_id = ${personId})`);
  return and(
    sessionVisible(actor),
    q.phase === 'cancelled' ? eq(trainingSessions.status, 'cancelled') : undefined,
    q.phase === 'upcoming' ? and(eq(trainingSessions.status, 'scheduled'), sql`${trainingSessions.endsAt} > ${now}`) : undefined,
    q.phase === 'done' ? and(eq(trainingSessions.status, 'scheduled'), sql`${trainingSessions.endsAt} <= ${now}`) : undefined,
    q.mine ? involves(actor.id) : undefined,
    q.personId ? involves(q.personId) : undefined,
    q.skillId ? sql`exists (select 1 from training_session_skills ss where ss.session_id = ${trainingSessions.id} and ss.skill_id = ${q.skillId})` : undefined,
    q.q
      ? (() => {
          const n = refNumber('SHD', q.q, { bare: true });
          const pattern = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          return or(
            n !== undefined ? eq(trainingSessions.number, n) : undefined,
            sql`${trainingSessions.goals} ilike ${pattern}`,
            sql`exists (select 1 from people qp where qp.name ilike ${pattern} and (qp.id = ${trainingSessions.hostId} or qp.id in (select qg.person_id from training_session_guests qg where qg.session_id = ${trainingSessions.id})))`,
          );
        })()
      : undefined,
  );
}

const host = alias(people, 'host');
const hostDepartment = alias(departments, 'host_department');
const organizer = alias(people, 'organizer');

async function presentSessions(db: DbOrTx, rows: Array<typeof trainingSessions.$inferSelect>): Promise<Session[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [hosts, guests, skills, reflections, places] = await readAll(db, [
    () => db
      .select({ sessionId: trainingSessions.id, hostId: host.id, hostName: host.name, hostDepartment: hostDepartment.name, organizerId: organizer.id, organizerName: organizer.name })
      .from(trainingSessions)
      .innerJoin(host, eq(host.id, trainingSessions.hostId))
      .leftJoin(hostDepartment, eq(hostDepartment.id, host.departmentId))
      .innerJoin(organizer, eq(organizer.id, trainingSessions.organizerId))
      .where(inArray(trainingSessions.id, ids)),
    () => db
      .select({ sessionId: trainingSessionGuests.sessionId, id: people.id, name: people.name, departmentName: departments.name, response: trainingSessionGuests.response })
      .from(trainingSessionGuests)
      .innerJoin(people, eq(people.id, trainingSessionGuests.personId))
      .leftJoin(departments, eq(departments.id, people.departmentId))
      .where(inArray(trainingSessionGuests.sessionId, ids))
      .orderBy(people.name),
    () => db
      .select({ sessionId: trainingSessionSkills.sessionId, id: trainingSkills.id, name: trainingSkills.name })
      .from(trainingSessionSkills)
      .innerJoin(trainingSkills, eq(trainingSkills.id, trainingSessionSkills.skillId))
      .where(inArray(trainingSessionSkills.sessionId, ids))
      .orderBy(trainingSkills.sortOrder, trainingSkills.name),
    () => db.select({ sessionId: trainingReflections.sessionId, n: sql<number>`count(*)::int` }).from(trainingReflections).where(inArray(trainingReflections.sessionId, ids)).groupBy(trainingReflections.sessionId),
    () => db.select({ id: stores.id, code: stores.code, name: stores.name }).from(stores),
  ]);
  const hostOf = new Map(hosts.map((h) => [h.sessionId, h]));
  const storeOf = new Map(places.map((s) => [s.id, s]));
  const reflectionsOf = new Map(reflections.map((r) => [r.sessionId, Number(r.n)]));
  return rows.map((s) => {
    const h = hostOf.get(s.id)!;
    const store = s.storeId ? storeOf.get(s.storeId) : undefined;
    return {
      id: s.id,
      number: s.number,
      ref: sessionRef(s.number),
      uid: s.uid,
      sequence: s.sequence,
      status: s.status as Session['status'],
      phase: phaseOf(s),
      host: { id: h.hostId, name: h.hostName, departmentName: h.hostDepartment },
      organizer: { id: h.organizerId, name: h.organizerName },
      guests: guests.filter((g) => g.sessionId === s.id).map((g) => ({ id: g.id, name: g.name, departmentName: g.departmentName, response: g.response as GuestResponse })),
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      timezone: s.timezone,
      localStart: utcToZoned(s.startsAt, s.timezone),
      durationMinutes: Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000),
      storeId: s.storeId,
      placeName: store ? `${store.code} ${store.name}` : 'Headquarters',
      room: s.room,
      goals: s.goals,
      skills: skills.filter((k) => k.sessionId === s.id).map((k) => ({ id: k.id, name: k.name })),
      reflections: reflectionsOf.get(s.id) ?? 0,
      cancelReason: s.cancelReason,
      createdAt: s.createdAt.toISOString(),
    };
  });
}

export async function listSessions(ctx: AppContext, actor: Actor, query: z.infer<typeof sessionListQuery>) {
  assertCan(actor, 'training:read');
  const page = await paginate<typeof trainingSessions.$inferSelect, typeof query.sort>(ctx.db, {
    table: trainingSessions,
    select: {
      id: trainingSessions.id,
      number: trainingSessions.number,
      uid: trainingSessions.uid,
      sequence: trainingSessions.sequence,
      status: trainingSessions.status,
      hostId: trainingSessions.hostId,
      organizerId: trainingSessions.organizerId,
      startsAt: trainingSessions.startsAt,
      endsAt: trainingSessions.endsAt,
      timezone: trainingSessions.timezone,
      storeId: trainingSessions.storeId,
      room: trainingSessions.room,
      goals: trainingSessions.goals,
      cancelReason: trainingSessions.cancelReason,
      createdAt: trainingSessions.createdAt,
      updatedAt: trainingSessions.updatedAt,
    },
    where: sessionWhere(actor, query),
    sortColumns: { startsAt: trainingSessions.startsAt, number: trainingSessions.number },
    idColumn: trainingSessions.id,
    params: query,
  });
  return { ...page, items: await presentSessions(ctx.db, page.items) };
}

export async function exportSessions(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof sessionListQuery>>) {
  assertCan(actor, 'training:read');
  const rows = await ctx.db
    .select()
    .from(trainingSessions)
    .where(sessionWhere(actor, query))
    .orderBy(query.order === 'asc' ? asc(trainingSessions.startsAt) : desc(trainingSessions.startsAt))
    .limit(100_000);
  return presentSessions(ctx.db, rows);
}

async function resolveSessionId(db: DbOrTx, idOrRef: string) {
  const n = refNumber('SHD', idOrRef);
  const [row] = await db
    .select({ id: trainingSessions.id })
    .from(trainingSessions)
    .where(n !== undefined ? eq(trainingSessions.number, n) : /^[0-9a-f-]{36}$/i.test(idOrRef) ? eq(trainingSessions.id, idOrRef) : sql`false`);
  if (!row) throw sessionNotFound(idOrRef);
  return row.id;
}

async function visibleSession(db: DbOrTx, actor: Actor, idOrRef: string) {
  const id = await resolveSessionId(db, idOrRef);
  const [row] = await db.select().from(trainingSessions).where(and(eq(trainingSessions.id, id), sessionVisible(actor)));
  if (!row) throw sessionNotFound(idOrRef);
  return row;
}

/** Who may change a session: its organiser or host, a lead of the host's or a guest's department, an admin. */
async function mayManageSession(db: DbOrTx, actor: Actor, session: { hostId: string; organizerId: string; id: string }) {
  if (!can(actor, 'training:shadow')) return false;
  if (session.organizerId === actor.id || session.hostId === actor.id) return true;
  const scope = trainingVisibility(actor);
  if (scope.all) return true;
  const participants = await db
    .select({ id: people.id, departmentId: people.departmentId })
    .from(people)
    .where(or(eq(people.id, session.hostId), sql`${people.id} in (select g.person_id from training_session_guests g where g.session_id = ${session.id})`));
  return participants.some((p) => scope.manages(p));
}

export async function getSession(ctx: AppContext, actor: Actor, idOrRef: string): Promise<SessionDetail> {
  assertCan(actor, 'training:read');
  const row = await visibleSession(ctx.db, actor, idOrRef);
  const [session] = await presentSessions(ctx.db, [row]);
  const reflectionRows = await ctx.db
    .select({ id: trainingReflections.id, personId: people.id, personName: people.name, learned: trainingReflections.learned, redundancies: trainingReflections.redundancies, createdAt: trainingReflections.createdAt })
    .from(trainingReflections)
    .innerJoin(people, eq(people.id, trainingReflections.personId))
    .where(eq(trainingReflections.sessionId, row.id))
    .orderBy(asc(trainingReflections.createdAt));
  const ideaRows = reflectionRows.length
    ? await ctx.db
        .select({ reflectionId: trainingReflectionIdeas.reflectionId, id: ideas.id, number: ideas.number, title: ideas.title })
        .from(trainingReflectionIdeas)
        .innerJoin(ideas, eq(ideas.id, trainingReflectionIdeas.ideaId))
        .where(inArray(trainingReflectionIdeas.reflectionId, reflectionRows.map((r) => r.id)))
        .orderBy(asc(ideas.number))
    : [];
  const reflectionList: Reflection[] = reflectionRows.map((r) => ({
    id: r.id,
    person: { id: r.personId, name: r.personName },
    role: r.personId === row.hostId ? 'host' : 'guest',
    learned: r.learned,
    redundancies: r.redundancies,
    ideas: ideaRows.filter((i) => i.reflectionId === r.id).map((i) => ({ id: i.id, ref: ideaRef(i.number), title: i.title })),
    createdAt: r.createdAt.toISOString(),
  }));
  const me = session.guests.find((g) => g.id === actor.id);
  const participant = !!me || session.host.id === actor.id;
  const manage = session.phase === 'upcoming' && (await mayManageSession(ctx.db, actor, row));
  return {
    ...session,
    reflectionList,
    myResponse: me?.response ?? null,
    can: {
      edit: manage,
      cancel: manage,
      respond: !!me && session.phase === 'upcoming' && can(actor, 'training:shadow'),
      reflect: participant && row.status === 'scheduled' && row.startsAt.getTime() <= Date.now() && !reflectionList.some((r) => r.person.id === actor.id) && can(actor, 'training:shadow'),
    },
  };
}

// ---------------------------------------------------------------- sessions: writing

async function lockSession(tx: DbOrTx, actor: Actor, idOrRef: string) {
  const id = await resolveSessionId(tx, idOrRef);
  const [row] = await tx.select().from(trainingSessions).where(and(eq(trainingSessions.id, id), sessionVisible(actor))).for('update');
  if (!row) throw sessionNotFound(idOrRef);
  return row;
}

/** Host, guests, skills and place, checked; the host's time zone for the times. */
async function checkSessionParts(tx: DbOrTx, input: { hostId: string; guestIds: string[]; skillIds: string[]; storeId: string | null }) {
  const hostRow = await personById(tx, input.hostId, 'hostId');
  if (!hostRow.active) throw invalid('hostId', `${hostRow.name} is no longer active`);
  const guestIds = [...new Set(input.guestIds)];
  if (guestIds.includes(input.hostId)) throw invalid('guestIds', 'the host cannot also be a guest');
  const guestRows = await tx.select({ id: people.id, name: people.name, email: people.email, active: people.active, departmentId: people.departmentId }).from(people).where(inArray(people.id, guestIds));
  if (guestRows.length !== guestIds.length) throw invalid('guestIds', 'a guest is not a person in this workspace');
  const inactive = guestRows.find((g) => !g.active);
  if (inactive) throw invalid('guestIds', `${inactive.name} is no longer active`);
  const skillIds = [...new Set(input.skillIds)];
  const skillRows = await tx.select({ id: trainingSkills.id, name: trainingSkills.name, active: trainingSkills.active }).from(trainingSkills).where(inArray(trainingSkills.id, skillIds));
  if (skillRows.length !== skillIds.length || skillRows.some((s) => !s.active)) throw invalid('skillIds', 'a skill is not in the catalogue');
  let store: { id: string; code: string; name: string } | null = null;
  if (input.storeId) {
    const [s] = await tx.select({ id: stores.id, code: stores.code, name: stores.name, active: stores.active }).from(stores).where(eq(stores.id, input.storeId));
    if (!s) throw invalid('storeId', 'no such store');
    if (!s.active) throw invalid('storeId', 'the store is closed (inactive)');
    store = s;
  }
  return { hostRow, guestRows, guestIds, skillRows, skillIds, store, timezone: hostRow.timezone ?? HQ_TIME_ZONE };
}

type Invitee = { id: string; name: string; email: string };

/** Queues the calendar mail (REQUEST or CANCEL) for the host and each guest, in the caller's transaction. */
async function sendInvitations(ctx: AppContext, tx: DbOrTx, sessionId: string, method: 'REQUEST' | 'CANCEL', options: { to?: Invitee[]; change?: string } = {}) {
  const [s] = await tx.select().from(trainingSessions).where(eq(trainingSessions.id, sessionId));
  const [presented] = await presentSessions(tx, [s]);
  const [hostRow] = await tx.select({ id: people.id, name: people.name, email: people.email }).from(people).where(eq(people.id, s.hostId));
  const guests = await tx
    .select({ id: people.id, name: people.name, email: people.email, response: trainingSessionGuests.response })
    .from(trainingSessionGuests)
    .innerJoin(people, eq(people.id, trainingSessionGuests.personId))
    .where(eq(trainingSessionGuests.sessionId, sessionId));
  const url = `${ctx.config.publicUrl}/training/sessions/${presented.ref}`;
  const guestNames = guests.map((g) => g.name).join(', ');
  const skills = presented.skills.map((k) => k.name).join(', ');
  const when = `${presented.localStart.replace('T', ' at ')} (${s.timezone})`;
  const location = `${presented.placeName}${s.room ? `, ${s.room}` : ''}`;
  const summary = `Shadowing: ${guestNames} with ${hostRow.name}`;
  const content = sessionCalendar(
    {
      uid: s.uid,
      sequence: s.sequence,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      timezone: s.timezone,
      summary,
      description: [`Skills: ${skills}`, s.goals ? `Goals: ${s.goals}` : '', `Accept or decline in Tandem: ${url}`].filter(Boolean).join('\n'),
      location,
      url,
      host: { name: hostRow.name, email: hostRow.email },
      guests: guests.map((g) => ({ name: g.name, email: g.email, response: g.response as GuestResponse })),
    },
    method,
  );
  const recipients = options.to ?? [hostRow, ...guests];
  const prefix = method === 'CANCEL' ? 'Cancelled' : s.sequence > 0 ? 'Updated' : 'Invitation';
  for (const r of recipients) {
    const isHost = r.id === hostRow.id;
    await ctx.mailer.queue(tx, {
      to: r.email,
      subject: `${prefix}: ${summary} — ${presented.localStart.slice(0, 10)}`,
      paragraphs: [
        `Hello ${r.name.split(' ')[0]},`,
        method === 'CANCEL'
          ? `The shadowing session ${presented.ref} on ${when} at ${location} is cancelled${s.cancelReason ? `: ${s.cancelReason}` : ''}.`
          : isHost
            ? `You host ${guestNames} for a shadowing session on ${when} at ${location}.`
            : `You are invited to shadow ${hostRow.name} on ${when} at ${location}.`,
        ...(method === 'REQUEST' ? [`Skills: ${skills}.`, ...(s.goals ? [`Goals: ${s.goals}`] : []), ...(options.change ? [`What changed: ${options.change}.`] : [])] : []),
        method === 'CANCEL' ? 'The attached calendar update removes it from your calendar.' : 'The attached invitation adds it to your calendar; accept or decline in Tandem.',
      ],
      action: { label: method === 'CANCEL' ? 'Open the session' : isHost ? 'Open the session' : 'Accept or decline', url },
      kind: method === 'CANCEL' ? 'training.session_cancelled' : 'training.session_invitation',
      relatedPersonId: r.id,
      icalEvent: { method, filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', content },
    });
  }
}

export async function proposeSession(ctx: AppContext, actor: Actor, input: z.infer<typeof sessionInput>, options: { at?: Date; notify?: boolean } = {}) {
  assertCan(actor, 'training:shadow');
  const at = options.at ?? new Date();
  const id = await ctx.db.transaction(async (tx) => {
    const parts = await checkSessionParts(tx, input);
    const scope = trainingVisibility(actor);
    const involved = [parts.hostRow, ...parts.guestRows];
    const allowed = involved.some((p) => p.id === actor.id) || involved.some((p) => scope.manages(p));
    if (!allowed) throw forbidden('Propose sessions you take part in, or (leads) for people of your department');
    const startsAt = zonedToUtc(input.localStart, parts.timezone);
    if (Number.isNaN(startsAt.getTime())) throw invalid('localStart', 'is not a valid date and time');
    const endsAt = new Date(startsAt.getTime() + input.durationMinutes * 60_000);
    const id = uuidv7();
    const [row] = await tx
      .insert(trainingSessions)
      .values({
        id,
        uid: `${id}@tandem`,
        hostId: input.hostId,
        organizerId: actor.id,
        startsAt,
        endsAt,
        timezone: parts.timezone,
        storeId: input.storeId,
        room: input.room,
        goals: input.goals,
        createdAt: at,
        updatedAt: at,
      })
      .returning({ number: trainingSessions.number });
    await tx.insert(trainingSessionGuests).values(parts.guestIds.map((personId) => ({ sessionId: id, personId, response: personId === actor.id ? 'accepted' : 'pending', respondedAt: personId === actor.id ? at : null })));
    await tx.insert(trainingSessionSkills).values(parts.skillIds.map((skillId) => ({ sessionId: id, skillId })));
    await recordAudit(tx, actor, {
      action: 'create',
      entity: 'training_session',
      entityId: id,
      summary: `Proposed shadowing session ${sessionRef(row.number)}: ${parts.guestRows.map((g) => g.name).join(', ')} with ${parts.hostRow.name} on ${input.localStart} (${parts.timezone})`,
      after: input,
    });
    if (options.notify !== false) await sendInvitations(ctx, tx, id, 'REQUEST');
    return id;
  });
  return getSession(ctx, actor, id);
}

export async function updateSession(ctx: AppContext, actor: Actor, idOrRef: string, patch: z.infer<typeof sessionPatch>) {
  assertCan(actor, 'training:shadow');
  const id = await ctx.db.transaction(async (tx) => {
    const before = await lockSession(tx, actor, idOrRef);
    if (!(await mayManageSession(tx, actor, before))) throw forbidden('Only the organiser, the host, a lead of a participant or an admin changes a session');
    if (before.status === 'cancelled') throw conflict('status', 'the session is cancelled');
    const oldGuests = await tx.select().from(trainingSessionGuests).where(eq(trainingSessionGuests.sessionId, before.id));
    const oldSkills = await tx.select().from(trainingSessionSkills).where(eq(trainingSessionSkills.sessionId, before.id));
    const next = {
      hostId: patch.hostId ?? before.hostId,
      guestIds: patch.guestIds ?? oldGuests.map((g) => g.personId),
      skillIds: patch.skillIds ?? oldSkills.map((k) => k.skillId),
      storeId: patch.storeId !== undefined ? patch.storeId : before.storeId,
    };
    const parts = await checkSessionParts(tx, next);
    const duration = patch.durationMinutes ?? Math.round((before.endsAt.getTime() - before.startsAt.getTime()) / 60_000);
    const startsAt = patch.localStart ? zonedToUtc(patch.localStart, parts.timezone) : before.startsAt;
    const endsAt = new Date(startsAt.getTime() + duration * 60_000);
    const changes: string[] = [];
    if (startsAt.getTime() !== before.startsAt.getTime() || endsAt.getTime() !== before.endsAt.getTime()) changes.push(`time now ${utcToZoned(startsAt, parts.timezone).replace('T', ' ')} (${parts.timezone}), ${duration} minutes`);
    if (next.hostId !== before.hostId) changes.push(`host now ${parts.hostRow.name}`);
    if (next.storeId !== before.storeId) changes.push(`place now ${parts.store ? `${parts.store.code} ${parts.store.name}` : 'Headquarters'}`);
    if (patch.room !== undefined && patch.room !== before.room) changes.push('room');
    if (patch.goals !== undefined && patch.goals !== before.goals) changes.push('goals');
    const oldGuestIds = new Set(oldGuests.map((g) => g.personId));
    const removed = oldGuests.filter((g) => !parts.guestIds.includes(g.personId));
    const added = parts.guestIds.filter((g) => !oldGuestIds.has(g));
    if (removed.length || added.length) changes.push('guests');
    const skillsChanged = parts.skillIds.length !== oldSkills.length || parts.skillIds.some((s) => !oldSkills.some((k) => k.skillId === s));
    if (skillsChanged) changes.push('skills');
    if (!changes.length) return before.id;
    // A new time asks everyone again; other changes keep the answers given.
    const retime = startsAt.getTime() !== before.startsAt.getTime() || endsAt.getTime() !== before.endsAt.getTime() || next.storeId !== before.storeId;
    await tx
      .update(trainingSessions)
      .set({ hostId: next.hostId, startsAt, endsAt, timezone: parts.timezone, storeId: next.storeId, room: patch.room ?? before.room, goals: patch.goals ?? before.goals, sequence: before.sequence + 1, updatedAt: new Date() })
      .where(eq(trainingSessions.id, before.id));
    if (removed.length) {
      // Removed guests get the cancellation of their copy (before they leave the attendee list).
      const removedPeople = await tx.select({ id: people.id, name: people.name, email: people.email }).from(people).where(inArray(people.id, removed.map((g) => g.personId)));
      await tx.update(trainingSessions).set({ sequence: before.sequence + 1 }).where(eq(trainingSessions.id, before.id));
      await sendInvitations(ctx, tx, before.id, 'CANCEL', { to: removedPeople });
      await tx.delete(trainingSessionGuests).where(and(eq(trainingSessionGuests.sessionId, before.id), inArray(trainingSessionGuests.personId, removed.map((g) => g.personId))));
    }
    if (added.length) await tx.insert(trainingSessionGuests).values(added.map((personId) => ({ sessionId: before.id, personId })));
    if (retime) await tx.update(trainingSessionGuests).set({ response: 'pending', respondedAt: null }).where(eq(trainingSessionGuests.sessionId, before.id));
    if (skillsChanged) {
      await tx.delete(trainingSessionSkills).where(eq(trainingSessionSkills.sessionId, before.id));
      await tx.insert(trainingSessionSkills).values(parts.skillIds.map((skillId) => ({ sessionId: before.id, skillId })));
    }
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'training_session',
      entityId: before.id,
      summary: `Changed shadowing session ${sessionRef(before.number)}: ${changes.join('; ')}`,
      before: { hostId: before.hostId, startsAt: before.startsAt, endsAt: before.endsAt, storeId: before.storeId, guests: [...oldGuestIds], sequence: before.sequence },
      after: { ...patch, startsAt, endsAt, sequence: before.sequence + 1 },
    });
    await sendInvitations(ctx, tx, before.id, 'REQUEST', { change: changes.join('; ') });
    return before.id;
  });
  return getSession(ctx, actor, id);
}

export async function cancelSession(ctx: AppContext, actor: Actor, idOrRef: string, reason: string) {
  assertCan(actor, 'training:shadow');
  const id = await ctx.db.transaction(async (tx) => {
    const before = await lockSession(tx, actor, idOrRef);
    if (!(await mayManageSession(tx, actor, before))) throw forbidden('Only the organiser, the host, a lead of a participant or an admin cancels a session');
    if (before.status === 'cancelled') throw conflict('status', 'the session is already cancelled');
    if (before.endsAt.getTime() <= Date.now()) throw conflict('status', 'the session has already taken place');
    await tx.update(trainingSessions).set({ status: 'cancelled', cancelReason: reason || null, sequence: before.sequence + 1, updatedAt: new Date() }).where(eq(trainingSessions.id, before.id));
    await recordAudit(tx, actor, { action: 'cancel', entity: 'training_session', entityId: before.id, summary: `Cancelled shadowing session ${sessionRef(before.number)}${reason ? `: ${reason}` : ''}`, before: { status: before.status }, after: { status: 'cancelled', reason } });
    await sendInvitations(ctx, tx, before.id, 'CANCEL');
    return before.id;
  });
  return getSession(ctx, actor, id);
}

export async function respondToSession(ctx: AppContext, actor: Actor, idOrRef: string, response: 'accepted' | 'declined') {
  assertCan(actor, 'training:shadow');
  const id = await ctx.db.transaction(async (tx) => {
    const s = await lockSession(tx, actor, idOrRef);
    const [guest] = await tx.select().from(trainingSessionGuests).where(and(eq(trainingSessionGuests.sessionId, s.id), eq(trainingSessionGuests.personId, actor.id)));
    if (!guest) throw forbidden('Only a guest of the session answers its invitation');
    if (phaseOf(s) !== 'upcoming') throw conflict('status', phaseOf(s) === 'cancelled' ? 'the session is cancelled' : 'the session has already taken place');
    await tx.update(trainingSessionGuests).set({ response, respondedAt: new Date() }).where(and(eq(trainingSessionGuests.sessionId, s.id), eq(trainingSessionGuests.personId, actor.id)));
    await recordAudit(tx, actor, { action: response === 'accepted' ? 'accept' : 'decline', entity: 'training_session', entityId: s.id, summary: `${response === 'accepted' ? 'Accepted' : 'Declined'} shadowing session ${sessionRef(s.number)}`, before: { response: guest.response }, after: { response } });
    return s.id;
  });
  return getSession(ctx, actor, id);
}

/** One reflection per participant once the session has started; each idea in it is submitted to Ideas (M8). */
export async function reflect(ctx: AppContext, actor: Actor, idOrRef: string, input: z.infer<typeof reflectionInput>, options: { at?: Date } = {}) {
  assertCan(actor, 'training:shadow');
  const at = options.at ?? new Date();
  const id = await ctx.db.transaction(async (tx) => {
    const s = await lockSession(tx, actor, idOrRef);
    const [guest] = await tx.select().from(trainingSessionGuests).where(and(eq(trainingSessionGuests.sessionId, s.id), eq(trainingSessionGuests.personId, actor.id)));
    if (!guest && s.hostId !== actor.id) throw forbidden('Only the host and the guests reflect on a session');
    if (s.status === 'cancelled') throw conflict('status', 'the session is cancelled');
    if (s.startsAt.getTime() > at.getTime()) throw conflict('status', 'reflect once the session has taken place');
    const [existing] = await tx.select({ id: trainingReflections.id }).from(trainingReflections).where(and(eq(trainingReflections.sessionId, s.id), eq(trainingReflections.personId, actor.id)));
    if (existing) throw conflict('learned', 'you have already written your reflection on this session');
    const reflectionId = uuidv7();
    await tx.insert(trainingReflections).values({ id: reflectionId, sessionId: s.id, personId: actor.id, learned: input.learned, redundancies: input.redundancies, createdAt: at });
    const ref = sessionRef(s.number);
    const [storeRow] = s.storeId ? await tx.select({ active: stores.active }).from(stores).where(eq(stores.id, s.storeId)) : [];
    // The idea is submitted through the ideas module, inside this transaction (a savepoint).
    const txCtx: AppContext = { ...ctx, db: tx as unknown as Db };
    for (const idea of input.ideas) {
      const created = await submitIdea(
        txCtx,
        actor,
        {
          title: idea.title,
          description: `${idea.description}\n\nBorn in shadowing session ${ref}: ${ctx.config.publicUrl}/training/sessions/${ref}`,
          category: idea.category,
          storeId: storeRow?.active ? s.storeId : null,
          anonymous: false,
        },
        { at },
      );
      await tx.insert(trainingReflectionIdeas).values({ reflectionId, ideaId: created.id });
    }
    await recordAudit(tx, actor, {
      action: 'create',
      entity: 'training_reflection',
      entityId: reflectionId,
      summary: `Wrote a reflection on shadowing session ${ref}${input.ideas.length ? ` with ${input.ideas.length} idea${input.ideas.length === 1 ? '' : 's'}` : ''}`,
      after: { learned: input.learned, redundancies: input.redundancies, ideas: input.ideas.map((i) => i.title) },
    });
    return s.id;
  });
  return getSession(ctx, actor, id);
}

// ---------------------------------------------------------------- my work

registerHomeContributor(async (ctx, actor) => {
  if (!can(actor, 'training:read') || actor.via === 'system') return {};
  const actions: Array<{ kind: string; label: string; detail: string; href: string; due: string | null }> = [];
  const invitations = await ctx.db
    .select({ number: trainingSessions.number, startsAt: trainingSessions.startsAt, timezone: trainingSessions.timezone })
    .from(trainingSessionGuests)
    .innerJoin(trainingSessions, eq(trainingSessions.id, trainingSessionGuests.sessionId))
    .where(and(eq(trainingSessionGuests.personId, actor.id), eq(trainingSessionGuests.response, 'pending'), eq(trainingSessions.status, 'scheduled'), gte(trainingSessions.startsAt, new Date())))
    .orderBy(asc(trainingSessions.startsAt))
    .limit(5);
  for (const i of invitations)
    actions.push({ kind: 'training', label: `Answer the shadowing invitation ${sessionRef(i.number)}`, detail: `On ${utcToZoned(i.startsAt, i.timezone).replace('T', ' at ')}`, href: `/training/sessions/${sessionRef(i.number)}`, due: i.startsAt.toISOString() });
  if (can(actor, 'training:confirm')) {
    const [pending] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(trainingRatings).where(and(eq(trainingRatings.status, 'pending'), trainingVisibility(actor).person(sql`${trainingRatings.personId}`), ne(trainingRatings.personId, actor.id)));
    const n = Number(pending?.n ?? 0);
    if (n > 0) actions.push({ kind: 'training', label: `${n} skill rating${n === 1 ? '' : 's'} to confirm`, detail: 'Self-ratings in your department wait for your confirmation', href: '/training/confirm', due: null });
  }
  return { actions };
});
