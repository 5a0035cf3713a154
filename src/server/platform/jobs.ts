import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './db.js';

export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

/**
 * Background jobs on the application's own database (pg-boss): no extra broker, and several
 * app instances share the queue safely. With jobs off (tests, one-shot CLI commands) work is
 * registered but never run in the background.
 */
export interface Jobs {
  enabled: boolean;
  register(name: string, handler: JobHandler, options?: { cron?: string }): void;
  start(): Promise<void>;
  send(name: string, data?: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export function createJobs(database: Database, enabled: boolean, log: FastifyBaseLogger): Jobs {
  const handlers = new Map<string, { handler: JobHandler; cron?: string }>();
  let boss: PgBoss | undefined;
  return {
    enabled,
    register(name, handler, options) {
      handlers.set(name, { handler, cron: options?.cron });
    },
    async start() {
      if (!enabled) return;
      boss =
        database.kind === 'postgres'
          ? new PgBoss({ db: { executeSql: (text, values) => database.query(text, values) }, schema: 'pgboss' })
          : // The embedded database has one connection: pg-boss talks to it through the same adapter.
            new PgBoss({ db: { executeSql: (text, values) => database.query(text, values) }, schema: 'pgboss', supervise: true, schedule: true });
      boss.on('error', (err) => log.error({ err }, 'job queue error'));
      await boss.start();
      for (const [name, { handler, cron }] of handlers) {
        await boss.createQueue(name);
        await boss.work(name, { batchSize: 1, pollingIntervalSeconds: 2 }, async (jobs) => {
          for (const job of jobs) await handler((job.data ?? {}) as Record<string, unknown>);
        });
        if (cron) await boss.schedule(name, cron, {}, { tz: 'UTC' });
      }
    },
    async send(name, data = {}) {
      if (!boss) {
        // Without the queue (jobs off) the work still happens, in-process.
        const entry = handlers.get(name);
        if (entry && enabled) await entry.handler(data);
        return;
      }
      await boss.send(name, data, { singletonKey: name, singletonSeconds: 1 });
    },
    async stop() {
      if (boss) await boss.stop({ graceful: true, timeout: 5000, close: false });
      boss = undefined;
    },
  };
}
