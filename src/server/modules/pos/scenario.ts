/**
 * A realistic month and a bit of POS data with the truth kept apart, for evaluating detection
 * (`npm run bench -- detection`, `tandem demo pos --scenario`): stores that differ, a service desk,
 * managers, self-checkout supervisors, trainees, part-timers with 10–40 transactions, night closers,
 * honest spread between people, a broken card reader for two weeks, a holiday with its returns, and
 * one planted dishonest cashier per pattern (16 patterns), most of them at 1.5–3× the honest rate.
 */
import { CSV_HEADER } from './generator.js';

export const DISHONEST_PATTERNS = [
  'refund_own_card',
  'desk_refund_own_card',
  'refund_other_card',
  'cash_sale_refund_card',
  'pass_through',
  'low_value_scan',
  'void_after_total',
  'post_void',
  'no_sale',
  'gift_card_void',
  'discount_same_card',
  'price_override',
  'manual_entry',
  'refund_no_receipt_cash',
  'employee_discount',
  'line_void',
] as const;
export type DishonestPattern = (typeof DISHONEST_PATTERNS)[number];
export type PersonKind = 'lane' | 'desk' | 'manager' | 'supervisor' | 'trainee' | 'part_time' | 'night';

export interface ScenarioOptions {
  stores: Array<{ code: string }>;
  startDay: string;
  days?: number;
  seed: number;
  /** Scales the number of lane cashiers per store (1 = about 12). */
  scale?: number;
}
export interface ScenarioTruth {
  seed: number;
  startDay: string;
  days: number;
  dishonest: Array<{ store: string; code: string; name: string; pattern: DishonestPattern; factor: number; kind: PersonKind }>;
  /** Honest people whose numbers are unusual for a good reason. */
  unusual: Array<{ store: string; code: string; kind: PersonKind | 'broken_reader' }>;
  brokenReader: { store: string; register: string; from: string; to: string };
  holiday: string;
}
export interface Scenario {
  /** Tandem CSV of the transactions, in chunks. */
  transactions: () => Generator<string>;
  /** The POS operator list (store, cashier_id, name, role, hire_date). */
  operators: string;
  truth: ScenarioTruth;
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const FIRST = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Casey', 'Morgan', 'Riley', 'Jamie', 'Avery', 'Quinn', 'Drew', 'Parker', 'Reese', 'Skyler', 'Cameron', 'Rowan', 'Emerson', 'Hayden', 'Kendall', 'Logan', 'Noor', 'Mateo', 'Priya', 'Wen'];
const LAST = ['Garcia', 'Smith', 'Nguyen', 'Johnson', 'Brown', 'Lopez', 'Miller', 'Davis', 'Wilson', 'Moore', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Okafor', 'Singh'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const money = (cents: number) => (cents / 100).toFixed(2);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

/** Honest per-transaction probabilities of a lane cashier; people and stores multiply them. */
const BASE = {
  return: 0.025,
  receipt: 0.7,
  postVoid: 0.003,
  noSale: 0.01,
  void: 0.012,
  afterTotal: 0.3,
  lineVoid: 0.06,
  override: 0.02,
  employee: 0.012,
  manual: 0.01,
  gift: 0.01,
  coupon: 0.04,
  keyed: 0.03,
  managerOverride: 0.3,
  cashRefund: 0.3,
};
type Rates = { -readonly [K in keyof typeof BASE]: number };
const RATE_KEYS = Object.keys(BASE) as (keyof Rates)[];

interface Person {
  code: string;
  name: string;
  store: number;
  kind: PersonKind;
  role: 'cashier' | 'supervisor' | 'manager';
  hireDate: string | null;
  home: string;
  perDay: number;
  workDays: Set<number>;
  rates: Rates;
  /** Seconds per scanned item. */
  pace: number;
  token: string;
  friendToken: string;
  pattern: DishonestPattern | null;
  factor: number;
}

export function generateScenario(o: ScenarioOptions): Scenario {
  const rnd = mulberry32(o.seed);
  const days = o.days ?? 35;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const lognormal = (sigma: number) => Math.exp(sigma * normal() - (sigma * sigma) / 2);
  const between = (a: number, b: number) => a + rnd() * (b - a);
  const lanesPerStore = Math.max(3, Math.round(12 * (o.scale ?? 1)));
  const holidayIdx = 14 + Math.floor(rnd() * 7);
  const people: Person[] = [];
  const storeMult = o.stores.map(() => Object.fromEntries(RATE_KEYS.map((k) => [k, lognormal(0.25)])) as Rates);
  const storeRegisters = o.stores.map(() => 3 + Math.floor(rnd() * 4));

  const makePerson = (store: number, kind: PersonKind, idx: number): Person => {
    const rates = Object.fromEntries(RATE_KEYS.map((k) => [k, BASE[k] * storeMult[store][k] * lognormal(kind === 'part_time' ? 0.3 : 0.2)])) as Rates;
    const lanes = storeRegisters[store];
    let home = String(1 + (idx % lanes));
    let perDay = Math.round(between(28, 45));
    let role: Person['role'] = 'cashier';
    let hireDate: string | null = addDays(o.startDay, -Math.floor(between(120, 2000)));
    let pace = between(3.2, 4.8);
    const workDays = new Set<number>();
    for (let d = 0; d < days; d++) if (rnd() < 0.68) workDays.add(d);
    switch (kind) {
      case 'desk':
        home = 'SD';
        perDay = Math.round(between(25, 35));
        rates.return = between(0.3, 0.4);
        rates.receipt = 0.88;
        rates.managerOverride = 0.15;
        break;
      case 'manager':
        role = 'manager';
        perDay = Math.round(between(8, 15));
        rates.postVoid *= 3;
        rates.noSale *= 2.5;
        rates.override *= 3;
        rates.void *= 2;
        rates.managerOverride = 0.9;
        break;
      case 'supervisor':
        role = 'supervisor';
        home = 'SCO';
        perDay = Math.round(between(30, 45));
        rates.void *= 3;
        rates.lineVoid *= 3;
        rates.override *= 2;
        pace *= 1.4;
        break;
      case 'trainee':
        hireDate = addDays(o.startDay, Math.floor(between(-10, 12)));
        rates.lineVoid *= 3;
        rates.void *= 2.5;
        rates.manual *= 2;
        rates.override *= 2;
        pace *= 1.6;
        break;
      case 'part_time':
        workDays.clear();
        perDay = Math.round(between(5, 14));
        for (let d = 0; d < Math.max(1, Math.round(between(10, 40) / perDay)); d++) workDays.add(Math.floor(rnd() * days));
        break;
      case 'night':
        perDay = Math.round(between(18, 28));
        rates.noSale *= 2;
        rates.void *= 1.5;
        rates.postVoid *= 1.5;
        break;
      default:
        break;
    }
    if (kind === 'trainee') for (const d of [...workDays]) if (addDays(o.startDay, d) < hireDate!) workDays.delete(d);
    return {
      code: `${store + 1}${pad(idx + 1, 3)}`,
      name: `${pick(FIRST)} ${pick(LAST)}`,
      store,
      kind,
      role,
      hireDate,
      home,
      perDay,
      workDays,
      rates,
      pace,
      token: `tok_${Math.floor(rnd() * 36 ** 6).toString(36)}`,
      friendToken: `tok_${Math.floor(rnd() * 36 ** 6).toString(36)}`,
      pattern: null,
      factor: 1,
    };
  };

  o.stores.forEach((_, si) => {
    const kinds: PersonKind[] = [
      ...Array<PersonKind>(lanesPerStore).fill('lane'),
      'desk',
      'desk',
      'manager',
      ...(rnd() < 0.5 ? (['manager'] as PersonKind[]) : []),
      'supervisor',
      'trainee',
      ...(rnd() < 0.6 ? (['trainee'] as PersonKind[]) : []),
      'part_time',
      'part_time',
      'part_time',
      'part_time',
      'night',
      'night',
    ];
    kinds.forEach((k, i) => people.push(makePerson(si, k, i)));
  });

  // One dishonest person per pattern, in shuffled stores; most at 1.5–3× the honest rate.
  const lanes = people.filter((p) => p.kind === 'lane');
  const desks = people.filter((p) => p.kind === 'desk');
  const used = new Set<Person>();
  for (const pattern of DISHONEST_PATTERNS) {
    const pool = pattern === 'desk_refund_own_card' ? desks : lanes;
    const free = pool.filter((x) => !used.has(x));
    if (!free.length) break;
    // Spread over the stores: a store gets a second dishonest person only when every store has one.
    const fresh = free.filter((x) => ![...used].some((u) => u.store === x.store));
    const p = pick(fresh.length ? fresh : free);
    used.add(p);
    p.pattern = pattern;
    p.factor = Math.round(between(1.5, 3) * 10) / 10;
  }

  const brokenStore = Math.floor(rnd() * o.stores.length);
  const brokenRegister = '2';
  const brokenFrom = 8 + Math.floor(rnd() * 10);
  const truth: ScenarioTruth = {
    seed: o.seed,
    startDay: o.startDay,
    days,
    dishonest: people.filter((p) => p.pattern).map((p) => ({ store: o.stores[p.store].code, code: p.code, name: p.name, pattern: p.pattern!, factor: p.factor, kind: p.kind })),
    unusual: [
      ...people.filter((p) => !p.pattern && ['desk', 'manager', 'supervisor', 'trainee', 'night'].includes(p.kind)).map((p) => ({ store: o.stores[p.store].code, code: p.code, kind: p.kind })),
      ...people.filter((p) => !p.pattern && p.store === brokenStore && p.kind === 'lane' && p.home === brokenRegister).map((p) => ({ store: o.stores[p.store].code, code: p.code, kind: 'broken_reader' as const })),
    ],
    brokenReader: { store: o.stores[brokenStore].code, register: brokenRegister, from: addDays(o.startDay, brokenFrom), to: addDays(o.startDay, brokenFrom + 13) },
    holiday: addDays(o.startDay, holidayIdx),
  };

  const operators = [
    'store,cashier_id,name,role,hire_date',
    ...people.filter((p) => p.kind !== 'part_time' || rnd() < 0.5).map((p) => `${o.stores[p.store].code},${p.code},${p.name},${p.role},${p.hireDate ?? ''}`),
  ].join('\n');

  function* transactions(): Generator<string> {
    const g = mulberry32(o.seed * 7919 + 17);
    const r = () => g();
    const itemValue = () => Math.round(300 + r() * r() * 4000 + r() * 900);
    yield `${CSV_HEADER}\n`;
    let lines: string[] = [];
    const sales: Array<Array<{ ref: string; total: number; token: string; tender: string }>> = o.stores.map(() => []);
    for (let d = 0; d < days; d++) {
      const day = addDays(o.startDay, d);
      const volume = d === holidayIdx ? 1.8 : 1;
      const returnBoost = d === holidayIdx + 1 || d === holidayIdx + 2 ? 2.5 : 1;
      for (let si = 0; si < o.stores.length; si++) {
        const store = o.stores[si].code;
        const seq = new Map<string, number>();
        const staff = people.filter((p) => p.store === si && p.workDays.has(d));
        for (const p of staff) {
          // Lane cashiers work another lane on some days (so a register's fault shows across people).
          const reg = p.kind === 'lane' && r() < 0.35 ? String(1 + Math.floor(r() * storeRegisters[si])) : p.home;
          const n = Math.round(p.perDay * volume * between(0.8, 1.2));
          const f = p.factor;
          const pat = p.pattern;
          const rate = { ...p.rates };
          rate.return *= returnBoost;
          if (pat === 'void_after_total') {
            rate.afterTotal = Math.min(0.95, rate.afterTotal * f);
            rate.void *= 1 + (f - 1) * 0.3;
          }
          if (pat === 'post_void') rate.postVoid *= f;
          if (pat === 'no_sale') rate.noSale *= f;
          if (pat === 'price_override') rate.override *= f;
          if (pat === 'manual_entry') rate.manual *= f * 1.5;
          if (pat === 'employee_discount') rate.employee *= f;
          if (pat === 'line_void') rate.lineVoid *= f;
          if (pat === 'refund_no_receipt_cash') {
            rate.return *= 1 + (f - 1) * 0.5;
            rate.receipt *= 0.6;
            rate.cashRefund = Math.min(0.9, rate.cashRefund * f);
          }
          for (let i = 0; i < n; i++) {
            const num = (seq.get(reg) ?? 0) + 1;
            seq.set(reg, num);
            const night = p.kind === 'night';
            const minute = night ? 21 * 60 + Math.floor(r() * 175) : 8 * 60 + Math.floor(r() * 12.5 * 60);
            const second = Math.floor(r() * 60);
            const x = r();
            let acc = 0;
            let type = 'sale';
            for (const [t, pr] of [['return', rate.return], ['post_void', rate.postVoid], ['no_sale', rate.noSale], ['void', rate.void], ['paid_out', 0.002]] as const) {
              acc += pr;
              if (x < acc) {
                type = t;
                break;
              }
            }
            let items = 0;
            let total = 0;
            let lineVoids = 0;
            let lineVoidAmount = 0;
            let overrides = 0;
            let overrideAmount = 0;
            let discount = 0;
            let employee = false;
            let manual = 0;
            let tender = 'none';
            let entry = '';
            let token = '';
            let original = '';
            let manager = '';
            let afterTotal = false;
            let gift = 0;
            let seconds = 20;
            if (type === 'sale' || type === 'void' || type === 'post_void') {
              items = 1 + Math.floor(-Math.log(1 - r()) * 4);
              const scale = pat === 'low_value_scan' ? 1 / (1 + (f - 1) * 0.35) : 1;
              for (let k = 0; k < items; k++) total += Math.round(itemValue() * scale);
              seconds = 25 + items * p.pace * between(0.7, 1.3);
              // Pass-through: some items leave unscanned; the time at the register stays.
              if (pat === 'pass_through' && r() < 0.2 * f && items > 1) {
                const passed = Math.max(1, Math.round(items * 0.5));
                total = Math.round((total * (items - passed)) / items);
                items -= passed;
              }
              if (r() < rate.lineVoid) {
                lineVoids = r() < 0.2 ? 2 : 1;
                for (let k = 0; k < lineVoids; k++) lineVoidAmount += itemValue();
                seconds += 8 * lineVoids;
              }
              if (r() < rate.override) {
                overrides = 1;
                overrideAmount = Math.round(total * 0.2);
                total -= overrideAmount;
                if (r() < rate.managerOverride) manager = `M${100 + Math.floor(r() * 5)}`;
              }
              if (r() < rate.employee) {
                employee = true;
                discount = Math.round(total * 0.15);
                total -= discount;
              }
              if (r() < rate.manual) manual = 1 + (pat === 'manual_entry' && r() < 0.5 ? 1 : 0);
              if (r() < rate.gift) gift = 2500 * (1 + Math.floor(r() * 4));
              total += gift;
              const t = r();
              tender = t < 0.25 ? 'cash' : t < 0.9 ? 'card' : t < 0.94 ? 'gift' : t < 0.96 ? 'store_credit' : 'mixed';
              if (pat === 'post_void' && type === 'post_void') tender = 'cash';
              if (tender === 'card' || tender === 'mixed') {
                const broken = si === brokenStore && reg === brokenRegister && d >= brokenFrom && d < brokenFrom + 14;
                const e = r();
                entry = broken && r() < 0.6 ? 'keyed' : e < rate.keyed ? 'keyed' : e < 0.6 ? 'chip' : e < 0.9 ? 'tap' : 'swipe';
                token = `tok_${Math.floor(r() * 36 ** 6).toString(36)}`;
              }
              if (type === 'sale' && !employee && r() < rate.coupon) discount += Math.round(total * 0.1);
              if (pat === 'discount_same_card' && type === 'sale' && r() < 0.03 * f) {
                tender = 'card';
                entry = 'tap';
                token = p.friendToken;
                discount += Math.round(total * 0.25);
                total -= Math.round(total * 0.25);
              }
              if (type === 'void') afterTotal = r() < rate.afterTotal;
              if (type === 'post_void' && !manager) manager = r() < 0.6 ? `M${100 + Math.floor(r() * 5)}` : '';
              if (type === 'sale') {
                const log = sales[si];
                log.push({ ref: `${store}/${reg}/${num}/${day}`, total, token, tender });
                if (log.length > 400) log.splice(0, log.length - 400);
              }
            } else if (type === 'return') {
              const log = sales[si];
              const receipt = r() < rate.receipt && log.length > 0;
              const orig = receipt ? log[Math.floor(r() * log.length)] : undefined;
              items = 1 + Math.floor(r() * 2);
              if (orig) {
                original = orig.ref;
                total = -Math.min(orig.total || itemValue(), itemValue() * items);
                tender = orig.tender === 'card' || orig.tender === 'mixed' ? 'card' : 'cash';
                if (tender === 'card') token = orig.token || `tok_${Math.floor(r() * 36 ** 6).toString(36)}`;
              } else {
                for (let k = 0; k < items; k++) total -= itemValue();
                tender = r() < rate.cashRefund ? 'cash' : 'card';
                if (tender === 'card') token = `tok_${Math.floor(r() * 36 ** 6).toString(36)}`;
              }
              if (tender === 'card') entry = 'chip';
              if (r() < rate.managerOverride) manager = `M${100 + Math.floor(r() * 5)}`;
              seconds = 60 + r() * 120;
            } else if (type === 'no_sale') {
              seconds = 5;
            } else {
              total = -(500 + Math.floor(r() * 5000));
              tender = 'cash';
            }
            lines.push(row(store, reg, p, num, day, minute, second, seconds, type, total, items, lineVoids, lineVoidAmount, overrides, overrideAmount, discount, employee, manual, tender, entry, token, original, manager, afterTotal, gift));
            // The dishonest extras, on top of the honest work.
            const extra = (t: string, tot: number, ten: string, tok: string, orig: string, giftC = 0, it = 1) => {
              const nn = (seq.get(reg) ?? 0) + 1;
              seq.set(reg, nn);
              lines.push(row(store, reg, p, nn, day, minute, (second + 30) % 60, 60, t, tot, it, 0, 0, 0, 0, 0, false, 0, ten, ten === 'card' ? 'chip' : '', tok, orig, '', t === 'void', giftC));
            };
            const extraP = BASE.return * (f - 1);
            if ((pat === 'refund_own_card' || pat === 'desk_refund_own_card') && r() < (pat === 'desk_refund_own_card' ? 0.012 * f : extraP)) extra('return', -(1500 + Math.floor(r() * 4000)), 'card', p.token, '');
            if (pat === 'refund_other_card' && r() < extraP && sales[si].length) {
              const o2 = sales[si].filter((s) => s.tender === 'card');
              const orig = o2.length ? o2[Math.floor(r() * o2.length)] : undefined;
              if (orig) extra('return', -Math.min(orig.total, 5000), 'card', p.token, orig.ref);
            }
            if (pat === 'cash_sale_refund_card' && r() < extraP && sales[si].length) {
              const o2 = sales[si].filter((s) => s.tender === 'cash');
              const orig = o2.length ? o2[Math.floor(r() * o2.length)] : undefined;
              if (orig) extra('return', -Math.min(orig.total, 5000), 'card', p.token, orig.ref);
            }
            if (pat === 'gift_card_void' && r() < 0.0025 * f) extra('void', 5000, 'none', '', '', 5000);
          }
          if (lines.length >= 2000) {
            yield `${lines.join('\n')}\n`;
            lines = [];
          }
        }
      }
    }
    if (lines.length) yield `${lines.join('\n')}\n`;
  }

  function row(
    store: string, reg: string, p: Person, num: number, day: string, minute: number, second: number, seconds: number, type: string, total: number, items: number,
    lineVoids: number, lineVoidAmount: number, overrides: number, overrideAmount: number, discount: number, employee: boolean, manual: number, tender: string,
    entry: string, token: string, original: string, manager: string, afterTotal: boolean, gift: number,
  ) {
    const startSec = minute * 60 + second;
    const endSec = Math.min(startSec + Math.round(seconds), 24 * 3600 - 1);
    const hms = (s: number) => `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
    return `${store},${reg},${p.code},${p.name},${num},${day},${day}T${hms(startSec)},${day}T${hms(endSec)},${type},${money(total)},${items},${lineVoids},${money(lineVoidAmount)},${overrides},${money(overrideAmount)},${money(discount)},${employee},${manual},${tender},${entry},${token},${original},${manager},${afterTotal},${money(gift)}`;
  }

  return { transactions, operators, truth };
}
