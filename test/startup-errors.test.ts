import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A wrong DATABASE_URL or a server that is down ends the start with one clear line naming the
// target, not a pg-pool stack trace.

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const ADMIN_URL = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    const child = spawn(TSX, ['src/cli/tandem.ts', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('connection failures at start', () => {
  it('names the target and says the server is not there, in one line', async () => {
    const r = await cli(['migrate'], { DATABASE_URL: 'postgres://tandem@127.0.0.1:1/tandem' });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('Cannot connect to PostgreSQL tandem@127.0.0.1:1/tandem (DATABASE_URL): nothing is listening there (is the server running?)');
  }, 60_000);

  it('says when the database does not exist', async () => {
    const url = new URL(ADMIN_URL);
    url.pathname = '/tandem_no_such_database';
    const r = await cli(['migrate'], { DATABASE_URL: url.toString() });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Cannot connect to PostgreSQL .*\/tandem_no_such_database \(DATABASE_URL\): the database does not exist \(create it with createdb\)/);
  }, 60_000);
});
