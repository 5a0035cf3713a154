import { SECURITY_TYPES, type DeviceType, type FindingRule, type Severity } from '../../../contracts/devices.js';

/** What the rules read of a device. */
export interface RuleDevice {
  id: string;
  type: string;
  vendor: string;
  model: string;
  vlan: number | null;
  firmware: string | null;
  defaultCredentialsChanged: string;
  retentionDays: number | null;
  lastSeenAt: Date | null;
  missingSince: Date | null;
  createdAt: Date;
}
export interface RuleModel {
  vendor: string;
  model: string;
  latestFirmware: string | null;
  endOfSupport: string | null;
  advisories: string[];
}
export interface RulePolicy {
  securityVlans: number[];
  posVlans: number[];
  minRetentionDays: number;
  notSeenDays: number;
}
export interface Fact {
  rule: FindingRule;
  severity: Severity;
  detail: string;
}

/** Days to fix a finding, by severity. */
export const DUE_DAYS: Record<Severity, number> = { critical: 7, high: 30, medium: 90, low: 180 };
/** Weight of an open finding in the posture score. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 5, medium: 2, low: 1 };

/**
 * Compares firmware strings by their numeric parts ("10.12.114" < "10.12.200", "V5.7.3 build 230512"
 * < "V5.8.0"). Returns a negative number when a is older.
 */
export function compareFirmware(a: string, b: string): number {
  const pa = a.match(/\d+/g)?.map(Number) ?? [];
  const pb = b.match(/\d+/g)?.map(Number) ?? [];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export const modelKey = (vendor: string, model: string) => `${vendor.trim().toLowerCase()}|${model.trim().toLowerCase()}`;

/** The facts that hold for one device today: each becomes (or keeps) a finding. */
export function deviceFacts(device: RuleDevice, model: RuleModel | undefined, policy: RulePolicy, now: Date): Fact[] {
  const facts: Fact[] = [];
  const today = now.toISOString().slice(0, 10);
  if (device.defaultCredentialsChanged === 'no') {
    facts.push({ rule: 'default_credentials', severity: 'critical', detail: 'The factory default credentials have not been changed.' });
  } else if (device.defaultCredentialsChanged === 'unknown' && device.type !== 'pos_register') {
    facts.push({ rule: 'default_credentials', severity: 'medium', detail: 'Nobody has confirmed that the factory default credentials were changed.' });
  }
  if (model?.latestFirmware && device.firmware && compareFirmware(device.firmware, model.latestFirmware) < 0) {
    const advisories = model.advisories.length ? ` Advisories: ${model.advisories.join(', ')}.` : '';
    facts.push({ rule: 'firmware_behind', severity: model.advisories.length ? 'high' : 'medium', detail: `Firmware ${device.firmware} is behind the catalogue's ${model.latestFirmware}.${advisories}` });
  }
  if (model?.endOfSupport && model.endOfSupport <= today) {
    facts.push({ rule: 'end_of_support', severity: 'high', detail: `${model.vendor} ${model.model} reached end of support on ${model.endOfSupport}: no more security fixes.` });
  }
  if (SECURITY_TYPES.includes(device.type as DeviceType) && device.vlan != null && !policy.securityVlans.includes(device.vlan)) {
    const onPos = policy.posVlans.includes(device.vlan);
    facts.push({
      rule: 'outside_security_vlan',
      severity: onPos ? 'high' : 'medium',
      detail: onPos ? `On the POS VLAN ${device.vlan} (card data network) instead of the security VLAN ${policy.securityVlans.join('/')}.` : `On VLAN ${device.vlan}, not the security VLAN ${policy.securityVlans.join('/')}.`,
    });
  }
  if (device.type === 'recorder' && device.retentionDays != null && device.retentionDays < policy.minRetentionDays) {
    facts.push({ rule: 'retention_below_policy', severity: 'high', detail: `Keeps ${device.retentionDays} days of video; policy requires ${policy.minRetentionDays}.` });
  }
  const seen = device.lastSeenAt ?? null;
  const staleSince = now.getTime() - policy.notSeenDays * 86400000;
  if (device.missingSince) {
    facts.push({ rule: 'not_seen', severity: 'medium', detail: `Missing from the network scan of ${device.missingSince.toISOString().slice(0, 10)}.` });
  } else if (seen && seen.getTime() < staleSince) {
    facts.push({ rule: 'not_seen', severity: 'medium', detail: `Last seen ${seen.toISOString().slice(0, 10)}, more than ${policy.notSeenDays} days ago.` });
  }
  return facts;
}

/** 100 with no open findings; open findings weigh by severity, relative to the number of devices. */
export function postureScore(devices: number, open: Record<Severity, number>): number {
  if (devices === 0) return 100;
  const penalty = (Object.keys(SEVERITY_WEIGHT) as Severity[]).reduce((s, k) => s + SEVERITY_WEIGHT[k] * open[k], 0);
  return Math.round(Math.max(0, 100 * (1 - penalty / (devices * 4))) * 10) / 10;
}
