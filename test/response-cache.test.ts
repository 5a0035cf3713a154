import zlib from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ResponseCache } from '../src/server/platform/response-cache.js';
import { preferredEncoding } from '../src/server/platform/web.js';
import { seededApp, signIn, TEST_DB, type TestApp } from './context.js';

vi.setConfig({ hookTimeout: 300_000, testTimeout: 120_000 });

/**
 * Kept list answers (platform/response-cache.ts) are served only while the database is as it was:
 * a change through a route, behind the app's back, or (PostgreSQL) from another connection shows on
 * the very next request, and one person's answer never reaches another.
 */
let t: TestApp;
const cookie: Record<string, string> = {};
const ADMIN = 'dana.whitfield@meridian.example';
const STORE_LP = 'ricky.navarro@meridian.example'; // LP associate of NE-101
const LP_MEMBER = 'jamal.brooks@meridian.example';
const ORIGIN = { origin: 'http://localhost:3000' };

beforeAll(async () => {
  t = await seededApp({}, {}, { pos: true });
  for (const email of [ADMIN, STORE_LP, LP_MEMBER]) cookie[email] = await signIn(t.app, email);
});
afterAll(async () => t?.close());

const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookie[who] } });
const hits = () => t.app.responseCache!.hits;

/**
 * Asks for `url` twice and tells whether the second answer came from memory. On PostgreSQL a write
 * anywhere on the server (the other test files run beside this one) rightly makes the answer miss,
 * so there it tries a few times.
 */
async function servedFromMemory(who: string, url: string) {
  for (let attempt = 0; attempt < (TEST_DB === 'postgres' ? 20 : 1); attempt++) {
    const first = await get(who, url);
    const before = hits();
    const second = await get(who, url);
    expect(second.body).toBe(first.body);
    if (hits() === before + 1) return true;
  }
  return false;
}

describe('kept list answers', () => {
  it('serves the same answer again from memory while nothing changed', async () => {
    expect(await servedFromMemory(ADMIN, '/api/people?limit=5&sort=name')).toBe(true);
    // Another address is another answer.
    const before = hits();
    const other = await get(ADMIN, '/api/people?limit=6&sort=name');
    expect(other.json().items).toHaveLength(6);
    expect(hits()).toBe(before);
  });

  it('a kept answer is compressed as the caller accepts, the same bytes as a fresh one', async () => {
    const url = '/api/people?limit=20&sort=name';
    const fresh = await get(ADMIN, url);
    for (const encoding of ['br', 'gzip'] as const) {
      const before = hits();
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: cookie[ADMIN], 'accept-encoding': `${encoding}, identity;q=0.5` } });
      // (PostgreSQL: another test file's write may rightly have made it a fresh answer.)
      if (TEST_DB === 'pglite') expect(hits()).toBe(before + 1);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      const body = encoding === 'br' ? zlib.brotliDecompressSync(res.rawPayload) : zlib.gunzipSync(res.rawPayload);
      expect(body.toString()).toBe(fresh.body);
    }
    const identity = await t.app.inject({ method: 'GET', url, headers: { cookie: cookie[ADMIN], 'accept-encoding': 'br;q=0, gzip;q=0' } });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body).toBe(fresh.body);
  });

  // PGlite only: on PostgreSQL the other test files' writes change the server's snapshot between the requests.
  it.runIf(TEST_DB === 'pglite')('requests arriving while the answer is built wait for that one build', async () => {
    const url = '/api/requests?limit=50&sort=createdAt';
    const cache = t.app.responseCache!;
    const [hitsBefore, missesBefore] = [cache.hits, cache.misses];
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(ADMIN, url)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]!.statusCode).toBe(200);
    expect(cache.misses - missesBefore).toBe(1);
    expect(cache.hits - hitsBefore).toBe(7);
  });

  it('a change through a route shows on the next request', async () => {
    const url = '/api/people?limit=50&sort=name&q=jamal';
    const [jamal] = (await get(ADMIN, url)).json().items;
    await get(ADMIN, url);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/people/${jamal.id}`, headers: { cookie: cookie[ADMIN], ...ORIGIN }, payload: { title: 'Senior LP investigator' } });
    expect(patch.statusCode).toBe(200);
    expect((await get(ADMIN, url)).json().items[0].title).toBe('Senior LP investigator');
  });

  it('a change behind the app (plain SQL) shows on the next request', async () => {
    const url = '/api/ideas?limit=50';
    const page = (await get(ADMIN, url)).json();
    await get(ADMIN, url);
    const idea = page.items[0];
    await t.ctx.database.query('update ideas set title = $1 where id = $2', ['Renamed behind the app', idea.id]);
    const after = (await get(ADMIN, url)).json();
    expect(after.items.find((i: { id: string }) => i.id === idea.id).title).toBe('Renamed behind the app');
  });

  it("one person's answer never reaches another: a store's LP associate sees only their store", async () => {
    const url = '/api/pos/exceptions?limit=50&open=true&sort=occurredAt&order=desc';
    const admin = (await get(ADMIN, url)).json();
    await get(ADMIN, url);
    const store = (await get(STORE_LP, url)).json();
    expect(store.total).toBeGreaterThan(0);
    expect(store.total).toBeLessThan(admin.total);
    expect(new Set(store.items.map((e: { storeCode: string }) => e.storeCode))).toEqual(new Set(['NE-101']));
  });

  it('a changed scope is a different answer at once (stores of a person)', async () => {
    const url = '/api/pos/exceptions?limit=50&open=true';
    const before = (await get(STORE_LP, url)).json();
    await get(STORE_LP, url);
    // Attach the associate to headquarters instead of the store: the chain's exceptions.
    await t.ctx.database.query(`update people set store_id = null where email = $1`, [STORE_LP]);
    try {
      const after = (await get(STORE_LP, url)).json();
      expect(after.total).toBeGreaterThan(before.total);
    } finally {
      await t.ctx.database.query(`update people set store_id = (select id from stores where code = 'NE-101') where email = $1`, [STORE_LP]);
    }
    expect((await get(STORE_LP, url)).json().total).toBe(before.total);
  });

  it.runIf(TEST_DB === 'postgres')('PostgreSQL: a change committed by another connection (another instance) shows on the next request', async () => {
    const url = '/api/requests?limit=50';
    const page = (await get(ADMIN, url)).json();
    expect(await servedFromMemory(ADMIN, url)).toBe(true);
    const request = page.items[0];
    const other = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    await other.connect();
    try {
      await other.query('update requests set title = $1 where id = $2', ['Changed by another instance', request.id]);
    } finally {
      await other.end();
    }
    const after = (await get(ADMIN, url)).json();
    expect(after.items.find((r: { id: string }) => r.id === request.id).title).toBe('Changed by another instance');
  });
});

describe('preferredEncoding', () => {
  it('chooses as the compression plugin does', () => {
    expect(preferredEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(preferredEncoding('gzip')).toBe('gzip');
    expect(preferredEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(preferredEncoding('identity')).toBeUndefined();
    expect(preferredEncoding(undefined)).toBeUndefined();
    expect(preferredEncoding('*')).toBe('br');
  });
});

describe('ResponseCache', () => {
  const entry = (payload: string, until: number, version = 'v1') => ({ version, until, body: Buffer.from(payload), encoded: {}, contentType: 'application/json' });
  it('expires entries and drops those of another version', () => {
    const cache = new ResponseCache();
    cache.set('a', entry('{"a":1}', 1000));
    expect(cache.get('a', 'v1', 999)?.body.toString()).toBe('{"a":1}');
    expect(cache.get('a', 'v1', 1000)).toBeUndefined();
    cache.set('b', entry('{"b":1}', 5000));
    expect(cache.get('b', 'v2', 10)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
