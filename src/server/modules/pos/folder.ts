import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { PosImport } from '../../../contracts/pos.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { SYSTEM_ACTOR } from '../../platform/policy.js';
import { formatFromFilename, importStream } from './importer.js';

/**
 * Nightly POS files without a person: files dropped in the import folder (POS_IMPORT_DIR) are
 * imported oldest first by a scheduled job, then moved to done/ or failed/ (with a .errors.txt
 * beside a failed file); LP leads are mailed about each failure.
 *
 * Claiming is a rename into processing/: rename is atomic, so with several instances (or processes)
 * watching one shared folder each file is imported once. A file left in processing/ by a process
 * that died goes back to the folder when its lease (the file's mtime, refreshed during the import)
 * is older than LEASE_MS; the import itself is all-or-nothing, so a retry never doubles rows.
 */
export const IMPORT_FOLDER_JOB = 'pos.import-folder';
const LEASE_MS = 10 * 60_000;
/** A file still being written (mtime this recent) waits for the next run. */
const SETTLE_MS = 5_000;

export interface FolderResult {
  file: string;
  status: PosImport['status'];
  importId: string | null;
  movedTo: string;
  message: string;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export async function importFolder(ctx: AppContext, dir: string, options: { settleMs?: number; now?: number } = {}): Promise<FolderResult[]> {
  const settle = options.settleMs ?? SETTLE_MS;
  const processing = path.join(dir, 'processing');
  const done = path.join(dir, 'done');
  const failed = path.join(dir, 'failed');
  for (const d of [processing, done, failed]) await fsp.mkdir(d, { recursive: true });

  const now = options.now ?? Date.now();
  // Files whose importer died: back to the folder once the lease has run out.
  for (const name of await fsp.readdir(processing)) {
    const p = path.join(processing, name);
    const st = await fsp.stat(p).catch(() => null);
    if (st?.isFile() && now - st.mtimeMs > LEASE_MS) await fsp.rename(p, path.join(dir, name)).catch(() => {});
  }

  const candidates: Array<{ name: string; mtime: number }> = [];
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.') || /\.(part|tmp|crdownload)$/i.test(entry.name)) continue;
    if (!formatFromFilename(entry.name)) continue;
    const st = await fsp.stat(path.join(dir, entry.name)).catch(() => null);
    if (st && now - st.mtimeMs >= settle) candidates.push({ name: entry.name, mtime: st.mtimeMs });
  }
  candidates.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));

  const results: FolderResult[] = [];
  for (const { name } of candidates) {
    const claimed = path.join(processing, name);
    try {
      await fsp.rename(path.join(dir, name), claimed);
    } catch {
      continue; // another instance took it
    }
    results.push(await importClaimed(ctx, claimed, name, done, failed));
  }
  return results;
}

async function importClaimed(ctx: AppContext, claimed: string, name: string, doneDir: string, failedDir: string): Promise<FolderResult> {
  const touch = () => fsp.utimes(claimed, new Date(), new Date()).catch(() => {});
  await touch();
  const lease = setInterval(() => void touch(), 60_000);
  lease.unref();
  const format = formatFromFilename(name)!;
  const size = (await fsp.stat(claimed)).size;
  let job: PosImport | null = null;
  let error: unknown;
  try {
    job = await importStream(ctx, SYSTEM_ACTOR, fs.createReadStream(claimed, { highWaterMark: 1 << 20 }), {
      source: 'folder',
      format,
      filename: name,
      skipInvalid: false,
      bytesTotal: size,
      reopen: () => fs.createReadStream(claimed, { highWaterMark: 1 << 20 }),
    });
  } catch (err) {
    error = err;
  } finally {
    clearInterval(lease);
  }
  const target = path.join(job ? doneDir : failedDir, `${stamp()}-${name}`);
  await fsp.rename(claimed, target);
  if (job) return { file: name, status: job.status, importId: job.id, movedTo: target, message: job.message };

  const app = error instanceof AppError ? error : null;
  const message = app?.message ?? `The import failed: ${(error as Error)?.message ?? 'unknown error'}`;
  const problems = (app?.problems ?? []).map((p) => `${p.record ?? `line ${p.line ?? '?'}`}${p.field ? ` ${p.field}` : ''}: ${p.message}`);
  await fsp.writeFile(`${target}.errors.txt`, [message, ...problems, ...(app?.total && app.total > problems.length ? [`… ${app.total - problems.length} more`] : [])].join('\n') + '\n');
  const importId = await latestImportId(ctx, name);
  await mailLeads(ctx, name, message);
  return { file: name, status: 'failed', importId, movedTo: target, message };
}

async function latestImportId(ctx: AppContext, filename: string): Promise<string | null> {
  const { rows } = await ctx.database.query<{ id: string }>(`select id from pos_imports where filename = $1 and source = 'folder' order by started_at desc limit 1`, [filename]);
  return rows[0]?.id ?? null;
}

/** LP leads (and administrators) hear of a nightly file that did not load. */
async function mailLeads(ctx: AppContext, file: string, message: string) {
  const { rows } = await ctx.database.query<{ id: string; name: string; email: string }>(
    `select p.id, p.name, p.email from people p left join departments d on d.id = p.department_id
      where p.active and (p.role = 'admin' or (p.role = 'lead' and d.kind = 'lp'))`,
  );
  const url = `${ctx.config.publicUrl}/pos/imports`;
  for (const person of rows) {
    await ctx.mailer.queue(ctx.db, {
      to: person.email,
      subject: `POS file not imported: ${file}`,
      paragraphs: [`Hello ${person.name.split(' ')[0]},`, `The POS file "${file}" from the import folder was not imported. ${message}`, 'It was moved to the failed folder with a list of its errors; fix the file and drop it in the folder again.'],
      action: { label: 'Open POS imports', url },
      kind: 'pos_import_failed',
      relatedPersonId: person.id,
    });
  }
}

/** Schedules the folder every minute when POS_IMPORT_DIR is set (pg-boss: one instance runs each tick). */
export function registerImportFolder(ctx: AppContext) {
  const dir = ctx.config.posImportDir;
  if (!dir) return;
  ctx.jobs.register(IMPORT_FOLDER_JOB, async () => {
    await importFolder(ctx, dir);
  }, { cron: '* * * * *' });
}
