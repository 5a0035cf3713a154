import { expect, test, type BrowserContextOptions } from '@playwright/test';
import { axeContext, checkPage, DESKTOP, PHONE, settled } from './axe';
import { PEOPLE, signIn } from './helpers';

/**
 * The accessibility check that runs in every CI run: one page of each of cross-training, devices,
 * meetings and projects/budget, in the light scheme at 1366 px and the dark scheme at 390 px, has
 * no serious or critical axe violation and one h1. The pages are the ones with the most kinds of
 * parts (charts, wide tables, tinted panels, forms). The full sweep of every page is
 * e2e/accessibility.spec.ts (A11Y=1).
 */

const VARIANTS = [
  { name: 'light, 1366px', options: { colorScheme: 'light', viewport: DESKTOP } },
  { name: 'dark, 390px', options: { colorScheme: 'dark', viewport: PHONE } },
] satisfies { name: string; options: BrowserContextOptions }[];

let storageState: BrowserContextOptions['storageState'];
let pages: { name: string; path: string }[];

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, PEOPLE.admin);
  // A past meeting: agenda, minutes, decisions and actions filled in.
  const series = await page.request.get('/api/meetings/series?limit=1');
  expect(series.status()).toBe(200);
  const seriesId = (await series.json()).items[0].id as string;
  const detail = await (await page.request.get(`/api/meetings/series/${seriesId}`)).json();
  const occurrence = (detail.past as { id: string; itemCount: number }[]).find((o) => o.itemCount > 0);
  expect(occurrence, 'a past meeting with an agenda').toBeTruthy();
  pages = [
    { name: 'training coverage', path: '/training/coverage' },
    { name: 'device posture', path: '/devices/posture' },
    { name: 'meeting occurrence', path: `/meetings/occurrences/${occurrence!.id}` },
    { name: 'budget alignment', path: '/budget/alignment' },
    { name: 'shrink dashboard', path: '/incidents/shrink' },
  ];
  storageState = await context.storageState();
  await context.close();
});

for (const variant of VARIANTS) {
  test(`axe, ${variant.name}: a page of each of training, devices, meetings, budget and incidents`, async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await axeContext(browser, { ...variant.options, storageState });
    try {
      for (const p of pages) {
        const label = `${p.name}, ${variant.name}`;
        await test.step(label, async () => {
          const page = await context.newPage();
          await page.goto(p.path);
          await settled(page);
          await checkPage(page, label);
          await page.close();
        });
      }
    } finally {
      await context.close();
    }
  });
}
