import { Badge, Tooltip } from '@mantine/core';
import {
  CREDENTIAL_LABELS,
  DEVICE_TYPE_LABELS,
  FINDING_STATE_LABELS,
  SEVERITY_COLORS,
  type CredentialState,
  type DeviceType,
  type FindingState,
  type Severity,
} from '../../../contracts/devices';
import { formatDecimal } from '../../ui/format';

export const deviceTypeOptions = (Object.keys(DEVICE_TYPE_LABELS) as DeviceType[]).map((t) => ({ value: t, label: DEVICE_TYPE_LABELS[t] }));

export function SeverityBadge({ severity }: { severity: Severity | string | null }) {
  if (!severity) return null;
  return (
    <Badge color={SEVERITY_COLORS[severity as Severity] ?? 'gray'} variant={severity === 'critical' ? 'filled' : 'light'} tt="capitalize">
      {severity}
    </Badge>
  );
}

const STATE_COLORS: Record<FindingState, string> = { open: 'red', risk_accepted: 'grape', resolved: 'teal' };
export function FindingStateBadge({ state }: { state: FindingState }) {
  return (
    <Badge color={STATE_COLORS[state]} variant="light">
      {FINDING_STATE_LABELS[state]}
    </Badge>
  );
}

const CRED_COLORS: Record<CredentialState, string> = { yes: 'teal', no: 'red', unknown: 'yellow' };
export function CredentialBadge({ value }: { value: CredentialState }) {
  return (
    <Tooltip label="Factory default credentials changed?">
      <Badge color={CRED_COLORS[value]} variant="light">
        {CREDENTIAL_LABELS[value]}
      </Badge>
    </Tooltip>
  );
}

/** Headroom shown green, or red when a plan goes over the store's capacity. */
export function OverBadge({ over, children }: { over: boolean; children: React.ReactNode }) {
  return (
    <Badge color={over ? 'red' : 'teal'} variant={over ? 'filled' : 'light'}>
      {children}
    </Badge>
  );
}

export const mbps = (n: number) => `${formatDecimal(n, 1)} Mbps`;
