import { parentPort, workerData } from 'node:worker_threads';
import { derivedParts, type DerivedPart } from './derived.js';
import { ScanSession, type ScanSessionOptions } from './scan-session.js';

/**
 * The scanner in a worker thread (started by importer.ts through scan-worker.mjs): it receives the
 * file's chunks, scans them in slices and posts back COPY text (transferred, not copied) once a
 * buffer holds `flushBytes`, an acknowledgement with the progress after each chunk, and the scan's
 * result at the end. The main thread only reads the input and runs the COPYs.
 */
export interface ScanWorkerData extends ScanSessionOptions {
  flushBytes: number;
  scanSlice: number;
}
export type ToWorker =
  | { type: 'known'; keyStoreDays: number[]; keys: string[] }
  | { type: 'chunk'; data: Uint8Array }
  | { type: 'end' }
  | { type: 'part' };
export type Progress = { rowsRead: number; rowsInvalid: number; rowsDuplicate: number; errorTotal: number };
export type FromWorker =
  | { type: 'out'; table: 'direct' | 'staged'; data: Uint8Array; rows: number }
  | { type: 'ack'; progress: Progress; stopped: boolean }
  | { type: 'done'; result: ScanSession['result']; fatal: ScanSession['fatal'] }
  | { type: 'part'; part: DerivedPart | null }
  | { type: 'error'; message: string };

const data = workerData as ScanWorkerData;
const port = parentPort!;
const session = new ScanSession(data);
const { enc } = session;
const PART_SIZE = 5000;
let parts: Generator<DerivedPart> | null = null;

const post = (force: boolean) => {
  for (const table of ['direct', 'staged'] as const) {
    const out = enc[table];
    if (!out.pos || (!force && out.pos < data.flushBytes)) continue;
    const rows = out.rows;
    const bytes = out.take();
    // Nothing will be committed once the scan has stopped: keep the checking, drop the rows.
    if (session.fatal) continue;
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    port.postMessage({ type: 'out', table, data: view, rows } satisfies FromWorker, bytes.byteOffset === 0 && bytes.length === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : []);
  }
};
const progress = (): Progress => {
  const r = session.result;
  return { rowsRead: r.rowsRead, rowsInvalid: r.rowsInvalid, rowsDuplicate: r.rowsDuplicate, errorTotal: r.errorTotal };
};

port.on('message', (msg: ToWorker) => {
  try {
    if (msg.type === 'known') enc.alreadyStored(msg.keyStoreDays, msg.keys);
    else if (msg.type === 'part') {
      // The sums, one piece per request, so that the main thread takes them in one task each.
      parts ??= derivedParts(enc.derived, PART_SIZE);
      const next = parts.next();
      port.postMessage({ type: 'part', part: next.done ? null : next.value } satisfies FromWorker);
    } else if (msg.type === 'chunk') {
      const chunk = Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength);
      for (let at = 0; at < chunk.length && !session.fatal; at += data.scanSlice) {
        session.push(chunk.subarray(at, at + data.scanSlice));
        post(false);
      }
      port.postMessage({ type: 'ack', progress: progress(), stopped: session.fatal !== null } satisfies FromWorker);
    } else {
      session.end();
      post(true);
      port.postMessage({ type: 'done', result: session.result, fatal: session.fatal } satisfies FromWorker);
    }
  } catch (err) {
    port.postMessage({ type: 'error', message: (err as Error).message } satisfies FromWorker);
  }
});
