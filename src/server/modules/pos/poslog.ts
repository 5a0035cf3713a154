import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { FIELDS, type Field } from './scanner.js';

/**
 * Streaming reader of ARTS/NRF POSLog XML: one <Transaction> at a time becomes one row of the
 * Tandem format (values by field). RetailTransaction (sale and return line items, line voids,
 * price modifiers, tenders with entry method, totals, TransactionLink) and ControlTransaction
 * (NoSale; sign-on/off are read and skipped) are understood; elements of any other namespace
 * (vendor extensions) and unknown elements are ignored with their whole subtree.
 */

const F = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;

interface Line {
  kind: 'sale' | 'return';
  item: string;
  description: string;
  quantity: number;
  amount: number;
  voided: boolean;
}
interface Tender {
  type: string;
  amount: number;
  entry: string | null;
}

interface Txn {
  line: number;
  store?: string;
  register?: string;
  sequence?: string;
  businessDay?: string;
  begin?: string;
  end?: string;
  operator?: string;
  operatorName?: string;
  training: boolean;
  kind: 'retail' | 'control' | 'tender_control' | null;
  status?: string;
  controlType?: 'no_sale' | 'sign_on' | 'sign_off' | 'paid_in' | 'paid_out' | 'other';
  lines: Line[];
  tenders: Tender[];
  total?: number;
  overrides: number;
  overrideAmount: number;
  discount: number;
  employeeDiscount: boolean;
  manualEntries: number;
  link?: string;
  manager?: string;
  giftIssued: number;
  cardToken?: string;
  paidAmount?: number;
}

const money = (s: string) => {
  const n = Number(s.trim());
  return Number.isFinite(n) ? Math.round(n * 100) : NaN;
};
const fmt = (cents: number) => (cents / 100).toFixed(2);

const TENDER_TYPES: Record<string, string> = {
  cash: 'cash',
  creditdebit: 'card',
  credit: 'card',
  debit: 'card',
  gift: 'gift',
  giftcard: 'gift',
  giftcertificate: 'gift',
  storecredit: 'store_credit',
  voucher: 'store_credit',
};
const ENTRY_METHODS: Record<string, string> = { keyed: 'keyed', manual: 'keyed', swiped: 'swipe', swipe: 'swipe', magstripe: 'swipe', chip: 'chip', icc: 'chip', emv: 'chip', contactless: 'tap', tap: 'tap', rfid: 'tap' };

export class PosLogReader {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  /** Chunks may end inside a multi-byte character: the decoder carries it over. */
  private readonly decoder = new StringDecoder('utf8');
  private readonly stack: string[] = [];
  private ns: string | null = null;
  private foreignDepth = 0;
  private text = '';
  private txn: Txn | null = null;
  private lineItem: { line: Line | null; tender: Tender | null; voided: boolean; modifierAmount: number; modifierReason: string } | null = null;
  private linkParts: Record<string, string> | null = null;
  skippedControl = 0;

  constructor(
    private readonly onRow: (values: Array<string | undefined>, line: number) => void,
    private readonly onError: (line: number, message: string) => void,
  ) {
    const p = this.parser;
    p.on('opentag', (tag) => this.open(tag as SaxesTagNS));
    p.on('closetag', (tag) => this.close(tag as SaxesTagNS));
    p.on('text', (t) => {
      if (!this.foreignDepth) this.text += t;
    });
    p.on('cdata', (t) => {
      if (!this.foreignDepth) this.text += t;
    });
    p.on('error', (err) => {
      throw err;
    });
  }

  write(chunk: Buffer | string) {
    try {
      this.parser.write(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    } catch (err) {
      throw new PosLogSyntaxError(this.parser.line, (err as Error).message);
    }
  }
  end() {
    try {
      const rest = this.decoder.end();
      if (rest) this.parser.write(rest);
      this.parser.close();
    } catch (err) {
      throw new PosLogSyntaxError(this.parser.line, (err as Error).message);
    }
  }

  private parent(n = 1) {
    return this.stack[this.stack.length - n] ?? '';
  }

  private open(tag: SaxesTagNS) {
    if (this.foreignDepth) {
      this.foreignDepth++;
      return;
    }
    if (this.ns === null) this.ns = tag.uri;
    if (tag.uri !== this.ns || tag.local === 'Extension' || tag.local === 'VendorExtension') {
      this.foreignDepth = 1;
      return;
    }
    const name = tag.local;
    const attr = (n: string) => {
      const a = tag.attributes[n] as { value: string } | undefined;
      return a?.value;
    };
    this.text = '';
    this.stack.push(name);
    const t = this.txn;
    if (name === 'Transaction') {
      this.txn = { line: this.parser.line, training: attr('TrainingModeFlag') === 'true', kind: null, lines: [], tenders: [], overrides: 0, overrideAmount: 0, discount: 0, employeeDiscount: false, manualEntries: 0, giftIssued: 0 };
      return;
    }
    if (!t) return;
    if (name === 'RetailTransaction') {
      t.kind = 'retail';
      t.status = attr('TransactionStatus');
    } else if (name === 'ControlTransaction') {
      t.kind = 'control';
    } else if (name === 'TenderControlTransaction') {
      t.kind = 'tender_control';
    } else if (t.kind === 'control' || t.kind === 'tender_control') {
      if (name === 'NoSale') t.controlType = 'no_sale';
      else if (name === 'SignOn') t.controlType = 'sign_on';
      else if (name === 'SignOff') t.controlType = 'sign_off';
      else if (name === 'PaidIn') t.controlType = 'paid_in';
      else if (name === 'PaidOut') t.controlType = 'paid_out';
    }
    if (name === 'LineItem' && t.kind === 'retail') {
      this.lineItem = { line: null, tender: null, voided: attr('VoidFlag') === 'true', modifierAmount: 0, modifierReason: '' };
    } else if (this.lineItem && (name === 'Sale' || name === 'Return')) {
      this.lineItem.line = { kind: name === 'Sale' ? 'sale' : 'return', item: '', description: '', quantity: 1, amount: 0, voided: this.lineItem.voided };
      if (attr('ItemType') === 'GiftCertificate' || attr('ItemType') === 'GiftCard') (this.lineItem.line as Line & { gift?: boolean }).gift = true;
    } else if (this.lineItem && name === 'Tender') {
      const type = TENDER_TYPES[(attr('TenderType') ?? '').toLowerCase().replace(/[^a-z]/g, '')] ?? 'store_credit';
      this.lineItem.tender = { type, amount: 0, entry: null };
    } else if (name === 'TransactionLink') {
      this.linkParts = {};
    } else if (name === 'ItemID' && this.lineItem?.line && (attr('EntryMethod') ?? '').toLowerCase() === 'keyed') {
      t.manualEntries++;
    }
  }

  private close(tag: SaxesTagNS) {
    if (this.foreignDepth) {
      this.foreignDepth--;
      return;
    }
    const name = tag.local;
    const text = this.text.trim();
    this.text = '';
    this.stack.pop();
    const t = this.txn;
    if (!t) return;
    const parent = this.parent();
    if (this.linkParts && name !== 'TransactionLink' && parent === 'TransactionLink') {
      this.linkParts[name] = text;
      return;
    }
    switch (name) {
      case 'RetailStoreID':
        if (parent === 'Transaction') t.store = text;
        return;
      case 'WorkstationID':
        if (parent === 'Transaction') t.register = text;
        return;
      case 'SequenceNumber':
        if (parent === 'Transaction') t.sequence = text;
        return;
      case 'BusinessDayDate':
        if (parent === 'Transaction') t.businessDay = text.slice(0, 10);
        return;
      case 'BeginDateTime':
        if (parent === 'Transaction') t.begin = text;
        return;
      case 'EndDateTime':
        if (parent === 'Transaction') t.end = text;
        return;
      case 'OperatorID':
        if (parent === 'Transaction') {
          t.operator = text;
          const nameAttr = tag.attributes.OperatorName as { value: string } | undefined;
          if (nameAttr) t.operatorName = nameAttr.value;
        } else if (parent === 'ManagerOverride' || parent === 'Approval') t.manager = text;
        return;
      case 'OperatorName':
        if (parent === 'Transaction' || parent === 'Operator') t.operatorName = text;
        return;
      case 'ManagerOverride':
      case 'SupervisorID':
        if (text) t.manager = text;
        return;
      case 'TransactionLink': {
        const l = this.linkParts ?? {};
        t.link = [l.RetailStoreID, l.WorkstationID, l.SequenceNumber, l.BusinessDayDate].filter(Boolean).join('/') || undefined;
        this.linkParts = null;
        return;
      }
      case 'ItemID':
        if (this.lineItem?.line) this.lineItem.line.item = text;
        return;
      case 'Description':
        if (this.lineItem?.line) this.lineItem.line.description = text;
        return;
      case 'Quantity':
        if (this.lineItem?.line) this.lineItem.line.quantity = Number(text) || 1;
        return;
      case 'ExtendedAmount':
        if (this.lineItem?.line) this.lineItem.line.amount = money(text);
        return;
      case 'Amount':
        if (parent === 'RetailPriceModifier' || parent === 'Discount' || parent === 'PriceOverride') {
          if (this.lineItem) this.lineItem.modifierAmount += Math.abs(money(text)) || 0;
        } else if (parent === 'Tender' && this.lineItem?.tender) this.lineItem.tender.amount = money(text);
        else if ((parent === 'PaidIn' || parent === 'PaidOut') && t.kind === 'tender_control') t.paidAmount = money(text);
        return;
      case 'ReasonCode':
        if (this.lineItem && (parent === 'RetailPriceModifier' || parent === 'Discount')) this.lineItem.modifierReason += ` ${text}`;
        return;
      case 'EntryMethod':
        if (this.lineItem?.tender) this.lineItem.tender.entry = ENTRY_METHODS[text.toLowerCase()] ?? null;
        return;
      case 'PrimaryAccountNumber':
      case 'Token':
      case 'CardToken':
        if (this.lineItem?.tender && text) t.cardToken = text;
        return;
      case 'RetailPriceModifier':
      case 'PriceOverride':
      case 'Discount':
        if (this.lineItem) {
          const reason = this.lineItem.modifierReason.toLowerCase();
          if (reason.includes('employee')) {
            t.employeeDiscount = true;
            t.discount += this.lineItem.modifierAmount;
          } else if (name === 'Discount' || reason.includes('discount') || reason.includes('coupon')) t.discount += this.lineItem.modifierAmount;
          else {
            t.overrides++;
            t.overrideAmount += this.lineItem.modifierAmount;
          }
          this.lineItem.modifierAmount = 0;
          this.lineItem.modifierReason = '';
        }
        return;
      case 'Total':
        if (parent === 'RetailTransaction') {
          const type = (tag.attributes.TotalType as { value: string } | undefined)?.value ?? 'TransactionGrandAmount';
          if (type === 'TransactionGrandAmount') t.total = money(text);
        }
        return;
      case 'LineItem': {
        const li = this.lineItem;
        if (li?.line) {
          t.lines.push(li.line);
          if ((li.line as Line & { gift?: boolean }).gift && !li.line.voided) t.giftIssued += Math.abs(li.line.amount);
        }
        if (li?.tender) t.tenders.push(li.tender);
        this.lineItem = null;
        return;
      }
      case 'Transaction':
        this.emit(t);
        this.txn = null;
        return;
      default:
        return;
    }
  }

  private emit(t: Txn) {
    let type: string;
    if (t.kind === 'control' || t.kind === 'tender_control') {
      if (t.controlType === 'no_sale') type = 'no_sale';
      else if (t.controlType === 'paid_in' || t.controlType === 'paid_out') type = t.controlType;
      else {
        this.skippedControl++;
        return;
      }
    } else if (t.kind === 'retail') {
      const status = (t.status ?? '').toLowerCase();
      const live = t.lines.filter((l) => !l.voided);
      if (status === 'postvoided') type = 'post_void';
      else if (status === 'voided' || status === 'canceled' || status === 'cancelled') type = 'void';
      else if (live.length && live.every((l) => l.kind === 'return')) type = 'return';
      else type = 'sale';
    } else {
      this.onError(t.line, 'Transaction has neither a RetailTransaction nor a ControlTransaction');
      return;
    }
    if (t.training) type = 'training';
    const live = t.lines.filter((l) => !l.voided);
    const voided = t.lines.filter((l) => l.voided);
    const items = live.reduce((n, l) => n + Math.abs(l.quantity), 0);
    let total = t.total;
    if (total === undefined) total = t.paidAmount ?? live.reduce((n, l) => n + (l.kind === 'return' ? -Math.abs(l.amount) : l.amount), 0);
    if (type === 'return' && total > 0) total = -total;
    if (type === 'paid_out' && total > 0) total = -total;
    const tenderTypes = [...new Set(t.tenders.map((x) => x.type))];
    const tender = tenderTypes.length === 0 ? 'none' : tenderTypes.length === 1 ? tenderTypes[0] : 'mixed';
    const entry = t.tenders.find((x) => x.entry)?.entry ?? null;
    const v: Array<string | undefined> = new Array(FIELDS.length);
    v[F.store] = t.store;
    v[F.register] = t.register;
    v[F.cashier_id] = t.operator;
    v[F.cashier_name] = t.operatorName;
    v[F.transaction] = t.sequence;
    v[F.business_day] = t.businessDay ?? t.begin?.slice(0, 10);
    v[F.start] = t.begin?.slice(0, 19);
    v[F.end] = t.end?.slice(0, 19);
    v[F.type] = type;
    v[F.total] = Number.isFinite(total) ? fmt(total) : 'NaN';
    v[F.items] = String(items);
    v[F.line_voids] = String(voided.length);
    v[F.line_void_amount] = fmt(voided.reduce((n, l) => n + Math.abs(l.amount || 0), 0));
    v[F.price_overrides] = String(t.overrides);
    v[F.price_override_amount] = fmt(t.overrideAmount);
    v[F.discount_amount] = fmt(t.discount);
    v[F.employee_discount] = t.employeeDiscount ? 'true' : 'false';
    v[F.manual_entries] = String(t.manualEntries);
    v[F.tender] = tender;
    v[F.card_entry] = entry ?? undefined;
    v[F.card_token] = t.cardToken;
    v[F.original_transaction] = t.link;
    v[F.manager_override] = t.manager;
    v[F.gift_card_issued] = fmt(t.giftIssued);
    if (t.lines.length || t.tenders.length) {
      v[F.details] = JSON.stringify({
        lines: t.lines.map((l) => ({ kind: l.kind, item: l.item, description: l.description, quantity: l.quantity, amountCents: l.amount, voided: l.voided })),
        tenders: t.tenders.map((x) => ({ type: x.type, amountCents: x.amount, entry: x.entry })),
      });
    }
    this.onRow(v, t.line);
  }
}

export class PosLogSyntaxError extends Error {
  constructor(
    public readonly line: number,
    message: string,
  ) {
    super(message);
  }
}
