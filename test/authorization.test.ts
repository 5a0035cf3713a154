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
// Devices sit on IT's network: IT, InfoSec and security operations keep the inventory; findings are
// IT's and InfoSec's; LP, security, IT and InfoSec plan cameras; the catalogue and policy are chain-wide.
const DEV_WORK: Identity[] = ['admin', 'secMember', 'itLead', 'itMember'];
const DEV_FINDINGS: Identity[] = ['admin', 'itLead', 'itMember'];
const DEV_LEADS: Identity[] = ['admin', 'itLead'];
const DEV_PLAN: Identity[] = ['admin', 'lpLead', 'lpMember', 'storeLp', 'secMember', 'itLead', 'itMember'];
// Projects: LP, security, IT and InfoSec work in them, store operations read; proposing and running
// them is chain-wide; leads sign gates (the side is checked per gate in test/projects.test.ts).
const PROJECTS_WORK: Identity[] = ['admin', 'lpLead', 'lpMember', 'secMember', 'itLead', 'itMember'];
const PROJECTS_SIGN: Identity[] = ['admin', 'lpLead', 'itLead'];
// The IT budget is chain-level: IT works in it, LP, InfoSec and security read; IT leads edit.
const BUDGET_READ: Identity[] = ['admin', 'lpLead', 'lpMember', 'secMember', 'itLead', 'itMember', 'viewer'];
const BUDGET_EDIT: Identity[] = ['admin', 'itLead'];
// The priority pulse asks LP, IT, InfoSec and security people (not store operations, staff or viewers).
const PULSE_ANSWER: Identity[] = ['admin', 'lpLead', 'lpMember', 'storeLp', 'secMember', 'itLead', 'itMember'];
// Newsletter editors: admins and leads of the departments that own it (LP, security, IT, InfoSec).
const NEWSLETTER_EDIT: Identity[] = ['admin', 'lpLead', 'itLead'];
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
  { method: 'GET', url: '/api/request-calendars', allowed: READERS },
  { method: 'PUT', url: '/api/request-calendars/:departmentId', allowed: ADMIN, body: {} },
  { method: 'DELETE', url: '/api/request-calendars/:departmentId', allowed: ADMIN },
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
  // Joint meetings (M7): readers see the series of their department; workers add items (the service
  // limits that to attendees, and running a meeting to its chair and note taker); leads create series.
  { method: 'GET', url: '/api/meetings/series', allowed: READERS },
  { method: 'GET', url: '/api/meetings/series/export', allowed: READERS },
  { method: 'POST', url: '/api/meetings/series', allowed: LEADS, body: {} },
  { method: 'GET', url: '/api/meetings/series/:id', allowed: READERS },
  { method: 'PATCH', url: '/api/meetings/series/:id', allowed: WORKERS, body: {} },
  { method: 'GET', url: '/api/meetings/series/:id/calendar.ics', allowed: READERS },
  { method: 'GET', url: '/api/meetings/occurrences/:id', allowed: READERS },
  { method: 'PATCH', url: '/api/meetings/occurrences/:id', allowed: WORKERS, body: {} },
  { method: 'GET', url: '/api/meetings/occurrences/:id/suggestions', allowed: READERS },
  { method: 'POST', url: '/api/meetings/occurrences/:id/suggestions/accept', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/meetings/occurrences/:id/suggestions/dismiss', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/meetings/occurrences/:id/items', allowed: WORKERS, body: {} },
  { method: 'PUT', url: '/api/meetings/occurrences/:id/order', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/meetings/occurrences/:id/decisions', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/meetings/occurrences/:id/actions', allowed: WORKERS, body: {} },
  { method: 'PUT', url: '/api/meetings/occurrences/:id/attendance', allowed: WORKERS, body: {} },
  { method: 'POST', url: '/api/meetings/occurrences/:id/follow-up', allowed: WORKERS },
  { method: 'PATCH', url: '/api/meetings/items/:id', allowed: WORKERS, body: {} },
  { method: 'DELETE', url: '/api/meetings/items/:id', allowed: WORKERS },
  { method: 'GET', url: '/api/meetings/actions', allowed: READERS },
  { method: 'GET', url: '/api/meetings/actions/export', allowed: READERS },
  { method: 'PATCH', url: '/api/meetings/actions/:id', allowed: WORKERS, body: {} },
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
  { method: 'POST', url: '/api/devices', allowed: DEV_WORK, body: {} },
  { method: 'PATCH', url: '/api/devices/:id', allowed: DEV_WORK, body: {} },
  { method: 'POST', url: '/api/devices/import', allowed: DEV_WORK, body: {} },
  { method: 'POST', url: '/api/device-scans', allowed: DEV_WORK, body: {} },
  { method: 'GET', url: '/api/device-scans', allowed: READERS },
  { method: 'GET', url: '/api/device-scans/:id', allowed: READERS },
  { method: 'POST', url: '/api/device-scans/:id/hosts/:hostId/confirm', allowed: DEV_WORK, body: {} },
  { method: 'POST', url: '/api/device-scans/:id/hosts/:hostId/dismiss', allowed: DEV_WORK },
  { method: 'GET', url: '/api/device-models', allowed: READERS },
  { method: 'GET', url: '/api/device-models/export', allowed: READERS },
  { method: 'POST', url: '/api/device-models', allowed: DEV_WORK, body: {} },
  { method: 'PATCH', url: '/api/device-models/:id', allowed: DEV_WORK, body: {} },
  { method: 'POST', url: '/api/device-models/import', allowed: DEV_WORK, body: {} },
  { method: 'GET', url: '/api/device-policy', allowed: READERS },
  { method: 'PATCH', url: '/api/device-policy', allowed: DEV_LEADS, body: {} },
  { method: 'GET', url: '/api/device-findings', allowed: READERS },
  { method: 'GET', url: '/api/device-findings/export', allowed: READERS },
  { method: 'GET', url: '/api/device-findings/dashboard', allowed: READERS },
  { method: 'GET', url: '/api/device-findings/:id', allowed: READERS },
  { method: 'PATCH', url: '/api/device-findings/:id', allowed: DEV_FINDINGS, body: {} },
  { method: 'POST', url: '/api/device-findings/:id/resolve', allowed: DEV_FINDINGS, body: {} },
  { method: 'POST', url: '/api/device-findings/:id/accept', allowed: DEV_LEADS, body: {} },
  { method: 'POST', url: '/api/device-findings/:id/reopen', allowed: DEV_FINDINGS },
  { method: 'GET', url: '/api/camera-plans', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/network/:id', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/:id', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/:id/export', allowed: READERS },
  { method: 'GET', url: '/api/camera-plans/:id/pdf', allowed: READERS },
  { method: 'POST', url: '/api/camera-plans', allowed: DEV_PLAN, body: {} },
  { method: 'PATCH', url: '/api/camera-plans/:id', allowed: DEV_PLAN, body: {} },
  { method: 'DELETE', url: '/api/camera-plans/:id', allowed: DEV_PLAN },
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
  // Incidents and cases (M1): everyone reports and reads their own incidents; cases belong to LP and
  // security (sealed cases are narrowed per case in test/cases.test.ts); the tip line is public.
  { method: 'GET', url: '/api/incidents', allowed: ALL },
  { method: 'GET', url: '/api/incidents/export', allowed: ALL },
  // The shrink dashboard: everyone who reads incidents, each within their own scope (figures in test/cases.test.ts).
  { method: 'GET', url: '/api/incidents/shrink', allowed: ALL },
  { method: 'GET', url: '/api/incidents/shrink/export', allowed: ALL },
  { method: 'GET', url: '/api/incidents/:id', allowed: ALL },
  { method: 'POST', url: '/api/incidents', allowed: ALL, body: {} },
  { method: 'POST', url: '/api/incidents/:id/files', allowed: ALL },
  { method: 'GET', url: '/api/incident-files/:id', allowed: ALL },
  { method: 'POST', url: '/api/incidents/:id/triage', allowed: POS_READ, body: {} },
  { method: 'POST', url: '/api/incidents/:id/messages', allowed: ALL, body: {} },
  { method: 'GET', url: '/api/public/tips', allowed: PUBLIC },
  { method: 'POST', url: '/api/public/tips', allowed: PUBLIC, body: {} },
  { method: 'GET', url: '/api/public/tips/:token', allowed: PUBLIC },
  { method: 'POST', url: '/api/public/tips/:token/messages', allowed: PUBLIC, body: {} },
  { method: 'GET', url: '/api/cases', allowed: POS_READ },
  { method: 'GET', url: '/api/cases/export', allowed: POS_READ },
  { method: 'GET', url: '/api/cases/:id', allowed: POS_READ },
  { method: 'GET', url: '/api/cases/:id/report.pdf', allowed: POS_READ },
  { method: 'POST', url: '/api/cases', allowed: POS_WORK, body: {} },
  { method: 'PATCH', url: '/api/cases/:id', allowed: POS_WORK, body: {} },
  { method: 'POST', url: '/api/cases/:id/members', allowed: POS_WORK, body: {} },
  { method: 'POST', url: '/api/cases/:id/members/remove', allowed: POS_WORK, body: {} },
  { method: 'POST', url: '/api/cases/:id/tasks', allowed: POS_WORK, body: {} },
  { method: 'PATCH', url: '/api/case-tasks/:id', allowed: POS_WORK, body: {} },
  { method: 'POST', url: '/api/cases/:id/notes', allowed: POS_WORK, body: {} },
  { method: 'POST', url: '/api/cases/:id/links', allowed: POS_WORK, body: {} },
  { method: 'POST', url: '/api/cases/:id/evidence', allowed: POS_WORK },
  { method: 'POST', url: '/api/cases/:id/evidence-links', allowed: POS_WORK, body: {} },
  { method: 'GET', url: '/api/case-evidence/:id/download', allowed: POS_READ },
  { method: 'POST', url: '/api/case-evidence/:id/custody', allowed: POS_WORK, body: {} },
  { method: 'POST', url: '/api/requests/:id/video-export', allowed: WORKERS },
  { method: 'POST', url: '/api/video-requests', allowed: POS_WORK, body: {} },
  { method: 'GET', url: '/api/case-settings', allowed: POS_READ },
  { method: 'PUT', url: '/api/case-settings', allowed: ADMIN, body: {} },
  // Technology projects (M4) and the IT budget with priority alignment (M5).
  { method: 'GET', url: '/api/projects', allowed: READERS },
  { method: 'GET', url: '/api/projects/export', allowed: READERS },
  { method: 'POST', url: '/api/projects', allowed: PROJECTS_WORK, body: {} },
  { method: 'GET', url: '/api/projects/:id', allowed: READERS },
  { method: 'PATCH', url: '/api/projects/:id', allowed: PROJECTS_WORK, body: {} },
  { method: 'POST', url: '/api/projects/:id/stage', allowed: PROJECTS_WORK, body: {} },
  { method: 'POST', url: '/api/projects/:id/signoffs', allowed: PROJECTS_SIGN, body: {} },
  { method: 'POST', url: '/api/projects/:id/checklist', allowed: PROJECTS_WORK, body: {} },
  { method: 'PUT', url: '/api/projects/:id/milestones', allowed: PROJECTS_WORK, body: {} },
  { method: 'PUT', url: '/api/projects/:id/stores', allowed: PROJECTS_WORK, body: {} },
  { method: 'POST', url: '/api/projects/:id/links', allowed: PROJECTS_WORK, body: {} },
  { method: 'DELETE', url: '/api/project-links/:id', allowed: PROJECTS_WORK },
  { method: 'GET', url: '/api/project-templates', allowed: READERS },
  { method: 'PUT', url: '/api/project-templates', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/budget/lines', allowed: BUDGET_READ },
  { method: 'GET', url: '/api/budget/lines/export', allowed: BUDGET_READ },
  { method: 'POST', url: '/api/budget/lines', allowed: BUDGET_EDIT, body: {} },
  { method: 'PATCH', url: '/api/budget/lines/:id', allowed: BUDGET_EDIT, body: {} },
  { method: 'DELETE', url: '/api/budget/lines/:id', allowed: BUDGET_EDIT },
  { method: 'POST', url: '/api/budget/lines/import', allowed: BUDGET_EDIT, body: {} },
  { method: 'GET', url: '/api/budget/alignment', allowed: BUDGET_READ },
  { method: 'GET', url: '/api/budget/priorities', allowed: [...BUDGET_READ, 'storeLp'] },
  { method: 'POST', url: '/api/budget/priorities', allowed: ADMIN, body: {} },
  { method: 'PATCH', url: '/api/budget/priorities/:id', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/pulse/rounds', allowed: [...BUDGET_READ, 'storeLp'] },
  { method: 'POST', url: '/api/pulse/rounds', allowed: ADMIN, body: {} },
  { method: 'GET', url: '/api/pulse/rounds/:id', allowed: [...BUDGET_READ, 'storeLp'] },
  { method: 'PUT', url: '/api/pulse/rounds/:id/answers', allowed: PULSE_ANSWER, body: {} },
  { method: 'POST', url: '/api/pulse/rounds/:id/remind', allowed: ADMIN },
  // Newsletter (M9): leads of the security and IT departments and admins edit and send; everyone reads
  // the archive; readers' own links (preferences, one-click unsubscribe, confirmation) need no sign-in.
  { method: 'GET', url: '/api/newsletter/editions', allowed: NEWSLETTER_EDIT },
  { method: 'POST', url: '/api/newsletter/editions', allowed: NEWSLETTER_EDIT, body: {} },
  { method: 'GET', url: '/api/newsletter/editions/:id', allowed: NEWSLETTER_EDIT },
  { method: 'PATCH', url: '/api/newsletter/editions/:id', allowed: NEWSLETTER_EDIT, body: {} },
  { method: 'POST', url: '/api/newsletter/editions/:id/redraft', allowed: NEWSLETTER_EDIT },
  { method: 'GET', url: '/api/newsletter/editions/:id/preview', allowed: NEWSLETTER_EDIT },
  { method: 'GET', url: '/api/newsletter/editions/:id/audience', allowed: NEWSLETTER_EDIT },
  { method: 'POST', url: '/api/newsletter/editions/:id/schedule', allowed: NEWSLETTER_EDIT, body: {} },
  { method: 'POST', url: '/api/newsletter/editions/:id/unschedule', allowed: NEWSLETTER_EDIT },
  { method: 'GET', url: '/api/newsletter/editions/:id/progress', allowed: NEWSLETTER_EDIT },
  { method: 'GET', url: '/api/newsletter/editions/:id/recipients', allowed: NEWSLETTER_EDIT },
  { method: 'GET', url: '/api/newsletter/editions/:id/recipients/export', allowed: NEWSLETTER_EDIT },
  { method: 'GET', url: '/api/newsletter/archive', allowed: ALL },
  { method: 'GET', url: '/api/newsletter/archive/:id', allowed: ALL },
  { method: 'GET', url: '/api/newsletter/public/:id', allowed: PUBLIC },
  { method: 'GET', url: '/api/newsletter/subscribers', allowed: NEWSLETTER_EDIT },
  { method: 'GET', url: '/api/newsletter/subscribers/export', allowed: NEWSLETTER_EDIT },
  { method: 'POST', url: '/api/newsletter/subscribers', allowed: NEWSLETTER_EDIT, body: {} },
  { method: 'POST', url: '/api/newsletter/subscribe', allowed: ALL },
  { method: 'POST', url: '/api/newsletter/confirm', allowed: PUBLIC, body: {} },
  { method: 'GET', url: '/api/newsletter/preferences', allowed: PUBLIC },
  { method: 'POST', url: '/api/newsletter/preferences', allowed: PUBLIC, body: {} },
  { method: 'GET', url: '/api/newsletter/unsubscribe', allowed: PUBLIC },
  { method: 'POST', url: '/api/newsletter/unsubscribe', allowed: PUBLIC, body: {} },
  { method: 'POST', url: '/api/newsletter/bounces', allowed: NEWSLETTER_EDIT, body: {} },
  { method: 'GET', url: '/api/newsletter/settings', allowed: ALL },
  { method: 'PATCH', url: '/api/newsletter/settings', allowed: ADMIN, body: {} },
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
