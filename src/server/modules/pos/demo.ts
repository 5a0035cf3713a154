import { DEMO_STORES } from '../../demo/workspace.js';
import type { AppContext } from '../../platform/context.js';
import { SYSTEM_ACTOR } from '../../platform/policy.js';
import { generatePosCsv } from './generator.js';
import { importStream } from './importer.js';

/** Rows of demo POS data: about a month for the 12 demo stores, loaded through the import pipeline. */
export const DEMO_POS_ROWS = 45000;
export const DEMO_POS_DAYS = 28;

/** The first business day of the demo month: the Monday four weeks before this week's. */
export function demoStartDay(now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const dow = (new Date(today).getUTCDay() + 6) % 7;
  return new Date(today - (dow + DEMO_POS_DAYS) * 86400000).toISOString().slice(0, 10);
}

const VMS_TEMPLATES = [
  'https://vms.meridian.example/playback?camera={camera}&from={start_iso}&to={end_iso}',
  'https://nvr-{camera}.meridian.example/replay#t={start_epoch}&until={end_epoch}',
];

export async function seedPosDemo(ctx: AppContext) {
  const { rows: stores } = await ctx.database.query<{ id: string; code: string }>('select id, code from stores order by code');
  const byCode = new Map(stores.map((s) => [s.code, s.id]));
  // Video systems and register cameras first, so that flagged transactions carry their video link.
  for (const [i, s] of DEMO_STORES.entries()) {
    const id = byCode.get(s.code);
    if (!id) continue;
    await ctx.database.query(`insert into pos_video_systems (store_id, url_template, lead_in_seconds, lead_out_seconds) values ($1, $2, 10, 30) on conflict do nothing`, [id, VMS_TEMPLATES[i % 2]]);
    for (let r = 1; r <= 4; r++) {
      await ctx.database.query(`insert into pos_register_cameras (store_id, register, camera) values ($1, $2, $3) on conflict do nothing`, [id, String(r), `${s.code}-CAM-R${r}`]);
    }
  }
  const stream = (async function* () {
    for (const chunk of generatePosCsv({ stores: DEMO_STORES, rows: DEMO_POS_ROWS, startDay: demoStartDay(), days: DEMO_POS_DAYS })) yield Buffer.from(chunk);
  })();
  await importStream(ctx, SYSTEM_ACTOR, stream, { source: 'demo', format: 'csv', filename: 'demo-pos-month.csv', skipInvalid: false, bytesTotal: null });
  // A queue in motion: a few exceptions already picked up.
  await ctx.database.query(
    `update pos_exceptions set status = 'reviewing', updated_at = now()
      where id in (select id from pos_exceptions where kind = 'cashier_period' order by score desc limit 2)`,
  );
  await ctx.database.query(
    `update pos_exceptions set status = 'dismissed', dismiss_reason = 'Manager-approved return; receipt found in the drawer', updated_at = now()
      where id in (select id from pos_exceptions where rule = 'refund_no_receipt_card' order by occurred_at limit 3)`,
  );
}
