import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { registerAgendaSuggester } from '../../platform/agenda.js';
import { can } from '../../platform/policy.js';
import { stores } from '../people/schema.js';
import { deviceFindings } from './schema.js';
import { devicesScopeSql } from './service.js';

const DAY = 86_400_000;

/** Open critical and high device findings in the stores the person sees: counts, the oldest and how many are past due. */
registerAgendaSuggester({
  kind: 'devices',
  label: 'Devices and posture',
  async suggest(ctx, actor, window) {
    if (!can(actor, 'devices:read')) return [];
    const today = window.to.toISOString().slice(0, 10);
    const rows = await ctx.db
      .select({
        severity: deviceFindings.severity,
        n: sql<number>`count(*)::int`,
        overdue: sql<number>`count(*) filter (where ${deviceFindings.dueDate} < ${today})::int`,
        oldest: sql<string>`min(${deviceFindings.openedAt})`,
        stores: sql<number>`count(distinct ${deviceFindings.storeId})::int`,
      })
      .from(deviceFindings)
      .innerJoin(stores, eq(stores.id, deviceFindings.storeId))
      .where(and(eq(deviceFindings.state, 'open'), inArray(deviceFindings.severity, ['critical', 'high']), devicesScopeSql(actor, deviceFindings.storeId)))
      .groupBy(deviceFindings.severity)
      .orderBy(asc(deviceFindings.severity));
    const total = rows.reduce((s, r) => s + Number(r.n), 0);
    if (!total) return [];
    const overdue = rows.reduce((s, r) => s + Number(r.overdue), 0);
    const storeCount = Math.max(...rows.map((r) => Number(r.stores)));
    const oldest = Math.floor((window.to.getTime() - Math.min(...rows.map((r) => new Date(r.oldest).getTime()))) / DAY);
    const parts = rows.map((r) => `${Number(r.n)} ${r.severity}`).join(' and ');
    return [
      {
        key: `devices:high-findings:${today.slice(0, 7)}`,
        title: 'Open high-severity device findings',
        why: `${parts} device finding${total === 1 ? '' : 's'} open across ${storeCount} store${storeCount === 1 ? '' : 's'}; ${overdue} past due, the oldest open ${oldest} day${oldest === 1 ? '' : 's'}.`,
        link: '/devices/findings?state=open&severity=high',
        minutes: 10,
        weight: 45 + Math.min(35, total * 2 + overdue * 3),
      },
    ];
  },
});
