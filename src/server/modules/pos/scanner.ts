import { addDerived, emptyDerived, type DerivedData } from './derived.js';
import type { Problem } from '../../../contracts/errors.js';
import { POS_FLAGS } from '../../../contracts/pos.js';
import { JSON_MAX_DEPTH, jsonDepthExceeds } from '../../platform/input.js';

/**
 * The hot path of the POS import: validates rows of the Tandem format (fields given as byte
 * ranges of a buffer) and writes them straight into PostgreSQL COPY text, without building a
 * string per field. CSV lines are scanned byte by byte; NDJSON and POSLog records come through
 * `addValues`, which lays their values into a scratch buffer and takes the same path.
 */

export const FIELDS = [
  'store',
  'register',
  'cashier_id',
  'cashier_name',
  'transaction',
  'business_day',
  'start',
  'end',
  'type',
  'total',
  'items',
  'line_voids',
  'line_void_amount',
  'price_overrides',
  'price_override_amount',
  'discount_amount',
  'employee_discount',
  'manual_entries',
  'tender',
  'card_entry',
  'card_token',
  'original_transaction',
  'manager_override',
  'voided_after_total',
  'gift_card_issued',
  'details',
] as const;
export type Field = (typeof FIELDS)[number];
export const REQUIRED_FIELDS: readonly Field[] = ['store', 'register', 'cashier_id', 'transaction', 'business_day', 'start', 'type', 'total'];
const F = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;
const NF = FIELDS.length;

/** Columns of pos_transactions written by COPY, in order. */
export const COPY_COLUMNS = [
  'import_id', 'store_id', 'register', 'cashier_code', 'business_day', 'txn_number', 'started_at', 'ended_at', 'type', 'total_cents',
  'item_count', 'line_void_count', 'line_void_cents', 'override_count', 'override_cents', 'discount_cents', 'employee_discount',
  'manual_entry_count', 'tender', 'card_entry', 'card_token', 'original_ref', 'manager_override', 'voided_after_total',
  'gift_issued_cents', 'flags', 'details',
] as const;

export interface ScanStore {
  id: string;
  code: string;
  timezone: string;
}

export interface ScanSettings {
  largeAmountCents: number;
  storeOpenHour: number;
  storeCloseHour: number;
}

const TYPES = new Set(['sale', 'return', 'void', 'post_void', 'no_sale', 'paid_in', 'paid_out', 'training']);
const TENDERS = new Set(['cash', 'card', 'gift', 'store_credit', 'mixed', 'none']);
const CARD_ENTRIES = new Set(['chip', 'tap', 'swipe', 'keyed']);
const MAX_LISTED = 100;
/** Enum words by length, as bytes, for matching without a string per field. */
const WORDS = new Map<number, Array<[Buffer, string]>>();
for (const w of [...TYPES, ...TENDERS, ...CARD_ENTRIES]) {
  const list = WORDS.get(w.length) ?? [];
  list.push([Buffer.from(w), w]);
  WORDS.set(w.length, list);
}

/** UTC offsets of one IANA zone, per local day and hour ("+HH:MM\t" bytes for COPY). */
export class ZoneOffsets {
  private static readonly zones = new Map<string, ZoneOffsets>();
  /** One per zone for the process: offsets never change for a past local hour. */
  static of(timezone: string) {
    let z = ZoneOffsets.zones.get(timezone);
    if (!z) ZoneOffsets.zones.set(timezone, (z = new ZoneOffsets(timezone)));
    return z;
  }
  private readonly cache = new Map<number, Buffer>();
  private readonly format: Intl.DateTimeFormat;
  constructor(timezone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  }
  /** Offset (minutes east of UTC) in effect at a UTC instant. */
  private offsetAt(utc: number) {
    const p: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(utc))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(utc / 1000) * 1000) / 60000);
  }
  suffix(y: number, mo: number, d: number, h: number): Buffer {
    const key = ((y * 13 + mo) * 32 + d) * 24 + h;
    let bytes = this.cache.get(key);
    if (!bytes) {
      const offset = this.minutes(y, mo, d, h);
      const a = Math.abs(offset);
      bytes = Buffer.from(`${offset < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}\t`);
      this.cache.set(key, bytes);
    }
    return bytes;
  }
  private readonly minuteCache = new Map<number, number>();
  /** The UTC offset (minutes east) written for a local hour: the one `suffix` writes. */
  minutes(y: number, mo: number, d: number, h: number): number {
    const key = ((y * 13 + mo) * 32 + d) * 24 + h;
    let offset = this.minuteCache.get(key);
    if (offset === undefined) {
      const local = Date.UTC(y, mo - 1, d, h, 30);
      offset = this.offsetAt(local);
      offset = this.offsetAt(local - offset * 60000);
      this.minuteCache.set(key, offset);
    }
    return offset;
  }
  /** Seconds since the epoch of a local time "YYYY-MM-DD HH:MM:SS" at byte s, as PostgreSQL reads it with the offset `suffix` writes. */
  epochSeconds(b: Buffer, s: number): number {
    const y = (b[s] - 48) * 1000 + (b[s + 1] - 48) * 100 + (b[s + 2] - 48) * 10 + b[s + 3] - 48;
    const mo = (b[s + 5] - 48) * 10 + b[s + 6] - 48;
    const d = (b[s + 8] - 48) * 10 + b[s + 9] - 48;
    const h = (b[s + 11] - 48) * 10 + b[s + 12] - 48;
    const mi = (b[s + 14] - 48) * 10 + b[s + 15] - 48;
    const sec = (b[s + 17] - 48) * 10 + b[s + 18] - 48;
    return Date.UTC(y, mo - 1, d, h, mi, sec) / 1000 - this.minutes(y, mo, d, h) * 60;
  }
}
const MAX_TEXT = 64;

/** A growable byte buffer of COPY text. */
class Out {
  buf = Buffer.allocUnsafe(1 << 21);
  pos = 0;
  rows = 0;
  ensure(n: number) {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  take(): Buffer {
    const data = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    this.rows = 0;
    return data;
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
export function dayNumber(y: number, m: number, d: number) {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface ScanResult {
  rowsRead: number;
  rowsInvalid: number;
  rowsDuplicate: number;
  problems: Problem[];
  errorTotal: number;
  unknownStores: Set<string>;
  /** storeIndex * 1e6 + day number of every store-day the file touches → rows in the file. */
  storeDays: Map<number, number>;
  /** "storeIndex\tcashier code" → name and the days seen. */
  cashiers: Map<string, { name: string; first: number; last: number }>;
}

export class RowEncoder {
  readonly direct = new Out();
  readonly staged = new Out();
  readonly result: ScanResult = {
    rowsRead: 0,
    rowsInvalid: 0,
    rowsDuplicate: 0,
    problems: [],
    errorTotal: 0,
    unknownStores: new Set(),
    storeDays: new Map(),
    cashiers: new Map(),
  };
  /** Sums of the direct rows (derived.ts). */
  readonly derived: DerivedData = emptyDerived();
  private readonly storeIndex = new Map<string, number>();
  private readonly storeIdBytes: Buffer[];
  private lastStoreCode: Buffer = Buffer.alloc(0);
  private lastStoreIdx = -1;
  private readonly zones: ZoneOffsets[];
  private readonly importIdBytes: Buffer;
  /**
   * "register\ttransaction" (latin1 of their bytes) per store-day (storeIndex * 1e6 + day number): one
   * set per store-day, since a Set holds at most 2^24 entries (a file of 17M rows would hit it).
   */
  private readonly seen = new Map<number, Set<string>>();
  private readonly starts = new Int32Array(NF);
  private readonly ends = new Int32Array(NF);
  private rowBad = false;
  private line = 0;
  /** Where the current row sits when lines say little (POSLog: "transaction 3 (sequence 451), character 10234"). */
  private record: string | undefined;

  constructor(
    importId: string,
    private readonly stores: ScanStore[],
    /** Store-days that already hold transactions: their rows go to staging and are merged with ON CONFLICT. */
    private readonly existingStoreDays: Set<number>,
    private readonly settings: ScanSettings,
  ) {
    stores.forEach((s, i) => this.storeIndex.set(s.code.toLowerCase(), i));
    this.storeIdBytes = stores.map((s) => Buffer.from(`${s.id}\t`));
    this.zones = stores.map((s) => ZoneOffsets.of(s.timezone));
    this.importIdBytes = Buffer.from(`${importId}\t`);
  }

  /** Keys of stored transactions (see ScanSessionOptions.knownStoreDays): a row with one is a duplicate. */
  alreadyStored(storeDays: number[], keys: string[]) {
    for (let i = 0; i < keys.length; i++) this.seenIn(storeDays[i]).add(keys[i]);
  }

  private seenIn(storeDay: number) {
    let set = this.seen.get(storeDay);
    if (!set) this.seen.set(storeDay, (set = new Set()));
    return set;
  }

  private problem(field: string | undefined, message: string) {
    if (!this.rowBad) this.result.rowsInvalid++;
    this.rowBad = true;
    this.result.errorTotal++;
    if (this.result.problems.length < MAX_LISTED) this.result.problems.push({ line: this.line, ...(this.record ? { record: this.record } : {}), ...(field ? { field } : {}), message });
  }

  /** A problem with the file as a whole (header, syntax) rather than one row's field. */
  fileProblem(line: number, field: string | undefined, message: string, record?: string) {
    this.result.errorTotal++;
    if (this.result.problems.length < MAX_LISTED) this.result.problems.push({ line, ...(record ? { record } : {}), ...(field ? { field } : {}), message });
  }

  // ---- field readers (b, s, e): trimmed byte range

  private int(b: Buffer, i: number, allowEmpty: boolean): number {
    const s = this.starts[i];
    const e = this.ends[i];
    if (s < 0 || s === e) {
      if (!allowEmpty) this.problem(FIELDS[i], 'is required');
      return 0;
    }
    let v = 0;
    for (let p = s; p < e; p++) {
      const c = b[p];
      if (!isDigit(c) || p - s > 8) {
        this.problem(FIELDS[i], `must be a whole number 0 or more, got "${b.toString('utf8', s, Math.min(e, s + 20))}"`);
        return 0;
      }
      v = v * 10 + c - 48;
    }
    return v;
  }

  /** Decimal currency amount ("-12.5", "3", "0.99") → cents. */
  private money(b: Buffer, i: number, required: boolean, allowNegative: boolean): number {
    const s = this.starts[i];
    const e = this.ends[i];
    if (s < 0 || s === e) {
      if (required) this.problem(FIELDS[i], 'is required');
      return 0;
    }
    let p = s;
    let neg = false;
    if (b[p] === 45) {
      neg = true;
      p++;
    }
    let whole = 0;
    let digits = 0;
    for (; p < e && isDigit(b[p]); p++, digits++) whole = whole * 10 + b[p] - 48;
    let cents = 0;
    if (p < e && b[p] === 46) {
      p++;
      let n = 0;
      for (; p < e && isDigit(b[p]) && n < 2; p++, n++) cents = cents * 10 + b[p] - 48;
      if (n === 1) cents *= 10;
      // Trailing zeros beyond cents ("1.500") are fine; other digits are not.
      while (p < e && b[p] === 48) p++;
    }
    if (p !== e || digits === 0 || digits > 11) {
      this.problem(FIELDS[i], `must be an amount like 12.34, got "${b.toString('utf8', s, Math.min(e, s + 20))}"`);
      return 0;
    }
    const v = whole * 100 + cents;
    if (neg && !allowNegative) {
      this.problem(FIELDS[i], 'must not be negative');
      return 0;
    }
    return neg ? -v : v;
  }

  private bool(b: Buffer, i: number): boolean {
    const s = this.starts[i];
    const e = this.ends[i];
    if (s < 0 || s === e) return false;
    // Fast path: true / false in lower case.
    if (e - s === 5 && b[s] === 102 && b[s + 1] === 97 && b[s + 2] === 108 && b[s + 3] === 115 && b[s + 4] === 101) return false;
    if (e - s === 4 && b[s] === 116 && b[s + 1] === 114 && b[s + 2] === 117 && b[s + 3] === 101) return true;
    const c = b[s] | 32;
    if (e - s === 1 && (b[s] === 49 || b[s] === 48)) return b[s] === 49;
    const word = b.toString('latin1', s, e).toLowerCase();
    if (word === 'true' || word === 'yes' || word === 'y') return true;
    if (word === 'false' || word === 'no' || word === 'n') return false;
    this.problem(FIELDS[i], `must be true or false, got "${word.slice(0, 20)}"`);
    return c === 116;
  }

  /** A short lower-case word (enum value); known words are returned without building a string. */
  private word(b: Buffer, i: number): string {
    const s = this.starts[i];
    if (s < 0) return '';
    const e = this.ends[i];
    const known = WORDS.get(e - s);
    if (known) {
      for (const [bytes, w] of known) {
        let k = 0;
        while (k < bytes.length && b[s + k] === bytes[k]) k++;
        if (k === bytes.length) return w;
      }
    }
    return b.toString('latin1', s, e).toLowerCase();
  }

  private textOk(b: Buffer, i: number, required: boolean, max = MAX_TEXT): boolean {
    const s = this.starts[i];
    const len = s < 0 ? 0 : this.ends[i] - s;
    if (len === 0) {
      if (required) this.problem(FIELDS[i], 'is required');
      return false;
    }
    if (len > max) {
      this.problem(FIELDS[i], `must be at most ${max} characters`);
      return false;
    }
    return true;
  }

  /** Local date-time "YYYY-MM-DDTHH:MM:SS" (a space may replace the T; fractions are dropped). Returns the hour, or -1. */
  private localTime(b: Buffer, i: number, required: boolean): number {
    const s = this.starts[i];
    const e = this.ends[i];
    if (s < 0 || s === e) {
      if (required) this.problem(FIELDS[i], 'is required');
      return -1;
    }
    const ok =
      e - s >= 19 &&
      isDigit(b[s]) && isDigit(b[s + 1]) && isDigit(b[s + 2]) && isDigit(b[s + 3]) && b[s + 4] === 45 &&
      isDigit(b[s + 5]) && isDigit(b[s + 6]) && b[s + 7] === 45 && isDigit(b[s + 8]) && isDigit(b[s + 9]) &&
      (b[s + 10] === 84 || b[s + 10] === 32) &&
      isDigit(b[s + 11]) && isDigit(b[s + 12]) && b[s + 13] === 58 && isDigit(b[s + 14]) && isDigit(b[s + 15]) && b[s + 16] === 58 &&
      isDigit(b[s + 17]) && isDigit(b[s + 18]) &&
      (e - s === 19 || (b[s + 19] === 46 && e - s <= 26));
    const hour = ok ? (b[s + 11] - 48) * 10 + b[s + 12] - 48 : -1;
    const month = ok ? (b[s + 5] - 48) * 10 + b[s + 6] - 48 : 0;
    const day = ok ? (b[s + 8] - 48) * 10 + b[s + 9] - 48 : 0;
    if (!ok || hour > 23 || month < 1 || month > 12 || day < 1 || day > 31) {
      this.problem(FIELDS[i], `must be a local time YYYY-MM-DDTHH:MM:SS, got "${b.toString('utf8', s, Math.min(e, s + 30))}"`);
      return -1;
    }
    return hour;
  }

  private businessDay(b: Buffer, i: number): number {
    const s = this.starts[i];
    const e = this.ends[i];
    if (s < 0 || s === e) {
      this.problem(FIELDS[i], 'is required');
      return -1;
    }
    if (e - s === 10 && isDigit(b[s]) && isDigit(b[s + 1]) && isDigit(b[s + 2]) && isDigit(b[s + 3]) && b[s + 4] === 45 && isDigit(b[s + 5]) && isDigit(b[s + 6]) && b[s + 7] === 45 && isDigit(b[s + 8]) && isDigit(b[s + 9])) {
      const y = (b[s] - 48) * 1000 + (b[s + 1] - 48) * 100 + (b[s + 2] - 48) * 10 + b[s + 3] - 48;
      const m = (b[s + 5] - 48) * 10 + b[s + 6] - 48;
      const d = (b[s + 8] - 48) * 10 + b[s + 9] - 48;
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      if (y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && !leap ? 28 : DAYS_IN_MONTH[m - 1])) return dayNumber(y, m, d);
    }
    this.problem(FIELDS[i], `must be a date YYYY-MM-DD, got "${b.toString('utf8', s, Math.min(e, s + 20))}"`);
    return -1;
  }

  // ---- writers

  /** Copies a byte range as a COPY text value, escaping backslash, tab and line breaks. */
  private static writeText(out: Out, b: Buffer, s: number, e: number) {
    out.ensure((e - s) * 2 + 1);
    const o = out.buf;
    let p = out.pos;
    for (let k = s; k < e; k++) {
      const c = b[k];
      if (c === 92 || c === 9 || c === 10 || c === 13) {
        o[p++] = 92;
        o[p++] = c === 92 ? 92 : c === 9 ? 116 : c === 10 ? 110 : 114;
      } else o[p++] = c;
    }
    o[p++] = 9;
    out.pos = p;
  }
  private static writeNullable(out: Out, b: Buffer, s: number, e: number) {
    if (s < 0 || s === e) RowEncoder.writeAscii(out, '\\N\t');
    else RowEncoder.writeText(out, b, s, e);
  }
  // Small writes are plain loops: a native Buffer call costs more than copying a few bytes.
  private static writeAscii(out: Out, text: string) {
    out.ensure(text.length);
    const o = out.buf;
    let p = out.pos;
    for (let k = 0; k < text.length; k++) o[p++] = text.charCodeAt(k);
    out.pos = p;
  }
  private static writeBytes(out: Out, bytes: Buffer) {
    out.ensure(bytes.length);
    const o = out.buf;
    let p = out.pos;
    for (let k = 0; k < bytes.length; k++) o[p++] = bytes[k];
    out.pos = p;
  }
  /** An ASCII word and a tab. */
  private static writeWord(out: Out, text: string) {
    out.ensure(text.length + 1);
    const o = out.buf;
    let p = out.pos;
    for (let k = 0; k < text.length; k++) o[p++] = text.charCodeAt(k);
    o[p++] = 9;
    out.pos = p;
  }
  /** An integer and a tab. */
  private static writeInt(out: Out, n: number) {
    out.ensure(24);
    const o = out.buf;
    let p = out.pos;
    if (n < 0) {
      o[p++] = 45;
      n = -n;
    }
    if (n === 0) o[p++] = 48;
    else {
      const start = p;
      while (n > 0) {
        o[p++] = 48 + (n % 10);
        n = Math.floor(n / 10);
      }
      for (let a = start, b = p - 1; a < b; a++, b--) {
        const t = o[a];
        o[a] = o[b];
        o[b] = t;
      }
    }
    o[p++] = 9;
    out.pos = p;
  }
  /** Local time as "YYYY-MM-DD HH:MM:SS±HH:MM": the store zone's UTC offset at that local hour, worked out here (cached per zone, day and hour). */
  private static writeTime(out: Out, b: Buffer, s: number, zone: ZoneOffsets) {
    const y = (b[s] - 48) * 1000 + (b[s + 1] - 48) * 100 + (b[s + 2] - 48) * 10 + b[s + 3] - 48;
    const mo = (b[s + 5] - 48) * 10 + b[s + 6] - 48;
    const d = (b[s + 8] - 48) * 10 + b[s + 9] - 48;
    const h = (b[s + 11] - 48) * 10 + b[s + 12] - 48;
    const offset = zone.suffix(y, mo, d, h);
    out.ensure(19 + offset.length);
    const o = out.buf;
    let p = out.pos;
    for (let k = 0; k < 19; k++) o[p++] = b[s + k];
    o[out.pos + 10] = 32;
    for (let k = 0; k < offset.length; k++) o[p++] = offset[k];
    out.pos = p;
  }

  /**
   * Validates one row whose fields are the byte ranges in `starts`/`ends` (-1: absent) of `b`,
   * and appends it to the direct or the staged COPY buffer.
   */
  addRow(b: Buffer, line: number) {
    const st = this.starts;
    const en = this.ends;
    // Trim spaces.
    for (let i = 0; i < NF; i++) {
      let s = st[i];
      if (s < 0) continue;
      let e = en[i];
      while (s < e && b[s] === 32) s++;
      while (e > s && b[e - 1] === 32) e--;
      st[i] = s;
      en[i] = e;
    }
    this.line = line;
    this.rowBad = false;
    this.result.rowsRead++;

    // store
    let storeIdx = -1;
    if (this.textOk(b, F.store, true)) {
      const s0 = st[F.store];
      const len = en[F.store] - s0;
      const last = this.lastStoreCode;
      let same = len === last.length && this.lastStoreIdx >= 0;
      for (let k = 0; same && k < len; k++) same = b[s0 + k] === last[k];
      if (same) storeIdx = this.lastStoreIdx;
      else {
        const code = b.toString('utf8', s0, en[F.store]);
        storeIdx = this.storeIndex.get(code.toLowerCase()) ?? -1;
        if (storeIdx < 0) {
          this.result.unknownStores.add(code);
          this.problem('store', `unknown store code "${code}"`);
        } else {
          this.lastStoreCode = Buffer.from(b.subarray(s0, en[F.store]));
          this.lastStoreIdx = storeIdx;
        }
      }
    }
    const hasRegister = this.textOk(b, F.register, true, 20);
    const hasCashier = this.textOk(b, F.cashier_id, true, 40);
    this.textOk(b, F.cashier_name, false, 120);
    const hasTxn = this.textOk(b, F.transaction, true, 40);
    const day = this.businessDay(b, F.business_day);
    const hour = this.localTime(b, F.start, true);
    const hasEnd = st[F.end] >= 0 && en[F.end] > st[F.end];
    if (hasEnd) this.localTime(b, F.end, false);
    const type = this.word(b, F.type);
    if (!type) this.problem('type', 'is required');
    else if (!TYPES.has(type)) this.problem('type', `must be one of ${[...TYPES].join(', ')}, got "${type.slice(0, 20)}"`);
    const total = this.money(b, F.total, true, true);
    const items = this.int(b, F.items, true);
    const lineVoids = this.int(b, F.line_voids, true);
    const lineVoidCents = this.money(b, F.line_void_amount, false, false);
    const overrides = this.int(b, F.price_overrides, true);
    const overrideCents = this.money(b, F.price_override_amount, false, true);
    const discountCents = this.money(b, F.discount_amount, false, false);
    const employee = this.bool(b, F.employee_discount);
    const manual = this.int(b, F.manual_entries, true);
    let tender = this.word(b, F.tender);
    if (!tender) tender = 'none';
    else if (!TENDERS.has(tender)) this.problem('tender', `must be one of ${[...TENDERS].join(', ')}, got "${tender.slice(0, 20)}"`);
    const cardEntry = this.word(b, F.card_entry);
    if (cardEntry && !CARD_ENTRIES.has(cardEntry)) this.problem('card_entry', `must be one of ${[...CARD_ENTRIES].join(', ')} or empty, got "${cardEntry.slice(0, 20)}"`);
    this.textOk(b, F.card_token, false, 128);
    const hasOriginal = this.textOk(b, F.original_transaction, false, 80);
    this.textOk(b, F.manager_override, false, 40);
    const afterTotal = this.bool(b, F.voided_after_total);
    const giftCents = this.money(b, F.gift_card_issued, false, false);
    if (type === 'return' && total > 0) this.problem('total', 'a return must have a total of 0 or less (money paid out)');
    if ((type === 'sale' || type === 'paid_in') && total < 0) this.problem('total', `a ${type} must not have a negative total`);
    if (this.rowBad || storeIdx < 0 || !hasRegister || !hasCashier || !hasTxn) return;

    // Duplicate within this file, or of a stored transaction whose key was read before the scan?
    const reg = b.toString('latin1', st[F.register], en[F.register]);
    const txn = b.toString('latin1', st[F.transaction], en[F.transaction]);
    const storeDay = storeIdx * 1e6 + day;
    const seen = this.seenIn(storeDay);
    const key = `${reg}\t${txn}`;
    if (seen.has(key)) {
      this.result.rowsDuplicate++;
      return;
    }
    seen.add(key);

    this.result.storeDays.set(storeDay, (this.result.storeDays.get(storeDay) ?? 0) + 1);
    const cashierCode = b.toString('utf8', st[F.cashier_id], en[F.cashier_id]);
    const cashierKey = `${storeIdx}\t${cashierCode}`;
    const cashier = this.result.cashiers.get(cashierKey);
    const nameLen = st[F.cashier_name] < 0 ? 0 : en[F.cashier_name] - st[F.cashier_name];
    if (!cashier) this.result.cashiers.set(cashierKey, { name: nameLen ? b.toString('utf8', st[F.cashier_name], en[F.cashier_name]) : '', first: day, last: day });
    else {
      if (day < cashier.first) cashier.first = day;
      if (day > cashier.last) {
        cashier.last = day;
        if (nameLen) cashier.name = b.toString('utf8', st[F.cashier_name], en[F.cashier_name]);
      }
      if (!cashier.name && nameLen) cashier.name = b.toString('utf8', st[F.cashier_name], en[F.cashier_name]);
    }

    const s = this.settings;
    const abs = total < 0 ? -total : total;
    let flags = 0;
    if (type === 'post_void' && abs >= s.largeAmountCents) flags |= POS_FLAGS.post_void_large;
    if (type === 'return' && !hasOriginal && (tender === 'card' || tender === 'mixed')) flags |= POS_FLAGS.refund_no_receipt_card;
    if (type === 'no_sale' && (hour < s.storeOpenHour || hour >= s.storeCloseHour)) flags |= POS_FLAGS.no_sale_after_hours;
    if (type === 'void' && afterTotal && abs >= s.largeAmountCents) flags |= POS_FLAGS.void_after_total_large;
    if (type === 'sale' && cardEntry === 'keyed' && abs >= s.largeAmountCents) flags |= POS_FLAGS.keyed_card_large;

    // Training transactions leave no aggregates, so a store-day that holds only them is not known to
    // hold data: they are always merged, so that a re-sent one is a duplicate, not a failed COPY.
    const staged = type === 'training' || this.existingStoreDays.has(storeDay);
    const out = staged ? this.staged : this.direct;
    const tz = this.zones[storeIdx];
    if (!staged) {
      addDerived(this.derived, {
        store: storeIdx,
        day,
        cashier: cashierCode,
        register: b.toString('utf8', st[F.register], en[F.register]),
        txn: flags !== 0 ? b.toString('utf8', st[F.transaction], en[F.transaction]) : '',
        type: type!,
        tender,
        cardEntry: cardEntry || undefined,
        cardToken: st[F.card_token] < 0 || st[F.card_token] === en[F.card_token] ? null : b.toString('utf8', st[F.card_token], en[F.card_token]),
        originalRef: hasOriginal ? b.toString('utf8', st[F.original_transaction], en[F.original_transaction]) : null,
        total,
        items,
        lineVoids,
        lineVoidCents,
        overrides,
        overrideCents,
        discountCents,
        employee,
        manual,
        afterTotal,
        giftCents,
        managerOverride: st[F.manager_override] >= 0 && en[F.manager_override] > st[F.manager_override],
        flags,
        hour,
        seconds: hasEnd ? tz.epochSeconds(b, st[F.end]) - tz.epochSeconds(b, st[F.start]) : null,
      });
    }
    RowEncoder.writeBytes(out, this.importIdBytes);
    RowEncoder.writeBytes(out, this.storeIdBytes[storeIdx]);
    RowEncoder.writeText(out, b, st[F.register], en[F.register]);
    RowEncoder.writeText(out, b, st[F.cashier_id], en[F.cashier_id]);
    RowEncoder.writeText(out, b, st[F.business_day], en[F.business_day]);
    RowEncoder.writeText(out, b, st[F.transaction], en[F.transaction]);
    RowEncoder.writeTime(out, b, st[F.start], tz);
    if (hasEnd) RowEncoder.writeTime(out, b, st[F.end], tz);
    else RowEncoder.writeAscii(out, '\\N\t');
    RowEncoder.writeWord(out, type);
    RowEncoder.writeInt(out, total);
    RowEncoder.writeInt(out, items);
    RowEncoder.writeInt(out, lineVoids);
    RowEncoder.writeInt(out, lineVoidCents);
    RowEncoder.writeInt(out, overrides);
    RowEncoder.writeInt(out, overrideCents);
    RowEncoder.writeInt(out, discountCents);
    RowEncoder.writeAscii(out, employee ? 't\t' : 'f\t');
    RowEncoder.writeInt(out, manual);
    RowEncoder.writeWord(out, tender);
    if (cardEntry) RowEncoder.writeWord(out, cardEntry);
    else RowEncoder.writeAscii(out, '\\N\t');
    RowEncoder.writeNullable(out, b, st[F.card_token], en[F.card_token]);
    RowEncoder.writeNullable(out, b, st[F.original_transaction], en[F.original_transaction]);
    RowEncoder.writeNullable(out, b, st[F.manager_override], en[F.manager_override]);
    RowEncoder.writeAscii(out, afterTotal ? 't\t' : 'f\t');
    RowEncoder.writeInt(out, giftCents);
    RowEncoder.writeInt(out, flags);
    RowEncoder.writeNullable(out, b, st[F.details], en[F.details]);
    out.buf[out.pos - 1] = 10;
    out.rows++;
  }

  // ---- CSV

  private columnOf: number[] = [];
  private csvHeaderDone = false;

  /** Reads the header line: maps each column to a field; unknown columns are ignored. */
  csvHeader(b: Buffer, s: number, e: number): boolean {
    const names = splitCsvLine(b.toString('utf8', s, e)).map((h) => h.trim().toLowerCase().replace(/^\ufeff/, '').replace(/\s+/g, '_'));
    if (names.length > MAX_FIELDS) {
      this.fileProblem(1, undefined, `the header line has ${names.length} columns; at most ${MAX_FIELDS} are allowed`);
      this.csvHeaderDone = true;
      return false;
    }
    this.columnOf = names.map((n) => (n in F ? F[n as Field] : -1));
    const missing = REQUIRED_FIELDS.filter((f) => !names.includes(f));
    for (const m of missing) this.fileProblem(1, m, 'column is missing from the header line');
    this.csvHeaderDone = true;
    return missing.length === 0;
  }

  /** One CSV line (without its line break). */
  csvLine(b: Buffer, s: number, e: number, line: number) {
    if (e > s && b[e - 1] === 13) e--;
    if (e === s) return;
    if (!this.csvHeaderDone) {
      this.csvHeader(b, s, e);
      return;
    }
    this.starts.fill(-1);
    this.ends.fill(-1);
    const cols = this.columnOf;
    let col = 0;
    let fs = s;
    for (let p = s; p <= e; p++) {
      if (p === e || b[p] === 44) {
        const f = cols[col];
        if (f !== undefined && f >= 0) {
          this.starts[f] = fs;
          this.ends[f] = p;
        }
        col++;
        fs = p + 1;
      } else if (b[p] === 34) {
        // A quoted field: take the slow path for the whole line.
        const cells = splitCsvLine(b.toString('utf8', s, e));
        if (cells.length !== cols.length) return this.wrongFieldCount(line, cells.length);
        this.addValues(csvValues(cells, cols), line);
        return;
      }
    }
    // A row cut short (a truncated file) or with extra fields is a bad row, not one with defaults.
    if (col !== cols.length) return this.wrongFieldCount(line, col);
    this.addRow(b, line);
  }

  private wrongFieldCount(line: number, got: number) {
    this.result.rowsRead++;
    this.result.rowsInvalid++;
    const expected = this.columnOf.length;
    this.fileProblem(line, undefined, `has ${got} field${got === 1 ? '' : 's'} but the header has ${expected}${got < expected ? ' (the line is cut short)' : ''}`);
  }

  // ---- NDJSON, POSLog: values by field

  private scratch = Buffer.allocUnsafe(4096);

  /** A row given as strings per field index (undefined: absent). */
  addValues(values: Array<string | undefined>, line: number, record?: string) {
    this.record = record;
    let need = 0;
    for (const v of values) if (v !== undefined) need += Buffer.byteLength(v);
    if (need > this.scratch.length) this.scratch = Buffer.allocUnsafe(need * 2);
    let p = 0;
    for (let i = 0; i < NF; i++) {
      const v = values[i];
      if (v === undefined) {
        this.starts[i] = -1;
        this.ends[i] = -1;
      } else {
        this.starts[i] = p;
        p += this.scratch.write(v, p, 'utf8');
        this.ends[i] = p;
      }
    }
    this.addRow(this.scratch, line);
    this.record = undefined;
  }

  /** One NDJSON line: an object with the CSV column names as keys. */
  jsonLine(b: Buffer, s: number, e: number, line: number) {
    while (s < e && (b[s] === 32 || b[s] === 13 || b[s] === 9)) s++;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 13 || b[e - 1] === 9)) e--;
    if (e === s) return;
    let obj: unknown;
    const text = b.toString('utf8', s, e);
    // Checked before parsing: a deeply nested line would cost CPU and overflow the stack later.
    if (jsonDepthExceeds(text, JSON_MAX_DEPTH)) {
      this.result.rowsRead++;
      this.result.rowsInvalid++;
      this.fileProblem(line, undefined, `JSON nested deeper than ${JSON_MAX_DEPTH} levels`);
      return;
    }
    try {
      obj = JSON.parse(text);
    } catch (err) {
      this.result.rowsRead++;
      this.result.rowsInvalid++;
      this.fileProblem(line, undefined, `not valid JSON: ${(err as Error).message.slice(0, 120)}`);
      return;
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      this.result.rowsRead++;
      this.result.rowsInvalid++;
      this.fileProblem(line, undefined, 'each line must be one JSON object');
      return;
    }
    const values: Array<string | undefined> = new Array(NF);
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      const i = F[k as Field];
      if (i === undefined || v === null || v === undefined) continue;
      values[i] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    this.addValues(values, line);
  }
}

/** Splits one CSV line with RFC 4180 quoting. */
export function splitCsvLine(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function csvValues(cells: string[], cols: number[]): Array<string | undefined> {
  const values: Array<string | undefined> = new Array(NF);
  cells.forEach((c, idx) => {
    const f = cols[idx];
    if (f !== undefined && f >= 0) values[f] = c;
  });
  return values;
}

/** Longest record a POS file may have (a real row is well under 1 KB; `details` JSON leaves room). */
export const MAX_LINE_BYTES = 256 * 1024;
/** Most columns a CSV header may have (the format has 26). */
export const MAX_FIELDS = 200;

/** A record longer than MAX_LINE_BYTES: the file is refused (where the next record starts is unknown). */
export class LineTooLongError extends Error {
  constructor(
    readonly line: number,
    readonly limit: number,
    readonly inQuotes: boolean,
  ) {
    super(
      `line ${line} is longer than ${Math.round(limit / 1024)} KB` +
        (inQuotes ? ' (a quote opened there is never closed, so every line after it belongs to it)' : ' (no line break)'),
    );
  }
}

const countNewlines = (b: Buffer, from: number, to: number) => {
  let n = 0;
  for (let p = b.indexOf(10, from); p >= 0 && p < to; p = b.indexOf(10, p + 1)) n++;
  return n;
};

/**
 * Splits a stream of buffers into lines (CSV: a line break inside quotes does not end a record)
 * and hands each to `onLine(buffer, start, end, lineNumber)`. Linear in the input whatever its
 * shape: the quote state is carried across chunks (a long quoted record is never rescanned), the
 * unfinished record is kept as a list of chunks (never re-concatenated per chunk), and a record
 * longer than `maxLineBytes` stops the scan with a LineTooLongError naming its line.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** CSV: inside quotes at the end of what has been scanned. */
  private quoted = false;
  /** Line breaks inside the pending (quoted) record. */
  private innerLines = 0;
  private line = 0;
  constructor(
    private readonly csv: boolean,
    private readonly onLine: (b: Buffer, s: number, e: number, line: number) => void,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  private emit(chunk: Buffer, s: number, e: number) {
    const startLine = this.line + 1;
    this.line += 1 + this.innerLines;
    this.innerLines = 0;
    if (this.partsLength + (e - s) > this.maxLineBytes) throw new LineTooLongError(startLine, this.maxLineBytes, false);
    if (this.parts.length) {
      const whole = Buffer.concat([...this.parts, chunk.subarray(s, e)]);
      this.parts = [];
      this.partsLength = 0;
      this.onLine(whole, 0, whole.length, startLine);
    } else this.onLine(chunk, s, e, startLine);
  }

  push(chunk: Buffer) {
    let s = 0; // start of the pending record in this chunk
    let k = 0; // scan position
    if (this.csv) {
      // The next quote at or after k (-1: none left in this chunk). Searched again only once passed:
      // searching from every line's start would read the rest of the chunk once per line.
      let quote = -2;
      while (k < chunk.length) {
        if (quote !== -1 && quote < k) quote = chunk.indexOf(34, k);
        if (this.quoted) {
          const q = quote;
          this.innerLines += countNewlines(chunk, k, q < 0 ? chunk.length : q);
          if (q < 0) {
            k = chunk.length;
            break;
          }
          // A doubled quote ("") inside quotes closes and reopens: the state comes out right.
          this.quoted = false;
          k = q + 1;
          continue;
        }
        const nl = chunk.indexOf(10, k);
        const q = quote;
        if (nl >= 0 && (q < 0 || nl < q)) {
          this.emit(chunk, s, nl);
          s = k = nl + 1;
        } else if (q >= 0) {
          this.quoted = true;
          k = q + 1;
        } else break;
      }
    } else {
      for (let nl = chunk.indexOf(10, s); nl >= 0; nl = chunk.indexOf(10, s)) {
        this.emit(chunk, s, nl);
        s = nl + 1;
      }
    }
    if (s < chunk.length) {
      if (this.partsLength + chunk.length - s > this.maxLineBytes) throw new LineTooLongError(this.line + 1, this.maxLineBytes, this.quoted);
      this.parts.push(Buffer.from(chunk.subarray(s)));
      this.partsLength += chunk.length - s;
    }
  }

  end() {
    if (this.partsLength) {
      const whole = Buffer.concat(this.parts);
      this.parts = [];
      this.partsLength = 0;
      const startLine = this.line + 1;
      this.line += 1 + this.innerLines;
      this.onLine(whole, 0, whole.length, startLine);
    }
  }
}
