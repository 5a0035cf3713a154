import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import { registerAgendaSuggester, type AgendaSuggestion } from '../../platform/agenda.js';
import { can } from '../../platform/policy.js';
import { departments } from '../people/schema.js';
import { requests } from './schema.js';
import { overdueSql, requestsVisibleSql } from './service.js';

const DAY = 86_400_000;

/**
 * Requests between the departments at the meeting's table: overdue ones in either direction, and
 * the give-and-take balance of the period when one side asked far more than the other. Counts only,
 * within the requests the person preparing the agenda may see.
 */
registerAgendaSuggester({
  kind: 'requests',
  label: 'Requests',
  async suggest(ctx, actor, window) {
    if (!can(actor, 'requests:read') || window.departmentIds.length < 2) return [];
    const depts = window.departmentIds;
    const between = and(inArray(requests.fromDepartmentId, depts), inArray(requests.toDepartmentId, depts), requestsVisibleSql(actor));
    const [overdue, asked, names] = await Promise.all([
      ctx.db
        .select({ from: requests.fromDepartmentId, to: requests.toDepartmentId, n: sql<number>`count(*)::int`, oldest: sql<string>`min(${requests.createdAt})` })
        .from(requests)
        .where(and(between, overdueSql))
        .groupBy(requests.fromDepartmentId, requests.toDepartmentId),
      ctx.db
        .select({ from: requests.fromDepartmentId, to: requests.toDepartmentId, n: sql<number>`count(*)::int` })
        .from(requests)
        .where(and(between, gte(requests.createdAt, window.from), lt(requests.createdAt, window.to)))
        .groupBy(requests.fromDepartmentId, requests.toDepartmentId),
      ctx.db.select({ id: departments.id, code: departments.code, name: departments.name }).from(departments).where(inArray(departments.id, depts)),
    ]);
    const name = new Map(names.map((d) => [d.id, d]));
    const out: AgendaSuggestion[] = [];
    for (const o of overdue) {
      const n = Number(o.n);
      const from = name.get(o.from);
      const to = name.get(o.to);
      if (!from || !to || n === 0) continue;
      const days = Math.max(0, Math.floor((window.to.getTime() - new Date(o.oldest).getTime()) / DAY));
      out.push({
        key: `requests:overdue:${o.from}:${o.to}`,
        title: `Overdue requests from ${from.code} to ${to.code}`,
        why: `${n} request${n === 1 ? '' : 's'} from ${from.name} to ${to.name} ${n === 1 ? 'is' : 'are'} overdue; the oldest was filed ${days} day${days === 1 ? '' : 's'} ago.`,
        link: `/requests?overdue=true&fromDepartmentId=${o.from}&toDepartmentId=${o.to}`,
        minutes: Math.min(15, 5 + n),
        weight: 50 + Math.min(30, n * 3),
      });
    }
    // Give and take: pairs where one side asked at least twice as often as the other (and at least 4 times).
    const count = (a: string, b: string) => Number(asked.find((x) => x.from === a && x.to === b)?.n ?? 0);
    for (let i = 0; i < depts.length; i++)
      for (let j = i + 1; j < depts.length; j++) {
        const [a, b] = [depts[i], depts[j]];
        const ab = count(a, b);
        const ba = count(b, a);
        const [hi, lo, asker, giver] = ab >= ba ? [ab, ba, a, b] : [ba, ab, b, a];
        if (hi < 4 || hi < 2 * Math.max(1, lo)) continue;
        const A = name.get(asker);
        const G = name.get(giver);
        if (!A || !G) continue;
        out.push({
          key: `requests:balance:${[a, b].sort().join(':')}:${window.from.toISOString().slice(0, 10)}`,
          title: `Give and take between ${A.code} and ${G.code}`,
          why: `Since the last meeting ${A.name} asked ${G.name} ${hi} time${hi === 1 ? '' : 's'}, and ${G.name} asked back ${lo} time${lo === 1 ? '' : 's'}.`,
          link: '/requests/ledger',
          minutes: 10,
          weight: 40 + Math.min(20, hi - lo),
        });
      }
    return out;
  },
});
