import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'tandem-demo-2026';
export const PEOPLE = {
  admin: 'dana.whitfield@meridian.example',
  lead: 'marcus.chen@meridian.example',
  member: 'rachel.okafor@meridian.example',
  staff: 'lily.evans@meridian.example',
  viewer: 'chris.donnelly@meridian.example',
};

/** Signs in through the sign-in page and waits for "My work". */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'My work' })).toBeVisible();
}

/** Opens a select (Mantine combobox) by its label inside `scope` and picks an option. */
export async function choose(page: Page, scope: ReturnType<Page['getByRole']> | Page, label: string, option: string | RegExp) {
  await scope.getByLabel(label, { exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}
