import dayjs from 'dayjs';
import { zonedToUtc } from './zoned-time.js';

/**
 * A department's working time, as service desks count response and resolution targets: the days of
 * the week it works (ISO: 1 Monday … 7 Sunday), its hours on those days on the wall clock of its time
 * zone, and the dates it is closed. No calendar means round the clock.
 */
export interface BusinessCalendar {
  timezone: string;
  workDays: number[];
  /** `HH:MM`, before `end`. */
  start: string;
  end: string;
  holidays: { date: string; name: string }[];
}

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MINUTE = 60_000;
/** A calendar that works at least one day a week reaches any target within this many days. */
const MAX_DAYS = 3 * 366;

/**
 * The instant `minutes` of working time after `from`: time outside the hours, on days off and on
 * holidays does not count. Days are taken on the calendar's own wall clock, so a day's hours stay
 * 08:00–18:00 across daylight-saving changes.
 */
export function addBusinessMinutes(from: Date, minutes: number, calendar: BusinessCalendar | null): Date {
  if (!calendar || calendar.workDays.length === 0) return new Date(from.getTime() + minutes * MINUTE);
  const holidays = new Set(calendar.holidays.map((h) => h.date));
  let remaining = minutes * MINUTE;
  let day = dayjs(from).tz(calendar.timezone).startOf('day');
  for (let i = 0; i < MAX_DAYS; i++, day = day.add(1, 'day')) {
    const date = day.format('YYYY-MM-DD');
    const isoDay = day.day() === 0 ? 7 : day.day();
    if (!calendar.workDays.includes(isoDay) || holidays.has(date)) continue;
    const opens = zonedToUtc(`${date}T${calendar.start}`, calendar.timezone).getTime();
    const closes = zonedToUtc(`${date}T${calendar.end}`, calendar.timezone).getTime();
    const begin = Math.max(opens, from.getTime());
    if (begin >= closes) continue;
    if (remaining <= closes - begin) return new Date(begin + remaining);
    remaining -= closes - begin;
  }
  // Only a calendar whose every working day is a holiday for years gets here.
  return new Date(from.getTime() + minutes * MINUTE);
}

/** "Mon–Fri 08:00–18:00 (America/New_York), 3 holidays" — or "round the clock". */
export function describeCalendar(calendar: BusinessCalendar | null): string {
  if (!calendar) return 'round the clock';
  const days = [...calendar.workDays].sort((a, b) => a - b);
  const contiguous = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  const dayText = days.length === 7 ? 'every day' : contiguous && days.length > 2 ? `${DAY_NAMES[days[0]!]}–${DAY_NAMES[days[days.length - 1]!]}` : days.map((d) => DAY_NAMES[d]).join(', ');
  const holidays = calendar.holidays.length ? `, ${calendar.holidays.length} holiday${calendar.holidays.length === 1 ? '' : 's'}` : '';
  return `${dayText} ${calendar.start}–${calendar.end} (${calendar.timezone})${holidays}`;
}
