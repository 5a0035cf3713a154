import { z } from 'zod';

/** One entry per problem: a field of a form, or a line (and field) of an imported file. */
export const problemSchema = z.object({
  field: z.string().optional(),
  line: z.number().int().optional(),
  /** Where in an imported file, when a line number says little (a POSLog transaction's position). */
  record: z.string().optional(),
  message: z.string(),
});
export type Problem = z.infer<typeof problemSchema>;

/** The single error shape of every API response with a 4xx or 5xx status. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    problems: z.array(problemSchema).optional(),
    total: z.number().int().optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
