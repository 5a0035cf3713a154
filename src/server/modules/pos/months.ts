import type { PosFormat } from '../../../contracts/pos.js';
import { splitCsvLine } from './scanner.js';
import { yieldNow } from '../../platform/yield.js';

/**
 * The business months of a POS file, found by a pre-pass over its bytes before the import starts,
 * so that their partitions exist before any row is loaded (partitions.ts). It only picks out the
 * business dates, where the scanner would find them: the `business_day` column of a CSV line
 * (quotes and line breaks in quotes followed as the scanner does), the `"business_day"` key of an
 * NDJSON line, a POSLog transaction's BusinessDayDate (else its BeginDateTime, the reader's
 * fallback). Nothing is validated here: a row the import will refuse may add a month, a row whose
 * date this pass cannot see adds none (its rows go to the default partition and are moved after the
 * commit, as before). The answer is a hint for partitioning, never a check.
 */

export interface FileMonths {
  /** Rows seen per month, keyed by the month's first day ('YYYY-MM-01'). */
  rows: Map<string, number>;
  /** Rows seen per business day ('YYYY-MM-DD'); a POSLog begin time with an offset adds its neighbours with 0. */
  days: Map<string, number>;
  /** POSLog transactions whose business day this pass could not tell (no BusinessDayDate nor BeginDateTime). */
  unknown: number;
  bytes: number;
  ms: number;
}

const monthKey = (y: number, m: number) => `${y}-${m < 10 ? '0' : ''}${m}-01`;
const digit = (c: number) => c >= 48 && c <= 57;

/** 'YYYY-MM-DD…' at b[s..] as [year, month, day], or null (the scanner's range: years 2000-2100). */
function readDate(b: Uint8Array, s: number, e: number): [number, number, number] | null {
  if (e - s < 10) return null;
  if (!(digit(b[s]) && digit(b[s + 1]) && digit(b[s + 2]) && digit(b[s + 3]) && b[s + 4] === 45 && digit(b[s + 5]) && digit(b[s + 6]) && b[s + 7] === 45 && digit(b[s + 8]) && digit(b[s + 9]))) return null;
  const y = (b[s] - 48) * 1000 + (b[s + 1] - 48) * 100 + (b[s + 2] - 48) * 10 + b[s + 3] - 48;
  const m = (b[s + 5] - 48) * 10 + b[s + 6] - 48;
  const d = (b[s + 8] - 48) * 10 + b[s + 9] - 48;
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  return [y, m, d];
}

/** The first comma, line break or quote at or after `p` (or `n`). */
function fieldEnd(b: Uint8Array, p: number, n: number) {
  for (; p < n; p++) {
    const c = b[p];
    if (c === 44 || c === 10 || c === 34) return p;
  }
  return n;
}

abstract class Finder {
  /** Rows per month, keyed by year * 12 + month - 1. */
  private readonly counts = new Map<number, number>();
  /** Rows per day, keyed by (year * 12 + month - 1) * 32 + day. */
  private readonly dayCounts = new Map<number, number>();
  unknown = 0;
  protected add(y: number, m: number, d: number, n = 1) {
    const k = y * 12 + m - 1;
    this.counts.set(k, (this.counts.get(k) ?? 0) + n);
    const dk = k * 32 + d;
    this.dayCounts.set(dk, (this.dayCounts.get(dk) ?? 0) + n);
  }
  get days(): Map<string, number> {
    return new Map(
      [...this.dayCounts.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => {
        const d = k % 32;
        return [`${monthKey(Math.floor(k / 32 / 12), (Math.floor(k / 32) % 12) + 1).slice(0, 8)}${d < 10 ? '0' : ''}${d}`, n];
      }),
    );
  }
  get rows(): Map<string, number> {
    return new Map([...this.counts.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => [monthKey(Math.floor(k / 12), (k % 12) + 1), n]));
  }
  /** The unfinished tail of the previous chunk (a line or an element cut by the chunk's end). */
  protected carry: Buffer | null = null;
  /** The chunk with the previous chunk's unfinished tail in front of it. */
  protected withCarry(chunk: Buffer): Buffer {
    if (!this.carry) return chunk;
    const joined = Buffer.concat([this.carry, chunk]);
    this.carry = null;
    return joined;
  }
  abstract push(chunk: Buffer): void;
  abstract end(): void;
}

/**
 * CSV: the header names the business_day column; each record is walked field by field up to that
 * column, then skipped to its line break with indexOf (the next quote's place is remembered, so a
 * file without quotes is not searched for one on every line).
 */
class CsvFinder extends Finder {
  private header: Buffer[] = [];
  private headerBytes = 0;
  private column = -2; // -2: header not read yet; -1: no business_day column
  private col = 0;
  private quoted = false;
  private date = new Uint8Array(16);
  private dateLength = 0;

  push(chunk: Buffer) {
    let p = 0;
    if (this.column === -2) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        // Header lines are short; a file without a line break in its first 256 KB has no usable header.
        this.header.push(chunk);
        this.headerBytes += chunk.length;
        if (this.headerBytes > 256 * 1024) this.column = -1;
        return;
      }
      this.header.push(chunk.subarray(0, nl));
      const names = splitCsvLine(Buffer.concat(this.header).toString('utf8')).map((h) => h.trim().toLowerCase().replace(/^\ufeff/, '').replace(/\s+/g, '_'));
      this.header = [];
      this.column = names.indexOf('business_day');
      p = nl + 1;
    }
    if (this.column < 0) return;
    const k = this.column;
    const n = chunk.length;
    let col = this.col;
    let quoted = this.quoted;
    let nextQuote = -1; // the next quote at or after the last search, or n when there is none
    const quoteFrom = (at: number) => {
      if (nextQuote < at) {
        const q = chunk.indexOf(34, at);
        nextQuote = q < 0 ? n : q;
      }
      return nextQuote;
    };
    while (p < n) {
      if (quoted) {
        const q = quoteFrom(p);
        if (col === k) this.keep(chunk, p, q);
        if (q >= n) break;
        // A doubled quote closes and reopens: the state comes out right.
        quoted = false;
        p = q + 1;
        continue;
      }
      if (col > k) {
        // Past the date: to the line break, unless a quote opens first.
        const nl = chunk.indexOf(10, p);
        const q = quoteFrom(p);
        if (nl >= 0 && nl < q) {
          this.record();
          col = 0;
          p = nl + 1;
        } else if (q < n) {
          quoted = true;
          p = q + 1;
        } else break;
        continue;
      }
      // Up to the end of this field (the date's bytes are kept).
      const s = p;
      p = fieldEnd(chunk, p, n);
      if (col === k && p > s) this.keep(chunk, s, p);
      if (p >= n) break;
      const c = chunk[p];
      if (c === 44) col++;
      else if (c === 10) {
        this.record();
        col = 0;
      } else quoted = true;
      p++;
    }
    this.col = col;
    this.quoted = quoted;
  }

  private keep(b: Buffer, s: number, e: number) {
    const to = Math.min(e, s + this.date.length - this.dateLength);
    for (let i = s; i < to; i++) this.date[this.dateLength++] = b[i];
  }

  private record() {
    if (this.dateLength) {
      let e = this.dateLength;
      if (this.date[e - 1] === 13) e--;
      // The scanner wants exactly YYYY-MM-DD.
      const d = e === 10 ? readDate(this.date, 0, e) : null;
      if (d) this.add(d[0], d[1], d[2]);
    }
    this.col = 0;
    this.dateLength = 0;
  }

  end() {
    if (this.column >= 0) this.record();
  }
}

const KEY = Buffer.from('"business_day"');

/** NDJSON: every `"business_day": "YYYY-MM-DD"` pair (a key quoted inside a string value has a backslash before its quotes). */
class JsonFinder extends Finder {
  push(chunk: Buffer) {
    const b = this.withCarry(chunk);
    // Work up to the last line break; the rest waits for the next chunk.
    const last = b.lastIndexOf(10);
    if (last < 0) {
      if (b.length <= 1024 * 1024) this.carry = Buffer.from(b);
      return;
    }
    this.scan(b, last);
    if (last + 1 < b.length && b.length - last - 1 <= 1024 * 1024) this.carry = Buffer.from(b.subarray(last + 1));
  }
  private scan(b: Buffer, end: number) {
    for (let i = b.indexOf(KEY, 0); i >= 0 && i < end; i = b.indexOf(KEY, i + KEY.length)) {
      let p = i + KEY.length;
      while (p < end && (b[p] === 32 || b[p] === 9)) p++;
      if (b[p] !== 58) continue;
      p++;
      while (p < end && (b[p] === 32 || b[p] === 9)) p++;
      if (b[p] !== 34 || b[p + 11] !== 34) continue;
      const d = readDate(b, p + 1, p + 11);
      if (d) this.add(d[0], d[1], d[2]);
    }
  }
  end() {
    if (this.carry) this.scan(this.carry, this.carry.length);
    this.carry = null;
  }
}

const name = (s: string) => Buffer.from(s);
/** The first `byte` at or after `p` (or `n`). */
function nextByte(b: Uint8Array, p: number, n: number, byte: number) {
  while (p < n && b[p] !== byte) p++;
  return p;
}
/** b[s..e] is `name`. */
function nameIs(b: Uint8Array, s: number, e: number, name: Uint8Array) {
  if (e - s !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (b[s + i] !== name[i]) return false;
  return true;
}
const TRANSACTION = name('Transaction');
const BUSINESS_DAY = name('BusinessDayDate');
const BEGIN = name('BeginDateTime');
const WITH_OFFSET = /(?:[+-]\d\d:?\d\d|Z)$/;

/**
 * POSLog: a scan of the tags only (no XML parser), following the nesting of elements, so that a
 * BusinessDayDate counts only as a child of Transaction (a TransactionLink's names another day), as
 * the reader takes it. A transaction without one falls back, like the reader, to its BeginDateTime;
 * written with a UTC offset, that time is read in the store's zone by the reader, so the day before
 * and after count too (their month may get an empty partition, never a missing one).
 */
class PosLogFinder extends Finder {
  /** Per open element: 1 for a Transaction, else 0 (only "is the parent a Transaction" is asked). */
  private stack: number[] = [];
  private inTxn = false;
  private day: string | null = null;
  private begin: string | null = null;

  push(chunk: Buffer) {
    const b = this.withCarry(chunk);
    const rest = this.scan(b, false);
    if (rest < b.length) {
      // An unfinished tag (or date) at the end; a run of 1 MB without one is not a tag we need.
      if (b.length - rest <= 1024 * 1024) this.carry = Buffer.from(b.subarray(rest));
    }
  }

  /** Scans tags from the start of `b`; returns where the first unfinished one starts. Byte loops, no object per tag. */
  private scan(b: Buffer, final: boolean): number {
    const n = b.length;
    let p = 0;
    for (;;) {
      const lt = nextByte(b, p, n, 60);
      if (lt >= n) return n;
      if (b[lt + 1] === 33 || b[lt + 1] === 63) {
        // Comment, CDATA, doctype or processing instruction: skip to its end.
        const close = b[lt + 2] === 45 ? b.indexOf('-->', lt + 4) : b[lt + 2] === 91 ? b.indexOf(']]>', lt + 9) : b.indexOf(62, lt + 2);
        if (close < 0) return final ? n : lt;
        p = close + 1;
        continue;
      }
      const gt = nextByte(b, lt + 1, n, 62);
      if (gt >= n) return final ? n : lt;
      const closing = b[lt + 1] === 47;
      let s = lt + (closing ? 2 : 1);
      let e = s;
      for (let c = b[e]; e < gt && c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 47; c = b[++e]) {
        if (c === 58) s = e + 1; // the local name, after a namespace prefix
      }
      if (closing) {
        this.stack.pop();
        if (this.inTxn && nameIs(b, s, e, TRANSACTION)) this.closeTransaction();
        p = gt + 1;
        continue;
      }
      const selfClosing = b[gt - 1] === 47;
      if (selfClosing) {
        p = gt + 1;
        continue;
      }
      if (this.stack[this.stack.length - 1] === 1) {
        const day = nameIs(b, s, e, BUSINESS_DAY);
        if (day || nameIs(b, s, e, BEGIN)) {
          const end = nextByte(b, gt + 1, n, 60);
          if (end >= n) return final ? n : lt;
          const text = b.toString('latin1', gt + 1, end).trim();
          if (day) this.day ??= text;
          else this.begin ??= text;
        }
      }
      const txn = nameIs(b, s, e, TRANSACTION);
      if (txn) {
        this.inTxn = true;
        this.day = null;
        this.begin = null;
      }
      this.stack.push(txn ? 1 : 0);
      p = gt + 1;
    }
  }

  private closeTransaction() {
    this.inTxn = false;
    const day = this.day ?? this.begin;
    const d = day ? readDate(Buffer.from(day, 'latin1'), 0, day.length) : null;
    if (!d) {
      this.unknown++;
      return;
    }
    this.add(d[0], d[1], d[2]);
    if (!this.day && this.begin && WITH_OFFSET.test(this.begin)) {
      // Read in the store's zone, the begin time may fall on the day before or after.
      for (const shift of [-1, 1]) {
        const other = new Date(Date.UTC(d[0], d[1] - 1, d[2] + shift));
        this.add(other.getUTCFullYear(), other.getUTCMonth() + 1, other.getUTCDate(), 0);
      }
    }
  }

  end() {
    if (this.carry) this.scan(this.carry, true);
    this.carry = null;
  }
}

/** Work between two yields to the event loop: a few milliseconds. */
const SLICE = 1024 * 1024;

/** Reads `input` to its end and returns the business months it holds. */
export async function findFileMonths(input: AsyncIterable<Buffer | string>, format: PosFormat): Promise<FileMonths> {
  const t0 = performance.now();
  const finder: Finder = format === 'csv' ? new CsvFinder() : format === 'ndjson' ? new JsonFinder() : new PosLogFinder();
  let bytes = 0;
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    bytes += chunk.length;
    for (let at = 0; at < chunk.length; at += SLICE) {
      finder.push(at === 0 && chunk.length <= SLICE ? chunk : chunk.subarray(at, at + SLICE));
      await yieldNow();
    }
  }
  finder.end();
  return { rows: finder.rows, days: finder.days, unknown: finder.unknown, bytes, ms: performance.now() - t0 };
}
