-- Newsletter (M9): editions drafted from the modules, opt-in subscribers, per-recipient send records.
CREATE TABLE IF NOT EXISTS "newsletter_settings" (
	"id" integer PRIMARY KEY NOT NULL,
	"signing_key" text NOT NULL,
	"public_archive" boolean DEFAULT false NOT NULL,
	"rate_per_second" integer DEFAULT 50 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "newsletter_settings_singleton_check" CHECK ("id" = 1),
	CONSTRAINT "newsletter_settings_rate_check" CHECK ("rate_per_second" > 0)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "newsletter_editions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
	"cadence" text NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"title" text NOT NULL,
	"editor_note" text DEFAULT '' NOT NULL,
	"sections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"audience" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"scheduled_at" timestamp with time zone,
	"send_started_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"recipient_count" integer DEFAULT 0 NOT NULL,
	"created_by" uuid REFERENCES "people"("id"),
	"updated_by" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "newsletter_editions_cadence_check" CHECK ("cadence" in ('weekly','monthly')),
	CONSTRAINT "newsletter_editions_status_check" CHECK ("status" in ('draft','scheduled','sending','sent')),
	CONSTRAINT "newsletter_editions_period_check" CHECK ("period_to" > "period_from"),
	CONSTRAINT "newsletter_editions_scheduled_check" CHECK ("status" <> 'scheduled' or "scheduled_at" is not null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "newsletter_editions_number_key" ON "newsletter_editions" ("number");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "newsletter_editions_status_idx" ON "newsletter_editions" ("status","scheduled_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "newsletter_subscribers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"person_id" uuid REFERENCES "people"("id"),
	"status" text NOT NULL,
	"opt_in" boolean DEFAULT false NOT NULL,
	"frequency" text DEFAULT 'all' NOT NULL,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"bounced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "newsletter_subscribers_status_check" CHECK ("status" in ('pending','active','unsubscribed','bounced')),
	CONSTRAINT "newsletter_subscribers_frequency_check" CHECK ("frequency" in ('all','monthly')),
	CONSTRAINT "newsletter_subscribers_email_check" CHECK ("email" = lower("email"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "newsletter_subscribers_email_key" ON "newsletter_subscribers" ("email");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "newsletter_recipients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"edition_id" uuid NOT NULL REFERENCES "newsletter_editions"("id"),
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"person_id" uuid REFERENCES "people"("id"),
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"locked_by" text,
	"message_id" text NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"bounced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "newsletter_recipients_status_check" CHECK ("status" in ('queued','sending','sent','failed','bounced'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "newsletter_recipients_edition_email_key" ON "newsletter_recipients" ("edition_id","email");
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "newsletter_recipients_message_key" ON "newsletter_recipients" ("message_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "newsletter_recipients_due_idx" ON "newsletter_recipients" ("status","next_attempt_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "newsletter_recipients_email_idx" ON "newsletter_recipients" ("email");
