// `npm run bench -- people` (and ideas, requests, exceptions): requests/s of a main list (signed in
// as the demo admin, 50 per page) on the embedded PGlite database holding the demo workspace
// (TEST_DATABASE=postgres: PostgreSQL at 127.0.0.1), as a ratio to a bare Fastify JSON route
// measured the same way in the same process.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { seededApp, signIn, ROLE_EMAILS } from '../test/context.js';
import { LOAD_MODE, measure, type LoadResult, type LoadSettings } from './lib/load.js';
import { startReferenceServer } from './lib/reference.js';
import { machine, ratio, settingsLine, table } from './lib/format.js';

const seconds = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export const SETTINGS: LoadSettings = {
  connections: 50,
  warmupSeconds: seconds('BENCH_WARMUP', 2),
  durationSeconds: seconds('BENCH_DURATION', 10),
};

/** What the target is asked with: a browser's accept-encoding by default (Chromium sends this). */
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? 'gzip, deflate, br, zstd';

/** The main lists: what `npm run bench -- <name>` requests. */
export const LISTS = {
  people: { path: '/api/people?limit=50', noun: 'people', pos: false },
  ideas: { path: '/api/ideas?limit=50', noun: 'ideas', pos: false },
  requests: { path: '/api/requests?limit=50', noun: 'requests', pos: false },
  exceptions: { path: '/api/pos/exceptions?limit=50&open=true&sort=occurredAt&order=desc', noun: 'exceptions', pos: true },
} as const;

/** Returns the process exit code. */
export async function runPeopleBench(): Promise<number> {
  return runListBench('people');
}

export async function runListBench(name: keyof typeof LISTS): Promise<number> {
  const { path: PATH, noun, pos } = LISTS[name];
  const setupStart = Date.now();
  const t = await seededApp({}, { LOG_LEVEL: 'silent' }, { pos });
  const reference = await startReferenceServer();
  try {
    const cookie = await signIn(t.app, ROLE_EMAILS.admin);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}${PATH}`;

    // Sanity checks over real HTTP before measuring: the cookie works, and the page is full.
    const anonymous = await fetch(url);
    if (anonymous.status !== 401) throw new Error(`expected 401 without the cookie, got ${anonymous.status}`);
    const probe = await fetch(url, { headers: { cookie } });
    if (probe.status !== 200) throw new Error(`GET ${PATH} answered ${probe.status}: ${await probe.text()}`);
    const page = (await probe.json()) as { items: unknown[]; total: number };
    const setupSeconds = (Date.now() - setupStart) / 1000;

    const ref: LoadResult = await measure(reference.url, SETTINGS);
    // As a browser asks: compressed if the server will (BENCH_ACCEPT_ENCODING= empty asks for none).
    const target: LoadResult = await measure(url, SETTINGS, { cookie, ...(ACCEPT_ENCODING ? { 'accept-encoding': ACCEPT_ENCODING } : {}) });

    const failures = target.non2xx + target.errors + target.timeouts;
    const database = process.env.TEST_DATABASE === 'postgres' ? 'PostgreSQL' : 'embedded PGlite';
    console.log(`Tandem bench — ${name} (${machine()}, ${database}, ${page.total} ${noun}, ${page.items.length} per page)`);
    console.log(settingsLine(SETTINGS, LOAD_MODE) + `; accept-encoding: ${ACCEPT_ENCODING || 'none'}; setup ${setupSeconds.toFixed(1)} s`);
    console.log(
      table([
        { label: 'reference', what: 'bare Fastify JSON route', r: ref },
        { label: 'target', what: `GET ${PATH}`, r: target },
      ]),
    );
    console.log(`ratio      ${ratio(target, ref)}`);
    console.log(
      `target     ${target.totalRequests} requests, non-2xx ${target.non2xx}, errors ${target.errors}, timeouts ${target.timeouts}, ` +
        `max latency ${Math.round(target.latencyMs.max)} ms, status ${JSON.stringify(target.statusCodes)}`,
    );
    const refFailures = ref.non2xx + ref.errors + ref.timeouts;
    // `npm run bench -- lists` collects each run's figures from this file.
    if (process.env.BENCH_RESULT_FILE) {
      fs.writeFileSync(process.env.BENCH_RESULT_FILE, JSON.stringify({ list: name, database, total: page.total, perPage: page.items.length, reference: ref, target, failures: failures + refFailures }));
    }
    if (refFailures > 0) console.log(`reference  non-2xx ${ref.non2xx}, errors ${ref.errors}, timeouts ${ref.timeouts}`);
    if (failures > 0 || refFailures > 0) {
      console.error('FAIL: requests failed during the measurement');
      return 1;
    }
    return 0;
  } finally {
    // Close politely, but never let closing hold the run open.
    await Promise.race([
      Promise.allSettled([reference.close(), t.close()]),
      new Promise((resolve) => setTimeout(resolve, 3000).unref()),
    ]);
  }
}
