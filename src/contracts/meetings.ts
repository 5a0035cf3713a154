import { z } from 'zod';
import { listQueryBase, pageOf, queryBoolean } from './list.js';
import { patchOf } from './patch.js';

/** Joint LP–IT meetings (M7): series, occurrences, agenda, minutes, decisions, actions. */

export const CADENCES = ['weekly', 'biweekly', 'monthly', 'quarterly', 'weekdays'] as const;
export type Cadence = (typeof CADENCES)[number];
export const CADENCE_LABELS: Record<Cadence, string> = {
  weekly: 'Weekly',
  biweekly: 'Every two weeks',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  weekdays: 'Every weekday (Monday to Friday)',
};
export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const ACTION_STATUSES = ['open', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const seriesRef = (number: number) => `MTG-${number}`;
export const actionRef = (number: number) => `ACT-${number}`;

const trimmed = (max: number) => z.string({ error: 'is required' }).trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const uuid = (what: string) => z.string({ error: 'is required' }).uuid(`is not a ${what}`);
const isoDate = z.string({ error: 'is required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');
const localTime = z.string({ error: 'is required' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day (HH:MM, 24-hour)');
const localDateTime = z.string({ error: 'is required' }).regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, 'must be a date and time (YYYY-MM-DDTHH:MM)');
const link = z.object({
  label: trimmed(120),
  href: z
    .string({ error: 'is required' })
    .trim()
    .max(500, 'must be at most 500 characters')
    .regex(/^(\/[^\s]*|https?:\/\/[^\s]+)$/, 'must be a path in Tandem (/requests/REQ-4) or a web address (https://…)'),
});
export type AgendaLink = z.infer<typeof link>;

const person = z.object({ id: z.string(), name: z.string() });

// ------------------------------------------------------------------ series

export const seriesInput = z.object({
  title: trimmed(200),
  purpose: z.string().trim().max(2000, 'must be at most 2000 characters').default(''),
  cadence: z.enum(CADENCES, { error: `must be one of ${CADENCES.join(', ')}` }),
  firstDate: isoDate,
  localTime,
  durationMinutes: z.number({ error: 'must be a number of minutes' }).int('must be whole minutes').min(5, 'must be at least 5 minutes').max(480, 'must be at most 8 hours'),
  timezone: trimmed(64),
  location: z.string().trim().max(200, 'must be at most 200 characters').default(''),
  chairId: uuid('person id'),
  noteTakerId: uuid('person id'),
  attendeeIds: z.array(uuid('person id')).min(2, 'needs at least two people').max(60, 'at most 60 people'),
});
/**
 * A change to a series: only the fields it names change (patchOf: no defaults, so a new time does
 * not blank the purpose or location). A new time, cadence, first date, duration or time zone moves
 * the future meetings; attendees get an updated invitation.
 */
export const seriesPatch = patchOf(seriesInput).extend({ status: z.enum(['active', 'ended']).optional() });

export const seriesSummary = z.object({
  id: z.string(),
  ref: z.string(),
  title: z.string(),
  cadence: z.enum(CADENCES),
  cadenceLabel: z.string(),
  localTime: z.string(),
  durationMinutes: z.number().int(),
  timezone: z.string(),
  status: z.enum(['active', 'ended']),
  chair: person,
  noteTaker: person,
  attendeeCount: z.number().int(),
  departments: z.array(z.string()),
  nextOccurrence: z.object({ id: z.string(), startsAt: z.string(), localStart: z.string() }).nullable(),
  openActions: z.number().int(),
  overdueActions: z.number().int(),
});
export type SeriesSummary = z.infer<typeof seriesSummary>;
export const seriesListQuery = listQueryBase.extend({
  sort: z.enum(['title', 'createdAt']).default('title'),
  status: z.enum(['active', 'ended']).optional(),
  mine: queryBoolean.optional(),
});
export const seriesPage = pageOf(seriesSummary);

export const occurrenceSummary = z.object({
  id: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  localStart: z.string(),
  status: z.enum(['scheduled', 'cancelled']),
  changed: z.boolean(),
  itemCount: z.number().int(),
  followUpSentAt: z.string().nullable(),
});
export type OccurrenceSummary = z.infer<typeof occurrenceSummary>;

export const seriesDetail = seriesSummary.extend({
  purpose: z.string(),
  firstDate: z.string(),
  location: z.string(),
  rrule: z.string(),
  attendees: z.array(z.object({ id: z.string(), name: z.string(), title: z.string(), departmentName: z.string().nullable() })),
  past: z.array(occurrenceSummary),
  upcoming: z.array(occurrenceSummary),
  canManage: z.boolean(),
});
export type SeriesDetail = z.infer<typeof seriesDetail>;

// ------------------------------------------------------------------ occurrences

export const occurrencePatch = z.object({
  localStart: localDateTime.optional(),
  durationMinutes: z.number().int('must be whole minutes').min(5, 'must be at least 5 minutes').max(480, 'must be at most 8 hours').optional(),
  location: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  status: z.enum(['scheduled', 'cancelled']).optional(),
  note: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});

export const actionSchema = z.object({
  id: z.string(),
  ref: z.string(),
  title: z.string(),
  owner: person,
  dueDate: z.string(),
  status: z.enum(ACTION_STATUSES),
  overdue: z.boolean(),
  seriesId: z.string(),
  seriesTitle: z.string(),
  occurrenceId: z.string(),
  occurrenceDate: z.string(),
  itemId: z.string().nullable(),
  doneAt: z.string().nullable(),
});
export type MeetingAction = z.infer<typeof actionSchema>;

export const itemSchema = z.object({
  id: z.string(),
  position: z.number().int(),
  title: z.string(),
  owner: person.nullable(),
  timeBoxMinutes: z.number().int(),
  links: z.array(link),
  suggestionKey: z.string().nullable(),
  why: z.string().nullable(),
  minutes: z.string(),
  addedByName: z.string().nullable(),
});
export type AgendaItem = z.infer<typeof itemSchema>;

export const occurrenceDetail = z.object({
  id: z.string(),
  series: z.object({ id: z.string(), ref: z.string(), title: z.string(), timezone: z.string(), location: z.string(), chair: person, noteTaker: person }),
  startsAt: z.string(),
  endsAt: z.string(),
  localStart: z.string(),
  localEnd: z.string(),
  status: z.enum(['scheduled', 'cancelled']),
  location: z.string(),
  changeNote: z.string().nullable(),
  followUpSentAt: z.string().nullable(),
  items: z.array(itemSchema),
  decisions: z.array(z.object({ id: z.string(), itemId: z.string().nullable(), text: z.string(), createdAt: z.string(), createdByName: z.string().nullable() })),
  /** Actions assigned in this meeting. */
  actions: z.array(actionSchema),
  /** Open actions of the series from earlier meetings: what this meeting opens with. */
  carriedActions: z.array(actionSchema),
  attendance: z.array(z.object({ personId: z.string(), name: z.string(), departmentName: z.string().nullable(), status: z.enum(ATTENDANCE_STATUSES).nullable() })),
  previous: z.object({ id: z.string(), localStart: z.string() }).nullable(),
  next: z.object({ id: z.string(), localStart: z.string() }).nullable(),
  abilities: z.object({ run: z.boolean(), addItems: z.boolean() }),
});
export type OccurrenceDetail = z.infer<typeof occurrenceDetail>;

// ------------------------------------------------------------------ agenda

export const itemInput = z.object({
  title: trimmed(200),
  ownerId: uuid('person id').nullable().default(null),
  timeBoxMinutes: z.number({ error: 'must be a number of minutes' }).int('must be whole minutes').min(1, 'must be at least 1 minute').max(240, 'must be at most 240 minutes').default(10),
  links: z.array(link).max(10, 'at most 10 links').default([]),
});
export const itemPatch = itemInput.partial().extend({ minutes: z.string().max(20000, 'must be at most 20000 characters').optional() });
export const orderInput = z.object({ itemIds: z.array(uuid('agenda item id')).min(1, 'needs the agenda items').max(100) });

export const suggestionSchema = z.object({
  key: z.string(),
  kind: z.string(),
  label: z.string(),
  title: z.string(),
  why: z.string(),
  link: z.string().nullable(),
  minutes: z.number().int().nullable(),
  weight: z.number(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;
export const suggestionList = z.object({ items: z.array(suggestionSchema), window: z.object({ from: z.string(), to: z.string() }) });
export const suggestionKeyInput = z.object({ key: trimmed(300) });

export const decisionInput = z.object({ text: trimmed(2000), itemId: uuid('agenda item id').nullable().default(null) });
export const actionInput = z.object({ title: trimmed(300), ownerId: uuid('person id'), dueDate: isoDate, itemId: uuid('agenda item id').nullable().default(null) });
export const actionPatch = z.object({ title: trimmed(300).optional(), ownerId: uuid('person id').optional(), dueDate: isoDate.optional(), status: z.enum(ACTION_STATUSES).optional() });
export const attendanceInput = z.object({
  entries: z.array(z.object({ personId: uuid('person id'), status: z.enum(ATTENDANCE_STATUSES, { error: 'must be present, absent or excused' }) })).min(1, 'needs at least one person').max(100),
});

export const actionListQuery = listQueryBase.extend({
  sort: z.enum(['dueDate', 'createdAt']).default('dueDate'),
  status: z.enum(ACTION_STATUSES).optional(),
  mine: queryBoolean.optional(),
  overdue: queryBoolean.optional(),
  seriesId: z.string().uuid('is not a series id').optional(),
});
export const actionPage = pageOf(actionSchema);
