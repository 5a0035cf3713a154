import { z } from 'zod';

type Undefaulted<S> = S extends z.ZodDefault<infer Inner> ? Inner : S;
export type PatchShape<T extends z.ZodRawShape> = { [K in keyof T]: z.ZodOptional<Undefaulted<T[K]>> };

/**
 * The patch schema of an input schema: every field optional and WITHOUT its default. Zod's
 * `.partial()` keeps defaults, so a patch naming only `name` would also reset every defaulted field
 * (a description to "", a person's store to headquarters). A patch changes only what it names.
 */
export function patchOf<T extends z.ZodRawShape>(schema: z.ZodObject<T>): z.ZodObject<PatchShape<T>> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional()]),
  );
  return z.object(shape) as unknown as z.ZodObject<PatchShape<T>>;
}
