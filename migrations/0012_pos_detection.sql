-- Cashier monitoring: peer groups (POS operators, register types), detection signals, evidence over a date range.
CREATE TABLE IF NOT EXISTS "pos_operators" (
	"store_id" uuid NOT NULL REFERENCES "stores"("id"),
	"code" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"role" text DEFAULT 'cashier' NOT NULL,
	"hire_date" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_operators_pkey" PRIMARY KEY("store_id","code"),
	CONSTRAINT "pos_operators_role_check" CHECK ("role" in ('cashier','supervisor','manager'))
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pos_registers" (
	"store_id" uuid NOT NULL REFERENCES "stores"("id"),
	"register" text NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"confirmed_by" uuid REFERENCES "people"("id"),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_registers_pkey" PRIMARY KEY("store_id","register"),
	CONSTRAINT "pos_registers_type_check" CHECK ("type" in ('lane','service_desk','self_checkout')),
	CONSTRAINT "pos_registers_status_check" CHECK ("status" in ('proposed','confirmed'))
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pos_cashier_day_signals" (
	"store_id" uuid NOT NULL,
	"cashier_code" text NOT NULL,
	"business_day" date NOT NULL,
	"refund_card_count" integer NOT NULL,
	"refund_other_card_count" integer NOT NULL,
	"refund_cash_sale_to_card_count" integer NOT NULL,
	"gift_void_count" integer NOT NULL,
	"timed_sale_count" integer NOT NULL,
	"timed_sale_seconds" double precision NOT NULL,
	"timed_sale_items" integer NOT NULL,
	"timed_sale_cents" bigint NOT NULL,
	"manual_item_count" integer NOT NULL,
	"discount_count" integer NOT NULL,
	"night_count" integer NOT NULL,
	CONSTRAINT "pos_cashier_day_signals_pkey" PRIMARY KEY("store_id","business_day","cashier_code")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pos_cashier_register_days" (
	"store_id" uuid NOT NULL,
	"cashier_code" text NOT NULL,
	"register" text NOT NULL,
	"business_day" date NOT NULL,
	"txn_count" integer NOT NULL,
	"refund_count" integer NOT NULL,
	"card_count" integer NOT NULL,
	"keyed_count" integer NOT NULL,
	CONSTRAINT "pos_cashier_register_days_pkey" PRIMARY KEY("store_id","business_day","cashier_code","register")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pos_cashier_card_days" (
	"store_id" uuid NOT NULL,
	"cashier_code" text NOT NULL,
	"business_day" date NOT NULL,
	"card_token" text NOT NULL,
	"refund_count" integer NOT NULL,
	"refund_cents" bigint NOT NULL,
	"discount_count" integer NOT NULL,
	CONSTRAINT "pos_cashier_card_days_pkey" PRIMARY KEY("store_id","business_day","cashier_code","card_token")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pos_exceptions_cashier_idx" ON "pos_exceptions" ("store_id","cashier_code");
--> statement-breakpoint
-- Backfill from the transactions already stored, so an upgraded database scores with every signal.
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
  and o.business_day = (case when split_part(t.original_ref, '/', 4) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then split_part(t.original_ref, '/', 4) end)::date
where true and t.type <> 'training'
group by t.store_id, t.cashier_code, t.business_day;
--> statement-breakpoint
insert into pos_cashier_register_days (store_id, cashier_code, register, business_day, txn_count, refund_count, card_count, keyed_count)
select t.store_id, t.cashier_code, t.register, t.business_day, count(*), count(*) filter (where t.type = 'return'),
  count(*) filter (where t.type = 'sale' and t.card_entry is not null), count(*) filter (where t.type = 'sale' and t.card_entry = 'keyed')
from pos_transactions t
where true and t.type <> 'training'
group by t.store_id, t.cashier_code, t.register, t.business_day;
--> statement-breakpoint
insert into pos_cashier_card_days (store_id, cashier_code, business_day, card_token, refund_count, refund_cents, discount_count)
select t.store_id, t.cashier_code, t.business_day, t.card_token, count(*) filter (where t.type = 'return'),
  coalesce(-sum(t.total_cents) filter (where t.type = 'return'), 0), count(*) filter (where t.type = 'sale')
from pos_transactions t
where true and t.card_token is not null
  and (t.type = 'return' or (t.type = 'sale' and t.discount_cents > 0 and not t.employee_discount))
group by t.store_id, t.cashier_code, t.business_day, t.card_token;
