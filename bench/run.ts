// `npm run bench [-- <name>]`: runs one bench and prints its result against a bare Fastify route
// measured the same way, so numbers compare across machines as ratios.
//
// To add a bench (e.g. `pos`): write bench/<name>.ts exporting an async function that prints its
// table and returns an exit code, then register it in BENCHES below.

const BENCHES: Record<string, { about: string; run: () => Promise<number>; watchdogSeconds?: number }> = {
  people: {
    about: 'GET /api/people (signed in, 50/page, embedded PGlite, demo workspace) vs a bare Fastify JSON route',
    run: async () => (await import('./people.js')).runPeopleBench(),
  },
  ideas: {
    about: 'GET /api/ideas (signed in, 50/page, demo workspace) vs a bare Fastify JSON route; TEST_DATABASE=postgres for PostgreSQL',
    run: async () => (await import('./people.js')).runListBench('ideas'),
  },
  requests: {
    about: 'GET /api/requests (signed in, 50/page, demo workspace) vs a bare Fastify JSON route; TEST_DATABASE=postgres for PostgreSQL',
    run: async () => (await import('./people.js')).runListBench('requests'),
  },
  exceptions: {
    about: 'GET /api/pos/exceptions (open, signed in, 50/page, demo workspace with POS data) vs a bare Fastify JSON route',
    run: async () => (await import('./people.js')).runListBench('exceptions'),
    watchdogSeconds: 300,
  },
  pos: {
    about: 'POS import of 1M transactions into PGlite and PostgreSQL vs a raw COPY; event-loop stall, scoring, dashboards, memory; DuckDB reference',
    run: async () => (await import('./pos.js')).runPosBench(),
    watchdogSeconds: 1800,
  },
  upload: {
    about: '/healthz and a signed-in list during a 1 byte/s POS upload and a 500 MB random upload vs no upload; time to refuse a 40 MB line',
    run: async () => (await import('./upload.js')).runUploadBench(),
    watchdogSeconds: 600,
  },
  detection: {
    about: 'Cashier monitoring on several seeds of a realistic scenario: precision@10, AP, ROC AUC, Tandem vs a naive max-z baseline',
    run: async () => (await import('./detection.js')).runDetectionBench(),
    watchdogSeconds: 1800,
  },
  newsletter: {
    about: '5,000 newsletter recipients over a local SMTP server from a sender killed half-way and restarted, vs the SMTP server alone',
    run: async () => (await import('./newsletter.js')).runNewsletterBench(),
    watchdogSeconds: 300,
  },
};

const DEFAULT = 'people';
/** The whole run stops by itself: a bench that overruns this is killed with a non-zero exit. */
const WATCHDOG_SECONDS = 150;

async function main() {
  const name = process.argv[2] ?? DEFAULT;
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown bench "${name}". Available:`);
    for (const [n, b] of Object.entries(BENCHES)) console.error(`  ${n.padEnd(8)} ${b.about}`);
    return 2;
  }
  const watchdog = bench.watchdogSeconds ?? WATCHDOG_SECONDS;
  setTimeout(() => {
    console.error(`bench "${name}" did not finish within ${watchdog} s; aborting`);
    process.exit(3);
  }, watchdog * 1000).unref();
  return bench.run();
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
