// Runs one autocannon measurement (warm-up, then the measured window) against a URL, in a child
// process so the load generator never steals event-loop time from the server under test.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  totalRequests: number;
  latencyMs: { average: number; p50: number; p99: number; max: number };
  throughputBytesPerSecond: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
}

export const LOAD_MODE = 'autocannon in a child process';

const CHILD = fileURLToPath(new URL('./load-child.mjs', import.meta.url));

export function measure(url: string, settings: LoadSettings, headers: Record<string, string> = {}): Promise<LoadResult> {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1' && host !== '[::1]') {
    return Promise.reject(new Error(`bench targets loopback addresses only, not ${host}`));
  }
  return new Promise((resolve, reject) => {
    // execArgv: [] — the child is plain JavaScript and needs none of the tsx loader flags.
    const child = fork(CHILD, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const limitMs = (settings.warmupSeconds + settings.durationSeconds + 8) * 1000;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`load generator did not finish within ${limitMs / 1000} s`)));
    }, limitMs);
    child.once('message', (msg: { ok: true; result: LoadResult } | { ok: false; error: string }) =>
      finish(() => (msg.ok ? resolve(msg.result) : reject(new Error(`load generator failed: ${msg.error}`)))),
    );
    child.once('error', (err) => finish(() => reject(err)));
    child.once('exit', (code, signal) =>
      finish(() => reject(new Error(`load generator exited early (code ${code}, signal ${signal})`))),
    );
    child.send({ url, headers, ...settings });
  });
}
