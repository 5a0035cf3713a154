import { yieldNow } from './yield.js';

/**
 * Independent reads: at once on the pool, one after another on a single connection such as a
 * transaction's (it runs one query at a time; node-postgres queues the rest with a deprecation
 * warning, and pg 9 refuses them), with a turn of the event loop between them: PGlite runs each on
 * this thread, and reads chained by promises alone would make one long task. Light imports only:
 * the scoring thread loads it too.
 */
export async function runReads<T extends readonly unknown[] | []>(concurrent: boolean, reads: { [K in keyof T]: () => PromiseLike<T[K]> }): Promise<T> {
  if (concurrent) return (await Promise.all(reads.map((read) => read()))) as unknown as T;
  const out: unknown[] = [];
  for (const read of reads) {
    if (out.length) await yieldNow();
    out.push(await read());
  }
  return out as unknown as T;
}
