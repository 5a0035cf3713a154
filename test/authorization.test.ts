import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/contracts/roles.js';
import { ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';

type Who = Role | 'anonymous';
const ALL: Role[] = [...ROLES];
const READERS: Role[] = ['admin', 'lead', 'member', 'viewer'];
const ADMIN: Role[] = ['admin'];
const PUBLIC = 'public' as const;
const MISSING = '01900000-0000-7000-8000-000000000000';

/**
 * Who may call each route. Written out by hand (not derived from the policy table) so that a
 * change to the policy shows up here as a failing row. Allowed callers get past authorization
 * (any status but 401/403); everyone else gets 403, and signed-out callers 401.
 */
const TABLE: Array<{ method: string; url: string; allowed: Role[] | typeof PUBLIC; body?: unknown }> = [
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
  { method: 'GET', url: '/api/audit/export', allowed: ADMIN },
  { method: 'GET', url: '/api/outbox', allowed: ADMIN },
  { method: 'GET', url: '/api/outbox/:id', allowed: ADMIN },
  // Requests: staff have none; who may change which request is decided per request (test/requests.test.ts).
  { method: 'GET', url: '/api/requests', allowed: READERS },
  { method: 'GET', url: '/api/requests/export', allowed: READERS },
  { method: 'GET', url: '/api/requests/ledger', allowed: READERS },
  { method: 'GET', url: '/api/requests/:id', allowed: READERS },
  { method: 'POST', url: '/api/requests', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'PATCH', url: '/api/requests/:id', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/requests/:id/status', allowed: ['admin', 'lead', 'member'], body: { status: 'accepted' } },
  { method: 'POST', url: '/api/requests/:id/assign', allowed: ['admin', 'lead'], body: { assigneeId: null } },
  { method: 'POST', url: '/api/requests/:id/comments', allowed: ['admin', 'lead', 'member'], body: { body: 'x' } },
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
  { method: 'POST', url: '/api/ideas', allowed: ['admin', 'lead', 'member', 'staff'], body: {} },
  { method: 'POST', url: '/api/ideas/:id/vote', allowed: ['admin', 'lead', 'member', 'staff'] },
  { method: 'POST', url: '/api/ideas/:id/comments', allowed: ['admin', 'lead', 'member', 'staff'], body: {} },
  { method: 'POST', url: '/api/ideas/:id/take', allowed: ['admin', 'lead', 'member'] },
  { method: 'POST', url: '/api/ideas/:id/owner', allowed: ['admin', 'lead'], body: {} },
  { method: 'POST', url: '/api/ideas/:id/state', allowed: ['admin', 'lead', 'member'], body: {} },
  // Cashier monitoring: never store staff (the cashiers themselves); viewers read; leads tune the scoring.
  { method: 'POST', url: '/api/pos/imports', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'GET', url: '/api/pos/imports', allowed: READERS },
  { method: 'GET', url: '/api/pos/imports/:id', allowed: READERS },
  { method: 'POST', url: '/api/pos/batches', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'GET', url: '/api/pos/settings', allowed: READERS },
  { method: 'PATCH', url: '/api/pos/settings', allowed: ['admin', 'lead'], body: { watchThreshold: 0 } },
  { method: 'GET', url: '/api/pos/exceptions', allowed: READERS },
  { method: 'GET', url: '/api/pos/exceptions/export', allowed: READERS },
  { method: 'GET', url: '/api/pos/exceptions/:id', allowed: READERS },
  { method: 'PATCH', url: '/api/pos/exceptions/:id', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/pos/exceptions/:id/notes', allowed: ['admin', 'lead', 'member'], body: { body: 'x' } },
  { method: 'GET', url: '/api/pos/scores', allowed: READERS },
  { method: 'GET', url: '/api/pos/dashboard', allowed: READERS },
  { method: 'GET', url: '/api/pos/stores/:id/dashboard', allowed: READERS },
  { method: 'GET', url: '/api/pos/stores/:id/cashiers', allowed: READERS },
  { method: 'GET', url: '/api/pos/stores/:id/video', allowed: READERS },
  { method: 'PUT', url: '/api/pos/stores/:id/video', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'GET', url: '/api/pos/cashiers/:id', allowed: READERS },
  { method: 'GET', url: '/api/pos/cashiers/:id/transactions', allowed: READERS },
  { method: 'GET', url: '/api/pos/transactions/:id', allowed: READERS },
  // Cross-training (M6): viewers read; members rate themselves and shadow; leads confirm and plan; admins edit the catalogue.
  // Which records each sees (own department; admins all) is tested in test/training.test.ts.
  { method: 'GET', url: '/api/training/skills', allowed: READERS },
  { method: 'POST', url: '/api/training/skills', allowed: ADMIN, body: {} },
  { method: 'PATCH', url: '/api/training/skills/:id', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/training/targets', allowed: READERS },
  { method: 'PUT', url: '/api/training/targets', allowed: ADMIN, body: {} },
  { method: 'DELETE', url: '/api/training/targets/:id', allowed: ADMIN },
  { method: 'GET', url: '/api/training/me', allowed: READERS },
  { method: 'PUT', url: '/api/training/me/ratings', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'GET', url: '/api/training/ratings', allowed: READERS },
  { method: 'GET', url: '/api/training/ratings/export', allowed: READERS },
  { method: 'POST', url: '/api/training/ratings/confirm', allowed: ['admin', 'lead'], body: {} },
  { method: 'GET', url: '/api/training/certifications', allowed: READERS },
  { method: 'GET', url: '/api/training/certifications/export', allowed: READERS },
  { method: 'POST', url: '/api/training/certifications', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'DELETE', url: '/api/training/certifications/:id', allowed: ['admin', 'lead', 'member'] },
  { method: 'GET', url: '/api/training/heatmap', allowed: READERS },
  { method: 'GET', url: '/api/training/pairings', allowed: ['admin', 'lead'] },
  { method: 'GET', url: '/api/training/coverage', allowed: READERS },
  { method: 'GET', url: '/api/training/sessions', allowed: READERS },
  { method: 'GET', url: '/api/training/sessions/export', allowed: READERS },
  { method: 'GET', url: '/api/training/sessions/:id', allowed: READERS },
  { method: 'POST', url: '/api/training/sessions', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'PATCH', url: '/api/training/sessions/:id', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/training/sessions/:id/cancel', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/training/sessions/:id/respond', allowed: ['admin', 'lead', 'member'], body: { response: 'accepted' } },
  { method: 'POST', url: '/api/training/sessions/:id/reflection', allowed: ['admin', 'lead', 'member'], body: {} },
  // Notifications: everyone has their own bell, preferences and personal webhook; read-only API tokens
  // cannot change them; department channels are set by admins (checked in the service: 403 for others).
  { method: 'GET', url: '/api/notifications', allowed: ALL },
  { method: 'GET', url: '/api/notifications/unread-count', allowed: ALL },
  { method: 'POST', url: '/api/notifications/:id/read', allowed: ALL },
  { method: 'POST', url: '/api/notifications/read-all', allowed: ALL },
  { method: 'GET', url: '/api/notifications/preferences', allowed: ALL },
  { method: 'PUT', url: '/api/notifications/preferences', allowed: ALL, body: {} },
  { method: 'GET', url: '/api/notifications/webhooks', allowed: ALL },
  { method: 'PUT', url: '/api/notifications/webhooks', allowed: ALL, body: {} },
  { method: 'DELETE', url: '/api/notifications/webhooks/:id', allowed: ALL },
  // Global search: everyone; each provider returns only what the person may see (test/search.test.ts).
  { method: 'GET', url: '/api/search', allowed: ALL },
  // Devices (M3): store staff never; viewers read; IT, InfoSec and security work (role-based until
  // department scope lands); leads accept risk and set policy. Store people are scoped to their
  // store (test/devices.test.ts "store scope").
  { method: 'GET', url: '/api/devices', allowed: READERS },
  { method: 'GET', url: '/api/devices/export', allowed: READERS },
  { method: 'GET', url: '/api/devices/:id', allowed: READERS },
  { method: 'POST', url: '/api/devices', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'PATCH', url: '/api/devices/:id', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/devices/import', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/device-scans', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'GET', url: '/api/device-scans', allowed: READERS },
  { method: 'GET', url: '/api/device-scans/:id', allowed: READERS },
  { method: 'POST', url: '/api/device-scans/:id/hosts/:hostId/confirm', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/device-scans/:id/hosts/:hostId/dismiss', allowed: ['admin', 'lead', 'member'] },
  { method: 'GET', url: '/api/device-models', allowed: READERS },
  { method: 'GET', url: '/api/device-models/export', allowed: READERS },
  { method: 'POST', url: '/api/device-models', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'PATCH', url: '/api/device-models/:id', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/device-models/import', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'GET', url: '/api/device-policy', allowed: READERS },
  { method: 'PATCH', url: '/api/device-policy', allowed: ['admin', 'lead'], body: {} },
  { method: 'GET', url: '/api/device-findings', allowed: READERS },
  { method: 'GET', url: '/api/device-findings/export', allowed: READERS },
  { method: 'GET', url: '/api/device-findings/dashboard', allowed: READERS },
  { method: 'GET', url: '/api/device-findings/:id', allowed: READERS },
  { method: 'PATCH', url: '/api/device-findings/:id', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/device-findings/:id/resolve', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'POST', url: '/api/device-findings/:id/accept', allowed: ['admin', 'lead'], body: {} },
  { method: 'POST', url: '/api/device-findings/:id/reopen', allowed: ['admin', 'lead', 'member'] },
  { method: 'GET', url: '/api/camera-plans', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/network/:id', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/:id', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/:id/export', allowed: READERS },
  { method: 'POST', url: '/api/camera-plans', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'PATCH', url: '/api/camera-plans/:id', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'DELETE', url: '/api/camera-plans/:id', allowed: ['admin', 'lead', 'member'] },
];

let t: TestApp;
const cookies = {} as Record<Who, string | undefined>;

beforeAll(async () => {
  t = await seededApp();
  for (const role of ROLES) cookies[role] = await signIn(t.app, ROLE_EMAILS[role]);
}, 300_000);
afterAll(async () => t?.close());

describe('authorization table', () => {
  it('covers every API route the application registers', () => {
    const listed = TABLE.map((r) => `${r.method} ${r.url}`);
    expect([...t.app.apiRoutes].sort()).toEqual([...listed].sort());
  });

  for (const row of TABLE) {
    for (const who of [...ROLES, 'anonymous'] as Who[]) {
      const allowed = row.allowed === PUBLIC || (who !== 'anonymous' && row.allowed.includes(who));
      const expected = allowed ? 'allowed' : who === 'anonymous' ? 401 : 403;
      it(`${row.method} ${row.url} as ${who}: ${expected}`, async () => {
        const url = row.url.replace(':id', MISSING).replace(':hostId', MISSING).replace(':token', 'inv_unknowninvitationtoken');
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
