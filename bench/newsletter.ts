// `npm run bench -- newsletter`: 5,000 recipients through a local SMTP server (smtp-server, in this
// process) from a sender in a child process on PostgreSQL; the child is killed half-way and started
// again, and every recipient must end with exactly one message. Beside it, the SMTP server's own
// acceptance rate, measured in the same run with a bare nodemailer pool (no database, same message).
//
// BENCH_NEWSLETTER_RECIPIENTS overrides 5,000; BENCH_NEWSLETTER_RATE the per-second budget (default 2000).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/platform/bootstrap.js';
import { SYSTEM_ACTOR } from '../src/server/platform/policy.js';
import { seedDemoWorkspace } from '../src/server/demo/workspace.js';
import { newsletterSettings, newsletterSubscribers } from '../src/server/modules/newsletter/schema.js';
import { createEdition, scheduleEdition, updateEdition } from '../src/server/modules/newsletter/service.js';
import { settingsRow } from '../src/server/modules/newsletter/tokens.js';
import { renderEdition } from '../src/server/modules/newsletter/render.js';
import { machine } from './lib/format.js';

const N = Number(process.env.BENCH_NEWSLETTER_RECIPIENTS ?? 5000);
const RATE = Number(process.env.BENCH_NEWSLETTER_RATE ?? 2000);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HERE = path.dirname(fileURLToPath(import.meta.url));

export async function runNewsletterBench(): Promise<number> {
  // The SMTP server: counts accepted messages per recipient and per Message-ID.
  const accepted = new Map<string, number>();
  const messageIds = new Map<string, Set<string>>();
  let total = 0;
  let onAccept: (() => void) | undefined;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    size: 5 * 1024 * 1024,
    maxClients: 64,
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 8192) head += c.toString('latin1');
      });
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(',');
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '';
        accepted.set(to, (accepted.get(to) ?? 0) + 1);
        if (!messageIds.has(to)) messageIds.set(to, new Set());
        messageIds.get(to)!.add(id);
        total++;
        onAccept?.();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  const dbName = `tandem_bench_nl_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const authSecret = randomBytes(32).toString('hex');
  const env = { NODE_ENV: 'test', DATA_DIR: 'memory://', JOBS: 'off', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000', DATABASE_URL: url, SMTP_URL: smtpUrl, AUTH_SECRET: authSecret };
  const config = loadConfig(env, { databaseUrl: url, dataDir: 'memory://', authSecret, smtpUrl });
  const ctx = await createContext(config, pino({ level: 'silent' }));
  let code = 0;
  try {
    // An edition (drafted from an empty workspace, plus an editor's note) to N opt-in readers.
    await seedDemoWorkspace(ctx);
    for (let i = 0; i < N; i += 1000) {
      await ctx.db.insert(newsletterSubscribers).values(
        Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ id: uuidv7(), email: `reader${String(i + k).padStart(5, '0')}@bench.example`, name: `Reader ${i + k}`, status: 'active', optIn: true, confirmedAt: new Date() })),
      );
    }
    await settingsRow(ctx.db);
    await ctx.db.update(newsletterSettings).set({ ratePerSecond: RATE });
    const edition = await createEdition(ctx, SYSTEM_ACTOR, { cadence: 'monthly' });
    await updateEdition(ctx, SYSTEM_ACTOR, edition.id, {
      editorNote: 'Bench edition.',
      sections: [
        { id: 'bench:figures', source: null, title: 'Key figures', blocks: [{ type: 'figures', items: [{ label: 'Exceptions reviewed', value: '412' }, { label: 'Requests resolved', value: '96' }] }, { type: 'chart', kind: 'bar', title: 'Requests by direction', alt: 'Requests by direction', points: [{ label: 'LP→IT', value: 40 }, { label: 'IT→LP', value: 31 }] }] },
      ],
      audience: { departmentIds: [], storeIds: [], regions: [], roles: [], subscribers: true },
    });

    // Reference: the SMTP server's acceptance rate for the same message, no database (bare nodemailer pool).
    const sample = await renderEdition({ ref: 'NL-1', title: 'Bench', periodLabel: 'Bench', editorNote: 'Bench edition.', sections: rows<{ sections: never }>(await ctx.db.execute(sql`select sections from newsletter_editions where id = ${edition.id}`))[0]!.sections }, { imageMode: 'cid' });
    const refCount = Math.min(2000, N);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: Number(new URL(smtpUrl).port), secure: false, pool: true, maxConnections: 8, maxMessages: 500 });
    let t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < refCount; i = next++) {
          await transport.sendMail({ from: 'bench@tandem', to: `ref${i}@reference.example`, subject: sample.subject, html: sample.html, text: sample.text, attachments: sample.images.map((im) => ({ cid: im.cid, filename: im.filename, content: im.content })) });
        }
      }),
    );
    const refSeconds = (performance.now() - t0) / 1000;
    transport.close();
    const refRate = refCount / refSeconds;

    await scheduleEdition(ctx, SYSTEM_ACTOR, edition.id, { at: null });
    const childEnv = { ...process.env, ...env };
    const startWorker = () => spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'newsletter-worker.ts')], { env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));

    // Run 1: killed (SIGKILL) once half the recipients have their message.
    const before = total;
    t0 = performance.now();
    const first = startWorker();
    const killed = new Promise<void>((resolve) => {
      onAccept = () => {
        if (total - before >= N / 2 && !first.killed) {
          first.kill('SIGKILL');
          onAccept = undefined;
          resolve();
        }
      };
    });
    await Promise.race([killed, exited(first)]);
    await exited(first);
    const firstSeconds = (performance.now() - t0) / 1000;
    const afterKill = rows<{ status: string; n: number }>(await ctx.db.execute(sql`select status, count(*)::int as n from newsletter_recipients where edition_id = ${edition.id} group by status order by status`));
    // The dead worker's leases would run out after 2 minutes; the bench lets that time pass at once.
    await ctx.db.execute(sql`update newsletter_recipients set locked_until = now() - interval '1 second' where edition_id = ${edition.id} and status = 'sending'`);

    // Run 2: a fresh worker finishes the edition.
    t0 = performance.now();
    const second = startWorker();
    const exitCode = await exited(second);
    const secondSeconds = (performance.now() - t0) / 1000;
    const final = rows<{ status: string; n: number }>(await ctx.db.execute(sql`select status, count(*)::int as n from newsletter_recipients where edition_id = ${edition.id} group by status order by status`));

    const readers = [...accepted.entries()].filter(([to]) => to.endsWith('@bench.example'));
    const exactlyOnce = readers.filter(([, n]) => n === 1).length;
    const twice = readers.filter(([, n]) => n > 1).length;
    const distinctIdsOnce = readers.filter(([to]) => messageIds.get(to)!.size === 1).length;
    const sendSeconds = firstSeconds + secondSeconds;
    const rate = N / sendSeconds;
    console.log(`newsletter bench — ${machine()}, PostgreSQL, ${N} recipients, budget ${RATE}/s, 8 messages in flight`);
    console.log(`  SMTP server alone (bare nodemailer pool, same message, ${refCount} msgs): ${refRate.toFixed(0)} msg/s`);
    console.log(`  Tandem sender: run 1 killed after ${firstSeconds.toFixed(1)} s; run 2 finished in ${secondSeconds.toFixed(1)} s (exit ${exitCode})`);
    console.log(`  total sending time ${sendSeconds.toFixed(1)} s (limit 30 s) → ${rate.toFixed(0)} msg/s = ${((rate / refRate) * 100).toFixed(0)} % of the SMTP server's rate`);
    console.log(`  after the kill: ${afterKill.map((r) => `${r.status} ${r.n}`).join(', ')}`);
    console.log(`  at the end:     ${final.map((r) => `${r.status} ${r.n}`).join(', ')}`);
    console.log(`  recipients with exactly one message: ${exactlyOnce} of ${N}; with a second copy: ${twice}`);
    console.log(`  recipients with one Message-ID: ${distinctIdsOnce} of ${N}`);
    // Absolute time depends on the machine; the SMTP server's own rate, measured here, is the yardstick.
    const fastEnough = sendSeconds <= 30 || rate >= refRate * 0.5;
    const ok = readers.length === N && exactlyOnce === N && fastEnough && final.every((r) => r.status === 'sent');
    console.log(ok ? '  PASS' : '  FAIL');
    code = ok ? 0 : 1;
  } finally {
    await closeContext(ctx);
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.end();
  }
  return code;
}

function rows<T>(r: unknown): T[] {
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}
