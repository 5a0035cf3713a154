import { performance } from 'node:perf_hooks';
import type { BulkConnection } from '../../platform/db.js';
import { yieldNow } from '../../platform/yield.js';

/** What one slice of an import's work on PGlite should take at most, in milliseconds of the event loop. */
export const SLICE_MS = 40;

/**
 * How much work the next statement of a loop gets, learnt from how long the last ones took.
 *
 * PGlite runs each statement on the event loop's thread, so a statement's duration is a stall of the
 * whole instance. A fixed size cannot hold it under a bound: the same 500 keys took 30 ms on one machine
 * and 220 ms on a slower one, and a statement grows slower as its partition grows. So on PGlite the size
 * follows the measured time per unit (a slow slice shrinks the next at once, a quick one lets it grow a
 * little), within [min, max]. PostgreSQL runs statements in its own process; this thread only builds
 * the parameters and reads the answer, so there the size stays fixed (`start`).
 */
export class SliceSize {
  private msPerUnit = 0;
  constructor(
    private readonly start: number,
    private readonly bounds: { min: number; max: number } | null,
    private readonly targetMs = SLICE_MS,
  ) {}

  /** The units of work for the next slice. */
  get value(): number {
    if (!this.bounds || this.msPerUnit === 0) return this.start;
    return Math.max(this.bounds.min, Math.min(this.bounds.max, Math.floor(this.targetMs / this.msPerUnit)));
  }

  /** Learns from a slice of `units` that took `ms`. */
  record(units: number, ms: number): void {
    if (units <= 0) return;
    const rate = ms / units;
    this.msPerUnit = this.msPerUnit === 0 || rate > this.msPerUnit ? rate : 0.8 * this.msPerUnit + 0.2 * rate;
  }

  /** Runs one slice of `units` and learns from its duration. */
  async time<T>(units: number, run: () => Promise<T>): Promise<T> {
    const t = performance.now();
    const out = await run();
    this.record(units, performance.now() - t);
    return out;
  }
}

/**
 * A slice size that adapts on PGlite (within [min, max]; the first slice, `pglite`, is small, to learn
 * the rate without a long statement) and is fixed on PostgreSQL.
 */
export const sliceSize = (engine: 'pglite' | 'postgres', sizes: { pglite: number; postgres: number; min: number; max: number }) =>
  engine === 'pglite' ? new SliceSize(sizes.pglite, { min: sizes.min, max: sizes.max }) : new SliceSize(sizes.postgres, null);

const NEWLINE = 0x0a;

/**
 * Cuts COPY text into parts of at most `maxBytes`, each ending at a row's end (rows end with a newline;
 * newlines inside values are escaped in COPY's text format). A single row longer than `maxBytes` is a part.
 */
export function* rowParts(data: Uint8Array, maxBytes: number): Generator<Uint8Array> {
  let from = 0;
  while (data.length - from > maxBytes) {
    let cut = data.lastIndexOf(NEWLINE, from + maxBytes - 1);
    if (cut < from) cut = data.indexOf(NEWLINE, from + maxBytes);
    if (cut < 0) break;
    yield data.subarray(from, cut + 1);
    from = cut + 1;
  }
  if (from < data.length) yield data.subarray(from);
}

/**
 * COPY of rows in text format, in parts sized by `size` (bytes) and with a turn of the event loop
 * before each part on PGlite (the next part would otherwise start in the same task).
 */
export async function copyRows(conn: BulkConnection, engine: 'pglite' | 'postgres', size: SliceSize, table: string, columns: readonly string[], data: Uint8Array): Promise<void> {
  if (engine !== 'pglite') return conn.copyFrom(table, columns, data);
  let from = 0;
  while (from < data.length) {
    const [part] = rowParts(data.subarray(from), size.value);
    await yieldNow();
    await size.time(part.length, () => conn.copyFrom(table, columns, part));
    from += part.length;
  }
}
