import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { FIELDS, type Field } from './scanner.js';

/**
 * Streaming reader of ARTS/NRF POSLog XML, versions 2.x to 6.x, as vendors write it: one
 * <Transaction> at a time becomes one row of the Tandem format (values by field).
 *
 * Understood: RetailTransaction (sale and return line items, line voids written in place or as a
 * cancelling line, price modifiers, discounts, tenders with entry method, totals, TransactionLink),
 * ControlTransaction (NoSale; sign-on/off are read and skipped) and TenderControlTransaction
 * (paid in / paid out; other tender-control records are skipped). Elements of any other namespace
 * (vendor extensions) are ignored with their whole subtree. Vendor quirks handled here are listed
 * in docs/data-formats.md; each has a fixture under test/fixtures/pos/vendors/.
 */

const F = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;

interface Line {
  kind: 'sale' | 'return';
  item: string;
  description: string;
  quantity: number;
  /** Unit of measure when it is not "each" (KG, LB…): a weighed line. */
  unit?: string;
  amount: number;
  voided: boolean;
  /** The line's own sequence number and the number it was created as (Wincor), to resolve voids that point back. */
  sequence?: string;
  createNumber?: string;
  /** A void line's pointer to the line it cancels (ItemLink / CreateRefNumber). */
  voids?: string;
  gift?: boolean;
  quantitySeen?: boolean;
}
interface Tender {
  type: string;
  vendorType: string;
  amount: number;
  entry: string | null;
}

interface Txn {
  ordinal: number;
  line: number;
  offset: number;
  store?: string;
  unitId?: string;
  register?: string;
  till?: string;
  sequence?: string;
  transactionId?: string;
  businessDay?: string;
  begin?: string;
  end?: string;
  receipt?: string;
  logTime?: string;
  firstLineTime?: string;
  lastLineTime?: string;
  operator?: string;
  operatorName?: string;
  training: boolean;
  kind: 'retail' | 'control' | 'tender_control' | null;
  status?: string;
  cancelled: boolean;
  controlType?: 'no_sale' | 'sign_on' | 'sign_off' | 'paid_in' | 'paid_out' | 'other';
  lines: Line[];
  tenders: Tender[];
  totals: Map<string, number>;
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

interface LineItemState {
  line: Line | null;
  tender: Tender | null;
  voided: boolean;
  entryMethod: string;
  modifierAmount: number;
  modifierReason: string;
  /** Action="Replace": Amount is the new unit price; PreviousPrice the old one. */
  modifierReplace?: number;
  previousPrice?: number;
  sequence?: string;
  createNumber?: string;
  voids?: string;
  time?: string;
}

const money = (s: string) => {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isFinite(n) ? Math.round(n * 100) : NaN;
};
const fmt = (cents: number) => (cents / 100).toFixed(2);
const norm = (s: string) => s.toLowerCase().replace(/^[a-z0-9]+:/, '').replace(/[^a-z]/g, '');

const TENDER_TYPES: Record<string, string> = {
  cash: 'cash',
  creditdebit: 'card',
  credit: 'card',
  debit: 'card',
  creditcard: 'card',
  debitcard: 'card',
  card: 'card',
  gift: 'gift',
  giftcard: 'gift',
  giftcertificate: 'gift',
  storecredit: 'store_credit',
  voucher: 'store_credit',
  coupon: 'store_credit',
};
const ENTRY_METHODS: Record<string, string> = {
  keyed: 'keyed',
  manual: 'keyed',
  swiped: 'swipe',
  swipe: 'swipe',
  magstripe: 'swipe',
  msr: 'swipe',
  chip: 'chip',
  icc: 'chip',
  emv: 'chip',
  inserted: 'chip',
  contactless: 'tap',
  tap: 'tap',
  tapped: 'tap',
  rfid: 'tap',
  nfc: 'tap',
};

/** Grand-total element types in order of preference; a Total without a type is the grand total (Retalix). */
const TOTAL_PREFERENCE = ['transactiongrandamount', '', 'transactionamounttotal', 'transactionnetamount', 'transactiontenderapplied'];

/** A date-time with a UTC offset or Z at the end. */
const WITH_OFFSET = /(?:Z|[+-]\d\d:?\d\d)$/;

/** "YYYY-MM-DDTHH:MM:SS" of an instant in an IANA zone; one formatter per zone. */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function localIn(zone: string, instant: number): string | undefined {
  let f = zoneFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    zoneFormats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** Where a transaction sits in the file, for error messages: whole documents are often one line. */
export interface PosLogPlace {
  line: number;
  record: string;
}

export class PosLogReader {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  /** Chunks may end inside a multi-byte character: the decoder carries it over. */
  private readonly decoder = new StringDecoder('utf8');
  private readonly stack: string[] = [];
  private ns: string | null = null;
  private foreignDepth = 0;
  private text = '';
  private txn: Txn | null = null;
  private ordinal = 0;
  private lineItem: LineItemState | null = null;
  private linkParts: Record<string, string> | null = null;
  private unitTypeCode: string | undefined;
  skippedControl = 0;

  constructor(
    private readonly onRow: (values: Array<string | undefined>, place: PosLogPlace) => void,
    private readonly onError: (place: PosLogPlace, message: string) => void,
    /** The IANA time zone of a store code, to read times written with a UTC offset in store time. */
    private readonly zoneOf: (storeCode: string) => string | undefined = () => undefined,
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
      throw new PosLogSyntaxError(this.parser.line, this.where(), (err as Error).message);
    }
  }
  end() {
    try {
      const rest = this.decoder.end();
      if (rest) this.parser.write(rest);
      this.parser.close();
    } catch (err) {
      throw new PosLogSyntaxError(this.parser.line, this.where(), (err as Error).message);
    }
  }

  /** "transaction 3 (sequence 451), character 10234" for the transaction being read, or the position. */
  private where(): string {
    const t = this.txn;
    if (t) return describe(t);
    return `character ${this.parser.position}`;
  }

  private parent(n = 1) {
    return this.stack[this.stack.length - n] ?? '';
  }

  private open(tag: SaxesTagNS) {
    if (this.foreignDepth) {
      this.foreignDepth++;
      return;
    }
    const name = tag.local;
    // The POSLog namespace is whichever the document's POSLog (or first Transaction) element uses:
    // 2.x files use .../IXRetail/namespace/, 6.x files may use .../IXRetail/v6.0.0/poslog, some none.
    if (this.ns === null && (name === 'POSLog' || name === 'Transaction')) this.ns = tag.uri;
    if (this.ns === null) return;
    if (tag.uri !== this.ns || name === 'Extension' || name === 'VendorExtension') {
      this.foreignDepth = 1;
      return;
    }
    const attr = (n: string) => {
      const a = tag.attributes[n] as { value: string } | undefined;
      return a?.value;
    };
    this.text = '';
    this.stack.push(name);
    const t = this.txn;
    if (name === 'Transaction') {
      this.txn = {
        ordinal: ++this.ordinal,
        line: this.parser.line,
        offset: this.parser.position,
        training: attr('TrainingModeFlag') === 'true',
        cancelled: attr('CancelFlag') === 'true' || attr('VoidedFlag') === 'true',
        kind: null,
        lines: [],
        tenders: [],
        totals: new Map(),
        overrides: 0,
        overrideAmount: 0,
        discount: 0,
        employeeDiscount: false,
        manualEntries: 0,
        giftIssued: 0,
      };
      return;
    }
    if (!t) return;
    if (name === 'UnitID' && this.parent(2) === 'BusinessUnit' && this.parent(3) === 'Transaction') this.unitTypeCode = attr('TypeCode');
    if (name === 'RetailTransaction') {
      t.kind = 'retail';
      t.status = attr('TransactionStatus');
    } else if (name === 'ControlTransaction') {
      t.kind = 'control';
    } else if (name === 'TenderControlTransaction') {
      t.kind = 'tender_control';
    } else if ((t.kind === 'control' || t.kind === 'tender_control') && !t.controlType) {
      if (name === 'NoSale') t.controlType = 'no_sale';
      else if (name === 'SignOn' || name === 'OperatorSignOn') t.controlType = 'sign_on';
      else if (name === 'SignOff' || name === 'OperatorSignOff') t.controlType = 'sign_off';
      else if (name === 'PaidIn' || name === 'TenderPickup' || name === 'Loan') t.controlType = name === 'PaidIn' ? 'paid_in' : 'other';
      else if (name === 'PaidOut') t.controlType = 'paid_out';
    }
    if (name === 'LineItem' && t.kind === 'retail' && this.parent(2) === 'RetailTransaction') {
      this.lineItem = { line: null, tender: null, voided: attr('VoidFlag') === 'true', entryMethod: (attr('EntryMethod') ?? '').toLowerCase(), modifierAmount: 0, modifierReason: '' };
    } else if (this.lineItem && this.parent(2) === 'LineItem' && (name === 'Sale' || name === 'Return')) {
      this.lineItem.line = { kind: name === 'Sale' ? 'sale' : 'return', item: '', description: '', quantity: 1, amount: 0, voided: this.lineItem.voided };
      const itemType = attr('ItemType');
      if (itemType === 'GiftCertificate' || itemType === 'GiftCard') this.lineItem.line.gift = true;
    } else if (this.lineItem && this.parent(2) === 'LineItem' && name === 'Tender') {
      const vendorType = attr('TenderType') ?? '';
      this.lineItem.tender = { type: TENDER_TYPES[norm(vendorType)] ?? 'store_credit', vendorType, amount: 0, entry: null };
    } else if (name === 'TransactionLink') {
      this.linkParts = {};
    } else if (name === 'ItemID' && this.lineItem?.line && (attr('EntryMethod') ?? '').toLowerCase() === 'keyed') {
      t.manualEntries++;
    } else if (name === 'Quantity' && this.lineItem?.line && this.parent(2) !== 'Quantity') {
      const unit = (attr('UnitOfMeasureCode') ?? '').toUpperCase();
      if (unit && unit !== 'EA' && unit !== 'EACH' && unit !== 'UN' && unit !== 'PC' && unit !== 'PCS') this.lineItem.line.unit ??= unit;
    }
  }

  private close(tag: SaxesTagNS) {
    if (this.foreignDepth) {
      this.foreignDepth--;
      return;
    }
    if (this.ns === null || tag.uri !== this.ns) return;
    const name = tag.local;
    const text = this.text.trim();
    this.text = '';
    this.stack.pop();
    const t = this.txn;
    if (!t) return;
    const parent = this.parent();
    const li = this.lineItem;
    if (this.linkParts && name !== 'TransactionLink' && parent === 'TransactionLink') {
      this.linkParts[name] = text;
      return;
    }
    switch (name) {
      case 'RetailStoreID':
        if (parent === 'Transaction') t.store = text;
        return;
      case 'UnitID':
        // POSLog 6.x: Transaction/BusinessUnit/UnitID. A chain may list several units (website,
        // country): the retail store is the one typed RetailStore, else the first.
        if (parent === 'BusinessUnit' && this.parent(2) === 'Transaction' && text) {
          const type = (this.unitTypeCode ?? '').toLowerCase();
          if (type.includes('store') || type === '') t.unitId ??= text;
        }
        return;
      case 'WorkstationID':
        if (parent === 'Transaction') t.register = text;
        return;
      case 'TillID':
        if (parent === 'Transaction') t.till = text;
        return;
      case 'SequenceNumber':
        if (parent === 'Transaction') t.sequence = text;
        else if (parent === 'LineItem' && li) li.sequence = text;
        return;
      case 'CreateNumber':
        if (parent === 'LineItem' && li) li.createNumber = text;
        return;
      case 'CreateRefNumber':
        if (parent === 'LineItem' && li) li.voids = text;
        return;
      case 'ItemLink':
        if (li?.line && (parent === 'Sale' || parent === 'Return')) li.voids ??= text;
        return;
      case 'TransactionID':
        if (parent === 'Transaction') t.transactionId = text;
        return;
      case 'BusinessDayDate':
        if (parent === 'Transaction') t.businessDay = text.slice(0, 10);
        return;
      case 'BeginDateTime':
        if (parent === 'Transaction') t.begin = text;
        else if (parent === 'LineItem' && li) li.time ??= text;
        return;
      case 'EndDateTime':
        if (parent === 'Transaction') t.end = text;
        else if (parent === 'LineItem' && li) li.time ??= text;
        return;
      case 'DateTime':
        if (parent === 'LineItem' && li) li.time ??= text;
        return;
      case 'ReceiptDateTime':
        t.receipt ??= text;
        return;
      case 'POSLogDateTime': {
        const type = (tag.attributes.TypeCode as { value: string } | undefined)?.value;
        if (parent === 'Transaction' && (!type || type === 'Transaction')) t.logTime ??= text;
        return;
      }
      case 'OperatorID':
        if (parent === 'Transaction') {
          t.operator = text;
          const nameAttr = tag.attributes.OperatorName as { value: string } | undefined;
          if (nameAttr?.value) t.operatorName = nameAttr.value;
        } else if (parent === 'ManagerOverride' || parent === 'Approval' || parent === 'OperatorBypassApproval') t.manager = text;
        return;
      case 'ApproverID':
        if (text) t.manager = text;
        return;
      case 'OperatorName':
        if ((parent === 'Transaction' || parent === 'Operator') && text) t.operatorName = text;
        return;
      case 'ManagerOverride':
      case 'SupervisorID':
        if (text) t.manager = text;
        return;
      case 'TransactionLink': {
        const l = this.linkParts ?? {};
        t.link = [l.RetailStoreID ?? l.UnitID, l.WorkstationID, l.SequenceNumber, l.BusinessDayDate].filter(Boolean).join('/') || undefined;
        this.linkParts = null;
        return;
      }
      case 'ItemID':
        if (li?.line && (parent === 'Sale' || parent === 'Return')) li.line.item ||= text;
        return;
      case 'Description':
      case 'ItemDesc':
        if (li?.line && (parent === 'Sale' || parent === 'Return')) li.line.description ||= text;
        return;
      case 'Quantity':
        // Several Quantity elements per line (Retalix: units, then weight): the first is the count.
        if (li?.line && (parent === 'Sale' || parent === 'Return') && !li.line.quantitySeen) {
          const q = Number(text);
          li.line.quantity = Number.isFinite(q) && text !== '' ? q : 1;
          li.line.quantitySeen = true;
          if (!Number.isInteger(li.line.quantity)) li.line.unit ??= 'weight';
        }
        return;
      case 'ExtendedAmount':
        if (li?.line && (parent === 'Sale' || parent === 'Return')) li.line.amount = money(text) || 0;
        return;
      case 'Amount':
        if (parent === 'RetailPriceModifier' || parent === 'Discount' || parent === 'PriceOverride') {
          const action = (tag.attributes.Action as { value: string } | undefined)?.value?.toLowerCase();
          if (li && action === 'replace') li.modifierReplace = money(text);
          else if (li) li.modifierAmount += Math.abs(money(text)) || 0;
        } else if (parent === 'Tender' && li?.tender) li.tender.amount = money(text) || 0;
        else if ((parent === 'PaidIn' || parent === 'PaidOut') && t.kind === 'tender_control') t.paidAmount = money(text);
        return;
      case 'ReasonCode':
        if (li && (parent === 'RetailPriceModifier' || parent === 'Discount')) li.modifierReason += ` ${text}`;
        return;
      case 'PreviousPrice':
        if (li && parent === 'RetailPriceModifier') li.previousPrice = money(text);
        return;
      case 'EntryMethod':
        if (li?.tender) li.tender.entry = ENTRY_METHODS[norm(text)] ?? null;
        return;
      case 'PrimaryAccountNumber':
      case 'Token':
      case 'CardToken':
        // A masked number (****) identifies nothing.
        if (li?.tender && text && !/^[*xX#\s-]+$/.test(text)) t.cardToken = text;
        return;
      case 'RetailPriceModifier':
      case 'PriceOverride':
      case 'Discount':
        if (li) {
          // A replaced price (Wincor "Replace"): the change is old minus new unit price, times the quantity.
          if (li.modifierReplace !== undefined && li.previousPrice !== undefined && Number.isFinite(li.modifierReplace) && Number.isFinite(li.previousPrice)) {
            li.modifierAmount += Math.abs(li.previousPrice - li.modifierReplace) * Math.abs(li.line?.quantity ?? 1);
          }
          li.modifierReplace = undefined;
          li.previousPrice = undefined;
          const reason = li.modifierReason.toLowerCase();
          if (reason.includes('employee')) {
            t.employeeDiscount = true;
            t.discount += li.modifierAmount;
          } else if (name === 'Discount' || reason.includes('discount') || reason.includes('coupon') || reason.includes('promo') || /\bpm\b/.test(reason)) t.discount += li.modifierAmount;
          else {
            t.overrides++;
            t.overrideAmount += li.modifierAmount;
          }
          li.modifierAmount = 0;
          li.modifierReason = '';
        }
        return;
      case 'Total':
        if (parent === 'RetailTransaction') {
          const type = norm((tag.attributes.TotalType as { value: string } | undefined)?.value ?? '');
          const cents = money(text);
          if (Number.isFinite(cents) && !t.totals.has(type)) t.totals.set(type, cents);
        }
        return;
      case 'LineItem':
        if (li && parent === 'RetailTransaction') this.closeLineItem(t, li);
        return;
      case 'Transaction':
        this.emit(t);
        this.txn = null;
        this.unitTypeCode = undefined;
        return;
      default:
        return;
    }
  }

  private closeLineItem(t: Txn, li: LineItemState) {
    if (li.time) {
      t.firstLineTime ??= li.time;
      t.lastLineTime = li.time;
    }
    const line = li.line;
    if (line) {
      line.sequence = li.sequence;
      line.createNumber = li.createNumber;
      if (li.voids) line.voids = li.voids;
      if (li.entryMethod === 'keyed' && !line.voided) t.manualEntries++;
      if (line.voided && this.cancelEarlier(t, line)) {
        // The void line itself is not a line of the receipt: it marked an earlier one voided.
      } else {
        t.lines.push(line);
      }
      if (line.gift && !line.voided) t.giftIssued += Math.abs(line.amount);
    }
    if (li.tender) {
      if (li.tender.type === 'card' && !li.tender.entry) li.tender.entry = ENTRY_METHODS[norm(li.entryMethod)] ?? null;
      if (li.tender.type !== 'card') li.tender.entry = null;
      t.tenders.push(li.tender);
    }
    this.lineItem = null;
  }

  /**
   * Vendors write a line void two ways: the voided line carries VoidFlag (in place), or a second,
   * cancelling line carries VoidFlag and points back (Wincor: ItemLink / CreateRefNumber) or repeats
   * the item with a negative quantity and amount (NCR ACS). The second way marks the earlier line.
   */
  private cancelEarlier(t: Txn, v: Line): boolean {
    let target: Line | undefined;
    if (v.voids) target = t.lines.find((l) => !l.voided && (l.createNumber === v.voids || l.sequence === v.voids));
    if (!target && (v.amount < 0 || v.quantity < 0)) {
      for (let i = t.lines.length - 1; i >= 0; i--) {
        const l = t.lines[i];
        if (!l.voided && l.item === v.item && Math.abs(l.amount) === Math.abs(v.amount)) {
          target = l;
          break;
        }
      }
    }
    if (!target) return false;
    target.voided = true;
    return true;
  }

  /** A POSLog time as store-local "YYYY-MM-DDTHH:MM:SS": an offset is honoured, fractions dropped. */
  private local(value: string | undefined, store: string | undefined): string | undefined {
    if (!value) return undefined;
    const v = value.trim();
    if (WITH_OFFSET.test(v)) {
      const zone = store ? this.zoneOf(store) : undefined;
      // Date.parse takes at most milliseconds: 7-digit fractions (.NET) are cut to three.
      const instant = Date.parse(v.replace(/(\.\d{3})\d+/, '$1'));
      if (zone && Number.isFinite(instant)) return localIn(zone, instant);
    }
    return v.slice(0, 19);
  }

  private emit(t: Txn) {
    const place = { line: t.line, record: describe(t) };
    let type: string;
    if (t.kind === 'control' || t.kind === 'tender_control') {
      if (t.controlType === 'no_sale') type = 'no_sale';
      else if (t.controlType === 'paid_in' || t.controlType === 'paid_out') type = t.controlType;
      else {
        this.skippedControl++;
        return;
      }
    } else if (t.kind === 'retail') {
      if (!t.lines.length && !t.tenders.length && !t.totals.size) {
        // An empty RetailTransaction (Wincor writes one when a till opens): nothing was sold.
        this.skippedControl++;
        return;
      }
      const status = (t.status ?? '').toLowerCase();
      const live = t.lines.filter((l) => !l.voided);
      if (status === 'postvoided' || status === 'postvoid') type = 'post_void';
      else if (status === 'voided' || status === 'canceled' || status === 'cancelled' || t.cancelled) type = 'void';
      else if (live.length && live.every((l) => l.kind === 'return')) type = 'return';
      else type = 'sale';
    } else {
      this.onError(place, 'Transaction has neither a RetailTransaction, a ControlTransaction nor a TenderControlTransaction');
      return;
    }
    if (t.training) type = 'training';
    const live = t.lines.filter((l) => !l.voided);
    const voided = t.lines.filter((l) => l.voided);
    // Item count = live sale lines: a weighed line (0.42 kg) counts once; quantities stay in details.
    const items = live.length;
    let total: number | undefined;
    for (const key of TOTAL_PREFERENCE) {
      if (t.totals.has(key)) {
        total = t.totals.get(key);
        break;
      }
    }
    if (total === undefined) total = t.paidAmount ?? live.reduce((n, l) => n + (l.kind === 'return' ? -Math.abs(l.amount) : l.amount), 0);
    if (type === 'return' && total > 0) total = -total;
    if (type === 'paid_out' && total > 0) total = -total;
    if ((type === 'void' || type === 'post_void') && total < 0) total = -total;
    const tenderTypes = [...new Set(t.tenders.map((x) => x.type))];
    const tender = tenderTypes.length === 0 ? 'none' : tenderTypes.length === 1 ? tenderTypes[0] : 'mixed';
    const entry = t.tenders.find((x) => x.entry)?.entry ?? null;
    const store = t.store || t.unitId;
    // A missing begin time falls back to the first line's time, then the log or receipt time, then the end.
    const begin = this.local(t.begin ?? t.firstLineTime ?? t.logTime ?? t.receipt ?? t.end, store);
    const end = this.local(t.end ?? t.lastLineTime ?? t.receipt, store);
    const v: Array<string | undefined> = new Array(FIELDS.length);
    v[F.store] = store;
    v[F.register] = t.register || t.till;
    v[F.cashier_id] = t.operator;
    v[F.cashier_name] = t.operatorName;
    v[F.transaction] = t.sequence || t.transactionId;
    v[F.business_day] = t.businessDay ?? begin?.slice(0, 10);
    v[F.start] = begin;
    v[F.end] = end;
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
    if (t.lines.length || t.tenders.length || t.transactionId) {
      v[F.details] = JSON.stringify({
        ...(t.transactionId ? { transactionId: t.transactionId } : {}),
        lines: t.lines.map((l) => ({ kind: l.kind, item: l.item, description: l.description, quantity: l.quantity, ...(l.unit ? { unit: l.unit } : {}), amountCents: l.amount, voided: l.voided })),
        tenders: t.tenders.map((x) => ({ type: x.type, ...(x.vendorType && TENDER_TYPES[norm(x.vendorType)] === undefined ? { vendorType: x.vendorType } : {}), amountCents: x.amount, entry: x.entry })),
      });
    }
    this.onRow(v, place);
  }
}

function describe(t: Txn): string {
  const id = t.sequence || t.transactionId;
  return `transaction ${t.ordinal}${id ? ` (sequence ${id})` : ''}, character ${t.offset}`;
}

export class PosLogSyntaxError extends Error {
  constructor(
    public readonly line: number,
    public readonly record: string,
    message: string,
  ) {
    super(message);
  }
}
