import { asc, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { AppContext } from '../../platform/context.js';
import { SYSTEM_ACTOR } from '../../platform/policy.js';
import { people } from '../people/schema.js';
import { cadenceDates, utcToZoned } from './calendar.js';
import { meetingActions, meetingAttendance, meetingDecisions, meetingItems, meetingOccurrences, meetingSeriesAttendees } from './schema.js';
import { createSeries } from './service.js';

const DAY = 86_400_000;
const TZ = 'America/New_York';

type Topic = { title: string; owner: string; minutes: number; notes: string; link?: { label: string; href: string }; decision?: string; action?: { title: string; owner: string; days: number } };

const STEERING: Topic[][] = [
  [
    { title: 'Shrink and POS exceptions: quarter to date', owner: 'Priya Natarajan', minutes: 15, notes: 'Refund exceptions down 11% since the void threshold change; Midwest still above plan. IT to confirm the POS log feed from MW-204 is complete before we read too much into it.', link: { label: 'Cashier monitoring', href: '/pos' }, decision: 'Keep the refund threshold at the new level for another quarter.', action: { title: 'Check the POS log completeness for MW-204 (gaps on Sundays)', owner: 'Ethan Kowalski', days: 14 } },
    { title: 'Camera refresh programme: phase 2 scope', owner: 'Marcus Chen', minutes: 20, notes: 'Eleven stores left on analogue encoders. Budget covers eight this year; LP ranked the stores by incident count.', decision: 'Phase 2 covers the eight stores LP ranked highest; the other three move to next year.', action: { title: 'Send the phase 2 store list and install windows to store operations', owner: 'Marcus Chen', days: 21 } },
    { title: 'Request backlog between LP and IT', owner: 'Dana Whitfield', minutes: 10, notes: 'Twelve open requests from LP to IT, four from IT to LP. Most LP asks are video exports; a self-service export would remove half of them.', link: { label: 'Give-and-take ledger', href: '/requests/ledger' }, action: { title: 'Price a self-service video export for regional LP managers', owner: 'Mei Tanaka', days: 30 } },
  ],
  [
    { title: 'Open actions from September', owner: 'Priya Natarajan', minutes: 5, notes: 'Store list for phase 2 sent; POS completeness check found two missing Sunday files (re-sent).' },
    { title: 'Device posture: unsupported firmware on NVRs', owner: 'Elena Petrova', minutes: 15, notes: 'Five NVRs run firmware without security updates. Two are in phase 2 stores; three need an interim patch.', link: { label: 'Device findings', href: '/devices/findings' }, decision: 'Patch the three NVRs outside phase 2 within 30 days; accept the risk on the two being replaced until their install date.', action: { title: 'Patch the three NVRs outside phase 2 and confirm in the findings list', owner: 'Rachel Okafor', days: 30 } },
    { title: 'Organised retail crime: shared alert channel', owner: 'Luis Ortega', minutes: 15, notes: 'Northeast stores see the same crew across four locations. LP wants a chat channel fed by the monitoring centre; IT raised retention and privacy questions.', action: { title: 'Draft the retention and privacy rules for the ORC alert channel', owner: 'Laura Kim', days: 21 } },
    { title: 'Cross-training: shadow days for Q1', owner: 'Grace Lindqvist', minutes: 10, notes: 'Coverage in IT is 30% against a 50% target. Six IT people volunteered for store LP shadow days.', link: { label: 'Cross-training coverage', href: '/training/coverage' }, decision: 'Every IT field technician shadows one LP store day by the end of Q1.' },
  ],
  [
    { title: 'Open actions from October', owner: 'Priya Natarajan', minutes: 5, notes: 'NVR patching: one of three done, two waiting for store access. Retention rules drafted, with Legal.' },
    { title: 'Holiday readiness: POS freeze and monitoring cover', owner: 'Marcus Chen', minutes: 15, notes: 'POS change freeze from 20 November to 3 January. The monitoring centre adds a second operator on weekends through December.', decision: 'No POS or network changes in stores during the freeze except for security fixes approved by both directors.', action: { title: 'Publish the holiday freeze calendar and the emergency change path', owner: 'Sam Delgado', days: 7 } },
    { title: 'Budget 2027: joint LP–IT priorities', owner: 'Aisha Rahman', minutes: 20, notes: 'Draft list of twelve items; the two departments rank the top five differently (EAS pedestals vs. network redundancy).', action: { title: 'Bring a single ranked list with cost and risk for each item', owner: 'Aisha Rahman', days: 28 } },
    { title: 'Video export requests: self-service pilot', owner: 'Mei Tanaka', minutes: 10, notes: 'Pilot for two regional LP managers quoted; needs a VMS licence upgrade.', decision: 'Run the self-service export pilot in the Northeast from January.' },
  ],
];

const STANDUP: Topic[] = [
  { title: 'Camera outages since last week', owner: 'Derek Yamamoto', minutes: 5, notes: 'Two cameras offline at SO-304 after a power cut; PoE switch restarted, both back.', link: { label: 'Devices', href: '/devices' } },
  { title: 'POS register issues affecting exception reports', owner: 'Ethan Kowalski', minutes: 5, notes: 'Register 7 at NE-102 sent duplicate voids after a software update; rolled back, reports re-run.', action: { title: 'Confirm the register 7 duplicate voids are gone from the NE-102 report', owner: 'Tomás Rivera', days: 7 } },
  { title: 'Store visits this week', owner: 'Noah Bergstrom', minutes: 5, notes: 'Cabling at MW-203 receiving dock for the new camera; access agreed with the store manager.' },
  { title: 'Video export queue', owner: 'Rachel Okafor', minutes: 5, notes: 'Four exports pending; one needs footage older than 30 days and may be gone.', action: { title: 'Check retention on the MW-201 VMS before the export request expires', owner: 'Rachel Okafor', days: 5 } },
  { title: 'Alarm panel connectivity', owner: 'Derek Yamamoto', minutes: 5, notes: 'Two panels fall back to cellular every night at 02:00; likely the firewall session timeout.', action: { title: 'Raise the firewall session timeout for alarm panels at the two stores', owner: 'Rachel Okafor', days: 10 } },
  { title: 'Exception report feedback from LP', owner: 'Tomás Rivera', minutes: 5, notes: 'Gift card redemptions appear twice for split tenders; IT to look at the POS log mapping.', action: { title: 'Fix double-counted gift card redemptions on split tenders', owner: 'Ethan Kowalski', days: 14 } },
];

/**
 * A monthly LP–IT steering meeting and a weekly store-technology stand-up, each with three months
 * of past meetings: agendas, minutes, decisions, attendance and actions — some done, some still open
 * and overdue, so the next meeting opens with them.
 */
export async function seedMeetingsDemo(ctx: AppContext) {
  const rows = await ctx.db.select({ id: people.id, name: people.name }).from(people);
  const id = (name: string) => {
    const p = rows.find((r) => r.name === name);
    if (!p) throw new Error(`demo person ${name} missing`);
    return p.id;
  };
  const now = new Date();
  const back = (days: number) => utcToZoned(new Date(now.getTime() - days * DAY), TZ).slice(0, 10);
  // Steering: the second Tuesday, from three months ago.
  const steeringStart = cadenceDates('monthly', nthTuesday(back(95)), back(-400))[0];
  const steering = await createSeries(
    ctx,
    SYSTEM_ACTOR,
    {
      title: 'LP–IT steering meeting',
      purpose: 'Monthly: shrink and exception trends, security technology, joint projects, budget priorities and the requests between the departments.',
      cadence: 'monthly',
      firstDate: steeringStart,
      localTime: '14:00',
      durationMinutes: 60,
      timezone: TZ,
      location: 'HQ boardroom 4B and Teams',
      chairId: id('Dana Whitfield'),
      noteTakerId: id('Priya Natarajan'),
      attendeeIds: ['Dana Whitfield', 'Priya Natarajan', 'Luis Ortega', 'Victor Mensah', 'Marcus Chen', 'Chris Donnelly', 'Aisha Rahman', 'Elena Petrova', 'Mei Tanaka'].map(id),
    },
    { notify: false, now },
  );
  const standupStart = mondayOnOrAfter(back(92));
  const standup = await createSeries(
    ctx,
    SYSTEM_ACTOR,
    {
      title: 'Store technology stand-up',
      purpose: 'Weekly, 30 minutes: cameras, alarms, POS and network issues in stores that affect loss prevention, and who fixes what this week.',
      cadence: 'weekly',
      firstDate: standupStart,
      localTime: '09:30',
      durationMinutes: 30,
      timezone: TZ,
      location: 'Teams',
      chairId: id('Marcus Chen'),
      noteTakerId: id('Rachel Okafor'),
      attendeeIds: ['Marcus Chen', 'Rachel Okafor', 'Ethan Kowalski', 'Noah Bergstrom', 'Derek Yamamoto', 'Tomás Rivera', 'Jamal Brooks'].map(id),
    },
    { notify: false, now },
  );

  await fillPast(ctx, steering.id, id, now, (i) => STEERING[i % STEERING.length], 'Dana Whitfield');
  await fillPast(ctx, standup.id, id, now, (i) => [STANDUP[i % STANDUP.length], STANDUP[(i + 2) % STANDUP.length], STANDUP[(i + 4) % STANDUP.length]], 'Marcus Chen');
}

function nthTuesday(date: string) {
  // The second Tuesday of the month of `date`.
  const d = new Date(`${date.slice(0, 8)}01T12:00:00Z`);
  const first = 1 + ((2 - d.getUTCDay() + 7) % 7);
  return `${date.slice(0, 8)}${String(first + 7).padStart(2, '0')}`;
}

function mondayOnOrAfter(date: string) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7));
  return d.toISOString().slice(0, 10);
}

async function fillPast(ctx: AppContext, seriesId: string, id: (name: string) => string, now: Date, topicsFor: (i: number) => Topic[], decider: string) {
  const past = (await ctx.db.select().from(meetingOccurrences).where(eq(meetingOccurrences.seriesId, seriesId)).orderBy(asc(meetingOccurrences.startsAt))).filter((o) => o.endsAt < now);
  const assigned = new Set<string>();
  const attendees = (await ctx.db.select({ id: meetingSeriesAttendees.personId }).from(meetingSeriesAttendees).where(eq(meetingSeriesAttendees.seriesId, seriesId))).sort((a, b) => a.id.localeCompare(b.id));
  for (const [i, occ] of past.entries()) {
    const topics = topicsFor(i);
    const items = topics.map((t, n) => ({
      id: uuidv7(),
      occurrenceId: occ.id,
      position: n + 1,
      title: t.title,
      ownerId: id(t.owner),
      timeBoxMinutes: t.minutes,
      links: t.link ? [t.link] : [],
      minutes: t.notes,
      addedById: id(t.owner),
      createdAt: new Date(occ.startsAt.getTime() - 3 * DAY),
      updatedAt: occ.endsAt,
    }));
    if (items.length) await ctx.db.insert(meetingItems).values(items);
    const decisions = topics.flatMap((t, n) => (t.decision ? [{ id: uuidv7(), occurrenceId: occ.id, itemId: items[n].id, text: t.decision, createdById: id(decider), createdAt: occ.endsAt }] : []));
    if (decisions.length) await ctx.db.insert(meetingDecisions).values(decisions);
    const isLast = i === past.length - 1;
    const actions = topics.flatMap((t, n) => {
      // A recurring topic gets its action once; later meetings follow it up.
      if (!t.action || assigned.has(t.action.title)) return [];
      assigned.add(t.action.title);
      const due = new Date(occ.startsAt.getTime() + t.action.days * DAY);
      // Older actions are mostly done; some stay open past their due date, and the last meeting's are open.
      const done = !isLast && due < now && (i + n) % 3 !== 0;
      return [
        {
          id: uuidv7(),
          seriesId,
          occurrenceId: occ.id,
          itemId: items[n].id,
          title: t.action.title,
          ownerId: id(t.action.owner),
          dueDate: utcToZoned(due, TZ).slice(0, 10),
          status: done ? 'done' : 'open',
          doneAt: done ? new Date(due.getTime() - DAY) : null,
          doneById: done ? id(t.action.owner) : null,
          createdById: id(decider),
          createdAt: occ.endsAt,
          updatedAt: done ? new Date(due.getTime() - DAY) : occ.endsAt,
        },
      ];
    });
    if (actions.length) await ctx.db.insert(meetingActions).values(actions);
    const marks = attendees.map((a, n) => ({ occurrenceId: occ.id, personId: a.id, status: (n + i) % 7 === 3 ? 'excused' : (n + i) % 11 === 5 ? 'absent' : 'present' }));
    if (marks.length) await ctx.db.insert(meetingAttendance).values(marks);
    await ctx.db.update(meetingOccurrences).set({ followUpSentAt: new Date(occ.endsAt.getTime() + 2 * 3600_000) }).where(eq(meetingOccurrences.id, occ.id));
  }
}
