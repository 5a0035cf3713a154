import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { newsletterSettings } from './schema.js';

/**
 * Signed links for readers who are not signed in: `prefs` (unsubscribe, preferences, resubscribe;
 * never expires, so an old edition's link still works) and `confirm` (double opt-in; 7 days).
 * The key lives in the database (newsletter_settings), the same for every instance.
 */
export type TokenPurpose = 'prefs' | 'confirm';
const CONFIRM_DAYS = 7;

export async function settingsRow(db: DbOrTx) {
  const [row] = await db.select().from(newsletterSettings).where(eq(newsletterSettings.id, 1));
  if (row) return row;
  await db.insert(newsletterSettings).values({ id: 1, signingKey: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [created] = await db.select().from(newsletterSettings).where(eq(newsletterSettings.id, 1));
  return created!;
}

const mac = (key: string, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export async function signToken(db: DbOrTx, purpose: TokenPurpose, email: string): Promise<string> {
  const { signingKey } = await settingsRow(db);
  return signWithKey(signingKey, purpose, email);
}

export function signWithKey(key: string, purpose: TokenPurpose, email: string) {
  const body: { p: TokenPurpose; e: string; x?: number } = { p: purpose, e: email.toLowerCase() };
  if (purpose === 'confirm') body.x = Math.floor(Date.now() / 1000) + CONFIRM_DAYS * 86400;
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

const badLink = () => new AppError(400, 'invalid_link', 'This link is not valid (it may be cut short or changed); use the link from the newsletter again', [{ field: 'token', message: 'not a valid link' }]);

export async function verifyToken(db: DbOrTx, purpose: TokenPurpose, token: string): Promise<string> {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) throw badLink();
  const { signingKey } = await settingsRow(db);
  const expected = Buffer.from(mac(signingKey, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw badLink();
  let body: { p?: string; e?: string; x?: number };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw badLink();
  }
  if (body.p !== purpose || typeof body.e !== 'string') throw badLink();
  if (body.x !== undefined && body.x < Date.now() / 1000) {
    throw new AppError(400, 'link_expired', 'This confirmation link has expired; ask for a new one', [{ field: 'token', message: 'expired' }]);
  }
  return body.e;
}
