import { and, asc, desc, eq, gt, ilike, inArray, lt, ne, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  actionRef,
  CADENCE_LABELS,
  seriesRef,
  type actionInput,
  type actionListQuery,
  type actionPatch,
  type AgendaItem,
  type attendanceInput,
  type AttendanceStatus,
  type Cadence,
  type decisionInput,
  type itemInput,
  type itemPatch,
  type MeetingAction,
  type OccurrenceDetail,
  type occurrencePatch,
  type OccurrenceSummary,
  type SeriesDetail,
  type seriesInput,
  type seriesListQuery,
  type seriesPatch,
  type SeriesSummary,
  type Suggestion,
} from '../../../contracts/meetings.js';
import { agendaSuggesters } from '../../platform/agenda.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { readAll, type DbOrTx } from '../../platform/db.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { registerHomeContributor } from '../../platform/home.js';
import { containsPattern, paginate, refNumber } from '../../platform/list.js';
import { registerNewsletterContributor } from '../../platform/newsletter-sections.js';
import { assertCan, can, type Actor } from '../../platform/policy.js';
import { registerSearchProvider } from '../../platform/search.js';
import { departments, people } from '../people/schema.js';
import { cadenceDates, cadenceRule, isTimeZone, occurrenceCalendar, seriesCalendar, utcToZoned, zonedToUtc, type CalendarSeries } from './calendar.js';
import {
  meetingActions,
  meetingAttendance,
  meetingDecisions,
  meetingDismissals,
  meetingItems,
  meetingOccurrences,
  meetingSeries,
  meetingSeriesAttendees,
} from './schema.js';
import './agenda.js';

/** How far ahead occurrences exist. */
export const HORIZON_DAYS = 120;
export const GENERATE_JOB = 'meetings.generate';
const DAY = 86_400_000;

type SeriesRow = typeof meetingSeries.$inferSelect;
type OccurrenceRow = typeof meetingOccurrences.$inferSelect;

// ------------------------------------------------------------------ visibility

const isAll = (actor: Actor) => actor.via === 'system' || actor.role === 'admin';

/**
 * Which series an actor sees: admins all; everyone else the series they attend and the series
 * attended by someone of their department. The one condition of lists, exports, search, home and
 * suggestions; occurrences, items and actions follow their series.
 */
export function seriesVisibleSql(actor: Actor, seriesIdColumn: SQL | typeof meetingSeries.id = meetingSeries.id): SQL {
  if (!can(actor, 'meetings:read')) return sql`false`;
  if (isAll(actor)) return sql`true`;
  const dept = actor.departmentId;
  return sql`exists (select 1 from meeting_series_attendees va join people vp on vp.id = va.person_id where va.series_id = ${seriesIdColumn} and (va.person_id = ${actor.id}${dept ? sql` or vp.department_id = ${dept}` : sql``}))`;
}

/** The chair, the note taker and admins run a meeting: agenda order, minutes, decisions, actions, attendance, follow-up. */
function runs(actor: Actor, series: Pick<SeriesRow, 'chairId' | 'noteTakerId'>) {
  return can(actor, 'meetings:contribute') && (isAll(actor) || actor.id === series.chairId || actor.id === series.noteTakerId);
}

async function attendeeIds(db: DbOrTx, seriesId: string) {
  return (await db.select({ id: meetingSeriesAttendees.personId }).from(meetingSeriesAttendees).where(eq(meetingSeriesAttendees.seriesId, seriesId))).map((r) => r.id);
}

const seriesNotFound = () => notFound('Meeting series');
const occurrenceNotFound = () => notFound('Meeting');

async function visibleSeries(db: DbOrTx, actor: Actor, id: string, lock = false): Promise<SeriesRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw seriesNotFound();
  const q = db.select().from(meetingSeries).where(and(eq(meetingSeries.id, id), seriesVisibleSql(actor)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw seriesNotFound();
  return row;
}

async function visibleOccurrence(db: DbOrTx, actor: Actor, id: string, lock = false): Promise<{ occ: OccurrenceRow; series: SeriesRow }> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw occurrenceNotFound();
  const q = db.select().from(meetingOccurrences).where(and(eq(meetingOccurrences.id, id), seriesVisibleSql(actor, sql`${meetingOccurrences.seriesId}`)));
  const [occ] = lock ? await q.for('update') : await q;
  if (!occ) throw occurrenceNotFound();
  const [series] = await db.select().from(meetingSeries).where(eq(meetingSeries.id, occ.seriesId));
  return { occ, series };
}

// ------------------------------------------------------------------ validation

type PersonRow = { id: string; name: string; email: string; active: boolean; departmentId: string | null; departmentName: string | null };

async function peopleByIds(db: DbOrTx, ids: string[]): Promise<PersonRow[]> {
  if (!ids.length) return [];
  return db
    .select({ id: people.id, name: people.name, email: people.email, active: people.active, departmentId: people.departmentId, departmentName: departments.name })
    .from(people)
    .leftJoin(departments, eq(departments.id, people.departmentId))
    .where(inArray(people.id, ids));
}

async function activePerson(db: DbOrTx, id: string, field: string) {
  const [p] = await peopleByIds(db, [id]);
  if (!p || !p.active) throw invalid(field, 'is not an active person');
  return p;
}

/** Attendees: active people from at least two departments; the chair and the note taker attend. */
async function checkAttendees(db: DbOrTx, input: { attendeeIds: string[]; chairId: string; noteTakerId: string }) {
  const ids = [...new Set([...input.attendeeIds, input.chairId, input.noteTakerId])];
  const rows = await peopleByIds(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  ids.forEach((id, i) => {
    const p = byId.get(id);
    if (!p || !p.active) {
      const field = id === input.chairId ? 'chairId' : id === input.noteTakerId ? 'noteTakerId' : `attendeeIds.${input.attendeeIds.indexOf(id) >= 0 ? input.attendeeIds.indexOf(id) : i}`;
      throw invalid(field, 'is not an active person');
    }
  });
  const depts = new Set(rows.map((r) => r.departmentId).filter(Boolean));
  if (depts.size < 2) throw invalid('attendeeIds', 'a joint meeting needs attendees from at least two departments');
  return rows;
}

function checkSchedule(input: { firstDate: string; localTime: string; timezone: string }) {
  if (!isTimeZone(input.timezone)) throw invalid('timezone', 'is not a time zone (e.g. America/New_York)');
  const at = zonedToUtc(`${input.firstDate}T${input.localTime}`, input.timezone);
  if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}$/.test(input.firstDate) || Number.isNaN(Date.parse(`${input.firstDate}T00:00:00Z`))) throw invalid('firstDate', 'is not a real date');
  const year = Number(input.firstDate.slice(0, 4));
  if (year < 2000 || year > 2100) throw invalid('firstDate', 'must be between the years 2000 and 2100');
}

// ------------------------------------------------------------------ occurrences: generation

/**
 * Adds the series' missing occurrences up to `until` (local wall clock in the series' time zone).
 * The slot (series, original start) is unique, so running twice — or in two instances at once —
 * adds each meeting once.
 */
async function extendSeries(tx: DbOrTx, series: SeriesRow, until: Date) {
  const untilDate = utcToZoned(until, series.timezone).slice(0, 10);
  const dates = cadenceDates(series.cadence as Cadence, series.firstDate, untilDate);
  const rows = dates.map((d) => {
    const startsAt = zonedToUtc(`${d}T${series.localTime}`, series.timezone);
    return { id: uuidv7(), seriesId: series.id, originalStartsAt: startsAt, startsAt, endsAt: new Date(startsAt.getTime() + series.durationMinutes * 60_000) };
  });
  let added = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const inserted = await tx.insert(meetingOccurrences).values(rows.slice(i, i + 200)).onConflictDoNothing({ target: [meetingOccurrences.seriesId, meetingOccurrences.originalStartsAt] }).returning({ id: meetingOccurrences.id });
    added += inserted.length;
  }
  await tx.update(meetingSeries).set({ generatedUntil: until }).where(eq(meetingSeries.id, series.id));
  return added;
}

/**
 * The background run: claims active series whose occurrences end before the horizon (FOR UPDATE
 * SKIP LOCKED: a series another instance is extending is skipped) and extends them. Returns how
 * many occurrences were added.
 */
export async function generateOccurrences(ctx: AppContext, options: { now?: Date; horizonDays?: number } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const until = new Date(now.getTime() + (options.horizonDays ?? HORIZON_DAYS) * DAY);
  let total = 0;
  for (;;) {
    const added = await ctx.db.transaction(async (tx) => {
      const [series] = await tx
        .select()
        .from(meetingSeries)
        .where(and(eq(meetingSeries.status, 'active'), or(sql`${meetingSeries.generatedUntil} is null`, lt(meetingSeries.generatedUntil, until))))
        .orderBy(asc(meetingSeries.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!series) return null;
      return extendSeries(tx, series, until);
    });
    if (added === null) return total;
    total += added;
  }
}

// ------------------------------------------------------------------ calendar mail

async function calendarOf(ctx: AppContext, tx: DbOrTx, series: SeriesRow): Promise<{ cal: CalendarSeries; attendees: PersonRow[] }> {
  const ids = await attendeeIds(tx, series.id);
  const attendees = (await peopleByIds(tx, ids)).filter((p) => p.active);
  const [chair] = await peopleByIds(tx, [series.chairId]);
  const url = `${ctx.config.publicUrl}/meetings/series/${series.id}`;
  return {
    attendees,
    cal: {
      uid: series.uid,
      sequence: series.sequence,
      cadence: series.cadence as Cadence,
      firstDate: series.firstDate,
      localTime: series.localTime,
      durationMinutes: series.durationMinutes,
      timezone: series.timezone,
      summary: series.title,
      description: [series.purpose, `Agenda, minutes and actions in Tandem: ${url}`].filter(Boolean).join('\n'),
      location: series.location,
      url,
      organizer: { name: chair.name, email: chair.email },
      attendees: attendees.map((a) => ({ name: a.name, email: a.email })),
      until: series.status === 'ended' ? series.updatedAt : null,
    },
  };
}

/** The series' invitation (.ics with RRULE) for download. */
export async function seriesIcs(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'meetings:read');
  const series = await visibleSeries(ctx.db, actor, id);
  const { cal } = await calendarOf(ctx, ctx.db, series);
  return { filename: `${seriesRef(series.number).toLowerCase()}.ics`, content: seriesCalendar(cal, 'REQUEST') };
}

async function mailSeriesInvitation(ctx: AppContext, tx: DbOrTx, series: SeriesRow, options: { change?: string; removed?: PersonRow[]; rescheduledFrom?: string } = {}) {
  const { cal, attendees } = await calendarOf(ctx, tx, series);
  const content = seriesCalendar(cal, 'REQUEST');
  const when = `${CADENCE_LABELS[series.cadence as Cadence].toLowerCase()} at ${series.localTime} (${series.timezone}), from ${series.firstDate}`;
  const prefix = series.sequence > 0 ? 'Updated' : 'Invitation';
  for (const a of attendees) {
    await ctx.mailer.queue(tx, {
      to: a.email,
      subject: `${prefix}: ${series.title} (${CADENCE_LABELS[series.cadence as Cadence].toLowerCase()})`,
      paragraphs: [
        `Hello ${a.name.split(' ')[0]},`,
        `You are invited to ${series.title}: ${when}${series.location ? `, ${series.location}` : ''}, ${series.durationMinutes} minutes.`,
        ...(series.purpose ? [series.purpose] : []),
        ...(options.change ? [`What changed: ${options.change}.`] : []),
        ...(options.rescheduledFrom ? [`Meetings from ${options.rescheduledFrom} follow the new schedule; past meetings, and meetings that already have minutes, keep their times.`] : []),
        'The attached invitation adds the whole series to your calendar. Add agenda items in Tandem before each meeting.',
      ],
      action: { label: 'Open the meeting series', url: cal.url },
      kind: 'meetings.invitation',
      relatedPersonId: a.id,
      icalEvent: { method: 'REQUEST', filename: 'invite.ics', content },
    });
  }
  if (options.removed?.length) {
    const cancel = seriesCalendar({ ...cal, attendees: options.removed.map((r) => ({ name: r.name, email: r.email })) }, 'CANCEL');
    for (const r of options.removed)
      await ctx.mailer.queue(tx, {
        to: r.email,
        subject: `Removed: ${series.title}`,
        paragraphs: [`Hello ${r.name.split(' ')[0]},`, `You no longer attend ${series.title}. The attached update removes the series from your calendar.`],
        kind: 'meetings.invitation',
        relatedPersonId: r.id,
        icalEvent: { method: 'CANCEL', filename: 'cancel.ics', content: cancel },
      });
  }
}

// ------------------------------------------------------------------ series: reading


async function presentSeries(db: DbOrTx, rows: SeriesRow[]): Promise<SeriesSummary[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const [names, counts, depts, next, actions] = await readAll(db, [
    () => peopleByIds(db, [...new Set(rows.flatMap((r) => [r.chairId, r.noteTakerId]))]),
    () => db.select({ seriesId: meetingSeriesAttendees.seriesId, n: sql<number>`count(*)::int` }).from(meetingSeriesAttendees).where(inArray(meetingSeriesAttendees.seriesId, ids)).groupBy(meetingSeriesAttendees.seriesId),
    () => db
      .selectDistinct({ seriesId: meetingSeriesAttendees.seriesId, name: departments.name })
      .from(meetingSeriesAttendees)
      .innerJoin(people, eq(people.id, meetingSeriesAttendees.personId))
      .innerJoin(departments, eq(departments.id, people.departmentId))
      .where(inArray(meetingSeriesAttendees.seriesId, ids)),
    () => db
      .selectDistinctOn([meetingOccurrences.seriesId], { seriesId: meetingOccurrences.seriesId, id: meetingOccurrences.id, startsAt: meetingOccurrences.startsAt })
      .from(meetingOccurrences)
      .where(and(inArray(meetingOccurrences.seriesId, ids), eq(meetingOccurrences.status, 'scheduled'), gt(meetingOccurrences.endsAt, now)))
      .orderBy(meetingOccurrences.seriesId, asc(meetingOccurrences.startsAt)),
    () => db
      .select({ seriesId: meetingActions.seriesId, open: sql<number>`count(*)::int`, overdue: sql<number>`count(*) filter (where ${meetingActions.dueDate} < ${today})::int` })
      .from(meetingActions)
      .where(and(inArray(meetingActions.seriesId, ids), eq(meetingActions.status, 'open')))
      .groupBy(meetingActions.seriesId),
  ]);
  const name = new Map(names.map((n) => [n.id, n.name]));
  return rows.map((r) => {
    const n = next.find((x) => x.seriesId === r.id);
    const a = actions.find((x) => x.seriesId === r.id);
    return {
      id: r.id,
      ref: seriesRef(r.number),
      title: r.title,
      cadence: r.cadence as Cadence,
      cadenceLabel: CADENCE_LABELS[r.cadence as Cadence],
      localTime: r.localTime,
      durationMinutes: r.durationMinutes,
      timezone: r.timezone,
      status: r.status as 'active' | 'ended',
      chair: { id: r.chairId, name: name.get(r.chairId) ?? '' },
      noteTaker: { id: r.noteTakerId, name: name.get(r.noteTakerId) ?? '' },
      attendeeCount: Number(counts.find((c) => c.seriesId === r.id)?.n ?? 0),
      departments: depts.filter((d) => d.seriesId === r.id).map((d) => d.name).sort(),
      nextOccurrence: n ? { id: n.id, startsAt: n.startsAt.toISOString(), localStart: utcToZoned(n.startsAt, r.timezone) } : null,
      openActions: Number(a?.open ?? 0),
      overdueActions: Number(a?.overdue ?? 0),
    };
  });
}

function seriesWhere(actor: Actor, q: Partial<z.infer<typeof seriesListQuery>>) {
  const text = q.q?.trim();
  const number = text ? refNumber('MTG', text, { bare: true }) : undefined;
  return and(
    seriesVisibleSql(actor),
    q.status ? eq(meetingSeries.status, q.status) : undefined,
    q.mine ? sql`exists (select 1 from meeting_series_attendees ma where ma.series_id = ${meetingSeries.id} and ma.person_id = ${actor.id})` : undefined,
    text ? or(ilike(meetingSeries.title, containsPattern(text)), ilike(meetingSeries.purpose, containsPattern(text)), number !== undefined ? eq(meetingSeries.number, number) : undefined) : undefined,
  );
}

export async function listSeries(ctx: AppContext, actor: Actor, query: z.infer<typeof seriesListQuery>) {
  assertCan(actor, 'meetings:read');
  const page = await paginate<{ id: string }, 'title' | 'createdAt'>(ctx.db, {
    table: meetingSeries,
    select: { id: meetingSeries.id },
    where: seriesWhere(actor, query),
    sortColumns: { title: meetingSeries.title, createdAt: meetingSeries.createdAt },
    idColumn: meetingSeries.id,
    params: query,
  });
  const rows = page.items.length ? await ctx.db.select().from(meetingSeries).where(inArray(meetingSeries.id, page.items.map((i) => i.id))) : [];
  const ordered = page.items.map((i) => rows.find((r) => r.id === i.id)!);
  return { ...page, items: await presentSeries(ctx.db, ordered) };
}

export async function exportSeries(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof seriesListQuery>>) {
  assertCan(actor, 'meetings:read');
  const rows = await ctx.db.select().from(meetingSeries).where(seriesWhere(actor, query)).orderBy(asc(meetingSeries.title)).limit(10_000);
  return presentSeries(ctx.db, rows);
}

function presentOccurrenceSummary(o: OccurrenceRow & { itemCount: number }, tz: string): OccurrenceSummary {
  return {
    id: o.id,
    startsAt: o.startsAt.toISOString(),
    endsAt: o.endsAt.toISOString(),
    localStart: utcToZoned(o.startsAt, tz),
    status: o.status as 'scheduled' | 'cancelled',
    changed: o.sequence > 0,
    itemCount: Number(o.itemCount),
    followUpSentAt: o.followUpSentAt?.toISOString() ?? null,
  };
}

// Written out: inside a select list Drizzle leaves the column unqualified, which the subquery would read as its own.
const itemCountSql = sql<number>`(select count(*)::int from meeting_items mi where mi.occurrence_id = "meeting_occurrences"."id")`;

export async function getSeries(ctx: AppContext, actor: Actor, id: string): Promise<SeriesDetail> {
  assertCan(actor, 'meetings:read');
  const series = await visibleSeries(ctx.db, actor, id);
  const now = new Date();
  const [[summary], attendees, past, upcoming] = await Promise.all([
    presentSeries(ctx.db, [series]),
    ctx.db
      .select({ id: people.id, name: people.name, title: people.title, departmentName: departments.name })
      .from(meetingSeriesAttendees)
      .innerJoin(people, eq(people.id, meetingSeriesAttendees.personId))
      .leftJoin(departments, eq(departments.id, people.departmentId))
      .where(eq(meetingSeriesAttendees.seriesId, series.id))
      .orderBy(departments.name, people.name),
    ctx.db.select({ ...getColumns(), itemCount: itemCountSql }).from(meetingOccurrences).where(and(eq(meetingOccurrences.seriesId, series.id), sql`${meetingOccurrences.endsAt} <= ${now}`)).orderBy(desc(meetingOccurrences.startsAt)).limit(12),
    ctx.db.select({ ...getColumns(), itemCount: itemCountSql }).from(meetingOccurrences).where(and(eq(meetingOccurrences.seriesId, series.id), gt(meetingOccurrences.endsAt, now))).orderBy(asc(meetingOccurrences.startsAt)).limit(8),
  ]);
  return {
    ...summary,
    purpose: series.purpose,
    firstDate: series.firstDate,
    location: series.location,
    rrule: cadenceRule(series.cadence as Cadence, series.firstDate),
    attendees,
    past: past.map((o) => presentOccurrenceSummary(o, series.timezone)),
    upcoming: upcoming.map((o) => presentOccurrenceSummary(o, series.timezone)),
    canManage: runs(actor, series),
  };
}

function getColumns() {
  const t = meetingOccurrences;
  return {
    id: t.id,
    number: t.number,
    seriesId: t.seriesId,
    originalStartsAt: t.originalStartsAt,
    startsAt: t.startsAt,
    endsAt: t.endsAt,
    status: t.status,
    sequence: t.sequence,
    location: t.location,
    changeNote: t.changeNote,
    followUpSentAt: t.followUpSentAt,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

// ------------------------------------------------------------------ series: writing

export async function createSeries(ctx: AppContext, actor: Actor, input: z.infer<typeof seriesInput>, options: { at?: Date; notify?: boolean; now?: Date } = {}) {
  assertCan(actor, 'meetings:manage');
  checkSchedule(input);
  const at = options.at ?? new Date();
  const id = await ctx.db.transaction(async (tx) => {
    await checkAttendees(tx, input);
    const id = uuidv7();
    const [row] = await tx
      .insert(meetingSeries)
      .values({
        id,
        uid: `${id}@tandem`,
        title: input.title,
        purpose: input.purpose,
        cadence: input.cadence,
        firstDate: input.firstDate,
        localTime: input.localTime,
        durationMinutes: input.durationMinutes,
        timezone: input.timezone,
        location: input.location,
        chairId: input.chairId,
        noteTakerId: input.noteTakerId,
        createdById: actor.via === 'system' ? null : actor.id,
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    const ids = [...new Set([...input.attendeeIds, input.chairId, input.noteTakerId])];
    await tx.insert(meetingSeriesAttendees).values(ids.map((personId) => ({ seriesId: id, personId })));
    await extendSeries(tx, row, new Date((options.now ?? new Date()).getTime() + HORIZON_DAYS * DAY));
    await recordAudit(tx, actor, { action: 'create', entity: 'meeting_series', entityId: id, summary: `Created meeting series ${seriesRef(row.number)}: ${input.title} (${CADENCE_LABELS[input.cadence].toLowerCase()})`, after: input });
    if (options.notify !== false) await mailSeriesInvitation(ctx, tx, row);
    return id;
  });
  return getSeries(ctx, actor, id);
}

const SCHEDULE_FIELDS = ['cadence', 'firstDate', 'localTime', 'durationMinutes', 'timezone'] as const;

/** Names of series fields as attendees and the audit log read them. */
const FIELD_LABELS: Record<string, string> = {
  title: 'title',
  purpose: 'purpose',
  cadence: 'cadence',
  firstDate: 'first meeting',
  localTime: 'time',
  durationMinutes: 'duration',
  timezone: 'time zone',
  location: 'location',
  chairId: 'chair',
  noteTakerId: 'note taker',
  status: 'status',
};

const isoDay = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/**
 * Where a changed schedule starts: the first date of the new pattern (from `firstDate`, which also
 * fixes the weekday and its place in the month) that is today or later and still ahead of now. A
 * day on which a meeting has already started is skipped, so the change never adds a second meeting
 * to it.
 */
function restartDate(next: { cadence: Cadence; firstDate: string; localTime: string; timezone: string }, started: Date[], now: Date): string {
  const today = utcToZoned(now, next.timezone).slice(0, 10);
  const startedDays = new Set(started.map((at) => utcToZoned(at, next.timezone).slice(0, 10)));
  const from = next.firstDate > today ? next.firstDate : today;
  return (
    cadenceDates(next.cadence, next.firstDate, isoDay(from, 800)).find(
      (d) => d >= today && !startedDays.has(d) && zonedToUtc(`${d}T${next.localTime}`, next.timezone) > now,
    ) ?? from
  );
}

/**
 * Moves the series' future meetings onto its new pattern (which starts at `series.firstDate`, ahead
 * of now). Meetings that have started, and future ones that already hold a record (minutes,
 * decisions, actions, attendance, the follow-up), keep their times. Every other future meeting takes
 * the new pattern's slot on its day, keeping its agenda (a cancelled one stays cancelled; one-off
 * moves give way to the new pattern). A meeting whose day leaves the pattern is removed and its
 * agenda items go to the next meeting. A day keeps at most one meeting and every slot of the
 * pattern is held by a row, so the hourly generation adds nothing twice.
 */
async function reschedule(tx: DbOrTx, series: SeriesRow, previousTimezone: string, now: Date) {
  const until = new Date(now.getTime() + HORIZON_DAYS * DAY);
  const dayOf = (at: Date, tz = series.timezone) => utcToZoned(at, tz).slice(0, 10);
  const minutes = series.durationMinutes * 60_000;
  const slots = new Map<string, Date>();
  for (const d of cadenceDates(series.cadence as Cadence, series.firstDate, dayOf(until))) {
    const at = zonedToUtc(`${d}T${series.localTime}`, series.timezone);
    if (at > now) slots.set(d, at);
  }
  const slotDay = new Map([...slots].map(([d, at]) => [+at, d]));
  // Written out: inside a select list Drizzle leaves the column unqualified, which the subqueries would read as their own.
  const rows = await tx
    .select({
      ...getColumns(),
      hasRecord: sql<boolean>`(exists (select 1 from meeting_items ri where ri.occurrence_id = "meeting_occurrences"."id" and ri.minutes <> '')
        or exists (select 1 from meeting_decisions rd where rd.occurrence_id = "meeting_occurrences"."id")
        or exists (select 1 from meeting_actions ra where ra.occurrence_id = "meeting_occurrences"."id")
        or exists (select 1 from meeting_attendance rt where rt.occurrence_id = "meeting_occurrences"."id")
        or "meeting_occurrences"."follow_up_sent_at" is not null)`,
      itemCount: itemCountSql,
    })
    .from(meetingOccurrences)
    .where(eq(meetingOccurrences.seriesId, series.id))
    .orderBy(asc(meetingOccurrences.startsAt))
    .for('update');
  type Row = (typeof rows)[number];
  const future = rows.filter((o) => o.startsAt > now);
  const claimed = new Set<string>(); // days that have their meeting
  const target = new Map<string, Date>(); // occurrence id → the slot it now holds
  const claim = (o: Row, day: string) => {
    claimed.add(day);
    target.set(o.id, slots.get(day)!);
  };
  // A meeting that started holds its slot (one moved earlier than its slot may hold a future one).
  for (const o of rows) if (o.startsAt <= now && slotDay.has(+o.originalStartsAt)) claimed.add(slotDay.get(+o.originalStartsAt)!);
  const held = future.filter((o) => o.hasRecord);
  const movable = future.filter((o) => !o.hasRecord);
  // Meetings with a record keep their time. One already in a slot of the new pattern keeps it; one on
  // a day of the pattern becomes that day's meeting (moved from its slot), so no second one is added.
  for (const o of held) if (slotDay.has(+o.originalStartsAt) && !claimed.has(slotDay.get(+o.originalStartsAt)!)) claim(o, slotDay.get(+o.originalStartsAt)!);
  for (const o of held) if (!target.has(o.id) && slots.has(dayOf(o.startsAt)) && !claimed.has(dayOf(o.startsAt))) claim(o, dayOf(o.startsAt));
  // The others take the new slot of the day they were planned for.
  const dropped: Row[] = [];
  for (const o of movable) {
    const day = dayOf(o.originalStartsAt, previousTimezone);
    if (slots.has(day) && !claimed.has(day)) claim(o, day);
    else dropped.push(o);
  }
  const added = [...slots].filter(([d]) => !claimed.has(d)).map(([, at]) => ({ id: uuidv7(), seriesId: series.id, originalStartsAt: at, startsAt: at, endsAt: new Date(at.getTime() + minutes) }));
  // A dropped meeting's agenda goes to the next meeting still open for items (else the last one before it).
  const open = [
    ...movable.filter((o) => target.has(o.id) && o.status === 'scheduled').map((o) => ({ id: o.id, at: target.get(o.id)! })),
    ...held.filter((o) => o.status === 'scheduled' && !o.followUpSentAt).map((o) => ({ id: o.id, at: o.startsAt })),
    ...added.map((o) => ({ id: o.id, at: o.startsAt })),
  ].sort((a, b) => +a.at - +b.at);
  const carry = new Map<string, string>();
  for (const o of dropped.filter((d) => d.itemCount > 0)) {
    const to = open.find((x) => +x.at >= +o.startsAt) ?? open.at(-1);
    if (to) carry.set(o.id, to.id);
  }
  // Without anywhere to go, a prepared meeting stays as it is.
  const removed = dropped.filter((o) => o.itemCount === 0 || carry.has(o.id));
  const moving = future.filter((o) => removed.includes(o) || (target.has(o.id) && +target.get(o.id)! !== +o.originalStartsAt));
  // Slots are unique per series: rows that change slot step aside first (a unique placeholder from
  // their number), so no two rows hold one slot mid-way.
  if (moving.length)
    await tx
      .update(meetingOccurrences)
      .set({ originalStartsAt: sql`timestamptz '1900-01-01 00:00:00+00' + ${meetingOccurrences.number} * interval '1 second'` })
      .where(inArray(meetingOccurrences.id, moving.map((o) => o.id)));
  for (let i = 0; i < added.length; i += 200) await tx.insert(meetingOccurrences).values(added.slice(i, i + 200)).onConflictDoNothing({ target: [meetingOccurrences.seriesId, meetingOccurrences.originalStartsAt] });
  for (const o of movable) {
    const slot = target.get(o.id);
    if (!slot) continue;
    const scheduled = o.status === 'scheduled';
    await tx
      .update(meetingOccurrences)
      .set({ originalStartsAt: slot, startsAt: slot, endsAt: new Date(slot.getTime() + minutes), updatedAt: now, ...(scheduled ? { sequence: 0, changeNote: null } : {}) })
      .where(eq(meetingOccurrences.id, o.id));
  }
  for (const o of held) {
    const slot = target.get(o.id);
    if (slot && +slot !== +o.originalStartsAt)
      await tx.update(meetingOccurrences).set({ originalStartsAt: slot, sequence: Math.max(o.sequence, series.sequence), updatedAt: now }).where(eq(meetingOccurrences.id, o.id));
  }
  for (const [from, to] of carry) {
    // An item suggested for both meetings stays once.
    await tx.execute(sql`delete from meeting_items m where m.occurrence_id = ${from} and m.suggestion_key is not null
      and exists (select 1 from meeting_items t where t.occurrence_id = ${to} and t.suggestion_key = m.suggestion_key)`);
    await tx.execute(sql`update meeting_items set occurrence_id = ${to}, updated_at = ${now},
      position = position + (select coalesce(max(t.position), 0) from meeting_items t where t.occurrence_id = ${to}) where occurrence_id = ${from}`);
  }
  if (removed.length) await tx.delete(meetingOccurrences).where(inArray(meetingOccurrences.id, removed.map((o) => o.id)));
  await tx.update(meetingSeries).set({ generatedUntil: until }).where(eq(meetingSeries.id, series.id));
  return { moved: movable.filter((o) => target.has(o.id)).length + added.length, kept: held.length, carried: carry.size };
}

/** What a series change did, in words for the attendees' mail: "time 10:00 → 11:30; chair Marcus Chen → Priya Natarajan". */
async function describeChange(
  tx: DbOrTx,
  before: SeriesRow,
  after: Record<string, unknown>,
  fields: string[],
  attendees: { added: string[]; removed: string[] },
  userChangedFirstDate: boolean,
) {
  const names = new Map((await peopleByIds(tx, [before.chairId, before.noteTakerId, String(after.chairId), String(after.noteTakerId), ...attendees.added, ...attendees.removed])).map((p) => [p.id, p.name]));
  const text = (key: string, value: unknown) => {
    if (key === 'cadence') return CADENCE_LABELS[value as Cadence].toLowerCase();
    if (key === 'durationMinutes') return `${value} minutes`;
    if (key === 'chairId' || key === 'noteTakerId') return names.get(String(value)) ?? '';
    if (key === 'location') return value ? String(value) : 'none';
    return String(value);
  };
  const parts = fields
    .filter((k) => k !== 'firstDate' || userChangedFirstDate)
    .map((k) => (k === 'title' || k === 'purpose' ? `${FIELD_LABELS[k]} changed` : `${FIELD_LABELS[k] ?? k} ${text(k, (before as unknown as Record<string, unknown>)[k])} → ${text(k, after[k])}`));
  const people = (ids: string[]) => ids.map((i) => names.get(i) ?? '').join(', ');
  if (attendees.added.length) parts.push(`added ${people(attendees.added)}`);
  if (attendees.removed.length) parts.push(`removed ${people(attendees.removed)}`);
  return parts.join('; ');
}

export async function updateSeries(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof seriesPatch>) {
  assertCan(actor, 'meetings:contribute');
  await ctx.db.transaction(async (tx) => {
    const before = await visibleSeries(tx, actor, id, true);
    if (!runs(actor, before)) throw forbidden('Only the chair, the note taker or an administrator changes a series');
    const beforeAttendees = await attendeeIds(tx, id);
    const next = {
      title: patch.title ?? before.title,
      purpose: patch.purpose ?? before.purpose,
      cadence: (patch.cadence ?? before.cadence) as Cadence,
      firstDate: patch.firstDate ?? before.firstDate,
      localTime: patch.localTime ?? before.localTime,
      durationMinutes: patch.durationMinutes ?? before.durationMinutes,
      timezone: patch.timezone ?? before.timezone,
      location: patch.location ?? before.location,
      chairId: patch.chairId ?? before.chairId,
      noteTakerId: patch.noteTakerId ?? before.noteTakerId,
      status: patch.status ?? before.status,
    };
    checkSchedule(next);
    const scheduleChanged = SCHEDULE_FIELDS.some((k) => next[k] !== before[k]);
    const now = new Date();
    // The new pattern holds from its next meeting on; past meetings keep their slots.
    if (scheduleChanged) {
      const started = await tx.select({ startsAt: meetingOccurrences.startsAt }).from(meetingOccurrences).where(and(eq(meetingOccurrences.seriesId, id), sql`${meetingOccurrences.startsAt} <= ${now}`, gt(meetingOccurrences.startsAt, new Date(now.getTime() - 2 * DAY))));
      next.firstDate = restartDate(next, started.map((s) => s.startsAt), now);
    }
    const attendeesNext = patch.attendeeIds ?? beforeAttendees;
    const rows = await checkAttendees(tx, { attendeeIds: attendeesNext, chairId: next.chairId, noteTakerId: next.noteTakerId });
    const changed = changedFields({ ...before } as Record<string, unknown>, next);
    const attendeeSet = new Set(rows.map((r) => r.id));
    const removedIds = beforeAttendees.filter((p) => !attendeeSet.has(p));
    const addedIds = [...attendeeSet].filter((p) => !beforeAttendees.includes(p));
    if (!Object.keys(changed.after).length && !removedIds.length && !addedIds.length) return;
    const [row] = await tx.update(meetingSeries).set({ ...next, sequence: before.sequence + 1, updatedAt: now }).where(eq(meetingSeries.id, id)).returning();
    if (removedIds.length) await tx.delete(meetingSeriesAttendees).where(and(eq(meetingSeriesAttendees.seriesId, id), inArray(meetingSeriesAttendees.personId, removedIds)));
    if (addedIds.length) await tx.insert(meetingSeriesAttendees).values(addedIds.map((personId) => ({ seriesId: id, personId })));
    const moves = scheduleChanged ? await reschedule(tx, row, before.timezone, now) : null;
    if (next.status === 'ended' && before.status !== 'ended')
      await tx.update(meetingOccurrences).set({ status: 'cancelled', updatedAt: now }).where(and(eq(meetingOccurrences.seriesId, id), gt(meetingOccurrences.startsAt, now), eq(meetingOccurrences.status, 'scheduled')));
    const fields = Object.keys(changed.after);
    const labels = [...fields.map((k) => FIELD_LABELS[k] ?? k), ...(addedIds.length || removedIds.length ? ['attendees'] : [])];
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'meeting_series',
      entityId: id,
      summary: `Changed meeting series ${seriesRef(row.number)}: ${labels.join(', ')}${moves ? ` (future meetings from ${row.firstDate} follow the new schedule; ${moves.kept} with minutes or records keep their times)` : ''}`,
      before: { ...changed.before, attendeeIds: beforeAttendees },
      after: { ...changed.after, attendeeIds: [...attendeeSet] },
    });
    const removed = await peopleByIds(tx, removedIds);
    const what = await describeChange(tx, before, next, fields, { added: addedIds, removed: removedIds }, patch.firstDate !== undefined);
    await mailSeriesInvitation(ctx, tx, row, { change: what, removed, rescheduledFrom: moves ? row.firstDate : undefined });
  });
  return getSeries(ctx, actor, id);
}

// ------------------------------------------------------------------ occurrences: reading

const ownerP = alias(people, 'owner');

const actionSelect = {
  id: meetingActions.id,
  number: meetingActions.number,
  title: meetingActions.title,
  ownerId: meetingActions.ownerId,
  ownerName: ownerP.name,
  dueDate: meetingActions.dueDate,
  status: meetingActions.status,
  seriesId: meetingActions.seriesId,
  seriesTitle: meetingSeries.title,
  timezone: meetingSeries.timezone,
  occurrenceId: meetingActions.occurrenceId,
  occurrenceStartsAt: meetingOccurrences.startsAt,
  itemId: meetingActions.itemId,
  doneAt: meetingActions.doneAt,
  createdAt: meetingActions.createdAt,
};

const actionsFrom = (db: DbOrTx) =>
  db
    .select(actionSelect)
    .from(meetingActions)
    .innerJoin(ownerP, eq(ownerP.id, meetingActions.ownerId))
    .innerJoin(meetingSeries, eq(meetingSeries.id, meetingActions.seriesId))
    .innerJoin(meetingOccurrences, eq(meetingOccurrences.id, meetingActions.occurrenceId));

type ActionRow = Awaited<ReturnType<typeof actionsFrom>>[number];
const todayUtc = () => new Date().toISOString().slice(0, 10);

function presentAction(r: ActionRow): MeetingAction {
  return {
    id: r.id,
    ref: actionRef(r.number),
    title: r.title,
    owner: { id: r.ownerId, name: r.ownerName },
    dueDate: r.dueDate,
    status: r.status as 'open' | 'done',
    overdue: r.status === 'open' && r.dueDate < todayUtc(),
    seriesId: r.seriesId,
    seriesTitle: r.seriesTitle,
    occurrenceId: r.occurrenceId,
    occurrenceDate: utcToZoned(r.occurrenceStartsAt, r.timezone).slice(0, 10),
    itemId: r.itemId,
    doneAt: r.doneAt?.toISOString() ?? null,
  };
}

export async function getOccurrence(ctx: AppContext, actor: Actor, id: string): Promise<OccurrenceDetail> {
  assertCan(actor, 'meetings:read');
  const { occ, series } = await visibleOccurrence(ctx.db, actor, id);
  const addedBy = alias(people, 'added_by');
  const decidedBy = alias(people, 'decided_by');
  const [items, decisions, actions, carried, attendees, marks, prev, next, chairNames] = await Promise.all([
    ctx.db
      .select({ item: meetingItems, ownerName: ownerP.name, addedByName: addedBy.name })
      .from(meetingItems)
      .leftJoin(ownerP, eq(ownerP.id, meetingItems.ownerId))
      .leftJoin(addedBy, eq(addedBy.id, meetingItems.addedById))
      .where(eq(meetingItems.occurrenceId, occ.id))
      .orderBy(asc(meetingItems.position), asc(meetingItems.createdAt)),
    ctx.db
      .select({ id: meetingDecisions.id, itemId: meetingDecisions.itemId, text: meetingDecisions.text, createdAt: meetingDecisions.createdAt, createdByName: decidedBy.name })
      .from(meetingDecisions)
      .leftJoin(decidedBy, eq(decidedBy.id, meetingDecisions.createdById))
      .where(eq(meetingDecisions.occurrenceId, occ.id))
      .orderBy(asc(meetingDecisions.createdAt)),
    actionsFrom(ctx.db).where(eq(meetingActions.occurrenceId, occ.id)).orderBy(asc(meetingActions.number)),
    // What the meeting opens with: the series' actions from earlier meetings still open (or closed since this meeting began).
    actionsFrom(ctx.db)
      .where(
        and(
          eq(meetingActions.seriesId, series.id),
          lt(meetingOccurrences.startsAt, occ.startsAt),
          or(eq(meetingActions.status, 'open'), and(eq(meetingActions.status, 'done'), sql`${meetingActions.doneAt} >= ${occ.startsAt}`)),
        ),
      )
      .orderBy(asc(meetingActions.dueDate), asc(meetingActions.number)),
    ctx.db
      .select({ personId: people.id, name: people.name, departmentName: departments.name })
      .from(meetingSeriesAttendees)
      .innerJoin(people, eq(people.id, meetingSeriesAttendees.personId))
      .leftJoin(departments, eq(departments.id, people.departmentId))
      .where(eq(meetingSeriesAttendees.seriesId, series.id))
      .orderBy(departments.name, people.name),
    ctx.db.select().from(meetingAttendance).where(eq(meetingAttendance.occurrenceId, occ.id)),
    ctx.db.select({ id: meetingOccurrences.id, startsAt: meetingOccurrences.startsAt }).from(meetingOccurrences).where(and(eq(meetingOccurrences.seriesId, series.id), lt(meetingOccurrences.startsAt, occ.startsAt))).orderBy(desc(meetingOccurrences.startsAt)).limit(1),
    ctx.db.select({ id: meetingOccurrences.id, startsAt: meetingOccurrences.startsAt }).from(meetingOccurrences).where(and(eq(meetingOccurrences.seriesId, series.id), gt(meetingOccurrences.startsAt, occ.startsAt))).orderBy(asc(meetingOccurrences.startsAt)).limit(1),
    peopleByIds(ctx.db, [series.chairId, series.noteTakerId]),
  ]);
  const mark = new Map(marks.map((m) => [m.personId, m.status as AttendanceStatus]));
  const name = (pid: string) => chairNames.find((p) => p.id === pid)?.name ?? '';
  const isAttendee = attendees.some((a) => a.personId === actor.id);
  const run = runs(actor, series);
  const open = occ.status === 'scheduled' && !occ.followUpSentAt;
  const seq = (o: { id: string; startsAt: Date } | undefined) => (o ? { id: o.id, localStart: utcToZoned(o.startsAt, series.timezone) } : null);
  return {
    id: occ.id,
    series: { id: series.id, ref: seriesRef(series.number), title: series.title, timezone: series.timezone, location: series.location, chair: { id: series.chairId, name: name(series.chairId) }, noteTaker: { id: series.noteTakerId, name: name(series.noteTakerId) } },
    startsAt: occ.startsAt.toISOString(),
    endsAt: occ.endsAt.toISOString(),
    localStart: utcToZoned(occ.startsAt, series.timezone),
    localEnd: utcToZoned(occ.endsAt, series.timezone),
    status: occ.status as 'scheduled' | 'cancelled',
    location: occ.location ?? series.location,
    changeNote: occ.changeNote,
    followUpSentAt: occ.followUpSentAt?.toISOString() ?? null,
    items: items.map(({ item, ownerName, addedByName }): AgendaItem => ({
      id: item.id,
      position: item.position,
      title: item.title,
      owner: item.ownerId ? { id: item.ownerId, name: ownerName ?? '' } : null,
      timeBoxMinutes: item.timeBoxMinutes,
      links: item.links,
      suggestionKey: item.suggestionKey,
      why: item.why,
      minutes: item.minutes,
      addedByName,
    })),
    decisions: decisions.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })),
    actions: actions.map(presentAction),
    carriedActions: carried.map(presentAction),
    attendance: attendees.map((a) => ({ ...a, status: mark.get(a.personId) ?? null })),
    previous: seq(prev[0]),
    next: seq(next[0]),
    abilities: { run: run && occ.status === 'scheduled', addItems: can(actor, 'meetings:contribute') && (run || isAttendee) && open },
  };
}

// ------------------------------------------------------------------ occurrences: writing

/** Moves, re-times or cancels one meeting of the series; attendees get a calendar update for that meeting only (RECURRENCE-ID). */
export async function updateOccurrence(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof occurrencePatch>) {
  assertCan(actor, 'meetings:contribute');
  await ctx.db.transaction(async (tx) => {
    const { occ, series } = await visibleOccurrence(tx, actor, id, true);
    if (!runs(actor, series)) throw forbidden('Only the chair, the note taker or an administrator changes a meeting');
    const startsAt = patch.localStart ? zonedToUtc(patch.localStart, series.timezone) : occ.startsAt;
    if (Number.isNaN(startsAt.getTime())) throw invalid('localStart', 'is not a valid date and time');
    const duration = patch.durationMinutes ?? Math.round((occ.endsAt.getTime() - occ.startsAt.getTime()) / 60_000);
    const endsAt = new Date(startsAt.getTime() + duration * 60_000);
    const status = patch.status ?? occ.status;
    const location = patch.location !== undefined ? patch.location || null : occ.location;
    if (patch.localStart && startsAt.getTime() !== occ.startsAt.getTime()) {
      const [clash] = await tx.select({ id: meetingOccurrences.id }).from(meetingOccurrences).where(and(eq(meetingOccurrences.seriesId, series.id), eq(meetingOccurrences.startsAt, startsAt), ne(meetingOccurrences.id, occ.id)));
      if (clash) throw conflict('localStart', 'another meeting of this series starts at that time');
    }
    const changes = changedFields({ startsAt: occ.startsAt.toISOString(), endsAt: occ.endsAt.toISOString(), status: occ.status, location: occ.location } as Record<string, unknown>, { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), status, location });
    if (!Object.keys(changes.after).length) return;
    const sequence = Math.max(occ.sequence, series.sequence) + 1;
    await tx.update(meetingOccurrences).set({ startsAt, endsAt, status, location, sequence, changeNote: patch.note || null, updatedAt: new Date() }).where(eq(meetingOccurrences.id, occ.id));
    const local = utcToZoned(startsAt, series.timezone).replace('T', ' at ');
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'meeting_occurrence',
      entityId: occ.id,
      summary: `${status === 'cancelled' ? 'Cancelled' : 'Changed'} the ${utcToZoned(occ.originalStartsAt, series.timezone).slice(0, 10)} meeting of ${seriesRef(series.number)} ${series.title}`,
      before: changes.before,
      after: { ...changes.after, note: patch.note },
    });
    const { cal, attendees } = await calendarOf(ctx, tx, series);
    const content = occurrenceCalendar(cal, { originalStartsAt: occ.originalStartsAt, startsAt, endsAt, sequence, cancelled: status === 'cancelled', location: location ?? series.location, note: patch.note });
    const original = utcToZoned(occ.originalStartsAt, series.timezone).replace('T', ' at ');
    for (const a of attendees)
      await ctx.mailer.queue(tx, {
        to: a.email,
        subject: `${status === 'cancelled' ? 'Cancelled' : 'Changed'}: ${series.title} — ${original.slice(0, 10)}`,
        paragraphs: [
          `Hello ${a.name.split(' ')[0]},`,
          status === 'cancelled'
            ? `The ${series.title} meeting of ${original} (${series.timezone}) is cancelled. The rest of the series is unchanged.`
            : `The ${series.title} meeting of ${original} now takes place on ${local} (${series.timezone})${location ? `, ${location}` : ''}. The rest of the series is unchanged.`,
          ...(patch.note ? [`Note: ${patch.note}`] : []),
          'The attached calendar update changes this one meeting in your calendar.',
        ],
        action: { label: 'Open the meeting', url: `${ctx.config.publicUrl}/meetings/occurrences/${occ.id}` },
        kind: 'meetings.change',
        relatedPersonId: a.id,
        icalEvent: { method: status === 'cancelled' ? 'CANCEL' : 'REQUEST', filename: status === 'cancelled' ? 'cancel.ics' : 'update.ics', content },
      });
  });
  return getOccurrence(ctx, actor, id);
}

async function lockRunnable(tx: DbOrTx, actor: Actor, occurrenceId: string) {
  const r = await visibleOccurrence(tx, actor, occurrenceId, true);
  if (!runs(actor, r.series)) throw forbidden('Only the chair, the note taker or an administrator runs this meeting');
  if (r.occ.status === 'cancelled') throw conflict('status', 'this meeting is cancelled');
  return r;
}

async function lockForItems(tx: DbOrTx, actor: Actor, occurrenceId: string) {
  const r = await visibleOccurrence(tx, actor, occurrenceId, true);
  const attendees = await attendeeIds(tx, r.series.id);
  if (!runs(actor, r.series) && !attendees.includes(actor.id)) throw forbidden('Attendees, the chair and the note taker add agenda items');
  if (r.occ.status === 'cancelled') throw conflict('status', 'this meeting is cancelled');
  if (r.occ.followUpSentAt && !runs(actor, r.series)) throw conflict('status', 'this meeting is over: add the item to the next one');
  return r;
}

async function nextPosition(tx: DbOrTx, occurrenceId: string) {
  const [row] = await tx.select({ max: sql<number | null>`max(${meetingItems.position})` }).from(meetingItems).where(eq(meetingItems.occurrenceId, occurrenceId));
  return Number(row?.max ?? 0) + 1;
}

export async function addItem(ctx: AppContext, actor: Actor, occurrenceId: string, input: z.infer<typeof itemInput>, extra: { suggestionKey?: string; why?: string } = {}) {
  assertCan(actor, 'meetings:contribute');
  const itemId = await ctx.db.transaction(async (tx) => {
    const { occ, series } = await lockForItems(tx, actor, occurrenceId);
    if (input.ownerId) await activePerson(tx, input.ownerId, 'ownerId');
    if (extra.suggestionKey) {
      const [taken] = await tx.select({ id: meetingItems.id }).from(meetingItems).where(and(eq(meetingItems.occurrenceId, occ.id), eq(meetingItems.suggestionKey, extra.suggestionKey)));
      if (taken) throw conflict('key', 'is already on the agenda');
    }
    const itemId = uuidv7();
    await tx.insert(meetingItems).values({
      id: itemId,
      occurrenceId: occ.id,
      position: await nextPosition(tx, occ.id),
      title: input.title,
      ownerId: input.ownerId,
      timeBoxMinutes: input.timeBoxMinutes,
      links: input.links,
      suggestionKey: extra.suggestionKey ?? null,
      why: extra.why ?? null,
      addedById: actor.via === 'system' ? null : actor.id,
    });
    await recordAudit(tx, actor, {
      action: 'create',
      entity: 'meeting_item',
      entityId: itemId,
      summary: `Added "${input.title}" to the ${utcToZoned(occ.startsAt, series.timezone).slice(0, 10)} agenda of ${seriesRef(series.number)}${extra.suggestionKey ? ' (suggested)' : ''}`,
      after: { ...input, ...extra },
    });
    return itemId;
  });
  return itemId;
}

async function lockItem(tx: DbOrTx, actor: Actor, itemId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(itemId)) throw notFound('Agenda item');
  const [item] = await tx.select().from(meetingItems).where(and(eq(meetingItems.id, itemId), sql`exists (select 1 from meeting_occurrences vo where vo.id = ${meetingItems.occurrenceId} and ${seriesVisibleSql(actor, sql`vo.series_id`)})`)).for('update');
  if (!item) throw notFound('Agenda item');
  const { occ, series } = await visibleOccurrence(tx, actor, item.occurrenceId);
  return { item, occ, series };
}

export async function updateItem(ctx: AppContext, actor: Actor, itemId: string, patch: z.infer<typeof itemPatch>) {
  assertCan(actor, 'meetings:contribute');
  return ctx.db.transaction(async (tx) => {
    const { item, occ, series } = await lockItem(tx, actor, itemId);
    const run = runs(actor, series);
    // Minutes belong to the chair and note taker; whoever added an item may still reword it before the meeting.
    if (!run && !(item.addedById === actor.id && patch.minutes === undefined && !occ.followUpSentAt)) throw forbidden('Only the chair, the note taker or whoever added the item changes it');
    if (patch.ownerId) await activePerson(tx, patch.ownerId, 'ownerId');
    const changes = changedFields(item as unknown as Record<string, unknown>, patch as Record<string, unknown>);
    if (!Object.keys(changes.after).length) return occ.id;
    await tx.update(meetingItems).set({ ...patch, updatedAt: new Date() }).where(eq(meetingItems.id, item.id));
    await recordAudit(tx, actor, { action: 'update', entity: 'meeting_item', entityId: item.id, summary: `Changed agenda item "${patch.title ?? item.title}" of ${seriesRef(series.number)}: ${Object.keys(changes.after).join(', ')}`, before: changes.before, after: changes.after });
    return occ.id;
  });
}

export async function deleteItem(ctx: AppContext, actor: Actor, itemId: string) {
  assertCan(actor, 'meetings:contribute');
  return ctx.db.transaction(async (tx) => {
    const { item, occ, series } = await lockItem(tx, actor, itemId);
    if (!runs(actor, series) && !(item.addedById === actor.id && !occ.followUpSentAt)) throw forbidden('Only the chair, the note taker or whoever added the item removes it');
    const [used] = await tx.select({ n: sql<number>`count(*)::int` }).from(meetingActions).where(eq(meetingActions.itemId, item.id));
    const [decided] = await tx.select({ n: sql<number>`count(*)::int` }).from(meetingDecisions).where(eq(meetingDecisions.itemId, item.id));
    if (Number(used?.n) + Number(decided?.n) > 0) throw conflict('id', 'this item has decisions or actions; keep it in the minutes');
    await tx.delete(meetingItems).where(eq(meetingItems.id, item.id));
    await recordAudit(tx, actor, { action: 'delete', entity: 'meeting_item', entityId: item.id, summary: `Removed "${item.title}" from the agenda of ${seriesRef(series.number)}`, before: { title: item.title } });
    return occ.id;
  });
}

/** The chair's order of the agenda: every item of the meeting, once. */
export async function orderItems(ctx: AppContext, actor: Actor, occurrenceId: string, itemIds: string[]) {
  assertCan(actor, 'meetings:contribute');
  await ctx.db.transaction(async (tx) => {
    const { occ, series } = await lockRunnable(tx, actor, occurrenceId);
    const current = await tx.select({ id: meetingItems.id, position: meetingItems.position }).from(meetingItems).where(eq(meetingItems.occurrenceId, occ.id)).orderBy(asc(meetingItems.position));
    const ids = new Set(current.map((c) => c.id));
    if (itemIds.length !== ids.size || new Set(itemIds).size !== itemIds.length || itemIds.some((i) => !ids.has(i))) throw invalid('itemIds', 'must list every agenda item of this meeting exactly once');
    for (const [i, id] of itemIds.entries()) await tx.update(meetingItems).set({ position: i + 1 }).where(eq(meetingItems.id, id));
    await recordAudit(tx, actor, { action: 'update', entity: 'meeting_occurrence', entityId: occ.id, summary: `Reordered the agenda of the ${utcToZoned(occ.startsAt, series.timezone).slice(0, 10)} meeting of ${seriesRef(series.number)}`, before: { order: current.map((c) => c.id) }, after: { order: itemIds } });
  });
  return getOccurrence(ctx, actor, occurrenceId);
}

// ------------------------------------------------------------------ suggestions

/** The period a meeting looks back on (since the series' previous meeting) and the departments at its table. */
async function windowOf(db: DbOrTx, occ: OccurrenceRow, series: SeriesRow) {
  const [prev] = await db
    .select({ startsAt: meetingOccurrences.startsAt })
    .from(meetingOccurrences)
    .where(and(eq(meetingOccurrences.seriesId, series.id), eq(meetingOccurrences.status, 'scheduled'), lt(meetingOccurrences.startsAt, occ.startsAt)))
    .orderBy(desc(meetingOccurrences.startsAt))
    .limit(1);
  const depts = await db
    .selectDistinct({ id: people.departmentId })
    .from(meetingSeriesAttendees)
    .innerJoin(people, eq(people.id, meetingSeriesAttendees.personId))
    .where(eq(meetingSeriesAttendees.seriesId, series.id));
  const from = prev?.startsAt ?? new Date(occ.startsAt.getTime() - 30 * DAY);
  return { from, to: occ.startsAt, departmentIds: depts.map((d) => d.id).filter((d): d is string => !!d), seriesId: series.id, occurrenceId: occ.id };
}

/**
 * Suggested agenda items for one meeting, from every module's suggester, as the actor may see them
 * (each suggester applies its own module's scope), without the ones dismissed for the series or
 * already on this agenda.
 */
export async function suggestions(ctx: AppContext, actor: Actor, occurrenceId: string): Promise<{ items: Suggestion[]; window: { from: string; to: string } }> {
  assertCan(actor, 'meetings:read');
  const { occ, series } = await visibleOccurrence(ctx.db, actor, occurrenceId);
  const window = await windowOf(ctx.db, occ, series);
  const [dismissed, taken] = await Promise.all([
    ctx.db.select({ key: meetingDismissals.key }).from(meetingDismissals).where(eq(meetingDismissals.seriesId, series.id)),
    ctx.db.select({ key: meetingItems.suggestionKey }).from(meetingItems).where(and(eq(meetingItems.occurrenceId, occ.id), sql`${meetingItems.suggestionKey} is not null`)),
  ]);
  const skip = new Set([...dismissed.map((d) => d.key), ...taken.map((t) => t.key!)]);
  const lists = await Promise.all(
    agendaSuggesters().map(async (s) => {
      try {
        return (await s.suggest(ctx, actor, window)).map((x) => ({ ...x, kind: s.kind, label: s.label }));
      } catch {
        return [];
      }
    }),
  );
  const items = lists
    .flat()
    .filter((s) => !skip.has(s.key))
    .sort((a, b) => b.weight - a.weight || a.title.localeCompare(b.title))
    .map((s) => ({ key: s.key, kind: s.kind, label: s.label, title: s.title, why: s.why, link: s.link ?? null, minutes: s.minutes ?? null, weight: s.weight }));
  return { items, window: { from: window.from.toISOString(), to: window.to.toISOString() } };
}

export async function acceptSuggestion(ctx: AppContext, actor: Actor, occurrenceId: string, key: string) {
  assertCan(actor, 'meetings:contribute');
  const { items } = await suggestions(ctx, actor, occurrenceId);
  const s = items.find((i) => i.key === key);
  if (!s) throw invalid('key', 'is not among this meeting’s suggestions (it may have been accepted, dismissed or resolved)');
  await addItem(ctx, actor, occurrenceId, { title: s.title, ownerId: null, timeBoxMinutes: Math.min(240, Math.max(1, s.minutes ?? 10)), links: s.link ? [{ label: s.label, href: s.link }] : [] }, { suggestionKey: s.key, why: s.why });
  return getOccurrence(ctx, actor, occurrenceId);
}

export async function dismissSuggestion(ctx: AppContext, actor: Actor, occurrenceId: string, key: string) {
  assertCan(actor, 'meetings:contribute');
  await ctx.db.transaction(async (tx) => {
    const { series } = await lockRunnable(tx, actor, occurrenceId);
    await tx.insert(meetingDismissals).values({ seriesId: series.id, key, dismissedById: actor.via === 'system' ? null : actor.id }).onConflictDoNothing();
    await recordAudit(tx, actor, { action: 'update', entity: 'meeting_series', entityId: series.id, summary: `Dismissed the agenda suggestion ${key} for ${seriesRef(series.number)}`, after: { key } });
  });
  return { ok: true };
}

// ------------------------------------------------------------------ minutes, decisions, actions, attendance

async function checkItemOf(tx: DbOrTx, occurrenceId: string, itemId: string | null) {
  if (!itemId) return;
  const [row] = await tx.select({ id: meetingItems.id }).from(meetingItems).where(and(eq(meetingItems.id, itemId), eq(meetingItems.occurrenceId, occurrenceId)));
  if (!row) throw invalid('itemId', 'is not an agenda item of this meeting');
}

export async function addDecision(ctx: AppContext, actor: Actor, occurrenceId: string, input: z.infer<typeof decisionInput>) {
  assertCan(actor, 'meetings:contribute');
  await ctx.db.transaction(async (tx) => {
    const { occ, series } = await lockRunnable(tx, actor, occurrenceId);
    await checkItemOf(tx, occ.id, input.itemId);
    const id = uuidv7();
    await tx.insert(meetingDecisions).values({ id, occurrenceId: occ.id, itemId: input.itemId, text: input.text, createdById: actor.via === 'system' ? null : actor.id });
    await recordAudit(tx, actor, { action: 'create', entity: 'meeting_decision', entityId: id, summary: `Recorded a decision in ${seriesRef(series.number)} ${series.title}`, after: input });
  });
  return getOccurrence(ctx, actor, occurrenceId);
}

export async function addAction(ctx: AppContext, actor: Actor, occurrenceId: string, input: z.infer<typeof actionInput>) {
  assertCan(actor, 'meetings:contribute');
  await ctx.db.transaction(async (tx) => {
    const { occ, series } = await lockRunnable(tx, actor, occurrenceId);
    await checkItemOf(tx, occ.id, input.itemId);
    const owner = await activePerson(tx, input.ownerId, 'ownerId');
    if (Number.isNaN(Date.parse(`${input.dueDate}T00:00:00Z`))) throw invalid('dueDate', 'is not a real date');
    const id = uuidv7();
    const [row] = await tx
      .insert(meetingActions)
      .values({ id, seriesId: series.id, occurrenceId: occ.id, itemId: input.itemId, title: input.title, ownerId: owner.id, dueDate: input.dueDate, createdById: actor.via === 'system' ? null : actor.id })
      .returning({ number: meetingActions.number });
    const ref = actionRef(row.number);
    await recordAudit(tx, actor, { action: 'create', entity: 'meeting_action', entityId: id, summary: `Assigned ${ref} "${input.title}" to ${owner.name} (due ${input.dueDate}) in ${seriesRef(series.number)}`, after: input });
    await ctx.notifier.notify(tx, {
      recipients: [owner.id],
      kind: 'meeting_action',
      title: `${ref} assigned to you: ${input.title}`,
      body: `From ${series.title} on ${utcToZoned(occ.startsAt, series.timezone).slice(0, 10)}; due ${input.dueDate}.`,
      link: `/meetings/occurrences/${occ.id}`,
      recordRef: ref,
      actorId: actor.via === 'system' ? null : actor.id,
    });
  });
  return getOccurrence(ctx, actor, occurrenceId);
}

export async function updateAction(ctx: AppContext, actor: Actor, actionId: string, patch: z.infer<typeof actionPatch>) {
  assertCan(actor, 'meetings:contribute');
  return ctx.db.transaction(async (tx) => {
    if (!/^[0-9a-f-]{36}$/i.test(actionId)) throw notFound('Action');
    const [action] = await tx.select().from(meetingActions).where(and(eq(meetingActions.id, actionId), seriesVisibleSql(actor, sql`${meetingActions.seriesId}`))).for('update');
    if (!action) throw notFound('Action');
    const [series] = await tx.select().from(meetingSeries).where(eq(meetingSeries.id, action.seriesId));
    const run = runs(actor, series);
    const owner = action.ownerId === actor.id;
    if (!run && !owner) throw forbidden('Only the action’s owner, the chair or the note taker changes it');
    if (!run && (patch.ownerId !== undefined || patch.title !== undefined)) throw forbidden('Only the chair or the note taker reassigns or renames an action');
    if (patch.ownerId) await activePerson(tx, patch.ownerId, 'ownerId');
    if (patch.dueDate && Number.isNaN(Date.parse(`${patch.dueDate}T00:00:00Z`))) throw invalid('dueDate', 'is not a real date');
    const changes = changedFields(action as unknown as Record<string, unknown>, patch as Record<string, unknown>);
    if (!Object.keys(changes.after).length) return presentAction((await actionsFrom(tx).where(eq(meetingActions.id, action.id)))[0]);
    const now = new Date();
    const done = patch.status === 'done' && action.status !== 'done';
    const reopened = patch.status === 'open' && action.status === 'done';
    await tx
      .update(meetingActions)
      .set({ ...patch, updatedAt: now, ...(done ? { doneAt: now, doneById: actor.via === 'system' ? null : actor.id } : {}), ...(reopened ? { doneAt: null, doneById: null } : {}) })
      .where(eq(meetingActions.id, action.id));
    const ref = actionRef(action.number);
    await recordAudit(tx, actor, { action: 'update', entity: 'meeting_action', entityId: action.id, summary: `${done ? 'Closed' : reopened ? 'Reopened' : 'Changed'} ${ref} "${action.title}"`, before: changes.before, after: changes.after });
    if (patch.ownerId && patch.ownerId !== action.ownerId)
      await ctx.notifier.notify(tx, { recipients: [patch.ownerId], kind: 'meeting_action', title: `${ref} assigned to you: ${patch.title ?? action.title}`, body: `From ${series.title}; due ${patch.dueDate ?? action.dueDate}.`, link: `/meetings/occurrences/${action.occurrenceId}`, recordRef: ref, actorId: actor.id });
    return presentAction((await actionsFrom(tx).where(eq(meetingActions.id, action.id)))[0]);
  });
}

export async function setAttendance(ctx: AppContext, actor: Actor, occurrenceId: string, input: z.infer<typeof attendanceInput>) {
  assertCan(actor, 'meetings:contribute');
  await ctx.db.transaction(async (tx) => {
    const { occ, series } = await lockRunnable(tx, actor, occurrenceId);
    const attendees = new Set(await attendeeIds(tx, series.id));
    input.entries.forEach((e, i) => {
      if (!attendees.has(e.personId)) throw invalid(`entries.${i}.personId`, 'is not an attendee of this series');
    });
    for (const e of input.entries)
      await tx
        .insert(meetingAttendance)
        .values({ occurrenceId: occ.id, personId: e.personId, status: e.status })
        .onConflictDoUpdate({ target: [meetingAttendance.occurrenceId, meetingAttendance.personId], set: { status: e.status } });
    await recordAudit(tx, actor, { action: 'update', entity: 'meeting_occurrence', entityId: occ.id, summary: `Recorded attendance of the ${utcToZoned(occ.startsAt, series.timezone).slice(0, 10)} meeting of ${seriesRef(series.number)}`, after: input });
  });
  return getOccurrence(ctx, actor, occurrenceId);
}

/** The follow-up mail to every attendee: minutes per item, decisions and actions (with the open ones carried over). Sent once. */
export async function sendFollowUp(ctx: AppContext, actor: Actor, occurrenceId: string, options: { at?: Date } = {}) {
  assertCan(actor, 'meetings:contribute');
  const detail = await getOccurrence(ctx, actor, occurrenceId);
  await ctx.db.transaction(async (tx) => {
    const { occ, series } = await lockRunnable(tx, actor, occurrenceId);
    if (occ.followUpSentAt) throw conflict('followUpSentAt', 'the follow-up of this meeting has already been sent');
    if (!detail.items.length && !detail.decisions.length && !detail.actions.length) throw invalid('items', 'write minutes, a decision or an action before sending the follow-up');
    const at = options.at ?? new Date();
    await tx.update(meetingOccurrences).set({ followUpSentAt: at, updatedAt: at }).where(eq(meetingOccurrences.id, occ.id));
    const date = detail.localStart.slice(0, 10);
    const present = detail.attendance.filter((a) => a.status === 'present').map((a) => a.name);
    const paragraphs = [
      `Minutes of ${series.title}, ${detail.localStart.replace('T', ' at ')} (${series.timezone}).`,
      ...(present.length ? [`Present: ${present.join(', ')}.`] : []),
      'Agenda and minutes:',
      ...detail.items.map((i, n) => `${n + 1}. ${i.title}${i.owner ? ` (${i.owner.name})` : ''}: ${i.minutes.trim() || 'no minutes recorded.'}`),
      ...(detail.decisions.length ? ['Decisions:', ...detail.decisions.map((d) => `• ${d.text}`)] : ['No decisions were recorded.']),
      ...(detail.actions.length ? ['New actions:', ...detail.actions.map((a) => `• ${a.ref} ${a.title} — ${a.owner.name}, due ${a.dueDate}`)] : []),
      ...(detail.carriedActions.filter((a) => a.status === 'open').length
        ? ['Still open from earlier meetings:', ...detail.carriedActions.filter((a) => a.status === 'open').map((a) => `• ${a.ref} ${a.title} — ${a.owner.name}, due ${a.dueDate}${a.overdue ? ' (overdue)' : ''}`)]
        : []),
      ...(detail.next ? [`Next meeting: ${detail.next.localStart.replace('T', ' at ')}.`] : []),
    ];
    const { attendees } = await calendarOf(ctx, tx, series);
    for (const a of attendees)
      await ctx.mailer.queue(tx, {
        to: a.email,
        subject: `Minutes: ${series.title} — ${date}`,
        paragraphs,
        action: { label: 'Open the minutes', url: `${ctx.config.publicUrl}/meetings/occurrences/${occ.id}` },
        kind: 'meetings.follow_up',
        relatedPersonId: a.id,
      });
    await recordAudit(tx, actor, { action: 'update', entity: 'meeting_occurrence', entityId: occ.id, summary: `Sent the minutes of the ${date} meeting of ${seriesRef(series.number)} to ${attendees.length} attendees`, after: { followUpSentAt: at.toISOString() } });
  });
  return getOccurrence(ctx, actor, occurrenceId);
}

// ------------------------------------------------------------------ actions list

function actionWhere(actor: Actor, q: Partial<z.infer<typeof actionListQuery>>) {
  const text = q.q?.trim();
  const number = text ? refNumber('ACT', text, { bare: true }) : undefined;
  return and(
    seriesVisibleSql(actor, sql`${meetingActions.seriesId}`),
    q.status ? eq(meetingActions.status, q.status) : undefined,
    q.mine ? eq(meetingActions.ownerId, actor.id) : undefined,
    q.overdue ? and(eq(meetingActions.status, 'open'), lt(meetingActions.dueDate, todayUtc())) : undefined,
    q.seriesId ? eq(meetingActions.seriesId, q.seriesId) : undefined,
    text ? or(ilike(meetingActions.title, containsPattern(text)), number !== undefined ? eq(meetingActions.number, number) : undefined) : undefined,
  );
}

export async function listActions(ctx: AppContext, actor: Actor, query: z.infer<typeof actionListQuery>) {
  assertCan(actor, 'meetings:read');
  const page = await paginate<{ id: string }, 'dueDate' | 'createdAt'>(ctx.db, {
    table: meetingActions,
    select: { id: meetingActions.id },
    where: actionWhere(actor, query),
    sortColumns: { dueDate: meetingActions.dueDate, createdAt: meetingActions.createdAt },
    idColumn: meetingActions.id,
    params: query,
  });
  const rows = page.items.length ? await actionsFrom(ctx.db).where(inArray(meetingActions.id, page.items.map((i) => i.id))) : [];
  return { ...page, items: page.items.map((i) => presentAction(rows.find((r) => r.id === i.id)!)) };
}

export async function exportActions(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof actionListQuery>>) {
  assertCan(actor, 'meetings:read');
  const rows = await actionsFrom(ctx.db).where(actionWhere(actor, query)).orderBy(asc(meetingActions.dueDate), asc(meetingActions.number)).limit(10_000);
  return rows.map(presentAction);
}

// ------------------------------------------------------------------ home, search, newsletter

registerHomeContributor(async (ctx, actor) => {
  if (!can(actor, 'meetings:read') || actor.via === 'system') return {};
  const today = todayUtc();
  const mine = await actionsFrom(ctx.db)
    .where(and(eq(meetingActions.ownerId, actor.id), eq(meetingActions.status, 'open'), seriesVisibleSql(actor, sql`${meetingActions.seriesId}`)))
    .orderBy(asc(meetingActions.dueDate))
    .limit(10);
  const actions = mine.map((r) => {
    const a = presentAction(r);
    return { kind: 'meeting-action', label: `${a.ref} ${a.title}`, detail: `From ${a.seriesTitle} on ${a.occurrenceDate}${a.overdue ? ` · overdue since ${a.dueDate}` : ` · due ${a.dueDate}`}`, href: `/meetings/occurrences/${a.occurrenceId}`, due: a.dueDate };
  });
  const now = new Date();
  const soon = await ctx.db
    .select({ id: meetingOccurrences.id, startsAt: meetingOccurrences.startsAt, title: meetingSeries.title, timezone: meetingSeries.timezone })
    .from(meetingOccurrences)
    .innerJoin(meetingSeries, eq(meetingSeries.id, meetingOccurrences.seriesId))
    .where(
      and(
        eq(meetingOccurrences.status, 'scheduled'),
        gt(meetingOccurrences.endsAt, now),
        lt(meetingOccurrences.startsAt, new Date(now.getTime() + 7 * DAY)),
        sql`exists (select 1 from meeting_series_attendees ha where ha.series_id = ${meetingSeries.id} and ha.person_id = ${actor.id})`,
      ),
    )
    .orderBy(asc(meetingOccurrences.startsAt))
    .limit(5);
  const [counts] = await ctx.db
    .select({ overdue: sql<number>`count(*) filter (where ${meetingActions.dueDate} < ${today})::int` })
    .from(meetingActions)
    .where(and(eq(meetingActions.ownerId, actor.id), eq(meetingActions.status, 'open')));
  return {
    actions,
    figures: [{ label: 'My overdue meeting actions', value: Number(counts?.overdue ?? 0), window: 'now', href: '/meetings/actions?mine=true&overdue=true' }],
    lists: [
      {
        key: 'meetings-upcoming',
        title: 'My meetings this week',
        window: 'next 7 days',
        items: soon.map((o) => ({ label: o.title, detail: utcToZoned(o.startsAt, o.timezone).replace('T', ' at '), href: `/meetings/occurrences/${o.id}`, badge: null })),
        empty: 'No joint meeting in the next seven days.',
        action: { label: 'All meetings', href: '/meetings' },
      },
    ],
  };
});

registerSearchProvider({
  kind: 'meetings',
  label: 'Meetings',
  order: 70,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'meetings:read')) return [];
    const ref = terms.ref('MTG');
    const words = terms.words.map((w) => ilike(meetingSeries.title, containsPattern(w)));
    const where = ref?.prefixed ? (ref.exact !== null ? eq(meetingSeries.number, ref.exact) : sql`true`) : words.length ? or(and(...words), ref?.exact != null ? eq(meetingSeries.number, ref.exact) : undefined) : undefined;
    if (!where) return [];
    const rows = await ctx.db.select().from(meetingSeries).where(and(seriesVisibleSql(actor), where)).orderBy(desc(meetingSeries.createdAt)).limit(limit);
    return rows.map((r) => ({ id: r.id, ref: seriesRef(r.number), title: r.title, subtitle: `${CADENCE_LABELS[r.cadence as Cadence]} at ${r.localTime} (${r.timezone})`, link: `/meetings/series/${r.id}` }));
  },
});

registerSearchProvider({
  kind: 'meeting-actions',
  label: 'Meeting actions',
  order: 71,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'meetings:read')) return [];
    const ref = terms.ref('ACT');
    const words = terms.words.map((w) => ilike(meetingActions.title, containsPattern(w)));
    const where = ref?.prefixed ? (ref.exact !== null ? eq(meetingActions.number, ref.exact) : sql`true`) : words.length ? or(and(...words), ref?.exact != null ? eq(meetingActions.number, ref.exact) : undefined) : undefined;
    if (!where) return [];
    const rows = await actionsFrom(ctx.db).where(and(seriesVisibleSql(actor, sql`${meetingActions.seriesId}`), where)).orderBy(desc(meetingActions.createdAt)).limit(limit);
    return rows.map((r) => {
      const a = presentAction(r);
      return { id: a.id, ref: a.ref, title: a.title, subtitle: `${a.owner.name} · due ${a.dueDate} · ${a.status === 'done' ? 'done' : a.overdue ? 'overdue' : 'open'} · ${a.seriesTitle}`, link: `/meetings/occurrences/${a.occurrenceId}` };
    });
  },
});

registerNewsletterContributor({
  kind: 'meetings',
  label: 'Joint meetings',
  order: 60,
  async draft(ctx, period) {
    const decisions = await ctx.db
      .select({ text: meetingDecisions.text, title: meetingSeries.title, startsAt: meetingOccurrences.startsAt, timezone: meetingSeries.timezone })
      .from(meetingDecisions)
      .innerJoin(meetingOccurrences, eq(meetingOccurrences.id, meetingDecisions.occurrenceId))
      .innerJoin(meetingSeries, eq(meetingSeries.id, meetingOccurrences.seriesId))
      .where(and(sql`${meetingOccurrences.startsAt} >= ${period.from}`, sql`${meetingOccurrences.startsAt} < ${period.to}`))
      .orderBy(asc(meetingOccurrences.startsAt), asc(meetingDecisions.createdAt))
      .limit(30);
    const count = async (table: typeof meetingOccurrences | typeof meetingActions, where: SQL | undefined) => Number((await ctx.db.select({ n: sql<number>`count(*)::int` }).from(table).where(where))[0]?.n ?? 0);
    const inPeriod = (column: SQLWrapper) => and(sql`${column} >= ${period.from}`, sql`${column} < ${period.to}`);
    const figures = {
      held: await count(meetingOccurrences, and(sql`${meetingOccurrences.followUpSentAt} is not null`, inPeriod(meetingOccurrences.startsAt))),
      opened: await count(meetingActions, inPeriod(meetingActions.createdAt)),
      closed: await count(meetingActions, inPeriod(meetingActions.doneAt)),
    };
    if (!decisions.length && !Number(figures?.opened) && !Number(figures?.closed)) return [];
    return [
      {
        key: 'meetings:decisions',
        title: 'Decided in joint meetings',
        blocks: [
          { type: 'figures', items: [
            { label: 'Meetings with minutes', value: String(Number(figures?.held ?? 0)) },
            { label: 'Actions agreed', value: String(Number(figures?.opened ?? 0)) },
            { label: 'Actions completed', value: String(Number(figures?.closed ?? 0)) },
          ] },
          ...(decisions.length ? [{ type: 'items' as const, items: decisions.map((d) => ({ title: d.text, text: `${d.title}, ${utcToZoned(d.startsAt, d.timezone).slice(0, 10)}` })) }] : []),
        ],
      },
    ];
  },
});
