import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from './context.js';
import { COMPRESSION, compressAnswer, preferredEncoding } from './web.js';

/**
 * Answers of the main lists kept in memory for a moment (docs/decisions.md, "List answers kept for a
 * moment"). A list page is asked for again and again (Back, a refresh, a colleague's shared link, the
 * app refetching on focus); while nothing in the database has changed, the same person asking for the
 * same address gets the same bytes without the queries, the presenter and the serialiser.
 *
 * An answer is served only while the database is exactly as it was when the answer was built:
 * - embedded PGlite (one process owns the data folder): every statement that may write, and every
 *   transaction, moves a write generation before and after it runs (`Database.writeGeneration`); an
 *   answer carries the generation it was built under, and one built while a write ran is never kept;
 * - PostgreSQL (several instances may share the database): the session lookup, the one query every
 *   request runs anyway, also returns the database's current snapshot (`pg_current_snapshot()`); an
 *   answer is served only when the snapshot is the same as when it was built, that is when no
 *   transaction anywhere has taken a transaction id since — whichever instance made the change.
 * Either way any change to any table makes every kept answer miss. Answers also expire after
 * RESPONSE_CACHE_MS (default 1 s), so figures that depend on the clock (overdue, SLA clocks) are at
 * most that old. Keys hold the person, everything that decides their access (role, department,
 * stores, module access) and the address with its query string; only session-cookie requests are
 * kept (API tokens carry scopes of their own).
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET whose 200 answer depends only on the signed-in person, the address and the database (and the clock, for RESPONSE_CACHE_MS at most). */
    responseCache?: boolean;
  }
  interface FastifyRequest {
    /** PostgreSQL: the snapshot the session lookup saw (response-cache.ts). */
    dataSnapshot?: string;
    responseCacheBuild?: { key: string; version: string; finish: (entry: Entry | undefined) => void };
  }
}

const configured = Number(process.env.RESPONSE_CACHE_MS);
/** How long a kept answer may be served; RESPONSE_CACHE_MS may change it (0 turns the cache off), never above 5 s. */
export const RESPONSE_CACHE_MS = Number.isFinite(configured) && configured >= 0 ? Math.min(configured, 5000) : 1000;
const MAX_BYTES = 32 * 1024 * 1024;

interface Entry {
  version: string;
  until: number;
  /** The answer as the route sent it (UTF-8), and its compressed forms once asked for. */
  body: Buffer;
  encoded: Partial<Record<'br' | 'gzip', Buffer>>;
  contentType: string;
}

function entrySize(entry: Entry) {
  return entry.body.length + (entry.encoded.br?.length ?? 0) + (entry.encoded.gzip?.length ?? 0);
}

export class ResponseCache {
  private entries = new Map<string, Entry>();
  /** Answers being built, by key: requests for the same key and version wait for the one build. */
  private building = new Map<string, { version: string; result: Promise<Entry | undefined> }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  get(key: string, version: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || entry.until <= now) {
      this.delete(key, entry);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: Entry) {
    const old = this.entries.get(key);
    if (old) this.delete(key, old);
    this.entries.set(key, entry);
    this.bytes += entrySize(entry);
    // Oldest first (a Map keeps insertion order).
    for (const [k, e] of this.entries) {
      if (this.bytes <= MAX_BYTES) break;
      this.delete(k, e);
    }
  }

  /** The entry's body in an encoding, compressed once and then kept with it. */
  encoded(key: string, entry: Entry, encoding: 'br' | 'gzip'): Buffer {
    let body = entry.encoded[encoding];
    if (!body) {
      body = compressAnswer(entry.body, encoding);
      entry.encoded[encoding] = body;
      // Kept entries only: one already dropped is not counted any more.
      if (this.entries.get(key) === entry) this.bytes += body.length;
    }
    return body;
  }

  /** The build of this key and version already under way, if any. */
  pending(key: string, version: string): Promise<Entry | undefined> | undefined {
    const build = this.building.get(key);
    return build?.version === version ? build.result : undefined;
  }

  /** Registers a build; call the returned function once with its entry (or undefined: not kept). */
  startBuild(key: string, version: string): (entry: Entry | undefined) => void {
    let resolve!: (entry: Entry | undefined) => void;
    const result = new Promise<Entry | undefined>((r) => (resolve = r));
    const build = { version, result };
    this.building.set(key, build);
    return (entry) => {
      if (this.building.get(key) === build) this.building.delete(key);
      resolve(entry);
    };
  }

  clear() {
    this.entries.clear();
    this.bytes = 0;
  }

  get size() {
    return this.entries.size;
  }

  private delete(key: string, entry: Entry) {
    this.entries.delete(key);
    this.bytes -= entrySize(entry);
  }
}

/** The database state an answer is valid for, or undefined when it cannot be told (nothing is kept then). */
function dataVersion(ctx: AppContext, request: FastifyRequest): string | undefined {
  const generation = ctx.database.writeGeneration?.();
  if (generation !== undefined) return `g${generation}`;
  return request.dataSnapshot;
}

function cacheKey(request: FastifyRequest): string | undefined {
  const actor = request.actor;
  if (!actor || actor.via !== 'session') return undefined;
  const { ip: _ip, ...who } = actor;
  return `${JSON.stringify(who)}\n${request.url}`;
}

/**
 * Registers the hooks. Call before compression is registered, so the answer is kept as the JSON text
 * the route produced and compressed per request for the encoding each caller accepts.
 */
export function registerResponseCache(app: FastifyInstance, ctx: AppContext): ResponseCache | undefined {
  if (RESPONSE_CACHE_MS <= 0) return undefined;
  const cache = new ResponseCache();
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' || !request.routeOptions.config?.responseCache) return;
    const key = cacheKey(request);
    const version = key && dataVersion(ctx, request);
    if (!key || !version) return;
    // The same answer being built right now (the one request after a change or an expiry, with
    // others arriving meanwhile): wait for it rather than run the same queries side by side.
    // (No await unless there is a build to wait for: the miss must register its build before any
    // other request's hook runs.)
    let hit = cache.get(key, version, Date.now());
    const pending = hit ? undefined : cache.pending(key, version);
    if (pending) hit = await pending;
    if (hit) {
      cache.hits++;
      reply.header('content-type', hit.contentType);
      // Compressed once per kept answer and encoding, not per request (the compression plugin
      // leaves an answer alone once it names its encoding).
      const encoding = hit.body.length >= COMPRESSION.threshold ? preferredEncoding(request.headers['accept-encoding']) : undefined;
      if (!encoding) return reply.send(hit.body);
      return reply.header('vary', 'accept-encoding').header('content-encoding', encoding).send(cache.encoded(key, hit, encoding));
    }
    cache.misses++;
    request.responseCacheBuild = { key, version, finish: cache.startBuild(key, version) };
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const build = request.responseCacheBuild;
    if (!build) return payload;
    request.responseCacheBuild = undefined;
    // Built while something wrote: the answer may hold part of the change, so it is not kept.
    if (reply.statusCode !== 200 || typeof payload !== 'string' || dataVersion(ctx, request) !== build.version) {
      build.finish(undefined);
      return payload;
    }
    const entry: Entry = { version: build.version, until: Date.now() + RESPONSE_CACHE_MS, body: Buffer.from(payload), encoded: {}, contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8') };
    cache.set(build.key, entry);
    build.finish(entry);
    return payload;
  });
  // A build that ended without an answer to keep (an error, a closed connection) releases its waiters.
  app.addHook('onResponse', async (request) => {
    request.responseCacheBuild?.finish(undefined);
    request.responseCacheBuild = undefined;
  });
  app.addHook('onRequestAbort', async (request) => {
    request.responseCacheBuild?.finish(undefined);
    request.responseCacheBuild = undefined;
  });
  return cache;
}
