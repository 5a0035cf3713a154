import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { DbOrTx } from './db.js';
import { AppError } from './errors.js';

/**
 * A fixed-window counter in the database (the auth library's `rate_limits` table, with keys of
 * our own prefixed `tandem:`), so every instance behind a load balancer counts together.
 * Returns the count in the current window after adding `add` (0 only reads).
 */
export async function countInWindow(db: DbOrTx, key: string, windowSeconds: number, add = 1): Promise<{ count: number; retryAfterSeconds: number }> {
  const now = Date.now();
  const windowStart = now - windowSeconds * 1000;
  const fullKey = `tandem:${key}`;
  const result = await db.execute<{ count: number; last_request: string | number }>(sql`
    insert into rate_limits (id, key, count, last_request) values (${uuidv7()}, ${fullKey}, ${add}, ${now})
    on conflict (key) do update set
      count = case when rate_limits.last_request < ${windowStart} then ${add} else rate_limits.count + ${add} end,
      last_request = case when rate_limits.last_request < ${windowStart} then ${now} else rate_limits.last_request end
    returning count, last_request`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ count: number; last_request: string | number }>;
  const row = rows[0]!;
  const started = Number(row.last_request);
  return { count: Number(row.count), retryAfterSeconds: Math.max(1, Math.ceil((started + windowSeconds * 1000 - now) / 1000)) };
}

export async function resetCount(db: DbOrTx, key: string) {
  await db.execute(sql`delete from rate_limits where key = ${`tandem:${key}`}`);
}

export const tooManyRequests = (retryAfterSeconds: number, message = 'Too many attempts; wait a few minutes and try again') =>
  new AppError(429, 'rate_limited', `${message} (about ${Math.ceil(retryAfterSeconds / 60)} min)`);

/** Throws 429 once `key` has been hit more than `max` times in the window. */
export async function limitRate(db: DbOrTx, key: string, max: number, windowSeconds: number) {
  const { count, retryAfterSeconds } = await countInWindow(db, key, windowSeconds);
  if (count > max) throw tooManyRequests(retryAfterSeconds);
}
