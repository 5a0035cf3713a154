import { sql } from 'drizzle-orm';
import { registerNewsletterContributor, type NewsletterSection } from '../../platform/newsletter-sections.js';
import { fmtDuration, fmtInt, rowsFor } from '../newsletter/contributor-sql.js';

/**
 * Requests between departments for the newsletter: how many went each way and how fast the other
 * side answered (medians). Counts and times only: no titles, no requesters.
 */
registerNewsletterContributor({
  kind: 'requests',
  label: 'Requests between departments',
  order: 20,
  async draft(ctx, period) {
    const rows = await rowsFor<{ from_name: string; to_name: string; filed: number; resolved: number; response_min: number | null; resolution_min: number | null }>(
      ctx,
      sql`select fd.name as from_name, td.name as to_name,
                 count(*) filter (where r.created_at >= ${period.from} and r.created_at < ${period.to})::int as filed,
                 count(*) filter (where r.resolved_at >= ${period.from} and r.resolved_at < ${period.to})::int as resolved,
                 percentile_cont(0.5) within group (order by extract(epoch from (r.first_response_at - r.created_at)) / 60)
                   filter (where r.first_response_at >= ${period.from} and r.first_response_at < ${period.to}) as response_min,
                 percentile_cont(0.5) within group (order by extract(epoch from (r.resolved_at - r.created_at)) / 60)
                   filter (where r.resolved_at >= ${period.from} and r.resolved_at < ${period.to}) as resolution_min
            from requests r
            join departments fd on fd.id = r.from_department_id
            join departments td on td.id = r.to_department_id
           where (r.created_at >= ${period.from} and r.created_at < ${period.to})
              or (r.resolved_at >= ${period.from} and r.resolved_at < ${period.to})
              or (r.first_response_at >= ${period.from} and r.first_response_at < ${period.to})
           group by fd.name, td.name
           order by 3 desc, 1, 2`,
    );
    const totals = await rowsFor<{ filed: number; resolved: number; response_min: number | null; resolution_min: number | null }>(
      ctx,
      sql`select count(*) filter (where created_at >= ${period.from} and created_at < ${period.to})::int as filed,
                 count(*) filter (where resolved_at >= ${period.from} and resolved_at < ${period.to})::int as resolved,
                 percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - created_at)) / 60)
                   filter (where first_response_at >= ${period.from} and first_response_at < ${period.to}) as response_min,
                 percentile_cont(0.5) within group (order by extract(epoch from (resolved_at - created_at)) / 60)
                   filter (where resolved_at >= ${period.from} and resolved_at < ${period.to}) as resolution_min
            from requests`,
    );
    const t = totals[0];
    if (!t || (Number(t.filed) === 0 && Number(t.resolved) === 0)) return [];
    const ways = rows.filter((r) => Number(r.filed) > 0 || Number(r.resolved) > 0).slice(0, 8);
    const section: NewsletterSection = {
      key: 'requests:flow',
      title: 'Requests between our departments',
      blocks: [
        {
          type: 'figures',
          items: [
            { label: 'Requests filed', value: fmtInt(Number(t.filed)) },
            { label: 'Requests resolved', value: fmtInt(Number(t.resolved)) },
            { label: 'Median first response', value: fmtDuration(t.response_min === null ? null : Number(t.response_min)) },
            { label: 'Median time to resolve', value: fmtDuration(t.resolution_min === null ? null : Number(t.resolution_min)) },
          ],
        },
        {
          type: 'items',
          items: ways.map((w) => ({
            title: `${w.from_name} → ${w.to_name}`,
            text: `${fmtInt(Number(w.filed))} filed, ${fmtInt(Number(w.resolved))} resolved; median first response ${fmtDuration(w.response_min === null ? null : Number(w.response_min))}`,
          })),
        },
      ],
    };
    if (ways.length > 1) {
      section.blocks.push({
        type: 'chart',
        kind: 'bar',
        title: 'Requests filed, by direction',
        alt: `Requests filed in the period by direction: ${ways.map((w) => `${w.from_name} to ${w.to_name} ${w.filed}`).join('; ')}.`,
        points: ways.map((w) => ({ label: `${abbreviate(w.from_name)}→${abbreviate(w.to_name)}`, value: Number(w.filed) })),
      });
    }
    return [section];
  },
});

const abbreviate = (name: string) =>
  name
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w) && !['and', 'of', 'the', '&'].includes(w.toLowerCase()))
    .map((w) => (w.length <= 3 && w === w.toUpperCase() ? w : w[0]!.toUpperCase()))
    .join('')
    .slice(0, 6);
