import pino from 'pino';
import type { Config } from '../config.js';
import { createAuth } from './auth.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db.js';
import { createJobs } from './jobs.js';
import { createMailer } from './mail.js';
import { createNotifier } from './notifications.js';
import { resolveAuthSecret } from './secret.js';

export function createLogger(config: Config) {
  const pretty = config.env === 'development' && process.stdout.isTTY;
  return pino({ level: config.logLevel, ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}) });
}

/** Opens the database, applies migrations and wires the platform services. */
export async function createContext(config: Config, log = createLogger(config), options: { tool?: boolean } = {}): Promise<AppContext> {
  // Checked before the database opens, so a missing AUTH_SECRET stops the start at once.
  if (config.databaseUrl) resolveAuthSecret(config, options);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  const jobs = createJobs(database, config.jobs, log);
  // Delivery is kicked shortly after a message is queued (its transaction has committed by then);
  // the one-minute schedule catches anything this misses and retries failures.
  let kick: NodeJS.Timeout | undefined;
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    onQueued() {
      clearTimeout(kick);
      kick = setTimeout(() => void jobs.send('mail.deliver').catch((err) => log.error({ err }, 'mail delivery failed')), 250);
      kick.unref();
    },
  });
  // After the database: the embedded secret lives in DATA_DIR, which opening the database creates.
  const authSecret = resolveAuthSecret(config, options);
  const auth = createAuth({ ...config, authSecret }, database.db, mailer);
  // Chat posts are kicked like mail (twice: the caller's transaction may commit after the first
  // kick on a busy machine), and swept every minute for retries (backoff is in the rows).
  const chatKicks: NodeJS.Timeout[] = [];
  const notifier = createNotifier({
    database,
    mailer,
    publicUrl: config.publicUrl,
    onQueued() {
      for (const k of chatKicks.splice(0)) clearTimeout(k);
      for (const delay of [250, 5000]) {
        const k = setTimeout(() => void jobs.send('notifications.deliver').catch((err) => log.error({ err }, 'chat delivery failed')), delay);
        k.unref();
        chatKicks.push(k);
      }
    },
  });
  const ctx: AppContext = { config, database, db: database.db, mailer, auth, jobs, notifier };
  jobs.register('notifications.deliver', async () => {
    await notifier.deliver();
  }, { cron: '* * * * *' });
  // Once a day at 07:00 UTC; the digest claims its rows, so two instances never mail twice.
  jobs.register('notifications.digest', async () => {
    await notifier.digest();
  }, { cron: '0 7 * * *' });
  jobs.register('mail.deliver', async () => {
    await mailer.deliverQueued(database.db);
  }, { cron: '* * * * *' });
  return ctx;
}

export async function closeContext(ctx: AppContext) {
  await ctx.jobs.stop();
  ctx.mailer.close();
  await ctx.database.close();
}
