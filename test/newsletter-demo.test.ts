import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from './context.js';
import { seedDemo } from '../src/server/demo/index.js';

// The demo's sent monthly edition is dated after its month and never in the future, also when the
// demo is loaded on the first day of a month (its usual date, two days after the month, is then ahead).
let t: TestApp;
const NOW = new Date('2026-12-01T00:30:00Z');

beforeAll(async () => {
  t = await createTestApp();
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  try {
    await seedDemo(t.ctx, { pos: false });
  } finally {
    vi.useRealTimers();
  }
}, 240_000);
afterAll(async () => t?.close());

it('dates the sent demo edition between its month’s end and now', async () => {
  const { rows } = await t.ctx.database.query<{ sent: string; period_end: string }>(
    `select to_char(sent_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as sent, to_char(period_to at time zone 'UTC', 'YYYY-MM-DD') as period_end from newsletter_editions where status = 'sent'`,
  );
  expect(rows).toHaveLength(1);
  expect(rows[0].period_end).toBe('2026-12-01');
  expect(rows[0].sent <= '2026-12-01T00:30').toBe(true);
  expect(rows[0].sent >= '2026-12-01T00:00').toBe(true);
});
