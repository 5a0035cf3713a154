import { expect, test, type Locator, type Page } from '@playwright/test';
import { PEOPLE, signIn } from './helpers';

/** Picks an option of a Mantine select, found by its combobox name inside `scope`. */
async function pick(page: Page, scope: Page | Locator, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}

const TITLE = 'Second camera angle over the self-checkout bagging shelf';

test('store staff submit an idea on a phone; a lead reviews and accepts it with an owner; a member votes once', async ({ browser }) => {
  // Lily Evans, store staff, on a 390 px phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const staff = await phone.newPage();
  await signIn(staff, PEOPLE.staff);
  await staff.getByRole('button', { name: 'Open navigation' }).click();
  await staff.getByRole('link', { name: 'Ideas' }).click();
  await staff.getByRole('link', { name: 'Submit an idea' }).click();
  await staff.getByLabel('Title', { exact: true }).fill(TITLE);
  // Similar ideas show up while typing: whole titles (wrapped, not cut), each with its state and a vote.
  const similar = staff.getByTestId('similar-ideas');
  const camera = similar.getByTestId('similar-idea').filter({ hasText: 'Move the self-checkout camera to cover the bagging area' });
  await expect(camera).toBeVisible();
  const cameraLink = camera.getByRole('link', { name: 'Move the self-checkout camera to cover the bagging area' });
  await expect(cameraLink).toBeVisible();
  expect(await cameraLink.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
  await expect(camera.getByTestId('idea-state')).toHaveText('Done');
  // Her vote from the hint, through the ideas vote API: a press toggles it, and the list says so.
  const voteHere = camera.getByRole('button', { name: /^Voted? for IDEA-\d+ Move the self-checkout camera/ });
  const before = (await voteHere.getAttribute('aria-pressed')) === 'true';
  const ref = (await cameraLink.getAttribute('href'))!.split('/').pop()!;
  await voteHere.click();
  await expect(voteHere).toHaveAttribute('aria-pressed', String(!before));
  await expect(voteHere).toHaveText(before ? 'Vote' : 'Voted');
  expect((await (await staff.request.get(`/api/ideas/${ref}`)).json()).voted).toBe(!before);
  await voteHere.click();
  await expect(voteHere).toHaveAttribute('aria-pressed', String(before));
  expect((await (await staff.request.get(`/api/ideas/${ref}`)).json()).voted).toBe(before);
  await staff.getByLabel('Description', { exact: true }).fill('The bagging shelf at lane 2 is out of view; a second angle would show pass-arounds.');
  await pick(staff, staff, 'Category', 'Technology');
  await expect(staff.getByRole('combobox', { name: 'Store or HQ' })).toHaveValue('NE-101 · Hartford Downtown');
  await staff.getByRole('button', { name: 'Submit idea' }).click();
  await expect(staff.getByRole('heading', { name: TITLE })).toBeVisible();
  await expect(staff.getByTestId('idea-state')).toHaveText('Submitted');
  const url = staff.url();
  expect(url).toMatch(/\/ideas\/IDEA-\d+$/);
  // Staff cannot move ideas.
  await expect(staff.getByTestId('idea-moves')).toHaveCount(0);
  const hasHorizontalScroll = await staff.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  expect(hasHorizontalScroll).toBe(false);
  await phone.close();

  // Marcus Chen, lead: start review, then accept with Rachel Okafor as owner.
  const leadContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const lead = await leadContext.newPage();
  await signIn(lead, PEOPLE.lead);
  await lead.goto(url);
  await lead.getByRole('button', { name: 'Start review' }).click();
  await expect(lead.getByTestId('idea-state')).toHaveText('Under review');
  await lead.getByRole('button', { name: 'Accept' }).click();
  const dialog = lead.getByRole('dialog');
  await pick(lead, dialog, 'Owner', 'Rachel Okafor');
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await expect(dialog).toBeHidden();
  await expect(lead.getByTestId('idea-state')).toHaveText('Accepted');
  await expect(lead.getByTestId('idea-owner')).toHaveText('Rachel Okafor');
  await expect(lead.getByTestId('idea-history')).toContainText('Marcus Chen moved it from under review to accepted');
  await leadContext.close();

  // Rachel Okafor, member: one vote, and a second press takes it back.
  const memberContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const member = await memberContext.newPage();
  await signIn(member, PEOPLE.member);
  await member.goto(url);
  const vote = member.getByTestId('vote-button');
  await expect(vote).toHaveText('Vote · 0');
  await vote.click();
  await expect(vote).toHaveText('Voted · 1');
  await vote.click();
  await expect(vote).toHaveText('Vote · 0');
  // The owner sees it on My work.
  await member.goto('/');
  await expect(member.getByRole('link', { name: new RegExp(TITLE) })).toBeVisible();
  await memberContext.close();
});
