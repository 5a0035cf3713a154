-- Business hours per department for request targets (no row: round the clock), and priorities
-- whose targets always count every hour.
ALTER TABLE "request_priorities" ADD COLUMN IF NOT EXISTS "round_the_clock" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "request_calendars" (
	"department_id" uuid PRIMARY KEY NOT NULL REFERENCES "departments"("id"),
	"timezone" text NOT NULL,
	"work_days" integer[] NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_calendars_hours_check" CHECK ("start_time" ~ '^[0-2][0-9]:[0-5][0-9]$' and "end_time" ~ '^[0-2][0-9]:[0-5][0-9]$' and "start_time" < "end_time")
);
