import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/platform/bootstrap.js';
import type { AppContext } from '../src/server/platform/context.js';
import { mailMessages } from '../src/server/platform/schema.js';
import { TEST_DB } from './context.js';
import { seedDemo } from '../src/server/demo/index.js';

/** Several app instances on one PostgreSQL database (the embedded database has one process by design). */
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function emptyDatabase() {
  const name = `tandem_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const instance = (url: string, env: NodeJS.ProcessEnv = {}) =>
  createContext(
    loadConfig({ NODE_ENV: 'test', JOBS: 'off', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000', AUTH_SECRET: 'instances-test-secret-0123456789abcdef', ...env }, { databaseUrl: url }),
    pino({ level: 'silent' }),
  );

describe.skipIf(TEST_DB !== 'postgres')('two instances on one PostgreSQL database', () => {
  it('both come up when they start together on an empty database (migrations under an advisory lock)', async () => {
    const db = await emptyDatabase();
    try {
      const started = await Promise.allSettled([instance(db.url), instance(db.url), instance(db.url)]);
      const failures = started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
      for (const s of started) if (s.status === 'fulfilled') await closeContext(s.value);
      expect(failures).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('two instances asked for demo data on an empty database load it once, and both start', async () => {
    const db = await emptyDatabase();
    const contexts: AppContext[] = [];
    try {
      for (const s of await Promise.allSettled([instance(db.url), instance(db.url)])) if (s.status === 'fulfilled') contexts.push(s.value);
      expect(contexts).toHaveLength(2);
      // Without the lock the second instance's department insert failed on the unique code and
      // its process ended.
      const seeded = await Promise.allSettled(contexts.map((ctx) => seedDemo(ctx, { pos: false })));
      expect(seeded.map((s) => (s.status === 'fulfilled' ? s.value : String(s.reason))).sort()).toEqual([false, true]);
      const { rows } = await contexts[0].database.query<{ n: number }>('select count(*)::int as n from departments where code = $1', ['LP']);
      expect(rows[0].n).toBe(1);
    } finally {
      for (const ctx of contexts) await closeContext(ctx);
      await db.drop();
    }
  }, 120_000);

  describe('mail delivery', () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        stream.resume();
        // A slow mail server widens the window in which two senders could pick the same message.
        stream.on('end', () => setTimeout(() => {
          received.push(session.envelope.rcptTo.map((r) => r.address).join(','));
          callback();
        }, 5));
      },
    });
    let db: Awaited<ReturnType<typeof emptyDatabase>>;
    let a: AppContext;
    let b: AppContext;
    beforeAll(async () => {
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
      db = await emptyDatabase();
      a = await instance(db.url, { SMTP_URL: smtpUrl });
      b = await instance(db.url, { SMTP_URL: smtpUrl });
    });
    afterAll(async () => {
      if (a) await closeContext(a);
      if (b) await closeContext(b);
      await db?.drop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    });

    it('sends each of N invitations exactly once when both instances deliver at the same time', async () => {
      const n = 30;
      await a.db.transaction(async (tx) => {
        for (let i = 0; i < n; i++) {
          await a.mailer.queue(tx, { to: `invitee${i}@meridian.example`, subject: 'You are invited to Tandem', paragraphs: ['Welcome.'], kind: 'invitation' });
        }
      });
      const drain = async (ctx: AppContext) => {
        let total = 0;
        for (let r = await ctx.mailer.deliverQueued(ctx.db); r.sent > 0; r = await ctx.mailer.deliverQueued(ctx.db)) total += r.sent;
        return total;
      };
      const [sentA, sentB] = await Promise.all([drain(a), drain(b)]);
      expect(received.length).toBe(n);
      expect(new Set(received).size).toBe(n);
      expect(sentA + sentB).toBe(n);
      const rows = await a.db.select().from(mailMessages);
      expect(rows.every((m) => m.status === 'sent' && m.attempts === 1)).toBe(true);
    });

    it('retries a message whose sender died holding the claim, once the lease has run out', async () => {
      received.length = 0;
      const id = await a.db.transaction((tx) => a.mailer.queue(tx, { to: 'orphan@meridian.example', subject: 'Reset your Tandem password', paragraphs: ['Reset.'], kind: 'password_reset' }));
      // A sender claimed it and was killed before sending: a fresh claim is left alone…
      await a.db.update(mailMessages).set({ status: 'sending', lockedUntil: new Date(Date.now() + 5 * 60_000) }).where(eq(mailMessages.id, id));
      expect(await b.mailer.deliverQueued(b.db)).toEqual({ sent: 0, failed: 0 });
      // …an expired one is taken over.
      await a.db.update(mailMessages).set({ lockedUntil: new Date(Date.now() - 60_000) }).where(eq(mailMessages.id, id));
      expect(await b.mailer.deliverQueued(b.db)).toEqual({ sent: 1, failed: 0 });
      expect(received).toEqual(['orphan@meridian.example']);
    });
  });
});
