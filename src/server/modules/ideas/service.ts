import { and, asc, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  IDEA_STATE_LABELS,
  IDEA_TRANSITIONS,
  ideaRef,
  type Idea,
  type IdeaDetail,
  type IdeaEvent,
  type IdeaState,
  type IdeaStats,
  type ideaCommentInput,
  type ideaInput,
  type ideaListQuery,
  type ideaSimilarQuery,
  type ideaStateChange,
} from '../../../contracts/ideas.js';
import { roleCan } from '../../../contracts/policy.js';
import type { Role } from '../../../contracts/roles.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db.js';
import { AppError, conflict, forbidden, invalid } from '../../platform/errors.js';
import { containsPattern, paginate, refNumber } from '../../platform/list.js';
import { resolveMentions } from '../../platform/mentions.js';
import { assertCan, can, type Actor } from '../../platform/policy.js';
import { registerSearchProvider } from '../../platform/search.js';
import { registerHomeContributor, type HomeAction, type HomeFigure, type HomeList } from '../../platform/home.js';
import { departments, people, stores } from '../people/schema.js';
import { ideaEvents, ideas, ideaVotes } from './schema.js';
import './agenda.js';
// The module's sections of the newsletter (M9), registered at import.
import './newsletter.js';

const OPEN_STATES: IdeaState[] = ['submitted', 'under_review', 'accepted', 'in_progress'];

/** Only admins see who wrote an anonymous idea. */
const seesAnonymousAuthors = (actor: Actor) => actor.via === 'system' || actor.role === 'admin';
const actorPersonId = (actor: Actor) => (actor.via === 'system' ? null : actor.id);

const ideaNotFound = (idOrRef: string) =>
  new AppError(404, 'not_found', `Idea ${idOrRef} not found`, [{ field: 'id', message: 'no idea with this id or reference' }]);

// ---------------------------------------------------------------- reading

const author = alias(people, 'author');
const owner = alias(people, 'owner');
const ownerDepartment = alias(departments, 'owner_department');
const authorDepartment = alias(departments, 'author_department');
const original = alias(ideas, 'original');

function ideaColumns(actor: Actor) {
  return {
    id: ideas.id,
    number: ideas.number,
    title: ideas.title,
    description: ideas.description,
    category: ideas.category,
    state: ideas.state,
    storeId: ideas.storeId,
    storeCode: stores.code,
    storeName: stores.name,
    departmentId: ideas.departmentId,
    departmentName: departments.name,
    anonymous: ideas.anonymous,
    authorId: ideas.authorId,
    authorName: author.name,
    authorDepartmentName: authorDepartment.name,
    ownerId: ideas.ownerId,
    ownerName: owner.name,
    ownerDepartmentName: ownerDepartment.name,
    voteCount: ideas.voteCount,
    commentCount: ideas.commentCount,
    declineReason: ideas.declineReason,
    duplicateOfId: ideas.duplicateOfId,
    duplicateOfNumber: original.number,
    duplicateOfTitle: original.title,
    createdAt: ideas.createdAt,
    updatedAt: ideas.updatedAt,
    lastActivityAt: ideas.lastActivityAt,
    voted: sql<boolean>`exists (select 1 from idea_votes v where v.idea_id = "ideas"."id" and v.person_id = ${actorPersonId(actor) ?? '00000000-0000-0000-0000-000000000000'})`.as('voted'),
  };
}
type IdeaRow = {
  id: string;
  number: number;
  title: string;
  description: string;
  category: string;
  state: string;
  storeId: string | null;
  storeCode: string | null;
  storeName: string | null;
  departmentId: string | null;
  departmentName: string | null;
  anonymous: boolean;
  authorId: string;
  authorName: string | null;
  authorDepartmentName: string | null;
  ownerId: string | null;
  ownerName: string | null;
  ownerDepartmentName: string | null;
  voteCount: number;
  commentCount: number;
  declineReason: string | null;
  duplicateOfId: string | null;
  duplicateOfNumber: number | null;
  duplicateOfTitle: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastActivityAt: Date;
  voted: boolean;
};

const joinIdeaRefs = (q: any) =>
  q
    .leftJoin(stores, eq(stores.id, ideas.storeId))
    .leftJoin(departments, eq(departments.id, ideas.departmentId))
    .leftJoin(author, eq(author.id, ideas.authorId))
    .leftJoin(authorDepartment, eq(authorDepartment.id, author.departmentId))
    .leftJoin(owner, eq(owner.id, ideas.ownerId))
    .leftJoin(ownerDepartment, eq(ownerDepartment.id, owner.departmentId))
    .leftJoin(original, eq(original.id, ideas.duplicateOfId));

function presentIdea(actor: Actor, row: IdeaRow): Idea {
  const hideAuthor = row.anonymous && !seesAnonymousAuthors(actor);
  return {
    id: row.id,
    number: row.number,
    ref: ideaRef(row.number),
    title: row.title,
    description: row.description,
    category: row.category as Idea['category'],
    state: row.state as IdeaState,
    storeId: row.storeId,
    storeCode: row.storeCode,
    storeName: row.storeName,
    departmentId: row.departmentId,
    departmentName: row.departmentName,
    anonymous: row.anonymous,
    author: hideAuthor ? null : { id: row.authorId, name: row.authorName ?? '', departmentName: row.authorDepartmentName },
    mine: row.authorId === actor.id,
    owner: row.ownerId ? { id: row.ownerId, name: row.ownerName ?? '', departmentName: row.ownerDepartmentName } : null,
    votes: Number(row.voteCount),
    voted: Boolean(row.voted),
    comments: Number(row.commentCount),
    declineReason: row.declineReason,
    duplicateOf: row.duplicateOfId && row.duplicateOfNumber ? { id: row.duplicateOfId, ref: ideaRef(row.duplicateOfNumber), title: row.duplicateOfTitle ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastActivityAt: row.lastActivityAt.toISOString(),
  };
}

/**
 * Which ideas this actor may see: the one condition shared by the list, the export and global
 * search (scope rules belong here, so search follows them).
 */
export function ideasVisibleSql(actor: Actor): SQL {
  return can(actor, 'ideas:read') ? sql`true` : sql`false`;
}

function ideaWhere(actor: Actor, query: Partial<z.infer<typeof ideaListQuery>>): SQL | undefined {
  const q = query.q?.trim();
  const number = q ? refNumber('IDEA', q, { bare: true }) : undefined;
  return and(
    ideasVisibleSql(actor),
    q ? or(ilike(ideas.title, containsPattern(q)), ilike(ideas.description, containsPattern(q)), number !== undefined ? eq(ideas.number, number) : undefined) : undefined,
    query.state ? eq(ideas.state, query.state) : undefined,
    query.states?.length ? inArray(ideas.state, query.states) : undefined,
    query.category ? eq(ideas.category, query.category) : undefined,
    query.storeId ? eq(ideas.storeId, query.storeId) : undefined,
    query.hq === true ? isNull(ideas.storeId) : query.hq === false ? sql`${ideas.storeId} is not null` : undefined,
    query.departmentId ? eq(ideas.departmentId, query.departmentId) : undefined,
    query.ownerId ? eq(ideas.ownerId, query.ownerId) : undefined,
    query.unowned === true ? isNull(ideas.ownerId) : undefined,
    query.mine === 'owned' ? eq(ideas.ownerId, actor.id) : undefined,
    query.mine === 'submitted' ? eq(ideas.authorId, actor.id) : undefined,
  );
}

const SORT_COLUMNS = { votes: ideas.voteCount, createdAt: ideas.createdAt, lastActivityAt: ideas.lastActivityAt, number: ideas.number };

export async function listIdeas(ctx: AppContext, actor: Actor, query: z.infer<typeof ideaListQuery>) {
  assertCan(actor, 'ideas:read');
  const page = await paginate<IdeaRow, typeof query.sort>(ctx.db, {
    table: ideas,
    select: ideaColumns(actor),
    joins: joinIdeaRefs,
    where: ideaWhere(actor, query),
    sortColumns: SORT_COLUMNS,
    idColumn: ideas.id,
    params: query,
  });
  return { ...page, items: page.items.map((r) => presentIdea(actor, r)) };
}

export async function exportIdeas(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof ideaListQuery>>) {
  assertCan(actor, 'ideas:read');
  const column = SORT_COLUMNS[query.sort ?? 'createdAt'];
  const direction = query.order === 'desc' ? desc : asc;
  const rows = (await joinIdeaRefs(ctx.db.select(ideaColumns(actor)).from(ideas))
    .where(ideaWhere(actor, query))
    .orderBy(direction(column), direction(ideas.id))) as IdeaRow[];
  return rows.map((r) => presentIdea(actor, r));
}

/** An idea's id from its uuid or its reference (IDEA-7); 404 naming the field when there is none. */
async function resolveIdeaId(db: DbOrTx, idOrRef: string): Promise<string> {
  const number = refNumber('IDEA', idOrRef);
  const [row] = await db
    .select({ id: ideas.id })
    .from(ideas)
    .where(number !== undefined ? eq(ideas.number, number) : /^[0-9a-f-]{36}$/i.test(idOrRef) ? eq(ideas.id, idOrRef) : sql`false`);
  if (!row) throw ideaNotFound(idOrRef);
  return row.id;
}

async function ideaById(db: DbOrTx, actor: Actor, id: string) {
  const [row] = (await joinIdeaRefs(db.select(ideaColumns(actor)).from(ideas)).where(eq(ideas.id, id))) as IdeaRow[];
  if (!row) throw ideaNotFound(id);
  return presentIdea(actor, row);
}

/** Which states the actor may move this idea to now (the same rules `changeState` enforces). */
function allowedMoves(actor: Actor, idea: { state: string; ownerId: string | null }): IdeaState[] {
  if (!can(actor, 'ideas:progress')) return [];
  const rules = IDEA_TRANSITIONS[idea.state as IdeaState] ?? {};
  return (Object.entries(rules) as [IdeaState, 'review' | 'owner'][])
    .filter(([, rule]) => can(actor, 'ideas:review') || (rule === 'owner' && idea.ownerId === actor.id))
    .map(([to]) => to);
}

export async function getIdea(ctx: AppContext, actor: Actor, idOrRef: string): Promise<IdeaDetail> {
  assertCan(actor, 'ideas:read');
  const id = await resolveIdeaId(ctx.db, idOrRef);
  const idea = await ideaById(ctx.db, actor, id);
  const eventActor = alias(people, 'event_actor');
  const eventOwner = alias(people, 'event_owner');
  const events = await ctx.db
    .select({
      id: ideaEvents.id,
      kind: ideaEvents.kind,
      at: ideaEvents.at,
      actorId: ideaEvents.actorId,
      actorName: eventActor.name,
      fromState: ideaEvents.fromState,
      toState: ideaEvents.toState,
      ownerId: ideaEvents.ownerId,
      ownerName: eventOwner.name,
      body: ideaEvents.body,
      mentions: ideaEvents.mentions,
    })
    .from(ideaEvents)
    .leftJoin(eventActor, eq(eventActor.id, ideaEvents.actorId))
    .leftJoin(eventOwner, eq(eventOwner.id, ideaEvents.ownerId))
    .where(eq(ideaEvents.ideaId, id))
    .orderBy(asc(ideaEvents.at), asc(ideaEvents.id));
  const mentionIds = [...new Set(events.flatMap((e) => e.mentions ?? []))];
  const mentioned = mentionIds.length ? await ctx.db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, mentionIds)) : [];
  const nameOf = new Map(mentioned.map((p) => [p.id, p.name]));
  const hideAuthor = idea.anonymous && !seesAnonymousAuthors(actor);
  const history: IdeaEvent[] = events.map((e) => ({
    id: e.id,
    kind: e.kind as IdeaEvent['kind'],
    at: e.at.toISOString(),
    actor: !e.actorId || (e.kind === 'submitted' && hideAuthor) ? null : { id: e.actorId, name: e.actorName ?? '' },
    fromState: (e.fromState as IdeaState | null) ?? null,
    toState: (e.toState as IdeaState | null) ?? null,
    owner: e.ownerId ? { id: e.ownerId, name: e.ownerName ?? '' } : null,
    body: e.body,
    mentions: (e.mentions ?? []).filter((m) => nameOf.has(m)).map((m) => ({ id: m, name: nameOf.get(m)! })),
  }));
  const duplicates = await ctx.db.select({ id: ideas.id, number: ideas.number, title: ideas.title }).from(ideas).where(eq(ideas.duplicateOfId, id)).orderBy(asc(ideas.number));
  const closed = idea.state === 'declined' || idea.state === 'duplicate' || idea.state === 'done';
  return {
    ...idea,
    history,
    duplicates: duplicates.map((d) => ({ id: d.id, ref: ideaRef(d.number), title: d.title })),
    can: {
      vote: can(actor, 'ideas:vote') && idea.state !== 'duplicate',
      comment: can(actor, 'ideas:comment'),
      takeOwnership: can(actor, 'ideas:own') && !closed && idea.owner?.id !== actor.id && (!idea.owner || can(actor, 'ideas:assign')),
      assignOwner: can(actor, 'ideas:assign') && !closed,
      moveTo: allowedMoves(actor, { state: idea.state, ownerId: idea.owner?.id ?? null }),
    },
  };
}

/** Ideas whose title or description shares words (or word beginnings) with `q`: PostgreSQL full-text search. */
export async function similarIdeas(ctx: AppContext, actor: Actor, query: z.infer<typeof ideaSimilarQuery>) {
  assertCan(actor, 'ideas:read');
  const words = [...new Set((query.q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3))].slice(0, 12);
  if (!words.length) return { items: [] };
  const tsquery = words.map((w) => `${w}:*`).join(' | ');
  const document = sql`to_tsvector('english', ${ideas.title} || ' ' || ${ideas.description})`;
  const matchQuery = sql`to_tsquery('english', ${tsquery})`;
  const rank = sql<number>`ts_rank(${document}, ${matchQuery}) + 2 * ts_rank(to_tsvector('english', ${ideas.title}), ${matchQuery})`;
  const voted = sql<boolean>`exists (select 1 from idea_votes v where v.idea_id = "ideas"."id" and v.person_id = ${actorPersonId(actor) ?? '00000000-0000-0000-0000-000000000000'})`;
  const rows = await ctx.db
    .select({ id: ideas.id, number: ideas.number, title: ideas.title, state: ideas.state, votes: ideas.voteCount, voted })
    .from(ideas)
    .where(and(sql`${document} @@ ${matchQuery}`, query.exclude ? sql`${ideas.id} <> ${query.exclude}` : undefined))
    .orderBy(desc(rank), desc(ideas.voteCount))
    .limit(5);
  // The idea form offers a vote on each match, so a same idea gets a vote instead of a copy.
  const mayVote = can(actor, 'ideas:vote');
  return {
    items: rows.map((r) => ({
      id: r.id,
      ref: ideaRef(r.number),
      title: r.title,
      state: r.state as IdeaState,
      votes: Number(r.votes),
      voted: Boolean(r.voted),
      canVote: mayVote && r.state !== 'duplicate',
    })),
  };
}

export async function ideaStats(ctx: AppContext, actor: Actor): Promise<IdeaStats> {
  assertCan(actor, 'ideas:read');
  const byState = await ctx.db.select({ state: ideas.state, count: sql<number>`count(*)::int` }).from(ideas).groupBy(ideas.state);
  const month = sql<string>`to_char(date_trunc('month', ${ideas.createdAt} at time zone 'UTC'), 'YYYY-MM')`;
  const department = sql<string>`coalesce(${departments.name}, 'Anonymous')`;
  const byMonth = await ctx.db
    .select({ month, department, count: sql<number>`count(*)::int` })
    .from(ideas)
    .leftJoin(departments, eq(departments.id, ideas.departmentId))
    .where(sql`${ideas.createdAt} >= date_trunc('month', now() at time zone 'UTC') - interval '5 months'`)
    .groupBy(month, department)
    .orderBy(month, department);
  const counts = new Map(byState.map((r) => [r.state, Number(r.count)]));
  return {
    byState: (Object.keys(IDEA_STATE_LABELS) as IdeaState[]).map((state) => ({ state, count: counts.get(state) ?? 0 })),
    byMonth: byMonth.map((r) => ({ month: r.month, department: r.department, count: Number(r.count) })),
  };
}

// ---------------------------------------------------------------- writing

async function lockIdea(tx: DbOrTx, idOrRef: string) {
  const id = await resolveIdeaId(tx, idOrRef);
  const [row] = await tx.select().from(ideas).where(eq(ideas.id, id)).for('update');
  if (!row) throw ideaNotFound(idOrRef);
  return row;
}

async function addEvent(tx: DbOrTx, actor: Actor, ideaId: string, event: { kind: IdeaEvent['kind']; fromState?: string; toState?: string; ownerId?: string | null; body?: string; mentions?: string[]; at?: Date }) {
  await tx.insert(ideaEvents).values({
    id: uuidv7(),
    ideaId,
    kind: event.kind,
    actorId: actorPersonId(actor),
    at: event.at ?? new Date(),
    fromState: event.fromState ?? null,
    toState: event.toState ?? null,
    ownerId: event.ownerId ?? null,
    body: event.body ?? null,
    mentions: event.mentions ?? [],
  });
}

const ideaPath = (idea: { number: number }) => `/ideas/${ideaRef(idea.number)}`;

export async function submitIdea(ctx: AppContext, actor: Actor, input: z.infer<typeof ideaInput>, options: { at?: Date } = {}) {
  assertCan(actor, 'ideas:submit');
  return ctx.db.transaction(async (tx) => {
    if (input.storeId) {
      const [store] = await tx.select({ id: stores.id, active: stores.active }).from(stores).where(eq(stores.id, input.storeId));
      if (!store) throw invalid('storeId', 'no such store');
      if (!store.active) throw invalid('storeId', 'the store is closed (inactive)');
    }
    const id = uuidv7();
    const at = options.at ?? new Date();
    const [row] = await tx
      .insert(ideas)
      .values({
        id,
        ...input,
        departmentId: input.anonymous ? null : actor.departmentId,
        authorId: actor.id,
        createdAt: at,
        updatedAt: at,
        lastActivityAt: at,
      })
      .returning({ number: ideas.number });
    await addEvent(tx, actor, id, { kind: 'submitted', toState: 'submitted', at });
    await recordAudit(tx, actor, {
      action: 'create',
      entity: 'idea',
      entityId: id,
      summary: `Submitted ${ideaRef(row.number)} "${input.title}"${input.anonymous ? ' anonymously (the author is hidden from everyone but admins)' : ''}`,
      after: { ...input, anonymous: input.anonymous, authorHidden: input.anonymous },
    });
    return ideaById(tx, actor, id);
  });
}

/** Recounts the stored vote count of these ideas from their votes, in one statement. */
const recountVotes = (tx: DbOrTx, ids: string[]) =>
  tx.update(ideas).set({ voteCount: sql`(select count(*)::int from idea_votes v where v.idea_id = "ideas"."id")` }).where(inArray(ideas.id, ids));

export async function toggleVote(ctx: AppContext, actor: Actor, idOrRef: string) {
  assertCan(actor, 'ideas:vote');
  return ctx.db.transaction(async (tx) => {
    const idea = await lockIdea(tx, idOrRef);
    if (idea.state === 'duplicate') throw conflict('state', `${ideaRef(idea.number)} is a duplicate; vote on the original idea instead`);
    const removed = await tx.delete(ideaVotes).where(and(eq(ideaVotes.ideaId, idea.id), eq(ideaVotes.personId, actor.id))).returning({ personId: ideaVotes.personId });
    const voted = removed.length === 0;
    if (voted) await tx.insert(ideaVotes).values({ ideaId: idea.id, personId: actor.id });
    const [updated] = await recountVotes(tx, [idea.id]).returning({ votes: ideas.voteCount });
    await recordAudit(tx, actor, {
      action: voted ? 'vote' : 'unvote',
      entity: 'idea',
      entityId: idea.id,
      summary: `${voted ? 'Voted for' : 'Withdrew the vote for'} ${ideaRef(idea.number)}`,
      before: { votes: idea.voteCount },
      after: { votes: updated.votes },
    });
    return { voted, votes: Number(updated.votes) };
  });
}

export async function addComment(ctx: AppContext, actor: Actor, idOrRef: string, input: z.infer<typeof ideaCommentInput>, options: { at?: Date } = {}) {
  assertCan(actor, 'ideas:comment');
  return ctx.db.transaction(async (tx) => {
    const idea = await lockIdea(tx, idOrRef);
    const mentioned = (await resolveMentions(tx, input.body)).filter((p) => p.id !== actor.id);
    const at = options.at ?? new Date();
    await addEvent(tx, actor, idea.id, { kind: 'comment', body: input.body, mentions: mentioned.map((p) => p.id), at });
    await tx.update(ideas).set({ commentCount: sql`${ideas.commentCount} + 1`, lastActivityAt: at, updatedAt: at }).where(eq(ideas.id, idea.id));
    const ref = ideaRef(idea.number);
    await ctx.notifier.notify(tx, {
      kind: 'idea_mention',
      recipients: mentioned.map((p) => p.id),
      actorId: actorPersonId(actor),
      title: `${actor.name} mentioned you on ${ref}: ${idea.title}`,
      body: input.body,
      link: ideaPath(idea),
      recordRef: ref,
    });
    // The author (even an anonymous one: the notice is theirs alone) and the owner hear of comments.
    const mentionedIds = new Set(mentioned.map((p) => p.id));
    await ctx.notifier.notify(tx, {
      kind: 'idea_comment',
      recipients: [idea.authorId, idea.ownerId].filter((id) => id && !mentionedIds.has(id)),
      actorId: actorPersonId(actor),
      title: `${actor.name} commented on ${ref}: ${idea.title}`,
      body: input.body,
      link: ideaPath(idea),
      recordRef: ref,
    });
    await recordAudit(tx, actor, {
      action: 'comment',
      entity: 'idea',
      entityId: idea.id,
      summary: `Commented on ${ideaRef(idea.number)}${mentioned.length ? `, mentioning ${mentioned.map((p) => p.name).join(', ')}` : ''}`,
      after: { body: input.body, mentions: mentioned.map((p) => p.id) },
    });
    // After a write the response is the idea itself; the detail page refetches its history.
    return ideaById(tx, actor, idea.id);
  });
}

/** The person who will own an idea: active, and in a role that may own ideas. */
async function assertPossibleOwner(tx: DbOrTx, personId: string) {
  const [person] = await tx.select({ id: people.id, name: people.name, email: people.email, role: people.role, active: people.active }).from(people).where(eq(people.id, personId));
  if (!person) throw invalid('ownerId', 'no such person');
  if (!person.active) throw invalid('ownerId', `${person.name} is deactivated`);
  if (!roleCan(person.role as Role, 'ideas:own')) throw invalid('ownerId', `${person.name} is ${person.role === 'staff' ? 'store staff' : 'a viewer'} and cannot own ideas; choose a member or lead`);
  return person;
}

async function setOwner(ctx: AppContext, tx: DbOrTx, actor: Actor, idea: typeof ideas.$inferSelect, person: { id: string; name: string; email: string }, at = new Date()) {
  await tx.update(ideas).set({ ownerId: person.id, updatedAt: at, lastActivityAt: at }).where(eq(ideas.id, idea.id));
  await addEvent(tx, actor, idea.id, { kind: 'owner', ownerId: person.id, at });
  const self = person.id === actor.id;
  await recordAudit(tx, actor, {
    action: 'update',
    entity: 'idea',
    entityId: idea.id,
    summary: self ? `Took ownership of ${ideaRef(idea.number)}` : `Made ${person.name} owner of ${ideaRef(idea.number)}`,
    before: { ownerId: idea.ownerId },
    after: { ownerId: person.id },
  });
  await ctx.notifier.notify(tx, {
    kind: 'idea_owner',
    recipients: [person.id],
    actorId: actorPersonId(actor),
    title: `You now own ${ideaRef(idea.number)}: ${idea.title}`,
    body: `${actor.name} made you the owner of the idea ${ideaRef(idea.number)} "${idea.title}". As owner you move it from accepted to in progress and done, and you are credited for it.`,
    link: ideaPath(idea),
    recordRef: ideaRef(idea.number),
  });
}

const CLOSED_FOR_OWNERSHIP = new Set(['declined', 'duplicate', 'done']);
const VOTERS_HEAR = new Set<IdeaState>(['accepted', 'declined', 'duplicate', 'done']);

export async function takeOwnership(ctx: AppContext, actor: Actor, idOrRef: string) {
  assertCan(actor, 'ideas:own');
  return ctx.db.transaction(async (tx) => {
    const idea = await lockIdea(tx, idOrRef);
    if (CLOSED_FOR_OWNERSHIP.has(idea.state)) throw conflict('state', `${ideaRef(idea.number)} is ${IDEA_STATE_LABELS[idea.state as IdeaState].toLowerCase()}; it takes no owner`);
    if (idea.ownerId === actor.id) return ideaById(tx, actor, idea.id);
    if (idea.ownerId && !can(actor, 'ideas:assign')) {
      const [current] = await tx.select({ name: people.name }).from(people).where(eq(people.id, idea.ownerId));
      throw conflict('ownerId', `${ideaRef(idea.number)} is owned by ${current?.name ?? 'someone else'}; a lead can reassign it`);
    }
    await setOwner(ctx, tx, actor, idea, { id: actor.id, name: actor.name, email: actor.email });
    return ideaById(tx, actor, idea.id);
  });
}

export async function assignOwner(ctx: AppContext, actor: Actor, idOrRef: string, ownerId: string) {
  assertCan(actor, 'ideas:assign');
  return ctx.db.transaction(async (tx) => {
    const idea = await lockIdea(tx, idOrRef);
    if (CLOSED_FOR_OWNERSHIP.has(idea.state)) throw conflict('state', `${ideaRef(idea.number)} is ${IDEA_STATE_LABELS[idea.state as IdeaState].toLowerCase()}; it takes no owner`);
    const person = await assertPossibleOwner(tx, ownerId);
    if (idea.ownerId !== person.id) await setOwner(ctx, tx, actor, idea, person);
    return ideaById(tx, actor, idea.id);
  });
}

/**
 * Moves an idea through its states. Review moves are for leads and admins; the owner moves an
 * accepted idea to in progress and done. Declining needs a reason; a duplicate names its original,
 * whose votes absorb the duplicate's (one per person).
 */
export async function changeState(ctx: AppContext, actor: Actor, idOrRef: string, input: z.infer<typeof ideaStateChange>, options: { at?: Date } = {}) {
  assertCan(actor, 'ideas:progress');
  return ctx.db.transaction(async (tx) => {
    const idea = await lockIdea(tx, idOrRef);
    const from = idea.state as IdeaState;
    const to = input.state;
    const rule = IDEA_TRANSITIONS[from][to];
    if (!rule) {
      const possible = Object.keys(IDEA_TRANSITIONS[from]).map((s) => IDEA_STATE_LABELS[s as IdeaState].toLowerCase());
      throw conflict('state', `${ideaRef(idea.number)} is ${IDEA_STATE_LABELS[from].toLowerCase()}; it can move to ${possible.join(', ')}, not ${IDEA_STATE_LABELS[to].toLowerCase()}`);
    }
    const isReviewer = can(actor, 'ideas:review');
    if (rule === 'review' && !isReviewer) throw forbidden(`Only leads and admins move an idea from ${IDEA_STATE_LABELS[from].toLowerCase()} to ${IDEA_STATE_LABELS[to].toLowerCase()}`);
    if (rule === 'owner' && !isReviewer && idea.ownerId !== actor.id) throw forbidden(`Only the owner of ${ideaRef(idea.number)} (or a lead) moves it to ${IDEA_STATE_LABELS[to].toLowerCase()}`);
    if (to === 'declined' && !input.reason) throw invalid('reason', 'is required when declining an idea');

    let newOwner: Awaited<ReturnType<typeof assertPossibleOwner>> | undefined;
    if (input.ownerId && input.ownerId !== idea.ownerId) {
      if (!can(actor, 'ideas:assign')) throw forbidden('Only leads and admins assign an owner');
      newOwner = await assertPossibleOwner(tx, input.ownerId);
    }
    if ((to === 'in_progress' || to === 'done') && !idea.ownerId && !newOwner) throw invalid('ownerId', 'an idea in progress needs an owner: take ownership or assign one first');

    let originalIdea: typeof ideas.$inferSelect | undefined;
    if (to === 'duplicate') {
      const originalId = await resolveIdeaId(tx, input.duplicateOf!).catch(() => {
        throw invalid('duplicateOf', `no idea ${input.duplicateOf}`);
      });
      if (originalId === idea.id) throw invalid('duplicateOf', 'an idea cannot be a duplicate of itself');
      [originalIdea] = await tx.select().from(ideas).where(eq(ideas.id, originalId)).for('update');
      if (originalIdea.state === 'duplicate') throw invalid('duplicateOf', `${ideaRef(originalIdea.number)} is itself a duplicate; link its original instead`);
    }

    const at = options.at ?? new Date();
    if (newOwner) await setOwner(ctx, tx, actor, idea, newOwner, at);
    await tx
      .update(ideas)
      .set({
        state: to,
        declineReason: to === 'declined' ? input.reason! : null,
        duplicateOfId: to === 'duplicate' ? originalIdea!.id : null,
        updatedAt: at,
        lastActivityAt: at,
      })
      .where(eq(ideas.id, idea.id));
    await addEvent(tx, actor, idea.id, {
      kind: 'state',
      fromState: from,
      toState: to,
      body: to === 'declined' ? input.reason : to === 'duplicate' ? `Duplicate of ${ideaRef(originalIdea!.number)}` : input.reason || undefined,
      at,
    });

    let merged = 0;
    if (originalIdea) {
      // One vote per person: voters of both keep a single vote on the original.
      const moved = await tx.execute(sql`
        insert into idea_votes (idea_id, person_id, created_at)
        select ${originalIdea.id}, v.person_id, v.created_at from idea_votes v where v.idea_id = ${idea.id}
        on conflict do nothing returning person_id`);
      merged = (moved as unknown as { rows: unknown[] }).rows.length;
      await tx.delete(ideaVotes).where(eq(ideaVotes.ideaId, idea.id));
      await recountVotes(tx, [idea.id, originalIdea.id]);
      await addEvent(tx, actor, originalIdea.id, { kind: 'votes_merged', body: `${ideaRef(idea.number)} "${idea.title}" was marked a duplicate of this idea; ${merged} of its ${idea.voteCount} votes moved here (the rest had voted here already)`, at });
    }

    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'idea',
      entityId: idea.id,
      summary: `Moved ${ideaRef(idea.number)} from ${IDEA_STATE_LABELS[from].toLowerCase()} to ${IDEA_STATE_LABELS[to].toLowerCase()}${to === 'duplicate' ? ` (duplicate of ${ideaRef(originalIdea!.number)}, ${merged} votes merged)` : ''}`,
      before: { state: from, declineReason: idea.declineReason, duplicateOfId: idea.duplicateOfId },
      after: { state: to, declineReason: to === 'declined' ? input.reason : null, duplicateOfId: originalIdea?.id ?? null },
    });

    // The author hears about their idea's fate (also when they chose to be anonymous), and so does
    // its owner; voters hear of decisions and completion, not of every step in between.
    const voters = VOTERS_HEAR.has(to) ? await tx.select({ id: ideaVotes.personId }).from(ideaVotes).where(eq(ideaVotes.ideaId, originalIdea ? originalIdea.id : idea.id)) : [];
    const why = to === 'declined' ? [`The reason: ${input.reason}`] : to === 'duplicate' ? [`It is a duplicate of ${ideaRef(originalIdea!.number)} "${originalIdea!.title}"; votes count there.`] : [];
    await ctx.notifier.notify(tx, {
      kind: 'idea_state',
      recipients: [idea.authorId, newOwner?.id ?? idea.ownerId, ...voters.map((v) => v.id)],
      actorId: actorPersonId(actor),
      title: `${ideaRef(idea.number)} is now ${IDEA_STATE_LABELS[to].toLowerCase()}: ${idea.title}`,
      body: [`The idea ${ideaRef(idea.number)} "${idea.title}" moved from ${IDEA_STATE_LABELS[from].toLowerCase()} to ${IDEA_STATE_LABELS[to].toLowerCase()}.`, ...why].join('\n\n'),
      link: ideaPath(idea),
      recordRef: ideaRef(idea.number),
    });
    return ideaById(tx, actor, idea.id);
  });
}

// ---------------------------------------------------------------- My work

registerHomeContributor(async (ctx, actor) => {
  if (!can(actor, 'ideas:read')) return {};
  const owned = await ctx.db
    .select({ id: ideas.id, number: ideas.number, title: ideas.title, state: ideas.state, votes: ideas.voteCount, lastActivityAt: ideas.lastActivityAt })
    .from(ideas)
    .where(and(eq(ideas.ownerId, actor.id), inArray(ideas.state, OPEN_STATES)))
    .orderBy(desc(ideas.voteCount), asc(ideas.number))
    .limit(50);
  const actions: HomeAction[] = owned.slice(0, 10).map((i) => ({
    kind: 'idea',
    label: `${ideaRef(i.number)} ${i.title}`,
    detail: `You own it · ${IDEA_STATE_LABELS[i.state as IdeaState]} · ${i.votes} vote${i.votes === 1 ? '' : 's'}`,
    href: `/ideas/${ideaRef(i.number)}`,
    due: null,
  }));
  const figures: HomeFigure[] = can(actor, 'ideas:own') ? [{ label: 'Ideas I own', value: owned.length, window: 'open now', href: '/ideas?mine=owned' }] : [];
  if (can(actor, 'ideas:review')) {
    const [waiting] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(ideas).where(eq(ideas.state, 'submitted'));
    const n = Number(waiting?.n ?? 0);
    if (n > 0) actions.push({ kind: 'idea', label: `${n} idea${n === 1 ? '' : 's'} waiting for review`, detail: 'Submitted ideas nobody has reviewed yet', href: '/ideas?state=submitted', due: null });
    figures.push({ label: 'Ideas to review', value: n, window: 'now', href: '/ideas?state=submitted' });
  }
  // "What became of my idea": the person's own ideas with their state, and the way to submit one.
  const mine = await ctx.db
    .select({ number: ideas.number, title: ideas.title, state: ideas.state, votes: ideas.voteCount })
    .from(ideas)
    .where(eq(ideas.authorId, actor.id))
    .orderBy(desc(ideas.lastActivityAt))
    .limit(6);
  const lists: HomeList[] = [
    {
      key: 'my-ideas',
      title: 'My ideas',
      window: null,
      items: mine.map((i) => ({ label: `${ideaRef(i.number)} ${i.title}`, detail: `${i.votes} vote${i.votes === 1 ? '' : 's'}`, href: `/ideas/${ideaRef(i.number)}`, badge: IDEA_STATE_LABELS[i.state as IdeaState] })),
      empty: 'You have not submitted an idea yet. Anything that would cut losses or save time counts.',
      action: can(actor, 'ideas:submit') ? { label: 'Submit an idea', href: '/ideas/new' } : null,
    },
  ];
  return { actions, figures, lists };
});

// ---------------------------------------------------------------- global search

registerSearchProvider({
  kind: 'ideas',
  label: 'Ideas',
  order: 20,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'ideas:read')) return [];
    const ref = terms.ref('IDEA');
    // The same expression as the GIN index ideas_simple_search_idx. Authors are never searched or shown:
    // an anonymous idea must not be found by its author's name.
    const document = sql`to_tsvector('simple', ${ideas.title} || ' ' || ${ideas.description})`;
    const query = terms.tsquery && !ref?.prefixed ? sql`to_tsquery('simple', ${terms.tsquery})` : null;
    const match = or(ref ? (ref.digits ? sql`${ideas.number}::text like ${`${ref.digits}%`}` : sql`true`) : undefined, query ? sql`${document} @@ ${query}` : undefined);
    if (!match) return [];
    const rows = await ctx.db
      .select({ id: ideas.id, number: ideas.number, title: ideas.title, state: ideas.state, votes: ideas.voteCount })
      .from(ideas)
      .where(and(ideasVisibleSql(actor), match))
      .orderBy(
        ...[ref?.exact != null ? desc(sql`${ideas.number} = ${ref.exact}`) : undefined, query ? desc(sql`ts_rank(${document}, ${query})`) : undefined].filter((o) => o !== undefined),
        desc(ideas.number),
      )
      .limit(limit);
    return rows.map((r) => ({
      id: r.id,
      ref: ideaRef(r.number),
      title: r.title,
      subtitle: `${IDEA_STATE_LABELS[r.state as IdeaState]} · ${r.votes} vote${Number(r.votes) === 1 ? '' : 's'}`,
      link: `/ideas/${ideaRef(r.number)}`,
    }));
  },
});
