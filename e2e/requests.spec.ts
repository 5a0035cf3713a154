import { expect, test, type Locator, type Page } from '@playwright/test';
import { choose, signIn } from './helpers';

const JAMAL = 'jamal.brooks@meridian.example'; // LP member
const RACHEL = 'rachel.okafor@meridian.example'; // IT member

interface LedgerPair {
  a: { code: string };
  b: { code: string };
  aToB: { asks: number; delivered: number };
  bToA: { asks: number; delivered: number };
}

async function lpToIt(page: Page) {
  const ledger = (await (await page.request.get('/api/requests/ledger?months=6')).json()) as { pairs: LedgerPair[] };
  const pair = ledger.pairs.find((p) => [p.a.code, p.b.code].sort().join() === 'IT,LP')!;
  return pair.a.code === 'LP' ? pair.aToB : pair.bToA;
}

/** The cell of a ledger pair card: row by label, column by direction ("LP → IT"). */
async function ledgerCell(card: Locator, row: string, direction: string) {
  const headers = await card.locator('thead th').allInnerTexts();
  const column = headers.findIndex((h) => h.trim() === direction);
  expect(column).toBeGreaterThan(0);
  return card.getByRole('row', { name: new RegExp(`^${row}`) }).locator('td').nth(column);
}

test('LP files a video export to IT; IT accepts and completes it; the ledger counts it', async ({ page, browser }) => {
  const title = `Video export for case C-2026-099 (NE-104, 24 Nov 19:00–19:30) ${Date.now() % 100000}`;

  // Jamal (LP) files the request.
  await signIn(page, JAMAL);
  const before = await lpToIt(page);
  await page.getByRole('link', { name: 'Requests', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Requests' })).toBeVisible();
  await page.getByRole('button', { name: 'New request' }).click();
  const dialog = page.getByRole('dialog');
  await choose(page, dialog, 'To department', 'Information Technology');
  await choose(page, dialog, 'Type', 'Video export');
  await dialog.getByLabel('Title', { exact: true }).fill(title);
  await dialog.getByLabel('Details').fill('Cameras 2 and 6 (entrance and service desk). Gift-card fraud; police report 24-118834.');
  await choose(page, dialog, 'Priority', /^P2/);
  await choose(page, dialog, 'Store (optional)', /NE-104/);
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByTestId('request-status')).toHaveText('New');
  const ref = (await page.locator('text=/^REQ-\\d+$/').first().innerText()).trim();
  expect(ref).toMatch(/^REQ-\d+$/);
  // The requesting side cannot accept its own request.
  await expect(page.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel request' })).toBeVisible();

  // Rachel (IT) finds it on My work, accepts, starts and completes it.
  const context = await browser.newContext();
  const it = await context.newPage();
  await signIn(it, RACHEL);
  await it.getByRole('link', { name: new RegExp(`^${ref} `) }).click();
  await expect(it.getByRole('heading', { name: title })).toBeVisible();
  await it.getByRole('button', { name: 'Accept' }).click();
  await expect(it.getByTestId('request-status')).toHaveText('Accepted');
  await expect(it.getByTestId('request-history')).toContainText('Rachel Okafor took it on');
  await expect(it.getByTestId('clock-response')).toContainText('within target');
  await it.getByLabel('Add a comment').fill('Pulling cameras 2 and 6 now; the NE-104 recorder keeps 30 days.');
  await it.getByRole('button', { name: 'Comment' }).click();
  await expect(it.getByTestId('request-history')).toContainText('the NE-104 recorder keeps 30 days');
  await it.getByRole('button', { name: 'Start work' }).click();
  await expect(it.getByTestId('request-status')).toHaveText('In progress');
  await it.getByRole('button', { name: 'Mark done' }).click();
  const done = it.getByRole('dialog');
  await done.getByLabel('What was delivered (optional)').fill('Exported as MP4 with SHA-256 hashes; link sent to Jamal, expires in 14 days.');
  await done.getByRole('button', { name: 'Mark done' }).click();
  await expect(it.getByTestId('request-status')).toHaveText('Done');
  await expect(it.getByTestId('close-reason')).toContainText('SHA-256');
  await expect(it.getByTestId('clock-resolution')).toContainText('within target');
  await context.close();

  // Jamal sees it done, and the give-and-take ledger counts the delivery LP → IT.
  await page.reload();
  await expect(page.getByTestId('request-status')).toHaveText('Done');
  await page.getByRole('link', { name: 'Give and take' }).click();
  await expect(page.getByRole('heading', { name: 'Give and take' })).toBeVisible();
  const card = page.getByTestId('ledger-pair').filter({ hasText: 'Information Technology ⇄ Loss Prevention' });
  await expect(card).toBeVisible();
  await expect(await ledgerCell(card, 'Asks', 'LP → IT')).toHaveText(String(before.asks + 1));
  await expect(await ledgerCell(card, 'Delivered', 'LP → IT')).toHaveText(String(before.delivered + 1));
});

test('declining needs a reason, shown at the field', async ({ page }) => {
  await signIn(page, RACHEL);
  await page.getByRole('link', { name: 'Requests', exact: true }).click();
  await page.getByText('Received', { exact: true }).click();
  await page.getByRole('combobox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'New', exact: true }).click();
  await page.getByTestId('requests-table').getByRole('link').first().click();
  await page.getByRole('button', { name: 'Decline' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Decline' }).click();
  await expect(dialog.getByText('Tell the requester why you decline')).toBeVisible();
  await dialog.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByTestId('request-status')).toHaveText('New');
});

test('an admin sets a department’s business hours; a bad time is named at its field; a request page says what its targets count', async ({ page }) => {
  await signIn(page, 'dana.whitfield@meridian.example');
  await page.goto('/admin/request-catalogue');
  await page.getByRole('button', { name: 'Edit business hours of Security Operations' }).click();
  const dialog = page.getByRole('dialog', { name: 'Business hours: Security Operations' });
  await dialog.getByLabel('Time zone').fill('America/Chicago');
  await page.getByRole('option', { name: 'America/Chicago', exact: true }).click();
  await dialog.getByLabel('Sat').check();
  await dialog.getByLabel('Opens').fill('07:00');
  await dialog.getByLabel('Closes').fill('06:00');
  await dialog.getByLabel('Holidays').fill('2026-12-24 Christmas Eve\n2026-12-25 Christmas Day');
  await dialog.getByRole('button', { name: 'Save hours' }).click();
  await expect(dialog.getByText('must be after the start time')).toBeVisible();
  await dialog.getByLabel('Closes').fill('15:30');
  await dialog.getByRole('button', { name: 'Save hours' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('calendar-row').filter({ hasText: 'Security Operations' })).toContainText('Mon–Sat 07:00–15:30 (America/Chicago), 2 holidays');

  // A request to IT counts IT's hours (weekdays in New York, set by the demo).
  const list = (await (await page.request.get('/api/requests?limit=50')).json()) as { items: { ref: string; toDepartmentName: string; priority: string }[] };
  const toIt = list.items.find((r) => r.toDepartmentName === 'Information Technology' && r.priority !== 'P1')!;
  await page.goto(`/requests/${toIt.ref}`);
  await expect(page.getByTestId('target-clock')).toHaveText('Targets count business hours of Information Technology: Mon–Fri 08:00–18:00 (America/New_York), 7 holidays.');
});
