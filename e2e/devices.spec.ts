import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PEOPLE, signIn } from './helpers';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
const LP_LEAD = 'luis.ortega@meridian.example';

async function pick(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('textbox', { name: label, exact: true }).or(page.getByRole('combobox', { name: label, exact: true })).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

test('an IT member imports a network scan, confirms a new camera and resolves its default-credentials finding', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, PEOPLE.member);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Devices', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Devices', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Network scans' }).click();
  await pick(page, 'Store scanned', /NE-101/);
  await page.getByLabel('nmap XML file').setInputFiles(path.join(FIXTURES, 'nmap-ne101.xml'));
  await page.getByRole('button', { name: 'Import scan' }).click();
  await expect(page.getByText('4 hosts up: 3 matched, 1 new, 0 missing')).toBeVisible();
  const hosts = page.getByTestId('scan-hosts');
  await expect(hosts).toContainText('10.1.40.250');
  await expect(hosts).toContainText('Axis Communications AB');
  // The switch that reported newer firmware is listed among the changes.
  await expect(page.getByRole('row', { name: /NE-101-SW3 firmware 17\.6\.4 17\.9\.5/ })).toBeVisible();

  await hosts.getByRole('button', { name: 'Confirm' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('NE-101-CAM-40');
  await dialog.getByLabel('Location').fill('Receiving dock');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(hosts.getByText('confirmed')).toBeVisible();

  // The new camera's credentials are unknown: a finding, which the member resolves.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Findings' }).click();
  await page.getByLabel('Search').fill('NE-101-CAM-40');
  const row = page.getByTestId('findings-table').getByRole('row').filter({ hasText: 'NE-101-CAM-40' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Default credentials');
  await row.click();
  const modal = page.getByRole('dialog');
  await modal.getByRole('button', { name: 'Resolve' }).click();
  await modal.getByLabel('What was done').fill('Changed on site; stored in the password vault');
  await modal.getByRole('button', { name: 'Mark resolved' }).click();
  await expect(page.getByText(/is now resolved/)).toBeVisible();
  await expect(page.getByTestId('findings-table')).toContainText('No findings here.');

  // The device page shows the credentials as changed.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Devices', exact: true }).click();
  await page.getByLabel('Search').fill('NE-101-CAM-40');
  await page.getByRole('link', { name: 'NE-101-CAM-40' }).click();
  await expect(page.getByRole('heading', { name: 'NE-101-CAM-40' })).toBeVisible();
  await expect(page.getByText('Changed', { exact: true })).toBeVisible();
});

test('an LP lead plans ten 4 MP cameras for a store and sees the uplink go red', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, LP_LEAD);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Camera planner' }).click();
  await expect(page.getByRole('heading', { name: 'Camera roll-out planner' })).toBeVisible();
  await page.getByRole('button', { name: 'New plan' }).click();
  await pick(page, 'Store', /MW-204/);
  await page.getByLabel('Plan name').fill('Checkout cameras');
  const uplink = page.getByTestId('uplink-status');
  await expect(uplink).toContainText('of 50 Mbps');
  await expect(uplink).toContainText('Headroom');
  await page.getByLabel('Cameras, line 1').fill('10');
  await pick(page, 'Resolution, line 1', '4 MP (1440p)');
  await pick(page, 'Codec, line 1', 'H.264');
  await page.getByLabel('Frame rate, line 1').fill('30');
  await expect(uplink).toContainText('Over by');
  // Red, whichever shade the theme picks for contrast: red well above green and blue.
  const background = await uplink.locator('.mantine-Badge-root').evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
  expect(r - Math.max(g, b), background).toBeGreaterThan(80);
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByText('Plan "Checkout cameras" saved')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', /\/api\/camera-plans\/.+\/export/);
  // The printable plan for the project's capacity gate.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export PDF' }).click();
  const pdf = await download;
  expect(pdf.suggestedFilename()).toBe('camera-plan-mw-204-checkout-cameras.pdf');
});
