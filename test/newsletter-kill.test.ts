import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.js';
import { seedDemoWorkspace } from '../src/server/demo/workspace.js';
import { newsletterSubscribers } from '../src/server/modules/newsletter/schema.js';
import { createEdition, scheduleEdition, updateEdition } from '../src/server/modules/newsletter/service.js';
import { closeContext, createContext } from '../src/server/platform/bootstrap.js';
import { SYSTEM_ACTOR } from '../src/server/platform/policy.js';
import { childProcessDatabase } from './context.js';

// A sender process killed (SIGKILL) at the worst moment — the SMTP server has taken a message's
// end-of-data mark and not yet answered — and then run again: every reader has exactly one copy.
// Before the commit gate, that message was still `sending` in the database and went out twice.

const ROOT = path.resolve(import.meta.dirname, '..');
const READERS = 60;
const KILL_AT = 20;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-newsletter-kill-'));
let database: Awaited<ReturnType<typeof childProcessDatabase>> | undefined;
let env: Record<string, string>;

const accepted = new Map<string, number>();
let onMessageEnd: ((to: string) => boolean) | undefined;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  disableReverseLookup: true,
  onData(stream, session, callback) {
    stream.resume();
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address).join(',');
      accepted.set(to, (accepted.get(to) ?? 0) + 1);
      // `true`: the sender is being killed; the server never answers this message.
      if (onMessageEnd?.(to)) return;
      callback();
    });
  },
});

// Connections the killed sender leaves behind are reset: that is the point of the test, not an error.
smtp.on('error', () => {});

const openCtx = () => createContext(loadConfig({ ...process.env, ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));
const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  database = await childProcessDatabase(dir);
  env = { ...database.env, SMTP_URL: smtpUrl };
  const ctx = await openCtx();
  try {
    await seedDemoWorkspace(ctx);
    await ctx.db.insert(newsletterSubscribers).values(
      Array.from({ length: READERS }, (_, i) => ({ id: uuidv7(), email: `reader${String(i).padStart(2, '0')}@readers.example`, name: `Reader ${i}`, status: 'active', optIn: true, confirmedAt: new Date() })),
    );
    const edition = await createEdition(ctx, SYSTEM_ACTOR, { cadence: 'monthly' });
    await updateEdition(ctx, SYSTEM_ACTOR, edition.id, {
      editorNote: 'Sent while the sender is killed.',
      audience: { departmentIds: [], storeIds: [], regions: [], roles: [], subscribers: true },
    });
    await scheduleEdition(ctx, SYSTEM_ACTOR, edition.id, { at: null });
  } finally {
    await closeContext(ctx);
  }
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});

function sendProcess() {
  // `node --import tsx`, not the tsx CLI: the CLI would run the command in a grandchild that SIGKILL misses.
  // One message in flight: the one the kill lands on. (With several, a message whose end mark the
  // test's SMTP server had received but not yet read when the connection dropped may be discarded by
  // that server: docs/newsletter.md, "What a kill can still cost".)
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/tandem.ts'), 'newsletter', 'send', '--concurrency', '1'], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: 'production', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, output: () => output };
}

it('a sender killed after the server took a message, before it answered: after a restart every reader has exactly one copy', async () => {
  const first = sendProcess();
  let killedAfter = '';
  onMessageEnd = (to) => {
    const readersSoFar = [...accepted.keys()].filter((a) => a.endsWith('@readers.example')).length;
    if (!killedAfter && to.endsWith('@readers.example') && readersSoFar >= KILL_AT) {
      killedAfter = to;
      first.child.kill('SIGKILL');
      return true;
    }
    return false;
  };
  const code = await first.exit;
  onMessageEnd = undefined;
  expect(killedAfter, `the sender ended before it could be killed: exit ${code}, ${first.output()}`).not.toBe('');

  const ctx = await openCtx();
  try {
    // The message the server took without answering counts as sent: nobody may send it again.
    const [row] = rows<{ status: string }>(await ctx.db.execute(sql`select status from newsletter_recipients where email = ${killedAfter}`));
    expect(row?.status).toBe('sent');
    // The dead worker's leases would run out after two minutes; let that time pass at once.
    await ctx.db.execute(sql`update newsletter_recipients set locked_until = now() - interval '1 second' where status = 'sending'`);
  } finally {
    await closeContext(ctx);
  }

  const second = sendProcess();
  expect(await second.exit, second.output()).toBe(0);

  const readers = [...accepted.entries()].filter(([to]) => to.endsWith('@readers.example'));
  expect(readers).toHaveLength(READERS);
  expect(readers.filter(([, n]) => n !== 1)).toEqual([]);
  const check = await openCtx();
  try {
    const statuses = rows<{ status: string; n: number }>(await check.db.execute(sql`select status, count(*)::int as n from newsletter_recipients group by status`));
    expect(statuses.map((s) => `${s.status} ${s.n}`)).toEqual([`sent ${statuses.reduce((a, s) => a + Number(s.n), 0)}`]);
  } finally {
    await closeContext(check);
  }
}, 240_000);
