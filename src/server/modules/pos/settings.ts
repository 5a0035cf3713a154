import { eq } from 'drizzle-orm';
import type { PosSettings } from '../../../contracts/pos.js';
import type { DbOrTx } from '../../platform/db.js';
import { posSettings } from './schema.js';

/** Defaults until an LP lead edits them (PUT /api/pos/settings). */
export const DEFAULT_SETTINGS: PosSettings = {
  weights: {
    refund_rate: 1,
    refund_no_receipt_rate: 1,
    refund_cash_rate: 0.75,
    refund_after_sale_rate: 1.5,
    post_void_rate: 1.25,
    void_after_total_rate: 1,
    line_void_rate: 1,
    no_sale_rate: 1,
    price_override_rate: 1,
    manual_card_rate: 1,
    employee_discount_rate: 0.75,
    gift_card_rate: 0.75,
    manager_override_rate: 0.5,
    low_avg_item_value: 1,
    refund_card_repeat: 2,
    refund_other_card: 1.5,
    cash_sale_refund_card: 1.5,
    gift_card_void: 1.5,
    manual_item_rate: 1,
    low_items_per_minute: 0.75,
    low_value_per_minute: 0.75,
    discount_card_repeat: 1.5,
  },
  watchThreshold: 40,
  highThreshold: 70,
  priorTransactions: 100,
  chainWeight: 0.3,
  largeAmountCents: 10000,
  refundMatchMinutes: 30,
  storeOpenHour: 7,
  storeCloseHour: 22,
  retentionMonths: 25,
};

export async function loadSettings(db: DbOrTx): Promise<{ settings: PosSettings; updatedAt: Date | null; updatedBy: string | null }> {
  const [row] = await db.select().from(posSettings).where(eq(posSettings.id, 1));
  if (!row) return { settings: DEFAULT_SETTINGS, updatedAt: null, updatedBy: null };
  const stored = row.config as Partial<PosSettings>;
  return {
    settings: { ...DEFAULT_SETTINGS, ...stored, weights: { ...DEFAULT_SETTINGS.weights, ...(stored.weights ?? {}) } },
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}
