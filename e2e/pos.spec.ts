import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
const LP_LEAD = 'luis.ortega@meridian.example';

/** Picks an option of a Mantine select by its label. */
async function pick(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}

test('an LP lead uploads POS data with progress, opens a flagged post-void with its video link, and dismisses an exception with a reason', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, LP_LEAD);
  await page.getByRole('link', { name: 'POS imports' }).click();
  await expect(page.getByRole('heading', { name: 'POS imports' })).toBeVisible();

  // Upload the file; the request is held back a moment so that the upload phase can be seen, then the
  // page follows the server's progress (GET /api/pos/imports/:id) until the import is done.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/pos/imports?*', async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  await page.getByLabel('POS file').setInputFiles(path.join(FIXTURES, 'pos-ne101.csv'));
  await expect(page.getByRole('combobox', { name: 'Format' })).toHaveValue('CSV (Tandem format)');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const progress = page.getByTestId('import-progress');
  await expect(progress).toContainText('Uploading…');
  await expect(progress.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('aria-valuemax', '100');
  release();
  await expect(progress).toContainText('Done: 12 transactions imported', { timeout: 30_000 });
  await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  const result = page.getByTestId('import-result');
  await expect(result.getByTestId('import-rows-imported')).toHaveText('12');
  await expect(result.getByTestId('import-duplicates-skipped')).toHaveText('0');
  await expect(result.getByTestId('import-invalid-rows')).toHaveText('0');
  await expect(page.getByTestId('imports-table')).toContainText('pos-ne101.csv');

  // A file with bad rows, skipping them: line-numbered errors with the field, and the unknown store code.
  await page.getByLabel('POS file').setInputFiles(path.join(FIXTURES, 'pos-with-bad-rows.csv'));
  await page.getByLabel('Skip invalid rows').check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(progress).toContainText('Done', { timeout: 30_000 });
  await expect(result.getByTestId('import-rows-imported')).toHaveText('2');
  await expect(result.getByTestId('import-invalid-rows')).toHaveText('2');
  const errors = result.getByTestId('import-errors');
  await expect(errors.getByRole('row', { name: /^3 total/ })).toBeVisible();
  await expect(errors.getByRole('row', { name: /^4 store unknown store code "ZZ-999"/ })).toBeVisible();
  await expect(result.getByTestId('unknown-stores')).toContainText('ZZ-999');

  // The queue: the planted post-void and the no-receipt refund of cashier 1990 are there.
  await page.getByRole('link', { name: 'Exception queue' }).click();
  await expect(page.getByRole('heading', { name: 'Exception queue' })).toBeVisible();
  await pick(page, 'Store', 'NE-101 · Hartford Downtown');
  await page.getByLabel('Search').fill('1990');
  const table = page.getByTestId('exceptions-table');
  const postVoid = table.getByRole('row').filter({ hasText: 'Post-void of a large transaction' });
  const refund = table.getByRole('row').filter({ hasText: 'Refund without receipt to a card' });
  await expect(postVoid).toHaveCount(1);
  await expect(refund).toHaveCount(1);
  await expect(page.getByTestId('list-count')).toHaveText('Showing 1–2 of 2 exceptions');
  // The CSV export carries the same filters.
  const exportHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(exportHref).toMatch(/^\/api\/pos\/exceptions\/export\?/);
  expect(exportHref).toContain('q=1990');
  expect(exportHref).toContain('open=true');

  // The flagged transaction: receipt, explanation in words, and the video at the right camera and second.
  await postVoid.getByRole('link', { name: /^EXC-\d+$/ }).click();
  await expect(page.getByRole('heading', { name: 'Post-void of a large transaction' })).toBeVisible();
  await expect(page.getByTestId('receipt')).toContainText('NE-101 · register 2 · #880105');
  await expect(page.getByTestId('receipt')).toContainText('2026-11-18 14:03:22 (store time, America/New_York)');
  await expect(page.getByTestId('receipt-total')).toHaveText('$184.50');
  await expect(page.getByTestId('flag-explanation')).toContainText('voided after it had been completed');
  const video = page.getByTestId('watch-video').first();
  await expect(video).toHaveAttribute('target', '_blank');
  // NE-101's template: …/playback?camera={camera}&from={start_iso}&to={end_iso}; register 2 → camera NE-101-CAM-R2;
  // 14:03:22 in Hartford (UTC−5 in November) is 19:03:22Z, minus the 10-second lead-in.
  const href = await video.getAttribute('href');
  expect(href).toContain('camera=NE-101-CAM-R2');
  expect(href).toContain('from=2026-11-18T19:03:12Z');

  // A note starts the review.
  await page.getByLabel('Add a note').fill('Video shows the customer left before the post-void. Pulling the drawer count.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('exception-notes')).toContainText('Pulling the drawer count');
  await expect(page.getByTestId('exception-status')).toHaveText('Reviewing');

  // Dismiss the refund: without a reason the server's message shows at the field; with one it is dismissed.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Exception queue' })).toBeVisible();
  await page.getByLabel('Search').fill('1990');
  await expect(page.getByTestId('list-count')).toHaveText('Showing 1–2 of 2 exceptions');
  await table.getByRole('row').filter({ hasText: 'Refund without receipt to a card' }).getByRole('link', { name: /^EXC-\d+$/ }).click();
  await expect(page.getByRole('heading', { name: 'Refund without receipt to a card' })).toBeVisible();
  await expect(page.getByTestId('watch-video').first()).toHaveAttribute('href', /camera=NE-101-CAM-R2&from=2026-11-18T19:16:03Z/);
  await page.getByTestId('review-card').getByRole('button', { name: 'Dismiss' }).click();
  const dialog = page.getByRole('dialog', { name: /Dismiss EXC-\d+/ });
  await dialog.getByRole('button', { name: 'Dismiss exception' }).click();
  const reason = dialog.getByLabel('Reason');
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog).toContainText('Is required to dismiss an exception');
  await reason.fill('Customer brought the receipt back the next day; the store manager approved the return.');
  const dismissedUrl = page.url();
  await dialog.getByRole('button', { name: 'Dismiss exception' }).click();
  await expect(dialog).toBeHidden();
  // The decision made, the next item of the queue opens; the dismissed one keeps its reason.
  await expect(page).not.toHaveURL(dismissedUrl, { timeout: 30_000 });
  await page.goto(dismissedUrl);
  await expect(page.getByTestId('exception-status')).toHaveText('Dismissed', { timeout: 30_000 });
  await expect(page.getByTestId('dismiss-reason')).toContainText('the store manager approved the return');
});

test('the dashboards show charts for the chain, a store and a cashier', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, LP_LEAD);
  await page.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { name: 'Cashier monitoring' })).toBeVisible();
  await expect(page.getByTestId('chart-by-store')).toBeVisible();
  await expect(page.getByTestId('chart-trend')).toBeVisible();
  await page.getByTestId('stores-table').getByRole('link', { name: 'NE-101' }).click();
  await expect(page.getByRole('heading', { name: 'NE-101 · Hartford Downtown' })).toBeVisible();
  await expect(page.getByTestId('chart-distribution')).toBeVisible();
  // The planted refund-heavy cashier tops the store's ranking, with the reason in words.
  const first = page.getByTestId('cashiers-table').getByRole('row').nth(1);
  await expect(first).toContainText('Travis Keller');
  await expect(first).toContainText(/refunds without receipt/i);
  await first.getByRole('link', { name: 'Travis Keller' }).click();
  await expect(page.getByRole('heading', { name: 'Travis Keller' })).toBeVisible();
  await expect(page.getByTestId('chart-score')).toBeVisible();
  await expect(page.getByTestId('chart-metric')).toBeVisible();
  await expect(page.getByTestId('transactions-table')).toContainText('Return / refund');
});
