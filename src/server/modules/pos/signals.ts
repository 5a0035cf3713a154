/**
 * Aggregates behind the detection signals that the per cashier-day counters cannot give, derived in
 * SQL from the stored transactions at import (one business day of some stores at a time), so the
 * scanner and its COPY columns stay as they are. The migration 0012 runs the same statements once
 * over every stored day.
 */

/**
 * The day of an original-sale reference as a date, or null when it names no real day ("2026-02-30"
 * would otherwise stop the whole import with a cast error). Nested CASEs: only they fix the order.
 */
export const referenceDay = (text: string) => `(case when ${text} ~ '${REFERENCE_DAY.source}' then
  (case when substr(${text}, 9, 2)::int <= extract(day from (substr(${text}, 1, 8) || '01')::date + interval '1 month' - interval '1 day') then ${text}::date end) end)`;
/** A reference's day as written: YYYY-MM-DD with a real month and a day of 01–31 (the month's length is checked apart). */
export const REFERENCE_DAY = /^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
/** A 'YYYY-MM-DD' text that names a day of the calendar (REFERENCE_DAY's shape, and no 30 February). */
export const calendarDay = (text: string) => REFERENCE_DAY.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

/** Per cashier × day: refunds against the original sale's tender, gift cards voided, timed sales, keyed items, discounts, night work. */
export const SIGNAL_DAYS_SQL = (where: string) => `
insert into pos_cashier_day_signals (store_id, cashier_code, business_day, refund_card_count, refund_other_card_count, refund_cash_sale_to_card_count,
  gift_void_count, timed_sale_count, timed_sale_seconds, timed_sale_items, timed_sale_cents, manual_item_count, discount_count, night_count)
select t.store_id, t.cashier_code, t.business_day,
  count(*) filter (where t.type = 'return' and t.tender = 'card'),
  count(*) filter (where t.type = 'return' and t.tender = 'card' and o.card_token is not null and t.card_token is distinct from o.card_token),
  count(*) filter (where t.type = 'return' and t.tender = 'card' and o.tender = 'cash'),
  count(*) filter (where t.type in ('void', 'post_void') and t.gift_issued_cents > 0),
  count(*) filter (where t.type = 'sale' and t.ended_at > t.started_at and t.ended_at - t.started_at < interval '1 hour'),
  coalesce(sum(extract(epoch from t.ended_at - t.started_at)) filter (where t.type = 'sale' and t.ended_at > t.started_at and t.ended_at - t.started_at < interval '1 hour'), 0)::float8,
  coalesce(sum(t.item_count) filter (where t.type = 'sale' and t.ended_at > t.started_at and t.ended_at - t.started_at < interval '1 hour'), 0),
  coalesce(sum(t.total_cents) filter (where t.type = 'sale' and t.ended_at > t.started_at and t.ended_at - t.started_at < interval '1 hour'), 0),
  coalesce(sum(t.manual_entry_count) filter (where t.type = 'sale'), 0),
  count(*) filter (where t.type = 'sale' and t.discount_cents > 0 and not t.employee_discount),
  count(*) filter (where extract(hour from t.started_at at time zone s.timezone) >= 21 or extract(hour from t.started_at at time zone s.timezone) < 5)
from pos_transactions t
join stores s on s.id = t.store_id
left join stores os on t.type = 'return' and t.original_ref is not null and os.code = split_part(t.original_ref, '/', 1)
left join pos_transactions o on o.store_id = os.id and o.type = 'sale'
  and o.register = split_part(t.original_ref, '/', 2) and o.txn_number = split_part(t.original_ref, '/', 3)
  and o.business_day = ${referenceDay("split_part(t.original_ref, '/', 4)")}
where ${where} and t.type <> 'training'
group by t.store_id, t.cashier_code, t.business_day`;

/** Per cashier × register × day: the register mix (peer group by register type; a faulty reader is the register's). */
export const REGISTER_DAYS_SQL = (where: string) => `
insert into pos_cashier_register_days (store_id, cashier_code, register, business_day, txn_count, refund_count, card_count, keyed_count)
select t.store_id, t.cashier_code, t.register, t.business_day, count(*), count(*) filter (where t.type = 'return'),
  count(*) filter (where t.type = 'sale' and t.card_entry is not null), count(*) filter (where t.type = 'sale' and t.card_entry = 'keyed')
from pos_transactions t
where ${where} and t.type <> 'training'
group by t.store_id, t.cashier_code, t.register, t.business_day`;

/** Per cashier × card token × day: refunds and (non-employee) discounts, for "many to one card". */
export const CARD_DAYS_SQL = (where: string) => `
insert into pos_cashier_card_days (store_id, cashier_code, business_day, card_token, refund_count, refund_cents, discount_count)
select t.store_id, t.cashier_code, t.business_day, t.card_token, count(*) filter (where t.type = 'return'),
  coalesce(-sum(t.total_cents) filter (where t.type = 'return'), 0), count(*) filter (where t.type = 'sale')
from pos_transactions t
where ${where} and t.card_token is not null
  and (t.type = 'return' or (t.type = 'sale' and t.discount_cents > 0 and not t.employee_discount))
group by t.store_id, t.cashier_code, t.business_day, t.card_token`;

export const SIGNAL_TABLES = ['pos_cashier_day_signals', 'pos_cashier_register_days', 'pos_cashier_card_days'] as const;
