import { sql } from 'drizzle-orm';
import { INCIDENT_TYPES, type IncidentType } from '../../../contracts/cases.js';
import { NRF_CAUSES, NRF_MAPPING, NRF_SHARES, type Shrink, type ShrinkQuery } from '../../../contracts/shrink.js';
import type { AppContext } from '../../platform/context.js';
import { assertCan, type Actor } from '../../platform/policy.js';
import { caseVisibleSql, incidentVisibleSql, rows } from './visibility.js';

/**
 * Shrink figures, computed in SQL under the same scope as the incident and case lists.
 *
 * What counts as a loss:
 *  - every incident the viewer sees (estimated loss, recovered), by the month it happened;
 *  - every case the viewer sees that has a recorded loss (loss; recovered = recovery + restitution),
 *    by the month it was opened. Its linked incidents then no longer count, so nothing is counted twice.
 *
 * Restricted (sealed) cases: aggregates hold only what the viewer may see. A person who cannot see a
 * sealed case does not get its loss in any figure (not even inside a total), so the amount cannot be
 * attributed by comparing figures; its members and LP leads in scope see it counted. Incidents linked
 * to a case the viewer may not see are left out by the incident scope already.
 *
 * Months are calendar months in UTC.
 */
export async function shrinkDashboard(ctx: AppContext, actor: Actor, query: ShrinkQuery): Promise<Shrink> {
  assertCan(actor, 'incidents:read');
  const now = new Date();
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (query.months - 1), 1));
  const sinceIso = since.toISOString();
  const storeId = query.storeId ?? null;
  const caseSql = caseVisibleSql(actor, 'c');
  const storeFilter = (alias: string) => (storeId ? sql`${sql.raw(alias)}.store_id = ${storeId}::uuid` : sql`true`);

  const losses = sql`
    with loss as (
      select i.type, i.store_id, to_char(date_trunc('month', i.occurred_at at time zone 'UTC'), 'YYYY-MM') as month,
             i.estimated_loss_cents as lost, i.recovered_cents as recovered
        from incidents i
       where ${incidentVisibleSql(actor, 'i')} and ${storeFilter('i')}
         and i.occurred_at >= ${sinceIso}::timestamptz and i.duplicate_of is null
         and not exists (select 1 from cases c where c.id = i.case_id and c.loss_cents > 0 and ${caseSql})
      union all
      select c.type, c.store_id, to_char(date_trunc('month', c.created_at at time zone 'UTC'), 'YYYY-MM'),
             c.loss_cents, c.recovery_cents + c.restitution_cents
        from cases c
       where ${caseSql} and ${storeFilter('c')} and c.loss_cents > 0 and c.created_at >= ${sinceIso}::timestamptz
    )
    select grouping(type) as g_type, grouping(store_id) as g_store, grouping(month) as g_month,
           type, store_id, month,
           (select s.code from stores s where s.id = loss.store_id) as store_code,
           (select s.name from stores s where s.id = loss.store_id) as store_name,
           coalesce(sum(lost), 0)::bigint as lost, coalesce(sum(recovered), 0)::bigint as recovered, count(*)::int as n
      from loss
     group by grouping sets ((type), (store_id), (month), ())`;

  type Row = { g_type: number; g_store: number; g_month: number; type: IncidentType | null; store_id: string | null; month: string | null; store_code: string | null; store_name: string | null; lost: string | number; recovered: string | number; n: number };
  const grouped = await rows<Row>(ctx.db, losses);
  const amounts = (r?: Row) => ({ lostCents: Number(r?.lost ?? 0), recoveredCents: Number(r?.recovered ?? 0), count: Number(r?.n ?? 0) });
  // grouping() is 1 for the columns rolled up in a row: a (type) row rolls up store and month, etc.
  const is = (r: Row, t: number, s: number, m: number) => Number(r.g_type) === t && Number(r.g_store) === s && Number(r.g_month) === m;

  const total = grouped.find((r) => is(r, 1, 1, 1));
  const causeRows = new Map(grouped.filter((r) => is(r, 0, 1, 1)).map((r) => [r.type!, r]));
  const byCause = INCIDENT_TYPES.map((type) => ({ type, ...amounts(causeRows.get(type)) }));
  const byStore = grouped
    .filter((r) => is(r, 1, 0, 1))
    .map((r) => ({ storeId: r.store_id, storeCode: r.store_code, storeName: r.store_name, ...amounts(r) }))
    .sort((a, b) => b.lostCents - a.lostCents || (a.storeCode ?? '').localeCompare(b.storeCode ?? ''));
  const monthRows = new Map(grouped.filter((r) => is(r, 1, 1, 0)).map((r) => [r.month!, r]));
  const byMonth = Array.from({ length: query.months }, (_, k) => {
    const d = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth() + k, 1));
    const month = d.toISOString().slice(0, 7);
    return { month, ...amounts(monthRows.get(month)) };
  });

  const totals = amounts(total);
  const nrf = NRF_CAUSES.map((cause) => {
    const types = INCIDENT_TYPES.filter((t) => NRF_MAPPING[t] === cause);
    const lostCents = byCause.filter((c) => types.includes(c.type)).reduce((a, c) => a + c.lostCents, 0);
    return { cause, nrfShare: NRF_SHARES[cause], chainShare: totals.lostCents > 0 ? Math.round((lostCents / totals.lostCents) * 1000) / 10 : null, lostCents, types };
  });

  const [c] = await rows<{ open: number; on_hold: number; closed: number; avg_days: string | number | null }>(
    ctx.db,
    sql`select count(*) filter (where c.status = 'open')::int as open,
               count(*) filter (where c.status = 'on_hold')::int as on_hold,
               count(*) filter (where c.status = 'closed')::int as closed,
               avg(extract(epoch from (c.closed_at - c.created_at)) / 86400) filter (where c.status = 'closed' and c.closed_at is not null) as avg_days
          from cases c
         where ${caseSql} and ${storeFilter('c')} and c.created_at >= ${sinceIso}::timestamptz`,
  );
  return {
    since: sinceIso,
    months: query.months,
    storeId,
    totals,
    byCause,
    byStore,
    byMonth,
    nrf,
    cases: { open: Number(c?.open ?? 0), onHold: Number(c?.on_hold ?? 0), closed: Number(c?.closed ?? 0), avgDaysToClose: c?.avg_days == null ? null : Math.round(Number(c.avg_days) * 10) / 10 },
  };
}
