CREATE TABLE "pos_cashier_days" (
	"store_id" uuid NOT NULL,
	"cashier_code" text NOT NULL,
	"business_day" date NOT NULL,
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
	CONSTRAINT "pos_cashier_days_pkey" PRIMARY KEY("store_id","business_day","cashier_code")
);
--> statement-breakpoint
CREATE TABLE "pos_cashiers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"first_day" date,
	"last_day" date
);
--> statement-breakpoint
CREATE TABLE "pos_exception_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"exception_id" uuid NOT NULL,
	"author_id" uuid,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pos_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "pos_exceptions_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"rule" text NOT NULL,
	"rules" text[] NOT NULL,
	"store_id" uuid NOT NULL,
	"cashier_code" text NOT NULL,
	"transaction_id" bigint,
	"period" text,
	"period_start" date,
	"score" real,
	"amount_cents" bigint,
	"summary" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"dismiss_reason" text,
	"assignee_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_exceptions_kind_check" CHECK ("pos_exceptions"."kind" in ('cashier_period','transaction')),
	CONSTRAINT "pos_exceptions_status_check" CHECK ("pos_exceptions"."status" in ('new','reviewing','dismissed','watch','confirmed')),
	CONSTRAINT "pos_exceptions_dismiss_check" CHECK ("pos_exceptions"."status" <> 'dismissed' or "pos_exceptions"."dismiss_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "pos_imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"format" text NOT NULL,
	"filename" text NOT NULL,
	"sha256" text,
	"skip_invalid" boolean NOT NULL,
	"bytes_total" bigint,
	"bytes_read" bigint NOT NULL,
	"rows_read" integer NOT NULL,
	"rows_inserted" integer NOT NULL,
	"rows_duplicate" integer NOT NULL,
	"rows_invalid" integer NOT NULL,
	"errors" jsonb NOT NULL,
	"error_total" integer NOT NULL,
	"unknown_stores" jsonb NOT NULL,
	"message" text NOT NULL,
	"created_by" uuid,
	"created_by_name" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "pos_imports_status_check" CHECK ("pos_imports"."status" in ('succeeded','failed'))
);
--> statement-breakpoint
CREATE TABLE "pos_register_cameras" (
	"store_id" uuid NOT NULL,
	"register" text NOT NULL,
	"camera" text NOT NULL,
	CONSTRAINT "pos_register_cameras_pkey" PRIMARY KEY("store_id","register")
);
--> statement-breakpoint
CREATE TABLE "pos_scores" (
	"store_id" uuid NOT NULL,
	"cashier_code" text NOT NULL,
	"period" text NOT NULL,
	"period_start" date NOT NULL,
	"score" real NOT NULL,
	"band" text NOT NULL,
	"txn_count" integer NOT NULL,
	"explanation" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_scores_pkey" PRIMARY KEY("period","period_start","store_id","cashier_code"),
	CONSTRAINT "pos_scores_period_check" CHECK ("pos_scores"."period" in ('day','week')),
	CONSTRAINT "pos_scores_band_check" CHECK ("pos_scores"."band" in ('low','watch','high'))
);
--> statement-breakpoint
CREATE TABLE "pos_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"config" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "pos_transactions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pos_transactions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
	CONSTRAINT "pos_transactions_type_check" CHECK ("pos_transactions"."type" in ('sale','return','void','post_void','no_sale','paid_in','paid_out','training'))
);
--> statement-breakpoint
CREATE TABLE "pos_video_systems" (
	"store_id" uuid PRIMARY KEY NOT NULL,
	"url_template" text,
	"lead_in_seconds" integer DEFAULT 10 NOT NULL,
	"lead_out_seconds" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pos_cashiers" ADD CONSTRAINT "pos_cashiers_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_exception_notes" ADD CONSTRAINT "pos_exception_notes_exception_id_pos_exceptions_id_fk" FOREIGN KEY ("exception_id") REFERENCES "public"."pos_exceptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_exception_notes" ADD CONSTRAINT "pos_exception_notes_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_exceptions" ADD CONSTRAINT "pos_exceptions_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_exceptions" ADD CONSTRAINT "pos_exceptions_assignee_id_people_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_register_cameras" ADD CONSTRAINT "pos_register_cameras_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_settings" ADD CONSTRAINT "pos_settings_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_video_systems" ADD CONSTRAINT "pos_video_systems_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pos_cashiers_store_code_key" ON "pos_cashiers" USING btree ("store_id","code");--> statement-breakpoint
CREATE INDEX "pos_exception_notes_exception_idx" ON "pos_exception_notes" USING btree ("exception_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_exceptions_transaction_key" ON "pos_exceptions" USING btree ("transaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_exceptions_period_key" ON "pos_exceptions" USING btree ("store_id","cashier_code","period","period_start","rule");--> statement-breakpoint
CREATE INDEX "pos_exceptions_occurred_idx" ON "pos_exceptions" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "pos_exceptions_status_idx" ON "pos_exceptions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "pos_imports_started_idx" ON "pos_imports" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "pos_imports_sha_idx" ON "pos_imports" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "pos_scores_cashier_idx" ON "pos_scores" USING btree ("store_id","cashier_code");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_transactions_key" ON "pos_transactions" USING btree ("store_id","business_day","register","txn_number");