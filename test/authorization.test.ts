import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, signIn, type TestApp } from './context.js';

/**
 * Who is asking: roles × departments × store scope. Each identity is a demo person; the rows below
 * name identities, so a change to a role, a department's module access or store scope shows up here.
 */
const IDENTITIES = {
  admin: 'dana.whitfield@meridian.example', // LP director, admin, HQ
  lpLead: 'priya.natarajan@meridian.example', // LP lead, HQ
  lpMember: 'jamal.brooks@meridian.example', // LP investigator, HQ
  storeLp: 'ricky.navarro@meridian.example', // LP associate attached to store NE-101
  secMember: 'hannah.cole@meridian.example', // Security operations member, HQ
  itLead: 'marcus.chen@meridian.example', // IT lead, HQ
  itMember: 'rachel.okafor@meridian.example', // IT network engineer, HQ
  storeManager: 'gary.lutz@meridian.example', // Store Operations lead attached to store NE-101
  staff: 'lily.evans@meridian.example', // store staff (cashier)
  viewer: 'chris.donnelly@meridian.example', // CIO, IT viewer
} as const;
type Identity = keyof typeof IDENTITIES;
type Who = Identity | 'anonymous';
const ALL = Object.keys(IDENTITIES) as Identity[];
const without = (...out: Identity[]) => ALL.filter((i) => !out.includes(i));
const READERS = without('staff');
const WORKERS = without('staff', 'viewer');
const LEADS: Identity[] = ['admin', 'lpLead', 'itLead', 'storeManager'];
const ADMIN: Identity[] = ['admin'];
// Cashier monitoring belongs to LP and security; IT, InfoSec and store operations have no access by default.
const POS_READ: Identity[] = ['admin', 'lpLead', 'lpMember', 'storeLp', 'secMember'];
const POS_WORK = POS_READ;
// POS files mix every store: only chain-wide people import; scoring: admins and chain-wide LP leads.
const POS_CHAIN: Identity[] = ['admin', 'lpLead', 'lpMember', 'secMember'];
const POS_SETTINGS: Identity[] = ['admin', 'lpLead'];
const PUBLIC = 'public' as const;
const MISSING = '01900000-0000-7000-8000-000000000000';

/**
 * Who may call each route. Written out by hand (not derived from the policy table) so that a
 * change to the policy shows up here as a failing row. Allowed callers get past authorization
 * (any status but 401/403); everyone else gets 403, and signed-out callers 401.
 * Store scope (404 for another store's record, lists holding one's stores) is in test/scope.test.ts.
 */
const TABLE: Array<{ method: string; url: string; allowed: Identity[] | typeof PUBLIC; body?: unknown }> = [
  { method: 'GET', url: '/api/public/config', allowed: PUBLIC },
  { method: 'GET', url: '/api/invitations/:token', allowed: PUBLIC },
  { method: 'POST', url: '/api/invitations/:token/accept', allowed: PUBLIC, body: {} },
  { method: 'GET', url: '/api/me', allowed: ALL },
  { method: 'PATCH', url: '/api/me', allowed: ALL, body: {} },
  { method: 'GET', url: '/api/home', allowed: ALL },
  { method: 'GET', url: '/api/tokens', allowed: READERS },
  { method: 'POST', url: '/api/tokens', allowed: READERS, body: {} },
  { method: 'DELETE', url: '/api/tokens/:id', allowed: READERS },
  { method: 'GET', url: '/api/departments', allowed: ALL },
  { method: 'GET', url: '/api/departments/export', allowed: ALL },
  { method: 'GET', url: '/api/departments/:id', allowed: ALL },
  { method: 'POST', url: '/api/departments', allowed: ADMIN, body: {} },
  { method: 'PATCH', url: '/api/departments/:id', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/stores', allowed: ALL },
  { method: 'GET', url: '/api/stores/export', allowed: ALL },
  { method: 'GET', url: '/api/stores/:id', allowed: ALL },
  { method: 'POST', url: '/api/stores', allowed: ADMIN, body: {} },
  { method: 'PATCH', url: '/api/stores/:id', allowed: ADMIN, body: {} },
  { method: 'POST', url: '/api/stores/import', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/people', allowed: READERS },
  { method: 'GET', url: '/api/people/export', allowed: READERS },
  { method: 'GET', url: '/api/people/:id', allowed: READERS },
  { method: 'POST', url: '/api/people', allowed: ADMIN, body: {} },
  { method: 'PATCH', url: '/api/people/:id', allowed: ADMIN, body: {} },
  { method: 'POST', url: '/api/people/:id/deactivate', allowed: ADMIN },
  { method: 'POST', url: '/api/people/:id/reactivate', allowed: ADMIN },
  { method: 'POST', url: '/api/people/:id/invite', allowed: ADMIN },
  { method: 'POST', url: '/api/people/import', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/audit', allowed: ADMIN },
  // Scope: everyone reads who may do what; admins change it.
  { method: 'GET', url: '/api/module-access', allowed: ALL },
  { method: 'PATCH', url: '/api/module-access', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/audit/export', allowed: ADMIN },
  { method: 'GET', url: '/api/outbox', allowed: ADMIN },
  { method: 'GET', url: '/api/outbox/:id', allowed: ADMIN },
  // Requests: staff have none; who may change which request is decided per request (test/requests.test.ts).
  { method: 'GET', url: '/api/requests', allowed: READERS },
  { method: 'GET', url: '/api/requests/export', allowed: READERS },
  { method: 'GET', url: '/api/requests/ledger', allowed: READERS },
  { method: 'GET', url: '/api/requests/:id', allowed: READERS },
  { method: 'POST', url: '/api/requests', allowed: WORKERS, body: {} },
  { method: 'PATCH', url: '/api/requests/:id', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/requests/:id/status', allowed: WORKERS, body: { status: 'accepted' } },
  { method: 'POST', url: '/api/requests/:id/assign', allowed: LEADS, body: { assigneeId: null } },
  { method: 'POST', url: '/api/requests/:id/comments', allowed: WORKERS, body: { body: 'x' } },
  { method: 'GET', url: '/api/request-types', allowed: READERS },
  { method: 'POST', url: '/api/request-types', allowed: ADMIN, body: {} },
  { method: 'POST', url: '/api/request-types/defaults', allowed: ADMIN, body: {} },
  { method: 'PATCH', url: '/api/request-types/:id', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/request-priorities', allowed: READERS },
  { method: 'PATCH', url: '/api/request-priorities/:code', allowed: ADMIN, body: {} },
  // Ideas (M8): everyone reads; viewers only read; members own; leads review and assign.
  { method: 'GET', url: '/api/ideas', allowed: ALL },
  { method: 'GET', url: '/api/ideas/export', allowed: ALL },
  { method: 'GET', url: '/api/ideas/similar', allowed: ALL },
  { method: 'GET', url: '/api/ideas/stats', allowed: ALL },
  { method: 'GET', url: '/api/ideas/:id', allowed: ALL },
  { method: 'POST', url: '/api/ideas', allowed: without('viewer'), body: {} },
  { method: 'POST', url: '/api/ideas/:id/vote', allowed: without('viewer') },
  { method: 'POST', url: '/api/ideas/:id/comments', allowed: without('viewer'), body: {} },
  { method: 'POST', url: '/api/ideas/:id/take', allowed: WORKERS },
  { method: 'POST', url: '/api/ideas/:id/owner', allowed: LEADS, body: {} },
  { method: 'POST', url: '/api/ideas/:id/state', allowed: WORKERS, body: {} },
  // Cashier monitoring: never store staff (the cashiers themselves); only departments with POS access;
  // chain-wide LP leads tune the scoring.
  { method: 'POST', url: '/api/pos/imports', allowed: POS_CHAIN, body: {} },
  { method: 'GET', url: '/api/pos/imports', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/imports/:id', allowed: POS_READ },
  { method: 'POST', url: '/api/pos/batches', allowed: POS_CHAIN, body: {} },
  { method: 'GET', url: '/api/pos/settings', allowed: POS_READ },
  { method: 'PATCH', url: '/api/pos/settings', allowed: POS_SETTINGS, body: { watchThreshold: 0 } },
  { method: 'GET', url: '/api/pos/exceptions', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/exceptions/export', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/exceptions/:id', allowed: POS_READ },
  { method: 'PATCH', url: '/api/pos/exceptions/:id', allowed: POS_WORK, body: {} },
  { method: 'POST', url: '/api/pos/exceptions/:id/notes', allowed: POS_WORK, body: { body: 'x' } },
  { method: 'GET', url: '/api/pos/scores', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/dashboard', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/stores/:id/dashboard', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/stores/:id/cashiers', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/stores/:id/video', allowed: POS_READ },
  { method: 'PUT', url: '/api/pos/stores/:id/video', allowed: POS_WORK, body: {} },
  { method: 'GET', url: '/api/pos/cashiers/:id', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/cashiers/:id/transactions', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/transactions/:id', allowed: POS_READ },
  // Cross-training, notifications, global search and security technology: role rows by identity;
  // which records each sees is tested in their own suites (training, notifications, search, devices).
  { method: 'GET', url: '/api/training/skills', allowed: READERS },
  { method: 'POST', url: '/api/training/skills', allowed: ADMIN, body: {} },
  { method: 'PATCH', url: '/api/training/skills/:id', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/training/targets', allowed: READERS },
  { method: 'PUT', url: '/api/training/targets', allowed: ADMIN, body: {} },
  { method: 'DELETE', url: '/api/training/targets/:id', allowed: ADMIN },
  { method: 'GET', url: '/api/training/me', allowed: READERS },
  { method: 'PUT', url: '/api/training/me/ratings', allowed: WORKERS, body: {} },
  { method: 'GET', url: '/api/training/ratings', allowed: READERS },
  { method: 'GET', url: '/api/training/ratings/export', allowed: READERS },
  { method: 'POST', url: '/api/training/ratings/confirm', allowed: LEADS, body: {} },
  { method: 'GET', url: '/api/training/certifications', allowed: READERS },
  { method: 'GET', url: '/api/training/certifications/export', allowed: READERS },
  { method: 'POST', url: '/api/training/certifications', allowed: WORKERS, body: {} },
  { method: 'DELETE', url: '/api/training/certifications/:id', allowed: WORKERS },
  { method: 'GET', url: '/api/training/heatmap', allowed: READERS },
  { method: 'GET', url: '/api/training/pairings', allowed: LEADS },
  { method: 'GET', url: '/api/training/coverage', allowed: READERS },
  { method: 'GET', url: '/api/training/sessions', allowed: READERS },
  { method: 'GET', url: '/api/training/sessions/export', allowed: READERS },
  { method: 'GET', url: '/api/training/sessions/:id', allowed: READERS },
  { method: 'POST', url: '/api/training/sessions', allowed: WORKERS, body: {} },
  { method: 'PATCH', url: '/api/training/sessions/:id', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/training/sessions/:id/cancel', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/training/sessions/:id/respond', allowed: WORKERS, body: { response: 'accepted' } },
  { method: 'POST', url: '/api/training/sessions/:id/reflection', allowed: WORKERS, body: {} },
  { method: 'GET', url: '/api/notifications', allowed: ALL },
  { method: 'GET', url: '/api/notifications/unread-count', allowed: ALL },
  { method: 'POST', url: '/api/notifications/:id/read', allowed: ALL },
  { method: 'POST', url: '/api/notifications/read-all', allowed: ALL },
  { method: 'GET', url: '/api/notifications/preferences', allowed: ALL },
  { method: 'PUT', url: '/api/notifications/preferences', allowed: ALL, body: {} },
  { method: 'GET', url: '/api/notifications/webhooks', allowed: ALL },
  { method: 'PUT', url: '/api/notifications/webhooks', allowed: ALL, body: {} },
  { method: 'DELETE', url: '/api/notifications/webhooks/:id', allowed: ALL },
  // Saved list views: everyone keeps their own (another's view is a 404, test/views.test.ts).
  { method: 'GET', url: '/api/views', allowed: ALL },
  { method: 'POST', url: '/api/views', allowed: ALL, body: {} },
  { method: 'PATCH', url: '/api/views/:id', allowed: ALL, body: {} },
  { method: 'DELETE', url: '/api/views/:id', allowed: ALL },
  { method: 'GET', url: '/api/search', allowed: ALL },
  { method: 'GET', url: '/api/devices', allowed: READERS },
  { method: 'GET', url: '/api/devices/export', allowed: READERS },
  { method: 'GET', url: '/api/devices/:id', allowed: READERS },
  { method: 'POST', url: '/api/devices', allowed: WORKERS, body: {} },
  { method: 'PATCH', url: '/api/devices/:id', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/devices/import', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/device-scans', allowed: WORKERS, body: {} },
  { method: 'GET', url: '/api/device-scans', allowed: READERS },
  { method: 'GET', url: '/api/device-scans/:id', allowed: READERS },
  { method: 'POST', url: '/api/device-scans/:id/hosts/:hostId/confirm', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/device-scans/:id/hosts/:hostId/dismiss', allowed: WORKERS },
  { method: 'GET', url: '/api/device-models', allowed: READERS },
  { method: 'GET', url: '/api/device-models/export', allowed: READERS },
  { method: 'POST', url: '/api/device-models', allowed: WORKERS, body: {} },
  { method: 'PATCH', url: '/api/device-models/:id', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/device-models/import', allowed: WORKERS, body: {} },
  { method: 'GET', url: '/api/device-policy', allowed: READERS },
  { method: 'PATCH', url: '/api/device-policy', allowed: LEADS, body: {} },
  { method: 'GET', url: '/api/device-findings', allowed: READERS },
  { method: 'GET', url: '/api/device-findings/export', allowed: READERS },
  { method: 'GET', url: '/api/device-findings/dashboard', allowed: READERS },
  { method: 'GET', url: '/api/device-findings/:id', allowed: READERS },
  { method: 'PATCH', url: '/api/device-findings/:id', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/device-findings/:id/resolve', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/device-findings/:id/accept', allowed: LEADS, body: {} },
  { method: 'POST', url: '/api/device-findings/:id/reopen', allowed: WORKERS },
  { method: 'GET', url: '/api/camera-plans', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/network/:id', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/:id', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/:id/export', allowed: READERS },
  { method: 'POST', url: '/api/camera-plans', allowed: WORKERS, body: {} },
  { method: 'PATCH', url: '/api/camera-plans/:id', allowed: WORKERS, body: {} },
  { method: 'DELETE', url: '/api/camera-plans/:id', allowed: WORKERS },
  // Cashier monitoring, investigator's queue and detection (#10): POS readers and reviewers; settings for LP leads.
  { method: 'GET', url: '/api/pos/ranking', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/queue', allowed: POS_READ },
  { method: 'POST', url: '/api/pos/exceptions/bulk', allowed: POS_WORK, body: {} },
  { method: 'GET', url: '/api/pos/exceptions/:id/next', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/outcomes', allowed: POS_READ },
  { method: 'GET', url: '/api/pos/operators', allowed: POS_READ },
  { method: 'POST', url: '/api/pos/operators/import', allowed: POS_SETTINGS, body: {} },
  { method: 'GET', url: '/api/pos/registers', allowed: POS_READ },
  { method: 'PUT', url: '/api/pos/stores/:id/registers/:register', allowed: POS_SETTINGS, body: {} },
];

let t: TestApp;
const cookies = {} as Record<Who, string | undefined>;

beforeAll(async () => {
  t = await seededApp();
  for (const who of ALL) cookies[who] = await signIn(t.app, IDENTITIES[who]);
}, 300_000);
afterAll(async () => t?.close());

describe('authorization table', () => {
  it('covers every API route the application registers', () => {
    const listed = TABLE.map((r) => `${r.method} ${r.url}`);
    expect([...t.app.apiRoutes].sort()).toEqual([...listed].sort());
  });

  for (const row of TABLE) {
    for (const who of [...ALL, 'anonymous'] as Who[]) {
      const allowed = row.allowed === PUBLIC || (who !== 'anonymous' && row.allowed.includes(who));
      const expected = allowed ? 'allowed' : who === 'anonymous' ? 401 : 403;
      it(`${row.method} ${row.url} as ${who}: ${expected}`, async () => {
        const url = row.url.replace(':id', MISSING).replace(':hostId', MISSING).replace(':register', '1').replace(':token', 'inv_unknowninvitationtoken');
        const cookie = cookies[who];
        const res = await t.app.inject({
          method: row.method as 'GET',
          url,
          headers: cookie ? { cookie } : {},
          ...(row.body !== undefined ? { payload: row.body as object } : {}),
        });
        if (expected === 'allowed') expect([401, 403]).not.toContain(res.statusCode);
        else expect(res.statusCode).toBe(expected);
      });
    }
  }
});
