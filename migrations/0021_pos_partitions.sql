-- POS transactions partitioned by business month (declarative partitioning, PostgreSQL 15+ and
-- PGlite). The primary key becomes (id, business_day): a key of a partitioned table must hold the
-- partition key. Ids are kept (exceptions and case links name transactions by id) and the identity
-- continues after the highest one. Every existing row is copied into its month's partition; the
-- unpartitioned table is dropped at the end, in this migration's transaction.
-- Partitions for new months are created by the application before an import and by the daily
-- retention job (src/server/modules/pos/partitions.ts); rows of a month without a partition land
-- in pos_transactions_default and are moved when their month's partition is created.
ALTER TABLE "pos_transactions" RENAME TO "pos_transactions_unpartitioned";
--> statement-breakpoint
ALTER INDEX "pos_transactions_pkey" RENAME TO "pos_transactions_unpartitioned_pkey";
--> statement-breakpoint
ALTER INDEX "pos_transactions_key" RENAME TO "pos_transactions_unpartitioned_key";
--> statement-breakpoint
ALTER SEQUENCE "pos_transactions_id_seq" RENAME TO "pos_transactions_unpartitioned_id_seq";
--> statement-breakpoint
CREATE TABLE "pos_transactions" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "pos_transactions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"import_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"register" text NOT NULL,
	"cashier_code" text NOT NULL,
	"business_day" date NOT NULL,
	"txn_number" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"type" text NOT NULL,
	"total_cents" bigint NOT NULL,
	"item_count" integer NOT NULL,
	"line_void_count" integer NOT NULL,
	"line_void_cents" bigint NOT NULL,
	"override_count" integer NOT NULL,
	"override_cents" bigint NOT NULL,
	"discount_cents" bigint NOT NULL,
	"employee_discount" boolean NOT NULL,
	"manual_entry_count" integer NOT NULL,
	"tender" text NOT NULL,
	"card_entry" text,
	"card_token" text,
	"original_ref" text,
	"manager_override" text,
	"voided_after_total" boolean NOT NULL,
	"gift_issued_cents" bigint NOT NULL,
	"flags" smallint NOT NULL,
	"details" jsonb,
	CONSTRAINT "pos_transactions_pkey" PRIMARY KEY ("id", "business_day"),
	CONSTRAINT "pos_transactions_type_check" CHECK ("pos_transactions"."type" in ('sale','return','void','post_void','no_sale','paid_in','paid_out','training'))
) PARTITION BY RANGE ("business_day");
--> statement-breakpoint
CREATE UNIQUE INDEX "pos_transactions_key" ON "pos_transactions" USING btree ("store_id","business_day","register","txn_number");
--> statement-breakpoint
CREATE TABLE "pos_transactions_default" PARTITION OF "pos_transactions" DEFAULT;
--> statement-breakpoint
DO $$
DECLARE
	m date;
BEGIN
	FOR m IN SELECT DISTINCT date_trunc('month', "business_day")::date FROM "pos_transactions_unpartitioned" ORDER BY 1 LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF "pos_transactions" FOR VALUES FROM (%L) TO (%L)',
			'pos_transactions_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM'), m, (m + interval '1 month')::date);
	END LOOP;
END $$;
--> statement-breakpoint
INSERT INTO "pos_transactions" ("id", "import_id", "store_id", "register", "cashier_code", "business_day", "txn_number", "started_at", "ended_at",
	"type", "total_cents", "item_count", "line_void_count", "line_void_cents", "override_count", "override_cents", "discount_cents", "employee_discount",
	"manual_entry_count", "tender", "card_entry", "card_token", "original_ref", "manager_override", "voided_after_total", "gift_issued_cents", "flags", "details")
OVERRIDING SYSTEM VALUE
SELECT "id", "import_id", "store_id", "register", "cashier_code", "business_day", "txn_number", "started_at", "ended_at",
	"type", "total_cents", "item_count", "line_void_count", "line_void_cents", "override_count", "override_cents", "discount_cents", "employee_discount",
	"manual_entry_count", "tender", "card_entry", "card_token", "original_ref", "manager_override", "voided_after_total", "gift_issued_cents", "flags", "details"
FROM "pos_transactions_unpartitioned";
--> statement-breakpoint
-- New ids continue after every id the old sequence handed out (rolled-back imports used some).
SELECT setval('"pos_transactions_id_seq"', greatest(
	(SELECT last_value FROM "pos_transactions_unpartitioned_id_seq"),
	(SELECT coalesce(max("id"), 0) FROM "pos_transactions"), 1));
--> statement-breakpoint
DROP TABLE "pos_transactions_unpartitioned";
--> statement-breakpoint
ANALYZE "pos_transactions";
