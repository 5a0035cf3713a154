import http from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningImport, startImport } from '../src/server/modules/pos/importer.js';
import { ROLE_EMAILS, SYSTEM_ACTOR, TEST_DB, seededApp, signIn, type TestApp } from './context.js';

// A slow or huge upload holds a temporary file, not the database: /healthz and lists answer at once
// while a client trickles a file in; bodies over the limit get 413 naming it; a silent sender 408.
// Imports beyond one per instance wait in a queue whose position the progress shows.

const HEADER = 'store,register,cashier_id,cashier_name,transaction,business_day,start,end,type,total,items,tender\n';
const ROW = 'NE-101,1,1001,Avery Garcia,1,2026-03-10,2026-03-10T09:00:00,,sale,25.00,2,card\n';

let t: TestApp;
let admin: string;
let base: string;
beforeAll(async () => {
  t = await seededApp({ posUpload: { maxBytes: 64 * 1024, idleSeconds: 2, tmpDir: '/tmp' } });
  admin = await signIn(t.app, ROLE_EMAILS.admin);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 180_000);
afterAll(async () => t?.close());

/** A POST whose body the test writes by hand; resolves with the status and body. */
function rawPost(path: string, headers: Record<string, string>) {
  const req = http.request(`${base}${path}`, { method: 'POST', headers: { cookie: admin, 'content-type': 'text/csv', ...headers } });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  return { req, response };
}

async function timedGet(path: string, cookie?: string) {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

const openTransactions = async () =>
  TEST_DB === 'postgres'
    ? Number((await t.ctx.database.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`)).rows[0].n)
    : 0;

describe('POS upload', () => {
  it('keeps /healthz and a signed-in list fast while a client sends a file at 1 byte/s, holding no database session', async () => {
    const { req, response } = rawPost('/api/pos/batches?filename=slow.csv', { 'transfer-encoding': 'chunked' });
    req.write(HEADER);
    const latencies: number[] = [];
    for (const byte of ROW.slice(0, 8)) {
      req.write(byte);
      await new Promise((r) => setTimeout(r, 500));
      const health = await timedGet('/healthz');
      const list = await timedGet('/api/people?limit=20', admin);
      expect([health.status, list.status]).toEqual([200, 200]);
      latencies.push(health.ms, list.ms);
      expect(await openTransactions()).toBe(0);
    }
    req.end(ROW.slice(8));
    const done = await response;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body)).toMatchObject({ status: 'succeeded', rowsRead: 1 });
    // Under 200 ms on an idle machine; the bound leaves room for a shared CI box, far below the
    // seconds an import holding the database made these requests wait.
    expect(Math.max(...latencies)).toBeLessThan(1000);
  }, 60_000);

  it('refuses a body over POS_UPLOAD_MAX_BYTES with 413 naming the limit, declared or streamed', async () => {
    const big = HEADER + ROW.repeat(1000);
    const declared = await t.app.inject({ method: 'POST', url: '/api/pos/batches', headers: { cookie: admin, 'content-type': 'text/csv' }, payload: big });
    expect(declared.statusCode).toBe(413);
    expect(declared.json().error.message).toMatch(/larger than the upload limit of 64 KB \(POS_UPLOAD_MAX_BYTES\)/);
    const { req, response } = rawPost('/api/pos/imports?wait=true', { 'transfer-encoding': 'chunked' });
    req.on('error', () => {});
    for (let i = 0; i < 100 && !req.destroyed; i++) req.write(ROW.repeat(20));
    req.end();
    const streamed = await response;
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.code).toBe('payload_too_large');
  });

  it('gives up on a sender that goes silent (408) and imports nothing', async () => {
    const before = Number((await t.ctx.database.query<{ n: number }>('select count(*)::int as n from pos_imports')).rows[0].n);
    const { req, response } = rawPost('/api/pos/batches', { 'transfer-encoding': 'chunked' });
    req.write(HEADER);
    const res = await response;
    req.destroy();
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body).error.message).toMatch(/nothing was received for 2 s/);
    expect(Number((await t.ctx.database.query<{ n: number }>('select count(*)::int as n from pos_imports')).rows[0].n)).toBe(before);
  }, 30_000);

  it('queues imports beyond one per instance and shows their position', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slowFile() {
      yield Buffer.from(HEADER);
      await gate;
      yield Buffer.from(ROW.replace(',1,2026', ',71,2026'));
    }
    const opts = { source: 'api' as const, format: 'csv' as const, filename: 'q.csv', skipInvalid: false, bytesTotal: null };
    const first = startImport(t.ctx, SYSTEM_ACTOR, slowFile(), opts);
    const second = startImport(t.ctx, SYSTEM_ACTOR, Readable.from([Buffer.from(HEADER + ROW.replace(',1,2026', ',72,2026'))]), opts);
    const third = startImport(t.ctx, SYSTEM_ACTOR, Readable.from([Buffer.from(HEADER + ROW.replace(',1,2026', ',73,2026'))]), opts);
    await new Promise((r) => setTimeout(r, 300));
    // What GET /api/pos/imports/:id answers for a live import (read here directly: on PGlite the
    // request's session check would wait for the running import's transaction).
    const get = async (id: string) => runningImport(id);
    expect(await get(first.id)).toMatchObject({ status: 'running', queuePosition: null });
    expect(await get(second.id)).toMatchObject({ status: 'queued', queuePosition: 1, message: 'Queued: waiting for the import in progress (position 1)' });
    expect(await get(third.id)).toMatchObject({ status: 'queued', queuePosition: 2, message: 'Queued: 1 more import before this one (position 2)' });
    release();
    const results = await Promise.all([first.done, second.done, third.done]);
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(Date.parse(results[1].startedAt)).toBeLessThanOrEqual(Date.parse(results[2].startedAt));
  }, 60_000);
});
