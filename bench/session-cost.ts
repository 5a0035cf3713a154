// Per-request cost of looking the session up in the database (no signed cookie cache):
// mean GET /api/me time, in process, on the database the environment selects.
// Run: npx tsx bench/session-cost.ts   (TEST_DATABASE=postgres for PostgreSQL)
import { performance } from 'node:perf_hooks';
import { ROLE_EMAILS, seededApp, signIn } from '../test/context.js';

const t = await seededApp();
try {
  const cookie = await signIn(t.app, ROLE_EMAILS.admin);
  const round = async (n: number) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`GET /api/me ${res.statusCode}`);
    }
    return (performance.now() - started) / n;
  };
  await round(100);
  const samples = [await round(500), await round(500), await round(500)].sort((a, b) => a - b);
  process.stdout.write(`GET /api/me mean ${samples[1].toFixed(3)} ms (median of 3 rounds of 500; ${process.env.TEST_DATABASE ?? 'pglite'})\n`);
} finally {
  await t.close();
}
