import { z } from 'zod';

/** "My work": what needs this person, gathered from every module they use. */
export const homeSchema = z.object({
  greeting: z.string(),
  person: z.object({ name: z.string(), title: z.string(), departmentName: z.string().nullable(), storeName: z.string().nullable(), role: z.string() }),
  actions: z.array(z.object({ kind: z.string(), label: z.string(), detail: z.string(), href: z.string(), due: z.string().nullable() })),
  /** Tiles. Every figure names its window ("now", "last 30 days to 2026-11-20", "week of …"). */
  figures: z.array(
    z.object({
      label: z.string(),
      value: z.number(),
      unit: z.enum(['count', 'cents', 'percent']).default('count'),
      window: z.string(),
      href: z.string().nullable(),
    }),
  ),
  /** Short lists a module shows on the home page (my ideas, high-risk cashiers new this week…), with an optional action. */
  lists: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      window: z.string().nullable(),
      items: z.array(z.object({ label: z.string(), detail: z.string(), href: z.string(), badge: z.string().nullable() })),
      empty: z.string(),
      action: z.object({ label: z.string(), href: z.string() }).nullable(),
    }),
  ),
  departments: z.array(z.object({ name: z.string(), kind: z.string(), people: z.number() })),
  /** What others did lately, from the audit trail, in the person's scope (no sign-ins, no reads). */
  recent: z.array(z.object({ at: z.string(), summary: z.string(), actorName: z.string() })),
});
export type Home = z.infer<typeof homeSchema>;
export type HomeFigureInput = z.input<typeof homeSchema>['figures'][number];
