import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from './context.js';
import { actorFromIdentity, identityColumns, type IdentityRow } from './identity.js';
import { departments, people } from './identity-schema.js';
import type { Actor } from './policy.js';
import { sessions } from './schema.js';

/**
 * The session behind a request's cookie, and the person it belongs to, in one prepared query
 * (a named statement on PostgreSQL). It reads the same cookie and rows as the auth library's
 * getSession and decides the same way: a cookie whose signature does not verify is no session,
 * an unknown or expired token is no session (the library is asked to clean an expired one up),
 * and a session due for its daily refresh is handed to the library, which extends it. An inactive
 * person has no session.
 */

interface AuthFacts {
  cookieName: string;
  secret: string;
  expiresInMs: number;
  updateAgeMs: number;
}

const facts = new WeakMap<AppContext, Promise<AuthFacts>>();

function authFacts(ctx: AppContext): Promise<AuthFacts> {
  let f = facts.get(ctx);
  if (!f) {
    f = ctx.auth.$context.then((c) => ({
      cookieName: c.authCookies.sessionToken.name,
      secret: c.secret,
      expiresInMs: c.sessionConfig.expiresIn * 1000,
      updateAgeMs: c.sessionConfig.updateAge * 1000,
    }));
    facts.set(ctx, f);
  }
  return f;
}

/** The value of one cookie in a Cookie header (URL-decoded), or undefined. */
export function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The session token of a signed cookie value (`token.signature`, the signature a base64
 * HMAC-SHA256 of the token with the auth secret, as the auth library writes it), or undefined
 * when the signature does not verify.
 */
export function verifiedToken(value: string, secret: string): string | undefined {
  // A browser sends the same cookie on every request: its check is remembered per secret and value
  // (an HMAC per request was 3 % of a kept list answer's CPU). Only verified values are kept.
  let known = verifiedCookies.get(secret);
  if (!known) verifiedCookies.set(secret, (known = new Map()));
  const remembered = known.get(value);
  if (remembered) return remembered;
  const token = checkSignature(value, secret);
  if (token) {
    if (known.size >= VERIFIED_MAX) known.clear();
    known.set(value, token);
  }
  return token;
}
const verifiedCookies = new Map<string, Map<string, string>>();
const VERIFIED_MAX = 10_000;

function checkSignature(value: string, secret: string): string | undefined {
  const dot = value.lastIndexOf('.');
  if (dot < 1) return undefined;
  const token = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith('=')) return undefined;
  const expected = createHmac('sha256', secret).update(token).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : undefined;
}

function prepareLookup(ctx: AppContext) {
  return ctx.db
    // The database's snapshot comes along: PostgreSQL's list answers are kept per snapshot (response-cache.ts).
    .select({ sessionExpiresAt: sessions.expiresAt, ...identityColumns, snapshot: sql<string>`pg_current_snapshot()::text` })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.userId))
    .leftJoin(departments, eq(departments.id, people.departmentId))
    .where(eq(sessions.token, sql.placeholder('token')))
    .prepare('tandem_session_actor');
}
const lookups = new WeakMap<AppContext, ReturnType<typeof prepareLookup>>();

/** The signed-in person behind a Cookie header, with the session's end, or undefined. */
export async function sessionActor(ctx: AppContext, cookieHeader: string): Promise<{ actor: Actor; expiresAt: number; snapshot: string } | undefined> {
  const f = await authFacts(ctx);
  const value = cookieValue(cookieHeader, f.cookieName);
  if (!value) return undefined;
  const token = verifiedToken(value, f.secret);
  if (!token) return undefined;
  let lookup = lookups.get(ctx);
  if (!lookup) {
    lookup = prepareLookup(ctx);
    lookups.set(ctx, lookup);
  }
  const [row] = await lookup.execute({ token });
  if (!row) return undefined;
  const now = Date.now();
  const expiresAt = new Date(row.sessionExpiresAt).getTime();
  if (expiresAt <= now || expiresAt - f.expiresInMs + f.updateAgeMs <= now) {
    // Expired (the library deletes it) or due for its refresh (the library extends it): rare, so
    // the library's own path decides, as before.
    const headers = new Headers();
    headers.set('cookie', cookieHeader);
    const result = await ctx.auth.api.getSession({ headers, query: { disableRefresh: false } });
    if (!result) return undefined;
  }
  if (!row.active) return undefined;
  return { actor: actorFromIdentity(row as IdentityRow, 'session'), expiresAt: Math.max(expiresAt, now), snapshot: row.snapshot };
}
