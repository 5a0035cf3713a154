import type { Role } from './roles.js';

/**
 * What each role may do. One table, read by the server's policy module on every route
 * and by the web app to hide what a person cannot use.
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
  // Cashier monitoring (M2): store staff (the cashiers themselves) never see it.
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
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Actions a read-only API token may still perform. */
export const READ_PERMISSIONS: readonly Permission[] = ['workspace:read', 'people:read', 'audit:read', 'outbox:read', 'requests:read', 'ideas:read', 'pos:read', 'training:read', 'devices:read'];

export function roleCan(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
