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
  // Security technology on the network (M3). Role-based until department/store scope lands in the
  // platform; the intended rule: devices:manage and devices:catalogue for IT, InfoSec and Security
  // Operations; devices:findings for IT and InfoSec; devices:accept-risk for their leads;
  // devices:plan for LP leads and IT. Store people see only their store (devicesScopeSql).
  'devices:read': ['admin', 'lead', 'member', 'viewer'],
  'devices:manage': ['admin', 'lead', 'member'],
  'devices:catalogue': ['admin', 'lead', 'member'],
  'devices:findings': ['admin', 'lead', 'member'],
  'devices:accept-risk': ['admin', 'lead'],
  'devices:policy': ['admin', 'lead'],
  'devices:plan': ['admin', 'lead', 'member'],
  // Scope: which department may read or work in which module.
  'scope:manage': ['admin'],
  // Newsletter (M9): everyone reads the archive; leads of the security and IT departments (module
  // owners below) and admins draft, edit and send; admins change its settings (public archive, rate).
  'newsletter:read': ['admin', 'lead', 'member', 'staff', 'viewer'],
  'newsletter:edit': ['admin', 'lead'],
  'newsletter:settings': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Actions a read-only API token may still perform. */
export const READ_PERMISSIONS: readonly Permission[] = ['workspace:read', 'people:read', 'audit:read', 'outbox:read', 'requests:read', 'ideas:read', 'pos:read', 'training:read', 'devices:read'];

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
  newsletter: ['lp', 'security', 'it', 'infosec'],
};
/** Who may change a module's chain-wide settings (besides admins): leads of these department kinds. */
export const MODULE_SETTINGS_OWNERS: Partial<Record<ModuleKey, readonly DepartmentKind[]>> = { pos: ['lp'], cases: ['lp'] };

/** The least access every department keeps: everyone reads ideas (M8 is open to all). */
export const MODULE_MINIMUM: Partial<Record<ModuleKey, ModuleAccess>> = { ideas: 'read', newsletter: 'read' };

const LEVEL: Record<ModuleAccess, number> = { none: 0, read: 1, work: 2 };
export const accessAtLeast = (have: ModuleAccess, need: ModuleAccess) => LEVEL[have] >= LEVEL[need];

/** A department's access to a module when no admin has set it. `null` kind: a person without a department. */
export function defaultModuleAccess(kind: DepartmentKind | null, module: ModuleKey): ModuleAccess {
  const owners = MODULE_OWNERS[module];
  if (owners) return kind && owners.includes(kind) ? 'work' : 'none';
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

/**
 * Permissions that act on the whole chain, so a person attached to stores cannot hold them
 * (their view is limited to their stores): scoring settings and POS files that mix every store.
 */
export const CHAIN_WIDE_PERMISSIONS: readonly Permission[] = ['pos:settings', 'pos:import'];
/** Permissions held only by leads of the module's settings owners (and admins). */
export const OWNER_LEAD_PERMISSIONS: readonly Permission[] = ['pos:settings'];

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
  if (scope && !accessAtLeast(subject.access[scope.module], scope.level)) return false;
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
