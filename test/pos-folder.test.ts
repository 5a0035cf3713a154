import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../src/server/modules/pos/folder.js';
import { ROLE_EMAILS, seededApp, signIn, type TestApp } from './context.js';

const HEADER = 'store,register,cashier_id,cashier_name,transaction,business_day,start,end,type,total,items,tender,card_entry,card_token,original_transaction';
const csv = (day: string, n: number) => `${HEADER}\n${Array.from({ length: n }, (_, i) => `NE-101,2,2101,Sam Ortiz,F${day}-${i + 1},${day},${day}T1${i % 10}:00:00,,sale,${5 + i}.00,1,cash,,,`).join('\n')}\n`;

let t: TestApp;
let admin: string;
let dir: string;

beforeAll(async () => {
  t = await seededApp();
  admin = await signIn(t.app, ROLE_EMAILS.admin);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-pos-folder-'));
}, 120_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('POS import folder', () => {
  it('imports two good files, fails a bad one with its errors readable in the app, and leaves nothing behind', async () => {
    fs.writeFileSync(path.join(dir, '2026-04-01.csv'), csv('2026-04-01', 12));
    fs.writeFileSync(path.join(dir, '2026-04-02.csv'), csv('2026-04-02', 8));
    fs.writeFileSync(path.join(dir, '2026-04-03.csv'), `${HEADER}\nNE-101,2,2101,Sam Ortiz,X1,2026-04-03,not-a-time,,sale,5.00,1,cash,,,\n`);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a POS file');
    fs.writeFileSync(path.join(dir, 'late.csv.part'), 'still arriving');
    const mailsBefore = (await t.ctx.database.query<{ n: number }>(`select count(*)::int as n from mail_messages where kind = 'pos_import_failed'`)).rows[0].n;

    const results = await importFolder(t.ctx, dir, { settleMs: 0 });
    expect(results.map((r) => [r.file, r.status])).toEqual([
      ['2026-04-01.csv', 'succeeded'],
      ['2026-04-02.csv', 'succeeded'],
      ['2026-04-03.csv', 'failed'],
    ]);
    // Moved out of the folder: done, failed (with an errors file), nothing left in processing.
    expect(fs.readdirSync(path.join(dir, 'done'))).toHaveLength(2);
    const failed = fs.readdirSync(path.join(dir, 'failed')).sort();
    expect(failed).toHaveLength(2);
    expect(fs.readFileSync(path.join(dir, 'failed', failed.find((f) => f.endsWith('.errors.txt'))!), 'utf8')).toMatch(/line 2 start: must be a local time/);
    expect(fs.readdirSync(path.join(dir, 'processing'))).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual(['done', 'failed', 'late.csv.part', 'notes.txt', 'processing']);

    // The app lists all three with their source; the failed one keeps its errors.
    const list = (await t.app.inject({ method: 'GET', url: '/api/pos/imports?limit=10', headers: { cookie: admin } })).json();
    const folder = list.items.filter((i: { source: string }) => i.source === 'folder');
    expect(folder).toHaveLength(3);
    const bad = results[2];
    const detail = (await t.app.inject({ method: 'GET', url: `/api/pos/imports/${bad.importId}`, headers: { cookie: admin } })).json();
    expect(detail).toMatchObject({ status: 'failed', filename: '2026-04-03.csv', source: 'folder' });
    expect(detail.errors).toEqual([expect.objectContaining({ line: 2, field: 'start' })]);
    // LP leads (and admins) were mailed about the failure, once each.
    const mails = (await t.ctx.database.query<{ n: number }>(`select count(*)::int as n from mail_messages where kind = 'pos_import_failed'`)).rows[0].n;
    expect(mails - mailsBefore).toBeGreaterThan(0);
    const leadRows = await t.ctx.database.query<{ n: number }>(
      `select count(*)::int as n from people p left join departments d on d.id = p.department_id where p.active and (p.role = 'admin' or (p.role = 'lead' and d.kind = 'lp'))`,
    );
    expect(mails - mailsBefore).toBe(leadRows.rows[0].n);
    const rows = (await t.ctx.database.query<{ n: number }>(`select count(*)::int as n from pos_transactions where txn_number like 'F2026-04-0%'`)).rows[0].n;
    expect(rows).toBe(20);
  });

  it('imports each file once when two runs race over one folder, and a file still being written waits', async () => {
    fs.writeFileSync(path.join(dir, 'race.csv'), csv('2026-04-05', 5));
    fs.writeFileSync(path.join(dir, 'fresh.csv'), csv('2026-04-06', 5));
    const [a, b] = await Promise.all([importFolder(t.ctx, dir, { settleMs: 0 }), importFolder(t.ctx, dir, { settleMs: 0 })]);
    const all = [...a, ...b].filter((r) => r.file === 'race.csv');
    expect(all).toHaveLength(1);
    expect(all[0].status).toBe('succeeded');
    // A file modified a moment ago is left for the next run.
    fs.writeFileSync(path.join(dir, 'arriving.csv'), csv('2026-04-07', 5));
    const later = await importFolder(t.ctx, dir, { settleMs: 60_000 });
    expect(later.map((r) => r.file)).not.toContain('arriving.csv');
    expect(fs.existsSync(path.join(dir, 'arriving.csv'))).toBe(true);
  });

  it('puts a file back whose importer died, once its lease has run out', async () => {
    const stuck = path.join(dir, 'processing', 'stuck.csv');
    fs.writeFileSync(stuck, csv('2026-04-08', 3));
    const old = new Date(Date.now() - 11 * 60_000);
    fs.utimesSync(stuck, old, old);
    const results = await importFolder(t.ctx, dir, { settleMs: 0 });
    expect(results.find((r) => r.file === 'stuck.csv')?.status).toBe('succeeded');
  });
});
