import { Badge, Button, Group, List, Stack, Table, Text, Tooltip, type ButtonProps } from '@mantine/core';
import { IconVideo, IconVideoOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { createLink, type LinkComponent } from '@tanstack/react-router';
import { forwardRef, type AnchorHTMLAttributes, type ReactNode } from 'react';
import {
  METRIC_LABELS,
  POS_FLAG_LABELS,
  type Band,
  type Explanation,
  type ExceptionStatus,
  type Metric,
  type PosFlag,
  type PosTransaction,
  type PosType,
} from '../../../contracts/pos';

export const STATUS_LABELS: Record<ExceptionStatus, string> = {
  new: 'New',
  reviewing: 'Reviewing',
  dismissed: 'Dismissed',
  watch: 'Watch',
  confirmed: 'Confirmed',
};
export const STATUS_COLORS: Record<ExceptionStatus, string> = {
  new: 'blue',
  reviewing: 'yellow',
  dismissed: 'gray',
  watch: 'orange',
  confirmed: 'red',
};
export const BAND_LABELS: Record<Band, string> = { low: 'Low', watch: 'Watch', high: 'High' };
export const BAND_COLORS: Record<Band, string> = { low: 'teal', watch: 'yellow', high: 'red' };
export const TYPE_LABELS: Record<PosType, string> = {
  sale: 'Sale',
  return: 'Return / refund',
  void: 'Void',
  post_void: 'Post-void',
  no_sale: 'No-sale (drawer open)',
  paid_in: 'Paid in',
  paid_out: 'Paid out',
  training: 'Training',
};
export const TENDER_LABELS: Record<string, string> = { cash: 'Cash', card: 'Card', gift: 'Gift card', store_credit: 'Store credit', mixed: 'Mixed', none: 'None' };

/** Rules an exception can carry: the six transaction flags and the cashier-period score. */
export const RULE_LABELS: Record<string, string> = { high_risk_score: 'High risk score (cashier and period)', accumulated_risk: 'High risk over 4 weeks (accumulated)', ...POS_FLAG_LABELS };
export const ruleLabel = (rule: string) => RULE_LABELS[rule] ?? rule.replace(/_/g, ' ');
export const RULE_OPTIONS = Object.entries(RULE_LABELS).map(([value, label]) => ({ value, label }));

export const formatMoney = (cents: number | null | undefined) =>
  cents == null ? '—' : new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
export const formatMoneyShort = (cents: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 }).format(cents / 100);

/** A metric's value for people: a percentage for rates, dollars for average item value. */
export function formatMetric(metric: string, value: number | undefined) {
  if (value == null || Number.isNaN(value)) return '—';
  if (metric === 'low_avg_item_value') return formatMoney(value);
  return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
}
export const metricLabel = (m: string) => METRIC_LABELS[m as Metric] ?? m.replace(/_/g, ' ');

export function ExceptionStatusBadge({ status, size = 'sm' }: { status: ExceptionStatus; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Badge variant="light" color={STATUS_COLORS[status]} size={size} data-testid="exception-status">
      {STATUS_LABELS[status]}
    </Badge>
  );
}

export function BandBadge({ band, score }: { band: Band; score?: number | null }) {
  return (
    <Badge variant={band === 'high' ? 'filled' : 'light'} color={BAND_COLORS[band]} size="sm">
      {score != null ? `${Math.round(score)} · ` : ''}
      {BAND_LABELS[band]}
    </Badge>
  );
}

/** Score to band with the configured thresholds (exceptions carry a score, not a band). */
export function bandOf(score: number, watch = 40, high = 70): Band {
  return score >= high ? 'high' : score >= watch ? 'watch' : 'low';
}

/** Invalidates everything that shows cashier-monitoring data after a change. */
export function useInvalidatePos() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].startsWith('/api/pos') });
}

/** "Watch video": the store's playback link at the transaction's second, in a new tab. */
export function VideoButton({ url, size = 'sm' }: { url: string | null; size?: 'xs' | 'sm' | 'md' }) {
  if (!url) {
    return (
      <Tooltip label="This register has no camera mapped, or the store has no playback URL template (POS settings)" multiline w={260}>
        <Button size={size} variant="default" leftSection={<IconVideoOff size={16} />} data-disabled aria-disabled onClick={(e) => e.preventDefault()}>
          No video link
        </Button>
      </Tooltip>
    );
  }
  return (
    <Button component="a" href={url} target="_blank" rel="noopener noreferrer" size={size} leftSection={<IconVideo size={16} />} data-testid="watch-video">
      Watch video
    </Button>
  );
}

/** A metric's evidence (log10 of its likelihood ratio) in words: "×25 likelier". */
export function likelier(points: number) {
  const factor = 10 ** points;
  return factor >= 1000 ? '×1000+ likelier' : `×${factor >= 10 ? Math.round(factor) : factor.toFixed(1)} likelier`;
}

/** The score explanation in words: each metric that raises the score, largest first. */
export function ExplanationList({ explanation, empty = 'In line with the store: no metric stands out.' }: { explanation: Explanation[]; empty?: string }) {
  if (explanation.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <List size="sm" spacing={6} data-testid="score-explanation">
      {explanation.map((e) => (
        <List.Item key={e.metric}>
          <Text span size="sm" fw={600} title="How many times likelier this is for a dishonest cashier than for an honest one">
            {likelier(e.points)}
          </Text>{' '}
          <Text span size="sm">
            {capitalise(e.text)}
          </Text>
          <Text span size="xs" c="dimmed">
            {' '}
            (chain {formatMetric(e.metric, e.chainValue)})
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

export const capitalise = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w="45%" fw={500} c="dimmed" style={{ fontSize: 'var(--mantine-font-size-sm)' }}>
        {label}
      </Table.Th>
      <Table.Td style={{ wordBreak: 'break-word' }}>{children}</Table.Td>
    </Table.Tr>
  );
}

interface Details {
  lines?: { kind?: string; item?: string; description?: string; quantity?: number; amountCents?: number; voided?: boolean }[];
  tenders?: { type?: string; amountCents?: number; entry?: string | null }[];
}

/** A transaction laid out like a receipt: header, lines (when the POS sent them), totals and the facts that matter to LP. */
export function Receipt({ txn }: { txn: PosTransaction }) {
  const details = (txn.details && typeof txn.details === 'object' ? txn.details : null) as Details | null;
  const lines = details?.lines ?? [];
  const tenders = details?.tenders ?? [];
  return (
    <Stack gap="sm" data-testid="receipt">
      <Stack gap={0} ff="monospace" style={{ borderBottom: '1px dashed var(--mantine-color-default-border)', paddingBottom: 8 }}>
        <Text size="sm" fw={700} ff="monospace">
          {txn.storeCode} · register {txn.register} · #{txn.transactionNumber}
        </Text>
        <Text size="sm" ff="monospace">
          {txn.localStart} ({txn.storeTimezone ? `store time, ${txn.storeTimezone}` : 'store time'})
        </Text>
        <Text size="sm" ff="monospace">
          Cashier {txn.cashierName ? `${txn.cashierName} (${txn.cashierCode})` : txn.cashierCode}
        </Text>
      </Stack>
      {lines.length > 0 && (
        <Table fz="sm" ff="monospace" verticalSpacing={2} withRowBorders={false}>
          <Table.Tbody>
            {lines.map((l, i) => (
              <Table.Tr key={i} style={l.voided ? { textDecoration: 'line-through', color: 'var(--mantine-color-red-text)' } : undefined}>
                <Table.Td>
                  {l.quantity ?? 1} × {l.description || l.item || 'Item'}
                  {l.kind === 'return' ? ' (return)' : ''}
                  {l.voided ? ' (voided)' : ''}
                </Table.Td>
                <Table.Td ta="right">{formatMoney(l.amountCents ?? 0)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Table fz="sm" verticalSpacing={4}>
        <Table.Tbody>
          <Row label="Type">
            <Text fw={600} size="sm">
              {TYPE_LABELS[txn.type]}
            </Text>
          </Row>
          <Row label="Total">
            <Text fw={700} size="sm" data-testid="receipt-total">
              {formatMoney(txn.totalCents)}
            </Text>
          </Row>
          <Row label="Items">{txn.itemCount}</Row>
          <Row label="Tender">
            {TENDER_LABELS[txn.tender] ?? txn.tender}
            {txn.cardEntry ? ` · ${txn.cardEntry === 'keyed' ? 'keyed by hand' : txn.cardEntry}` : ''}
            {txn.cardToken ? ` · card ${txn.cardToken}` : ''}
          </Row>
          {tenders.length > 0 && (
            <Row label="Tenders">
              {tenders.map((t, i) => (
                <div key={i}>
                  {TENDER_LABELS[t.type ?? ''] ?? t.type} {formatMoney(t.amountCents ?? 0)}
                  {t.entry ? ` (${t.entry})` : ''}
                </div>
              ))}
            </Row>
          )}
          {txn.lineVoidCount > 0 && <Row label="Line voids">{`${txn.lineVoidCount} · ${formatMoney(txn.lineVoidCents)}`}</Row>}
          {txn.overrideCount > 0 && <Row label="Price overrides">{`${txn.overrideCount} · ${formatMoney(txn.overrideCents)}`}</Row>}
          {txn.discountCents > 0 && <Row label="Discount">{`${formatMoney(txn.discountCents)}${txn.employeeDiscount ? ' (employee discount)' : ''}`}</Row>}
          {txn.employeeDiscount && txn.discountCents === 0 && <Row label="Employee discount">Yes</Row>}
          {txn.manualEntryCount > 0 && <Row label="Items keyed by hand">{txn.manualEntryCount}</Row>}
          {txn.voidedAfterTotal && <Row label="Voided after total">Yes</Row>}
          {txn.giftCardIssuedCents > 0 && <Row label="Gift card issued">{formatMoney(txn.giftCardIssuedCents)}</Row>}
          <Row label="Original receipt">{txn.originalTransaction ?? (txn.type === 'return' ? <Text c="red" size="sm" fw={600}>None (no receipt)</Text> : '—')}</Row>
          {txn.managerOverride && <Row label="Manager override">{txn.managerOverride}</Row>}
          <Row label="Business day">{txn.businessDay}</Row>
          <Row label="Started (UTC)">{txn.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')}</Row>
          {txn.endedAt && <Row label="Ended (UTC)">{txn.endedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')}</Row>}
        </Table.Tbody>
      </Table>
      {txn.flags.length > 0 && (
        <Group gap={6}>
          {txn.flags.map((f) => (
            <Badge key={f} color="red" variant="light" size="sm" style={{ textTransform: 'none' }}>
              {POS_FLAG_LABELS[f as PosFlag]}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

type ButtonAnchorProps = ButtonProps & AnchorHTMLAttributes<HTMLAnchorElement>;
const ButtonAnchor = forwardRef<HTMLAnchorElement, ButtonAnchorProps>((props, ref) => <Button component="a" ref={ref} {...props} />);
ButtonAnchor.displayName = 'ButtonAnchor';
const CreatedButtonLink = createLink(ButtonAnchor);

/** A Mantine Button that is a type-safe router link (path params and search included). */
export const ButtonLink: LinkComponent<typeof ButtonAnchor> = (props) => <CreatedButtonLink preload={false} {...props} />;
