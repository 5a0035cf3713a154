import type { Config } from '../config.js';
import type { Auth } from './auth.js';
import type { Database, Db } from './db.js';
import type { Jobs } from './jobs.js';
import type { Mailer } from './mail.js';
import type { Notifier } from './notifications.js';

/** What services need from the platform, built once at start and passed down. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  mailer: Mailer;
  /** In-app, email and chat notifications: `ctx.notifier.notify(tx, {...})` inside a service's transaction. */
  notifier: Notifier;
  auth: Auth;
  jobs: Jobs;
}
