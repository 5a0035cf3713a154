export const ROLES = ['admin', 'lead', 'member', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  lead: 'Lead (department head)',
  member: 'Member',
  staff: 'Store staff',
  viewer: 'Viewer (read-only)',
};

export const DEPARTMENT_KINDS = ['lp', 'security', 'it', 'infosec', 'store_ops', 'custom'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, string> = {
  lp: 'Loss prevention',
  security: 'Security operations',
  it: 'IT',
  infosec: 'Information security',
  store_ops: 'Store operations',
  custom: 'Other',
};
