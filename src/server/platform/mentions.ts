import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { people } from '../modules/people/schema.js';
import type { DbOrTx } from './db.js';

/**
 * People named in a comment: `@rachel.okafor` (the email's local part) or `@Rachel Okafor`
 * (the full name, one to three words). Only active people are resolved. Shared by every module
 * whose comments mention people (ideas, requests, …).
 */
export async function resolveMentions(tx: DbOrTx, body: string) {
  const candidates = new Set<string>();
  for (const m of body.matchAll(/@([\p{L}\p{N}._'’-]+(?:[ \t]+[\p{L}\p{N}'’-]+){0,2})/gu)) {
    const words = m[1].split(/[ \t]+/);
    for (let n = 1; n <= words.length; n++) candidates.add(words.slice(0, n).join(' ').replace(/[.'’-]+$/, '').toLowerCase());
  }
  if (!candidates.size) return [];
  const list = [...candidates];
  return tx
    .select({ id: people.id, name: people.name, email: people.email, role: people.role })
    .from(people)
    .where(and(eq(people.active, true), or(inArray(sql`lower(${people.name})`, list), inArray(sql`lower(split_part(${people.email}, '@', 1))`, list))));
}
