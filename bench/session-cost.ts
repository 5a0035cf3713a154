// Per-request cost of looking the session up in the database on every request (no signed cookie
// cache, so sign-out, password change and deactivation end sessions at once): mean GET /api/me
// time, in process. Run: npx tsx bench/session-cost.ts   (TEST_DATABASE=postgres for PostgreSQL).
// The figure in docs/decisions.md compares it with `cookieCache: { enabled: true, maxAge: 60 }`
// set temporarily in platform/auth.ts.
import { performance } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import { createTestApp, signIn } from '../test/context.js';
import { departments, people } from '../src/server/modules/people/schema.js';
import { accounts } from '../src/server/platform/schema.js';

const t = await createTestApp();
try {
  const password = 'quiet harbour lantern 42';
  const hash = await (await t.ctx.auth.$context).password.hash(password);
  const [dept] = await t.ctx.db.insert(departments).values({ id: uuidv7(), code: 'LP', name: 'Loss Prevention', kind: 'custom' }).returning();
  const id = uuidv7();
  await t.ctx.db.insert(people).values({ id, name: 'Bench Admin', email: 'bench@example.com', role: 'admin', departmentId: dept.id, emailVerified: true });
  await t.ctx.db.insert(accounts).values({ id: uuidv7(), accountId: id, providerId: 'credential', userId: id, password: hash });
  const cookie = await signIn(t.app, 'bench@example.com', password);
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
