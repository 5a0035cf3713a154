import dayjs from 'dayjs';
import timezonePlugin from 'dayjs/plugin/timezone.js';
import utcPlugin from 'dayjs/plugin/utc.js';

dayjs.extend(utcPlugin);
dayjs.extend(timezonePlugin);

/** `2026-12-03T10:00` on the wall clock of `tz` as an instant. */
export function zonedToUtc(local: string, tz: string): Date {
  return dayjs.tz(local.replace('T', ' '), 'YYYY-MM-DD HH:mm', tz).toDate();
}

/** The instant as `YYYY-MM-DDTHH:mm` on the wall clock of `tz`. */
export function utcToZoned(at: Date, tz: string): string {
  return dayjs(at).tz(tz).format('YYYY-MM-DDTHH:mm');
}

/** An IANA zone name such as `America/New_York` (or UTC). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return /\//.test(tz) || tz === 'UTC';
  } catch {
    return false;
  }
}
