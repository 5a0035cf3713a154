import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFileMonths } from '../src/server/modules/pos/months.js';
import { PosLogReader } from '../src/server/modules/pos/poslog.js';
import { FIELDS } from '../src/server/modules/pos/scanner.js';

/**
 * The pre-pass that finds a POS file's business months before the import (so their partitions
 * exist before loading): it sees the dates where the scanner sees them, whatever the chunking.
 */

/** The text in chunks of `step` bytes (cuts inside quotes, dates, tags and line breaks). */
const chunks = (text: string | Buffer, step: number) =>
  (async function* () {
    const b = Buffer.from(text);
    for (let i = 0; i < b.length; i += step) yield b.subarray(i, i + step);
  })();
const monthsOf = async (text: string | Buffer, format: 'csv' | 'ndjson' | 'poslog', step: number) => [...(await findFileMonths(chunks(text, step), format)).rows.entries()];

describe('the business months of a POS file, before the import', () => {
  it('CSV: the business_day column wherever the header puts it; quotes, line breaks in quotes and CRLF are followed; malformed dates add no month', async () => {
    const csv = [
      'store,"Business Day",note\r\n',
      'A,2026-03-01,"a, quoted\nnote with ""2019-01-01"" and a line break"\r\n',
      'B,"2025-12-31",x\r\n',
      '\r\n',
      'C,2026-3-01,not a date\r\n',
      'D,2026-04-15,"y"\r\n',
      'E,2026-04-16',
    ].join('');
    for (const step of [1, 2, 3, 7, 1 << 20]) {
      expect(await monthsOf(csv, 'csv', step)).toEqual([
        ['2025-12-01', 1],
        ['2026-03-01', 1],
        ['2026-04-01', 2],
      ]);
      // And per day: the importer reads the stored keys of these days' store-days before the scan.
      expect([...(await findFileMonths(chunks(csv, step), 'csv')).days.entries()]).toEqual([
        ['2025-12-31', 1],
        ['2026-03-01', 1],
        ['2026-04-15', 1],
        ['2026-04-16', 1],
      ]);
    }
    // No business_day column: no months (the import refuses the header).
    expect(await monthsOf('store,day\nA,2026-03-01\n', 'csv', 4)).toEqual([]);
  });

  it('NDJSON: the business_day key of each line, not a key quoted inside a string value', async () => {
    const nd = ['{"store":"A","business_day":"2026-03-01"}', '{"details":"{\\"business_day\\":\\"2019-01-01\\"}", "business_day" : "2026-05-02"}', '{"business_day":"bad"}', '{"business_day":"2026-07-07"}'].join('\n');
    for (const step of [1, 5, 1 << 20]) {
      expect(await monthsOf(nd, 'ndjson', step)).toEqual([
        ['2026-03-01', 1],
        ['2026-05-01', 1],
        ['2026-07-01', 1],
      ]);
    }
  });

  it("POSLog: every month the reader finds in the vendors' files, and only those (a TransactionLink's day does not count)", async () => {
    const dir = path.join(__dirname, 'fixtures/pos');
    const files = ['poslog.xml', ...fs.readdirSync(path.join(dir, 'vendors')).filter((f) => f.endsWith('.xml')).map((f) => `vendors/${f}`)];
    const day = FIELDS.indexOf('business_day');
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(dir, file));
      const read = new Set<string>();
      const reader = new PosLogReader(
        (values) => values[day] && read.add(`${values[day].slice(0, 7)}-01`),
        () => {},
        () => 'UTC',
      );
      reader.write(bytes);
      reader.end();
      for (const step of [13, 1 << 20]) {
        const found = await findFileMonths(chunks(bytes, step), 'poslog');
        expect([...found.rows.keys()], file).toEqual([...read].sort());
        expect(found.unknown, file).toBe(0);
      }
    }
    // Without a BusinessDayDate the begin time tells; with a UTC offset, the days either side count too.
    const xml = `<POSLog xmlns="urn:x"><Transaction><TransactionLink><BusinessDayDate>2025-01-05</BusinessDayDate></TransactionLink>
      <BeginDateTime>2026-05-01T01:00:00-05:00</BeginDateTime></Transaction><!-- <Transaction><BusinessDayDate>2019-01-01</BusinessDayDate></Transaction> -->
      <Transaction><BusinessDayDate>2026-03-10</BusinessDayDate><BeginDateTime>2026-03-10T09:00:00</BeginDateTime></Transaction><Transaction/></POSLog>`;
    for (const step of [3, 1 << 20]) expect(await monthsOf(xml, 'poslog', step)).toEqual([['2026-03-01', 1], ['2026-04-01', 0], ['2026-05-01', 1]]);
  });
});
