import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { CLIENT_IP_HEADER, allowedAuthRoutes, hashSecret } from './auth.js';
import type { AppContext } from './context.js';
import { AppError, unauthorized } from './errors.js';
import { actorFromIdentity, identityColumns, resolveActor } from './identity.js';
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
 * A short cache of session → Actor, so a burst of requests from one browser (a page loads several
 * lists at once; 50 per second at peak) does not verify the cookie and resolve the identity for
 * each. Safe by construction (docs/decisions.md, "Session cache"):
 * - an entry lives ACTOR_CACHE_MS (1 s) at most: a change made elsewhere (another instance, the
 *   CLI, a job) takes effect within a second;
 * - every state-changing request answered by this instance (sign-out, a role, department, store or
 *   module-access change, deactivation, a password change) empties the cache as it completes, and
 *   a lookup that started before such a change is never stored (the generation moved on), so here
 *   the change takes effect on the very next request;
 * - the key is the whole cookie header: a different or missing session cookie is a different entry.
 */
// SESSION_CACHE_MS may shorten it (0 turns the cache off, e.g. to measure it); never above 1 s.
const configuredCacheMs = Number(process.env.SESSION_CACHE_MS);
export const ACTOR_CACHE_MS = Number.isFinite(configuredCacheMs) && configuredCacheMs >= 0 ? Math.min(configuredCacheMs, 1000) : 1000;
const ACTOR_CACHE_MAX = 10_000;
const actorCache = new Map<string, { actor: Actor; until: number }>();
let actorGeneration = 0;

/** Forgets every cached session (called after each state-changing request and by tests). */
export function clearActorCache() {
  actorGeneration++;
  actorCache.clear();
}

async function actorFromSession(ctx: AppContext, request: FastifyRequest): Promise<Actor | undefined> {
  const cookie = request.headers.cookie;
  if (!cookie) return undefined;
  const now = Date.now();
  const hit = ACTOR_CACHE_MS > 0 ? actorCache.get(cookie) : undefined;
  if (hit && hit.until > now) return { ...hit.actor, ip: request.ip };
  const generation = actorGeneration;
  const headers = new Headers();
  headers.set('cookie', cookie);
  const result = await ctx.auth.api.getSession({ headers, query: { disableRefresh: false } });
  if (!result) return undefined;
  // One query: the person, their department and its module access.
  const actor = await resolveActor(ctx.db, result.user.id, 'session');
  if (!actor) return undefined;
  // The session's own end counts too: never serve it from the cache past its expiry.
  const until = Math.min(now + ACTOR_CACHE_MS, new Date(result.session.expiresAt).getTime());
  if (ACTOR_CACHE_MS > 0 && generation === actorGeneration) {
    if (actorCache.size >= ACTOR_CACHE_MAX) actorCache.clear();
    actorCache.set(cookie, { actor, until });
  }
  return { ...actor, ip: request.ip };
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
  app.addHook('onSend', async (request, _reply, payload) => {
    if (STATE_CHANGING.has(request.method)) clearActorCache();
    return payload;
  });
  app.addHook('onResponse', async (request) => {
    if (STATE_CHANGING.has(request.method)) clearActorCache();
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
    request.actor = await actorFromSession(ctx, request);
    if (!request.actor && !request.routeOptions.config?.public) throw unauthorized();
  });
}
