import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as schema from '../schema.js';
import { StartupError } from '../config.js';
import { lockDataDir } from './data-lock.js';
import { runReads } from './reads.js';
import { namedStatements, preparable, preparedPglite, writeTracked } from './prepared.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: service functions accept both. */
export type DbOrTx = Db | Tx;

/** `runReads` on the database (at once) or on an open transaction (one after another). */
export const readAll = <T extends readonly unknown[] | []>(db: DbOrTx, reads: { [K in keyof T]: () => PromiseLike<T[K]> }) => runReads<T>(!(db instanceof PgTransaction), reads);

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Plain SQL with positional parameters, for the job queue and hand-written queries. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /**
   * Runs `fn` in one transaction on one connection that can bulk-load with COPY (rolled back if
   * `fn` throws). On PGlite the engine has one session: other queries wait until it commits.
   */
  bulkTransaction<T>(fn: (conn: BulkConnection) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /**
   * Runs `fn` while holding a lock that every instance on this database shares (a session advisory
   * lock on PostgreSQL; the embedded database belongs to one process already), for start-up work
   * that two instances starting together must not both do.
   */
  exclusive<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /**
   * A connection of its own, for a write that must reach the database right before a message to
   * another server leaves (the newsletter's commit gate).
   */
  dedicated(): Promise<DedicatedConnection>;
  /**
   * Calls `fn` for every NOTIFY on `channel` (LISTEN). Embedded engine: in process, before the
   * notifying statement's (or its transaction's COMMIT's) promise resolves, so whatever the writer
   * does next already sees it. PostgreSQL: on a connection of its own, a moment after the commit.
   * Returns the function that stops listening.
   */
  listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /**
   * Embedded engine only: a number that moves whenever data may have changed (response-cache.ts).
   * PostgreSQL has none: other instances write too (the session lookup's snapshot serves there).
   */
  writeGeneration?: () => number;
  /** Human description for logs: the data directory or the server's host/database. */
  describe: string;
}

export interface DedicatedConnection {
  /**
   * Sends one statement (call it when no other statement of this connection is in flight). Resolves
   * once the statement has reached the database — written to the server's socket (PostgreSQL), or
   * run (PGlite, in process) — with `result`, its answer.
   */
  dispatch<T = Record<string, unknown>>(text: string, params: unknown[]): Promise<{ result: Promise<{ rows: T[] }> }>;
  close(): Promise<void>;
}

/** A connection inside a bulk transaction: plain SQL plus COPY FROM of tab-separated text. */
export interface BulkConnection {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  /** `COPY table (columns) FROM` the given data, in PostgreSQL's text format unless `options` say otherwise (e.g. "format csv, header true"). */
  copyFrom(table: string, columns: readonly string[], data: Uint8Array, options?: string): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Directory for the embedded database, or 'memory://' for a throwaway one (tests). */
  dataDir?: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir ?? './data');
}

async function openPglite(dataDir: string): Promise<Database> {
  let location = dataDir;
  let unlock = () => {};
  if (!dataDir.startsWith('memory://')) {
    unlock = lockDataDir(dataDir);
    location = path.join(dataDir, 'pglite');
    fs.mkdirSync(location, { recursive: true });
  }
  let client: PGlite;
  try {
    // 32 MB of shared buffers instead of PostgreSQL's 128 MB: PGlite reads its files through the
    // operating system's cache anyway, and the buffers live in the process (a 1M-row POS import
    // peaked 130 MB higher with 128 MB; list and dashboard throughput measured the same).
    client = await PGlite.create(location, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'] });
  } catch (err) {
    unlock();
    throw err;
  }
  // Reads outside transactions run as prepared statements; every other call moves the write
  // generation (platform/prepared.ts). Everything below uses the tracked client.
  const tracked = writeTracked(preparedPglite(client));
  client = tracked.client;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    writeGeneration: tracked.generation,
    describe: location === dataDir ? 'embedded (in memory)' : `embedded PGlite in ${location}`,
    async query(text, params) {
      // Without parameters the text may hold several statements (the job queue's schema scripts):
      // PGlite runs those through exec, the simple-query protocol.
      if ((!params || params.length === 0) && !preparable(text)) {
        const results = await client.exec(text);
        return { rows: (results[results.length - 1]?.rows ?? []) as never[] };
      }
      const result = await client.query(text, (params ?? []) as unknown[]);
      return { rows: result.rows as never[] };
    },
    bulkTransaction(fn) {
      return client.transaction((tx) =>
        fn({
          async query(text, params) {
            const r = await tx.query(text, params ?? []);
            return { rows: r.rows as never[], rowCount: r.affectedRows ?? 0 };
          },
          async copyFrom(table, columns, data, options) {
            await tx.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'${options ? ` with (${options})` : ''}`, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) });
          },
        }),
      );
    },
    async migrate() {
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR });
    },
    exclusive(_key, fn) {
      return fn();
    },
    async dedicated() {
      return {
        async dispatch(text, params) {
          const rows = (await client.query(text, params)).rows as never[];
          return { result: Promise.resolve({ rows }) };
        },
        async close() {},
      };
    },
    async listen(channel, fn) {
      return client.listen(channel, fn);
    },
    async close() {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/** Key of the advisory lock that serialises migrations across instances starting together ("tandem" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x74616e64656d;
/** Key of the lock under which one instance loads the demo retailer while the others wait. */
export const DEMO_LOCK_KEY = MIGRATION_LOCK_KEY + 1;

/** Connection failures at start say what was tried, in one line, instead of a pg stack trace. */
export class DatabaseConnectError extends StartupError {}

function describeUrl(url: string) {
  const parsed = new URL(url);
  return `PostgreSQL ${parsed.username ? `${decodeURIComponent(parsed.username)}@` : ''}${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

export function connectErrorMessage(url: string, err: unknown) {
  const e = err as { code?: string; message?: string };
  const reason =
    e.code === 'ECONNREFUSED' ? 'nothing is listening there (is the server running?)'
    : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'the host name does not resolve'
    : e.code === '3D000' ? 'the database does not exist (create it with createdb)'
    : e.code === '28P01' || e.code === '28000' ? `the server refused the user: ${e.message}`
    : (e.message ?? String(err)).split('\n')[0];
  return `Cannot connect to ${describeUrl(url)} (DATABASE_URL): ${reason}`;
}

/**
 * A connection the server drops while it is checked out (pg_terminate_backend, restart, failover)
 * emits 'error' on its client; without a listener Node ends the process. Every client gets one:
 * the query in flight fails (the request answers 503, its transaction never commits), and the pool
 * discards the broken client on release, so the next request opens a fresh connection.
 */
function guardClient(client: pg.Client | pg.PoolClient) {
  client.on('error', (err) => process.emitWarning(`PostgreSQL connection lost: ${err.message}`));
}

async function openPostgres(url: string): Promise<Database> {
  const applicationName = process.env.PGAPPNAME ?? 'tandem';
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: applicationName });
  pool.on('connect', guardClient);
  // An idle connection the server closes (restart, failover, admin command) must not crash the
  // process: the pool drops it and the next query opens a new one.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL connection closed: ${err.message}`));
  // Surface a wrong URL at start rather than on the first request, in one line.
  try {
    const probe = await pool.connect();
    probe.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseConnectError(connectErrorMessage(url, err));
  }
  // Reads outside transactions run as named (prepared) statements (platform/prepared.ts).
  const db = drizzlePg(namedStatements(pool), { schema }) as unknown as Db;
  // A session lock on a dedicated connection: ending the session releases it even if the unlock
  // is never reached.
  async function exclusive<T>(key: number, fn: () => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url, application_name: `${applicationName} lock` });
    guardClient(client);
    await client.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [key]);
      return await fn();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]).catch(() => {});
      await client.end().catch(() => {});
    }
  }
  return {
    kind: 'postgres',
    db,
    describe: describeUrl(url),
    async query(text, params) {
      // A read without parameters is prepared as well (an admin's unscoped list has none).
      const result = params?.length || preparable(text) ? await pool.query({ text, values: (params ?? []) as unknown[] }) : await pool.query(text);
      return { rows: result.rows };
    },
    async bulkTransaction(fn) {
      const conn = await pool.connect();
      let broken = false;
      try {
        await conn.query('begin');
        const result = await fn({
          async query(text, params) {
            const r = await conn.query(text, params as unknown[] | undefined);
            return { rows: r.rows, rowCount: r.rowCount ?? 0 };
          },
          copyFrom(table, columns, data, options) {
            return new Promise<void>((resolve, reject) => {
              const stream = conn.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin${options ? ` with (${options})` : ''}`));
              stream.on('error', reject);
              stream.on('finish', () => resolve());
              stream.end(data);
            });
          },
        });
        await conn.query('commit');
        return result;
      } catch (err) {
        await conn.query('rollback').catch(() => {
          broken = true;
        });
        throw err;
      } finally {
        conn.release(broken);
      }
    },
    async migrate() {
      // Instances starting together on an empty database would both run CREATE TABLE: the first
      // migrates, the others wait for the lock and then find the migrations applied.
      await exclusive(MIGRATION_LOCK_KEY, async () => {
        const client = new pg.Client({ connectionString: url, application_name: `${applicationName} migrate` });
        guardClient(client);
        await client.connect();
        try {
          await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_DIR });
        } finally {
          await client.end().catch(() => {});
        }
      });
    },
    exclusive,
    async dedicated() {
      const client = new pg.Client({ connectionString: url, application_name: `${applicationName} sender` });
      guardClient(client);
      await client.connect();
      return {
        // An idle pg client writes the statement to its socket inside query(), before returning.
        async dispatch(text, params) {
          return { result: client.query(text, params).then((r) => ({ rows: r.rows })) };
        },
        close: () => client.end().catch(() => {}),
      };
    },
    async listen(channel, fn) {
      const client = new pg.Client({ connectionString: url, application_name: `${applicationName} listen` });
      guardClient(client);
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel) fn(n.payload ?? '');
      });
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.end().catch(() => {});
      };
    },
    async close() {
      await pool.end();
    },
  };
}
