import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { loadConfig, type Config } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/platform/bootstrap.js';
import type { AppContext } from '../src/server/platform/context.js';
import { seedDemo } from '../src/server/demo/index.js';
import { DEMO_SIGN_IN } from '../src/server/modules/access/service.js';
import { SYSTEM_ACTOR, type Actor } from '../src/server/platform/policy.js';
import { resolveActor } from '../src/server/platform/identity.js';
import { people } from '../src/server/modules/people/schema.js';
import { eq, sql } from 'drizzle-orm';
import type { Role } from '../src/contracts/roles.js';
import { pino } from 'pino';

export const TEST_DB = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite';
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database for one test file: in-memory PGlite, or a new PostgreSQL database dropped afterwards. */
async function freshDatabaseUrl(): Promise<{ url?: string; drop: () => Promise<void> }> {
  if (TEST_DB === 'pglite') return { drop: async () => {} };
  const name = `tandem_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * A database for tests that run Tandem in child processes (kill tests): the environment that points a
 * process at it — a new PostgreSQL database, or an embedded data folder under `dir` — and its removal.
 */
export async function childProcessDatabase(dir: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (TEST_DB === 'pglite') return { env: { DATA_DIR: `${dir}/data`, JOBS: 'off', DATABASE_URL: '' }, drop: async () => {} };
  const { url, drop } = await freshDatabaseUrl();
  return { env: { DATABASE_URL: url!, JOBS: 'off', AUTH_SECRET: randomBytes(32).toString('hex') }, drop };
}

export interface TestApp {
  ctx: AppContext;
  app: FastifyInstance;
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const { url, drop } = await freshDatabaseUrl();
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: 'memory://', JOBS: 'off', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000', LOGIN_RATE_LIMIT: '1000', ...env },
    // PostgreSQL needs AUTH_SECRET (as in production); in-memory PGlite generates one per process.
    { databaseUrl: url, dataDir: 'memory://', authSecret: url ? randomBytes(32).toString('hex') : undefined, ...overrides },
  );
  const ctx = await createContext(config, pino({ level: 'silent' }));
  const app = await buildApp(ctx, { logger: false, serveWeb: false });
  await app.ready();
  return {
    ctx,
    app,
    config,
    async close() {
      await app.close();
      await closeContext(ctx);
      await drop();
    },
  };
}

/** The demo workspace, plus one signed-in session cookie per role. POS demo data only with `{ pos: true }`. */
export async function seededApp(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}, options: { pos?: boolean } = {}) {
  const t = await createTestApp(overrides, env);
  await seedDemo(t.ctx, { pos: options.pos ?? false });
  return t;
}

export const ROLE_EMAILS: Record<Role, string> = {
  admin: 'dana.whitfield@meridian.example',
  lead: 'marcus.chen@meridian.example',
  member: 'rachel.okafor@meridian.example',
  staff: 'lily.evans@meridian.example',
  viewer: 'chris.donnelly@meridian.example',
};

/**
 * Marks the mail the demo queued (notifications of its requests, ideas, meetings …) as sent without
 * delivering it, so a test's SMTP server receives only what the test itself causes.
 */
export async function skipQueuedMail(ctx: AppContext) {
  await ctx.db.execute(sql`update mail_messages set status = 'sent', sent_at = now() where status in ('queued', 'retry')`);
}

/** Signs in through the HTTP API and returns the cookie header to send. */
let signIns = 0;
export async function signIn(app: FastifyInstance, email: string, password = DEMO_SIGN_IN.password) {
  signIns++;
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    // Each helper sign-in comes from its own loopback address, clear of the login rate limit.
    remoteAddress: `127.0.${Math.floor(signIns / 250) + 1}.${(signIns % 250) + 1}`,
    headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.map((c) => c.split(';')[0]).join('; ');
}

/** The Actor of a person as the auth hook resolves it (department, module access, stores). */
export async function actorFor(ctx: AppContext, email: string): Promise<Actor> {
  const [p] = await ctx.db.select({ id: people.id }).from(people).where(eq(people.email, email));
  if (!p) throw new Error(`no person ${email}`);
  const actor = await resolveActor(ctx.db, p.id, 'session');
  if (!actor) throw new Error(`person ${email} is inactive`);
  return actor;
}

export { SYSTEM_ACTOR };
