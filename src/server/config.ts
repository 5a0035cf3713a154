import 'dotenv/config';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Every environment variable Tandem reads, validated once at start. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  SMTP_URL: z.string().optional().or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().default('Tandem <tandem@localhost>'),
  PUBLIC_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional().or(z.literal('').transform(() => undefined)),
  DEMO_DATA: z.enum(['auto', 'on', 'off']).default('auto'),
  // Per client address: a store's staff share one address, so this limit is high; the per-account
  // limit below is what stops guessing one person's password.
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  LOGIN_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  LOGIN_ACCOUNT_LIMIT: z.coerce.number().int().min(1).default(10),
  LOGIN_ACCOUNT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().default('Single sign-on'),
  JOBS: z.enum(['on', 'off']).default('on'),
  POS_IMPORT_DIR: z.string().optional().or(z.literal('').transform(() => undefined)),
  // POS uploads are written to a temporary file before the import starts (no database session is
  // held while a client sends): the largest body accepted, and how long a sender may stay silent.
  POS_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 ** 3),
  POS_UPLOAD_IDLE_SECONDS: z.coerce.number().int().min(1).default(30),
  UPLOAD_TMP_DIR: z.string().optional(),
  // Case evidence and incident files (video clips are large; streamed to a temporary file, then into the database in chunks).
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 ** 3),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL server when set; otherwise the embedded PGlite database under dataDir. */
  databaseUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  publicUrl: string;
  /**
   * Signs session cookies. Unset: the embedded database keeps a generated one in DATA_DIR
   * (platform/secret.ts); with DATABASE_URL the server refuses to start without it.
   */
  authSecret?: string;
  demoData: Env['DEMO_DATA'];
  loginRateLimit: { max: number; windowSeconds: number };
  /** Failed sign-ins per account (any address) before that account waits. */
  loginAccountLimit: { max: number; windowSeconds: number };
  oidc?: { issuer: string; clientId: string; clientSecret: string; name: string };
  jobs: boolean;
  posUpload: { maxBytes: number; idleSeconds: number; tmpDir: string };
  /** Largest evidence or incident file accepted (EVIDENCE_MAX_BYTES). */
  evidenceMaxBytes?: number;
  logLevel: Env['LOG_LEVEL'];
  /** Folder whose POS files a scheduled job imports (nightly exports); unset: no folder. */
  posImportDir?: string;
}

/** A start that cannot go on for a reason the operator can fix: printed as one line, no stack trace. */
export class StartupError extends Error {}
export class ConfigError extends StartupError {}

export function loadConfig(source: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  if ((e.OIDC_ISSUER || e.OIDC_CLIENT_ID) && !(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET)) {
    throw new ConfigError('Invalid configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const config: Config = {
    env: e.NODE_ENV,
    port,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    authSecret: e.AUTH_SECRET,
    demoData: e.DEMO_DATA,
    loginRateLimit: { max: e.LOGIN_RATE_LIMIT, windowSeconds: e.LOGIN_RATE_WINDOW_SECONDS },
    loginAccountLimit: { max: e.LOGIN_ACCOUNT_LIMIT, windowSeconds: e.LOGIN_ACCOUNT_WINDOW_SECONDS },
    oidc: e.OIDC_ISSUER
      ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET!, name: e.OIDC_NAME }
      : undefined,
    jobs: e.JOBS === 'on',
    posUpload: { maxBytes: e.POS_UPLOAD_MAX_BYTES, idleSeconds: e.POS_UPLOAD_IDLE_SECONDS, tmpDir: path.resolve(e.UPLOAD_TMP_DIR ?? os.tmpdir()) },
    logLevel: e.LOG_LEVEL,
    evidenceMaxBytes: e.EVIDENCE_MAX_BYTES,
    posImportDir: e.POS_IMPORT_DIR ? path.resolve(e.POS_IMPORT_DIR) : undefined,
  };
  return { ...config, ...overrides };
}
