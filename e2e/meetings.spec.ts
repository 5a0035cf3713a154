import { expect, test, type Browser } from '@playwright/test';
import { PEOPLE, signIn } from './helpers';

async function as(browser: Browser, email: string) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page, email);
  return { page, close: () => context.close() };
}

const ACTION = 'Replace the PoE switch at SO-304 before the holiday freeze';
const MINUTES = 'Agreed: IT replaces the switch this week; LP checks the camera views afterwards.';

test('the chair opens the next meeting, accepts two suggestions, writes minutes and assigns an action; the owner sees it; the minutes go out', async ({ browser }) => {
  test.setTimeout(240_000);

  // Marcus Chen chairs the weekly store technology stand-up.
  const chair = await as(browser, PEOPLE.lead);
  await chair.page.getByRole('link', { name: 'Joint meetings' }).click();
  await expect(chair.page.getByRole('heading', { name: 'Joint meetings' })).toBeVisible();
  const row = chair.page.getByTestId('series').getByRole('row').filter({ hasText: 'Store technology stand-up' });
  await row.getByRole('link').nth(1).click();
  const heading = chair.page.getByRole('heading', { name: /Store technology stand-up — / });
  await expect(heading).toBeVisible();
  const meetingTitle = (await heading.textContent())!.trim();

  // The meeting opens with last time's open actions.
  await expect(chair.page.getByTestId('carried-actions')).toBeVisible();

  // Two suggestions from live data, accepted with one click each.
  const suggestions = chair.page.getByTestId('suggestions');
  await expect(suggestions.getByTestId('suggestion').first()).toBeVisible();
  expect(await suggestions.getByTestId('suggestion').count()).toBeGreaterThanOrEqual(2);
  const agenda = chair.page.getByTestId('agenda');
  for (const n of [1, 2]) {
    const first = suggestions.getByTestId('suggestion').first();
    const title = (await first.locator('p').nth(1).textContent())!.trim();
    await first.getByRole('button', { name: /Add .* to the agenda/ }).click();
    await expect(agenda).toContainText(title);
    await expect(agenda.getByTestId('agenda-item')).toHaveCount(n);
  }

  // The chair moves the second item up with the keyboard-reachable arrow, then writes minutes on it.
  const second = agenda.getByTestId('agenda-item').nth(1);
  const secondTitle = (await second.locator('p').first().textContent())!.replace(/^2\.\s*/, '').trim();
  await second.getByRole('button', { name: /Move .* up/ }).click();
  await expect(agenda.getByTestId('agenda-item').first()).toContainText(secondTitle);
  const firstItem = agenda.getByTestId('agenda-item').first();
  await firstItem.getByRole('textbox').fill(MINUTES);
  await firstItem.getByRole('button', { name: 'Save minutes' }).click();
  await expect(firstItem.getByRole('button', { name: 'Save minutes' })).toBeDisabled();

  // An action for Ethan Kowalski.
  const actionForm = chair.page.getByTestId('action-form');
  await actionForm.getByRole('textbox', { name: 'Action' }).fill(ACTION);
  const owner = actionForm.getByRole('combobox', { name: 'Owner' });
  await owner.click();
  await owner.fill('Ethan');
  await chair.page.getByRole('option', { name: 'Ethan Kowalski' }).first().click();
  await actionForm.getByRole('button', { name: 'Assign' }).click();
  await expect(chair.page.getByTestId('actions')).toContainText(ACTION);

  // Attendance, then the minutes go to everyone.
  await chair.page.getByTestId('attendance').getByText('Present').first().click();
  await chair.page.getByRole('button', { name: 'Send minutes' }).click();
  await expect(chair.page.getByText('Minutes sent')).toBeVisible();
  await chair.close();

  // Ethan sees the action on his home page.
  const ownerPage = await as(browser, 'ethan.kowalski@meridian.example');
  await expect(ownerPage.page.getByText(ACTION).first()).toBeVisible();
  await ownerPage.close();

  // The follow-up mail waits in the outbox, with the minutes.
  const admin = await as(browser, PEOPLE.admin);
  // Opened by its address, filtered to the owner, so no re-render of the list moves the link under the click.
  await admin.page.goto('/admin/outbox?to=ethan.kowalski%40meridian.example');
  await admin.page.getByRole('link', { name: `Minutes: ${meetingTitle}` }).first().click();
  await expect(admin.page.getByText(`Minutes: ${meetingTitle}`).first()).toBeVisible();
  await expect(admin.page.getByTestId('message-text')).toContainText(MINUTES);
  await expect(admin.page.getByTestId('message-text')).toContainText(ACTION);
  await admin.close();
});

test('the chair of the steering meeting moves the series an hour later; the next meeting is at the new time and the past ones keep theirs', async ({ browser }) => {
  test.setTimeout(180_000);
  const SERIES = 'LP–IT steering meeting';

  // Marcus Chen attends the steering meeting but neither chairs it nor takes its notes: he cannot edit it.
  const attendee = await as(browser, PEOPLE.lead);
  await attendee.page.getByRole('link', { name: 'Joint meetings' }).click();
  await attendee.page.getByTestId('series').getByRole('link', { name: SERIES }).click();
  await expect(attendee.page.getByRole('button', { name: 'Open the next meeting' })).toBeVisible();
  await expect(attendee.page.getByRole('button', { name: 'Edit series' })).toHaveCount(0);
  await attendee.close();

  // Dana Whitfield chairs it.
  const chair = await as(browser, PEOPLE.admin);
  await chair.page.getByRole('link', { name: 'Joint meetings' }).click();
  await chair.page.getByTestId('series').getByRole('link', { name: SERIES }).click();
  await expect(chair.page.getByText('Monthly at 14:00')).toBeVisible();
  const upcoming = chair.page.getByTestId('upcoming');
  const next = (await upcoming.getByRole('link').first().textContent())!.trim();
  expect(next).toMatch(/^\d{4}-\d{2}-\d{2} 14:00$/);
  const day = next.slice(0, 10);
  const lastHeld = (await chair.page.getByTestId('past').getByRole('link').first().textContent())!.trim();

  // The same form as for a new series, filled in; an hour later.
  await chair.page.getByRole('button', { name: 'Edit series' }).click();
  const dialog = chair.page.getByRole('dialog', { name: /Edit MTG-\d+: LP–IT steering meeting/ });
  await expect(dialog.getByLabel('Title')).toHaveValue(SERIES);
  await expect(dialog.getByRole('button', { name: 'Save and send the update' })).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Time', exact: true }).fill('15:00');
  await expect(dialog.getByTestId('series-change-notice')).toContainText('Saving moves the future meetings');
  await expect(dialog.getByTestId('series-change-notice')).toContainText('updated calendar invitation');
  await dialog.getByRole('button', { name: 'Save and send the update' }).click();
  await expect(dialog).toBeHidden();

  // The page shows the new time; the next meeting is on the same day an hour later; the last one held keeps its time.
  await expect(chair.page.getByText('Monthly at 15:00')).toBeVisible();
  await expect(upcoming.getByRole('link').first()).toHaveText(`${day} 15:00`);
  await expect(chair.page.getByTestId('past').getByRole('link').first()).toHaveText(lastHeld);
  await chair.page.getByRole('button', { name: 'Open the next meeting' }).click();
  await expect(chair.page.getByText(`${day} 15:00–16:00`)).toBeVisible();

  // The attendees' updated invitation waits in the outbox.
  await chair.page.goto('/admin/outbox?to=marcus.chen%40meridian.example');
  await expect(chair.page.getByRole('link', { name: `Updated: ${SERIES} (monthly)` }).first()).toBeVisible();
  await chair.close();
});
