/**
 * Deterministic POS data in the Tandem CSV format (seeded PRNG): for the demo workspace, for
 * `tandem demo pos --rows N` and for the bench. A few planted dishonest cashiers stand out:
 * one refund-heavy, one sweethearting (low average item value, many line voids), one heavy on
 * no-sales and post-voids.
 */

export interface GenStore {
  code: string;
}
export interface GenOptions {
  stores: GenStore[];
  /** Transactions to generate (about). */
  rows: number;
  /** First business day, YYYY-MM-DD. */
  startDay: string;
  days: number;
  seed?: number;
  registersPerStore?: number;
  cashiersPerStore?: number;
}

export const CSV_HEADER =
  'store,register,cashier_id,cashier_name,transaction,business_day,start,end,type,total,items,line_voids,line_void_amount,price_overrides,price_override_amount,discount_amount,employee_discount,manual_entries,tender,card_entry,card_token,original_transaction,manager_override,voided_after_total,gift_card_issued';

export type Planted = 'refunds' | 'sweethearting' | 'no_sale_post_void';
/** The planted cashiers: store index (into the options' stores), code, name, pattern. */
export const PLANTED: Array<{ store: number; code: string; name: string; kind: Planted }> = [
  { store: 0, code: '1907', name: 'Travis Keller', kind: 'refunds' },
  { store: 4, code: '5903', name: 'Brianna Wolfe', kind: 'sweethearting' },
  { store: 9, code: '10904', name: 'Dylan Marsh', kind: 'no_sale_post_void' },
];

const FIRST = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Casey', 'Morgan', 'Riley', 'Jamie', 'Avery', 'Quinn', 'Drew', 'Parker', 'Reese', 'Skyler', 'Cameron', 'Rowan', 'Emerson', 'Hayden', 'Kendall', 'Logan'];
const LAST = ['Garcia', 'Smith', 'Nguyen', 'Johnson', 'Brown', 'Lopez', 'Miller', 'Davis', 'Wilson', 'Moore', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker'];

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

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const money = (cents: number) => (cents / 100).toFixed(2);

interface Cashier {
  code: string;
  name: string;
  kind: Planted | null;
}

/** Yields the CSV (header first) in chunks of about a thousand lines. */
export function* generatePosCsv(o: GenOptions): Generator<string> {
  const rnd = mulberry32(o.seed ?? 20260501);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const registers = o.registersPerStore ?? 4;
  const perStore = o.cashiersPerStore ?? 8;
  const perStoreDay = Math.max(1, Math.round(o.rows / (o.stores.length * o.days)));
  const start = new Date(`${o.startDay}T00:00:00Z`).getTime();

  const cashiers: Cashier[][] = o.stores.map((_, si) => {
    const list: Cashier[] = [];
    for (let c = 0; c < perStore; c++) {
      const code = `${si + 1}${pad(c + 1, 3)}`;
      list.push({ code, name: `${pick(FIRST)} ${pick(LAST)}`, kind: null });
    }
    for (const p of PLANTED) if (p.store === si) list.push({ code: p.code, name: p.name, kind: p.kind });
    return list;
  });

  yield `${CSV_HEADER}\n`;
  let lines: string[] = [];
  for (let d = 0; d < o.days; d++) {
    const dayStr = new Date(start + d * 86400000).toISOString().slice(0, 10);
    for (let si = 0; si < o.stores.length; si++) {
      const store = o.stores[si].code;
      const seq = new Array<number>(registers).fill(0);
      const recentSales: Array<{ reg: number; txn: string; total: number; token: string; cashier: string; minute: number }> = [];
      // Cashiers on shift today: most of them; planted ones always (they need volume to be seen).
      const team = cashiers[si].filter((c) => c.kind || rnd() < 0.75);
      const count = Math.round(perStoreDay * (0.85 + rnd() * 0.3));
      const minutes: number[] = [];
      for (let i = 0; i < count; i++) minutes.push(8 * 60 + Math.floor(rnd() * 13 * 60));
      minutes.sort((a, b) => a - b);
      for (let i = 0; i < count; i++) {
        const cashier = team[Math.floor(rnd() * team.length)];
        const reg = (cashiers[si].indexOf(cashier) % registers) + 1;
        seq[reg - 1]++;
        const txn = String(seq[reg - 1]);
        let minute = minutes[i];
        const second = Math.floor(rnd() * 60);
        const kind = cashier.kind;
        // Transaction type.
        const r = rnd();
        const refundP = kind === 'refunds' ? 0.11 : 0.025;
        const postVoidP = kind === 'no_sale_post_void' ? 0.03 : 0.003;
        const noSaleP = kind === 'no_sale_post_void' ? 0.08 : 0.01;
        let type = 'sale';
        let acc = 0;
        for (const [t, p] of [['return', refundP], ['post_void', postVoidP], ['no_sale', noSaleP], ['void', 0.012], ['paid_in', 0.002], ['paid_out', 0.003], ['training', 0.002]] as const) {
          acc += p;
          if (r < acc) {
            type = t;
            break;
          }
        }
        if (type === 'no_sale' && kind === 'no_sale_post_void' && rnd() < 0.25) minute = 22 * 60 + Math.floor(rnd() * 90);
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
        const itemValue = () => Math.round(300 + rnd() * rnd() * 4000 + rnd() * 900);
        if (type === 'sale' || type === 'void' || type === 'post_void') {
          items = 1 + Math.floor(-Math.log(1 - rnd()) * 3);
          const scale = kind === 'sweethearting' ? 0.38 : 1;
          for (let k = 0; k < items; k++) total += Math.round(itemValue() * scale);
          if (type === 'post_void' && kind === 'no_sale_post_void') total += 8000 + Math.floor(rnd() * 12000);
          const lvP = kind === 'sweethearting' ? 0.3 : 0.06;
          if (rnd() < lvP) {
            lineVoids = kind === 'sweethearting' && rnd() < 0.5 ? 2 : 1;
            for (let k = 0; k < lineVoids; k++) lineVoidAmount += itemValue();
          }
          if (rnd() < 0.02) {
            overrides = 1;
            overrideAmount = Math.round(total * 0.2);
            total -= overrideAmount;
            if (rnd() < 0.5) manager = `M${100 + Math.floor(rnd() * 5)}`;
          }
          if (rnd() < 0.012) {
            employee = true;
            discount = Math.round(total * 0.15);
            total -= discount;
          }
          if (rnd() < 0.01) manual = 1;
          if (rnd() < 0.01) gift = 2500 * (1 + Math.floor(rnd() * 4));
          total += gift;
          const t = rnd();
          tender = t < 0.25 ? 'cash' : t < 0.9 ? 'card' : t < 0.94 ? 'gift' : t < 0.96 ? 'store_credit' : 'mixed';
          if (tender === 'card' || tender === 'mixed') {
            const e = rnd();
            entry = e < 0.6 ? 'chip' : e < 0.9 ? 'tap' : e < 0.97 ? 'swipe' : 'keyed';
            token = `tok_${Math.floor(rnd() * 5e6).toString(36)}`;
          }
          if (type === 'void') afterTotal = rnd() < 0.3;
          if (type === 'post_void') manager = rnd() < 0.6 ? `M${100 + Math.floor(rnd() * 5)}` : '';
          if (type === 'sale') recentSales.push({ reg, txn, total, token, cashier: cashier.code, minute });
        } else if (type === 'return') {
          const sweet = kind === 'refunds';
          const own = sweet && rnd() < 0.35 ? [...recentSales].reverse().find((s) => s.cashier === cashier.code && minute - s.minute <= 20) : undefined;
          if (own) {
            total = -own.total;
            items = 1;
          } else {
            items = 1 + Math.floor(rnd() * 2);
            for (let k = 0; k < items; k++) total -= itemValue();
          }
          const receipt = sweet ? rnd() < 0.3 : rnd() < 0.7;
          const prior = recentSales.length ? recentSales[Math.floor(rnd() * recentSales.length)] : undefined;
          if (receipt && prior && !own) original = `${store}/${prior.reg}/${prior.txn}/${dayStr}`;
          const t = rnd();
          tender = sweet ? (t < 0.6 ? 'cash' : 'card') : t < 0.3 ? 'cash' : 'card';
          if (tender === 'card') {
            entry = 'chip';
            token = own?.token || `tok_${Math.floor(rnd() * 5e6).toString(36)}`;
          }
          if (rnd() < 0.3) manager = `M${100 + Math.floor(rnd() * 5)}`;
        } else if (type === 'paid_in' || type === 'paid_out') {
          total = (type === 'paid_in' ? 1 : -1) * (500 + Math.floor(rnd() * 5000));
          tender = 'cash';
        } else if (type === 'training') {
          total = itemValue();
          items = 1;
          tender = 'cash';
        }
        const h = Math.floor(minute / 60);
        const startT = `${dayStr}T${pad(h % 24)}:${pad(minute % 60)}:${pad(second)}`;
        const endMinute = minute + 1 + Math.floor(rnd() * 3);
        const endT = `${dayStr}T${pad(Math.floor(endMinute / 60) % 24)}:${pad(endMinute % 60)}:${pad(second)}`;
        lines.push(
          `${store},${reg},${cashier.code},${cashier.name},${txn},${dayStr},${startT},${h >= 24 ? '' : endT},${type},${money(total)},${items},${lineVoids},${money(lineVoidAmount)},${overrides},${money(overrideAmount)},${money(discount)},${employee},${manual},${tender},${entry},${token},${original},${manager},${afterTotal},${money(gift)}`,
        );
        if (lines.length >= 1000) {
          yield `${lines.join('\n')}\n`;
          lines = [];
        }
      }
    }
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
}
