import { expect, test, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { axeContext, checkPage, DESKTOP, PHONE, settled } from './axe';
import { PEOPLE, signIn } from './helpers';

/**
 * Every page of the app, checked with axe-core: no serious or critical violation, one h1.
 * A new page (or module) adds one line to PAGES. Each page is checked in the light and the dark
 * colour scheme (the app follows the system setting) at 1366 px, as each person it lists; pages
 * marked `phone` are checked at 390 px too (`phone: 'dark'`: in the dark scheme only). Pages of a
 * module carry its tag: `-g @training` runs cross-training's. e2e/accessibility-smoke.spec.ts runs a
 * few of these pages in every CI run.
 */

type Who = 'anonymous' | 'admin' | 'staff' | 'storeLp' | 'member';
/** Records the pages below open, found once through the API as the admin. */
interface Ids {
  person: string;
  request: string;
  idea: string;
  exception: string;
  transaction: string;
  store: string;
  cashier: string;
  session: string;
  device: string;
  outbox: string;
  series: string;
  occurrence: string;
  project: string;
  pulseRound: string;
}
interface PageCase {
  name: string;
  path: string | ((ids: Ids) => string);
  as: Who[];
  /** Also checked at 390 px: in both schemes (true), or in the dark scheme only ('dark'). */
  phone?: boolean | 'dark';
  /** Left out of the check: a sandboxed mail preview (no scripts run in it, so axe cannot look inside; mail HTML is checked by its own tests). */
  exclude?: string[];
  /** Tags the test (`-g @training` runs one module's pages). */
  module?: 'training' | 'devices' | 'meetings' | 'projects';
}

const PAGES: PageCase[] = [
  { name: 'sign-in', path: '/sign-in', as: ['anonymous'], phone: true },
  { name: 'forgot password', path: '/forgot-password', as: ['anonymous'] },
  { name: 'reset password (bad link)', path: '/reset-password?error=INVALID_TOKEN', as: ['anonymous'] },
  { name: 'invitation (bad link)', path: '/invite/inv_unknown', as: ['anonymous'] },
  { name: 'not found', path: '/no-such-page', as: ['anonymous'] },
  { name: 'home', path: '/', as: ['admin', 'staff', 'storeLp'], phone: true },
  { name: 'people', path: '/people', as: ['admin'], phone: true },
  { name: 'person', path: (ids) => `/people/${ids.person}`, as: ['admin'] },
  { name: 'stores', path: '/stores', as: ['admin', 'staff'] },
  { name: 'departments', path: '/departments', as: ['admin'] },
  { name: 'profile', path: '/profile', as: ['admin', 'staff'] },
  { name: 'audit trail', path: '/admin/audit', as: ['admin'] },
  { name: 'module access', path: '/admin/access', as: ['admin'] },
  { name: 'outbox', path: '/admin/outbox', as: ['admin'] },
  { name: 'outbox message', path: (ids) => `/admin/outbox/${ids.outbox}`, as: ['admin'], exclude: ['iframe[sandbox]'] },
  { name: 'requests', path: '/requests', as: ['admin'], phone: true },
  { name: 'request', path: (ids) => `/requests/${ids.request}`, as: ['admin'] },
  { name: 'give and take', path: '/requests/ledger', as: ['admin'] },
  { name: 'request catalogue', path: '/admin/request-catalogue', as: ['admin'] },
  { name: 'ideas', path: '/ideas', as: ['admin', 'staff'] },
  { name: 'new idea', path: '/ideas/new', as: ['staff'], phone: true },
  { name: 'ideas board', path: '/ideas/board', as: ['admin'] },
  { name: 'idea', path: (ids) => `/ideas/${ids.idea}`, as: ['admin', 'staff'] },
  { name: 'POS overview', path: '/pos', as: ['admin', 'storeLp'] },
  { name: 'POS exceptions', path: '/pos/exceptions', as: ['admin', 'storeLp'] },
  { name: 'POS investigator queue', path: '/pos/queue', as: ['admin', 'storeLp'], phone: true },
  { name: 'POS rule outcomes', path: '/pos/outcomes', as: ['admin'], phone: 'dark' },
  { name: 'POS exception', path: (ids) => `/pos/exceptions/${ids.exception}`, as: ['admin'] },
  { name: 'POS imports', path: '/pos/imports', as: ['admin'] },
  { name: 'POS settings', path: '/pos/settings', as: ['admin', 'storeLp'] },
  { name: 'POS store', path: (ids) => `/pos/stores/${ids.store}`, as: ['admin'] },
  { name: 'POS cashier', path: (ids) => `/pos/cashiers/${ids.cashier}`, as: ['admin'] },
  { name: 'POS transaction', path: (ids) => `/pos/transactions/${ids.transaction}`, as: ['admin'] },
  // Store staff have no cross-training; an LP member sees their own skills.
  { name: 'my skills', path: '/training', as: ['admin', 'member'], phone: 'dark', module: 'training' },
  { name: 'training heatmap', path: '/training/heatmap', as: ['admin'], phone: 'dark', module: 'training' },
  { name: 'training confirmations', path: '/training/confirm', as: ['admin'], phone: 'dark', module: 'training' },
  { name: 'training coverage', path: '/training/coverage', as: ['admin'], phone: 'dark', module: 'training' },
  { name: 'training pairings', path: '/training/pairings', as: ['admin'], phone: 'dark', module: 'training' },
  { name: 'shadowing sessions', path: '/training/sessions', as: ['admin'], phone: 'dark', module: 'training' },
  { name: 'new shadowing session', path: '/training/sessions/new', as: ['admin'], phone: 'dark', module: 'training' },
  { name: 'shadowing session', path: (ids) => `/training/sessions/${ids.session}`, as: ['admin'], phone: 'dark', module: 'training' },
  { name: 'skills catalogue', path: '/admin/training-catalogue', as: ['admin'], phone: 'dark', module: 'training' },
  { name: 'project gate checklists', path: '/projects/templates', as: ['admin'], phone: 'dark', module: 'projects' },
  { name: 'notifications', path: '/notifications', as: ['admin', 'staff'] },
  { name: 'notification settings', path: '/notifications/settings', as: ['admin'] },
  { name: 'search results', path: '/search?q=camera', as: ['admin', 'staff'] },
  { name: 'devices', path: '/devices', as: ['admin'], phone: 'dark', module: 'devices' },
  { name: 'device scans', path: '/devices/scans', as: ['admin'], phone: 'dark', module: 'devices' },
  { name: 'device findings', path: '/devices/findings', as: ['admin'], phone: 'dark', module: 'devices' },
  { name: 'device posture', path: '/devices/posture', as: ['admin'], phone: 'dark', module: 'devices' },
  { name: 'device model catalogue', path: '/devices/catalogue', as: ['admin'], phone: 'dark', module: 'devices' },
  { name: 'camera planner', path: '/devices/planner', as: ['admin'], phone: 'dark', module: 'devices' },
  { name: 'device', path: (ids) => `/devices/${ids.device}`, as: ['admin'], phone: 'dark', module: 'devices' },
  { name: 'meetings', path: '/meetings', as: ['admin'], phone: 'dark', module: 'meetings' },
  { name: 'meeting series', path: (ids) => `/meetings/series/${ids.series}`, as: ['admin'], phone: 'dark', module: 'meetings' },
  { name: 'meeting occurrence', path: (ids) => `/meetings/occurrences/${ids.occurrence}`, as: ['admin'], phone: 'dark', module: 'meetings' },
  { name: 'meeting actions', path: '/meetings/actions', as: ['admin'], phone: 'dark', module: 'meetings' },
  { name: 'projects', path: '/projects', as: ['admin'], phone: 'dark', module: 'projects' },
  { name: 'project', path: (ids) => `/projects/${ids.project}`, as: ['admin'], phone: 'dark', module: 'projects' },
  { name: 'budget', path: '/budget', as: ['admin'], phone: 'dark', module: 'projects' },
  { name: 'budget alignment', path: '/budget/alignment', as: ['admin'], phone: 'dark', module: 'projects' },
  { name: 'pulse round', path: (ids) => `/budget/pulse/${ids.pulseRound}`, as: ['admin'], phone: 'dark', module: 'projects' },
];

const EMAILS: Record<Exclude<Who, 'anonymous'>, string> = {
  admin: PEOPLE.admin,
  staff: PEOPLE.staff,
  storeLp: 'ricky.navarro@meridian.example', // LP associate attached to NE-101
  member: PEOPLE.member,
};

const sessions = new Map<Who, BrowserContextOptions['storageState']>();
let ids: Ids;

async function signedIn(browser: Browser, who: Who) {
  if (who === 'anonymous' || sessions.has(who)) return sessions.get(who);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, EMAILS[who]);
  const state = await context.storageState();
  if (who === 'admin') ids = await findIds(page);
  await context.close();
  sessions.set(who, state);
  return state;
}

async function findIds(page: Page): Promise<Ids> {
  const first = async (url: string) => {
    const res = await page.request.get(url);
    expect(res.status(), url).toBe(200);
    const items = (await res.json()).items as Record<string, unknown>[];
    expect(items.length, url).toBeGreaterThan(0);
    return items;
  };
  const exceptions = await first('/api/pos/exceptions?limit=50');
  const withTransaction = exceptions.find((e) => e.transactionId) ?? exceptions[0]!;
  const withCashier = exceptions.find((e) => e.cashierId) ?? exceptions[0]!;
  // The series page and a past occurrence with its agenda, minutes and actions filled in.
  const series = String((await first('/api/meetings/series?limit=1'))[0]!.id);
  const seriesDetail = await (await page.request.get(`/api/meetings/series/${series}`)).json();
  const past = (seriesDetail.past as { id: string; itemCount: number }[]).filter((o) => o.itemCount > 0);
  expect(past.length, 'a past meeting with an agenda').toBeGreaterThan(0);
  return {
    person: String((await first('/api/people?limit=1'))[0]!.id),
    request: String((await first('/api/requests?limit=1'))[0]!.number),
    idea: String((await first('/api/ideas?limit=1'))[0]!.ref),
    exception: String(exceptions[0]!.id),
    transaction: String(withTransaction.transactionId),
    store: String(exceptions[0]!.storeId),
    cashier: String(withCashier.cashierId),
    session: String((await first('/api/training/sessions?limit=1'))[0]!.ref),
    device: String((await first('/api/devices?limit=1'))[0]!.id),
    outbox: String((await first('/api/outbox?limit=1'))[0]!.id),
    series,
    occurrence: past[0]!.id,
    project: String((await first('/api/projects?limit=1'))[0]!.ref),
    pulseRound: String((await first('/api/pulse/rounds'))[0]!.id),
  };
}

/** One browser context per person, scheme and width, shared by the pages checked with it. */
const contexts = new Map<string, BrowserContext>();
async function contextFor(browser: Browser, key: string, options: BrowserContextOptions) {
  let context = contexts.get(key);
  if (!context) {
    context = await axeContext(browser, options);
    contexts.set(key, context);
  }
  return context;
}
test.afterAll(async () => {
  for (const context of contexts.values()) await context.close();
  contexts.clear();
});

// The full sweep takes longer than CI allows and still finds violations on some pages (see the
// everyday-use issue); it runs on demand: `A11Y=1 npx playwright test e2e/accessibility.spec.ts`.
test.skip(!process.env.A11Y, 'accessibility sweep runs with A11Y=1');

for (const pageCase of PAGES) {
  test(`axe: ${pageCase.name}`, pageCase.module ? { tag: `@${pageCase.module}` } : {}, async ({ browser }) => {
    test.setTimeout(180_000);
    const variants: { who: Who; scheme: 'light' | 'dark'; viewport: typeof DESKTOP }[] = [];
    for (const who of pageCase.as) {
      for (const scheme of ['light', 'dark'] as const) {
        variants.push({ who, scheme, viewport: DESKTOP });
        if (pageCase.phone === true || (pageCase.phone === 'dark' && scheme === 'dark')) variants.push({ who, scheme, viewport: PHONE });
      }
    }
    for (const v of variants) {
      const storageState = await signedIn(browser, v.who);
      const path = typeof pageCase.path === 'string' ? pageCase.path : pageCase.path(ids);
      const label = `${pageCase.name} as ${v.who}, ${v.scheme}, ${v.viewport.width}px`;
      await test.step(label, async () => {
        const context = await contextFor(browser, `${v.who} ${v.scheme} ${v.viewport.width}`, { colorScheme: v.scheme, viewport: v.viewport, storageState });
        const page = await context.newPage();
        try {
          await page.goto(path);
          await settled(page);
          await checkPage(page, label, pageCase.exclude);
        } finally {
          await page.close();
        }
      });
    }
  });
}
