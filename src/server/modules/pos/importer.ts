import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Problem } from '../../../contracts/errors.js';
import type { PosFormat, PosImport, PosSettings } from '../../../contracts/pos.js';
import { IMPORT_SOURCES } from '../../../contracts/pos.js';
import type { AppContext } from '../../platform/context.js';
import type { BulkConnection } from '../../platform/db.js';
import { AppError, databaseUnavailable, isConnectionLost } from '../../platform/errors.js';
import { assertCan, type Actor } from '../../platform/policy.js';
import { Worker } from 'node:worker_threads';
import { ScanSession, type ScanFatal, type ScanSessionOptions } from './scan-session.js';
import type { FromWorker, ScanWorkerData, ToWorker } from './scan-worker.js';
import { addDerived, addDerivedPart, CARD_DAY_COLUMNS, emptyDerived, type DerivedPart, CASHIER_DAY_COLUMNS, copyPieces, REGISTER_DAY_COLUMNS, settleMatches, settleOriginals, SIGNAL_COLUMNS, storeDaySums, type DerivedData } from './derived.js';
import { COPY_COLUMNS, dayNumber, type ScanResult, type ScanStore } from './scanner.js';
import { proposeRegisters, raiseAccumulated, rescore, weekStartOf } from './scoring.js';
import { calendarDay, CARD_DAYS_SQL, REGISTER_DAYS_SQL, SIGNAL_DAYS_SQL, SIGNAL_TABLES } from './signals.js';
import { loadSettings } from './settings.js';
import { findFileMonths, type FileMonths } from './months.js';
import { ensureImportPartitions, retentionCutoff, settleDefaultPartition } from './partitions.js';
import { copyRows, SliceSize, sliceSize } from './slices.js';
import { yieldNow } from '../../platform/yield.js';

/**
 * The one import pipeline behind web upload, the batch API and the CLI:
 * stream → byte-level scanner (or POSLog reader) → COPY text → bulk COPY, all in ONE transaction:
 * rows for store-days without data go straight into pos_transactions; rows for store-days that
 * already hold data go to a temporary staging table and are merged with ON CONFLICT DO NOTHING,
 * so a re-import adds nothing. The cashier-day aggregates, transaction exceptions and scores of
 * the touched days are rebuilt in the same transaction. Work is chunked and yields to the event
 * loop between chunks; a killed import leaves nothing (the transaction never commits and the
 * staging table is temporary).
 */

export type ImportSource = (typeof IMPORT_SOURCES)[number];
export interface ImportOptions {
  source: ImportSource;
  format: PosFormat;
  filename: string;
  skipInvalid: boolean;
  bytesTotal: number | null;
  /**
   * The same input again from its start (a file on disk: an upload once spooled, a folder or CLI
   * file). Given, a pre-pass reads the file's business months before the import, so that their
   * partitions exist before any row is loaded; absent (a stream read once), rows of months not
   * prepared go to the default partition and are moved into their month after the commit.
   */
  reopen?: () => AsyncIterable<Buffer | string>;
}

/**
 * Work sizes per engine. PGlite runs every statement on this process's main thread, so one COPY
 * or merge statement must stay well under 100 ms: the scanner hands over COPY text by 128 KB, and
 * COPY parts and merge slices are then sized by their measured rate (slices.ts; `mergeSlice` is the
 * first slice); the input is also scanned in 64 KB slices so that scanning one large read never
 * stalls either. PostgreSQL works in its own process: larger COPYs mean fewer round trips.
 */
const LIMITS = {
  pglite: { flushBytes: 128 * 1024, scanSlice: 64 * 1024, mergeSlice: 100 },
  postgres: { flushBytes: 2 * 1024 * 1024, scanSlice: 1024 * 1024, mergeSlice: 20000 },
} as const;

const COLUMN_TYPES: Record<(typeof COPY_COLUMNS)[number], string> = {
  import_id: 'uuid', store_id: 'uuid', register: 'text', cashier_code: 'text', business_day: 'date', txn_number: 'text',
  started_at: 'timestamptz', ended_at: 'timestamptz', type: 'text', total_cents: 'bigint', item_count: 'int', line_void_count: 'int',
  line_void_cents: 'bigint', override_count: 'int', override_cents: 'bigint', discount_cents: 'bigint', employee_discount: 'boolean',
  manual_entry_count: 'int', tender: 'text', card_entry: 'text', card_token: 'text', original_ref: 'text', manager_override: 'text',
  voided_after_total: 'boolean', gift_issued_cents: 'bigint', flags: 'smallint', details: 'jsonb',
};

/** Imports running in this process, for progress polling. Finished ones are read from pos_imports. */
const running = new Map<string, PosImport>();
export const runningImport = (id: string) => running.get(id);

export const formatFromContentType = (contentType: string | undefined): PosFormat | undefined => {
  const t = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (t === 'text/csv') return 'csv';
  if (t === 'application/x-ndjson' || t === 'application/jsonl' || t === 'application/ndjson') return 'ndjson';
  if (t === 'application/xml' || t === 'text/xml') return 'poslog';
  return undefined;
};
export const formatFromFilename = (name: string): PosFormat | undefined =>
  /\.csv$/i.test(name) ? 'csv' : /\.(nd)?jsonl?$|\.ndjson$/i.test(name) ? 'ndjson' : /\.xml$/i.test(name) ? 'poslog' : undefined;

const dayString = (n: number) => new Date(n * 86400000).toISOString().slice(0, 10);

/**
 * Starts an import and returns its id at once; `done` settles with the finished record (or
 * rejects with an AppError listing the problems).
 */
export function startImport(ctx: AppContext, actor: Actor, input: AsyncIterable<Buffer | string>, options: ImportOptions): { id: string; done: Promise<PosImport> } {
  assertCan(actor, 'pos:import');
  const id = uuidv7();
  const job: PosImport = {
    id,
    status: 'running',
    source: options.source,
    format: options.format,
    filename: options.filename || `upload.${options.format === 'poslog' ? 'xml' : options.format}`,
    sha256: null,
    skipInvalid: options.skipInvalid,
    bytesTotal: options.bytesTotal,
    bytesRead: 0,
    rowsRead: 0,
    rowsInserted: 0,
    rowsDuplicate: 0,
    rowsInvalid: 0,
    errors: [],
    errorTotal: 0,
    unknownStores: [],
    sameFileAs: null,
    message: 'Reading the file',
    createdBy: actor.via === 'system' ? null : actor.id,
    createdByName: actor.name,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    durationMs: null,
    queuePosition: null,
  };
  running.set(id, job);
  const done = runImport(ctx, actor, input, job, options.reopen).finally(() => {
    // Keep the finished job in memory briefly for pollers that race the database write.
    setTimeout(() => running.delete(id), 60_000).unref();
  });
  done.catch(() => {});
  return { id, done };
}

/** Imports a whole stream and resolves when it has finished. */
export async function importStream(ctx: AppContext, actor: Actor, input: AsyncIterable<Buffer | string>, options: ImportOptions) {
  return startImport(ctx, actor, input, options).done;
}

/**
 * One import runs at a time in this process; later ones wait in order, and their progress says
 * where they stand. Imports lock pos_transactions anyway, so running two would only have the second
 * hold a database connection (PGlite: its only session) while it waits for the lock.
 */
const waiting: Array<{ job: PosImport; start: () => void }> = [];
let importing = false;

function showQueue() {
  waiting.forEach(({ job }, i) => {
    job.queuePosition = i + 1;
    job.message = `Queued: ${i === 0 ? 'waiting for the import in progress' : `${i} more import${i === 1 ? '' : 's'} before this one`} (position ${i + 1})`;
  });
}

async function takeTurn(job: PosImport): Promise<() => void> {
  const release = () => {
    const next = waiting.shift();
    if (!next) importing = false;
    else {
      showQueue();
      next.start();
    }
  };
  if (!importing) {
    importing = true;
    return release;
  }
  job.status = 'queued';
  await new Promise<void>((start) => {
    waiting.push({ job, start });
    showQueue();
  });
  job.status = 'running';
  job.queuePosition = null;
  job.message = 'Reading the file';
  return release;
}

/** Imports waiting in this process (for tests and the bench). */
export const queuedImports = () => waiting.length;

async function runImport(ctx: AppContext, actor: Actor, input: AsyncIterable<Buffer | string>, job: PosImport, reopen?: () => AsyncIterable<Buffer | string>): Promise<PosImport> {
  const release = await takeTurn(job);
  try {
    return await runImportNow(ctx, actor, input, job, reopen);
  } finally {
    release();
  }
}

async function runImportNow(ctx: AppContext, actor: Actor, input: AsyncIterable<Buffer | string>, job: PosImport, reopen?: () => AsyncIterable<Buffer | string>): Promise<PosImport> {
  const started = Date.now();
  const { settings } = await loadSettings(ctx.db);
  const stores = (await ctx.database.query<ScanStore>('select id, code, timezone from stores order by code')).rows;
  // The file's business months, from a pre-pass over its bytes (a file that can be read twice), so
  // that a backfill of older months loads straight into their partitions, not the default partition.
  let months: FileMonths | null = null;
  if (reopen) {
    job.message = 'Reading the business days of the file';
    months = await findFileMonths(reopen(), job.format).catch((err: Error) => {
      process.emitWarning(`POS file months not read before the import: ${err.message}`);
      return null;
    });
    job.message = 'Reading the file';
  }
  // Monthly partitions for the months the import writes to, outside the import's transaction (see
  // partitions.ts). If another instance's import holds the table, rows of a missing month wait in the default partition.
  const prepared = await ensureImportPartitions(ctx.database, { fileMonths: months?.rows.keys(), retentionMonths: settings.retentionMonths }).catch((err: Error) => {
    process.emitWarning(`POS partitions not created before the import: ${err.message}`);
    return null;
  });
  if (process.env.POS_IMPORT_PROFILE) {
    console.error(
      `[pos import] months ${months ? `${[...months.rows.keys()].map((m) => m.slice(0, 7)).join(', ') || 'none'} read in ${Math.round(months.ms)} ms (${(months.bytes / 1e6).toFixed(0)} MB)` : 'not read before (a stream)'}; ` +
        `partitions created ${prepared?.created.map((m) => m.slice(0, 7)).join(', ') || 'none'}${prepared?.outside.length ? `; outside the months kept: ${prepared.outside.map((m) => m.slice(0, 7)).join(', ')}` : ''} (${Date.now() - started} ms)`,
    );
  }
  let encoder: Scanned | null = null;
  // POS_IMPORT_PROFILE=1: the event loop's longest stall in the commit (load() watches the rest).
  let commitStarted = 0;
  try {
    await ctx.database.bulkTransaction(async (conn) => {
      encoder = await load(process.env.POS_IMPORT_PROFILE ? profiled(conn) : conn, ctx.database.kind, stores, settings, input, job, actor, months?.days);
      commitStarted = performance.now();
    });
    if (process.env.POS_IMPORT_PROFILE) console.error(`[pos import] committed in ${Math.round(performance.now() - commitStarted)} ms`);
    job.status = 'succeeded';
  } catch (err) {
    job.status = 'failed';
    const e = encoder as Scanned | null;
    if (err instanceof AppError) {
      job.message = err.message;
      if (err.problems?.length && !job.errors.length) job.errors = err.problems;
      if (err.total !== undefined) job.errorTotal = err.total;
    } else if (isConnectionLost(err)) {
      job.message = 'The database connection was lost during the import; nothing was imported. Try again.';
    } else {
      job.message = `The import failed: ${(err as Error).message}`;
    }
    if (e) job.unknownStores = [...e.result.unknownStores];
    job.rowsInserted = 0;
    job.finishedAt = new Date().toISOString();
    job.durationMs = Date.now() - started;
    await saveRecord(ctx, job).catch(() => {});
    if (err instanceof AppError) throw err;
    throw isConnectionLost(err) ? databaseUnavailable() : new AppError(500, 'import_failed', 'The import failed; nothing was imported.');
  }
  // Months the file held beyond the ones prepared (a stream read once, a month another instance's
  // import kept this one from creating) get their partitions now, within the months kept.
  await settleDefaultPartition(ctx.database, settings.retentionMonths).catch((err: Error) => process.emitWarning(`POS rows left in the default partition: ${err.message}`));
  if (process.env.POS_IMPORT_PROFILE) console.error(`[pos import] finished ${Date.now() - Date.parse(job.startedAt)} ms`);
  job.finishedAt = new Date().toISOString();
  job.durationMs = Date.now() - started;
  return job;
}

async function saveRecord(ctx: AppContext, job: PosImport, conn?: BulkConnection) {
  const q = conn ? conn.query.bind(conn) : ctx.database.query.bind(ctx.database);
  await q(
    `insert into pos_imports (id, status, source, format, filename, sha256, skip_invalid, bytes_total, bytes_read, rows_read, rows_inserted,
       rows_duplicate, rows_invalid, errors, error_total, unknown_stores, message, created_by, created_by_name, started_at, finished_at)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14::jsonb,$15,$16::jsonb,$17,$18,$19,$20,$21)`,
    [
      job.id, job.status, job.source, job.format, job.filename, job.sha256, job.skipInvalid, job.bytesTotal, job.bytesRead, job.rowsRead,
      job.rowsInserted, job.rowsDuplicate, job.rowsInvalid, JSON.stringify(job.errors), job.errorTotal, JSON.stringify(job.unknownStores),
      job.message, job.createdBy, job.createdByName, job.startedAt, job.finishedAt ?? new Date().toISOString(),
    ],
  );
}

/**
 * POS_IMPORT_PROFILE=1: statements that took 50 ms or more, each logged with its time and its start;
 * and gaps of 50 ms or more between two statements, where this thread did other work.
 */
const statementTimes: Array<{ start: number; end: number; label: string }> = [];
const short = (label: string, length = 110) => label.replace(/\s+/g, ' ').slice(0, length);
function profiled(conn: BulkConnection): BulkConnection {
  let lastEnd = 0;
  let lastLabel = '';
  const timed = async <T>(label: string, run: () => Promise<T>) => {
    const t = performance.now();
    if (lastEnd && t - lastEnd >= 50) console.error(`[pos import]   ${Math.round(t - lastEnd)} ms between statements, after: ${short(lastLabel, 60)}; before: ${short(label, 60)}`);
    const out = await run();
    lastEnd = performance.now();
    lastLabel = label;
    statementTimes.push({ start: t, end: lastEnd, label });
    if (statementTimes.length > 200) statementTimes.shift();
    if (lastEnd - t >= 50) console.error(`[pos import]   ${Math.round(lastEnd - t)} ms: ${short(label)}`);
    return out;
  };
  return {
    query: (text, params) => timed(text, () => conn.query(text, params)),
    copyFrom: (table, columns, data, options) => timed(`COPY ${table}: ${data.byteLength} bytes`, () => conn.copyFrom(table, columns, data, options)),
  };
}

async function load(
  conn: BulkConnection,
  engine: keyof typeof LIMITS,
  stores: ScanStore[],
  settings: PosSettings,
  input: AsyncIterable<Buffer | string>,
  job: PosImport,
  actor: Actor,
  fileDays?: Map<string, number>,
): Promise<Scanned> {
  const { flushBytes, scanSlice, mergeSlice } = LIMITS[engine];
  // The profile's phase times are this import's.
  refreshTimes.fill(0);
  derivedTimes.fill(0);
  // One import at a time writes POS rows (readers are not blocked): the store-days read below stay true.
  await conn.query('lock table pos_transactions in share row exclusive mode');
  const storeIdx = new Map(stores.map((s, i) => [s.id, i]));
  // Store-days that hold data (one pos_store_days row each, written with their cashier-days) → rows.
  const existing = new Map<number, number>();
  const { rows: days } = await conn.query<{ store_id: string; d: string; n: number }>(`select store_id, to_char(business_day, 'YYYY-MM-DD') as d, txn_count as n from pos_store_days`);
  for (const r of days) {
    const i = storeIdx.get(r.store_id);
    if (i !== undefined) existing.set(storeDayKey(i, r.d), r.n);
  }
  const stage = `pos_stage_${randomBytes(6).toString('hex')}`;
  await conn.query(`create temp table ${stage} (${COPY_COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ')}) on commit drop`);

  // POS_IMPORT_PROFILE=1: time since the start and the event loop's longest stall in each phase.
  let stall = 0;
  let peakRss = 0;
  let tick = performance.now();
  let stallWindow: [number, number] = [0, 0];
  const watch = process.env.POS_IMPORT_PROFILE
    ? setInterval(() => {
        const now = performance.now();
        if (now - tick - 5 > stall) {
          stall = now - tick - 5;
          stallWindow = [tick, now];
        }
        tick = now;
        const r = process.memoryUsage.rss();
        peakRss = Math.max(peakRss, r);
      }, 5)
    : null;
  watch?.unref();
  const prof = watch
    ? (label: string) => {
        const m = process.memoryUsage();
        console.error(`[pos import] ${label} ${Date.now() - Date.parse(job.startedAt)} ms (longest stall ${Math.round(stall)} ms; RSS ${Math.round(m.rss / 1e6)} MB, peak ${Math.round(peakRss / 1e6)} MB, heap ${Math.round(m.heapUsed / 1e6)} MB, external ${Math.round(m.external / 1e6)} MB)`);
        // The statements that ran during the longest stall (none: the time went to this thread's own work).
        if (stall >= 50) {
          const during = statementTimes.filter((x) => x.end > stallWindow[0] && x.start < stallWindow[1]);
          console.error(`[pos import]   longest stall: ${during.map((x) => `${Math.round(x.start - stallWindow[0])}..${Math.round(x.end - stallWindow[0])} ms ${short(x.label, 60)}`).join('; ') || `no statement; after ${((b) => (b ? `${Math.round(stallWindow[0] - b.end)} ms after ${short(b.label, 60)}` : 'none'))(statementTimes.filter((x) => x.end <= stallWindow[0]).at(-1))}`} (window ${Math.round(stallWindow[1] - stallWindow[0])} ms)`);
        }
        stall = 0;
        peakRss = 0;
        if (label === 'done') clearInterval(watch);
      }
    : () => {};
  // Store-days of the file's business days that hold data: their stored keys, read now, let the
  // scanner drop exact duplicates and load the rest with the new store-days' rows (no staging, no merge).
  const allInSql = process.env.POS_DERIVE === 'sql';
  const known = allInSql ? undefined : await readStoredKeys(conn, engine, stores, existing, fileDays);
  const knownDays = new Set(known?.storeDays);
  if (known) prof(`keys of ${known.storeDays.length} stored store-days read (${known.keys.length})`);
  const sha = createHash('sha256');
  let directRows = 0;
  let stagedRows = 0;
  let inflight: Promise<void> = Promise.resolve();
  const copySize = sliceSize(engine, { pglite: 32 * 1024, postgres: flushBytes, min: 8 * 1024, max: 1024 * 1024 });
  let failingNow = false;
  const failing = () => failingNow;
  /** One COPY in flight while the next chunk is scanned (PostgreSQL, and the scan worker, work in parallel). */
  const copy: Copy = async (table, data, rows) => {
    // Once a row is bad and bad rows are not skipped, nothing will be committed: stop loading, keep checking.
    if (failing()) return;
    await inflight;
    // PGlite runs a COPY on this thread: parts sized to its measured rate, a turn of the event loop
    // before each (two pieces back to back in one task stalled the event loop for 130-170 ms).
    const c = copyRows(conn, engine, copySize, table === 'direct' ? 'pos_transactions' : stage, COPY_COLUMNS, data);
    c.catch(() => {});
    inflight = c;
    if (table === 'direct') directRows += rows;
    else stagedRows += rows;
  };
  const sessionOptions: ScanSessionOptions = { importId: job.id, stores, existing: [...existing.keys()], knownStoreDays: known?.storeDays, settings, format: job.format };
  const useWorker = job.bytesTotal === null || job.bytesTotal >= WORKER_MIN_BYTES;
  const scanned = useWorker
    ? await scanInWorker(sessionOptions, known, { flushBytes, scanSlice }, input, job, sha, copy, (f) => (failingNow = f))
    : await scanHere(sessionOptions, known, { flushBytes, scanSlice }, input, job, sha, copy, (f) => (failingNow = f));
  const res = scanned.result;
  const progress = () => {
    job.rowsRead = res.rowsRead;
    job.rowsInvalid = res.rowsInvalid;
    job.rowsDuplicate = res.rowsDuplicate;
    job.errorTotal = res.errorTotal;
    job.errors = res.problems;
  };
  progress();
  failingNow = !job.skipInvalid && res.errorTotal > 0;
  if (scanned.fatal && scanned.fatal.kind !== 'header') throw rowsError(job, res.problems, res.errorTotal, scanned.fatal.message);
  prof(`scanned${useWorker ? ' (worker thread)' : ''}`);
  job.unknownStores = [...res.unknownStores];
  if (scanned.fatal) throw rowsError(job, res.problems, res.errorTotal, scanned.fatal.message);
  if (res.rowsRead === 0) throw rowsError(job, [{ line: 1, message: 'the file has no transactions' }], 1, 'The file has no transactions; nothing was imported');
  if (failing()) {
    // POSLog documents are often one line: name transactions by their place, not "line 1".
    const poslog = job.format === 'poslog';
    const lines = [...new Set(res.problems.map((p) => p.line))];
    const places = poslog ? [...new Set(res.problems.map((p) => p.record?.replace(/, character \d+$/, '') ?? `line ${p.line}`))] : [`line${lines.length === 1 ? '' : 's'} ${lines.slice(0, 10).join(', ')}${lines.length > 10 ? '…' : ''}`];
    const unit = poslog ? 'transaction' : 'row';
    throw rowsError(
      job,
      res.problems,
      res.errorTotal,
      `${res.errorTotal} problem${res.errorTotal === 1 ? '' : 's'} in ${res.rowsInvalid} ${unit}${res.rowsInvalid === 1 ? '' : 's'} (${places.slice(0, 10).join('; ')}${places.length > 10 ? '…' : ''})${job.unknownStores.length ? `; unknown store code${job.unknownStores.length === 1 ? '' : 's'} ${job.unknownStores.join(', ')}` : ''}; nothing was imported`,
    );
  }
  await inflight;
  prof('loaded');
  job.sha256 = sha.digest('hex');

  // Merge the staged rows (store-days that already had data): duplicates are skipped.
  job.message = 'Merging';
  let mergedRows = 0;
  if (stagedRows > 0) {
    // Slices by physical place (TID range scans): the staging table is append-only, so pages are in
    // file order, and a slice reads only its own pages. (Slicing by a row number without an index
    // read the whole staging table once per slice: quadratic, 150 s for 1M staged rows.)
    const [{ pages }] = (await conn.query<{ pages: number }>(`select (pg_relation_size('${stage}') / current_setting('block_size')::int)::int as pages`)).rows;
    const rowsPerPage = stagedRows / Math.max(1, pages);
    const mergeSize = sliceSize(engine, { pglite: mergeSlice, postgres: mergeSlice, min: 20, max: 20000 });
    for (let from = 0, step = 1; from < Math.max(1, pages); from += step) {
      step = Math.max(1, Math.floor(mergeSize.value / rowsPerPage));
      const r = await mergeSize.time(step * rowsPerPage, () =>
        conn.query(
          `insert into pos_transactions (${COPY_COLUMNS.join(', ')}) select ${COPY_COLUMNS.join(', ')} from ${stage}
            where ctid >= '(${from},0)'::tid and ctid < '(${from + step},0)'::tid on conflict do nothing`,
        ),
      );
      mergedRows += r.rowCount;
      await yieldNow();
    }
  }
  job.rowsInserted = directRows + mergedRows;
  job.rowsDuplicate = res.rowsDuplicate + (stagedRows - mergedRows);

  // Cashiers seen, with their latest name.
  const cashiers = [...res.cashiers.entries()].map(([key, c]) => {
    const [idx, code] = [Number(key.slice(0, key.indexOf('\t'))), key.slice(key.indexOf('\t') + 1)];
    return { storeId: stores[idx].id, code, name: c.name, first: dayString(c.first), last: dayString(c.last) };
  });
  for (let i = 0; i < cashiers.length; i += 5000) {
    const part = cashiers.slice(i, i + 5000);
    await conn.query(
      `insert into pos_cashiers (id, store_id, code, name, first_day, last_day)
       select gen_random_uuid(), u.store_id, u.code, u.name, u.first_day, u.last_day
         from unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::date[]) as u(store_id, code, name, first_day, last_day)
       on conflict (store_id, code) do update set
         name = case when excluded.name <> '' and excluded.last_day >= coalesce(pos_cashiers.last_day, excluded.last_day) then excluded.name else pos_cashiers.name end,
         first_day = least(pos_cashiers.first_day, excluded.first_day),
         last_day = greatest(pos_cashiers.last_day, excluded.last_day)`,
      [part.map((c) => c.storeId), part.map((c) => c.code), part.map((c) => c.name), part.map((c) => c.first), part.map((c) => c.last)],
    );
    await yieldNow();
  }

  prof('merged + cashiers');
  // Aggregates, matched refunds and transaction exceptions of every touched store-day, day by day.
  job.message = 'Updating aggregates';
  // Store-days new to the database are derived from the sums the scanner made of their rows
  // (derived.ts), written with COPY; so are those whose stored keys were read before the scan, with
  // their stored rows read back and added to the sums. Other store-days that held data before (their
  // rows were staged) are derived again in SQL from all their rows (refreshStoreDays).
  const inSql = (key: number) => allInSql || (existing.has(key) && !knownDays.has(key));
  const overlapped = [...res.storeDays].filter(([key]) => knownDays.has(key));
  let exceptionsRaised = 0;
  const touched = [...res.storeDays.keys()];
  const touchedDays = [...new Set(touched.map((key) => key % 1e6))].sort((a, b) => a - b).map(dayString);
  const [{ n: exceptionsBefore }] = (await conn.query<{ n: number }>(`select count(*)::int as n from pos_exceptions`)).rows;
  if (job.rowsInserted > 0) {
    const direct = [...res.storeDays].filter(([key]) => !inSql(key));
    if (overlapped.length) {
      await addStoredRows(conn, engine, stores, scanned.derived, overlapped, job.id);
      prof(`stored rows of ${overlapped.length} store-days added to the sums`);
    }
    if (direct.length) await writeDerived(conn, engine, stores, scanned.derived, direct, new Set(overlapped.map(([key]) => key)), settings, prof);
    prof(`derived from the scan (${direct.length} store-days: ${derivedTimes.map((t, i) => `${DERIVED_PHASES[i]} ${t} ms`).join(', ')})`);
    // The statistics do not know the rows just loaded (one-row estimates): nested loops over a
    // store-day would be quadratic, and sequential scans would read the whole month once per slice.
    // Hash joins over each slice's rows read by the key's index, for this transaction only.
    await plannerOff(conn, HASH_JOINS_BY_INDEX);
    // Slices of a few thousand rows (store-days of one business day), so that no statement stalls the event loop.
    for (const { day, storeIds } of dayBatches([...res.storeDays].filter(([key]) => inSql(key)), stores, 2500)) {
      await refreshStoreDays(conn, dayString(day), storeIds, settings, true);
      await yieldNow();
    }
    await plannerDefault(conn, HASH_JOINS_BY_INDEX);
    prof(`aggregates (match ${refreshTimes[0]} ms, aggregate ${refreshTimes[1]} ms, exceptions ${refreshTimes[2]} ms, store-days ${refreshTimes[3]} ms)`);
    job.message = 'Scoring';
    const lastDay = touchedDays[touchedDays.length - 1];
    await proposeRegisters(conn, [...new Set(touched.map((key) => stores[Math.floor(key / 1e6)].id))], lastDay);
    await rescore(conn, settings, 'day', touchedDays);
    await rescore(conn, settings, 'week', [...new Set(touchedDays.map(weekStartOf))]);
    await raiseAccumulated(conn, settings, lastDay);
    const [{ n: exceptionsAfter }] = (await conn.query<{ n: number }>(`select count(*)::int as n from pos_exceptions`)).rows;
    exceptionsRaised = exceptionsAfter - exceptionsBefore;
  }

  prof('scored');
  prof('done');
  const { rows: same } = await conn.query<{ id: string }>(`select id from pos_imports where sha256 = $1 and status = 'succeeded' order by started_at limit 1`, [job.sha256]);
  job.sameFileAs = same[0]?.id ?? null;
  job.status = 'succeeded';
  job.finishedAt = new Date().toISOString();
  job.durationMs = Date.now() - Date.parse(job.startedAt);
  // Transactions older than the months kept are imported like the rest, and the nightly retention
  // run removes them: the import says so rather than letting them vanish unannounced.
  const cutoff = retentionCutoff(settings.retentionMonths);
  let olderThanKept = 0;
  for (const [key, rows] of res.storeDays) if (dayString(key % 1e6) < cutoff) olderThanKept += rows;
  job.message =
    `${job.rowsInserted} transaction${job.rowsInserted === 1 ? '' : 's'} imported` +
    (job.rowsDuplicate ? `, ${job.rowsDuplicate} already present` : '') +
    (job.rowsInvalid ? `, ${job.rowsInvalid} invalid row${job.rowsInvalid === 1 ? '' : 's'} skipped` : '') +
    (job.sameFileAs ? ' (this file was imported before)' : '') +
    (job.rowsInserted ? `; ${exceptionsRaised} exception${exceptionsRaised === 1 ? '' : 's'} raised` : '') +
    (olderThanKept
      ? `; ${olderThanKept} of the file's transactions ${olderThanKept === 1 ? 'is' : 'are'} from before ${cutoff}, older than the ${settings.retentionMonths} months kept: the nightly retention run removes them`
      : '');
  await saveRecord({} as AppContext, job, conn);
  await conn.query(
    `insert into audit_log (id, actor_id, actor_name, action, entity, entity_id, summary, after, ip) values ($1, $2, $3, 'import', 'pos_import', $4, $5, $6::jsonb, $7)`,
    [
      uuidv7(),
      actor.via === 'system' ? null : actor.id,
      actor.name,
      job.id,
      `Imported POS file ${job.filename}: ${job.message}`,
      JSON.stringify({ rowsInserted: job.rowsInserted, rowsDuplicate: job.rowsDuplicate, rowsInvalid: job.rowsInvalid, sha256: job.sha256, source: job.source }),
      actor.ip ?? null,
    ],
  );
  return scanned;
}

type Copy = (table: 'direct' | 'staged', data: Uint8Array, rows: number) => Promise<void>;
type Scanned = { result: ScanResult; fatal: ScanFatal | null; derived: DerivedData };
type Limits = { flushBytes: number; scanSlice: number };

/**
 * Inputs from this size on (and streams of unknown size) are scanned in a worker thread, so that
 * scanning runs beside the COPYs (PGlite runs them on this thread) instead of taking turns with
 * them. Smaller ones are scanned here: starting a worker costs more than their scan.
 */
const WORKER_MIN_BYTES = process.env.POS_SCAN_WORKER_MIN_BYTES ? Number(process.env.POS_SCAN_WORKER_MIN_BYTES) : 4 * 1024 * 1024;

const showProgress = (job: PosImport, r: { rowsRead: number; rowsInvalid: number; rowsDuplicate: number; errorTotal: number }) => {
  job.rowsRead = r.rowsRead;
  job.rowsInvalid = r.rowsInvalid;
  job.rowsDuplicate = r.rowsDuplicate;
  job.errorTotal = r.errorTotal;
};

/** Scans on this thread, a slice at a time with a yield between slices. */
async function scanHere(options: ScanSessionOptions, known: StoredKeys | undefined, limits: Limits, input: AsyncIterable<Buffer | string>, job: PosImport, sha: ReturnType<typeof createHash>, copy: Copy, setFailing: (f: boolean) => void): Promise<Scanned> {
  const session = new ScanSession(options);
  const { enc } = session;
  for (const part of storedKeyParts(known)) {
    enc.alreadyStored(part.keyStoreDays, part.keys);
    await yieldNow();
  }
  const res = enc.result;
  const flush = async (force: boolean) => {
    setFailing(!job.skipInvalid && res.errorTotal > 0);
    for (const table of ['direct', 'staged'] as const) {
      const out = enc[table];
      if (!out.pos || (!force && out.pos < limits.flushBytes)) continue;
      const rows = out.rows;
      await copy(table, out.take(), rows);
      await yieldNow();
    }
  };
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    sha.update(chunk);
    job.bytesRead += chunk.length;
    for (let at = 0; at < chunk.length && !session.fatal; at += limits.scanSlice) {
      session.push(chunk.subarray(at, at + limits.scanSlice));
      showProgress(job, res);
      job.errors = res.problems;
      if (session.fatal) break;
      await flush(false);
      await yieldNow();
    }
    if (session.fatal) break;
  }
  session.end();
  if (!session.fatal) await flush(true);
  return { result: res, fatal: session.fatal, derived: enc.derived };
}

/**
 * Scans in a worker thread (scan-worker.ts): this thread reads the input, hands the chunks over and
 * runs the COPYs of what comes back, one in flight. At most two chunks wait in the worker, so memory
 * stays flat whichever side is slower.
 */
async function scanInWorker(options: ScanSessionOptions, known: StoredKeys | undefined, limits: Limits, input: AsyncIterable<Buffer | string>, job: PosImport, sha: ReturnType<typeof createHash>, copy: Copy, setFailing: (f: boolean) => void): Promise<Scanned> {
  const worker = new Worker(new URL('./scan-worker.mjs', import.meta.url), { workerData: { ...options, ...limits } satisfies ScanWorkerData, execArgv: [] });
  // The stored keys in pieces (each postMessage copies its piece on this thread), before any chunk.
  for (const part of storedKeyParts(known)) {
    worker.postMessage({ type: 'known', ...part } satisfies ToWorker);
    await yieldNow();
  }
  const outs: Array<{ table: 'direct' | 'staged'; data: Uint8Array; rows: number }> = [];
  let sent = 0;
  let acked = 0;
  let stopped = false;
  let done: Omit<Scanned, 'derived'> | null = null;
  let part: DerivedPart | null | undefined;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'out') outs.push(m);
    else if (m.type === 'ack') {
      acked++;
      stopped = m.stopped;
      showProgress(job, m.progress);
      setFailing(!job.skipInvalid && m.progress.errorTotal > 0);
    } else if (m.type === 'done') done = { result: m.result, fatal: m.fatal };
    else if (m.type === 'part') part = m.part;
    else failure = new Error(m.message);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  let finished = false;
  worker.on('exit', (code) => {
    if (!finished) failure ??= new Error(`the scan worker stopped (exit code ${code})`);
    notify();
  });
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  const pump = async () => {
    while (outs.length) {
      const o = outs.shift()!;
      await copy(o.table, o.data, o.rows);
    }
  };
  try {
    for await (const raw of input) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
      sha.update(chunk);
      job.bytesRead += chunk.length;
      const own = new Uint8Array(chunk.length);
      own.set(chunk);
      worker.postMessage({ type: 'chunk', data: own }, [own.buffer]);
      sent++;
      await pump();
      while (!failure && !stopped && sent - acked > 1) {
        await next();
        await pump();
      }
      if (failure) throw failure;
      if (stopped) break;
    }
    worker.postMessage({ type: 'end' });
    while (!done && !failure) {
      await pump();
      if (!done && !failure) await next();
    }
    if (failure) throw failure;
    await pump();
    const result = (done as Omit<Scanned, 'derived'> | null)!;
    job.errors = result.result.problems;
    // The scanner's sums, a piece per request and a task per piece (nothing is imported after a fatal problem).
    const derived = emptyDerived();
    while (!result.fatal) {
      part = undefined;
      worker.postMessage({ type: 'part' } satisfies ToWorker);
      while (part === undefined && !failure) await next();
      if (failure) throw failure;
      if (!part) break;
      addDerivedPart(derived, part);
      await yieldNow();
    }
    finished = true;
    return { ...result, derived };
  } finally {
    void worker.terminate();
  }
}

function rowsError(job: PosImport, problems: Problem[], total: number, message: string) {
  job.errors = problems;
  job.errorTotal = total;
  return new AppError(400, 'invalid_rows', message, problems, total);
}

const FLAG_RULES = `array_remove(array[
  case when flags & 1 <> 0 then 'post_void_large' end,
  case when flags & 2 <> 0 then 'refund_no_receipt_card' end,
  case when flags & 4 <> 0 then 'no_sale_after_hours' end,
  case when flags & 8 <> 0 then 'void_after_total_large' end,
  case when flags & 16 <> 0 then 'keyed_card_large' end,
  case when flags & 32 <> 0 then 'refund_after_sale' end], null)`;
const FLAG_SUMMARY = `concat_ws('; ',
  case when flags & 1 <> 0 then 'post-void of a large transaction' end,
  case when flags & 2 <> 0 then 'refund without receipt to a card' end,
  case when flags & 4 <> 0 then 'no-sale drawer open outside store hours' end,
  case when flags & 8 <> 0 then 'large void after total' end,
  case when flags & 16 <> 0 then 'large sale with a keyed card number' end,
  case when flags & 32 <> 0 then 'refund soon after a matching sale' end)
  || format(' — %s %s at register %s, $%s', replace(type, '_', '-'), txn_number, register, to_char(abs(total_cents) / 100.0, 'FM999999990.00'))`;

/** Flags refunds soon after a sale with the same card (any cashier) or the same amount (same cashier) in one day of some stores ($1 day, $2 stores, $3 minutes). */
const MATCH_REFUNDS_SQL = `with d as materialized (
       select id, store_id, cashier_code, type, total_cents, card_token, started_at from pos_transactions
        where business_day = $1 and store_id = any($2::uuid[]) and type in ('sale', 'return')),
     r as materialized (select * from d where type = 'return'),
     s as materialized (select * from d where type = 'sale'),
     m as (
       select r.id from r join s on s.store_id = r.store_id and s.card_token = r.card_token
        where s.started_at between r.started_at - make_interval(mins => $3) and r.started_at
       union
       select r.id from r join s on s.store_id = r.store_id and s.cashier_code = r.cashier_code and s.total_cents = -r.total_cents
        where s.started_at between r.started_at - make_interval(mins => $3) and r.started_at)
     update pos_transactions t set flags = t.flags | 32
      where t.business_day = $1 and t.store_id = any($2::uuid[]) and t.id in (select id from m) and t.flags & 32 = 0`;

/** Rebuilds what is derived from one business day of some stores: matched refunds, aggregates, exceptions. */
export const refreshTimes = [0, 0, 0, 0];
export async function refreshStoreDays(conn: Pick<BulkConnection, 'query'>, day: string, storeIds: string[], settings: PosSettings, nestloopOff = false) {
  let t = Date.now();
  const lap = (i: number) => {
    refreshTimes[i] += Date.now() - t;
    t = Date.now();
  };
  // Refunds soon after a sale with the same card (any cashier) or the same amount (same cashier).
  await conn.query(MATCH_REFUNDS_SQL, [day, storeIds, settings.refundMatchMinutes]);
  lap(0);
  await conn.query(`delete from pos_cashier_days where business_day = $1 and store_id = any($2::uuid[])`, [day, storeIds]);
  await conn.query(
    `insert into pos_cashier_days (store_id, cashier_code, business_day, txn_count, sale_count, sales_cents, sale_items, item_count, refund_count,
       refund_cents, refund_no_receipt_count, refund_cash_count, refund_after_sale_count, post_void_count, post_void_cents, void_after_total_count,
       line_void_count, line_void_cents, no_sale_count, override_count, override_cents, card_count, manual_card_count, employee_discount_count,
       employee_discount_cents, gift_issue_count, gift_redeem_count, manager_override_count, flagged_count)
     select store_id, cashier_code, business_day,
       count(*),
       count(*) filter (where type = 'sale'),
       coalesce(sum(total_cents) filter (where type = 'sale'), 0),
       coalesce(sum(item_count) filter (where type = 'sale'), 0),
       coalesce(sum(item_count) filter (where type in ('sale', 'return')), 0),
       count(*) filter (where type = 'return'),
       coalesce(-sum(total_cents) filter (where type = 'return'), 0),
       count(*) filter (where type = 'return' and original_ref is null),
       count(*) filter (where type = 'return' and tender = 'cash'),
       count(*) filter (where type = 'return' and flags & 32 <> 0),
       count(*) filter (where type = 'post_void'),
       coalesce(sum(abs(total_cents)) filter (where type = 'post_void'), 0),
       count(*) filter (where type = 'void' and voided_after_total),
       coalesce(sum(line_void_count), 0),
       coalesce(sum(line_void_cents), 0),
       count(*) filter (where type = 'no_sale'),
       coalesce(sum(override_count), 0),
       coalesce(sum(abs(override_cents)), 0),
       count(*) filter (where type = 'sale' and card_entry is not null),
       count(*) filter (where type = 'sale' and card_entry = 'keyed'),
       count(*) filter (where type = 'sale' and employee_discount),
       coalesce(sum(discount_cents) filter (where employee_discount), 0),
       count(*) filter (where gift_issued_cents > 0),
       count(*) filter (where type = 'sale' and tender = 'gift'),
       count(*) filter (where manager_override is not null),
       count(*) filter (where flags <> 0)
     from pos_transactions
     where business_day = $1 and store_id = any($2::uuid[]) and type <> 'training'
     group by store_id, cashier_code, business_day`,
    [day, storeIds],
  );
  for (const table of SIGNAL_TABLES) await conn.query(`delete from ${table} where business_day = $1 and store_id = any($2::uuid[])`, [day, storeIds]);
  const where = `t.business_day = $1 and t.store_id = any($2::uuid[])`;
  // The original sale of a return is found by its key: an index lookup per return (a nested loop).
  // With nested loops off (see the import), the planner hashed the whole pos_transactions table once
  // per slice instead: quadratic, minutes for 1M rows.
  if (nestloopOff) await conn.query('set local enable_nestloop = on');
  await conn.query(SIGNAL_DAYS_SQL(where), [day, storeIds]);
  if (nestloopOff) await conn.query('set local enable_nestloop = off');
  for (const text of [REGISTER_DAYS_SQL(where), CARD_DAYS_SQL(where)]) await conn.query(text, [day, storeIds]);
  lap(1);
  await conn.query(
    `insert into pos_exceptions (kind, rule, rules, store_id, cashier_code, transaction_id, amount_cents, summary, occurred_at)
     select 'transaction', (${FLAG_RULES})[1], ${FLAG_RULES}, store_id, cashier_code, id, abs(total_cents), ${FLAG_SUMMARY}, started_at
       from pos_transactions
      where business_day = $1 and store_id = any($2::uuid[]) and flags <> 0 and type <> 'training'
     on conflict (transaction_id) do update set rules = excluded.rules, rule = excluded.rule, summary = excluded.summary, updated_at = now()
      where pos_exceptions.rules <> excluded.rules`,
    [day, storeIds],
  );
  lap(2);
  // The store-day sums the dashboards read. Every flagged transaction (training aside) has its
  // exception now (flags only ever gain bits), so the store-day's exceptions are its flagged count.
  await conn.query(`delete from pos_store_days where business_day = $1 and store_id = any($2::uuid[])`, [day, storeIds]);
  await conn.query(
    `insert into pos_store_days (store_id, business_day, cashier_count, ${STORE_DAY_SUMS.join(', ')}, exception_count)
     select store_id, business_day, count(*), ${STORE_DAY_SUMS.map((c) => `sum(${c})`).join(', ')}, sum(flagged_count)
       from pos_cashier_days where business_day = $1 and store_id = any($2::uuid[]) group by store_id, business_day`,
    [day, storeIds],
  );
  lap(3);
}

/** The pos_cashier_days counters that pos_store_days sums per store-day: all of them. */
const STORE_DAY_SUMS = CASHIER_DAY_COLUMNS;
const REFUND_COUNT = CASHIER_DAY_COLUMNS.indexOf('refund_count');

/** Planner settings turned off for lookups by key (the rows just loaded have no statistics). */
const LOOKUP_PLAN = ['enable_seqscan', 'enable_hashjoin', 'enable_mergejoin'];
/** Planner settings turned off for hash joins over a slice's rows read by the key's index. */
const HASH_JOINS_BY_INDEX = ['enable_nestloop', 'enable_seqscan'];
/** Turns planner methods off for the rest of the transaction, or until plannerDefault. */
async function plannerOff(conn: Pick<BulkConnection, 'query'>, settings: readonly string[]) {
  for (const setting of settings) await conn.query(`set local ${setting} = off`);
}
async function plannerDefault(conn: Pick<BulkConnection, 'query'>, settings: readonly string[]) {
  for (const setting of settings) await conn.query(`set local ${setting} = default`);
}
/** storeIndex * 1e6 + day number of a store and a 'YYYY-MM-DD' day: how the scanner names a store-day. */
const storeDayKey = (storeIndex: number, day: string) => storeIndex * 1e6 + dayNumber(+day.slice(0, 4), +day.slice(5, 7), +day.slice(8, 10));

/**
 * Store-days (storeIndex * 1e6 + day number → rows) as slices of one business day each, day by day,
 * of at most `maxRows` rows (a store-day with more is a slice of its own).
 */
function* dayBatches(storeDays: Array<[number, number]>, stores: ScanStore[], maxRows: number | SliceSize): Generator<{ day: number; storeIds: string[]; rows: number }> {
  // A SliceSize is read at each batch: the consumer times the last one before asking for the next.
  const limit = () => (typeof maxRows === 'number' ? maxRows : maxRows.value);
  const byDay = new Map<number, Array<[number, number]>>();
  for (const entry of storeDays) {
    const list = byDay.get(entry[0] % 1e6) ?? [];
    list.push(entry);
    byDay.set(entry[0] % 1e6, list);
  }
  for (const [day, list] of [...byDay].sort((a, b) => a[0] - b[0])) {
    let storeIds: string[] = [];
    let rows = 0;
    for (const [key, n] of list) {
      if (storeIds.length && rows + n > limit()) {
        yield { day, storeIds, rows };
        storeIds = [];
        rows = 0;
      }
      storeIds.push(stores[Math.floor(key / 1e6)].id);
      rows += n;
    }
    if (storeIds.length) yield { day, storeIds, rows };
  }
}

export const DERIVED_PHASES = ['match', 'originals', 'copy', 'exceptions'] as const;
const DERIVED_TABLES = ['pos_cashier_days', ...SIGNAL_TABLES, 'pos_store_days'] as const;

/**
 * The keys of the stored transactions of the store-days that hold data on the file's business days
 * (`fileDays`, from the pre-pass), as the scanner keys its rows; undefined when the file's days are not
 * known (a stream read once) or those store-days hold more rows than is worth holding in memory
 * (`KNOWN_ROWS`, or twice the file's rows): their rows are then staged and merged as before.
 */
async function readStoredKeys(conn: BulkConnection, engine: keyof typeof LIMITS, stores: ScanStore[], existing: Map<number, number>, fileDays: Map<string, number> | undefined) {
  if (!fileDays?.size) return undefined;
  // The pre-pass reads dates without checking them ("2026-02-30"): real days only.
  const days = new Set([...fileDays.keys()].filter(calendarDay).map((d) => storeDayKey(0, d)));
  const storeDays = [...existing].filter(([key]) => days.has(key % 1e6));
  if (!storeDays.length) return undefined;
  const stored = storeDays.reduce((sum, [, n]) => sum + n, 0);
  const fileRows = [...fileDays.values()].reduce((a, b) => a + b, 0);
  if (stored > Math.max(KNOWN_ROWS, 2 * fileRows)) return undefined;
  const storeIdx = new Map(stores.map((s, i) => [s.id, i]));
  const keys: string[] = [];
  const keyStoreDays: number[] = [];
  // By the key's index (the planner may have no statistics for rows loaded in this transaction).
  await plannerOff(conn, LOOKUP_PLAN);
  const size = sliceSize(engine, { pglite: 1000, postgres: 200000, min: 100, max: 50000 });
  for (const { day, storeIds, rows } of dayBatches(storeDays, stores, size)) {
    const { rows: found } = await size.time(rows, () =>
      conn.query<{ store_id: string; register: string; txn_number: string }>(
        `select store_id, register, txn_number from pos_transactions where business_day = $1 and store_id = any($2::uuid[])`,
        [dayString(day), storeIds],
      ),
    );
    for (const r of found) {
      keys.push(`${latin1(r.register)}\t${latin1(r.txn_number)}`);
      keyStoreDays.push(storeIdx.get(r.store_id)! * 1e6 + day);
    }
    await yieldNow();
  }
  await plannerDefault(conn, LOOKUP_PLAN);
  return { storeDays: storeDays.map(([key]) => key), keys, keyStoreDays };
}
type StoredKeys = NonNullable<Awaited<ReturnType<typeof readStoredKeys>>>;
/** The stored keys in pieces of 20,000, to hand to the scanner a task at a time. */
function* storedKeyParts(known: StoredKeys | undefined): Generator<{ keyStoreDays: number[]; keys: string[] }> {
  if (!known) return;
  for (let i = 0; i < known.keys.length; i += 20000) yield { keyStoreDays: known.keyStoreDays.slice(i, i + 20000), keys: known.keys.slice(i, i + 20000) };
}
/** Stored rows worth reading the keys of before a scan, whatever the file's size (about 30 MB of keys). */
const KNOWN_ROWS = 250_000;
/** A text as the scanner keys it: its UTF-8 bytes read as latin1. */
const latin1 = (text: string) => (Buffer.byteLength(text) === text.length ? text : Buffer.from(text, 'utf8').toString('latin1'));

/**
 * Adds the stored rows of store-days that held data (rows of earlier imports, not this one's, which
 * the scanner summed) to the sums, read as SQL reads them in refreshStoreDays: the hour in the store's
 * zone, the seconds from start to end. Runs before the refund matching, so their flags are those before it.
 */
async function addStoredRows(conn: BulkConnection, engine: keyof typeof LIMITS, stores: ScanStore[], derived: DerivedData, storeDays: Array<[number, number]>, importId: string) {
  const storeIdx = new Map(stores.map((s, i) => [s.id, i]));
  await plannerOff(conn, LOOKUP_PLAN);
  const size = sliceSize(engine, { pglite: 1000, postgres: 100000, min: 100, max: 50000 });
  for (const { day, storeIds, rows: batchRows } of dayBatches(storeDays, stores, size)) {
    const { rows } = await size.time(batchRows, () => conn.query<StoredRow>(
      `select t.store_id, t.cashier_code, t.register, t.txn_number, t.type, t.tender, t.card_entry, t.card_token, t.original_ref,
              t.total_cents::float8 as total, t.item_count, t.line_void_count, t.line_void_cents::float8 as line_void_cents, t.override_count,
              t.override_cents::float8 as override_cents, t.discount_cents::float8 as discount_cents, t.employee_discount, t.manual_entry_count,
              t.voided_after_total, t.gift_issued_cents::float8 as gift_cents, t.manager_override is not null as manager_override, t.flags,
              extract(hour from t.started_at at time zone s.timezone)::int as hour, extract(epoch from t.ended_at - t.started_at)::float8 as seconds
         from pos_transactions t join stores s on s.id = t.store_id
        where t.business_day = $1 and t.store_id = any($2::uuid[]) and t.import_id <> $3`,
      [dayString(day), storeIds, importId],
    ));
    for (const r of rows) {
      addDerived(derived, {
        store: storeIdx.get(r.store_id)!,
        day,
        cashier: r.cashier_code,
        register: r.register,
        txn: r.txn_number,
        type: r.type,
        tender: r.tender,
        cardEntry: r.card_entry ?? undefined,
        cardToken: r.card_token,
        originalRef: r.original_ref,
        total: r.total,
        items: r.item_count,
        lineVoids: r.line_void_count,
        lineVoidCents: r.line_void_cents,
        overrides: r.override_count,
        overrideCents: r.override_cents,
        discountCents: r.discount_cents,
        employee: r.employee_discount,
        manual: r.manual_entry_count,
        afterTotal: r.voided_after_total,
        giftCents: r.gift_cents,
        managerOverride: r.manager_override,
        flags: r.flags,
        hour: r.hour,
        seconds: r.seconds,
      });
    }
    await yieldNow();
  }
  await plannerDefault(conn, LOOKUP_PLAN);
}
type StoredRow = {
  store_id: string; cashier_code: string; register: string; txn_number: string; type: string; tender: string; card_entry: string | null;
  card_token: string | null; original_ref: string | null; total: number; item_count: number; line_void_count: number; line_void_cents: number;
  override_count: number; override_cents: number; discount_cents: number; employee_discount: boolean; manual_entry_count: number;
  voided_after_total: boolean; gift_cents: number; manager_override: boolean; flags: number; hour: number; seconds: number | null;
};
/** Milliseconds per phase of writeDerived in the current import (POS_IMPORT_PROFILE). */
export const derivedTimes = [0, 0, 0, 0];

/**
 * Writes what is derived from the store-days that held no data before (`direct`: storeIndex * 1e6 +
 * day number → rows), from the scanner's sums: matched refunds and the original sales of card refunds in
 * SQL (they need the stored rows), then the cashier-day, signal and store-day tables with COPY, then
 * the transaction exceptions of the flagged rows by key. The same results as refreshStoreDays.
 */
async function writeDerived(
  conn: BulkConnection,
  engine: keyof typeof LIMITS,
  stores: ScanStore[],
  derived: DerivedData,
  direct: Array<[number, number]>,
  replaced: Set<number>,
  settings: PosSettings,
  prof: (label: string) => void = () => {},
) {
  // COPY text is built on this thread: pieces of 128 KB on PGlite (then cut by the measured rate),
  // 512 KB on PostgreSQL (a 1.3 MB piece took this thread 65 ms on a slow machine).
  const pieceBytes = engine === 'pglite' ? LIMITS.pglite.flushBytes : 512 * 1024;
  // On PGlite a statement runs on this thread: sizes follow its measured rate (slices.ts); 500 keys
  // took 30-80 ms on one machine 1M rows in, 75-220 ms on a slower one. On PostgreSQL 5,000: building
  // the parameters and reading the answer took this thread 130-160 ms for 50,000, up to 87 ms for
  // 10,000 on a slow machine.
  const keys = () => sliceSize(engine, { pglite: 100, postgres: 5000, min: 20, max: 5000 });
  let t = Date.now();
  const lap = (i: number) => {
    derivedTimes[i] += Date.now() - t;
    t = Date.now();
    prof(`derived: ${DERIVED_PHASES[i]}`);
  };
  const storeIdx = new Map(stores.map((s, i) => [s.id, i]));
  const storeOf = (part: string) => stores[Number(part)].id;
  const dayOf = (part: string) => dayString(Number(part));

  // 1. Refunds soon after a matching sale, in the store-days with refunds, a few thousand rows at a time.
  const withRefunds = new Set<number>();
  for (const [key, c] of derived.cashierDays) {
    if (c[REFUND_COUNT] === 0) continue;
    const [s, d] = key.split('\0');
    withRefunds.add(Number(s) * 1e6 + Number(d));
  }
  const matched: Array<{ key: string; before: number; register: string; txn: string }> = [];
  // The statistics do not know the rows just loaded (one-row estimates): a nested loop over a
  // store-day's sales per refund would be quadratic (117 s instead of 2 s for 1M rows on PostgreSQL),
  // and a sequential scan would read the whole month once per slice (13 s for 10M rows): hash joins
  // over the slice's rows read by the key's index.
  await plannerOff(conn, HASH_JOINS_BY_INDEX);
  const matchSize = keys();
  for (const { day, storeIds, rows: batchRows } of dayBatches(direct.filter(([key]) => withRefunds.has(key)), stores, matchSize)) {
    const { rows } = await matchSize.time(batchRows, () =>
      conn.query<{ store_id: string; cashier_code: string; register: string; txn_number: string; flags: number }>(
        `${MATCH_REFUNDS_SQL} returning t.store_id, t.cashier_code, t.register, t.txn_number, t.flags`,
        [dayString(day), storeIds, settings.refundMatchMinutes],
      ),
    );
    for (const r of rows) matched.push({ key: `${storeIdx.get(r.store_id)}\0${day}\0${r.cashier_code}`, before: r.flags & ~32, register: r.register, txn: r.txn_number });
    await yieldNow();
  }
  await plannerDefault(conn, HASH_JOINS_BY_INDEX);
  settleMatches(derived, matched);
  lap(0);

  // 2. The original sales of card refunds that name one (index lookups on the transactions' key).
  // The planner has no statistics for the rows just loaded and would read whole partitions instead
  // (10M rows: 40 s for 120k lookups); lookups by key it is, for these statements.
  await plannerOff(conn, LOOKUP_PLAN);
  const originals = derived.cardRefundsWithOriginal;
  // "STORE/REGISTER/TRANSACTION/YYYY-MM-DD", read as refreshStoreDays's SQL reads it (split_part,
  // the store by its exact code); a reference that names no real day matches nothing.
  const storeByCode = new Map(stores.map((s) => [s.code, s.id]));
  const parse = (i: number) => {
    const [, token, ref] = originals[i];
    const [code = '', register = '', txn = '', day = ''] = ref.split('/');
    const store = storeByCode.get(code);
    return store && calendarDay(day) ? { i, store, day, register, txn, token } : null;
  };
  // Parsed slice by slice (10M rows: 300,000 references parsed at once stalled the event loop 350 ms).
  const originalsSize = keys();
  for (let from = 0, size = 0; from < originals.length; from += size) {
    size = originalsSize.value;
    const part: Array<NonNullable<ReturnType<typeof parse>>> = [];
    for (let i = from; i < Math.min(from + size, originals.length); i++) {
      const r = parse(i);
      if (r) part.push(r);
    }
    const { rows } = await originalsSize.time(size, () => conn.query<{ i: number; other_card: boolean; cash_sale: boolean }>(
      `select k.i::int as i, coalesce(o.card_token is not null and k.card_token is distinct from o.card_token, false) as other_card, coalesce(o.tender = 'cash', false) as cash_sale
         from unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[], $6::int[]) as k(store_id, business_day, register, txn_number, card_token, i)
         join pos_transactions o using (store_id, business_day, register, txn_number)
        where o.type = 'sale'`,
      [part.map((r) => r.store), part.map((r) => r.day), part.map((r) => r.register), part.map((r) => r.txn), part.map((r) => r.token), part.map((r) => r.i)],
    ));
    settleOriginals(derived, rows.map((r) => ({ i: r.i, otherCard: r.other_card, cashSale: r.cash_sale })));
    await yieldNow();
  }
  lap(1);

  // 3. The aggregate tables. Store-days that held data (`replaced`) are summed over all their rows
  // now: their earlier aggregates go first. The others held none.
  for (const { day, storeIds } of dayBatches(direct.filter(([key]) => replaced.has(key)), stores, engine === 'pglite' ? 10000 : 200000)) {
    for (const table of DERIVED_TABLES) await conn.query(`delete from ${table} where business_day = $1 and store_id = any($2::uuid[])`, [dayString(day), storeIds]);
    await yieldNow();
  }
  const tables: Array<[string, string[], Map<string, number[]>, (p: string[]) => string[]]> = [
    ['pos_cashier_days', ['store_id', 'business_day', 'cashier_code', ...CASHIER_DAY_COLUMNS], derived.cashierDays, (p) => [storeOf(p[0]), dayOf(p[1]), p[2]]],
    ['pos_cashier_day_signals', ['store_id', 'business_day', 'cashier_code', ...SIGNAL_COLUMNS], derived.signals, (p) => [storeOf(p[0]), dayOf(p[1]), p[2]]],
    ['pos_cashier_register_days', ['store_id', 'business_day', 'cashier_code', 'register', ...REGISTER_DAY_COLUMNS], derived.registerDays, (p) => [storeOf(p[0]), dayOf(p[1]), p[2], p[3]]],
    ['pos_cashier_card_days', ['store_id', 'business_day', 'cashier_code', 'card_token', ...CARD_DAY_COLUMNS], derived.cardDays, (p) => [storeOf(p[0]), dayOf(p[1]), p[2], p[3]]],
    ['pos_store_days', ['store_id', 'business_day', 'cashier_count', ...STORE_DAY_SUMS, 'exception_count'], storeDaySums(derived), (p) => [storeOf(p[0]), dayOf(p[1])]],
  ];
  const copySize = sliceSize(engine, { pglite: 32 * 1024, postgres: pieceBytes, min: 8 * 1024, max: 1024 * 1024 });
  for (const [table, columns, map, head] of tables) {
    for (const piece of copyPieces(map, head, pieceBytes)) {
      await copyRows(conn, engine, copySize, table, columns, piece.data);
      await yieldNow();
    }
  }
  lap(2);

  // 4. The transaction exceptions of the flagged rows, found by key.
  const flagged = derived.flagged;
  const exceptionsSize = keys();
  for (let from = 0, size = 0; from < flagged.length; from += size) {
    size = exceptionsSize.value;
    const parts = flagged.slice(from, from + size).map((k) => k.split('\0'));
    await exceptionsSize.time(size, () => conn.query(
      `insert into pos_exceptions (kind, rule, rules, store_id, cashier_code, transaction_id, amount_cents, summary, occurred_at)
       select 'transaction', (${FLAG_RULES})[1], ${FLAG_RULES}, store_id, cashier_code, id, abs(total_cents), ${FLAG_SUMMARY}, started_at
         from unnest($1::uuid[], $2::date[], $3::text[], $4::text[]) as k(store_id, business_day, register, txn_number)
         join pos_transactions t using (store_id, business_day, register, txn_number)
        where flags <> 0 and type <> 'training'
       on conflict (transaction_id) do update set rules = excluded.rules, rule = excluded.rule, summary = excluded.summary, updated_at = now()
        where pos_exceptions.rules <> excluded.rules`,
      [parts.map((p) => storeOf(p[0])), parts.map((p) => dayOf(p[1])), parts.map((p) => p[2]), parts.map((p) => p[3])],
    ));
    await yieldNow();
  }
  await plannerDefault(conn, LOOKUP_PLAN);
  lap(3);
}
