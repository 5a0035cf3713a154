import { expect, test } from '@playwright/test';
import { PEOPLE, signIn } from './helpers';

test('an editor trims the auto-drafted edition, previews it on a phone, sends it to IT; the archive shows it; a reader unsubscribes with one click', async ({ browser, playwright, baseURL }) => {
  // Marcus Chen, IT lead, edits and sends.
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page, PEOPLE.lead);
  await page.getByRole('link', { name: 'Newsletter editions' }).click();
  await expect(page.getByRole('heading', { name: 'Newsletter editions' })).toBeVisible();
  await page.getByRole('button', { name: 'Draft edition' }).click();
  await expect(page.getByRole('tab', { name: 'Content' })).toBeVisible();
  const sections = page.getByTestId('edition-section');
  await expect(sections.first()).toBeVisible();
  const before = await sections.count();
  expect(before).toBeGreaterThan(1);
  const removed = (await sections.first().getAttribute('data-section'))!;
  await sections.first().getByRole('button', { name: /^Remove / }).click();
  await expect(sections).toHaveCount(before - 1);
  await page.getByLabel("Editor's note").fill('Our first edition sent from the browser.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Edition saved')).toBeVisible();
  await page.reload();
  await expect(page.locator(`[data-section="${removed}"]`)).toHaveCount(0);

  // Preview at phone width, HTML and plain text.
  await page.getByRole('tab', { name: 'Preview' }).click();
  await page.getByText('Phone (390 px)').click();
  await expect(page.getByTestId('preview-frame-box')).toHaveAttribute('data-width', 'phone');
  const frame = page.frameLocator('iframe[title$="(HTML preview)"]');
  await expect(frame.getByText('Our first edition sent from the browser.').last()).toBeVisible();
  await page.getByText('Plain text').click();
  await expect(page.getByTestId('text-preview')).toContainText("EDITOR'S NOTE");

  // Audience: the IT department only.
  await page.getByRole('tab', { name: 'Audience' }).click();
  const departments = page.getByRole('textbox', { name: 'Departments' }).or(page.getByLabel('Departments', { exact: true }));
  await departments.first().click();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('Information Tech');
  await page.getByRole('option', { name: /Information Technology/ }).first().click();
  await page.keyboard.press('Escape');
  await page.getByLabel(/Opt-in subscribers/).uncheck();
  await page.getByRole('button', { name: 'Save audience' }).click();
  await expect(page.getByText('Audience saved')).toBeVisible();
  await expect(page.getByTestId('audience-total')).toHaveText(/^\d+ recipients$/);

  // Send now; progress until every recipient is done.
  await page.getByRole('tab', { name: 'Sending' }).click();
  await page.getByRole('button', { name: 'Send now' }).click();
  await expect(page.getByTestId('send-progress')).toContainText(/Sent: (\d+) of \1 done/, { timeout: 60_000 });
  await expect(page.getByText('marcus.chen@meridian.example')).toBeVisible();

  // Everyone reads the archive.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Newsletter', exact: true }).click();
  await expect(page.getByTestId('archive-edition').first()).toBeVisible();
  await page.getByTestId('archive-edition').first().getByRole('link').click();
  await expect(page.frameLocator('iframe[title$="(HTML preview)"]').getByText('Our first edition sent from the browser.').last()).toBeVisible();
  await context.close();

  // A recipient's copy (read from the outbox by an admin) carries the one-click link.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, PEOPLE.admin);
  const list = await (await admin.request.get('/api/outbox?kind=newsletter&to=rachel.okafor@meridian.example')).json();
  const message = await (await admin.request.get(`/api/outbox/${list.items[0].id}`)).json();
  const token = decodeURIComponent(/\/newsletter\/preferences\?token=([^\s&"<]+)/.exec(message.text)![1]!);
  await adminContext.close();

  // The mail client's one-click POST: no session, no cookie.
  const anonymous = await playwright.request.newContext({ baseURL });
  const res = await anonymous.post(`/api/newsletter/unsubscribe?token=${encodeURIComponent(token)}`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: 'List-Unsubscribe=One-Click' });
  expect(res.status()).toBe(200);
  expect((await res.json()).status).toBe('unsubscribed');
  await anonymous.dispose();

  // The reader's preferences page (from the link in the mail) shows it and offers to resubscribe.
  const readerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const reader = await readerContext.newPage();
  await reader.goto(`/newsletter/preferences?token=${encodeURIComponent(token)}`);
  await expect(reader.getByTestId('prefs-status')).toContainText('You are unsubscribed');
  await reader.getByRole('button', { name: 'Resubscribe' }).click();
  await expect(reader.getByTestId('prefs-status')).toContainText('You receive the Security & IT newsletter');
  await readerContext.close();
});
