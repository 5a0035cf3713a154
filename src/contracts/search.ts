import { z } from 'zod';

export const searchQuery = z.object({
  q: z.string().trim().min(1, 'is required').max(200),
  /** Results per kind. */
  limit: z.coerce.number().int().min(1).max(50).default(8),
});

export const searchHitSchema = z.object({
  id: z.string(),
  ref: z.string().nullable(),
  title: z.string(),
  subtitle: z.string().nullable(),
  link: z.string(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchResultSchema = z.object({
  q: z.string(),
  groups: z.array(z.object({ kind: z.string(), label: z.string(), items: z.array(searchHitSchema) })),
});
export type SearchResult = z.infer<typeof searchResultSchema>;
