import { uuidv7 } from 'uuidv7';
import type { AppContext } from '../../platform/context.js';
import type { BulkConnection, Database } from '../../platform/db.js';
import { SYSTEM_ACTOR } from '../../platform/policy.js';
import { loadSettings } from './settings.js';
import { yieldNow } from '../../platform/yield.js';

/**
 * pos_transactions is partitioned by business month (migration 0021): one partition per month,
 * `pos_transactions_yYYYYmMM`, plus `pos_transactions_default` as a safety net for rows of a month
 * that has no partition (a backfill older than the retention period, a business day far ahead).
 *
 * Partitions are created ahead, outside the import's long transaction: CREATE TABLE … PARTITION OF
 * locks the parent, so it runs in a short transaction of its own, under an advisory lock (two
 * instances or processes creating the same month wait for each other instead of racing on the
 * catalogue), only for months that do not exist yet (normally none: the daily job creates the
 * coming months), and with a lock timeout so that an import running on another instance delays
 * it rather than queueing every reader behind it.
 */

/** Advisory lock key for partition maintenance ("tandem" + 0x50 'P'). */
export const PARTITION_LOCK_KEY = 0x74616e64656d + 0x50;
/** Months created ahead of the current one. */
export const MONTHS_AHEAD = 2;
export const RETENTION_JOB = 'pos.retention';

const PARENT = 'pos_transactions';
export const DEFAULT_PARTITION = 'pos_transactions_default';

/** First day of a month as 'YYYY-MM-DD', `offset` months from the month of `day`. */
export function monthStart(day: string | Date, offset = 0): string {
  const d = typeof day === 'string' ? new Date(`${day.slice(0, 10)}T00:00:00Z`) : day;
  const m = d.getUTCFullYear() * 12 + d.getUTCMonth() + offset;
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
}

export const partitionName = (month: string) => `${PARENT}_y${month.slice(0, 4)}m${month.slice(5, 7)}`;

/** The first business day kept: the first of the month `retentionMonths` before the current one. */
export const retentionCutoff = (retentionMonths: number, now = new Date()) => monthStart(now, -retentionMonths);

/** Monthly partitions that exist, as { name, month (first day) }. */
export async function listPartitions(q: Pick<BulkConnection, 'query'> | Pick<Database, 'query'>) {
  const { rows } = await q.query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'public.${PARENT}'::regclass order by 1`,
    [],
  );
  return rows
    .map((r) => r.name)
    .filter((n) => /_y\d{4}m\d{2}$/.test(n))
    .map((name) => ({ name, month: `${name.slice(-7, -3)}-${name.slice(-2)}-01` }));
}

/**
 * Makes sure a partition exists for every month from `from` to `to` (first days, inclusive). Rows
 * of such a month already in the default partition are moved into the new partition in the same
 * short transaction. Idempotent; safe with several instances at once. Returns the months created.
 */
export async function ensurePartitions(database: Database, from: string, to: string, options: { lockTimeoutMs?: number } = {}): Promise<string[]> {
  const wanted: string[] = [];
  for (let m = monthStart(from); m <= monthStart(to); m = monthStart(m, 1)) wanted.push(m);
  return ensureMonths(database, wanted, options);
}

/** Makes sure each of `months` (first days) has its partition: one catalogue query, then one short transaction for the missing ones. */
export async function ensureMonths(database: Database, months: Iterable<string>, options: { lockTimeoutMs?: number } = {}): Promise<string[]> {
  const wanted = [...new Set([...months].map((m) => monthStart(m)))].sort();
  const have = new Set((await listPartitions(database)).map((p) => p.month));
  const missing = wanted.filter((m) => !have.has(m));
  if (!missing.length) return [];
  return database.bulkTransaction(async (conn) => {
    if (options.lockTimeoutMs !== undefined) await conn.query(`set local lock_timeout = ${Math.max(0, Math.round(options.lockTimeoutMs))}`);
    // Serialises creators across sessions; re-read under the lock (another instance may just have created them).
    await conn.query('select pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const present = new Set((await listPartitions(conn)).map((p) => p.month));
    const created: string[] = [];
    for (const month of missing) {
      if (present.has(month)) continue;
      // A turn of the event loop between months: on PGlite each partition's DDL runs on this thread,
      // and five months chained by promises alone stalled it 170 ms.
      if (created.length) await yieldNow();
      await createMonth(conn, month);
      created.push(month);
    }
    return created;
  });
}

async function createMonth(conn: BulkConnection, month: string) {
  const next = monthStart(month, 1);
  const name = partitionName(month);
  // Rows of this month that went to the default partition must leave it first: PostgreSQL refuses
  // a new partition whose range the default partition still holds rows of.
  const { rows } = await conn.query<{ n: number }>(`select count(*)::int as n from ${DEFAULT_PARTITION} where business_day >= $1 and business_day < $2`, [month, next]);
  const stray = Number(rows[0]?.n ?? 0);
  const hold = `pos_move_${month.replace(/-/g, '')}`;
  if (stray > 0) {
    await conn.query(
      `create temp table ${hold} on commit drop as
         with moved as (delete from ${DEFAULT_PARTITION} where business_day >= '${month}' and business_day < '${next}' returning *) select * from moved`,
    );
  }
  await conn.query(`create table if not exists ${name} partition of ${PARENT} for values from ('${month}') to ('${next}')`);
  if (stray > 0) await conn.query(`insert into ${PARENT} overriding system value select * from ${hold}`);
}

/**
 * The months an import may give a partition: from the retention cutoff (older months are dropped
 * by the next retention run anyway) to MONTHS_AHEAD after the current one (the daily job creates
 * later months as they come). This bounds what one file can create: a file claiming hundreds of
 * months (years of backfill, dates gone wrong) creates at most retentionMonths + 1 + MONTHS_AHEAD
 * partitions, the months retention keeps anyway. Rows of months outside it wait in the default
 * partition: older ones until the nightly retention run deletes them, later ones until the daily
 * job creates their month (and moves them in).
 */
export function importableMonths(retentionMonths: number, now = new Date()) {
  return { first: retentionCutoff(retentionMonths, now), last: monthStart(now, MONTHS_AHEAD) };
}

/**
 * Partitions before an import, outside its transaction: last month (late transactions) to
 * MONTHS_AHEAD after the current one, plus the months the file holds (`fileMonths`, found by a
 * pre-pass over the file, months.ts) within importableMonths. Not every month of the retention
 * period: each partition, empty or not, is one more index probe in every lookup of a transaction by
 * id (an exception's transaction) and more planning; with 29 months the exception list planned for
 * 173 ms. Without `fileMonths` (a stream read once), a backfill's months get their partitions after
 * the import (settleDefaultPartition). Returns the months created and the file's months left out.
 */
export async function ensureImportPartitions(
  database: Database,
  { fileMonths = [], retentionMonths }: { fileMonths?: Iterable<string>; retentionMonths: number },
  now = new Date(),
): Promise<{ created: string[]; outside: string[] }> {
  const { first, last } = importableMonths(retentionMonths, now);
  const wanted: string[] = [];
  for (let m = monthStart(now, -1); m <= last; m = monthStart(m, 1)) wanted.push(m);
  const outside: string[] = [];
  for (const month of fileMonths) (month >= first && month <= last ? wanted : outside).push(monthStart(month));
  return { created: await ensureMonths(database, wanted, { lockTimeoutMs: 5000 }), outside: [...new Set(outside)].sort() };
}

/**
 * Gives every month that has rows in the default partition its own partition (moving the rows in),
 * within importableMonths: run after an import commits, for the months the import could not prepare
 * (a stream read once, a month another instance's import kept it from creating). Returns the months
 * created.
 */
export async function settleDefaultPartition(database: Database, retentionMonths: number, now = new Date()): Promise<string[]> {
  const { first, last } = importableMonths(retentionMonths, now);
  const { rows } = await database.query<{ month: string }>(
    `select distinct to_char(date_trunc('month', business_day), 'YYYY-MM-DD') as month from ${DEFAULT_PARTITION} where business_day >= $1 and business_day < $2 order by 1`,
    [first, monthStart(last, 1)],
  );
  return rows.length ? ensureMonths(database, rows.map((r) => r.month), { lockTimeoutMs: 5000 }) : [];
}

export interface RetentionResult {
  cutoff: string;
  droppedPartitions: string[];
  deleted: Record<string, number>;
}

/**
 * Drops the monthly partitions wholly older than the retention period (`retentionMonths` full
 * months before the current month are always kept) and deletes what was derived from them:
 * cashier-day aggregates and signals, scores, and the exceptions of those months that no case
 * holds. One transaction, one audit entry. Also creates the coming months' partitions.
 */
export async function applyRetention(ctx: AppContext, now = new Date()): Promise<RetentionResult> {
  const { settings } = await loadSettings(ctx.db);
  const cutoff = retentionCutoff(settings.retentionMonths, now);
  await ensurePartitions(ctx.database, monthStart(now), monthStart(now, MONTHS_AHEAD), { lockTimeoutMs: 5000 });
  const result = await ctx.database.bulkTransaction(async (conn) => {
    // Dropping a partition locks the parent: wait a little for a running import, else try again next run.
    await conn.query(`set local lock_timeout = 10000`);
    await conn.query('select pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const old = (await listPartitions(conn)).filter((p) => monthStart(p.month, 1) <= cutoff);
    const deleted: Record<string, number> = {};
    let dropped = 0;
    for (const p of old) {
      const { rows } = await conn.query<{ n: number }>(`select count(*)::int as n from ${p.name}`);
      dropped += Number(rows[0]?.n ?? 0);
      await conn.query(`drop table ${p.name}`);
    }
    deleted.pos_transactions = dropped + (await conn.query(`delete from ${DEFAULT_PARTITION} where business_day < $1`, [cutoff])).rowCount;
    for (const table of ['pos_cashier_days', 'pos_cashier_day_signals', 'pos_cashier_register_days', 'pos_cashier_card_days', 'pos_store_days']) {
      deleted[table] = (await conn.query(`delete from ${table} where business_day < $1`, [cutoff])).rowCount;
    }
    deleted.pos_scores = (await conn.query(`delete from pos_scores where period_start < $1`, [cutoff])).rowCount;
    // Exceptions a case holds stay with the case (its evidence); the others go with their month.
    deleted.pos_exceptions = (
      await conn.query(
        `delete from pos_exceptions e
          where (case when e.kind = 'cashier_period' then e.period_start < $1::date
                      else e.occurred_at < ($1::date - 1)::timestamptz end)
            and not exists (select 1 from case_pos_links l where l.exception_id = e.id)`,
        [cutoff],
      )
    ).rowCount;
    const total = Object.values(deleted).reduce((a, b) => a + b, 0);
    if (old.length || total) {
      const months = old.map((p) => p.month.slice(0, 7));
      await conn.query(
        `insert into audit_log (id, actor_id, actor_name, action, entity, entity_id, summary, after) values ($1, null, $2, 'delete', 'pos_retention', $3, $4, $5::jsonb)`,
        [
          uuidv7(),
          SYSTEM_ACTOR.name,
          cutoff,
          `POS retention (${settings.retentionMonths} months): removed POS data before ${cutoff}` +
            (months.length ? ` (month${months.length === 1 ? '' : 's'} ${months.join(', ')})` : '') +
            `: ${deleted.pos_transactions} transactions, ${deleted.pos_cashier_days} cashier-days, ${deleted.pos_exceptions} exceptions`,
          JSON.stringify({ retentionMonths: settings.retentionMonths, cutoff, droppedPartitions: old.map((p) => p.name), deleted }),
        ],
      );
    }
    return { cutoff, droppedPartitions: old.map((p) => p.name), deleted };
  });
  return result;
}

/** Daily, once across instances (pg-boss): retention, and the coming months' partitions. */
export function registerPartitionJobs(ctx: AppContext) {
  ctx.jobs.register(RETENTION_JOB, async () => {
    await applyRetention(ctx);
  }, { cron: '40 2 * * *' });
}
