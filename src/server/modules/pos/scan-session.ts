import type { PosFormat, PosSettings } from '../../../contracts/pos.js';
import { PosLogReader, PosLogSyntaxError } from './poslog.js';
import { LineSplitter, LineTooLongError, RowEncoder, type ScanResult, type ScanStore } from './scanner.js';

/** What stops a scan before the end of the file (nothing is imported then). */
export type ScanFatal = { kind: 'xml' | 'line' | 'header'; message: string };

export interface ScanSessionOptions {
  importId: string;
  stores: ScanStore[];
  /** storeIndex * 1e6 + day number of the store-days that hold data (their rows are staged). */
  existing: number[];
  /**
   * Store-days that hold data and whose stored keys are given to the encoder before the scan
   * (`enc.alreadyStored`): their rows are checked against those keys here and loaded with the new
   * store-days' rows, not staged.
   */
  knownStoreDays?: number[];
  settings: PosSettings;
  format: PosFormat;
}

/**
 * One file's scan: the byte-level CSV/NDJSON scanner or the POSLog reader feeding a RowEncoder, fed
 * in slices. Synchronous and free of I/O, so that it runs on the main thread (small files) or in a
 * worker thread (scan-worker.ts) alike, with the same results and the same problems.
 */
export class ScanSession {
  readonly enc: RowEncoder;
  fatal: ScanFatal | null = null;
  private readonly poslog: PosLogReader | null;
  private readonly splitter: LineSplitter | null;

  constructor(private readonly options: ScanSessionOptions) {
    const { importId, stores, existing, knownStoreDays, settings, format } = options;
    const knownDays = new Set(knownStoreDays);
    const enc = (this.enc = new RowEncoder(importId, stores, new Set(existing.filter((d) => !knownDays.has(d))), settings));
    const storeZones = new Map(stores.map((s) => [s.code.toLowerCase(), s.timezone]));
    this.poslog =
      format === 'poslog'
        ? new PosLogReader(
            (values, place) => enc.addValues(values, place.line, place.record),
            (place, message) => enc.fileProblem(place.line, undefined, message, place.record),
            (code) => storeZones.get(code.toLowerCase()),
          )
        : null;
    this.splitter = this.poslog
      ? null
      : new LineSplitter(format === 'csv', format === 'csv' ? (b, s, e, line) => enc.csvLine(b, s, e, line) : (b, s, e, line) => enc.jsonLine(b, s, e, line));
  }

  get result(): ScanResult {
    return this.enc.result;
  }

  /** Scans one slice; false once the scan has stopped (see `fatal`). */
  push(slice: Buffer): boolean {
    if (this.fatal) return false;
    this.guard(() => {
      if (this.poslog) this.poslog.write(slice);
      else this.splitter!.push(slice);
    });
    const res = this.enc.result;
    if (!this.fatal && this.options.format === 'csv' && res.errorTotal > 0 && res.rowsRead === 0 && res.problems.some((p) => p.line === 1)) {
      this.fatal = { kind: 'header', message: 'The header line is missing required columns; nothing was imported' };
    }
    return !this.fatal;
  }

  /** The end of the input. */
  end() {
    if (this.fatal) return;
    this.guard(() => {
      if (this.poslog) this.poslog.end();
      else this.splitter!.end();
    });
  }

  private guard(fn: () => void) {
    try {
      fn();
    } catch (err) {
      if (err instanceof PosLogSyntaxError) {
        this.enc.fileProblem(err.line, undefined, `not well-formed XML: ${err.message}`, err.record);
        this.fatal = { kind: 'xml', message: 'The file is not well-formed XML; nothing was imported' };
      } else if (err instanceof LineTooLongError) {
        this.enc.fileProblem(err.line, undefined, err.message);
        this.fatal = { kind: 'line', message: `The file is refused: ${err.message}; nothing was imported` };
      } else throw err;
    }
  }
}
