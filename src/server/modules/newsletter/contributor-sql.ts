import type { SQL } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';

/** Rows of a hand-written query, for contributors (PGlite and node-postgres shape results differently). */
export async function rowsFor<T>(ctx: AppContext, query: SQL): Promise<T[]> {
  const result = (await ctx.db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
/** Minutes as "45 min", "3.5 h" or "2.1 days". */
export function fmtDuration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.round((minutes / 60) * 10) / 10} h`;
  return `${Math.round((minutes / 1440) * 10) / 10} days`;
}
