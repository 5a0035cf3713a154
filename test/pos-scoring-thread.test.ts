import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../src/server/modules/pos/settings.js';
import { scoreCashiers, type CashierContext, type CashierCounts } from '../src/server/modules/pos/scoring.js';
import { scoreOffThread } from '../src/server/modules/pos/scoring-thread.js';

/** 120 cashiers in 6 stores, with a few whose refunds and voids stand out. */
function cashiers(): CashierCounts[] {
  return Array.from({ length: 120 }, (_, i) => {
    const odd = i % 37 === 5;
    const txn = 400 + ((i * 13) % 200);
    return {
      storeId: `store-${i % 6}`, cashierCode: `C${i}`, periodStart: '2026-03-02', txn, sales: txn - 20, salesCents: txn * 2500, saleItems: txn * 4, items: txn * 4,
      refunds: odd ? 60 : 8 + (i % 5), refundNoReceipt: odd ? 30 : 1, refundCash: odd ? 25 : 2, refundAfterSale: odd ? 10 : 0, postVoids: odd ? 12 : i % 2,
      voidAfterTotal: odd ? 6 : 0, lineVoids: 10 + (i % 7), noSales: 2, overrides: 1, cards: txn / 2, manualCards: odd ? 20 : 1, employeeDiscounts: 0,
      giftIssues: 0, giftRedeems: 0, managerOverrides: 0,
    };
  });
}

describe('scoring thread', () => {
  it('scores as the model does on this thread, contexts included', async () => {
    const rows = cashiers();
    const contexts = new Map<string, CashierContext>([[`store-1\tC7`, { group: 'service_desk', expectedKeyed: null, topRefundCard: { token: 'tok-1234', count: 5 }, topDiscountCard: null }]]);
    const here = scoreCashiers(rows, DEFAULT_SETTINGS, contexts, 7);
    const there = await scoreOffThread(rows, DEFAULT_SETTINGS, contexts, 7);
    expect(there).toEqual(here);
    expect(there.filter((s) => s.band === 'high').map((s) => s.cashierCode).sort()).toEqual(here.filter((s) => s.band === 'high').map((s) => s.cashierCode).sort());
    expect(here.some((s) => s.score > 50)).toBe(true);
  });

  it('answers requests made at once, each with its own result', async () => {
    const rows = cashiers();
    const [a, b, c] = await Promise.all([scoreOffThread(rows, DEFAULT_SETTINGS, new Map(), 7), scoreOffThread(rows.slice(0, 60), DEFAULT_SETTINGS, new Map(), 1), scoreOffThread([], DEFAULT_SETTINGS, new Map(), 7)]);
    expect(a).toHaveLength(120);
    expect(b).toHaveLength(60);
    expect(c).toEqual([]);
  });

  it('rejects a request the model fails on, with the reason, and goes on serving', async () => {
    const broken = { ...DEFAULT_SETTINGS, weights: null } as unknown as typeof DEFAULT_SETTINGS;
    await expect(scoreOffThread(cashiers(), broken, new Map(), 7)).rejects.toThrow(/^scoring failed: /);
    expect(await scoreOffThread(cashiers(), DEFAULT_SETTINGS, new Map(), 7)).toHaveLength(120);
  });
});

describe('scoring thread and the process', () => {
  it('does not keep a process alive once its answers are in', async () => {
    const { execFile } = await import('node:child_process');
    const script = `
      import { scoreOffThread } from './src/server/modules/pos/scoring-thread.ts';
      import { DEFAULT_SETTINGS } from './src/server/modules/pos/settings.ts';
      const rows = [{ storeId: 's', cashierCode: 'c', periodStart: '2026-03-02', txn: 100, sales: 90, salesCents: 1, saleItems: 1, items: 1, refunds: 1, refundNoReceipt: 0, refundCash: 0, refundAfterSale: 0, postVoids: 0, voidAfterTotal: 0, lineVoids: 0, noSales: 0, overrides: 0, cards: 1, manualCards: 0, employeeDiscounts: 0, giftIssues: 0, giftRedeems: 0, managerOverrides: 0 }];
      const scored = await scoreOffThread(rows, DEFAULT_SETTINGS, new Map(), 7);
      console.log('scored', scored.length);
      await new Promise((r) => setImmediate(r));
      console.log('keeping the process alive:', process.getActiveResourcesInfo().filter((r) => !/^(TTYWrap|PipeWrap|FSReqCallback)$/.test(r)).join(',') || 'nothing');`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    // The thread stops a minute after its last request; the process must not wait for that.
    expect(out.trim().split('\n')).toEqual(['scored 1', 'keeping the process alive: nothing']);
  }, 40_000);
});
