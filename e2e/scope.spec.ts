import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const IT_MEMBER = 'rachel.okafor@meridian.example';
const STORE_LP = 'ricky.navarro@meridian.example'; // LP associate attached to NE-101

test('an IT member cannot see or change POS exceptions: no navigation, list, detail, export or home tile', async ({ page, browser }) => {
  // An LP reader finds a real exception id to try.
  const lp = await (await browser.newContext()).newPage();
  await signIn(lp, 'jamal.brooks@meridian.example');
  const list = await lp.request.get('/api/pos/exceptions?limit=1');
  expect(list.status()).toBe(200);
  const exceptionId = (await list.json()).items[0].id as string;

  await signIn(page, IT_MEMBER);
  await expect(page.getByRole('link', { name: 'Exception queue', exact: true })).toHaveCount(0);
  await expect(page.getByTestId('figure').filter({ hasText: 'Open exceptions' })).toHaveCount(0);
  for (const url of ['/api/pos/exceptions', `/api/pos/exceptions/${exceptionId}`, '/api/pos/exceptions/export', '/api/pos/dashboard']) {
    expect((await page.request.get(url)).status(), url).toBe(403);
  }
  const change = await page.request.patch(`/api/pos/exceptions/${exceptionId}`, { data: { status: 'watch' }, headers: { origin: new URL(page.url()).origin } });
  expect(change.status()).toBe(403);
  await page.goto(`/pos/exceptions/${exceptionId}`);
  await expect(page.getByText(/does not include this part of Tandem/)).toBeVisible();
});

test('a store LP associate sees only their store’s exceptions, with store times and the zone named', async ({ page }) => {
  await signIn(page, STORE_LP);
  await expect(page.getByTestId('figure').filter({ hasText: 'Open exceptions' })).toBeVisible();
  await page.getByRole('link', { name: 'Exception queue', exact: true }).click();
  await expect(page.getByRole('heading', { name: /exception/i }).first()).toBeVisible();
  const res = await page.request.get('/api/pos/exceptions?limit=200');
  const body = await res.json();
  expect(body.total).toBeGreaterThan(0);
  expect(new Set(body.items.map((e: { storeCode: string }) => e.storeCode))).toEqual(new Set(['NE-101']));
  // Another store's exceptions do not exist for them.
  const admin = await page.context().browser()!.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, 'dana.whitfield@meridian.example');
  const other = (await (await adminPage.request.get('/api/pos/exceptions?limit=50')).json()).items.find((e: { storeCode: string }) => e.storeCode !== 'NE-101');
  expect((await page.request.get(`/api/pos/exceptions/${other.id}`)).status()).toBe(404);
  // The POS settings page says truthfully who changes the scoring.
  await page.goto('/pos/settings');
  await expect(page.getByText('Only administrators and chain-wide loss-prevention leads change the scoring')).toBeVisible();
});
