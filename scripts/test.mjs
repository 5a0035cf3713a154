// `npm test`: the unit and integration suites against the embedded database and a fresh
// PostgreSQL server database, then the end-to-end journeys in Chromium. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(label, cmd, args, env, count) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  count();
  if (result.status !== 0) {
    process.stdout.write(`\n${label} failed\n${totals.passed} passed, ${Math.max(totals.failed, 1)} failed\n`);
    process.exit(result.status ?? 1);
  }
}

function countVitest(file) {
  if (!fs.existsSync(file)) return;
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}

function countPlaywright(file) {
  if (!fs.existsSync(file)) return;
  const s = JSON.parse(fs.readFileSync(file, 'utf8')).stats;
  totals.passed += s.expected + s.flaky;
  totals.failed += s.unexpected;
  totals.skipped += s.skipped;
}

const only = process.argv[2];
for (const db of ['pglite', 'postgres']) {
  if (only && only !== db) continue;
  const out = path.join(reports, `vitest-${db}.json`);
  run(`integration tests on ${db === 'pglite' ? 'PGlite' : 'PostgreSQL'}`, 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], { TEST_DATABASE: db }, () => countVitest(out));
}
if (!only || only === 'e2e') {
  const out = path.join(reports, 'playwright.json');
  run('end-to-end tests in Chromium', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out }, () => countPlaywright(out));
}
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
