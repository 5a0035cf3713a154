import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CSV_HEADER, generatePosCsv } from '../src/server/modules/pos/generator.js';
import { importStream } from '../src/server/modules/pos/importer.js';
import { generateScenario } from '../src/server/modules/pos/scenario.js';
import type { PosFormat } from '../src/contracts/pos.js';
import { seededApp, SYSTEM_ACTOR, type TestApp } from './context.js';

// The import derives the aggregates of store-days new to the database from the scanner's sums
// (derived.ts) and those of store-days that held data from SQL over their rows (refreshStoreDays).
// The same files imported both ways (POS_DERIVE=sql: every store-day in SQL) must leave the same
// aggregates, signals, store-day sums, flags, exceptions and scores, to the last column. A third
// import gives the importer each file again from its start (as uploads, folders and the CLI do): it
// reads the file's days first, and the store-days that hold data are summed from the scan and their
// stored rows instead of in SQL.

let inSql: TestApp;
let fromScan: TestApp;
let withDays: TestApp;

/** The stores the vendors' POSLog fixtures name, in their zones. */
const VENDOR_STORES: Record<string, string> = { '9': 'America/Los_Angeles', '0610': 'Europe/London', '367': 'Europe/Lisbon', '502': 'Asia/Dubai', '645': 'America/Santiago' };
const DAYS = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09'];

/** Rows the generators do not write: references across files and stores, odd text, times at the clock change, training, no end. */
function edgeCases(day: string, second: boolean) {
  const row = (f: Record<string, string | number>) =>
    [
      f.store ?? 'NE-101', f.register ?? '7', f.cashier ?? 'E1', f.name ?? 'Edge Case', f.txn, day, f.start ?? `${day}T10:00:00`, f.end ?? `${day}T10:03:20`, f.type ?? 'sale', f.total ?? '40.00',
      f.items ?? 2, 0, '0.00', 0, '0.00', f.discount ?? '0.00', f.employee ?? 'false', f.manual ?? 0, f.tender ?? 'card', f.entry ?? 'chip', f.token ?? '', f.original ?? '', f.override ?? '', f.afterTotal ?? 'false', f.gift ?? '0.00',
    ].join(',');
  const p = second ? 'B' : 'A';
  return [
    // A cash sale, then its refund to a card (and one to another card than the sale's) in the next file.
    row({ txn: `${p}1`, tender: 'cash', entry: '', token: '', total: '120.00' }),
    row({ txn: `${p}2`, token: 'tok_edge_1', total: '80.00' }),
    ...(second
      ? [
          row({ txn: 'R1', type: 'return', total: '-120.00', token: 'tok_edge_9', original: `NE-101/7/A1/${day}` }),
          row({ txn: 'R2', type: 'return', total: '-80.00', token: 'tok_edge_8', original: `NE-101/7/A2/${day}` }),
          row({ txn: 'R3', type: 'return', total: '-80.00', token: 'tok_edge_1', original: `ne-101/7/A2/${day}` }),
          row({ txn: 'R4', type: 'return', total: '-10.00', token: 'tok_edge_7', original: 'NE-101/7/A2/not-a-day' }),
          // A reference to a day that does not exist matches nothing (and does not stop the import).
          row({ txn: 'R5', type: 'return', total: '-10.00', token: 'tok_edge_6', original: 'NE-101/7/A2/2026-02-30' }),
          row({ txn: 'R6', type: 'return', total: '-10.00', token: 'tok_edge_6', original: 'NE-101/7/A2/2026-13-01' }),
        ]
      : []),
    // A refund soon after a sale to the same card by another cashier, and the same amount by the same one.
    row({ txn: `${p}3`, cashier: 'E2', token: 'tok_edge_2', total: '55.00', start: `${day}T11:00:00` }),
    row({ txn: `${p}4`, type: 'return', total: '-55.00', token: 'tok_edge_2', start: `${day}T11:05:00` }),
    row({ txn: `${p}5`, cashier: 'E3', tender: 'cash', entry: '', total: '33.00', start: `${day}T12:00:00` }),
    row({ txn: `${p}6`, cashier: 'E3', type: 'return', tender: 'card', total: '-33.00', token: 'tok_edge_3', start: `${day}T12:10:00` }),
    // Night work at the clock change (02:30 does not exist on 8 March in New York), a sale longer than an hour, one with no end.
    row({ txn: `${p}7`, start: `${day}T02:30:00`, end: `${day}T02:31:00` }),
    row({ txn: `${p}8`, start: `${day}T21:00:00`, end: `${day}T22:10:00` }),
    row({ txn: `${p}9`, start: `${day}T04:59:59`, end: '' }),
    // Training is kept out of the sums; gift cards voided; keyed card numbers; overrides; discounts.
    row({ txn: `${p}10`, type: 'training', total: '999.00' }),
    row({ txn: `${p}11`, type: 'void', total: '25.00', gift: '25.00', afterTotal: 'true' }),
    row({ txn: `${p}12`, type: 'post_void', total: '-600.00', gift: '50.00' }),
    row({ txn: `${p}13`, entry: 'keyed', total: '700.00', manual: 3, token: 'tok_edge_4' }),
    row({ txn: `${p}14`, discount: '5.00', token: 'tok_edge_5', override: 'MGR9' }),
    row({ txn: `${p}15`, discount: '7.00', employee: 'true', token: 'tok_edge_5' }),
    row({ txn: `${p}16`, type: 'no_sale', total: '0.00', tender: 'none', entry: '', start: `${day}T23:30:00` }),
    // Text that COPY must escape, and a register and a cashier code beyond ASCII.
    row({ txn: `${p}17`, cashier: 'E\\4', register: 'Kasse-ü', token: 'tok\\edge' }),
    row({ txn: `${p}18`, cashier: 'E\\4', register: 'Kasse-ü', type: 'return', total: '-12.00', token: 'tok\\edge' }),
  ];
}

function scenarioCsv(days: string[], seed: number) {
  const s = generateScenario({ stores: [{ code: 'NE-101' }, { code: 'NE-102' }, { code: 'MW-201' }], startDay: days[0], days: days.length, seed, scale: 0.5 });
  return [...s.transactions()].join('');
}

const files: Array<{ name: string; format: PosFormat; text: string; worker?: boolean }> = [];

async function importAll(t: TestApp, reopen = false) {
  for (const f of files) {
    const text = f.text;
    const read = async function* () {
      yield Buffer.from(text);
    };
    const result = await importStream(t.ctx, SYSTEM_ACTOR, read(), {
      source: 'cli', format: f.format, filename: f.name, skipInvalid: false, bytesTotal: f.worker ? null : Buffer.byteLength(text), ...(reopen ? { reopen: read } : {}),
    });
    expect(result.status, `${f.name}: ${result.message}`).toBe('succeeded');
    imported.set(`${t === withDays ? 'days' : t === fromScan ? 'scan' : 'sql'} ${f.name}`, `${result.rowsInserted} inserted, ${result.rowsDuplicate} duplicate`);
  }
}
const imported = new Map<string, string>();

beforeAll(async () => {
  // 1. A week of generated data with planted cashiers, and the edge cases of its first day.
  const week = [...generatePosCsv({ stores: [{ code: 'NE-101' }, { code: 'NE-102' }, { code: 'MW-201' }, { code: 'MW-202' }], rows: 6000, startDay: DAYS[0], days: 5, seed: 7 })].join('');
  files.push({ name: 'week.csv', format: 'csv', text: `${week.trimEnd()}\n${edgeCases(DAYS[0], false).join('\n')}\n` });
  // 2. The scenario's honest and dishonest people over eight days: the first five overlap file 1's
  //    store-days (derived in SQL), the rest are new (derived from the scan); through the scan worker.
  const scenario = scenarioCsv(DAYS, 11);
  files.push({ name: 'scenario.csv', format: 'csv', text: `${scenario.trimEnd()}\n${[...edgeCases(DAYS[6], false), ...edgeCases(DAYS[7], false)].join('\n')}\n`, worker: true });
  // 3. Refunds naming sales of earlier files, on new store-days and on store-days that hold data.
  const refunds = [CSV_HEADER, ...edgeCases(DAYS[0], true).map((r) => r.replace(DAYS[0], '2026-03-10')), ...edgeCases(DAYS[7], true)].join('\n');
  files.push({ name: 'refunds.csv', format: 'csv', text: `${refunds}\n` });
  // 4. The vendors' POSLog exports (weighed items, offset times, stores in other zones).
  const vendors = path.resolve(import.meta.dirname, 'fixtures/pos/vendors');
  for (const xml of fs.readdirSync(vendors).filter((f) => f.endsWith('.xml')).sort()) files.push({ name: xml, format: 'poslog', text: fs.readFileSync(path.join(vendors, xml), 'utf8') });

  // 5. A file re-sent with late transactions: half of file 1's rows again, and new ones in its store-days.
  const resent = week.trimEnd().split('\n');
  const late = [...generatePosCsv({ stores: [{ code: 'NE-101' }, { code: 'MW-202' }], rows: 800, startDay: DAYS[1], days: 2, seed: 99 })].join('').trimEnd().split('\n').slice(1).map((r) => r.replace(/,(\d+),(2026-03-\d\d),/, ',L$1,$2,'));
  files.push({ name: 'resent.csv', format: 'csv', text: `${[resent[0], ...resent.slice(1).filter((_, i) => i % 2 === 0), ...late, ...edgeCases(DAYS[1], true).slice(0, 2)].join('\n')}\n`, worker: true });

  inSql = await seededApp({}, {}, { pos: false });
  fromScan = await seededApp({}, {}, { pos: false });
  withDays = await seededApp({}, {}, { pos: false });
  for (const t of [inSql, fromScan, withDays]) {
    for (const [code, timezone] of Object.entries(VENDOR_STORES)) {
      await t.ctx.database.query(`insert into stores (id, code, name, region, district, timezone, uplink_mbps) values (gen_random_uuid(), $1, $2, 'Imported', 'Imported', $3, 100)`, [code, `Store ${code}`, timezone]);
    }
  }
  process.env.POS_DERIVE = 'sql';
  try {
    await importAll(inSql);
  } finally {
    delete process.env.POS_DERIVE;
  }
  await importAll(fromScan);
  await importAll(withDays, true);
}, 600_000);
afterAll(async () => {
  await inSql?.close();
  await fromScan?.close();
  await withDays?.close();
});

/** A table's rows with store codes for store ids, in a stable order. */
async function dump(t: TestApp, sql: string) {
  const { rows } = await t.ctx.database.query<Record<string, unknown>>(sql);
  return rows.map((r) => JSON.stringify(r)).sort();
}

const STORE = `(select code from stores s where s.id = x.store_id) as store`;
const TABLES: Record<string, string> = {
  pos_cashier_days: `select ${STORE}, x.* from pos_cashier_days x`,
  pos_cashier_day_signals: `select ${STORE}, x.* from pos_cashier_day_signals x`,
  pos_cashier_register_days: `select ${STORE}, x.* from pos_cashier_register_days x`,
  pos_cashier_card_days: `select ${STORE}, x.* from pos_cashier_card_days x`,
  pos_store_days: `select ${STORE}, x.* from pos_store_days x`,
  flags: `select ${STORE}, x.business_day, x.register, x.txn_number, x.flags from pos_transactions x where x.flags <> 0`,
  pos_exceptions: `select ${STORE}, x.kind, x.rule, x.rules, x.cashier_code, x.amount_cents, x.summary, x.occurred_at, x.period, x.period_start, x.score, x.status,
      t.business_day, t.register, t.txn_number from pos_exceptions x left join pos_transactions t on t.id = x.transaction_id`,
  pos_scores: `select ${STORE}, x.cashier_code, x.period, x.period_start, x.score, x.band from pos_scores x`,
};

const strip = (rows: string[]) => rows.map((r) => r.replace(/"store_id":"[0-9a-f-]+",?/g, '').replace(/"(created_at|updated_at)":"[^"]*",?/g, ''));

it.each(Object.keys(TABLES))('%s: the same whether derived from the scan or in SQL', async (table) => {
  const a = strip(await dump(inSql, TABLES[table]));
  const b = strip(await dump(fromScan, TABLES[table]));
  expect(a.length, `${table} is empty: the test data does not reach it`).toBeGreaterThan(0);
  expect(b).toEqual(a);
  expect(strip(await dump(withDays, TABLES[table])), 'with the file read twice').toEqual(a);
});

it('counts the same inserted and duplicate rows each way', () => {
  for (const f of files) {
    expect(imported.get(`scan ${f.name}`), f.name).toBe(imported.get(`sql ${f.name}`));
    expect(imported.get(`days ${f.name}`), f.name).toBe(imported.get(`sql ${f.name}`));
  }
  expect(imported.get('sql resent.csv')).toMatch(/^[1-9]\d* inserted, [1-9]\d* duplicate$/);
});

it('the files reach both paths and every signal', async () => {
  const { rows } = await fromScan.ctx.database.query<Record<string, number>>(
    `select sum(refund_other_card_count)::int as other_card, sum(refund_cash_sale_to_card_count)::int as cash_sale, sum(gift_void_count)::int as gift_void,
            sum(timed_sale_count)::int as timed, sum(night_count)::int as night, sum(discount_count)::int as discount, sum(manual_item_count)::int as manual
       from pos_cashier_day_signals`,
  );
  for (const [k, v] of Object.entries(rows[0])) expect(v, k).toBeGreaterThan(0);
  const [{ n }] = (await fromScan.ctx.database.query<{ n: number }>(`select count(*)::int as n from pos_transactions where flags & 32 <> 0`)).rows;
  expect(n).toBeGreaterThan(0);
});
