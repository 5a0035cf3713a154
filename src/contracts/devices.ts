import { z } from 'zod';
import { patchOf } from './patch.js';
import { ACTIVITIES, CODECS, RECORDING_MODES, type PlanFigures } from './camera-planner.js';
import { listQueryBase, pageOf, queryBoolean } from './list.js';

const trimmed = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');

export const DEVICE_TYPES = ['camera', 'recorder', 'eas', 'alarm_panel', 'access_control', 'pos_register', 'switch'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];
export const DEVICE_TYPE_LABELS: Record<DeviceType, string> = {
  camera: 'Camera',
  recorder: 'Recorder / VMS',
  eas: 'EAS pedestal',
  alarm_panel: 'Alarm panel',
  access_control: 'Access control',
  pos_register: 'POS register',
  switch: 'Switch',
};
/** Device types that belong on the security VLAN. */
export const SECURITY_TYPES: readonly DeviceType[] = ['camera', 'recorder', 'eas', 'alarm_panel', 'access_control'];

export const CREDENTIAL_STATES = ['yes', 'no', 'unknown'] as const;
export type CredentialState = (typeof CREDENTIAL_STATES)[number];
export const CREDENTIAL_LABELS: Record<CredentialState, string> = { yes: 'Changed', no: 'Default', unknown: 'Unknown' };

export const STREAM_CODECS = ['h264', 'h265', 'mjpeg'] as const;

/** IPv4 dotted quad (what store networks and nmap scans use). */
export const ipv4 = z
  .string()
  .trim()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'must be an IPv4 address such as 10.1.40.21');
/** MAC address in any common notation; stored upper case with colons. */
export const macAddress = z
  .string()
  .trim()
  .regex(/^([0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$/, 'must be a MAC address such as 00:40:8C:12:34:56')
  .transform(normalizeMac);

export function normalizeMac(mac: string): string {
  const hex = mac.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.match(/.{2}/g)!.join(':');
}

export const deviceFields = {
  storeId: z.string().uuid('is not a store'),
  type: z.enum(DEVICE_TYPES),
  name: trimmed(80),
  vendor: z.string().trim().max(80).default(''),
  model: z.string().trim().max(80).default(''),
  serial: optionalText(80),
  ip: ipv4.nullable().optional().or(z.literal('').transform(() => null)),
  mac: macAddress.nullable().optional().or(z.literal('').transform(() => null)),
  hostname: optionalText(120),
  vlan: z.number().int().min(1, 'must be 1–4094').max(4094, 'must be 1–4094').nullable().optional(),
  firmware: optionalText(60),
  defaultCredentialsChanged: z.enum(CREDENTIAL_STATES).default('unknown'),
  poeClass: z.number().int().min(0).max(8, 'PoE classes run 0–8').nullable().optional(),
  poeBudgetW: z.number().int().min(0).max(10000).nullable().optional(),
  streamResolution: optionalText(30),
  streamCodec: z.enum(STREAM_CODECS).nullable().optional(),
  streamFps: z.number().int().min(1).max(120).nullable().optional(),
  retentionDays: z.number().int().min(0).max(3650).nullable().optional(),
  installDate: isoDate.nullable().optional(),
  location: z.string().trim().max(120).default(''),
  coveredRegisters: z.array(z.string().trim().min(1).max(20)).max(50).default([]),
  notes: z.string().trim().max(2000).default(''),
};
export const deviceInput = z.object(deviceFields);
export const devicePatch = z
  .object({ ...deviceFields, active: z.boolean() })
  .omit({ storeId: true })
  .partial()
  .extend({ vendor: z.string().trim().max(80).optional(), model: z.string().trim().max(80).optional(), location: z.string().trim().max(120).optional(), notes: z.string().trim().max(2000).optional(), coveredRegisters: z.array(z.string().trim().min(1).max(20)).max(50).optional(), defaultCredentialsChanged: z.enum(CREDENTIAL_STATES).optional() });

export const deviceSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  storeName: z.string(),
  type: z.enum(DEVICE_TYPES),
  name: z.string(),
  vendor: z.string(),
  model: z.string(),
  serial: z.string().nullable(),
  ip: z.string().nullable(),
  mac: z.string().nullable(),
  hostname: z.string().nullable(),
  vlan: z.number().nullable(),
  firmware: z.string().nullable(),
  defaultCredentialsChanged: z.enum(CREDENTIAL_STATES),
  poeClass: z.number().nullable(),
  poeBudgetW: z.number().nullable(),
  streamResolution: z.string().nullable(),
  streamCodec: z.enum(STREAM_CODECS).nullable(),
  streamFps: z.number().nullable(),
  retentionDays: z.number().nullable(),
  installDate: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  missingSince: z.string().nullable(),
  location: z.string(),
  coveredRegisters: z.array(z.string()),
  notes: z.string(),
  active: z.boolean(),
  openFindings: z.number(),
  worstSeverity: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Device = z.infer<typeof deviceSchema>;
export const devicePage = pageOf(deviceSchema);

export const DEVICE_SORTS = ['name', 'type', 'vendor', 'ip', 'lastSeenAt', 'store', 'firmware'] as const;
export const deviceListQuery = listQueryBase.extend({
  sort: z.enum(DEVICE_SORTS).default('name'),
  storeId: z.string().uuid().optional(),
  type: z.enum(DEVICE_TYPES).optional(),
  vendor: z.string().trim().max(80).optional(),
  credentials: z.enum(CREDENTIAL_STATES).optional(),
  vlan: z.coerce.number().int().optional(),
  withFindings: queryBoolean.optional(),
  includeInactive: queryBoolean.optional(),
});

// ------------------------------------------------------------------ findings

export const FINDING_RULES = ['default_credentials', 'firmware_behind', 'end_of_support', 'outside_security_vlan', 'retention_below_policy', 'not_seen'] as const;
export type FindingRule = (typeof FINDING_RULES)[number];
export const FINDING_RULE_LABELS: Record<FindingRule, string> = {
  default_credentials: 'Default credentials',
  firmware_behind: 'Firmware behind',
  end_of_support: 'End of support',
  outside_security_vlan: 'Outside the security VLAN',
  retention_below_policy: 'Retention below policy',
  not_seen: 'Not seen',
};
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_COLORS: Record<Severity, string> = { critical: 'red', high: 'orange', medium: 'yellow', low: 'gray' };
export const FINDING_STATES = ['open', 'risk_accepted', 'resolved'] as const;
export type FindingState = (typeof FINDING_STATES)[number];
export const FINDING_STATE_LABELS: Record<FindingState, string> = { open: 'Open', risk_accepted: 'Risk accepted', resolved: 'Resolved' };
export const findingRef = (n: number) => `FND-${n}`;

export const findingSchema = z.object({
  id: z.string(),
  ref: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  deviceType: z.enum(DEVICE_TYPES),
  storeId: z.string(),
  storeCode: z.string(),
  rule: z.enum(FINDING_RULES),
  severity: z.enum(SEVERITIES),
  detail: z.string(),
  state: z.enum(FINDING_STATES),
  ownerDepartmentId: z.string().nullable(),
  ownerDepartmentName: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  dueDate: z.string(),
  overdue: z.boolean(),
  firstDetectedAt: z.string(),
  openedAt: z.string(),
  ageDays: z.number(),
  resolvedAt: z.string().nullable(),
  resolvedByName: z.string().nullable(),
  resolution: z.string().nullable(),
  acceptedUntil: z.string().nullable(),
  acceptReason: z.string().nullable(),
  acceptedByName: z.string().nullable(),
  reopenCount: z.number(),
});
export type Finding = z.infer<typeof findingSchema>;
export const findingPage = pageOf(findingSchema);
export const FINDING_SORTS = ['severity', 'dueDate', 'openedAt', 'store', 'rule'] as const;
export const findingListQuery = listQueryBase.extend({
  sort: z.enum(FINDING_SORTS).default('severity'),
  storeId: z.string().uuid().optional(),
  deviceId: z.string().uuid().optional(),
  rule: z.enum(FINDING_RULES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  state: z.enum(FINDING_STATES).optional(),
});
export const findingResolveInput = z.object({ note: z.string().trim().min(1, 'say what was done').max(1000) });
export const findingAcceptInput = z.object({ until: isoDate, reason: z.string().trim().min(1, 'give the reason the risk is accepted').max(1000) });
export const findingPatch = z.object({ ownerId: z.string().uuid().nullable().optional(), dueDate: isoDate.optional() });

export const dashboardSchema = z.object({
  bySeverity: z.array(z.object({ severity: z.enum(SEVERITIES), open: z.number(), accepted: z.number() })),
  byRule: z.array(z.object({ rule: z.enum(FINDING_RULES), open: z.number() })),
  byAge: z.array(z.object({ bucket: z.string(), open: z.number() })),
  stores: z.array(
    z.object({
      storeId: z.string(),
      storeCode: z.string(),
      storeName: z.string(),
      devices: z.number(),
      score: z.number(),
      critical: z.number(),
      high: z.number(),
      medium: z.number(),
      low: z.number(),
    }),
  ),
  trend: z.array(z.object({ day: z.string(), score: z.number() })),
  storeTrends: z.array(z.object({ storeCode: z.string(), points: z.array(z.object({ day: z.string(), score: z.number() })) })),
  devices: z.number(),
  openFindings: z.number(),
  overdue: z.number(),
});
export type PostureDashboard = z.infer<typeof dashboardSchema>;

// ------------------------------------------------------------------ catalogue and policy

export const deviceModelInput = z.object({
  vendor: trimmed(80),
  model: trimmed(80),
  type: z.enum(DEVICE_TYPES),
  latestFirmware: optionalText(60),
  endOfSupport: isoDate.nullable().optional(),
  advisories: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
  notes: z.string().trim().max(2000).default(''),
});
export const deviceModelPatch = patchOf(deviceModelInput);
export const deviceModelSchema = z.object({
  id: z.string(),
  vendor: z.string(),
  model: z.string(),
  type: z.enum(DEVICE_TYPES),
  latestFirmware: z.string().nullable(),
  endOfSupport: z.string().nullable(),
  advisories: z.array(z.string()),
  notes: z.string(),
  devices: z.number(),
  updatedAt: z.string(),
});
export type DeviceModel = z.infer<typeof deviceModelSchema>;

export const policySchema = z.object({
  securityVlans: z.array(z.number().int()),
  posVlans: z.array(z.number().int()),
  minRetentionDays: z.number().int(),
  notSeenDays: z.number().int(),
  updatedAt: z.string(),
});
export type DevicePolicy = z.infer<typeof policySchema>;
export const policyPatch = z.object({
  securityVlans: z.array(z.number().int().min(1).max(4094)).min(1, 'name at least one security VLAN').optional(),
  posVlans: z.array(z.number().int().min(1).max(4094)).optional(),
  minRetentionDays: z.number().int().min(1).max(3650).optional(),
  notSeenDays: z.number().int().min(1).max(365).optional(),
});

export const importResult = z.object({ created: z.number(), updated: z.number(), lines: z.number() });

// ------------------------------------------------------------------ network scans

export const scanInput = z.object({ storeId: z.string().uuid('is not a store'), filename: z.string().max(200).default(''), xml: z.string().min(1, 'is empty').max(20_000_000) });
export const scanHostSchema = z.object({
  id: z.string(),
  ip: z.string().nullable(),
  mac: z.string().nullable(),
  vendor: z.string().nullable(),
  hostname: z.string().nullable(),
  firmware: z.string().nullable(),
  services: z.string(),
  state: z.enum(['new', 'confirmed', 'dismissed']),
  deviceId: z.string().nullable(),
});
export const scanChangeSchema = z.object({ deviceId: z.string(), deviceName: z.string(), field: z.string(), from: z.string().nullable(), to: z.string().nullable() });
export const scanSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  filename: z.string(),
  scannerArgs: z.string(),
  scannedAt: z.string(),
  hostsUp: z.number(),
  matched: z.number(),
  newHosts: z.number(),
  missing: z.number(),
  changes: z.array(scanChangeSchema),
  importedByName: z.string().nullable(),
  createdAt: z.string(),
  hosts: z.array(scanHostSchema),
});
export type DeviceScan = z.infer<typeof scanSchema>;
/** A scan in the list: its counts, without hosts and changes (those come with `GET /api/device-scans/:id`). */
export const scanSummarySchema = scanSchema.omit({ hosts: true, changes: true });
export type DeviceScanSummary = z.infer<typeof scanSummarySchema>;
export const scanListQuery = listQueryBase.extend({
  sort: z.enum(['createdAt', 'scannedAt']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  storeId: z.string().uuid().optional(),
});
export const scanPage = pageOf(scanSummarySchema);
export const confirmHostInput = z.object({ type: z.enum(DEVICE_TYPES), name: trimmed(80), vlan: z.number().int().min(1).max(4094).nullable().optional(), location: z.string().trim().max(120).default(''), model: z.string().trim().max(80).default('') });

// ------------------------------------------------------------------ camera plans

export const planLineSchema = z.object({
  label: z.string().trim().max(80).default(''),
  quantity: z.number().int().min(1, 'at least one camera').max(500),
  resolutionMp: z.number().min(0.3).max(33),
  codec: z.enum(CODECS),
  fps: z.number().int().min(1).max(60),
  activity: z.enum(ACTIVITIES),
  recording: z.enum(RECORDING_MODES),
  motionPercent: z.number().int().min(1).max(100).default(30),
  retentionDays: z.number().int().min(1).max(3650),
  poeClass: z.number().int().min(0).max(8),
});
export const planInput = z.object({
  storeId: z.string().uuid('is not a store'),
  name: trimmed(120),
  project: z.string().trim().max(120).default(''),
  offsitePercent: z.number().int().min(0).max(100).default(100),
  switchPoeBudgetW: z.number().int().min(0).max(100000).nullable().optional(),
  lines: z.array(planLineSchema).max(50),
});
export const planPatch = patchOf(planInput.omit({ storeId: true }));
const n = z.number();
const figuresSchema: z.ZodType<PlanFigures> = z.object({
  lines: z.array(z.object({ mbpsPerCamera: n, mbps: n, storageTb: n, poeWatts: n })),
  cameras: n,
  totalMbps: n,
  storageTb: n,
  poeWatts: n,
  existingPoeWatts: n,
  poeBudgetW: n.nullable(),
  poeHeadroomW: n.nullable(),
  uplinkNeededMbps: n,
  uplinkMbps: n,
  uplinkHeadroomMbps: n,
  overPoe: z.boolean(),
  overUplink: z.boolean(),
});
export const planSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  storeName: z.string(),
  name: z.string(),
  project: z.string(),
  offsitePercent: z.number(),
  switchPoeBudgetW: z.number().nullable(),
  inventoryPoeBudgetW: z.number().nullable(),
  lines: z.array(planLineSchema),
  figures: figuresSchema,
  createdByName: z.string().nullable(),
  updatedAt: z.string(),
});
export type CameraPlan = z.infer<typeof planSchema>;
export const planListQuery = z.object({ storeId: z.string().uuid().optional() });
export const storeNetworkSchema = z.object({ storeId: z.string(), uplinkMbps: z.number(), inventoryPoeBudgetW: z.number().nullable(), existingPoeWatts: z.number() });
