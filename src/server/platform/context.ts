import type { Config } from '../config.js';
import type { Auth } from './auth.js';
import type { Database, Db } from './db.js';
import type { Jobs } from './jobs.js';
import type { Mailer } from './mail.js';

/** What services need from the platform, built once at start and passed down. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  mailer: Mailer;
  auth: Auth;
  jobs: Jobs;
}
