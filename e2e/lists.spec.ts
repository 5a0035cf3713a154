import { expect, test, type Page } from '@playwright/test';
import { PEOPLE, signIn } from './helpers';

/** The names in the people table, in order. */
const names = (page: Page) => page.getByTestId('people-table').locator('tbody tr td:first-child a').allInnerTexts();

test('a filtered, sorted list lives in the URL: reload, Back, a shared link and a saved view', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, PEOPLE.admin);
  await page.goto('/people');
  await expect(page.getByTestId('people-table')).toBeVisible({ timeout: 30_000 });

  // Filter: leads only; sort by email, descending (two clicks).
  await page.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: /^Lead/ }).click();
  await expect(page).toHaveURL(/role=lead/);
  await page.getByRole('button', { name: 'Email' }).click();
  await page.getByRole('button', { name: 'Email' }).click();
  await expect(page).toHaveURL(/sort=email/);
  await expect(page).toHaveURL(/order=desc/);
  await expect(page.getByTestId('people-table').locator('th[aria-sort="descending"]')).toHaveText(/Email/);
  const emails = () => page.getByTestId('people-table').locator('tbody tr td:nth-child(2)').allInnerTexts();
  await expect.poll(async () => {
    const e = await emails();
    return e.length > 1 && JSON.stringify(e) === JSON.stringify([...e].sort().reverse());
  }).toBe(true);
  const filtered = await names(page);
  const url = page.url();

  // Reload keeps it.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Role' })).toHaveValue(/Lead/);
  await expect.poll(() => names(page)).toEqual(filtered);

  // Open a person, Back: the same filtered list.
  await page.getByTestId('people-table').locator('tbody tr td:first-child a').first().click();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}$/);
  await page.goBack();
  await expect(page).toHaveURL(url);
  await expect.poll(() => names(page)).toEqual(filtered);

  // The link in another browser, signed in as the same person: the same list.
  const shared = await browser.newContext();
  const other = await shared.newPage();
  await signIn(other, PEOPLE.admin);
  await other.goto(url);
  await expect(other.getByRole('combobox', { name: 'Role' })).toHaveValue(/Lead/);
  await expect.poll(() => names(other)).toEqual(filtered);
  await shared.close();

  // Save the view, clear the filters, then apply the view.
  await page.getByTestId('views-menu').click();
  await page.getByRole('menuitem', { name: 'Save current view…' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('Leads by email');
  await page.getByRole('dialog').getByRole('button', { name: 'Save view' }).click();
  await expect(page.getByTestId('views-menu')).toHaveText('View: Leads by email');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/role=lead/);
  await expect.poll(async () => (await names(page)).length).toBeGreaterThan(filtered.length);
  await page.getByTestId('views-menu').click();
  await page.getByRole('menuitem', { name: 'Leads by email' }).click();
  await expect(page).toHaveURL(/role=lead/);
  await expect(page).toHaveURL(/sort=email/);
  await expect.poll(() => names(page)).toEqual(filtered);

  // Someone else never sees the view.
  const context = await browser.newContext();
  const lead = await context.newPage();
  await signIn(lead, PEOPLE.lead);
  await lead.goto('/people');
  await lead.getByTestId('views-menu').click();
  await expect(lead.getByRole('menuitem', { name: 'Leads by email' })).toHaveCount(0);
  await context.close();
});

test('search words and the page cursor are in the URL too', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, PEOPLE.admin);
  await page.goto('/people');
  await page.getByLabel('Search').fill('meridian');
  await expect(page).toHaveURL(/q=meridian/);
  await expect(page.getByTestId('list-count')).toHaveText(/^Showing 1–50 of \d+ people$/);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId('list-count')).toHaveText(/^Showing 51–\d+ of \d+ people$/);
  const second = await names(page);
  await page.reload();
  await expect.poll(() => names(page)).toEqual(second);
  await expect(page.getByLabel('Search')).toHaveValue('meridian');
  await page.goBack();
  await expect(page.getByTestId('list-count')).toHaveText(/^Showing 1–50 of \d+ people$/);
});

test('the module lists keep their state in the URL too: a default filter, its clearing, Back and reload', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'luis.ortega@meridian.example'); // LP lead: triages incidents

  // Incidents open on those still to triage; another status, then "Clear filters", goes back to them.
  await page.goto('/incidents');
  const status = page.getByRole('combobox', { name: 'Status' });
  await expect(status).toHaveValue('New and triaged');
  const count = page.getByTestId('list-count');
  await expect(count).toHaveText(/^(Showing 1–\d+ of \d+|No) incidents$/);
  const openCount = await count.innerText();
  await status.click();
  await page.getByRole('option', { name: 'Closed' }).click();
  await expect(page).toHaveURL(/status=closed/);
  await page.reload();
  await expect(status).toHaveValue('Closed');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(status).toHaveValue('New and triaged');
  await expect(count).toHaveText(openCount);
  // A cleared default is "all" in the link: every status.
  await page.goto('/incidents?status=all');
  await expect(status).toHaveValue('');
  await expect.poll(async () => Number((await count.innerText()).match(/of (\d+)/)?.[1] ?? 0)).toBeGreaterThan(Number(openCount.match(/of (\d+)/)?.[1] ?? 0));

  // Projects waiting at a gate: the filter survives opening a project and coming back.
  await page.goto('/projects');
  await page.getByRole('combobox', { name: 'Stage' }).click();
  await page.getByRole('option', { name: 'Waiting at a gate' }).click();
  await expect(page).toHaveURL(/atGate=true/);
  const atGate = page.getByTestId('projects-table').locator('tbody tr');
  await expect(atGate.first()).toBeVisible();
  const url = page.url();
  await atGate.first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/projects\/PRJ-\d+$/);
  await page.goBack();
  await expect(page).toHaveURL(url);
  await expect(page.getByRole('combobox', { name: 'Stage' })).toHaveValue('Waiting at a gate');

  // Meeting actions: "only overdue" is a link one can share.
  await page.goto('/meetings/actions');
  await page.getByRole('checkbox', { name: 'Only overdue' }).check();
  await expect(page).toHaveURL(/overdue=true/);
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Only overdue' })).toBeChecked();
});
