import type { DepartmentKind, Role } from './roles.js';

/**
 * What each role may do. One table, read by the server's policy module on every route
 * and by the web app to hide what a person cannot use. Roles are the first half of the answer;
 * the second half is scope (below): which modules a person's department may read or work in,
 * and which stores the person sees.
 */
export const PERMISSIONS = {
  'workspace:read': ['admin', 'lead', 'member', 'staff', 'viewer'],
  'profile:edit': ['admin', 'lead', 'member', 'staff', 'viewer'],
  'people:read': ['admin', 'lead', 'member', 'viewer'],
  'people:manage': ['admin'],
  'stores:manage': ['admin'],
  'departments:manage': ['admin'],
  'audit:read': ['admin'],
  'outbox:read': ['admin'],
  'tokens:use': ['admin', 'lead', 'member', 'viewer'],
  'tokens:write-scope': ['admin', 'lead', 'member'],
  // Requests between departments (M4): staff do not use them (see docs/decisions.md); the service
  // further limits state changes to the target department and cancelling to the requesting side.
  'requests:read': ['admin', 'lead', 'member', 'viewer'],
  'requests:create': ['admin', 'lead', 'member'],
  'requests:work': ['admin', 'lead', 'member'],
  'requests:assign': ['admin', 'lead'],
  'requests:catalogue': ['admin'],
  // Ideas (M8): anyone but a viewer submits, votes and comments; members take ownership; leads review.
  'ideas:read': ['admin', 'lead', 'member', 'staff', 'viewer'],
  'ideas:submit': ['admin', 'lead', 'member', 'staff'],
  'ideas:vote': ['admin', 'lead', 'member', 'staff'],
  'ideas:comment': ['admin', 'lead', 'member', 'staff'],
  'ideas:own': ['admin', 'lead', 'member'],
  'ideas:assign': ['admin', 'lead'],
  'ideas:review': ['admin', 'lead'],
  /** Moving an idea's state at all; the owner check (accepted → in progress → done) is in the service. */
  'ideas:progress': ['admin', 'lead', 'member'],
  // Cashier monitoring (M2): store staff (the cashiers themselves) never see it; the department
  // must also hold POS access (scope below), and scoring belongs to chain-wide LP leads.
  'pos:read': ['admin', 'lead', 'member', 'viewer'],
  'pos:import': ['admin', 'lead', 'member'],
  'pos:review': ['admin', 'lead', 'member'],
  'pos:video': ['admin', 'lead', 'member'],
  'pos:settings': ['admin', 'lead'],
  // Cross-training (M6): which people's ratings, sessions and figures one sees is narrowed further by
  // trainingVisibility() in the training service (own department; admins all).
  'training:read': ['admin', 'lead', 'member', 'viewer'],
  'training:rate': ['admin', 'lead', 'member'],
  'training:confirm': ['admin', 'lead'],
  'training:shadow': ['admin', 'lead', 'member'],
  'training:plan': ['admin', 'lead'],
  'training:catalogue': ['admin'],
  // Notifications: everyone has their own bell, preferences and personal chat webhook (profile:edit);
  // only admins point a department's chat channel at Tandem.
  'notifications:department-webhooks': ['admin'],
  // Security technology on the network (M3). Roles here; departments below: IT, InfoSec and Security
  // operations work in devices (MODULE_OWNERS), everyone else reads; findings and risk acceptance
  // are IT's and InfoSec's; LP, Security, IT and InfoSec plan cameras (PERMISSION_DEPARTMENTS).
  // The catalogue and the policy are chain-wide. Store people see only their stores (storeScopeSql).
  'devices:read': ['admin', 'lead', 'member', 'viewer'],
  'devices:manage': ['admin', 'lead', 'member'],
  'devices:catalogue': ['admin', 'lead', 'member'],
  'devices:findings': ['admin', 'lead', 'member'],
  'devices:accept-risk': ['admin', 'lead'],
  'devices:policy': ['admin', 'lead'],
  'devices:plan': ['admin', 'lead', 'member'],
  // Incidents and cases (M1): anyone reports an incident and reads their own reports (the service
  // narrows the rest: store people their stores, LP in scope). Cases belong to LP and security
  // (module access); internal-theft cases are sealed to their members and LP leads (casesVisibleSql).
  'incidents:read': ['admin', 'lead', 'member', 'staff', 'viewer'],
  'incidents:report': ['admin', 'lead', 'member', 'staff', 'viewer'],
  'cases:read': ['admin', 'lead', 'member', 'viewer'],
  'cases:work': ['admin', 'lead', 'member'],
  'cases:triage': ['admin', 'lead', 'member'],
  'cases:settings': ['admin'],
  // Joint meetings (M7): who sees a series is narrowed in the meetings service (attendees and their
  // departments; admins all); running a meeting (agenda order, minutes, decisions, actions,
  // attendance, follow-up) is for its chair and note taker; attendees add agenda items.
  'meetings:read': ['admin', 'lead', 'member', 'viewer'],
  'meetings:contribute': ['admin', 'lead', 'member'],
  'meetings:manage': ['admin', 'lead'],
  // Scope: which department may read or work in which module.
  'scope:manage': ['admin'],
  // Technology projects (M4): LP, security, IT and InfoSec work in them (module scope); leads sign gates,
  // the service checks the side (LP lead; IT lead, or InfoSec lead at the security gate).
  'projects:read': ['admin', 'lead', 'member', 'viewer'],
  'projects:propose': ['admin', 'lead', 'member'],
  'projects:manage': ['admin', 'lead', 'member'],
  'projects:signoff': ['admin', 'lead'],
  'projects:templates': ['admin'],
  // IT budget and LP priorities (M5): IT leads edit, LP, InfoSec and security read (module scope);
  // admins edit the priority list and run pulse rounds; LP, IT, InfoSec and security people answer.
  'budget:read': ['admin', 'lead', 'member', 'viewer'],
  'budget:edit': ['admin', 'lead'],
  'budget:priorities': ['admin'],
  'pulse:answer': ['admin', 'lead', 'member'],
  'pulse:manage': ['admin'],
  // Newsletter (M9): everyone reads the archive; leads of the security and IT departments (module
  // owners below) and admins draft, edit and send; admins change its settings (public archive, rate).
  'newsletter:read': ['admin', 'lead', 'member', 'staff', 'viewer'],
  'newsletter:edit': ['admin', 'lead'],
  'newsletter:settings': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Actions a read-only API token may still perform. */
export const READ_PERMISSIONS: readonly Permission[] = ['workspace:read', 'people:read', 'audit:read', 'outbox:read', 'requests:read', 'ideas:read', 'pos:read', 'training:read', 'devices:read', 'projects:read', 'budget:read'];

export function roleCan(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

// ------------------------------------------------------------------ scope (policy v2)

/**
 * Product modules whose data a department may read or work in. A permission named
 * `<module>:<verb>` belongs to that module: `:read` needs read access, any other verb work access.
 */
export const MODULE_KEYS = ['pos', 'cases', 'incidents', 'devices', 'requests', 'ideas', 'projects', 'budget', 'training', 'meetings', 'newsletter'] as const;
export type ModuleKey = (typeof MODULE_KEYS)[number];

export const MODULE_LABELS: Record<ModuleKey, string> = {
  pos: 'Cashier monitoring (POS)',
  cases: 'Cases and investigations',
  incidents: 'Incidents',
  devices: 'Devices and posture',
  requests: 'Requests',
  ideas: 'Ideas',
  projects: 'Projects',
  budget: 'Budget and priorities',
  training: 'Cross-training',
  meetings: 'Joint meetings',
  newsletter: 'Newsletter',
};

export const MODULE_ACCESS_LEVELS = ['none', 'read', 'work'] as const;
export type ModuleAccess = (typeof MODULE_ACCESS_LEVELS)[number];
export type ModuleAccessMap = Record<ModuleKey, ModuleAccess>;

export const MODULE_ACCESS_LABELS: Record<ModuleAccess, string> = { none: 'No access', read: 'Read', work: 'Work' };

/**
 * Modules owned by a function: only these department kinds work in them unless an admin grants
 * access. Cashier monitoring and cases hold suspicions about employees and belong to loss prevention
 * (security operations works beside it). Their leads are the ones who tune the module (e.g. scoring).
 */
export const MODULE_OWNERS: Partial<Record<ModuleKey, readonly DepartmentKind[]>> = {
  pos: ['lp', 'security'],
  cases: ['lp', 'security'],
  // The devices sit on IT's network: IT, InfoSec and security operations keep the inventory.
  devices: ['it', 'infosec', 'security'],
  newsletter: ['lp', 'security', 'it', 'infosec'],
};
/** What departments outside a module's owners get when no admin has set it (default: no access). */
export const MODULE_NON_OWNER_DEFAULT: Partial<Record<ModuleKey, ModuleAccess>> = {
  // Everyone sees what is installed in their stores and its posture (LP plans cameras from it).
  devices: 'read',
};
/** Who may change a module's chain-wide settings (besides admins): leads of these department kinds. */
export const MODULE_SETTINGS_OWNERS: Partial<Record<ModuleKey, readonly DepartmentKind[]>> = { pos: ['lp'], cases: ['lp'] };

/** The least access every department keeps: everyone reads ideas (M8 is open to all). */
export const MODULE_MINIMUM: Partial<Record<ModuleKey, ModuleAccess>> = { ideas: 'read', newsletter: 'read' };

/**
 * Department defaults for modules that are neither open to all nor owned by one function: projects are
 * worked by LP, security, IT and InfoSec and read by store operations; the IT budget is IT's (work) and
 * read by LP, InfoSec and security. Kinds not named get no access.
 */
export const MODULE_DEPARTMENT_DEFAULTS: Partial<Record<ModuleKey, Partial<Record<DepartmentKind, ModuleAccess>>>> = {
  projects: { lp: 'work', security: 'work', it: 'work', infosec: 'work', store_ops: 'read' },
  budget: { it: 'work', lp: 'read', infosec: 'read', security: 'read' },
};

const LEVEL: Record<ModuleAccess, number> = { none: 0, read: 1, work: 2 };
export const accessAtLeast = (have: ModuleAccess, need: ModuleAccess) => LEVEL[have] >= LEVEL[need];

/** A department's access to a module when no admin has set it. `null` kind: a person without a department. */
export function defaultModuleAccess(kind: DepartmentKind | null, module: ModuleKey): ModuleAccess {
  const owners = MODULE_OWNERS[module];
  if (owners) return kind && owners.includes(kind) ? 'work' : (MODULE_NON_OWNER_DEFAULT[module] ?? 'none');
  const byKind = MODULE_DEPARTMENT_DEFAULTS[module];
  if (byKind) return (kind && byKind[kind]) || 'none';
  return 'work';
}

/** Effective access: the admin's setting (if any) raised to the module's minimum. */
export function effectiveModuleAccess(kind: DepartmentKind | null, module: ModuleKey, setting?: ModuleAccess | null): ModuleAccess {
  const value = setting ?? defaultModuleAccess(kind, module);
  const minimum = MODULE_MINIMUM[module];
  return minimum && !accessAtLeast(value, minimum) ? minimum : value;
}

export function moduleAccessMap(kind: DepartmentKind | null, settings: Partial<Record<string, ModuleAccess>> = {}): ModuleAccessMap {
  return Object.fromEntries(MODULE_KEYS.map((m) => [m, effectiveModuleAccess(kind, m, settings[m])])) as ModuleAccessMap;
}

/** The module a permission belongs to and the access it needs; null for workspace permissions. */
export function permissionScope(permission: Permission): { module: ModuleKey; level: 'read' | 'work' } | null {
  const [prefix, verb] = permission.split(':');
  if (!(MODULE_KEYS as readonly string[]).includes(prefix)) return null;
  return { module: prefix as ModuleKey, level: verb === 'read' ? 'read' : 'work' };
}

/** The IT budget is chain-level, and projects are proposed and run from headquarters. */
const PROJECTS_BUDGET_CHAIN_WIDE: readonly Permission[] = ['projects:propose', 'projects:manage', 'projects:templates', 'budget:read', 'budget:edit', 'budget:priorities', 'pulse:manage'];

/**
 * Permissions that act on the whole chain, so a person attached to stores cannot hold them
 * (their view is limited to their stores): scoring settings and POS files that mix every store.
 */
export const CHAIN_WIDE_PERMISSIONS: readonly Permission[] = ['pos:settings', 'pos:import', 'devices:catalogue', 'devices:policy', ...PROJECTS_BUDGET_CHAIN_WIDE];
/** Permissions held only by leads of the module's settings owners (and admins). */
export const OWNER_LEAD_PERMISSIONS: readonly Permission[] = ['pos:settings'];

/**
 * Permissions held only by people of these department kinds (besides admins). They need read access
 * to their module, not work access: an LP lead reads the device inventory and plans cameras from it.
 */
export const PERMISSION_DEPARTMENTS: Partial<Record<Permission, readonly DepartmentKind[]>> = {
  'devices:findings': ['it', 'infosec'],
  'devices:accept-risk': ['it', 'infosec'],
  'devices:policy': ['it', 'infosec'],
  'devices:plan': ['lp', 'security', 'it', 'infosec'],
};

/** The facts the decision needs about a person: the same on the server (Actor) and in the web (/api/me). */
export interface ScopeSubject {
  role: Role;
  departmentKind: DepartmentKind | null;
  access: ModuleAccessMap;
  /** null: the whole chain (HQ); otherwise the stores the person is attached to. */
  storeIds: readonly string[] | null;
}

/** The one answer to "may this person do this?": role, then module access, then chain-wide and owner rules. */
export function decide(subject: ScopeSubject, permission: Permission): boolean {
  if (!roleCan(subject.role, permission)) return false;
  if (subject.role === 'admin') return true;
  const scope = permissionScope(permission);
  const departments = PERMISSION_DEPARTMENTS[permission];
  if (departments && (!subject.departmentKind || !departments.includes(subject.departmentKind))) return false;
  if (scope && !accessAtLeast(subject.access[scope.module], departments ? 'read' : scope.level)) return false;
  if (subject.storeIds !== null && CHAIN_WIDE_PERMISSIONS.includes(permission)) return false;
  if (scope && OWNER_LEAD_PERMISSIONS.includes(permission)) {
    const owners = MODULE_SETTINGS_OWNERS[scope.module] ?? [];
    if (subject.role !== 'lead' || !subject.departmentKind || !owners.includes(subject.departmentKind)) return false;
  }
  return true;
}

/** Who may do what, in words, for texts in the app (kept next to the rule so they stay true). */
export const SCOPE_TEXTS = {
  posSettings: 'Only administrators and chain-wide loss-prevention leads change the scoring; everyone with access to cashier monitoring reads it.',
  posStores: 'People attached to a store see that store’s cashiers and exceptions only.',
} as const;
