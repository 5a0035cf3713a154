// `npm run bench -- upload`: what a slow or huge POS upload costs everyone else. /healthz and a
// signed-in list (GET /api/people) are timed while a client sends at 1 byte/s and while one sends
// 500 MB of random bytes, as ratios to the same requests with no upload running (measured first,
// in the same run); then the time to refuse a file whose second line is 40 MB without a break.
// Embedded PGlite (the case where one held session stalls everything), demo workspace.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { ROLE_EMAILS, seededApp, signIn } from '../test/context.js';
import { machine } from './lib/format.js';

const HEADER = 'store,register,cashier_id,cashier_name,transaction,business_day,start,end,type,total,items,tender\n';
const SLOW_SECONDS = Number(process.env.BENCH_SLOW_SECONDS) || 10;
const HUGE_BYTES = (Number(process.env.BENCH_UPLOAD_MB) || 500) * 1024 * 1024;

interface Sample { health: number[]; list: number[] }
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function runUploadBench(): Promise<number> {
  const t = await seededApp({ posUpload: { maxBytes: HUGE_BYTES + 1024 * 1024, idleSeconds: 30, tmpDir: os.tmpdir() } }, { LOG_LEVEL: 'silent' });
  try {
    const cookie = await signIn(t.app, ROLE_EMAILS.admin);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const timed = async (path: string, headers: Record<string, string> = {}) => {
      const started = performance.now();
      const res = await fetch(`${base}${path}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      return performance.now() - started;
    };
    const sample = async (into: Sample) => {
      into.health.push(await timed('/healthz'));
      into.list.push(await timed('/api/people?limit=20', { cookie }));
    };
    const post = (path: string) => {
      const req = http.request(`${base}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' } });
      const done = new Promise<{ status: number; body: string; at: number }>((resolve, reject) => {
        req.on('response', (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, at: performance.now() }));
        });
        req.on('error', reject);
      });
      return { req, done };
    };

    // Reference: no upload running.
    const idle: Sample = { health: [], list: [] };
    for (let i = 0; i < 5; i++) await sample({ health: [], list: [] });
    for (let i = 0; i < 30; i++) await sample(idle);

    // 1 byte/s.
    const slow: Sample = { health: [], list: [] };
    {
      const { req, done } = post('/api/pos/batches?filename=slow.csv');
      req.write(HEADER);
      const line = 'NE-101,1,1001,Avery Garcia,1,2026-03-10,2026-03-10T09:00:00,,sale,25.00,2,card\n';
      for (let s = 0; s < SLOW_SECONDS; s++) {
        req.write(line[s % line.length]);
        const tick = performance.now();
        while (performance.now() - tick < 1000) {
          await sample(slow);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      req.destroy();
      await done.catch(() => undefined);
    }

    // 500 MB of random bytes, sent as fast as the server takes them.
    const huge: Sample = { health: [], list: [] };
    let hugeSeconds = 0;
    let hugeStatus = 0;
    {
      const pool = randomBytes(16 * 1024 * 1024);
      const { req, done } = post('/api/pos/batches?filename=random.csv');
      const started = performance.now();
      let sending = true;
      const sender = (async () => {
        for (let sent = 0; sent < HUGE_BYTES; sent += 1024 * 1024) {
          const off = (sent % pool.length);
          if (!req.write(pool.subarray(off, off + 1024 * 1024))) await new Promise((r) => req.once('drain', r));
        }
        req.end();
        sending = false;
      })();
      while (sending) {
        await sample(huge);
        await new Promise((r) => setTimeout(r, 100));
      }
      await sender;
      const res = await done;
      hugeStatus = res.status;
      hugeSeconds = (res.at - started) / 1000;
    }

    // A 40 MB line: from the first byte sent to the refusal.
    let refuseMs = 0;
    let refuseStatus = 0;
    {
      const block = Buffer.alloc(1024 * 1024, 65);
      const { req, done } = post('/api/pos/batches?filename=long-line.csv');
      req.on('error', () => {});
      const started = performance.now();
      req.write(HEADER);
      for (let i = 0; i < 40; i++) if (!req.write(block)) await new Promise((r) => req.once('drain', r));
      req.end();
      const res = await done;
      refuseStatus = res.status;
      refuseMs = res.at - started;
    }

    const h0 = pct(idle.health, 50);
    const l0 = pct(idle.list, 50);
    const row = (label: string, s: Sample) =>
      `  ${label.padEnd(26)} /healthz p50 ${ms(pct(s.health, 50)).padStart(9)} max ${ms(Math.max(...s.health)).padStart(9)} (p50 ×${(pct(s.health, 50) / h0).toFixed(2)})   list p50 ${ms(pct(s.list, 50)).padStart(9)} max ${ms(Math.max(...s.list)).padStart(9)} (p50 ×${(pct(s.list, 50) / l0).toFixed(2)})   n=${s.health.length}`;
    console.log(`\nPOS upload bench (${machine()}, embedded PGlite, demo workspace)`);
    console.log(row('no upload (reference)', idle));
    console.log(row(`1 byte/s upload (${SLOW_SECONDS} s)`, slow));
    console.log(row(`${HUGE_BYTES / 1024 / 1024} MB random upload`, huge));
    console.log(`  ${HUGE_BYTES / 1024 / 1024} MB random upload: answered ${hugeStatus} after ${hugeSeconds.toFixed(1)} s (${(HUGE_BYTES / 1024 / 1024 / hugeSeconds).toFixed(0)} MB/s spooled to disk, then refused by the scanner)`);
    console.log(`  40 MB line: refused with ${refuseStatus} ${ms(refuseMs)} after the first byte (upload of 40 MB included) — ${(refuseMs / h0).toFixed(0)}× a bare /healthz`);
    const worst = Math.max(...slow.health, ...slow.list, ...huge.health, ...huge.list);
    console.log(`  goal: /healthz and the list under 200 ms during both uploads — worst seen ${ms(worst)}${worst < 200 ? ' (met)' : ' (not met on this run)'}\n`);
    return 0;
  } finally {
    await t.close();
  }
}
