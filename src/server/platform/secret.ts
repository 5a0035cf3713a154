import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config.js';

export const MIN_AUTH_SECRET_LENGTH = 32;
export const AUTH_SECRET_FILE = 'auth-secret';

/**
 * The secret that signs session cookies. Never a built-in default: a default string is public,
 * and with it anyone could sign a session cookie for any person.
 * - `AUTH_SECRET` when set (32+ characters, checked in config.ts);
 * - with `DATABASE_URL`: required, because several instances must share it (a server refuses to
 *   start; one-shot CLI tools, which issue no sessions, get a throwaway one);
 * - embedded database: generated on the first start and kept in `DATA_DIR/auth-secret` (mode 0600),
 *   so sessions survive restarts; a `memory://` database gets one for the life of the process.
 */
export function resolveAuthSecret(config: Config, options: { tool?: boolean } = {}): string {
  if (config.authSecret) {
    if (config.authSecret.length < MIN_AUTH_SECRET_LENGTH) throw new ConfigError(`Invalid configuration:\n  AUTH_SECRET: must be at least ${MIN_AUTH_SECRET_LENGTH} characters`);
    return config.authSecret;
  }
  if (config.databaseUrl) {
    if (options.tool) return randomBytes(32).toString('base64url');
    throw new ConfigError(
      `Invalid configuration:\n  AUTH_SECRET: required with DATABASE_URL (at least ${MIN_AUTH_SECRET_LENGTH} characters, the same on every instance; e.g. AUTH_SECRET=$(openssl rand -hex 32))`,
    );
  }
  if (config.dataDir.startsWith('memory://')) return randomBytes(32).toString('base64url');
  return readOrCreateSecretFile(path.join(config.dataDir, AUTH_SECRET_FILE));
}

function readOrCreateSecretFile(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // 'wx': exactly one process creates it; a concurrent start reads the winner's secret.
    const secret = randomBytes(32).toString('base64url');
    fs.writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const mode = fs.statSync(file).mode & 0o777;
  // Someone loosened it (a copy, an unpack): make it private again rather than refuse to start.
  if (mode & 0o077) fs.chmodSync(file, 0o600);
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_AUTH_SECRET_LENGTH) {
    throw new ConfigError(`Invalid configuration:\n  ${file}: the stored session secret is shorter than ${MIN_AUTH_SECRET_LENGTH} characters; delete the file to generate a new one (everyone signs in again)`);
  }
  return secret;
}
