import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { CLIENT_IP_HEADER, hashSecret } from './auth.js';
import type { AppContext } from './context.js';
import { unauthorized } from './errors.js';
import { actorFromIdentity, identityColumns, resolveActor } from './identity.js';
import { departments, people } from './identity-schema.js';
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

async function actorFromSession(ctx: AppContext, request: FastifyRequest): Promise<Actor | undefined> {
  if (!request.headers.cookie) return undefined;
  const headers = new Headers();
  headers.set('cookie', request.headers.cookie);
  const result = await ctx.auth.api.getSession({ headers, query: { disableRefresh: false } });
  if (!result) return undefined;
  // One query per request: the person, their department and its module access (the Actor is the request's cache).
  return resolveActor(ctx.db, result.user.id, 'session', { ip: request.ip });
}

/**
 * The auth hook on /api: finds who is calling (API token in `Authorization: Bearer`, else the
 * session cookie) and refuses anonymous calls except on routes marked public.
 */
export async function registerHttpAuth(app: FastifyInstance, ctx: AppContext) {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    config: { public: true },
    schema: { hide: true },
    async handler(request, reply) {
      const response = await ctx.auth.handler(toWebRequest(request, ctx.config.publicUrl));
      return sendWebResponse(reply, response);
    },
  });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
    const authorization = request.headers.authorization;
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
