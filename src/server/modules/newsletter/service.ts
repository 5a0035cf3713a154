import { and, asc, desc, eq, getTableColumns, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  editionRef,
  type Audience,
  type AudienceSize,
  type Edition,
  type EditionPreview,
  type EditionSection,
  type EditionStatus,
  type EditionSummary,
  type NewsletterCadence,
  type Preferences,
  type RecipientCounts,
  type SendProgress,
  type SubscriberFrequency,
  type SubscriberStatus,
  type archiveQuery,
  type bounceInput,
  type editionListQuery,
  type editionUpdateInput,
  type newEditionInput,
  type preferencesInput,
  type recipientListQuery,
  type scheduleInput,
  type settingsInput,
  type subscriberInput,
  type subscriberListQuery,
} from '../../../contracts/newsletter.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { containsPattern, paginate, refNumber } from '../../platform/list.js';
import { newsletterContributors, type NewsletterPeriod } from '../../platform/newsletter-sections.js';
import { assertCan, type Actor } from '../../platform/policy.js';
import { departments, people } from '../people/schema.js';
import { periodLabel, renderEdition } from './render.js';
import { newsletterEditions, newsletterRecipients, newsletterSettings, newsletterSubscribers } from './schema.js';
import { settingsRow, signToken, verifyToken } from './tokens.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const DAY = 86_400_000;
export const DEFAULT_TITLE = 'Security & IT newsletter';

// ---------------------------------------------------------------- periods

/** The week (Monday 00:00 UTC to the next Monday) or calendar month holding `day`. */
export function periodOf(cadence: NewsletterCadence, day: Date): NewsletterPeriod {
  if (cadence === 'monthly') {
    const from = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
    return { from, to: new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1)) };
  }
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const from = new Date(midnight - ((day.getUTCDay() + 6) % 7) * DAY);
  return { from, to: new Date(from.getTime() + 7 * DAY) };
}

/** The last full period before `now`: last week, or last month. */
export function lastFullPeriod(cadence: NewsletterCadence, now = new Date()): NewsletterPeriod {
  const current = periodOf(cadence, now);
  return periodOf(cadence, new Date(current.from.getTime() - 1));
}

// ---------------------------------------------------------------- drafting

/**
 * The sections of a fresh draft: every registered contributor, in its order. A contributor writes
 * only what the whole organisation may read (see platform/newsletter-sections.ts); a contributor
 * that fails leaves its sections out rather than stopping the draft.
 */
export async function draftSections(ctx: AppContext, period: NewsletterPeriod): Promise<EditionSection[]> {
  const sections: EditionSection[] = [];
  const seen = new Set<string>();
  for (const contributor of newsletterContributors()) {
    let drafted;
    try {
      drafted = await contributor.draft(ctx, period);
    } catch (err) {
      console.error(`newsletter contributor ${contributor.kind} failed`, err);
      continue;
    }
    for (const section of drafted) {
      let id = section.key.includes(':') ? section.key : `${contributor.kind}:${section.key}`;
      while (seen.has(id)) id = `${id}+`;
      seen.add(id);
      sections.push({ id, source: contributor.kind, title: section.title, blocks: section.blocks });
    }
  }
  return sections;
}

/** A fresh edition goes to the security and IT departments (loss prevention, security operations, IT, InfoSec) and to every subscriber. */
async function defaultAudience(db: DbOrTx): Promise<Audience> {
  const rows = await db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.active, true), inArray(departments.kind, ['lp', 'security', 'it', 'infosec'])))
    .orderBy(asc(departments.code));
  return { departmentIds: rows.map((r) => r.id), storeIds: [], regions: [], roles: [], subscribers: true };
}

export async function createEdition(ctx: AppContext, actor: Actor, input: z.infer<typeof newEditionInput>): Promise<Edition> {
  assertCan(actor, 'newsletter:edit');
  const period = input.periodOf ? periodOf(input.cadence, new Date(input.periodOf)) : lastFullPeriod(input.cadence);
  const sections = await draftSections(ctx, period);
  const id = uuidv7();
  await ctx.db.transaction(async (tx) => {
    const audience = await defaultAudience(tx);
    await tx.insert(newsletterEditions).values({
      id,
      cadence: input.cadence,
      periodFrom: period.from,
      periodTo: period.to,
      title: DEFAULT_TITLE,
      sections,
      audience,
      createdBy: actor.via === 'system' ? null : actor.id,
      updatedBy: actor.via === 'system' ? null : actor.id,
    });
    await recordAudit(tx, actor, {
      action: 'create',
      entity: 'newsletter_edition',
      entityId: id,
      summary: `Drafted a ${input.cadence} newsletter for ${periodLabel(input.cadence, period.from, period.to)} (${sections.length} sections)`,
      after: { cadence: input.cadence, periodFrom: period.from, periodTo: period.to, sections: sections.map((s) => s.id) },
    });
  });
  return getEdition(ctx, actor, id);
}

/** Drafts the period's sections again (the editor's own sections and note stay). */
export async function redraftEdition(ctx: AppContext, actor: Actor, id: string): Promise<Edition> {
  assertCan(actor, 'newsletter:edit');
  const edition = await loadEdition(ctx.db, id);
  assertDraft(edition);
  const fresh = await draftSections(ctx, { from: edition.periodFrom, to: edition.periodTo });
  const own = edition.sections.filter((s) => s.source === null);
  await ctx.db.transaction(async (tx) => {
    await tx.update(newsletterEditions).set({ sections: [...fresh, ...own], updatedAt: new Date(), updatedBy: actor.via === 'system' ? null : actor.id }).where(eq(newsletterEditions.id, id));
    await recordAudit(tx, actor, { action: 'update', entity: 'newsletter_edition', entityId: id, summary: `Drafted ${editionRef(edition.number)} again from the period's work`, after: { sections: fresh.map((s) => s.id) } });
  });
  return getEdition(ctx, actor, id);
}

// ---------------------------------------------------------------- reading

type EditionRow = typeof newsletterEditions.$inferSelect;

async function loadEdition(db: DbOrTx, id: string): Promise<EditionRow> {
  const [row] = await db.select().from(newsletterEditions).where(eq(newsletterEditions.id, id));
  if (!row) throw new AppError(404, 'not_found', `Edition ${id} not found`, [{ field: 'id', message: 'no edition with this id' }]);
  return row;
}

function assertDraft(edition: EditionRow) {
  if (edition.status !== 'draft') throw conflict('status', `${editionRef(edition.number)} is ${edition.status}; only a draft can be changed (unschedule it first)`);
}

function summary(row: EditionRow): EditionSummary {
  return {
    id: row.id,
    number: row.number,
    ref: editionRef(row.number),
    title: row.title,
    cadence: row.cadence as NewsletterCadence,
    periodFrom: row.periodFrom.toISOString(),
    periodTo: row.periodTo.toISOString(),
    status: row.status as EditionStatus,
    scheduledAt: iso(row.scheduledAt),
    sentAt: iso(row.sentAt),
    recipients: row.recipientCount,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function recipientCounts(db: DbOrTx, editionId: string): Promise<RecipientCounts> {
  const rows = await db
    .select({ status: newsletterRecipients.status, n: sql<number>`count(*)::int` })
    .from(newsletterRecipients)
    .where(eq(newsletterRecipients.editionId, editionId))
    .groupBy(newsletterRecipients.status);
  const counts: RecipientCounts = { total: 0, queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0 };
  for (const r of rows) {
    counts[r.status as keyof Omit<RecipientCounts, 'total'>] = Number(r.n);
    counts.total += Number(r.n);
  }
  return counts;
}

async function present(db: DbOrTx, row: EditionRow): Promise<Edition> {
  const [creator] = row.createdBy ? await db.select({ name: people.name }).from(people).where(eq(people.id, row.createdBy)) : [];
  return {
    ...summary(row),
    editorNote: row.editorNote,
    sections: row.sections,
    audience: row.audience,
    createdByName: creator?.name ?? null,
    counts: await recipientCounts(db, row.id),
  };
}

export async function getEdition(ctx: AppContext, actor: Actor, id: string): Promise<Edition> {
  assertCan(actor, 'newsletter:edit');
  return present(ctx.db, await loadEdition(ctx.db, id));
}

const sortColumns = {
  number: newsletterEditions.number,
  period: newsletterEditions.periodFrom,
  status: newsletterEditions.status,
  sent: newsletterEditions.sentAt,
};

function editionWhere(query: { q?: string; status?: EditionStatus; cadence?: NewsletterCadence }, onlySent = false): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (onlySent) conditions.push(eq(newsletterEditions.status, 'sent'));
  if (query.status) conditions.push(eq(newsletterEditions.status, query.status));
  if (query.cadence) conditions.push(eq(newsletterEditions.cadence, query.cadence));
  if (query.q) {
    const n = refNumber('NL', query.q, { bare: true });
    conditions.push(or(ilike(newsletterEditions.title, containsPattern(query.q)), n !== undefined ? eq(newsletterEditions.number, n) : undefined));
  }
  return and(...conditions);
}

export async function listEditions(ctx: AppContext, actor: Actor, query: z.infer<typeof editionListQuery>) {
  assertCan(actor, 'newsletter:edit');
  const page = await paginate<EditionRow, typeof query.sort>(ctx.db, {
    table: newsletterEditions,
    select: getTableColumns(newsletterEditions),
    where: editionWhere(query),
    sortColumns,
    idColumn: newsletterEditions.id,
    params: query,
  });
  return { ...page, items: page.items.map(summary) };
}

/** Sent editions, for everyone: what went out, exactly as it went out. */
export async function listArchive(ctx: AppContext, actor: Actor, query: z.infer<typeof archiveQuery>) {
  assertCan(actor, 'newsletter:read');
  const page = await paginate<EditionRow, 'sent'>(ctx.db, {
    table: newsletterEditions,
    select: getTableColumns(newsletterEditions),
    where: editionWhere(query, true),
    sortColumns: { sent: newsletterEditions.sentAt },
    idColumn: newsletterEditions.id,
    params: { ...query, sort: 'sent' },
  });
  return { ...page, items: page.items.map(summary) };
}

export async function getArchived(ctx: AppContext, actor: Actor | undefined, id: string, options: { publicLink?: boolean } = {}): Promise<Edition & EditionPreview> {
  if (options.publicLink) {
    const settings = await settingsRow(ctx.db);
    if (!settings.publicArchive) throw notFound('Edition');
  } else assertCan(actor, 'newsletter:read');
  const row = await loadEdition(ctx.db, id);
  if (row.status !== 'sent') throw notFound('Edition');
  const rendered = await renderFor(ctx, row, { preferencesUrl: `${ctx.config.publicUrl}/newsletter/preferences` });
  const edition = await present(ctx.db, row);
  // Readers see what went out, not who it went to.
  return { ...edition, audience: { departmentIds: [], storeIds: [], regions: [], roles: [], subscribers: false }, createdByName: null, counts: { ...edition.counts }, ...rendered };
}

function renderable(row: EditionRow) {
  return {
    ref: editionRef(row.number),
    title: row.title,
    periodLabel: periodLabel(row.cadence as NewsletterCadence, row.periodFrom, row.periodTo),
    editorNote: row.editorNote,
    sections: row.sections,
  };
}

async function renderFor(ctx: AppContext, row: EditionRow, options: { preferencesUrl: string }): Promise<EditionPreview> {
  const r = await renderEdition(renderable(row), { imageMode: 'data', preferencesUrl: options.preferencesUrl, archiveUrl: `${ctx.config.publicUrl}/newsletter/archive/${row.id}` });
  return { subject: r.subject, html: r.html, text: r.text };
}

export { renderable as renderableEdition };

export async function previewEdition(ctx: AppContext, actor: Actor, id: string): Promise<EditionPreview> {
  assertCan(actor, 'newsletter:edit');
  const row = await loadEdition(ctx.db, id);
  const token = await signToken(ctx.db, 'prefs', actor.email);
  return renderFor(ctx, row, { preferencesUrl: `${ctx.config.publicUrl}/newsletter/preferences?token=${encodeURIComponent(token)}` });
}

// ---------------------------------------------------------------- editing

export async function updateEdition(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof editionUpdateInput>): Promise<Edition> {
  assertCan(actor, 'newsletter:edit');
  if (input.sections) {
    const ids = new Set<string>();
    input.sections.forEach((s, i) => {
      if (ids.has(s.id)) throw invalid(`sections.${i}.id`, 'appears twice');
      ids.add(s.id);
    });
  }
  if (input.audience) await validateAudience(ctx.db, input.audience);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(newsletterEditions).where(eq(newsletterEditions.id, id)).for('update');
    if (!before) throw notFound('Edition');
    assertDraft(before);
    const patch: Partial<EditionRow> = { updatedAt: new Date(), updatedBy: actor.via === 'system' ? null : actor.id };
    if (input.title !== undefined) patch.title = input.title;
    if (input.editorNote !== undefined) patch.editorNote = input.editorNote;
    if (input.sections !== undefined) patch.sections = input.sections;
    if (input.audience !== undefined) patch.audience = input.audience;
    await tx.update(newsletterEditions).set(patch).where(eq(newsletterEditions.id, id));
    const changed = Object.keys(input).filter((k) => JSON.stringify((input as Record<string, unknown>)[k]) !== JSON.stringify((before as Record<string, unknown>)[k]));
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'newsletter_edition',
      entityId: id,
      summary: `Edited ${editionRef(before.number)}: ${changed.join(', ') || 'no change'}`,
      before: Object.fromEntries(changed.map((k) => [k, k === 'sections' ? before.sections.map((s) => s.id) : (before as Record<string, unknown>)[k]])),
      after: Object.fromEntries(changed.map((k) => [k, k === 'sections' ? input.sections!.map((s) => s.id) : (input as Record<string, unknown>)[k]])),
    });
  });
  return getEdition(ctx, actor, id);
}

async function validateAudience(db: DbOrTx, audience: Audience) {
  if (audience.departmentIds.length) {
    const found = await db.select({ id: departments.id }).from(departments).where(inArray(departments.id, audience.departmentIds));
    const missing = audience.departmentIds.findIndex((d) => !found.some((f) => f.id === d));
    if (missing >= 0) throw invalid(`audience.departmentIds.${missing}`, 'no department with this id');
  }
  if (audience.storeIds.length) {
    const found = (await db.execute(sql`select id from stores where id in (${sql.join(audience.storeIds.map((s) => sql`${s}`), sql`, `)})`)) as unknown;
    const ids = new Set(rowsOf<{ id: string }>(found).map((r) => r.id));
    const missing = audience.storeIds.findIndex((s) => !ids.has(s));
    if (missing >= 0) throw invalid(`audience.storeIds.${missing}`, 'no store with this id');
  }
}

export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

// ---------------------------------------------------------------- audience

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

/**
 * The edition's recipients, in SQL: active people in the chosen departments, stores, regions or
 * roles, plus confirmed opt-in subscribers; one row per address; minus every address that
 * unsubscribed or bounced, and (for a weekly edition) those who asked for the monthly one only.
 */
export function audienceSql(audience: Audience, cadence: NewsletterCadence): SQL {
  const who: SQL[] = [];
  if (audience.departmentIds.length) who.push(sql`p.department_id in (${list(audience.departmentIds)})`);
  if (audience.storeIds.length) who.push(sql`p.store_id in (${list(audience.storeIds)})`);
  if (audience.regions.length) who.push(sql`s.region in (${list(audience.regions)})`);
  if (audience.roles.length) who.push(sql`p.role in (${list(audience.roles)})`);
  const peopleWhere = who.length ? sql.join(who, sql` or `) : sql`false`;
  return sql`
    select distinct on (a.email) a.email, a.name, a.person_id, a.pri
      from (
        select lower(p.email) as email, p.name, p.id as person_id, 0 as pri
          from people p left join stores s on s.id = p.store_id
         where p.active and (${peopleWhere})
        union all
        select ns.email, ns.name, ns.person_id, 1 as pri
          from newsletter_subscribers ns
         where ${audience.subscribers ? sql`true` : sql`false`} and ns.opt_in and ns.status = 'active'
      ) a
     where not exists (
       select 1 from newsletter_subscribers x
        where x.email = a.email
          and (x.status in ('unsubscribed', 'bounced') or (${cadence} = 'weekly' and x.frequency = 'monthly')))
     order by a.email, a.pri`;
}

export async function audienceSize(ctx: AppContext, actor: Actor, id: string): Promise<AudienceSize> {
  assertCan(actor, 'newsletter:edit');
  const row = await loadEdition(ctx.db, id);
  const audience = row.audience;
  const counted = rowsOf<{ people: number; subscribers: number; total: number }>(
    await ctx.db.execute(sql`select count(*) filter (where r.pri = 0)::int as people, count(*) filter (where r.pri = 1)::int as subscribers, count(*)::int as total from (${audienceSql(audience, row.cadence as NewsletterCadence)}) r`),
  )[0]!;
  const optedOut = rowsOf<{ n: number }>(await ctx.db.execute(sql`select count(*)::int as n from newsletter_subscribers where status in ('unsubscribed','bounced')`))[0]!;
  return { people: Number(counted.people), subscribers: Number(counted.subscribers), total: Number(counted.total), excluded: Number(optedOut.n) };
}

// ---------------------------------------------------------------- scheduling

export async function scheduleEdition(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof scheduleInput>): Promise<Edition> {
  assertCan(actor, 'newsletter:edit');
  const at = input.at ? new Date(input.at) : new Date();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(newsletterEditions).where(eq(newsletterEditions.id, id)).for('update');
    if (!row) throw notFound('Edition');
    assertDraft(row);
    if (row.sections.length === 0 && !row.editorNote.trim()) throw invalid('sections', 'the edition is empty: add a section or an editor’s note before sending');
    const size = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from (${audienceSql(row.audience, row.cadence as NewsletterCadence)}) r`))[0]!;
    if (Number(size.n) === 0) throw invalid('audience', 'nobody would receive it: choose departments, stores, regions, roles or subscribers');
    await tx.update(newsletterEditions).set({ status: 'scheduled', scheduledAt: at, updatedAt: new Date(), updatedBy: actor.via === 'system' ? null : actor.id }).where(eq(newsletterEditions.id, id));
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'newsletter_edition',
      entityId: id,
      summary: `Scheduled ${editionRef(row.number)} for ${at.toISOString()} (about ${size.n} recipients)`,
      before: { status: row.status },
      after: { status: 'scheduled', scheduledAt: at.toISOString() },
    });
  });
  kickSender(ctx, at);
  return getEdition(ctx, actor, id);
}

export async function unscheduleEdition(ctx: AppContext, actor: Actor, id: string): Promise<Edition> {
  assertCan(actor, 'newsletter:edit');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(newsletterEditions).where(eq(newsletterEditions.id, id)).for('update');
    if (!row) throw notFound('Edition');
    if (row.status !== 'scheduled') throw conflict('status', `${editionRef(row.number)} is ${row.status}; only a scheduled edition can go back to draft`);
    await tx.update(newsletterEditions).set({ status: 'draft', scheduledAt: null, updatedAt: new Date() }).where(eq(newsletterEditions.id, id));
    await recordAudit(tx, actor, { action: 'update', entity: 'newsletter_edition', entityId: id, summary: `Took ${editionRef(row.number)} back to draft`, before: { status: 'scheduled' }, after: { status: 'draft' } });
  });
  return getEdition(ctx, actor, id);
}

/** Asks the background queue to send now (or soon after `at`); the one-minute schedule catches the rest. */
function kickSender(ctx: AppContext, at: Date) {
  if (!ctx.jobs.enabled) return;
  const delay = Math.max(250, Math.min(at.getTime() - Date.now() + 250, 60_000));
  const t = setTimeout(() => void ctx.jobs.send('newsletter.send').catch((err) => console.error('newsletter send kick failed', err)), delay);
  t.unref();
}

export async function sendProgress(ctx: AppContext, actor: Actor, id: string): Promise<SendProgress> {
  assertCan(actor, 'newsletter:edit');
  const row = await loadEdition(ctx.db, id);
  return { status: row.status as EditionStatus, counts: await recipientCounts(ctx.db, id), startedAt: iso(row.sendStartedAt), sentAt: iso(row.sentAt) };
}

type RecipientRow = typeof newsletterRecipients.$inferSelect;
const recipientColumns = {
  id: newsletterRecipients.id,
  email: newsletterRecipients.email,
  name: newsletterRecipients.name,
  status: newsletterRecipients.status,
  attempts: newsletterRecipients.attempts,
  lastError: newsletterRecipients.lastError,
  sentAt: newsletterRecipients.sentAt,
};
const recipientWhere = (id: string, query: { q?: string; status?: string }) =>
  and(
    eq(newsletterRecipients.editionId, id),
    query.status ? eq(newsletterRecipients.status, query.status) : undefined,
    query.q ? or(ilike(newsletterRecipients.email, containsPattern(query.q)), ilike(newsletterRecipients.name, containsPattern(query.q))) : undefined,
  );
const presentRecipient = (r: Pick<RecipientRow, 'id' | 'email' | 'name' | 'status' | 'attempts' | 'lastError' | 'sentAt'>) => ({
  ...r,
  status: r.status as RecipientRow['status'] as never,
  sentAt: iso(r.sentAt),
});

export async function listRecipients(ctx: AppContext, actor: Actor, id: string, query: z.infer<typeof recipientListQuery>) {
  assertCan(actor, 'newsletter:edit');
  await loadEdition(ctx.db, id);
  const page = await paginate<RecipientRow, typeof query.sort>(ctx.db, {
    table: newsletterRecipients,
    select: recipientColumns,
    where: recipientWhere(id, query),
    sortColumns: { email: newsletterRecipients.email, status: newsletterRecipients.status },
    idColumn: newsletterRecipients.id,
    params: query,
  });
  return { ...page, items: page.items.map(presentRecipient) };
}

export async function exportRecipients(ctx: AppContext, actor: Actor, id: string, query: Partial<z.infer<typeof recipientListQuery>>) {
  assertCan(actor, 'newsletter:edit');
  await loadEdition(ctx.db, id);
  const rows = await ctx.db.select(recipientColumns).from(newsletterRecipients).where(recipientWhere(id, query)).orderBy(asc(newsletterRecipients.email));
  return rows.map(presentRecipient);
}

// ---------------------------------------------------------------- subscribers

type SubscriberRow = typeof newsletterSubscribers.$inferSelect;
const presentSubscriber = (r: SubscriberRow) => ({
  id: r.id,
  email: r.email,
  name: r.name,
  status: r.status as SubscriberStatus,
  optIn: r.optIn,
  frequency: r.frequency as SubscriberFrequency,
  confirmedAt: iso(r.confirmedAt),
  updatedAt: r.updatedAt.toISOString(),
});
const subscriberWhere = (query: { q?: string; status?: string }) =>
  and(
    query.status ? eq(newsletterSubscribers.status, query.status) : undefined,
    query.q ? or(ilike(newsletterSubscribers.email, containsPattern(query.q)), ilike(newsletterSubscribers.name, containsPattern(query.q))) : undefined,
  );

export async function listSubscribers(ctx: AppContext, actor: Actor, query: z.infer<typeof subscriberListQuery>) {
  assertCan(actor, 'newsletter:edit');
  const page = await paginate<SubscriberRow, typeof query.sort>(ctx.db, {
    table: newsletterSubscribers,
    select: getTableColumns(newsletterSubscribers),
    where: subscriberWhere(query),
    sortColumns: { email: newsletterSubscribers.email, status: newsletterSubscribers.status, updated: newsletterSubscribers.updatedAt },
    idColumn: newsletterSubscribers.id,
    params: query,
  });
  return { ...page, items: page.items.map(presentSubscriber) };
}

export async function exportSubscribers(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof subscriberListQuery>>) {
  assertCan(actor, 'newsletter:edit');
  const rows = await ctx.db.select().from(newsletterSubscribers).where(subscriberWhere(query)).orderBy(asc(newsletterSubscribers.email));
  return rows.map(presentSubscriber);
}

/**
 * Double opt-in: the address gets a confirmation link and receives nothing until it is followed.
 * An address already subscribed stays as it is; one that unsubscribed may ask again.
 */
async function requestOptIn(ctx: AppContext, actor: Actor, email: string, name: string, personId: string | null) {
  const token = await signToken(ctx.db, 'confirm', email);
  const url = `${ctx.config.publicUrl}/newsletter/confirm?token=${encodeURIComponent(token)}`;
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)).for('update');
    if (existing?.optIn && existing.status === 'active') return presentSubscriber(existing);
    if (existing?.status === 'bounced') throw conflict('email', 'mail to this address bounced; the person resubscribes from the link in an earlier edition, or an admin checks the address');
    let row: SubscriberRow;
    if (existing) {
      [row] = await tx
        .update(newsletterSubscribers)
        .set({ status: existing.status === 'active' ? 'active' : 'pending', name: name || existing.name, personId: personId ?? existing.personId, updatedAt: new Date() })
        .where(eq(newsletterSubscribers.id, existing.id))
        .returning();
    } else {
      [row] = await tx.insert(newsletterSubscribers).values({ id: uuidv7(), email, name, personId, status: 'pending' }).returning();
    }
    await ctx.mailer.queue(tx, {
      to: email,
      subject: 'Confirm your subscription to the Security & IT newsletter',
      paragraphs: [
        `Hello${name ? ` ${name}` : ''},`,
        'Someone (you, or an editor on your behalf) asked for the Security & IT newsletter to be sent to this address. Confirm to start receiving it; ignore this message and nothing will be sent.',
      ],
      action: { label: 'Confirm my subscription', url },
      kind: 'newsletter_confirm',
      relatedPersonId: personId ?? undefined,
    });
    await recordAudit(tx, actor, { action: 'create', entity: 'newsletter_subscriber', entityId: row!.id, summary: `Asked ${email} to confirm a newsletter subscription`, after: { email, name } });
    return presentSubscriber(row!);
  });
}

export async function addSubscriber(ctx: AppContext, actor: Actor, input: z.infer<typeof subscriberInput>) {
  assertCan(actor, 'newsletter:edit');
  const [person] = await ctx.db.select({ id: people.id }).from(people).where(sql`lower(${people.email}) = ${input.email}`);
  return requestOptIn(ctx, actor, input.email, input.name, person?.id ?? null);
}

/** A signed-in person asks for the newsletter at their own address (confirmed by mail, like anyone). */
export async function subscribeMe(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'profile:edit');
  return requestOptIn(ctx, actor, actor.email.toLowerCase(), actor.name, actor.id);
}

export async function confirmSubscription(ctx: AppContext, token: string) {
  const email = await verifyToken(ctx.db, 'confirm', token);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)).for('update');
    if (!row) throw new AppError(404, 'not_found', 'No subscription is waiting for this address', [{ field: 'token', message: 'no pending subscription' }]);
    if (!(row.optIn && row.status === 'active')) {
      await tx.update(newsletterSubscribers).set({ status: 'active', optIn: true, confirmedAt: new Date(), unsubscribedAt: null, updatedAt: new Date() }).where(eq(newsletterSubscribers.id, row.id));
      await recordAudit(tx, null, { action: 'update', entity: 'newsletter_subscriber', entityId: row.id, summary: `${email} confirmed the newsletter subscription`, before: { status: row.status }, after: { status: 'active' } });
    }
    return preferencesOf(tx, email);
  });
}

async function preferencesOf(db: DbOrTx, email: string): Promise<Preferences> {
  const [row] = await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email));
  const [person] = await db.select({ id: people.id }).from(people).where(and(sql`lower(${people.email}) = ${email}`, eq(people.active, true)));
  return { email, status: (row?.status as SubscriberStatus) ?? null, frequency: (row?.frequency as SubscriberFrequency) ?? 'all', inWorkspace: Boolean(person), optIn: row?.optIn ?? false };
}

export async function getPreferences(ctx: AppContext, token: string): Promise<Preferences> {
  const email = await verifyToken(ctx.db, 'prefs', token);
  return preferencesOf(ctx.db, email);
}

/**
 * The reader's own choice, by the signed link in every edition (no sign-in): unsubscribe (also the
 * RFC 8058 one-click POST), resubscribe, or monthly only. Recorded per address, so it holds whatever
 * department, store or role lists the address.
 */
export async function changePreferences(ctx: AppContext, input: z.infer<typeof preferencesInput>): Promise<Preferences> {
  const email = await verifyToken(ctx.db, 'prefs', input.token);
  if (input.action === 'frequency' && !input.frequency) throw invalid('frequency', 'choose all or monthly');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)).for('update');
    const [person] = await tx.select({ id: people.id, name: people.name }).from(people).where(sql`lower(${people.email}) = ${email}`);
    const now = new Date();
    const patch: Partial<SubscriberRow> =
      input.action === 'unsubscribe'
        ? { status: 'unsubscribed', unsubscribedAt: now }
        : input.action === 'resubscribe'
          ? { status: 'active', unsubscribedAt: null, bouncedAt: null, ...(row?.optIn ? { confirmedAt: row.confirmedAt ?? now } : {}) }
          : { frequency: input.frequency!, ...(row && row.status !== 'pending' ? {} : { status: row?.status ?? 'active' }) };
    let id: string;
    if (row) {
      await tx.update(newsletterSubscribers).set({ ...patch, updatedAt: now }).where(eq(newsletterSubscribers.id, row.id));
      id = row.id;
    } else {
      id = uuidv7();
      await tx.insert(newsletterSubscribers).values({ id, email, name: person?.name ?? '', personId: person?.id ?? null, status: 'active', ...patch });
    }
    await recordAudit(tx, null, {
      action: 'update',
      entity: 'newsletter_subscriber',
      entityId: id,
      summary: `${email}: ${input.action === 'frequency' ? `newsletter ${input.frequency === 'monthly' ? 'monthly only' : 'every edition'}` : `${input.action}d from the newsletter`}`,
      before: row ? { status: row.status, frequency: row.frequency } : null,
      after: patch,
    });
    return preferencesOf(tx, email);
  });
}

// ---------------------------------------------------------------- bounces

/** Parses a delivery status notification (RFC 3464): failed recipients, their status codes, and the original Message-IDs. */
export function parseDsn(dsn: string): { recipients: { email: string; status: string; permanent: boolean }[]; messageIds: string[]; diagnostic: string } {
  const unfolded = dsn.replace(/\r?\n[ \t]+/g, ' ');
  const recipients: { email: string; status: string; permanent: boolean }[] = [];
  const blocks = unfolded.split(/\r?\n\r?\n/);
  for (const block of blocks) {
    const final = /^Final-Recipient:\s*[^;]*;\s*<?([^\s>]+)>?/im.exec(block);
    if (!final) continue;
    const action = /^Action:\s*(\S+)/im.exec(block)?.[1]?.toLowerCase();
    const status = /^Status:\s*(\d\.\d{1,3}\.\d{1,3})/im.exec(block)?.[1] ?? '';
    if (action && action !== 'failed' && action !== 'delayed') continue;
    recipients.push({ email: final[1]!.toLowerCase(), status, permanent: action !== 'delayed' && status.startsWith('5') });
  }
  const messageIds = [...unfolded.matchAll(/^Message-ID:\s*(<[^>\s]+>)/gim)].map((m) => m[1]!);
  const diagnostic = /^Diagnostic-Code:\s*(.+)$/im.exec(unfolded)?.[1]?.trim() ?? '';
  return { recipients, messageIds, diagnostic };
}

/**
 * Records a bounce: the recipient's row becomes `bounced`, and a permanent failure marks the
 * address so no later edition is sent to it (the reader resubscribes from the preferences link).
 */
export async function recordBounce(ctx: AppContext, actor: Actor, input: z.infer<typeof bounceInput>) {
  assertCan(actor, 'newsletter:edit');
  let targets: { email?: string; permanent: boolean }[] = [];
  let messageIds: string[] = input.messageId ? [input.messageId.trim()] : [];
  let reason = input.reason;
  if (input.dsn) {
    const parsed = parseDsn(input.dsn);
    if (!parsed.recipients.length) throw invalid('dsn', 'no failed recipient found (expected Final-Recipient and Action: failed fields)');
    targets = parsed.recipients.map((r) => ({ email: r.email, permanent: r.permanent }));
    messageIds = [...messageIds, ...parsed.messageIds];
    reason ||= [parsed.recipients.map((r) => r.status).join(', '), parsed.diagnostic].filter(Boolean).join(' ');
  } else targets = [{ email: input.email, permanent: input.permanent }];
  return ctx.db.transaction(async (tx) => {
    const touched: string[] = [];
    for (const target of targets) {
      const match = await tx
        .select({ id: newsletterRecipients.id, email: newsletterRecipients.email, personId: newsletterRecipients.personId, name: newsletterRecipients.name })
        .from(newsletterRecipients)
        .where(
          and(
            inArray(newsletterRecipients.status, ['sent', 'sending', 'queued', 'failed']),
            messageIds.length
              ? and(inArray(newsletterRecipients.messageId, messageIds), target.email ? eq(newsletterRecipients.email, target.email) : undefined)
              : eq(newsletterRecipients.email, target.email!),
          ),
        )
        .orderBy(desc(newsletterRecipients.createdAt))
        .limit(1);
      const hit = match[0];
      const email = hit?.email ?? target.email;
      if (!email) continue;
      if (hit) {
        await tx.update(newsletterRecipients).set({ status: 'bounced', bouncedAt: new Date(), lastError: reason.slice(0, 500) || 'bounced', lockedUntil: null, updatedAt: new Date() }).where(eq(newsletterRecipients.id, hit.id));
        touched.push(hit.id);
      }
      if (target.permanent) {
        await tx
          .insert(newsletterSubscribers)
          .values({ id: uuidv7(), email, name: hit?.name ?? '', personId: hit?.personId ?? null, status: 'bounced', bouncedAt: new Date() })
          .onConflictDoUpdate({ target: newsletterSubscribers.email, set: { status: 'bounced', bouncedAt: new Date(), updatedAt: new Date() } });
      }
      await recordAudit(tx, actor, { action: 'update', entity: 'newsletter_recipient', entityId: hit?.id ?? null, summary: `Bounce for ${email}${target.permanent ? ' (permanent: no more editions to it)' : ''}${reason ? `: ${reason.slice(0, 200)}` : ''}` });
    }
    if (!touched.length && !targets.some((t) => t.permanent)) throw notFound('Recipient');
    return { recorded: touched.length, recipients: touched };
  });
}

// ---------------------------------------------------------------- settings

export async function getSettings(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'newsletter:read');
  const row = await settingsRow(ctx.db);
  return { publicArchive: row.publicArchive, ratePerSecond: row.ratePerSecond };
}

export async function updateSettings(ctx: AppContext, actor: Actor, input: z.infer<typeof settingsInput>) {
  assertCan(actor, 'newsletter:settings');
  const before = await settingsRow(ctx.db);
  await ctx.db.transaction(async (tx) => {
    await tx.update(newsletterSettings).set({ ...input, updatedAt: new Date() }).where(eq(newsletterSettings.id, 1));
    await recordAudit(tx, actor, { action: 'update', entity: 'newsletter_settings', summary: 'Changed the newsletter settings', before: { publicArchive: before.publicArchive, ratePerSecond: before.ratePerSecond }, after: input });
  });
  return getSettings(ctx, actor);
}
