import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../../platform/errors.js';

export interface SpoolLimits {
  maxBytes: number;
  idleSeconds: number;
  tmpDir: string;
}

export interface SpooledFile {
  path: string;
  bytes: number;
  remove(): void;
}

export const formatBytes = (n: number) =>
  n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(2)} GB` : n >= 1024 ** 2 ? `${+(n / 1024 ** 2).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;

export const tooLarge = (limit: number) =>
  new AppError(413, 'payload_too_large', `body: the file is larger than the upload limit of ${formatBytes(limit)} (POS_UPLOAD_MAX_BYTES); split it or ask an administrator to raise the limit`, [
    { field: 'body', message: `larger than the upload limit of ${formatBytes(limit)}` },
  ]);

/**
 * Writes an upload to a temporary file before anything touches the database: a slow or huge
 * sender then holds a file handle, not a database session (on PGlite, the only one). Refuses a
 * body over `maxBytes` (413) and a sender silent for `idleSeconds` (408); the partial file is
 * removed in both cases.
 */
export async function spoolUpload(body: Readable, limits: SpoolLimits): Promise<SpooledFile> {
  fs.mkdirSync(limits.tmpDir, { recursive: true });
  const file = path.join(limits.tmpDir, `tandem-upload-${randomBytes(8).toString('hex')}`);
  const remove = () => fs.rm(file, { force: true }, () => {});
  let bytes = 0;
  // Read by hand rather than with pipeline(): on a refusal the request must stay open (its rest is
  // read and dropped) so that the 413 / 408 answer reaches the client.
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file, { mode: 0o600 });
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () =>
          fail(
            new AppError(408, 'upload_timeout', `body: nothing was received for ${limits.idleSeconds} s; the upload was abandoned and nothing was imported (POS_UPLOAD_IDLE_SECONDS)`, [
              { field: 'body', message: `no data for ${limits.idleSeconds} s` },
            ]),
          ),
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
      body.resume();
      out.destroy();
      remove();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) return fail(tooLarge(limits.maxBytes));
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
    const aborted = () =>
      new AppError(400, 'upload_aborted', 'body: the upload ended before the file was complete; nothing was imported', [{ field: 'body', message: 'the upload ended early' }]);
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
  return { path: file, bytes, remove };
}
