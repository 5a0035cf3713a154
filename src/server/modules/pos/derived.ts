import { POS_FLAGS } from '../../../contracts/pos.js';

/**
 * What the import derives from the rows of store-days that held no data before (the "direct" rows),
 * summed by the scanner while it reads them (in the scan worker for large files), so that the
 * import writes the aggregates with a COPY instead of reading its own rows back in SQL.
 *
 * The sums are those of the SQL in importer.ts (`refreshStoreDays`, kept for store-days that already
 * held data) and signals.ts, column for column; test/pos-derived.test.ts imports the same files both
 * ways and compares every derived table. Two parts need the database and are settled after the COPY:
 * - refunds soon after a matching sale (flag 32), found in SQL per store-day: the update returns the
 *   returns it flagged, and `settleMatches` counts them in;
 * - the original sale of a card refund that names one (it may be in an earlier file): looked up by key,
 *   and `settleOriginals` counts the refunds to another card or against a cash sale.
 *
 * Keys join their parts with a NUL, which no text value can hold (PostgreSQL refuses it).
 */

/** pos_cashier_days counters, in column order (the last is flagged_count). */
export const CASHIER_DAY_COLUMNS = [
  'txn_count', 'sale_count', 'sales_cents', 'sale_items', 'item_count', 'refund_count', 'refund_cents', 'refund_no_receipt_count',
  'refund_cash_count', 'refund_after_sale_count', 'post_void_count', 'post_void_cents', 'void_after_total_count', 'line_void_count',
  'line_void_cents', 'no_sale_count', 'override_count', 'override_cents', 'card_count', 'manual_card_count', 'employee_discount_count',
  'employee_discount_cents', 'gift_issue_count', 'gift_redeem_count', 'manager_override_count', 'flagged_count',
] as const;
const C = Object.fromEntries(CASHIER_DAY_COLUMNS.map((c, i) => [c, i])) as Record<(typeof CASHIER_DAY_COLUMNS)[number], number>;

/** pos_cashier_day_signals counters, in column order. */
export const SIGNAL_COLUMNS = [
  'refund_card_count', 'refund_other_card_count', 'refund_cash_sale_to_card_count', 'gift_void_count', 'timed_sale_count',
  'timed_sale_seconds', 'timed_sale_items', 'timed_sale_cents', 'manual_item_count', 'discount_count', 'night_count',
] as const;
const S = Object.fromEntries(SIGNAL_COLUMNS.map((c, i) => [c, i])) as Record<(typeof SIGNAL_COLUMNS)[number], number>;

export const REGISTER_DAY_COLUMNS = ['txn_count', 'refund_count', 'card_count', 'keyed_count'] as const;
export const CARD_DAY_COLUMNS = ['refund_count', 'refund_cents', 'discount_count'] as const;

/** One transaction as the scanner read it (only what the sums need). */
export interface DerivedRow {
  store: number;
  day: number;
  cashier: string;
  register: string;
  txn: string;
  type: string;
  tender: string;
  cardEntry: string | undefined;
  cardToken: string | null;
  originalRef: string | null;
  total: number;
  items: number;
  lineVoids: number;
  lineVoidCents: number;
  overrides: number;
  overrideCents: number;
  discountCents: number;
  employee: boolean;
  manual: number;
  afterTotal: boolean;
  giftCents: number;
  managerOverride: boolean;
  flags: number;
  /** Local hour of the start in the store's zone. */
  hour: number;
  /** Seconds from start to end (null: no end). */
  seconds: number | null;
}

/** The sums, as plain maps and arrays (they cross from the scan worker by structured clone). */
export interface DerivedData {
  /** store NUL day NUL cashier → CASHIER_DAY_COLUMNS */
  cashierDays: Map<string, number[]>;
  /** store NUL day NUL cashier → SIGNAL_COLUMNS */
  signals: Map<string, number[]>;
  /** store NUL day NUL cashier NUL register → REGISTER_DAY_COLUMNS */
  registerDays: Map<string, number[]>;
  /** store NUL day NUL cashier NUL card token → CARD_DAY_COLUMNS */
  cardDays: Map<string, number[]>;
  /** store NUL day NUL register NUL transaction of every flagged transaction. */
  flagged: string[];
  /** Card refunds naming an original sale: [cashier-day key, card token or null, original reference]. */
  cardRefundsWithOriginal: Array<[string, string | null, string]>;
}

export const emptyDerived = (): DerivedData => ({ cashierDays: new Map(), signals: new Map(), registerDays: new Map(), cardDays: new Map(), flagged: [], cardRefundsWithOriginal: [] });

const counters = (map: Map<string, number[]>, key: string, n: number) => {
  let v = map.get(key);
  if (!v) map.set(key, (v = new Array<number>(n).fill(0)));
  return v;
};

/** Adds one direct row to the sums (the scanner calls it for every row it writes to the direct COPY). */
export function addDerived(d: DerivedData, r: DerivedRow) {
  const { type, total } = r;
  const abs = total < 0 ? -total : total;
  const sale = type === 'sale';
  const ret = type === 'return';
  if (r.cardToken !== null && (ret || (sale && r.discountCents > 0 && !r.employee))) {
    const v = counters(d.cardDays, `${r.store}\0${r.day}\0${r.cashier}\0${r.cardToken}`, 3);
    if (ret) {
      v[0]++;
      v[1] -= total;
    } else v[2]++;
  }
  if (r.flags !== 0 && type !== 'training') d.flagged.push(`${r.store}\0${r.day}\0${r.register}\0${r.txn}`);
  if (type === 'training') return;

  const key = `${r.store}\0${r.day}\0${r.cashier}`;
  const c = counters(d.cashierDays, key, CASHIER_DAY_COLUMNS.length);
  c[C.txn_count]++;
  if (sale) {
    c[C.sale_count]++;
    c[C.sales_cents] += total;
    c[C.sale_items] += r.items;
    c[C.item_count] += r.items;
    if (r.cardEntry !== undefined) c[C.card_count]++;
    if (r.cardEntry === 'keyed') c[C.manual_card_count]++;
    if (r.employee) c[C.employee_discount_count]++;
    if (r.tender === 'gift') c[C.gift_redeem_count]++;
  } else if (ret) {
    c[C.item_count] += r.items;
    c[C.refund_count]++;
    c[C.refund_cents] -= total;
    if (r.originalRef === null) c[C.refund_no_receipt_count]++;
    if (r.tender === 'cash') c[C.refund_cash_count]++;
    if (r.flags & POS_FLAGS.refund_after_sale) c[C.refund_after_sale_count]++;
  } else if (type === 'post_void') {
    c[C.post_void_count]++;
    c[C.post_void_cents] += abs;
  } else if (type === 'void') {
    if (r.afterTotal) c[C.void_after_total_count]++;
  } else if (type === 'no_sale') c[C.no_sale_count]++;
  c[C.line_void_count] += r.lineVoids;
  c[C.line_void_cents] += r.lineVoidCents;
  c[C.override_count] += r.overrides;
  c[C.override_cents] += r.overrideCents < 0 ? -r.overrideCents : r.overrideCents;
  if (r.employee) c[C.employee_discount_cents] += r.discountCents;
  if (r.giftCents > 0) c[C.gift_issue_count]++;
  if (r.managerOverride) c[C.manager_override_count]++;
  if (r.flags !== 0) c[C.flagged_count]++;

  const s = counters(d.signals, key, SIGNAL_COLUMNS.length);
  if (ret && r.tender === 'card') {
    s[S.refund_card_count]++;
    if (r.originalRef !== null) d.cardRefundsWithOriginal.push([key, r.cardToken, r.originalRef]);
  }
  if ((type === 'void' || type === 'post_void') && r.giftCents > 0) s[S.gift_void_count]++;
  if (sale) {
    if (r.seconds !== null && r.seconds > 0 && r.seconds < 3600) {
      s[S.timed_sale_count]++;
      s[S.timed_sale_seconds] += r.seconds;
      s[S.timed_sale_items] += r.items;
      s[S.timed_sale_cents] += total;
    }
    s[S.manual_item_count] += r.manual;
    if (r.discountCents > 0 && !r.employee) s[S.discount_count]++;
  }
  if (r.hour >= 21 || r.hour < 5) s[S.night_count]++;

  const g = counters(d.registerDays, `${key}\0${r.register}`, 4);
  g[0]++;
  if (ret) g[1]++;
  else if (sale) {
    if (r.cardEntry !== undefined) g[2]++;
    if (r.cardEntry === 'keyed') g[3]++;
  }
}

/** Counts in the returns that the refund matching flagged (flag 32): `before` is each one's flags before it. */
export function settleMatches(d: DerivedData, matched: Array<{ key: string; before: number; register: string; txn: string }>) {
  for (const m of matched) {
    const c = d.cashierDays.get(m.key);
    if (!c) continue;
    c[C.refund_after_sale_count]++;
    if (m.before === 0) {
      c[C.flagged_count]++;
      const [s, dd] = m.key.split('\0');
      d.flagged.push(`${s}\0${dd}\0${m.register}\0${m.txn}`);
    }
  }
}

/** Counts in what the original sales of card refunds showed: index → { otherCard, cashSale }. */
export function settleOriginals(d: DerivedData, found: Array<{ i: number; otherCard: boolean; cashSale: boolean }>) {
  for (const f of found) {
    const s = d.signals.get(d.cardRefundsWithOriginal[f.i][0]);
    if (!s) continue;
    if (f.otherCard) s[S.refund_other_card_count]++;
    if (f.cashSale) s[S.refund_cash_sale_to_card_count]++;
  }
}

/** COPY text escaping of one text value. */
const copyText = (v: string) => (/[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v);

/**
 * COPY text of one table's rows, in pieces of about `pieceBytes` (PGlite runs a COPY on the event
 * loop's thread: a piece is a short statement). `head` turns a key into its leading columns.
 */
export function* copyPieces(map: Map<string, number[]>, head: (parts: string[]) => string[], pieceBytes: number): Generator<{ data: Buffer; rows: number }> {
  let lines: string[] = [];
  let bytes = 0;
  for (const [key, values] of map) {
    const line = `${head(key.split('\0')).map(copyText).join('\t')}\t${values.join('\t')}\n`;
    lines.push(line);
    bytes += line.length;
    if (bytes >= pieceBytes) {
      yield { data: Buffer.from(lines.join('')), rows: lines.length };
      lines = [];
      bytes = 0;
    }
  }
  if (lines.length) yield { data: Buffer.from(lines.join('')), rows: lines.length };
}

/** Store-day sums (pos_store_days) from the cashier-day counters: cashier count, every counter summed, and the exceptions (= flagged). */
export function storeDaySums(d: DerivedData): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [key, c] of d.cashierDays) {
    const sd = key.slice(0, key.indexOf('\0', key.indexOf('\0') + 1));
    const v = counters(out, sd, CASHIER_DAY_COLUMNS.length + 2);
    v[0]++;
    for (let i = 0; i < c.length; i++) v[i + 1] += c[i];
    v[c.length + 1] += c[C.flagged_count];
  }
  return out;
}

/** A piece of the sums, as the scan worker hands them over one request at a time. */
export type DerivedPart =
  | { map: 'cashierDays' | 'signals' | 'registerDays' | 'cardDays'; entries: Array<[string, number[]]> }
  | { flagged: string[] }
  | { refunds: DerivedData['cardRefundsWithOriginal'] };

/**
 * The sums in pieces of at most `size` entries: one structured clone of them all (10M rows: about
 * 400,000 small objects) held the receiving thread for 250 ms.
 */
export function* derivedParts(d: DerivedData, size: number): Generator<DerivedPart> {
  for (const map of ['cashierDays', 'signals', 'registerDays', 'cardDays'] as const) {
    let entries: Array<[string, number[]]> = [];
    for (const entry of d[map]) {
      entries.push(entry);
      if (entries.length === size) {
        yield { map, entries };
        entries = [];
      }
    }
    if (entries.length) yield { map, entries };
  }
  for (let i = 0; i < d.flagged.length; i += size) yield { flagged: d.flagged.slice(i, i + size) };
  for (let i = 0; i < d.cardRefundsWithOriginal.length; i += size) yield { refunds: d.cardRefundsWithOriginal.slice(i, i + size) };
}

/** Adds a piece from `derivedParts` to `d`. */
export function addDerivedPart(d: DerivedData, part: DerivedPart) {
  if ('map' in part) for (const [key, values] of part.entries) d[part.map].set(key, values);
  else if ('flagged' in part) d.flagged.push(...part.flagged);
  else d.cardRefundsWithOriginal.push(...part.refunds);
}
