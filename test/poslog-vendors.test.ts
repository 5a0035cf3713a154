import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PosLogReader, PosLogSyntaxError, type PosLogPlace } from '../src/server/modules/pos/poslog.js';
import { FIELDS } from '../src/server/modules/pos/scanner.js';
import { ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';

// Real POSLog exports of several vendors' systems (sources in test/fixtures/pos/vendors/SOURCES.md).
const VENDORS = path.resolve(import.meta.dirname, 'fixtures/pos/vendors');
const ZONES: Record<string, string> = { '9': 'America/Los_Angeles', '0610': 'Europe/London', '367': 'Europe/Lisbon', '502': 'Asia/Dubai', '645': 'America/Santiago' };

type Row = Record<(typeof FIELDS)[number], string | undefined>;

/** Reads a file in small chunks (as an upload arrives) and returns its rows, problems and skipped control records. */
function read(file: string, chunk = 997) {
  const rows: Array<Row & { place: PosLogPlace }> = [];
  const errors: Array<{ place: PosLogPlace; message: string }> = [];
  const reader = new PosLogReader(
    (values, place) => rows.push({ ...(Object.fromEntries(FIELDS.map((f, i) => [f, values[i]])) as Row), place }),
    (place, message) => errors.push({ place, message }),
    (code) => ZONES[code],
  );
  const buf = fs.readFileSync(path.join(VENDORS, file));
  for (let at = 0; at < buf.length; at += chunk) reader.write(buf.subarray(at, at + chunk));
  reader.end();
  return { rows, errors, skipped: reader.skippedControl };
}

const details = (r: Row) => JSON.parse(r.details ?? '{}') as { transactionId?: string; lines: Array<{ quantity: number; unit?: string; voided: boolean }>; tenders: Array<{ type: string; vendorType?: string }> };

describe('POSLog as vendors write it', () => {
  it('NCR ACS (US grocer): every transaction counted — 42 sales, 2 no-sales, 7 sign-on/off skipped', () => {
    const { rows, errors, skipped } = read('ncr-acs-us-grocer.xml');
    expect(errors).toEqual([]);
    expect(rows.filter((r) => r.type === 'sale')).toHaveLength(42);
    expect(rows.filter((r) => r.type === 'no_sale')).toHaveLength(2);
    expect(skipped).toBe(7);
    expect(rows.length + skipped).toBe(51);
    // No BeginDateTime anywhere: the start falls back to the end time.
    const first = rows[0];
    expect(first).toMatchObject({ store: '9', register: '31', transaction: '114', cashier_id: '91', cashier_name: 'FL 31', business_day: '2017-10-01', start: '2017-10-01T15:15:25', total: '20.45', tender: 'card', card_entry: 'swipe' });
    // Weighed lines (0.65 lb of guacamole) count once: 6 sale lines, not 5.65 items.
    expect(first.items).toBe('6');
    expect(details(first).lines.find((l) => l.quantity === 0.65)).toMatchObject({ unit: 'weight' });
    // NCR writes a line void as a second, negative line: the earlier line is marked voided.
    const withVoid = rows.filter((r) => r.line_voids !== '0');
    expect(withVoid.length).toBeGreaterThan(0);
    for (const r of withVoid) {
      const lines = details(r).lines;
      expect(lines.filter((l) => l.voided)).toHaveLength(Number(r.line_voids));
      expect(Number(r.items)).toBe(lines.filter((l) => !l.voided).length);
      expect(lines.every((l) => l.quantity > 0)).toBe(true);
    }
  });

  it('NCR ACS small file: a weighed single-line sale of 0.42 lb is one item', () => {
    const { rows, errors, skipped } = read('ncr-acs-us-grocer-small.xml', 64);
    expect(errors).toEqual([]);
    expect(skipped).toBe(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ items: '1', total: '1.07', start: '2017-10-01T02:02:54', business_day: '2017-09-30' });
  });

  it('Retalix POSLog 6.0 (UK grocer): store from BusinessUnit/UnitID, offset times in store time, TransactionID kept, operator 0610-9009', () => {
    const { rows, errors } = read('retalix-6.0-uk-grocer.xml');
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(1);
    const [r] = rows;
    // 15:21:49.3991907+01:00 in London in August (BST) is 15:21:49 local; the 7-digit fraction is dropped.
    expect(r).toMatchObject({ store: '0610', register: '140', transaction: '451', cashier_id: '0610-9009', business_day: '2016-08-22', start: '2016-08-22T15:21:49', end: '2016-08-22T15:21:54', total: '6.57', tender: 'cash', items: '3' });
    // Several Quantity elements per line (units, then kilograms): the first is the count.
    expect(details(r).transactionId).toBe('119EKZ37QD');
    expect(details(r).lines.map((l) => l.quantity)).toEqual([1, 1, 1]);
    // A cash tender keeps no card entry method even though its LineItem says "Tapped".
    expect(r.card_entry).toBeUndefined();
  });

  it('honours a UTC offset in the store time zone, whatever the offset written', () => {
    const xml = (time: string) =>
      `<POSLog xmlns="http://www.nrf-arts.org/IXRetail/v6.0.0/poslog"><Transaction><BusinessUnit><UnitID TypeCode="WebSite">web</UnitID></BusinessUnit><BusinessUnit><UnitID TypeCode="RetailStore">502</UnitID></BusinessUnit><WorkstationID>1</WorkstationID><SequenceNumber>7</SequenceNumber><OperatorID>42</OperatorID><RetailTransaction><LineItem><Sale><ItemID>1</ItemID><ExtendedAmount>2.00</ExtendedAmount><Quantity>1</Quantity></Sale><DateTime TypeCode="Transaction">${time}</DateTime></LineItem><Total TotalType="TransactionGrandAmount">2.00</Total></RetailTransaction></Transaction></POSLog>`;
    const rows: Row[] = [];
    for (const time of ['2018-07-14T10:25:04Z', '2018-07-14T12:25:04+02:00', '2018-07-14T06:25:04.1234567-04:00']) {
      const reader = new PosLogReader(
        (v) => rows.push(Object.fromEntries(FIELDS.map((f, i) => [f, v[i]])) as Row),
        () => {},
        (code) => ZONES[code],
      );
      reader.write(xml(time));
      reader.end();
    }
    // Dubai is UTC+4: all three are 14:25:04 local; the line time stands in for the missing BeginDateTime.
    expect(rows.map((r) => [r.store, r.start, r.business_day])).toEqual([
      ['502', '2018-07-14T14:25:04', '2018-07-14'],
      ['502', '2018-07-14T14:25:04', '2018-07-14'],
      ['502', '2018-07-14T14:25:04', '2018-07-14'],
    ]);
  });

  it('Wincor TP.net (Portugal): an empty till-open record is skipped; discount, keyed line and masked card read', () => {
    const { rows, errors, skipped } = read('wincor-tpnet-pt.xml');
    expect(errors).toEqual([]);
    expect(skipped).toBe(1);
    expect(rows).toHaveLength(1);
    // The keyed bag's price was replaced (0.60 → 0.50 for 2): an override of 0.20; the loyalty discount is 0.20.
    expect(rows[0]).toMatchObject({ store: '367', register: '10', transaction: '26', cashier_id: '19101573', cashier_name: 'Ana Filipa Silva', total: '34.99', items: '4', tender: 'card', manual_entries: '1', discount_amount: '0.20', price_overrides: '1', price_override_amount: '0.20' });
    // A masked PAN identifies no card.
    expect(rows[0].card_token).toBeUndefined();
  });

  it('Wincor TP.net (UAE): a void line pointing back (CreateRefNumber / ItemLink) voids the original; the approver is the manager', () => {
    const { rows, errors } = read('wincor-tpnet-ae.xml');
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ store: '502', items: '0', line_voids: '1', line_void_amount: '21.00', total: '0.00', manager_override: '112752' });
  });

  it('a POSLog without the ARTS namespace, with vendor totals and tenders (Chile)', () => {
    const { rows, errors } = read('no-namespace-cl.xml');
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ store: '645', items: '2', total: '128980.00', discount_amount: '7000.00', price_overrides: '0', tender: 'store_credit' });
    expect(details(rows[0]).tenders[0].vendorType).toBe('cDIN');
  });

  it('names the transaction, its sequence number and position when a document is one line', () => {
    const oneLine = '<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/"><Transaction><RetailStoreID>9</RetailStoreID><SequenceNumber>1</SequenceNumber><ControlTransaction><OperatorSignOn/></ControlTransaction></Transaction><Transaction><RetailStoreID>9</RetailStoreID><SequenceNumber>77</SequenceNumber><Mystery/></Transaction><Transaction><SequenceNumber>78</SequenceNumber><RetailTransaction><LineItem><Sale><ExtendedAmount>1';
    const errors: Array<{ place: PosLogPlace; message: string }> = [];
    const reader = new PosLogReader(() => {}, (place, message) => errors.push({ place, message }));
    reader.write(oneLine);
    expect(errors).toHaveLength(1);
    expect(errors[0].place.record).toMatch(/^transaction 2 \(sequence 77\), character \d+$/);
    let syntax: PosLogSyntaxError | undefined;
    try {
      reader.end();
    } catch (err) {
      syntax = err as PosLogSyntaxError;
    }
    expect(syntax).toBeInstanceOf(PosLogSyntaxError);
    expect(syntax!.record).toMatch(/^transaction 3 \(sequence 78\)/);
  });
});

describe('POSLog vendor files through the import', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await seededApp();
    admin = await signIn(t.app, ROLE_EMAILS.admin);
    for (const [code, timezone] of Object.entries(ZONES)) {
      const res = await t.app.inject({ method: 'POST', url: '/api/stores', headers: { cookie: admin }, payload: { code, name: `Store ${code}`, region: 'Imported', district: 'Imported', timezone, uplinkMbps: 100 } });
      expect(res.statusCode).toBe(201);
    }
  }, 120_000);
  afterAll(async () => t?.close());

  const upload = (file: string) =>
    t.app.inject({ method: 'POST', url: `/api/pos/imports?wait=true&filename=${file}`, headers: { cookie: admin, 'content-type': 'application/xml' }, payload: fs.readFileSync(path.join(VENDORS, file)) });

  it.each([
    ['ncr-acs-us-grocer.xml', 44],
    ['ncr-acs-us-grocer-small.xml', 1],
    ['retalix-6.0-uk-grocer.xml', 1],
    ['wincor-tpnet-pt.xml', 1],
    ['wincor-tpnet-ae.xml', 1],
    ['no-namespace-cl.xml', 1],
  ])('imports %s whole: %i transactions, no bad rows', async (file, expected) => {
    const res = await upload(file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'succeeded', format: 'poslog', rowsRead: expected, rowsInserted: expected, rowsInvalid: 0, unknownStores: [] });
  });

  it('lists an unknown store id with the transaction that names it', async () => {
    const xml = '<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/"><Transaction><BusinessUnit><UnitID>4711</UnitID></BusinessUnit><WorkstationID>1</WorkstationID><SequenceNumber>5</SequenceNumber><BusinessDayDate>2026-01-05</BusinessDayDate><EndDateTime>2026-01-05T10:00:00</EndDateTime><OperatorID>1</OperatorID><RetailTransaction><LineItem><Sale><ItemID>1</ItemID><ExtendedAmount>1.00</ExtendedAmount></Sale></LineItem><Total TotalType="TransactionGrandAmount">1.00</Total></RetailTransaction></Transaction></POSLog>';
    const res = await t.app.inject({ method: 'POST', url: '/api/pos/imports?wait=true', headers: { cookie: admin, 'content-type': 'application/xml' }, payload: xml });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.message).toBe('1 problem in 1 transaction (transaction 1 (sequence 5)); unknown store code 4711; nothing was imported');
    expect(error.problems).toEqual([{ line: 1, record: expect.stringMatching(/^transaction 1 \(sequence 5\), character \d+$/), field: 'store', message: 'unknown store code "4711"' }]);
  });
});
