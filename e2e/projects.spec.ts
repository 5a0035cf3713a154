import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

const LP_LEAD = 'priya.natarajan@meridian.example';
const INFOSEC_LEAD = 'elena.petrova@meridian.example';
const IT_LEAD = 'marcus.chen@meridian.example';
const IT_MEMBER = 'rachel.okafor@meridian.example';
const SHOTS = process.env.E2E_SCREENSHOTS;

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function switchTo(page: Page, email: string) {
  await page.context().clearCookies();
  await signIn(page, email);
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

test('an LP lead proposes a camera roll-out; an open finding blocks the security gate until IT resolves it; the budget and the pulse move the alignment figures', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 900 });

  // A camera on the store network still on its factory password (an open high finding).
  await signIn(page, LP_LEAD);
  const findings = await (await page.request.get('/api/device-findings?rule=default_credentials&state=open&limit=50')).json();
  const finding = findings.items.find((f: { severity: string }) => f.severity === 'high' || f.severity === 'critical');
  expect(finding).toBeTruthy();

  // The LP lead proposes the roll-out and links the camera.
  await nav(page).getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('heading', { name: 'Projects', exact: true })).toBeVisible();
  await shot(page, 'projects-list');
  await page.getByRole('button', { name: 'Propose a project' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Title').fill('Register cameras, Midwest');
  await dialog.getByLabel('What and why').fill('4 MP cameras over every register, linked to POS exceptions.');
  await dialog.getByRole('button', { name: 'Propose' }).click();
  await expect(page.getByRole('heading', { name: 'Register cameras, Midwest' })).toBeVisible();
  const ref = (await page.getByText(/^PRJ-\d+$/).first().textContent())!.trim();
  await page.getByLabel('Id or reference').fill(finding.deviceId);
  await page.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(page.getByText(finding.deviceName).first()).toBeVisible();
  await page.getByRole('button', { name: 'Submit to IT security review' }).click();
  await expect(page.getByTestId('gate-panel')).toContainText('IT security review');
  await expect(page.getByTestId('gate-blockers')).toContainText(finding.ref);

  // The InfoSec lead finds the gate on their home page, ticks the checklist, and is stopped by the finding.
  await switchTo(page, INFOSEC_LEAD);
  await page.getByRole('link', { name: new RegExp(`Sign the IT security review of ${ref}`) }).click();
  const gate = page.getByTestId('gate-panel');
  await expect(gate.getByRole('checkbox').first()).toBeVisible();
  for (const box of await gate.getByRole('checkbox').all()) {
    await box.click();
    await expect(box).toBeChecked();
  }
  await page.getByRole('button', { name: 'Sign off as InfoSec lead' }).click();
  await expect(page.getByTestId('signoff-blocked')).toContainText(finding.ref);
  await expect(page.getByTestId('signoff-blocked')).toContainText('cannot pass');
  await shot(page, 'project-gate-blocked');

  // IT resolves the finding.
  await switchTo(page, IT_MEMBER);
  await nav(page).getByRole('link', { name: 'Findings' }).click();
  await page.getByLabel('Search').fill(finding.deviceName);
  const row = page.getByTestId('findings-table').getByRole('row').filter({ hasText: finding.deviceName }).filter({ hasText: 'Default credentials' });
  await row.first().click();
  const modal = page.getByRole('dialog');
  await modal.getByRole('button', { name: 'Resolve' }).click();
  await modal.getByLabel('What was done').fill('Password rotated and stored in the vault');
  await modal.getByRole('button', { name: 'Mark resolved' }).click();
  await expect(page.getByText(/is now resolved/)).toBeVisible();

  // Both leads sign; the project moves on to the capacity review.
  await switchTo(page, INFOSEC_LEAD);
  await page.goto(`/projects/${ref}`);
  await expect(page.getByTestId('gate-blockers')).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign off as InfoSec lead' }).click();
  await expect(page.getByTestId('signoff-it')).toContainText('Signed by Elena Petrova');
  await switchTo(page, LP_LEAD);
  await page.goto(`/projects/${ref}`);
  await page.getByRole('button', { name: 'Sign off as LP lead' }).click();
  await expect(page.getByTestId('gate-panel')).toContainText('Capacity review');
  await expect(page.getByTestId('project-history')).toContainText('Passed the IT security review; now at capacity review');
  await shot(page, 'project-capacity');

  // The IT lead funds it with a budget line tagged to cashier monitoring; the share against 8.3 % moves.
  await switchTo(page, IT_LEAD);
  await nav(page).getByRole('link', { name: 'IT budget' }).click();
  const headline = page.getByTestId('share-headline');
  await expect(headline).toContainText('benchmark 8.3 %');
  const before = (await headline.textContent())!.match(/(\d+(?:\.\d+)?) % of the IT budget/)![1];
  await page.getByRole('button', { name: 'New line' }).click();
  const line = page.getByRole('dialog');
  await line.getByLabel('Title').fill('Midwest register cameras');
  await line.getByLabel('Amount (USD)').fill('900000');
  await line.getByLabel('Vendor').fill('Axis');
  await line.getByLabel('Project it funds').fill(ref);
  await line.getByRole('button', { name: 'Add a priority' }).click();
  await line.getByRole('combobox', { name: 'Priority 1' }).click();
  await page.getByRole('option', { name: 'Cashier monitoring via CCTV' }).click();
  await line.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('budget-table')).toContainText('Midwest register cameras');
  await expect(headline).not.toContainText(`${before} % of the IT budget`);
  await shot(page, 'budget');
  await nav(page).getByRole('link', { name: 'Priority alignment' }).click();
  const itHeader = page.getByTestId('alignment-table').locator('th').nth(2);
  await expect(itHeader).toContainText('answered');
  const itBefore = Number((await itHeader.textContent())!.match(/(\d+) of \d+ answered/)![1]);

  // A member answers the pulse; the IT column of the alignment report counts the answer.
  await switchTo(page, IT_MEMBER);
  await page.getByRole('link', { name: /Answer the priority pulse/ }).first().click();
  const form = page.getByTestId('pulse-form');
  await expect(form.getByRole('switch').first()).toBeVisible();
  const switches = await form.getByRole('switch').all();
  for (const [i, s] of switches.entries()) {
    if (i % 2 === 0) await s.check({ force: true });
  }
  for (const four of await form.getByText('4', { exact: true }).all()) await four.click();
  await page.getByRole('button', { name: 'Save my answers' }).click();
  await expect(page.getByText(/your answers are saved/)).toBeVisible();
  await switchTo(page, LP_LEAD);
  await nav(page).getByRole('link', { name: 'Priority alignment' }).click();
  const table = page.getByTestId('alignment-table');
  await expect(table).toContainText('Cashier monitoring via CCTV');
  await expect(table.locator('th').nth(2)).toContainText(`${itBefore + 1} of`);
  await expect(page.getByTestId('pulse-report')).toContainText('100 % of LP but 56 % of IT');
  await expect(page.getByTestId('waiting-for-funding')).toBeVisible();
  await shot(page, 'alignment');
});

test('the demo camera roll-out waits at the capacity gate with the store uplink as the reason, also on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, IT_LEAD);
  await page.goto('/projects/PRJ-2');
  await expect(page.getByRole('heading', { name: 'IP camera roll-out, 12 stores' })).toBeVisible();
  await expect(page.getByTestId('gate-blockers')).toContainText('Mbps of uplink; the store has 50 Mbps');
  await expect(page.getByTestId('signoff-lp')).toContainText('Signed by');
  await shot(page, 'demo-capacity-gate');
  await page.goto('/projects/PRJ-5');
  await expect(page.getByTestId('rollout-progress')).toContainText('5 / 12 stores done');
  await shot(page, 'demo-rollout');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/budget/alignment');
  await expect(page.getByRole('heading', { name: 'Priority alignment' })).toBeVisible();
  await expect(page.getByTestId('share-headline')).toContainText('benchmark 8.3 %');
  await shot(page, 'phone-alignment');
});

test('an LP lead adds a milestone and marks a store done on a demo roll-out; an admin adds a gate checklist item', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, LP_LEAD);
  await page.goto('/projects/PRJ-5');
  await expect(page.getByRole('heading', { name: 'Refund desk cameras with POS text overlay' })).toBeVisible();
  const progress = page.getByTestId('rollout-progress');
  await expect(progress).toContainText('stores done');
  const [done, total] = (await progress.textContent())!.match(/(\d+) \/ (\d+)/)!.slice(1).map(Number);

  // A new milestone: the server's answer about a missing due date shows at the field.
  const title = `Stockroom cameras checked, wave ${Date.now() % 100000}`;
  await page.getByRole('button', { name: 'Add a milestone' }).click();
  const dialog = page.getByRole('dialog', { name: 'New milestone' });
  await dialog.getByLabel('Milestone').fill(title);
  await dialog.getByRole('button', { name: 'Add milestone' }).click();
  await expect(dialog.getByLabel('Due date')).toHaveAccessibleDescription(/must be a date/i);
  await dialog.getByLabel('Due date').fill('2030-03-31');
  await dialog.getByRole('button', { name: 'Add milestone' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('milestones')).toContainText(title);

  // The first store not done yet is marked done today; the figure moves.
  const stores = page.getByTestId('rollout-stores');
  const markDone = stores.getByRole('button', { name: /^Mark done: / }).first();
  const code = (await markDone.getAttribute('aria-label'))!.replace('Mark done: ', '');
  await markDone.click();
  const doneDialog = page.getByRole('dialog');
  await expect(doneDialog.getByLabel('Done on')).not.toHaveValue('');
  await shot(page, 'project-store-done-dialog');
  await doneDialog.getByRole('button', { name: 'Mark done' }).click();
  await expect(progress).toHaveText(`${done + 1} / ${total} stores done`);
  await expect(page.getByTestId(`rollout-store-${code}`)).toContainText('Done');
  await expect(page.getByTestId('project-history')).toContainText(`Roll-out: ${done + 1} / ${total} stores done`);
  await shot(page, 'project-rollout-edited');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(progress).toBeVisible();
  await shot(page, 'phone-project-rollout-edited');

  // Members of the project team do not see the template editor.
  await page.goto('/projects');
  await expect(page.getByRole('heading', { name: 'Projects', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Gate checklists' })).toHaveCount(0);

  // An admin adds an item to the capacity review of camera roll-outs.
  await page.setViewportSize({ width: 1366, height: 900 });
  await switchTo(page, 'dana.whitfield@meridian.example');
  await nav(page).getByRole('link', { name: 'Projects' }).click();
  await page.getByRole('link', { name: 'Gate checklists' }).click();
  await expect(page.getByRole('heading', { name: 'Gate checklists' })).toBeVisible();
  await expect(page.getByTestId('templates-scope')).toContainText('projects proposed from now on');
  const card = page.getByTestId('template-capacity_review');
  const count = await card.getByRole('textbox').count();
  await card.getByRole('button', { name: 'Add an item' }).click();
  const item = `Spare NVR disk per store, check ${Date.now() % 100000}`;
  await card.getByRole('textbox', { name: `Capacity review, item ${count + 1}` }).fill(item);
  await card.getByRole('button', { name: `Move item ${count + 1} up` }).click();
  await expect(card.getByRole('textbox', { name: `Capacity review, item ${count}` })).toHaveValue(item);
  await card.getByRole('button', { name: 'Save checklist' }).click();
  await expect(page.getByText(/Projects proposed from now on start with it/)).toBeVisible();
  await expect(card).toContainText('last changed');
  await shot(page, 'project-templates');
  await page.reload();
  await expect(page.getByTestId('template-capacity_review').getByRole('textbox', { name: `Capacity review, item ${count}` })).toHaveValue(item);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'phone-project-templates');
});
