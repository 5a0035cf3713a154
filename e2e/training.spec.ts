import { expect, test, type Browser } from '@playwright/test';
import { PEOPLE, signIn } from './helpers';

/** The demo's email for a person's name (as the demo workspace builds it). */
const emailOf = (name: string) => {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[\u2019']/g, '');
  const [first, ...rest] = ascii.toLowerCase().split(' ');
  return `${first}.${rest.join('')}@meridian.example`;
};

async function as(browser: Browser, email: string) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page, email);
  return { page, close: () => context.close() };
}

const IDEA = 'Shared runbook for camera outages at night';

test('an IT member rates a skill and their lead confirms; an LP lead takes a suggested pairing; the guest reflects with an idea', async ({ browser }) => {
  test.setTimeout(180_000);

  // Rachel Okafor (IT member) rates herself in an LP skill.
  const member = await as(browser, PEOPLE.member);
  await member.page.getByRole('link', { name: 'Cross-training' }).click();
  const row = member.page.getByTestId('skill-ORC');
  await row.getByRole('combobox', { name: 'My level in Organised retail crime' }).click();
  await member.page.getByRole('option', { name: '3 — On my own' }).click();
  await expect(row).toContainText('Awaiting lead');
  await member.close();

  // Marcus Chen (IT lead) confirms it.
  const lead = await as(browser, PEOPLE.lead);
  await lead.page.goto('/training/confirm');
  const pending = lead.page.getByTestId('rating-Rachel Okafor-Organised retail crime');
  await expect(pending).toBeVisible();
  await pending.getByRole('button', { name: 'Confirm' }).click();
  await expect(pending).toHaveCount(0);
  await lead.close();

  // Rachel sees the confirmed level.
  const memberAgain = await as(browser, PEOPLE.member);
  await memberAgain.page.goto('/training');
  await expect(memberAgain.page.getByTestId('skill-ORC')).toContainText('3 — On my own');
  await memberAgain.close();

  // Luis Ortega (LP lead) opens the heatmap and takes the first suggested pairing.
  const lpLead = await as(browser, 'luis.ortega@meridian.example');
  await lpLead.page.getByRole('link', { name: 'Cross-training' }).click();
  await lpLead.page.getByRole('tab', { name: 'Heatmap' }).click();
  await expect(lpLead.page.getByTestId('heatmap')).toBeVisible();
  await expect(lpLead.page.getByTestId('heatmap').locator('td[aria-label^="Jamal Brooks, Organised retail crime: level 4"]')).toBeVisible();
  await lpLead.page.getByRole('tab', { name: 'Pairings' }).click();
  const pairing = lpLead.page.getByTestId('pairing').first();
  await expect(pairing).toBeVisible();
  const guestName = (await pairing.locator('p').nth(0).textContent())!.trim();
  const hostName = (await pairing.locator('p').nth(2).textContent())!.trim();
  await pairing.getByRole('button', { name: 'Propose this session' }).click();
  await expect(lpLead.page.getByRole('heading', { name: 'Propose a shadowing session' })).toBeVisible();
  await expect(lpLead.page.getByRole('combobox', { name: 'Host' })).toHaveValue(new RegExp(hostName));
  await lpLead.page.getByRole('button', { name: 'Propose and send invitations' }).click();
  await expect(lpLead.page.getByRole('heading', { name: `${guestName} shadow ${hostName}` })).toBeVisible();
  const sessionUrl = lpLead.page.url();
  expect(sessionUrl).toMatch(/\/training\/sessions\/SHD-\d+$/);

  // The invitation mail in the outbox carries the .ics.
  const admin = await as(browser, PEOPLE.admin);
  await admin.page.goto('/admin/outbox');
  await admin.page.getByRole('link', { name: `Invitation: Shadowing: ${guestName} with ${hostName}` }).first().click();
  const calendar = admin.page.getByTestId('message-calendar');
  await expect(calendar).toContainText('invite.ics');
  await expect(calendar).toContainText('METHOD:REQUEST');
  await expect(calendar).toContainText('BEGIN:VEVENT');
  await expect(calendar).toContainText('DTSTART;TZID=America/New_York');
  await admin.close();

  // The session took place yesterday after all: the lead moves it (an update with the same UID).
  const yesterday = new Date(Date.now() - 86_400_000);
  const day = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')}`;
  await lpLead.page.getByRole('button', { name: 'Edit' }).click();
  const dialog = lpLead.page.getByRole('dialog');
  await dialog.getByLabel('Date and time').fill(`${day}T08:00`);
  await dialog.getByLabel('Duration (minutes)').fill('60');
  await dialog.getByRole('button', { name: 'Save and send the update' }).click();
  await expect(dialog).toBeHidden();
  await expect(lpLead.page.getByText('Done', { exact: true })).toBeVisible();
  await lpLead.close();

  // The guest writes a reflection with an idea, which shows up among ideas.
  const guest = await as(browser, emailOf(guestName));
  await guest.page.goto(sessionUrl);
  await guest.page.getByLabel('What I learned').fill('How a camera outage is diagnosed from the switch before anyone drives to the store.');
  await guest.page.getByLabel('Redundancies spotted').fill('LP and IT both phone the store to ask whether the camera is on.');
  await guest.page.getByLabel('An idea (optional)').fill(IDEA);
  await guest.page.getByLabel('Describe the idea').fill('One runbook, kept by IT and read by LP, for what to check remotely before a technician is sent.');
  await guest.page.getByRole('button', { name: 'Save reflection' }).click();
  await expect(guest.page.getByTestId('reflection')).toContainText(IDEA);
  await guest.page.goto('/ideas');
  await expect(guest.page.getByRole('link', { name: IDEA })).toBeVisible();
  await guest.close();
});
