-- Per store × business day sums of the cashier-days and the store-day's transaction exceptions, for the
-- dashboards (maintained at import with the cashier-days); filled here from the existing cashier-days.
CREATE TABLE IF NOT EXISTS "pos_store_days" (
	"store_id" uuid NOT NULL,
	"business_day" date NOT NULL,
	"cashier_count" integer NOT NULL,
	"txn_count" integer NOT NULL,
	"sale_count" integer NOT NULL,
	"sales_cents" bigint NOT NULL,
	"sale_items" integer NOT NULL,
	"item_count" integer NOT NULL,
	"refund_count" integer NOT NULL,
	"refund_cents" bigint NOT NULL,
	"refund_no_receipt_count" integer NOT NULL,
	"refund_cash_count" integer NOT NULL,
	"refund_after_sale_count" integer NOT NULL,
	"post_void_count" integer NOT NULL,
	"post_void_cents" bigint NOT NULL,
	"void_after_total_count" integer NOT NULL,
	"line_void_count" integer NOT NULL,
	"line_void_cents" bigint NOT NULL,
	"no_sale_count" integer NOT NULL,
	"override_count" integer NOT NULL,
	"override_cents" bigint NOT NULL,
	"card_count" integer NOT NULL,
	"manual_card_count" integer NOT NULL,
	"employee_discount_count" integer NOT NULL,
	"employee_discount_cents" bigint NOT NULL,
	"gift_issue_count" integer NOT NULL,
	"gift_redeem_count" integer NOT NULL,
	"manager_override_count" integer NOT NULL,
	"flagged_count" integer NOT NULL,
	"exception_count" integer NOT NULL,
	CONSTRAINT "pos_store_days_pkey" PRIMARY KEY("store_id","business_day")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pos_store_days_day_idx" ON "pos_store_days" USING btree ("business_day");
--> statement-breakpoint
INSERT INTO "pos_store_days" ("store_id", "business_day", "cashier_count", "txn_count", "sale_count", "sales_cents", "sale_items", "item_count", "refund_count", "refund_cents", "refund_no_receipt_count", "refund_cash_count", "refund_after_sale_count", "post_void_count", "post_void_cents", "void_after_total_count", "line_void_count", "line_void_cents", "no_sale_count", "override_count", "override_cents", "card_count", "manual_card_count", "employee_discount_count", "employee_discount_cents", "gift_issue_count", "gift_redeem_count", "manager_override_count", "flagged_count", "exception_count")
SELECT d.*, coalesce(x.n, 0)::int FROM (
  SELECT "store_id", "business_day", count(*)::int, sum("txn_count"), sum("sale_count"), sum("sales_cents"), sum("sale_items"), sum("item_count"), sum("refund_count"), sum("refund_cents"), sum("refund_no_receipt_count"), sum("refund_cash_count"), sum("refund_after_sale_count"), sum("post_void_count"), sum("post_void_cents"), sum("void_after_total_count"), sum("line_void_count"), sum("line_void_cents"), sum("no_sale_count"), sum("override_count"), sum("override_cents"), sum("card_count"), sum("manual_card_count"), sum("employee_discount_count"), sum("employee_discount_cents"), sum("gift_issue_count"), sum("gift_redeem_count"), sum("manager_override_count"), sum("flagged_count")
    FROM "pos_cashier_days" GROUP BY "store_id", "business_day") d
  LEFT JOIN (
    SELECT t."store_id", t."business_day", count(*) AS n FROM "pos_exceptions" e JOIN "pos_transactions" t ON t."id" = e."transaction_id"
     GROUP BY t."store_id", t."business_day") x ON x."store_id" = d."store_id" AND x."business_day" = d."business_day"
ON CONFLICT DO NOTHING;
