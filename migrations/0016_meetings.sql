CREATE TABLE IF NOT EXISTS "meeting_series" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
	"uid" text NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"title" text NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"cadence" text NOT NULL,
	"first_date" date NOT NULL,
	"local_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"timezone" text NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"chair_id" uuid NOT NULL REFERENCES "people"("id"),
	"note_taker_id" uuid NOT NULL REFERENCES "people"("id"),
	"status" text DEFAULT 'active' NOT NULL,
	"generated_until" timestamp with time zone,
	"created_by_id" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_series_cadence_check" CHECK ("meeting_series"."cadence" in ('weekly','biweekly','monthly','quarterly','weekdays')),
	CONSTRAINT "meeting_series_status_check" CHECK ("meeting_series"."status" in ('active','ended')),
	CONSTRAINT "meeting_series_duration_check" CHECK ("meeting_series"."duration_minutes" between 5 and 480)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "meeting_series_number_key" ON "meeting_series" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "meeting_series_uid_key" ON "meeting_series" USING btree ("uid");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "meeting_series_attendees" (
	"series_id" uuid NOT NULL REFERENCES "meeting_series"("id"),
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	CONSTRAINT "meeting_series_attendees_pkey" PRIMARY KEY("series_id","person_id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "meeting_series_attendees_person_idx" ON "meeting_series_attendees" USING btree ("person_id");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "meeting_occurrences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
	"series_id" uuid NOT NULL REFERENCES "meeting_series"("id"),
	"original_starts_at" timestamp with time zone NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"location" text,
	"change_note" text,
	"follow_up_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_occurrences_status_check" CHECK ("meeting_occurrences"."status" in ('scheduled','cancelled')),
	CONSTRAINT "meeting_occurrences_time_check" CHECK ("meeting_occurrences"."ends_at" > "meeting_occurrences"."starts_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "meeting_occurrences_number_key" ON "meeting_occurrences" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "meeting_occurrences_slot_key" ON "meeting_occurrences" USING btree ("series_id","original_starts_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "meeting_occurrences_starts_idx" ON "meeting_occurrences" USING btree ("series_id","starts_at");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "meeting_attendance" (
	"occurrence_id" uuid NOT NULL REFERENCES "meeting_occurrences"("id"),
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	"status" text NOT NULL,
	CONSTRAINT "meeting_attendance_pkey" PRIMARY KEY("occurrence_id","person_id"),
	CONSTRAINT "meeting_attendance_status_check" CHECK ("meeting_attendance"."status" in ('present','absent','excused'))
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "meeting_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"occurrence_id" uuid NOT NULL REFERENCES "meeting_occurrences"("id"),
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid REFERENCES "people"("id"),
	"time_box_minutes" integer DEFAULT 10 NOT NULL,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"suggestion_key" text,
	"why" text,
	"minutes" text DEFAULT '' NOT NULL,
	"added_by_id" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_items_time_box_check" CHECK ("meeting_items"."time_box_minutes" between 1 and 240)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "meeting_items_occurrence_idx" ON "meeting_items" USING btree ("occurrence_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "meeting_items_suggestion_key" ON "meeting_items" USING btree ("occurrence_id","suggestion_key");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "meeting_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"occurrence_id" uuid NOT NULL REFERENCES "meeting_occurrences"("id"),
	"item_id" uuid REFERENCES "meeting_items"("id"),
	"text" text NOT NULL,
	"created_by_id" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "meeting_decisions_occurrence_idx" ON "meeting_decisions" USING btree ("occurrence_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "meeting_decisions_created_idx" ON "meeting_decisions" USING btree ("created_at");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "meeting_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
	"series_id" uuid NOT NULL REFERENCES "meeting_series"("id"),
	"occurrence_id" uuid NOT NULL REFERENCES "meeting_occurrences"("id"),
	"item_id" uuid REFERENCES "meeting_items"("id"),
	"title" text NOT NULL,
	"owner_id" uuid NOT NULL REFERENCES "people"("id"),
	"due_date" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"done_at" timestamp with time zone,
	"done_by_id" uuid REFERENCES "people"("id"),
	"created_by_id" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_actions_status_check" CHECK ("meeting_actions"."status" in ('open','done')),
	CONSTRAINT "meeting_actions_done_check" CHECK ("meeting_actions"."status" <> 'done' or "meeting_actions"."done_at" is not null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "meeting_actions_number_key" ON "meeting_actions" USING btree ("number");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "meeting_actions_series_idx" ON "meeting_actions" USING btree ("series_id","status");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "meeting_actions_owner_idx" ON "meeting_actions" USING btree ("owner_id","status");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "meeting_dismissals" (
	"series_id" uuid NOT NULL REFERENCES "meeting_series"("id"),
	"key" text NOT NULL,
	"dismissed_by_id" uuid REFERENCES "people"("id"),
	"dismissed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_dismissals_pkey" PRIMARY KEY("series_id","key")
);
