import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const LP_LEAD = 'luis.ortega@meridian.example';

test('an investigator ranks who to look at, works the queue by risk in bulk, and clears it item by item with the receipt beside the video', async ({ page }) => {
  // The demo month is large and the machine may be busy: pages get time to load.
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, LP_LEAD);

  // Who to look at for a period: the range is in the address and every cashier is compared with their peers.
  await page.getByRole('link', { name: 'Who to look at' }).click();
  await expect(page.getByRole('heading', { name: 'Who to look at' })).toBeVisible({ timeout: 30_000 });
  const ranked = page.getByTestId('ranked-cashier');
  await expect(ranked.first()).toBeVisible({ timeout: 30_000 });
  const fromValue = await page.getByLabel('From', { exact: true }).inputValue();
  const toValue = await page.getByLabel('To', { exact: true }).inputValue();
  expect(fromValue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  // A shorter range: the address carries it, and the ranking is for that week.
  const weekStart = new Date(Date.parse(`${toValue}T00:00:00Z`) - 6 * 86400000).toISOString().slice(0, 10);
  await page.getByLabel('From', { exact: true }).fill(weekStart);
  await expect(page).toHaveURL(new RegExp(`from=${weekStart}`));
  await expect(page.getByText(/\(7 days\)/)).toBeVisible({ timeout: 30_000 });
  await page.goto(`/pos/ranking?from=${fromValue}&to=${toValue}&group=service_desk`);
  await expect(page.getByRole('combobox', { name: 'Peer group' })).toHaveValue('Service desk');

  // The queue opens ranked by risk, one card per cashier with their exceptions under it.
  await page.getByRole('link', { name: 'Investigator queue' }).click();
  await expect(page.getByRole('heading', { name: 'Investigator queue' })).toBeVisible({ timeout: 30_000 });
  const api = await (await page.request.get('/api/pos/queue?limit=200')).json();
  const groups = page.getByTestId('queue-group');
  await expect(groups.first()).toBeVisible({ timeout: 30_000 });
  expect(await groups.count()).toBe(api.groups.length);
  const risks: number[] = api.groups.map((g: { risk: number }) => g.risk);
  expect(risks).toEqual([...risks].sort((a, b) => b - a));
  await expect(groups.first().getByTestId('queue-cashier')).toHaveText(api.groups[0].cashierName || api.groups[0].cashierCode);
  const multi = api.groups.findIndex((g: { exceptions: unknown[] }) => g.exceptions.length > 1);
  expect(multi, 'a cashier with several exceptions is one group').toBeGreaterThanOrEqual(0);
  await expect(groups.nth(multi).getByTestId('queue-row')).toHaveCount(api.groups[multi].exceptions.length);

  // Assign a whole cashier's exceptions to me.
  const first = groups.first();
  const firstName = api.groups[0].cashierName || api.groups[0].cashierCode;
  await first.getByRole('checkbox', { name: `Select all of ${firstName}` }).check();
  await expect(page.getByTestId('selected-count')).toHaveText(`${api.groups[0].exceptions.length} selected`);
  await page.getByRole('button', { name: 'Assign to me' }).click();
  await expect(page.getByText(/assigned to you/)).toBeVisible({ timeout: 30_000 });
  await expect(first.getByText('Luis Ortega').first()).toBeVisible({ timeout: 30_000 });

  // Bulk dismiss the last group with one reason: they leave the queue.
  const last = api.groups[api.groups.length - 1];
  const lastRefs: string[] = last.exceptions.map((e: { ref: string }) => e.ref);
  await groups.last().getByRole('checkbox', { name: `Select all of ${last.cashierName || last.cashierCode}` }).check();
  await page.getByRole('button', { name: 'Dismiss…' }).click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('Reason (one for all)').fill('Reviewed on video: training session with a supervisor present');
  await modal.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByText(`${lastRefs.length} exception${lastRefs.length === 1 ? '' : 's'} dismissed`)).toBeVisible({ timeout: 30_000 });
  for (const ref of lastRefs) await expect(page.getByRole('link', { name: ref, exact: true })).toHaveCount(0, { timeout: 30_000 });

  // A transaction exception: the receipt beside the video link, then the next item by keyboard.
  const txnGroup = api.groups.find((g: { exceptions: Array<{ kind: string }> }, i: number) => i < api.groups.length - 1 && g.exceptions.some((e) => e.kind === 'transaction'));
  const txnExc = txnGroup.exceptions.find((e: { kind: string }) => e.kind === 'transaction');
  await page.getByRole('link', { name: txnExc.ref, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/pos/exceptions/${txnExc.id}$`));
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toBeVisible({ timeout: 30_000 });
  const receiptCard = page.locator('.mantine-Card-root').filter({ has: receipt });
  await expect(receiptCard.getByRole('link', { name: 'Watch video' }).or(receiptCard.getByRole('button', { name: 'No video link' }))).toBeVisible();
  await expect(page.getByText(/store time/).first()).toBeVisible();

  const next = (await (await page.request.get(`/api/pos/exceptions/${txnExc.id}/next`)).json()).id as string;
  await page.keyboard.press('n');
  await expect(page).toHaveURL(new RegExp(`/pos/exceptions/${next}$`), { timeout: 30_000 });

  // A decision opens the next item.
  const afterNext = (await (await page.request.get(`/api/pos/exceptions/${next}/next`)).json()).id as string | null;
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  if (afterNext) await expect(page).toHaveURL(new RegExp(`/pos/exceptions/${afterNext}$`), { timeout: 30_000 });
  else await expect(page).toHaveURL(/\/pos\/queue$/, { timeout: 30_000 });

  // The decisions feed back: rule outcomes count them (confirmed of reviewed, loss found).
  await page.getByRole('link', { name: 'Rule outcomes' }).click();
  await expect(page.getByRole('heading', { name: 'Rule outcomes', level: 1 })).toBeVisible();
  const outcomes = (await (await page.request.get('/api/pos/outcomes')).json()) as { items: { label: string; dismissed: number; confirmed: number; hitRate: number | null }[] };
  const dismissedRule = outcomes.items.find((r) => r.dismissed > 0)!;
  const confirmedRule = outcomes.items.find((r) => r.confirmed > 0)!;
  for (const rule of [dismissedRule, confirmedRule]) {
    const row = page.getByTestId('outcome-row').filter({ hasText: rule.label }).first();
    await expect(row).toBeVisible();
    await expect(row).toContainText(`${Math.round(rule.hitRate! * 100)} %`);
  }
});
