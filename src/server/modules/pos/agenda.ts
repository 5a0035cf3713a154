import { registerAgendaSuggester } from '../../platform/agenda.js';
import { can } from '../../platform/policy.js';
import { storeScopeText } from '../../platform/scope.js';

/**
 * Cashiers who entered the high-risk band since the last meeting, in the stores the person sees:
 * counts and a link to the queue only — never a cashier's name or code on an agenda.
 */
registerAgendaSuggester({
  kind: 'pos',
  label: 'Cashier monitoring',
  async suggest(ctx, actor, window) {
    if (!can(actor, 'pos:read')) return [];
    const params: unknown[] = [window.from.toISOString().slice(0, 10), window.to.toISOString().slice(0, 10)];
    const scope = storeScopeText(actor, 'p.store_id', params);
    const scopeE = storeScopeText(actor, 'e.store_id', params);
    const { rows } = await ctx.database.query<{ cashiers: number; stores: number; open: number }>(
      `select count(distinct p.store_id::text || ':' || p.cashier_code)::int as cashiers,
              count(distinct p.store_id)::int as stores,
              (select count(*)::int from pos_exceptions e where e.status in ('new','reviewing','watch') and e.kind = 'cashier_period' and ${scopeE}) as open
         from pos_scores p
        where p.period = 'week' and p.band = 'high'
          and p.period_start > $1::date - 7 and p.period_start < $2::date
          and ${scope}
          and not exists (select 1 from pos_scores q where q.store_id = p.store_id and q.cashier_code = p.cashier_code
                          and q.period = 'week' and q.band = 'high' and q.period_start <= $1::date - 7)`,
      params,
    );
    const r = rows[0];
    const n = Number(r?.cashiers ?? 0);
    if (!n) return [];
    const stores = Number(r?.stores ?? 0);
    const open = Number(r?.open ?? 0);
    return [
      {
        key: `pos:new-high-risk:${window.from.toISOString().slice(0, 10)}`,
        title: `${n} cashier${n === 1 ? '' : 's'} new to high risk`,
        why: `${n} cashier${n === 1 ? '' : 's'} in ${stores} store${stores === 1 ? '' : 's'} entered the high-risk band since the last meeting; ${open} cashier exception${open === 1 ? '' : 's'} still wait for review.`,
        link: '/pos/exceptions?open=true',
        minutes: 10,
        weight: 55 + Math.min(30, n * 3),
      },
    ];
  },
});
