import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { DbOrTx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';

/**
 * Files of incidents and case evidence live in PostgreSQL, in 1 MiB chunks (docs/decisions.md
 * "Evidence files in PostgreSQL"): every instance reads them and one database backup holds them
 * with their chain of custody. Nothing here holds a whole file in memory: uploads are streamed to a
 * temporary file while their SHA-256 is computed, then copied chunk by chunk inside the caller's
 * transaction; downloads are read chunk by chunk.
 */
export const CHUNK_BYTES = 1024 * 1024;

export interface UploadLimits {
  maxBytes: number;
  idleSeconds: number;
  tmpDir: string;
}

export interface HashedFile {
  path: string;
  bytes: number;
  sha256: string;
  remove(): void;
}

export const formatBytes = (n: number) =>
  n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(2)} GB` : n >= 1024 ** 2 ? `${+(n / 1024 ** 2).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;

export const fileTooLarge = (limit: number) =>
  new AppError(413, 'payload_too_large', `body: the file is larger than the evidence limit of ${formatBytes(limit)} (EVIDENCE_MAX_BYTES)`, [
    { field: 'body', message: `larger than the limit of ${formatBytes(limit)}` },
  ]);

/** Streams a request body to a temporary file, hashing it on the way; 413 past the limit, 408 when the sender goes silent. */
export async function spoolHashed(body: Readable, limits: UploadLimits): Promise<HashedFile> {
  fs.mkdirSync(limits.tmpDir, { recursive: true });
  const file = path.join(limits.tmpDir, `tandem-evidence-${randomBytes(8).toString('hex')}`);
  const remove = () => fs.rm(file, { force: true }, () => {});
  const hash = createHash('sha256');
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file, { mode: 0o600 });
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () => fail(new AppError(408, 'upload_timeout', `body: nothing was received for ${limits.idleSeconds} s; the upload was abandoned and nothing was stored`, [{ field: 'body', message: `no data for ${limits.idleSeconds} s` }])),
        limits.idleSeconds * 1000,
      );
    };
    const detach = () => {
      clearTimeout(idle);
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onAbort);
      body.off('close', onClose);
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      detach();
      // The rest of the body is read and dropped, so the answer (413, 408) reaches the client.
      body.resume();
      out.destroy();
      remove();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) return fail(fileTooLarge(limits.maxBytes));
      hash.update(chunk);
      armIdle();
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', () => body.resume());
      }
    };
    const onEnd = () => {
      detach();
      out.end(() => {
        if (settled) return;
        settled = true;
        resolve();
      });
    };
    const aborted = () => new AppError(400, 'upload_aborted', 'body: the upload ended before the file was complete; nothing was stored', [{ field: 'body', message: 'the upload ended early' }]);
    const onAbort = () => fail(aborted());
    const onClose = () => {
      if (!body.readableEnded) fail(aborted());
    };
    out.once('error', (err) => fail(err));
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onAbort);
    body.once('close', onClose);
    armIdle();
  });
  return { path: file, bytes, sha256: hash.digest('hex'), remove };
}

/** Copies a spooled file into the database, 1 MiB per row, in the caller's transaction. Returns the blob id. */
export async function storeBlob(tx: DbOrTx, file: HashedFile): Promise<string> {
  const id = uuidv7();
  const handle = await fs.promises.open(file.path, 'r');
  let seq = 0;
  try {
    await tx.execute(sql`insert into case_blobs (id, sha256, size_bytes, chunk_count) values (${id}, ${file.sha256}, ${file.bytes}, 0)`);
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      await tx.execute(sql`insert into case_blob_chunks (blob_id, seq, data) values (${id}, ${seq}, ${Buffer.from(buffer.subarray(0, bytesRead))})`);
      seq++;
    }
  } finally {
    await handle.close();
  }
  await tx.execute(sql`update case_blobs set chunk_count = ${seq} where id = ${id}`);
  return id;
}

/** Stores small bytes (demo data, generated files) as a blob. */
export async function storeBytes(tx: DbOrTx, data: Buffer): Promise<{ id: string; sha256: string; bytes: number }> {
  const id = uuidv7();
  const sha256 = createHash('sha256').update(data).digest('hex');
  const chunks = Math.ceil(data.length / CHUNK_BYTES);
  await tx.execute(sql`insert into case_blobs (id, sha256, size_bytes, chunk_count) values (${id}, ${sha256}, ${data.length}, ${chunks})`);
  for (let seq = 0; seq < chunks; seq++) {
    await tx.execute(sql`insert into case_blob_chunks (blob_id, seq, data) values (${id}, ${seq}, ${data.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES)})`);
  }
  return { id, sha256, bytes: data.length };
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The blob's bytes, one chunk at a time (one query per chunk: memory stays at one chunk). */
export async function* readBlob(db: DbOrTx, blobId: string): AsyncGenerator<Buffer> {
  const [meta] = rowsOf<{ chunk_count: number }>(await db.execute(sql`select chunk_count from case_blobs where id = ${blobId}`));
  const count = Number(meta?.chunk_count ?? 0);
  for (let seq = 0; seq < count; seq++) {
    const [row] = rowsOf<{ data: Uint8Array }>(await db.execute(sql`select data from case_blob_chunks where blob_id = ${blobId} and seq = ${seq}`));
    if (!row) return;
    yield Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength);
  }
}

/** Re-reads the stored bytes and hashes them: the hash the file has now, and its size. */
export async function hashBlob(db: DbOrTx, blobId: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of readBlob(db, blobId)) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
