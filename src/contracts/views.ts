import { z } from 'zod';

/** A list's key: the page it belongs to, e.g. `requests`, `pos-exceptions`, `people`. */
export const listKey = z.string().regex(/^[a-z][a-z0-9-]{0,59}$/, 'must be a list key such as "requests"');

/** A list's URL state: its search parameters as text (filters, sort, order, search words), never the page cursor. */
export const viewSearch = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'must be a parameter name'), z.string().max(500))
  .refine((s) => Object.keys(s).length <= 30, 'has more than 30 parameters');

export const savedViewSchema = z.object({
  id: z.string().uuid(),
  listKey: z.string(),
  name: z.string(),
  search: z.record(z.string(), z.string()),
  isDefault: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedView = z.infer<typeof savedViewSchema>;

export const savedViewList = z.object({ items: z.array(savedViewSchema) });
export const savedViewListQuery = z.object({ list: listKey });

const viewName = z.string().trim().min(1, 'is required').max(80, 'is at most 80 characters');

export const savedViewInput = z.object({
  listKey,
  name: viewName,
  search: viewSearch.default({}),
  isDefault: z.boolean().default(false),
});
export const savedViewPatch = z.object({
  name: viewName.optional(),
  search: viewSearch.optional(),
  isDefault: z.boolean().optional(),
});
