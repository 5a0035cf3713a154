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
  { method: 'GET', url: '/api/pos/ranking', allowed: READERS },
  { method: 'GET', url: '/api/pos/queue', allowed: READERS },
  { method: 'POST', url: '/api/pos/exceptions/bulk', allowed: ['admin', 'lead', 'member'], body: {} },
  { method: 'GET', url: '/api/pos/exceptions/:id/next', allowed: READERS },
  { method: 'GET', url: '/api/pos/outcomes', allowed: READERS },
  { method: 'GET', url: '/api/pos/operators', allowed: READERS },
  { method: 'POST', url: '/api/pos/operators/import', allowed: ['admin', 'lead'], body: {} },
  { method: 'GET', url: '/api/pos/registers', allowed: READERS },
  { method: 'PUT', url: '/api/pos/stores/:id/registers/:register', allowed: ['admin', 'lead'], body: {} },
];

let t: TestApp;
const cookies = {} as Record<Who, string | undefined>;

beforeAll(async () => {
  t = await seededApp();
  for (const role of ROLES) cookies[role] = await signIn(t.app, ROLE_EMAILS[role]);
});
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
        const url = row.url.replace(':id', MISSING).replace(':token', 'inv_unknowninvitationtoken');
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
