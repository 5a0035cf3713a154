import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DB } from './context.js';

// The embedded data folder belongs to one process: a second server or a writing CLI command refuses
// with a message that says what to do, and a lock left by a killed server (kill -9) does not block.

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-lock-'));
const env = { ...process.env, DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', DEMO_DATA: 'off', JOBS: 'off', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'test' };
const children: ChildProcess[] = [];

function startServer() {
  const child = spawn(TSX, ['src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { child, ready, output: () => out };
}

function run(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(TSX, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(TEST_DB !== 'pglite')('the embedded data folder is locked by its process', () => {
  it('refuses a second server and a writing command while a server runs, and survives kill -9', async () => {
    const first = startServer();
    const url = await first.ready;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'data', 'tandem.lock'), 'utf8'));
    expect(lock).toMatchObject({ role: 'server', pid: expect.any(Number) });

    const second = startServer();
    await expect(second.ready).rejects.toThrow(/in use by a running Tandem server \(pid \d+/);
    expect(second.output()).toMatch(/stop that server first, or send the work to it — POS files with POST \/api\/pos\/batches/);
    expect(second.output()).not.toMatch(/\n\s+at /); // one message, no stack trace

    fs.writeFileSync(path.join(dir, 'stores.csv'), 'code,name,region,district,timezone,uplink_mbps\nS900,Lock Test,East,D1,America/New_York,100\n');
    const cli = await run(['src/cli/tandem.ts', 'import', 'stores', path.join(dir, 'stores.csv')]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/in use by a running Tandem server/);
    expect(cli.stderr).toMatch(/stop that server first/);
    // The running server still answers: nothing was opened twice.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    // kill -9 leaves the lock file behind; its process is gone, so the next process takes it over.
    // (tsx runs the server in a child process: the lock names that one.)
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    process.kill(lock.pid, 'SIGKILL');
    await exited;
    expect(fs.existsSync(path.join(dir, 'data', 'tandem.lock'))).toBe(true);
    const after = await run(['src/cli/tandem.ts', 'import', 'stores', path.join(dir, 'stores.csv')]);
    expect(after.stderr).toBe('');
    expect(after.stdout).toMatch(/1 created/);
    // A finished command releases the lock.
    expect(fs.existsSync(path.join(dir, 'data', 'tandem.lock'))).toBe(false);
  }, 180_000);
});
