import dayjs from 'dayjs';
import timezonePlugin from 'dayjs/plugin/timezone.js';
import utcPlugin from 'dayjs/plugin/utc.js';
import ical, { ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { Cadence } from '../../../contracts/meetings.js';

dayjs.extend(utcPlugin);
dayjs.extend(timezonePlugin);

export { isTimeZone, utcToZoned, zonedToUtc } from '../../platform/zoned-time.js';
import { zonedToUtc } from '../../platform/zoned-time.js';

const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

/** Day of week (0 Sunday) and which one in its month (1–4, or -1 for the last) of a calendar date. */
function weekdayInMonth(date: string) {
  const d = dayjs.utc(date);
  const nth = Math.ceil(d.date() / 7);
  return { dow: d.day(), nth: nth >= 5 ? -1 : nth };
}

/** The date of the `nth` (or last, -1) weekday `dow` in the month of `monthStart` (YYYY-MM-01). */
function nthWeekday(monthStart: dayjs.Dayjs, dow: number, nth: number): dayjs.Dayjs {
  if (nth > 0) {
    const first = monthStart.add((dow - monthStart.day() + 7) % 7, 'day');
    return first.add((nth - 1) * 7, 'day');
  }
  const last = monthStart.endOf('month').startOf('day');
  return last.subtract((last.day() - dow + 7) % 7, 'day');
}

/**
 * The calendar dates of a cadence from `firstDate` up to `untilDate` (inclusive), in the series'
 * own calendar: dates, not instants, so a 10:00 meeting stays at 10:00 across daylight-saving
 * changes. Monthly and quarterly keep the weekday and its place in the month ("2nd Tuesday").
 */
export function cadenceDates(cadence: Cadence, firstDate: string, untilDate: string): string[] {
  const out: string[] = [];
  const start = dayjs.utc(firstDate);
  const until = dayjs.utc(untilDate);
  if (until.isBefore(start)) return out;
  if (cadence === 'weekly' || cadence === 'biweekly') {
    const step = cadence === 'weekly' ? 7 : 14;
    for (let d = start; !d.isAfter(until); d = d.add(step, 'day')) out.push(d.format('YYYY-MM-DD'));
  } else if (cadence === 'weekdays') {
    for (let d = start; !d.isAfter(until); d = d.add(1, 'day')) if (d.day() >= 1 && d.day() <= 5) out.push(d.format('YYYY-MM-DD'));
  } else {
    const step = cadence === 'monthly' ? 1 : 3;
    const { dow, nth } = weekdayInMonth(firstDate);
    for (let m = start.startOf('month'); !m.isAfter(until); m = m.add(step, 'month')) {
      const d = nthWeekday(m, dow, nth);
      if (!d.isBefore(start) && !d.isAfter(until)) out.push(d.format('YYYY-MM-DD'));
    }
  }
  return out;
}

/** The recurrence rule of a series (RFC 5545), the same pattern as cadenceDates. */
export function cadenceRule(cadence: Cadence, firstDate: string): string {
  const { dow, nth } = weekdayInMonth(firstDate);
  const day = DAY_CODES[dow];
  switch (cadence) {
    case 'weekly':
      return `FREQ=WEEKLY;BYDAY=${day}`;
    case 'biweekly':
      return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${day}`;
    case 'weekdays':
      return 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';
    case 'monthly':
      return `FREQ=MONTHLY;BYDAY=${nth}${day}`;
    case 'quarterly':
      return `FREQ=MONTHLY;INTERVAL=3;BYDAY=${nth}${day}`;
  }
}

/** The first date on or after `firstDate` that the cadence holds (a weekday series starting on a Saturday begins on Monday). */
export function firstCadenceDate(cadence: Cadence, firstDate: string): string {
  return cadenceDates(cadence, firstDate, dayjs.utc(firstDate).add(3, 'month').format('YYYY-MM-DD'))[0] ?? firstDate;
}

export interface CalendarSeries {
  uid: string;
  sequence: number;
  cadence: Cadence;
  firstDate: string;
  localTime: string;
  durationMinutes: number;
  timezone: string;
  summary: string;
  description: string;
  location: string;
  url: string;
  organizer: { name: string; email: string };
  attendees: Array<{ name: string; email: string }>;
  /** Last meeting of an ended series (UNTIL). */
  until?: Date | null;
}

export interface CalendarOverride {
  /** The slot in the recurrence being changed (RECURRENCE-ID). */
  originalStartsAt: Date;
  startsAt: Date;
  endsAt: Date;
  sequence: number;
  cancelled: boolean;
  location: string;
  note?: string | null;
}

function newCalendar(method: 'REQUEST' | 'CANCEL', timezone: string) {
  const calendar = ical({
    prodId: { company: 'Tandem', product: 'Joint meetings', language: 'EN' },
    method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.timezone({ name: timezone, generator: (tz) => (tzlib_get_ical_block(tz) as string[])[0] ?? null });
  return calendar;
}

function people(series: CalendarSeries) {
  return {
    organizer: { name: series.organizer.name, email: series.organizer.email },
    attendees: series.attendees.map((a) => ({ name: a.name, email: a.email, rsvp: true, status: ICalAttendeeStatus.NEEDSACTION })),
  };
}

/**
 * The series as one recurring event (RRULE) in the series' time zone. A REQUEST with a higher
 * SEQUENCE replaces it in calendars; a CANCEL removes the whole series.
 */
export function seriesCalendar(series: CalendarSeries, method: 'REQUEST' | 'CANCEL'): string {
  const calendar = newCalendar(method, series.timezone);
  const first = firstCadenceDate(series.cadence, series.firstDate);
  const start = zonedToUtc(`${first}T${series.localTime}`, series.timezone);
  let rule = cadenceRule(series.cadence, series.firstDate);
  if (series.until) rule += `;UNTIL=${dayjs(series.until).utc().format('YYYYMMDD[T]HHmmss[Z]')}`;
  calendar.createEvent({
    id: series.uid,
    sequence: series.sequence,
    start: dayjs(start).tz(series.timezone),
    end: dayjs(start.getTime() + series.durationMinutes * 60_000).tz(series.timezone),
    timezone: series.timezone,
    repeating: `RRULE:${rule}`,
    summary: series.summary,
    description: series.description,
    location: series.location,
    url: series.url,
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...people(series),
  });
  return calendar.toString();
}

/**
 * One changed or cancelled meeting of a series: the same UID with RECURRENCE-ID naming the slot,
 * so calendars move or remove that one meeting and keep the rest of the series.
 */
export function occurrenceCalendar(series: CalendarSeries, change: CalendarOverride): string {
  const method = change.cancelled ? 'CANCEL' : 'REQUEST';
  const calendar = newCalendar(method, series.timezone);
  calendar.createEvent({
    id: series.uid,
    sequence: change.sequence,
    recurrenceId: dayjs(change.originalStartsAt).tz(series.timezone),
    start: dayjs(change.startsAt).tz(series.timezone),
    end: dayjs(change.endsAt).tz(series.timezone),
    timezone: series.timezone,
    summary: series.summary,
    description: [change.note ? `Change: ${change.note}` : '', series.description].filter(Boolean).join('\n'),
    location: change.location,
    url: series.url,
    status: change.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...people(series),
  });
  return calendar.toString();
}
