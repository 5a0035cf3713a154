import { z } from 'zod';

/** "My work": what needs this person, gathered from every module they use. */
export const homeSchema = z.object({
  greeting: z.string(),
  person: z.object({ name: z.string(), title: z.string(), departmentName: z.string().nullable(), storeName: z.string().nullable(), role: z.string() }),
  actions: z.array(z.object({ kind: z.string(), label: z.string(), detail: z.string(), href: z.string(), due: z.string().nullable() })),
  figures: z.array(z.object({ label: z.string(), value: z.number(), href: z.string().nullable() })),
  departments: z.array(z.object({ name: z.string(), kind: z.string(), people: z.number() })),
  recent: z.array(z.object({ at: z.string(), summary: z.string(), actorName: z.string() })),
});
export type Home = z.infer<typeof homeSchema>;
