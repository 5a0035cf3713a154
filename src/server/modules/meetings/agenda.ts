import { and, asc, eq, lt, sql } from 'drizzle-orm';
import { actionRef } from '../../../contracts/meetings.js';
import { registerAgendaSuggester } from '../../platform/agenda.js';
import { can } from '../../platform/policy.js';
import { people } from '../people/schema.js';
import { meetingActions, meetingOccurrences } from './schema.js';
import { seriesVisibleSql } from './service.js';

const DAY = 86_400_000;

/** Actions of the series still open past their due date: each one comes back to the table until done. */
registerAgendaSuggester({
  kind: 'meetings',
  label: 'Meeting actions',
  async suggest(ctx, actor, window) {
    if (!window.seriesId || !can(actor, 'meetings:read')) return [];
    const due = window.to.toISOString().slice(0, 10);
    const rows = await ctx.db
      .select({ id: meetingActions.id, number: meetingActions.number, title: meetingActions.title, dueDate: meetingActions.dueDate, ownerName: people.name, occurrenceId: meetingActions.occurrenceId })
      .from(meetingActions)
      .innerJoin(people, eq(people.id, meetingActions.ownerId))
      .innerJoin(meetingOccurrences, eq(meetingOccurrences.id, meetingActions.occurrenceId))
      .where(
        and(
          eq(meetingActions.seriesId, window.seriesId),
          eq(meetingActions.status, 'open'),
          lt(meetingActions.dueDate, due),
          lt(meetingOccurrences.startsAt, window.to),
          seriesVisibleSql(actor, sql`${meetingActions.seriesId}`),
        ),
      )
      .orderBy(asc(meetingActions.dueDate))
      .limit(3);
    return rows.map((r) => {
      const late = Math.max(1, Math.round((window.to.getTime() - Date.parse(`${r.dueDate}T00:00:00Z`)) / DAY));
      return {
        key: `meetings:overdue-action:${r.id}`,
        title: `Overdue: ${actionRef(r.number)} ${r.title}`,
        why: `${r.ownerName}'s action was due ${r.dueDate} and is still open — ${late} day${late === 1 ? '' : 's'} overdue.`,
        link: `/meetings/occurrences/${r.occurrenceId}`,
        minutes: 5,
        weight: 60 + Math.min(30, late),
      };
    });
  },
});
