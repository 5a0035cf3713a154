import dayjs from 'dayjs';
import timezonePlugin from 'dayjs/plugin/timezone.js';
import utcPlugin from 'dayjs/plugin/utc.js';
import ical, { ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';

dayjs.extend(utcPlugin);
dayjs.extend(timezonePlugin);

export { utcToZoned, zonedToUtc } from '../../platform/zoned-time.js';

export interface CalendarSession {
  uid: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  summary: string;
  description: string;
  location: string;
  url: string;
  host: { name: string; email: string };
  guests: Array<{ name: string; email: string; response: 'pending' | 'accepted' | 'declined' }>;
}

const PARTSTAT = { pending: ICalAttendeeStatus.NEEDSACTION, accepted: ICalAttendeeStatus.ACCEPTED, declined: ICalAttendeeStatus.DECLINED } as const;

/**
 * The session as an iCalendar object. REQUEST and CANCEL carry the same UID with a rising
 * SEQUENCE, so Outlook and Google Calendar update or remove the one event in place. Times are
 * written in the host's time zone (TZID plus its VTIMEZONE block).
 */
export function sessionCalendar(session: CalendarSession, method: 'REQUEST' | 'CANCEL'): string {
  const calendar = ical({
    prodId: { company: 'Tandem', product: 'Cross-training', language: 'EN' },
    method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.timezone({ name: session.timezone, generator: (tz) => (tzlib_get_ical_block(tz) as string[])[0] ?? null });
  calendar.createEvent({
    id: session.uid,
    sequence: session.sequence,
    start: dayjs(session.startsAt).tz(session.timezone),
    end: dayjs(session.endsAt).tz(session.timezone),
    timezone: session.timezone,
    summary: session.summary,
    description: session.description,
    location: session.location,
    url: session.url,
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: session.host.name, email: session.host.email },
    attendees: session.guests.map((g) => ({ name: g.name, email: g.email, rsvp: true, status: PARTSTAT[g.response] })),
  });
  return calendar.toString();
}
