import { z } from 'zod';

/** Query parameters every list endpoint accepts, beside its own filters. */
export const listQueryBase = z.object({
  q: z.string().trim().max(200).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const pageOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() });

export type Page<T> = { items: T[]; total: number; nextCursor: string | null };

/** Boolean filters arrive as text in query strings. */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

// PostgreSQL dates run from 4713 BC; JavaScript's and ISO's four-digit years from 0000. Year 1 to
// 9998 keeps every day bound (end of day, any offset) inside both, so a date is refused here with
// its field named rather than failing in the database.
const MIN_TIME = Date.UTC(1, 0, 1);
const MAX_TIME = Date.UTC(9999, 0, 1);
const timeOf = (s: string) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
const inRange = (s: string) => {
  const t = timeOf(s);
  return Number.isFinite(t) && t >= MIN_TIME && t < MAX_TIME;
};

/** A date (YYYY-MM-DD) or a date-time with offset, a real calendar day between years 1 and 9998. */
export const dateOrDateTime = z
  .string()
  .datetime({ offset: true, message: 'must be a date (YYYY-MM-DD) or a date-time with offset' })
  .or(z.string().date('must be a date (YYYY-MM-DD) or a date-time with offset'))
  .refine(inRange, 'must be a real date between the years 1 and 9998');
