import { sql } from 'drizzle-orm';
import { registerNewsletterContributor } from '../../platform/newsletter-sections.js';
import { fmtInt, rowsFor } from '../newsletter/contributor-sql.js';

/**
 * Security technology posture for the newsletter: the chain's average posture score over the
 * period, findings opened and resolved, and what is still open by severity. No addresses, no hosts.
 */
registerNewsletterContributor({
  kind: 'devices',
  label: 'Devices and posture',
  order: 30,
  async draft(ctx, period) {
    const from = period.from.toISOString().slice(0, 10);
    const to = period.to.toISOString().slice(0, 10);
    const daily = await rowsFor<{ day: string; score: number }>(
      ctx,
      sql`select day::text as day, avg(score)::float8 as score from device_posture_daily where day >= ${from} and day < ${to} group by day order by day`,
    );
    const [f] = await rowsFor<{ opened: number; resolved: number; critical: number; high: number; devices: number }>(
      ctx,
      sql`select count(*) filter (where opened_at >= ${period.from} and opened_at < ${period.to})::int as opened,
                 count(*) filter (where resolved_at >= ${period.from} and resolved_at < ${period.to})::int as resolved,
                 count(*) filter (where state = 'open' and severity = 'critical' and opened_at < ${period.to})::int as critical,
                 count(*) filter (where state = 'open' and severity = 'high' and opened_at < ${period.to})::int as high,
                 (select count(*)::int from devices) as devices
            from device_findings`,
    );
    if (!daily.length && (!f || (Number(f.opened) === 0 && Number(f.resolved) === 0))) return [];
    const first = daily[0];
    const last = daily[daily.length - 1];
    const round = (v: number) => Math.round(v * 10) / 10;
    const blocks: import('../../platform/newsletter-sections.js').NewsletterBlock[] = [
      {
        type: 'figures',
        items: [
          ...(last ? [{ label: 'Average posture score', value: `${round(Number(last.score))}`, note: first && first !== last ? `${round(Number(last.score) - Number(first.score)) >= 0 ? '+' : ''}${round(Number(last.score) - Number(first.score))} over the period` : undefined }] : []),
          { label: 'Findings opened', value: fmtInt(Number(f?.opened ?? 0)) },
          { label: 'Findings resolved', value: fmtInt(Number(f?.resolved ?? 0)) },
          { label: 'Open critical / high', value: `${f?.critical ?? 0} / ${f?.high ?? 0}` },
        ].map((i) => (i.note === undefined ? { label: i.label, value: i.value } : i)) as { label: string; value: string; note?: string }[],
      },
    ];
    // A week gives daily points; a month is thinned to about 16 so the labels stay readable.
    const step = Math.max(1, Math.ceil(daily.length / 16));
    const points = daily.filter((_, i) => i % step === 0 || i === daily.length - 1).map((d) => ({ label: d.day.slice(5), value: round(Number(d.score)) }));
    if (points.length >= 2) {
      blocks.push({
        type: 'chart',
        kind: 'line',
        title: 'Average device posture score (0–100)',
        alt: `The chain's average device posture score went from ${points[0]!.value} on ${points[0]!.label} to ${points[points.length - 1]!.value} on ${points[points.length - 1]!.label}.`,
        points,
      });
    }
    return [{ key: 'devices:posture', title: 'Security technology posture', blocks }];
  },
});
