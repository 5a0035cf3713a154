import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
const SHOTS = path.resolve(import.meta.dirname, '../test-results/cases');
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

const STAFF = 'lily.evans@meridian.example'; // cashier at NE-101
const LP_LEAD = 'priya.natarajan@meridian.example';
const INVESTIGATOR = 'karen.holt@meridian.example';
const LP_MEMBER = 'jamal.brooks@meridian.example';
const IT_MEMBER = 'rachel.okafor@meridian.example';

async function pick(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}

async function signOut(page: Page) {
  await page.context().clearCookies();
}

test('store staff report from a phone, LP triages and opens a case with evidence, a restricted case stays invisible to others', async ({ page }) => {
  test.setTimeout(240_000);
  // 1. Store staff on a 390 px phone: a report with a photo; the draft survives a reload.
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, STAFF);
  await page.goto('/incidents/new');
  await expect(page.getByRole('heading', { name: 'Report an incident' })).toBeVisible();
  await pick(page, 'What happened?', 'External / customer theft');
  await page.getByLabel('Tell us what happened').fill('Man took three bottles of whisky from aisle 9 and ran out the side door.');
  await page.getByLabel('Estimated loss ($)').fill('89.97');
  await page.reload();
  await expect(page.getByText('Your draft is back')).toBeVisible();
  await expect(page.getByLabel('Tell us what happened')).toHaveValue(/three bottles of whisky/);
  await page.getByLabel('People involved').fill('Man, about 25, green jacket, white trainers');
  const chooser = page.waitForEvent('filechooser');
  await page.getByLabel('Photos and files').click();
  await (await chooser).setFiles(path.join(FIXTURES, 'shelf-photo.png'));
  await shot(page, '1-report-phone');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByText(/INC-\d+/).first()).toBeVisible();
  const incRef = (await page.getByText(/^INC-\d+$/).first().textContent())!.trim();
  await expect(page.getByRole('link', { name: 'shelf-photo.png' })).toBeVisible();
  await shot(page, '2-incident-phone');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'My work' })).toBeVisible();
  await expect(page.getByText('My incident reports')).toBeVisible();
  await shot(page, '2b-home-staff-phone');
  await signOut(page);

  // 2. An LP lead triages it and opens a case from it.
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, LP_LEAD);
  await page.getByRole('link', { name: 'Incidents', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Incidents' })).toBeVisible();
  await page.getByRole('link', { name: incRef, exact: true }).click();
  await page.getByRole('button', { name: 'Mark triaged' }).click();
  await expect(page.getByText('Triaged', { exact: true }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Open a case' }).click();
  await expect(page.getByTestId('case-carries')).toContainText(incRef);
  await expect(page.getByLabel('Title')).toHaveValue(/External \/ customer theft at NE-101/);
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByText(/^CASE-\d{4}-\d{4}$/).first()).toBeVisible();
  await expect(page.getByRole('link', { name: incRef })).toBeVisible();

  // Evidence: uploaded, hashed, and its custody log shows the upload.
  const upload = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload evidence' }).click();
  await (await upload).setFiles(path.join(FIXTURES, 'shelf-photo.png'));
  const row = page.getByTestId('evidence-E1');
  await expect(row).toContainText('SHA-256');
  await row.getByRole('button', { name: /Custody/ }).click();
  await expect(page.getByTestId('custody-E1')).toContainText('Uploaded · Priya Natarajan');
  await shot(page, '3-case-evidence');
  await signOut(page);

  // 3. An investigator opens a restricted case from a POS exception and asks IT for the footage.
  await signIn(page, INVESTIGATOR);
  await page.goto('/pos/exceptions');
  await page.getByRole('link', { name: /^EXC-\d+$/ }).first().click();
  await page.getByRole('link', { name: 'Open a case' }).click();
  await expect(page.getByTestId('case-carries')).toContainText(/Exception EXC-\d+/);
  await expect(page.getByText('This case will be restricted')).toBeVisible();
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByText('Restricted', { exact: true })).toBeVisible();
  const sealedUrl = page.url();
  const sealedRef = decodeURIComponent(sealedUrl.split('/cases/')[1]);
  await expect(page.getByText('POS exceptions and transactions')).toBeVisible();
  await page.getByRole('button', { name: 'Ask IT for a video export' }).click();
  await expect(page.getByLabel('Cameras or registers')).toHaveValue(/register \d+/);
  await page.getByRole('button', { name: 'Send request to IT' }).click();
  await expect(page.getByText(/REQ-\d+ sent to IT/)).toBeVisible();
  // Evidence, then the case report as PDF: the download carries the reference, and the export is in the custody log.
  const sealedUpload = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload evidence' }).click();
  await (await sealedUpload).setFiles(path.join(FIXTURES, 'shelf-photo.png'));
  await expect(page.getByTestId('evidence-E1')).toContainText('SHA-256');
  const pdf = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export PDF' }).click();
  const download = await pdf;
  expect(download.suggestedFilename()).toBe(`${sealedRef}-report.pdf`);
  await page.reload();
  await page.getByTestId('evidence-E1').getByRole('button', { name: /Custody/ }).click();
  await expect(page.getByTestId('custody-E1')).toContainText('Exported');
  await shot(page, '4-sealed-case');
  await signOut(page);

  // 4. Non-members following the link get "not found"; the case is absent from their list.
  for (const who of [IT_MEMBER, LP_MEMBER]) {
    await signIn(page, who);
    await page.goto(sealedUrl);
    await expect(page.getByTestId('not-found')).toContainText('This case does not exist');
    if (who === LP_MEMBER) {
      await page.goto('/cases');
      await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
      await expect(page.getByTestId('list-count')).toBeVisible();
      await expect(page.getByRole('link', { name: sealedRef })).toHaveCount(0);
      await shot(page, '5-cases-non-member');
    }
    await signOut(page);
  }

  // 5. An admin opens the anonymous tip line; a tipster sends a tip without an account and gets a code.
  await signIn(page, 'dana.whitfield@meridian.example');
  await page.goto('/cases');
  await page.getByRole('switch', { name: /tip line closed/ }).click();
  await expect(page.getByText(/Anonymous tip line open/)).toBeVisible();
  await signOut(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/tip');
  await pick(page, 'What is it about?', 'Internal / employee theft');
  await page.getByLabel('When').fill('2026-11-27T21:30');
  await page.getByLabel('What did you see?').fill('A supervisor voids sales after the customers have left.');
  await page.getByRole('button', { name: 'Send anonymously' }).click();
  await expect(page.getByTestId('tip-code')).toHaveText(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await shot(page, '6-tip-phone');
});

test('the shrink dashboard shows losses by cause beside the NRF reference, at desktop and phone width', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, LP_LEAD);
  await page.goto('/incidents');
  await page.getByRole('link', { name: 'Shrink figures' }).click();
  await expect(page.getByRole('heading', { name: 'Shrink', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Against the NRF National Retail Security Survey 2022' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Share of loss by source/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Loss by cause/ })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Internal / employee theft' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '29 %' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toBe('shrink.csv');
  await shot(page, 'shrink-1366');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('img', { name: /^Loss by month/ })).toBeVisible();
  await shot(page, 'shrink-390');
});

test('IT delivers a case video export on the request; it lands on the case as evidence', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signIn(page, INVESTIGATOR);
  const headers = { origin: baseURL! };
  const c = await (await page.request.post('/api/cases', { headers, data: { title: 'Lane 2 voids after close', type: 'internal_theft', storeId: null } })).json();
  const ask = await (await page.request.post('/api/video-requests', { headers, data: { caseId: c.ref, cameras: 'lane 2', from: '2026-11-20T21:00:00Z', to: '2026-11-20T21:20:00Z' } })).json();
  await signOut(page);

  await signIn(page, IT_MEMBER);
  await page.goto(`/requests/${ask.requestRef}`);
  await expect(page.getByRole('heading', { name: 'Deliver the export' })).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByLabel('Exported file').click();
  await (await chooser).setFiles({ name: 'lane2-2100.mp4', mimeType: 'video/mp4', buffer: Buffer.from('exported footage bytes') });
  await page.getByRole('button', { name: 'Attach to the case' }).click();
  await expect(page.getByText(`is on ${c.ref} as evidence E1`)).toBeVisible();
  await expect(page.getByText(/SHA-256 [0-9a-f]{64}/)).toBeVisible();
  await shot(page, 'video-export-delivery');
  await page.goto(`/cases/${c.ref}`);
  await expect(page.getByRole('main').getByText('The link may be mistyped, or the record was removed.')).toBeVisible();
  await signOut(page);

  await signIn(page, INVESTIGATOR);
  await page.goto(`/cases/${c.ref}`);
  await expect(page.getByText('lane2-2100.mp4').first()).toBeVisible();
});
