import { expect, test } from '@playwright/test';
import { choose, PEOPLE, signIn } from './helpers';
import { axeContext, checkPage, DESKTOP, PHONE } from './axe';

test('an admin invites a person, who sets a password from the mailed link and lands on My work', async ({ page, browser }) => {
  await signIn(page, PEOPLE.admin);
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByRole('button', { name: 'Invite person' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Noor Haddad');
  await dialog.getByLabel('Email', { exact: true }).fill('noor.haddad@meridian.example');
  await dialog.getByLabel('Title', { exact: true }).fill('Network Security Analyst');
  await choose(page, dialog, 'Department', 'Information Security');
  await dialog.getByRole('button', { name: 'Create person' }).click();
  await expect(dialog).toBeHidden();
  await page.getByLabel('Search').fill('Noor');
  await expect(page.getByRole('link', { name: 'Noor Haddad' })).toBeVisible();

  // The invitation waits in the outbox (no SMTP server configured).
  // Opened by its address, filtered to the invitee (a list's filters live in its URL).
  await page.goto('/admin/outbox?to=noor.haddad%40meridian.example');
  await page.getByRole('link', { name: /invited you to Tandem/ }).first().click();
  await expect(page.getByText('noor.haddad@meridian.example').first()).toBeVisible();
  const href = await page.getByRole('link', { name: 'Open link in message' }).getAttribute('href');
  expect(href).toMatch(/\/invite\/inv_/);

  // The invited person, in a browser of their own.
  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(href!);
  await expect(invitee.getByLabel('Email')).toHaveValue('noor.haddad@meridian.example');
  await invitee.getByLabel('Choose a password').fill('a-strong-password-42');
  await invitee.getByLabel('Confirm password').fill('a-strong-password-42');
  await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(invitee.getByRole('heading', { name: 'My work' })).toBeVisible();
  await expect(invitee.getByText('Good', { exact: false }).first()).toContainText('Noor');

  // The link works once.
  await invitee.goto(href!);
  await expect(invitee.getByText(/invalid, used or expired/)).toBeVisible();
  await context.close();
});

test('a viewer is refused the admin pages', async ({ page }) => {
  await signIn(page, PEOPLE.viewer);
  await expect(page.getByRole('link', { name: 'Audit trail' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Outbox' })).toHaveCount(0);
  await page.goto('/admin/audit');
  await expect(page.getByText('You do not have access to this page')).toBeVisible();
  await page.goto('/admin/outbox');
  await expect(page.getByText('You do not have access to this page')).toBeVisible();
  await page.goto('/people');
  await expect(page.getByRole('button', { name: 'Invite person' })).toHaveCount(0);
});

test('status pages (no access, no such page, no such record) have one h1 and no serious axe finding', async ({ browser }) => {
  for (const variant of [{ colorScheme: 'light' as const, viewport: DESKTOP }, { colorScheme: 'dark' as const, viewport: PHONE }]) {
    const context = await axeContext(browser, variant);
    const page = await context.newPage();
    await signIn(page, PEOPLE.viewer);
    // The page's one h1 is the status when the status is the whole page, the page's own title when the
    // status stands under it (there it is an h2).
    for (const [path, h1, status] of [
      ['/admin/request-catalogue', 'You do not have access to this page', 'You do not have access to this page'],
      ['/admin/audit', 'Audit trail', 'You do not have access to this page'],
      ['/no-such-page', 'This page does not exist', 'This page does not exist'],
      ['/ideas/IDEA-99999', 'This idea does not exist', 'This idea does not exist'],
    ]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { name: status })).toBeVisible();
      await expect(page.locator('h1')).toHaveCount(1);
      await expect(page.locator('h1')).toHaveText(h1!);
      await checkPage(page, `${path}, ${variant.colorScheme} ${variant.viewport.width}px`);
    }
    await context.close();
  }
});

test('a wrong password gets a generic error', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(PEOPLE.member);
  await page.getByLabel('Password', { exact: true }).fill('not-my-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Invalid email or password')).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test('store staff use Tandem at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, PEOPLE.staff);
  await expect(page.getByText('Hartford Downtown').first()).toBeVisible();
  // The navigation folds into a menu button on a phone.
  await expect(page.getByRole('link', { name: 'Audit trail' })).toBeHidden();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});

test('the sign-in page, My work and the API docs load under the security headers with no CSP violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  const response = await page.goto('/sign-in');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await signIn(page, PEOPLE.admin);
  await page.goto('/api/docs');
  await expect(page.getByRole('heading', { name: /Tandem API/ })).toBeVisible();
  await expect(page.getByText('/api/public/config').first()).toBeVisible();
  expect(violations).toEqual([]);
});
