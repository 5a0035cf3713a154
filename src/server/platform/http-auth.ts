import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { CLIENT_IP_HEADER, allowedAuthRoutes, hashSecret } from './auth.js';
import type { AppContext } from './context.js';
import { AppError, unauthorized } from './errors.js';
import { actorFromIdentity, identityColumns } from './identity.js';
import { sessionActor } from './session-lookup.js';
import { departments, people } from './identity-schema.js';
import { countInWindow, resetCount } from './rate-limit.js';
import type { Actor } from './policy.js';
import { apiTokens } from './schema.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a signed-in person (sign-in pages, invitations). */
    public?: boolean;
  }
}

/** Converts a Fastify request into the Web Request the auth library handles. */
function toWebRequest(request: FastifyRequest, publicUrl: string): Request {
  const url = new URL(request.url, publicUrl);
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value === undefined || key === CLIENT_IP_HEADER) continue;
    headers.set(key, Array.isArray(value) ? value.join(', ') : String(value));
  }
  // The client's address as Fastify resolved it (honouring trustProxy), never a client-sent header.
  headers.set(CLIENT_IP_HEADER, request.ip);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== undefined;
  return new Request(url, {
    method: request.method,
    headers,
    body: hasBody ? (typeof request.body === 'string' ? request.body : JSON.stringify(request.body)) : undefined,
  });
}

async function sendWebResponse(reply: FastifyReply, response: Response) {
  reply.status(response.status);
  response.headers.forEach((value, key) => {
    if (key === 'set-cookie') return;
    reply.header(key, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) reply.header('set-cookie', cookies);
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  return reply.send(body);
}

async function actorFromToken(ctx: AppContext, token: string, ip: string): Promise<Actor | undefined> {
  const now = new Date();
  const [row] = await ctx.db
    .select({ tokenId: apiTokens.id, scope: apiTokens.scope, lastUsedAt: apiTokens.lastUsedAt, ...identityColumns })
    .from(apiTokens)
    .innerJoin(people, eq(people.id, apiTokens.personId))
    .leftJoin(departments, eq(departments.id, people.departmentId))
    .where(and(eq(apiTokens.tokenHash, hashSecret(token)), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)), eq(people.active, true)));
  if (!row) return undefined;
  // Record use at most once a minute: a busy integration should not write on every request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await ctx.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  return actorFromIdentity(row, 'token', { tokenScope: row.scope as Actor['tokenScope'], ip });
}

/**
 * Session lookups. Every request's cookie is looked up with one prepared query (session, person,
 * department and module access: platform/session-lookup.ts). On the embedded database (one process
 * owns it: its data folder is locked) the answer is also kept in memory for up to ACTOR_CACHE_MS,
 * and forgotten the moment anything changes who someone is (docs/decisions.md, "Session lookups"):
 * - a trigger on sessions, people, departments, department_module_access and stores notifies
 *   'tandem_identity' (migration 0023); the embedded engine delivers it before the writing
 *   statement (or its COMMIT) returns, so no request after a change finds the old answer, whoever
 *   made the change (a route, a job, the auth library, plain SQL);
 * - every state-changing request answered here empties the cache too, as it is answered;
 * - a lookup that started before a change is never stored (the generation moved on);
 * - the key is the whole cookie header, and an entry never outlives its session.
 * On PostgreSQL another instance may make the change, and its notification arrives a moment after
 * the commit: there every request runs the one query, so a change applies on the next request
 * whichever instance answers it.
 */
// SESSION_CACHE_MS may shorten it (0 turns the cache off, e.g. to measure it); never above 1 s.
const configuredCacheMs = Number(process.env.SESSION_CACHE_MS);
export const ACTOR_CACHE_MS = Number.isFinite(configuredCacheMs) && configuredCacheMs >= 0 ? Math.min(configuredCacheMs, 1000) : 1000;
const ACTOR_CACHE_MAX = 10_000;

interface ActorCache {
  entries: Map<string, { actor: Actor; until: number }>;
  generation: number;
}
const actorCaches = new Set<ActorCache>();

/** Forgets every cached session (called after each state-changing request and on every identity change). */
export function clearActorCache(cache?: ActorCache) {
  for (const c of cache ? [cache] : actorCaches) {
    c.generation++;
    c.entries.clear();
  }
}

/** The in-memory cache of one app on the embedded database, emptied by every identity change; undefined on PostgreSQL. */
async function openActorCache(ctx: AppContext): Promise<{ cache?: ActorCache; close: () => Promise<void> }> {
  if (ctx.database.kind !== 'pglite' || ACTOR_CACHE_MS <= 0) return { close: async () => {} };
  const cache: ActorCache = { entries: new Map(), generation: 0 };
  const unlisten = await ctx.database.listen('tandem_identity', () => clearActorCache(cache));
  actorCaches.add(cache);
  return {
    cache,
    close: async () => {
      actorCaches.delete(cache);
      await unlisten().catch(() => {});
    },
  };
}

async function actorFromSession(ctx: AppContext, cache: ActorCache | undefined, request: FastifyRequest): Promise<Actor | undefined> {
  const cookie = request.headers.cookie;
  if (!cookie) return undefined;
  const now = Date.now();
  const hit = cache?.entries.get(cookie);
  if (hit && hit.until > now) return { ...hit.actor, ip: request.ip };
  const generation = cache?.generation;
  const found = await sessionActor(ctx, cookie);
  if (!found) return undefined;
  request.dataSnapshot = found.snapshot;
  if (cache && generation === cache.generation) {
    if (cache.entries.size >= ACTOR_CACHE_MAX) cache.entries.clear();
    // The session's own end counts too: never serve it from the cache past its expiry.
    cache.entries.set(cookie, { actor: found.actor, until: Math.min(now + ACTOR_CACHE_MS, found.expiresAt) });
  }
  return { ...found.actor, ip: request.ip };
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request forgery: a state-changing request that carries the session cookie must come
 * from Tandem's own pages. Browsers say where a request comes from: `Sec-Fetch-Site` (all current
 * browsers) and `Origin` (sent on every cross-origin POST since 2020). Allowed: Sec-Fetch-Site
 * `same-origin` or `none` (typed by the person); without it, an Origin equal to PUBLIC_URL's. A
 * request with neither header is not from a browser (curl, an integration) and cannot ride on a
 * victim's cookie, so it passes — the rule of Go's net/http CrossOriginProtection.
 */
export function crossSiteProblem(headers: FastifyRequest['headers'], publicOrigin: string): string | undefined {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') {
    return site === 'same-origin' || site === 'none' ? undefined : `Sec-Fetch-Site is ${site}`;
  }
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  return origin === publicOrigin ? undefined : `Origin ${String(origin).slice(0, 100)} is not ${publicOrigin}`;
}

/** Sign-in answers for an account that has had too many wrong passwords: generic, whoever asks. */
async function accountLocked(ctx: AppContext, key: string) {
  const { max, windowSeconds } = ctx.config.loginAccountLimit;
  const { count, retryAfterSeconds } = await countInWindow(ctx.db, key, windowSeconds, 0);
  return count >= max ? retryAfterSeconds : undefined;
}

/**
 * The auth hook on /api: finds who is calling (API token in `Authorization: Bearer`, else the
 * session cookie) and refuses anonymous calls except on routes marked public.
 */
export async function registerHttpAuth(app: FastifyInstance, ctx: AppContext) {
  const authRoutes = allowedAuthRoutes(ctx.config);
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    config: { public: true },
    schema: { hide: true },
    async handler(request, reply) {
      const route = `${request.method} ${request.url.slice('/api/auth'.length).split('?')[0]}`;
      if (!authRoutes.has(route)) {
        return reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
      }
      // Per account as well as per address (the library's limit): wrong passwords for one
      // account lock that account for a while, not the colleagues behind the same address.
      let accountKey: string | undefined;
      if (route === 'POST /sign-in/email') {
        const email = (request.body as { email?: unknown } | undefined)?.email;
        if (typeof email === 'string') {
          accountKey = `login-account:${email.trim().toLowerCase().slice(0, 320)}`;
          const wait = await accountLocked(ctx, accountKey);
          if (wait) {
            return reply
              .status(429)
              .header('retry-after', String(wait))
              .send({ code: 'TOO_MANY_ATTEMPTS', message: `Too many sign-in attempts for this account. Wait about ${Math.ceil(wait / 60)} min, or reset your password.` });
          }
        }
      }
      const response = await ctx.auth.handler(toWebRequest(request, ctx.config.publicUrl));
      if (accountKey && response.status === 401) await countInWindow(ctx.db, accountKey, ctx.config.loginAccountLimit.windowSeconds);
      else if (accountKey && response.status === 200) await resetCount(ctx.db, accountKey);
      return sendWebResponse(reply, response);
    },
  });

  // Any change may alter who someone is (role, department, stores, access, active) or end a session.
  // Cleared as the change is answered and once more when the response has gone (a lookup racing
  // the change is not stored: see clearActorCache).
  const { cache, close } = await openActorCache(ctx);
  app.addHook('onClose', close);
  app.addHook('onSend', async (request, _reply, payload) => {
    if (cache && STATE_CHANGING.has(request.method)) clearActorCache(cache);
    return payload;
  });
  app.addHook('onResponse', async (request) => {
    if (cache && STATE_CHANGING.has(request.method)) clearActorCache(cache);
  });

  const publicOrigin = new URL(ctx.config.publicUrl).origin;
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
    const authorization = request.headers.authorization;
    // Before anything is parsed or done. Bearer requests carry no cookie: nothing to forge.
    // The identity provider posts the sign-in answer cross-site; state and PKCE protect that one.
    if (STATE_CHANGING.has(request.method) && !authorization?.startsWith('Bearer ') && !request.url.startsWith('/api/auth/callback/')) {
      const problem = crossSiteProblem(request.headers, publicOrigin);
      if (problem) throw new AppError(403, 'cross_site', `Refused a cross-site request (${problem}); use Tandem's own pages or an API token`);
    }
    if (authorization?.startsWith('Bearer ')) {
      request.actor = await actorFromToken(ctx, authorization.slice(7).trim(), request.ip);
      // A wrong token is an error even on public routes: the integration must be told.
      if (!request.actor) throw unauthorized();
      return;
    }
    if (request.routeOptions.config?.public && request.url.startsWith('/api/auth/')) return;
    request.actor = await actorFromSession(ctx, cache, request);
    if (!request.actor && !request.routeOptions.config?.public) throw unauthorized();
  });
}
