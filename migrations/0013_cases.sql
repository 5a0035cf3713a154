-- Incidents and cases (M1): incident reports and anonymous tips, investigations with members, tasks,
-- a timeline, links to POS exceptions, evidence stored in PostgreSQL in chunks, and an append-only
-- chain-of-custody log per evidence item.
CREATE TABLE IF NOT EXISTS "case_blobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"chunk_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_blob_chunks" (
	"blob_id" uuid NOT NULL REFERENCES "case_blobs"("id") ON DELETE CASCADE,
	"seq" integer NOT NULL,
	"data" bytea NOT NULL,
	CONSTRAINT "case_blob_chunks_pkey" PRIMARY KEY("blob_id","seq")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"tips_enabled" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid REFERENCES "people"("id"),
	CONSTRAINT "case_settings_one_row" CHECK ("id" = 1)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_ref_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"ref" text NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"sealed" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"summary" text DEFAULT '' NOT NULL,
	"store_id" uuid REFERENCES "stores"("id"),
	"lead_id" uuid NOT NULL REFERENCES "people"("id"),
	"subject_kind" text DEFAULT 'unknown' NOT NULL,
	"subject_name" text DEFAULT '' NOT NULL,
	"subject_description" text DEFAULT '' NOT NULL,
	"subject_person_id" uuid REFERENCES "people"("id"),
	"subject_cashier_id" uuid REFERENCES "pos_cashiers"("id"),
	"loss_cents" bigint DEFAULT 0 NOT NULL,
	"recovery_cents" bigint DEFAULT 0 NOT NULL,
	"restitution_cents" bigint DEFAULT 0 NOT NULL,
	"police_referral_date" date,
	"hr_referral_date" date,
	"created_by" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "cases_ref_key" UNIQUE("ref"),
	CONSTRAINT "cases_year_seq_key" UNIQUE("year","seq"),
	CONSTRAINT "cases_type_check" CHECK ("type" in ('external_theft','internal_theft','orc','return_fraud','vendor_fraud','process_error','damage','cyber')),
	CONSTRAINT "cases_status_check" CHECK ("status" in ('open','on_hold','closed')),
	CONSTRAINT "cases_outcome_check" CHECK ("outcome" is null or "outcome" in ('substantiated','unsubstantiated','inconclusive')),
	CONSTRAINT "cases_closed_outcome_check" CHECK ("status" <> 'closed' or "outcome" is not null),
	CONSTRAINT "cases_subject_kind_check" CHECK ("subject_kind" in ('employee','external','vendor','unknown')),
	CONSTRAINT "cases_amounts_check" CHECK ("loss_cents" >= 0 and "recovery_cents" >= 0 and "restitution_cents" >= 0)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_status_idx" ON "cases" ("status");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_store_idx" ON "cases" ("store_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_cashier_idx" ON "cases" ("subject_cashier_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_members" (
	"case_id" uuid NOT NULL REFERENCES "cases"("id") ON DELETE CASCADE,
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	"access" text DEFAULT 'work' NOT NULL,
	"added_by" uuid REFERENCES "people"("id"),
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_members_pkey" PRIMARY KEY("case_id","person_id"),
	CONSTRAINT "case_members_access_check" CHECK ("access" in ('read','work'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_members_person_idx" ON "case_members" ("person_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL REFERENCES "cases"("id") ON DELETE CASCADE,
	"title" text NOT NULL,
	"owner_id" uuid REFERENCES "people"("id"),
	"due_date" date,
	"done_at" timestamp with time zone,
	"created_by" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_tasks_case_idx" ON "case_tasks" ("case_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_tasks_owner_idx" ON "case_tasks" ("owner_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL REFERENCES "cases"("id") ON DELETE CASCADE,
	"kind" text DEFAULT 'note' NOT NULL,
	"author_id" uuid REFERENCES "people"("id"),
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_notes_kind_check" CHECK ("kind" in ('note','event'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_notes_case_idx" ON "case_notes" ("case_id", "created_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_pos_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL REFERENCES "cases"("id") ON DELETE CASCADE,
	"exception_id" uuid REFERENCES "pos_exceptions"("id"),
	"transaction_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_pos_links_target_check" CHECK ("exception_id" is not null or "transaction_id" is not null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "case_pos_links_exception_key" ON "case_pos_links" ("case_id", "exception_id") WHERE "exception_id" is not null;
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "case_pos_links_transaction_key" ON "case_pos_links" ("case_id", "transaction_id") WHERE "transaction_id" is not null and "exception_id" is null;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_pos_links_exception_idx" ON "case_pos_links" ("exception_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_requests" (
	"case_id" uuid NOT NULL REFERENCES "cases"("id") ON DELETE CASCADE,
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_requests_pkey" PRIMARY KEY("case_id","request_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
	"source" text DEFAULT 'report' NOT NULL,
	"store_id" uuid REFERENCES "stores"("id"),
	"occurred_at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"estimated_loss_cents" bigint DEFAULT 0 NOT NULL,
	"recovered_cents" bigint DEFAULT 0 NOT NULL,
	"narrative" text NOT NULL,
	"people_involved" text DEFAULT '' NOT NULL,
	"police_report" text DEFAULT '' NOT NULL,
	"reporter_id" uuid REFERENCES "people"("id"),
	"tip_code_hash" text,
	"client_key" uuid,
	"status" text DEFAULT 'new' NOT NULL,
	"close_reason" text,
	"duplicate_of" uuid REFERENCES "incidents"("id"),
	"case_id" uuid REFERENCES "cases"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_number_key" UNIQUE("number"),
	CONSTRAINT "incidents_source_check" CHECK ("source" in ('report','tip')),
	CONSTRAINT "incidents_type_check" CHECK ("type" in ('external_theft','internal_theft','orc','return_fraud','vendor_fraud','process_error','damage','cyber')),
	CONSTRAINT "incidents_status_check" CHECK ("status" in ('new','triaged','linked','closed')),
	CONSTRAINT "incidents_closed_reason_check" CHECK ("status" <> 'closed' or "close_reason" is not null),
	CONSTRAINT "incidents_linked_case_check" CHECK ("status" <> 'linked' or "case_id" is not null),
	CONSTRAINT "incidents_amounts_check" CHECK ("estimated_loss_cents" >= 0 and "recovered_cents" >= 0),
	CONSTRAINT "incidents_reporter_check" CHECK ("source" = 'tip' or "reporter_id" is not null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "incidents_tip_code_key" ON "incidents" ("tip_code_hash") WHERE "tip_code_hash" is not null;
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "incidents_client_key" ON "incidents" ("reporter_id", "client_key") WHERE "client_key" is not null;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "incidents_status_idx" ON "incidents" ("status");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "incidents_store_idx" ON "incidents" ("store_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "incidents_reporter_idx" ON "incidents" ("reporter_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "incidents_case_idx" ON "incidents" ("case_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "incident_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL REFERENCES "incidents"("id") ON DELETE CASCADE,
	"blob_id" uuid NOT NULL REFERENCES "case_blobs"("id"),
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "incident_files_incident_idx" ON "incident_files" ("incident_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "incident_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL REFERENCES "incidents"("id") ON DELETE CASCADE,
	"from_tipster" boolean NOT NULL,
	"author_id" uuid REFERENCES "people"("id"),
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "incident_messages_incident_idx" ON "incident_messages" ("incident_id", "created_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL REFERENCES "cases"("id") ON DELETE CASCADE,
	"number" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"blob_id" uuid REFERENCES "case_blobs"("id"),
	"filename" text,
	"content_type" text,
	"size_bytes" bigint,
	"sha256" text,
	"url" text,
	"source" text DEFAULT 'upload' NOT NULL,
	"integrity_alarm_at" timestamp with time zone,
	"created_by" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_evidence_number_key" UNIQUE("case_id","number"),
	CONSTRAINT "case_evidence_kind_check" CHECK ("kind" in ('file','link')),
	CONSTRAINT "case_evidence_file_check" CHECK ("kind" <> 'file' or ("blob_id" is not null and "sha256" is not null)),
	CONSTRAINT "case_evidence_link_check" CHECK ("kind" <> 'link' or "url" is not null),
	CONSTRAINT "case_evidence_source_check" CHECK ("source" in ('upload','incident','video_export','link'))
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "evidence_custody" (
	"id" uuid PRIMARY KEY NOT NULL,
	"evidence_id" uuid NOT NULL REFERENCES "case_evidence"("id"),
	"case_id" uuid NOT NULL REFERENCES "cases"("id"),
	"action" text NOT NULL,
	"actor_id" uuid REFERENCES "people"("id"),
	"actor_name" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"recipient" text,
	"sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_custody_action_check" CHECK ("action" in ('uploaded','viewed','downloaded','exported','transferred','released','integrity_alarm'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "evidence_custody_evidence_idx" ON "evidence_custody" ("evidence_id", "created_at");
--> statement-breakpoint
-- The chain of custody is append-only: no update, delete or truncate, whoever asks.
CREATE OR REPLACE FUNCTION evidence_custody_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'evidence_custody is append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER evidence_custody_no_update BEFORE UPDATE OR DELETE ON evidence_custody
  FOR EACH ROW EXECUTE FUNCTION evidence_custody_append_only();
--> statement-breakpoint
CREATE TRIGGER evidence_custody_no_truncate BEFORE TRUNCATE ON evidence_custody
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_custody_append_only();
