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
