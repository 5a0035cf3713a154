import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { choose, PEOPLE, signIn } from './helpers';

// This journey crosses four people and background delivery: allow slow machines more than the default 10 s per step.
const expect = baseExpect.configure({ timeout: 30_000 });

const JAMAL = 'jamal.brooks@meridian.example'; // LP member, the requester
const RACHEL = 'rachel.okafor@meridian.example'; // IT member

/** A chat endpoint on this machine: Slack and Teams webhooks of the test post here. */
const posts: Array<{ path: string; body: Record<string, any> }> = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    posts.push({ path: req.url ?? '', body: JSON.parse(body || 'null') });
    res.writeHead(200).end('ok');
  });
});
let receiverUrl = '';

test.beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function saveWebhook(page: Page, form: number, chat: 'Slack' | 'Microsoft Teams', url: string, department?: string) {
  const forms = page.locator('form');
  if (department) {
    // The label reads "Department *" (required): pick the combobox by its accessible name.
    await forms.nth(form).getByRole('combobox', { name: 'Department' }).click();
    await page.getByRole('option', { name: department }).first().click();
  }
  await choose(page, forms.nth(form), 'Chat', chat);
  await forms.nth(form).getByLabel('Incoming webhook URL').fill(url);
  await forms.nth(form).getByRole('button', { name: 'Save webhook' }).click();
  await expect(page.getByTestId('webhooks-table')).toContainText(url.slice(-4));
}

test('an accepted request reaches the requester in the bell, by email and in chat; search finds it; staff find no POS records', async ({ page, browser }) => {
  test.setTimeout(420_000);
  const title = `Camera over register 5 at NE-104 ${Date.now() % 100000}`;

  // An admin points IT's Teams channel at Tandem.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, PEOPLE.admin);
  await admin.goto('/notifications/settings');
  await saveWebhook(admin, 1, 'Microsoft Teams', `${receiverUrl}/teams/it`, 'Information Technology');

  // Jamal sets his own Slack webhook, then files a request to IT.
  await signIn(page, JAMAL);
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Notification preferences' }).click();
  await expect(page.getByRole('heading', { name: 'Notification preferences' })).toBeVisible();
  await saveWebhook(page, 0, 'Slack', `${receiverUrl}/slack/jamal`);
  await expect(page.getByTestId('webhooks-table')).toContainText('http://127.0.0.1');
  await expect(page.getByTestId('webhooks-table')).not.toContainText('/slack/jamal');

  await page.goto('/requests');
  await page.getByRole('button', { name: 'New request' }).click();
  const dialog = page.getByRole('dialog');
  await choose(page, dialog, 'To department', 'Information Technology');
  await choose(page, dialog, 'Type', 'Video export');
  await dialog.getByLabel('Title', { exact: true }).fill(title);
  await choose(page, dialog, 'Priority', /^P2/);
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  const ref = (await page.locator('text=/^REQ-\\d+$/').first().innerText()).trim();

  // IT's Teams channel hears of the new request (a MessageCard).
  await expect.poll(() => posts.find((p) => p.path === '/teams/it' && p.body.title?.startsWith(`${ref} P2`))?.body, { timeout: 90_000 }).toMatchObject({
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    potentialAction: [{ '@type': 'OpenUri', targets: [{ os: 'default', uri: expect.stringMatching(new RegExp(`/requests/${ref.slice(4)}$`)) }] }],
  });

  // Jamal clears his bell.
  await page.getByTestId('notification-bell').click();
  const markAll = page.getByRole('button', { name: 'Mark all read' });
  if (await markAll.isEnabled()) await markAll.click();
  await expect(page.getByTestId('notification-bell')).toHaveAccessibleName('Notifications');
  await page.keyboard.press('Escape');

  // Rachel (IT) accepts it.
  const itContext = await browser.newContext();
  const it = await itContext.newPage();
  await signIn(it, RACHEL);
  await it.goto(`/requests/${ref.slice(4)}`);
  await it.getByRole('button', { name: 'Accept' }).click();
  await expect(it.getByTestId('request-status')).toHaveText('Accepted');

  // Jamal's bell shows it; opening it leads to the request.
  await page.reload();
  await expect(page.getByTestId('notification-bell')).toHaveAccessibleName('Notifications, 1 unread');
  await page.getByTestId('notification-bell').click();
  const item = page.getByTestId('notification-item').filter({ hasText: `${ref} accepted: ${title}` });
  await expect(item).toBeVisible();
  await item.click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByTestId('notification-bell')).toHaveAccessibleName('Notifications');

  // His Slack webhook got the Slack shape.
  await expect.poll(() => posts.find((p) => p.path === '/slack/jamal')?.body, { timeout: 90_000 }).toMatchObject({
    text: expect.stringContaining(`${ref} accepted: ${title}`),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: expect.stringContaining(`${ref} accepted`) } }, { type: 'context' }, { type: 'actions' }],
  });

  // The email waits in the outbox (no SMTP server in this run).
  await admin.goto('/admin/outbox');
  await admin.getByLabel('Recipient').fill(JAMAL);
  await expect(admin.getByTestId('outbox-table')).toContainText(`${ref} accepted: ${title}`);

  // Search: "/" opens the box; "REQ-" lists requests, this one among them.
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'My work' })).toBeVisible();
  await page.keyboard.press('/');
  const box = page.getByRole('dialog', { name: 'Search Tandem' });
  await box.getByLabel('Search').fill('REQ-');
  await expect(box.getByTestId('search-group-requests')).toContainText(ref);
  await box.getByTestId('search-hit').filter({ hasText: ref }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  // Ctrl+K too, and the results page.
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Search Tandem' }).getByLabel('Search').fill('EXC-');
  await expect(page.getByTestId('search-group-pos_exceptions')).toBeVisible();
  await page.getByText('See all results for “EXC-”').click();
  await expect(page).toHaveURL(/\/search\?q=EXC-/);
  await expect(page.getByTestId('search-page-group-pos_exceptions')).toBeVisible();

  // Store staff searching find no POS records (nor requests).
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signIn(staff, PEOPLE.staff);
  const answer = staff.waitForResponse((r) => r.url().includes('/api/search?') && r.url().includes('EXC'));
  await staff.goto('/search?q=EXC-');
  const body = (await (await answer).json()) as { groups: Array<{ kind: string }> };
  expect(body.groups.map((g) => g.kind)).not.toContain('pos_exceptions');
  await expect(staff.getByRole('heading', { name: 'Search' })).toBeVisible();
  await expect(staff.getByTestId('search-page-group-pos_exceptions')).toHaveCount(0);
  const again = staff.waitForResponse((r) => r.url().includes('/api/search?') && r.url().includes(encodeURIComponent(ref)));
  await staff.getByLabel('Search', { exact: true }).fill(ref);
  expect(((await (await again).json()) as { groups: Array<{ kind: string }> }).groups.map((g) => g.kind)).not.toContain('requests');
  await expect(staff.getByTestId('search-page-group-requests')).toHaveCount(0);

  await Promise.all([adminContext.close(), itContext.close(), staffContext.close()]);
});
