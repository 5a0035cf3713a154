import { sql } from 'drizzle-orm';
import { registerNewsletterContributor } from '../../platform/newsletter-sections.js';
import { fmtInt, rowsFor } from '../newsletter/contributor-sql.js';

/**
 * Cashier monitoring for the newsletter: how much was analysed and how many exceptions were raised
 * and reviewed, with their outcomes. Counts only — never a cashier, a store's cashier code or a note.
 */
registerNewsletterContributor({
  kind: 'pos',
  label: 'Cashier monitoring',
  order: 10,
  async draft(ctx, period) {
    const from = period.from.toISOString().slice(0, 10);
    const to = period.to.toISOString().slice(0, 10);
    const [e] = await rowsFor<{ raised: number; reviewed: number; confirmed: number; watch: number; dismissed: number; open: number }>(
      ctx,
      sql`select count(*) filter (where created_at >= ${period.from} and created_at < ${period.to})::int as raised,
                 count(*) filter (where status in ('dismissed','watch','confirmed') and updated_at >= ${period.from} and updated_at < ${period.to})::int as reviewed,
                 count(*) filter (where status = 'confirmed' and updated_at >= ${period.from} and updated_at < ${period.to})::int as confirmed,
                 count(*) filter (where status = 'watch' and updated_at >= ${period.from} and updated_at < ${period.to})::int as watch,
                 count(*) filter (where status = 'dismissed' and updated_at >= ${period.from} and updated_at < ${period.to})::int as dismissed,
                 count(*) filter (where status in ('new','reviewing') and created_at < ${period.to})::int as open
            from pos_exceptions`,
    );
    const [t] = await rowsFor<{ txns: number | null; stores: number }>(
      ctx,
      sql`select sum(txn_count)::bigint as txns, count(distinct store_id)::int as stores from pos_cashier_days where business_day >= ${from} and business_day < ${to}`,
    );
    const txns = Number(t?.txns ?? 0);
    if (!e || (Number(e.raised) === 0 && Number(e.reviewed) === 0 && txns === 0)) return [];
    const reviewed = Number(e.reviewed);
    return [
      {
        key: 'pos:exceptions',
        title: 'Cashier monitoring',
        blocks: [
          {
            type: 'figures',
            items: [
              { label: 'Transactions analysed', value: fmtInt(txns), note: `${t?.stores ?? 0} stores` },
              { label: 'Exceptions raised', value: fmtInt(Number(e.raised)) },
              { label: 'Exceptions reviewed', value: fmtInt(reviewed) },
              { label: 'Confirmed', value: fmtInt(Number(e.confirmed)) },
              { label: 'Still open', value: fmtInt(Number(e.open)) },
            ],
          },
          ...(reviewed > 0
            ? [
                {
                  type: 'chart' as const,
                  kind: 'bar' as const,
                  title: 'Outcome of the exceptions reviewed',
                  alt: `Of ${reviewed} exceptions reviewed, ${e.confirmed} were confirmed, ${e.watch} put on watch and ${e.dismissed} dismissed.`,
                  points: [
                    { label: 'Confirmed', value: Number(e.confirmed) },
                    { label: 'Watch', value: Number(e.watch) },
                    { label: 'Dismissed', value: Number(e.dismissed) },
                  ],
                },
              ]
            : []),
        ],
      },
    ];
  },
});
