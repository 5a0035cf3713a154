// `npm test`: the unit and integration suites against the embedded database and a fresh
// PostgreSQL server database, then the end-to-end journeys in Chromium.
import { spawnSync } from 'node:child_process';

const run = (label, cmd, args, env = {}) => {
  process.stdout.write(`\n=== ${label} ===\n`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    process.stdout.write(`\n${label} failed\n`);
    process.exit(result.status ?? 1);
  }
};

const only = process.argv[2];
if (!only || only === 'pglite') run('integration tests on PGlite', 'npx', ['vitest', 'run'], { TEST_DATABASE: 'pglite' });
if (!only || only === 'postgres') run('integration tests on PostgreSQL', 'npx', ['vitest', 'run'], { TEST_DATABASE: 'postgres' });
if (!only || only === 'e2e') run('end-to-end tests in Chromium', 'npx', ['playwright', 'test']);
