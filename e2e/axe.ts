import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';

/** The widths pages are checked at: a common laptop, and a phone. */
export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * A context to run axe in: the app's CSP forbids injected script and axe is injected, so the
 * context bypasses it; animations are off so nothing is caught half drawn.
 */
export function axeContext(browser: Browser, options: BrowserContextOptions) {
  return browser.newContext({ ...options, bypassCSP: true, reducedMotion: 'reduce' });
}

/** Waits until the page has settled: a heading shown, no request in flight, no loader left. */
export async function settled(page: Page) {
  await expect(page.locator('h1, h2').first()).toBeVisible({ timeout: 20_000 });
  // Some pages poll (the bell's unread count), so the network may never be idle for long.
  await page.waitForLoadState('networkidle', { timeout: 3_000 }).catch(() => undefined);
  await expect(page.locator('.mantine-Loader-root')).toHaveCount(0, { timeout: 20_000 });
}

/**
 * Runs axe on the open page and checks (softly, so every page of a run is reported) that it has no
 * serious or critical violation and exactly one h1. Prints one line per page, and the first
 * offending nodes, so a run's log shows where violations are. Returns the count of offending nodes.
 */
export async function checkPage(page: Page, label: string, exclude: string[] = []) {
  // Only violations are read: axe skips gathering the nodes of passing and incomplete checks.
  const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] });
  for (const selector of exclude) builder.exclude(selector);
  const results = await builder.analyze();
  const serious = results.violations.filter((r) => r.impact === 'serious' || r.impact === 'critical');
  const nodes = serious.reduce((n, r) => n + r.nodes.length, 0);
  console.log(`${label}: ${nodes} serious/critical nodes${serious.length ? ` (${serious.map((r) => `${r.id}×${r.nodes.length}`).join(', ')})` : ''}`);
  for (const r of serious) for (const n of r.nodes.slice(0, 4)) console.log(`    ${r.id}: ${n.target.join(' ')} ${n.html.slice(0, 140)} — ${summary(n.failureSummary).slice(0, 200)}`);
  expect
    .soft(
      serious.map((r) => ({ rule: r.id, impact: r.impact, help: r.help, nodes: r.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${summary(n.failureSummary)}`) })),
      label,
    )
    .toEqual([]);
  expect.soft(await page.locator('h1').count(), `${label}: one h1`).toBe(1);
  return nodes;
}

const summary = (failure: string | undefined) => failure?.split('\n').slice(1).join(' ').trim() ?? '';
