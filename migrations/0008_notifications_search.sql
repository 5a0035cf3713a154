CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL REFERENCES "people"("id") ON DELETE CASCADE,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"link" text NOT NULL,
	"record_ref" text,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"email_state" text NOT NULL,
	"digested_at" timestamp with time zone,
	CONSTRAINT "notifications_email_state_check" CHECK ("email_state" in ('off','queued','digest','digested'))
);
--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" ("recipient_id","created_at" DESC,"id" DESC);
--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" ("recipient_id") WHERE "read_at" is null;
--> statement-breakpoint
CREATE INDEX "notifications_digest_idx" ON "notifications" ("recipient_id") WHERE "email_state" = 'digest';
--> statement-breakpoint
CREATE TABLE "notification_webhooks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid REFERENCES "people"("id") ON DELETE CASCADE,
	"department_id" uuid REFERENCES "departments"("id") ON DELETE CASCADE,
	"format" text NOT NULL,
	"url" text NOT NULL,
	"signing_secret" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_webhooks_format_check" CHECK ("format" in ('slack','teams')),
	CONSTRAINT "notification_webhooks_owner_check" CHECK (("person_id" is null) <> ("department_id" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "notification_webhooks_person_key" ON "notification_webhooks" ("person_id") WHERE "person_id" is not null;
--> statement-breakpoint
CREATE UNIQUE INDEX "notification_webhooks_department_key" ON "notification_webhooks" ("department_id") WHERE "department_id" is not null;
--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"notification_id" uuid REFERENCES "notifications"("id") ON DELETE CASCADE,
	"webhook_id" uuid NOT NULL REFERENCES "notification_webhooks"("id") ON DELETE CASCADE,
	"message" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"response_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_deliveries_status_check" CHECK ("status" in ('pending','sending','sent','failed'))
);
--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" ("next_attempt_at") WHERE "status" in ('pending','sending');
--> statement-breakpoint
CREATE INDEX "notification_deliveries_notification_idx" ON "notification_deliveries" ("notification_id");
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"person_id" uuid NOT NULL REFERENCES "people"("id") ON DELETE CASCADE,
	"kind" text NOT NULL,
	"email" boolean DEFAULT true NOT NULL,
	"webhook" boolean DEFAULT true NOT NULL,
	CONSTRAINT "notification_preferences_pkey" PRIMARY KEY("person_id","kind")
);
--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"person_id" uuid PRIMARY KEY NOT NULL REFERENCES "people"("id") ON DELETE CASCADE,
	"email_digest" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "people_search_idx" ON "people" USING gin (to_tsvector('simple'::regconfig, "name" || ' ' || "email" || ' ' || "title"));
--> statement-breakpoint
CREATE INDEX "stores_search_idx" ON "stores" USING gin (to_tsvector('simple'::regconfig, "code" || ' ' || "name" || ' ' || "region" || ' ' || "district"));
--> statement-breakpoint
CREATE INDEX "ideas_simple_search_idx" ON "ideas" USING gin (to_tsvector('simple'::regconfig, "title" || ' ' || "description"));
--> statement-breakpoint
CREATE INDEX "requests_search_idx" ON "requests" USING gin (to_tsvector('simple'::regconfig, "title" || ' ' || "description"));
--> statement-breakpoint
CREATE INDEX "pos_exceptions_search_idx" ON "pos_exceptions" USING gin (to_tsvector('simple'::regconfig, "cashier_code" || ' ' || "summary"));
--> statement-breakpoint
CREATE INDEX "pos_cashiers_search_idx" ON "pos_cashiers" USING gin (to_tsvector('simple'::regconfig, "code" || ' ' || "name"));
--> statement-breakpoint
ALTER TABLE "mail_messages" ADD COLUMN "locked_until" timestamp with time zone;
