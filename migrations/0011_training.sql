CREATE TABLE "training_skills" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"track" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_skills_track_check" CHECK ("training_skills"."track" in ('lp','it','shared'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "training_skills_code_key" ON "training_skills" USING btree ("code");--> statement-breakpoint
CREATE TABLE "training_targets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"skill_id" uuid NOT NULL REFERENCES "training_skills"("id"),
	"department_id" uuid REFERENCES "departments"("id"),
	"title" text,
	"level" integer NOT NULL,
	CONSTRAINT "training_targets_level_check" CHECK ("training_targets"."level" between 1 and 4)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "training_targets_scope_key" ON "training_targets" USING btree ("skill_id", coalesce("department_id"::text, ''), lower(coalesce("title", '')));--> statement-breakpoint
CREATE TABLE "training_ratings" (
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	"skill_id" uuid NOT NULL REFERENCES "training_skills"("id"),
	"self_level" integer NOT NULL,
	"self_rated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_level" integer,
	"confirmed_by_id" uuid REFERENCES "people"("id"),
	"confirmed_at" timestamp with time zone,
	"note" text,
	"status" text DEFAULT 'pending' NOT NULL,
	CONSTRAINT "training_ratings_pkey" PRIMARY KEY("person_id","skill_id"),
	CONSTRAINT "training_ratings_self_level_check" CHECK ("training_ratings"."self_level" between 0 and 4),
	CONSTRAINT "training_ratings_confirmed_level_check" CHECK ("training_ratings"."confirmed_level" is null or "training_ratings"."confirmed_level" between 0 and 4),
	CONSTRAINT "training_ratings_status_check" CHECK ("training_ratings"."status" in ('pending','confirmed')),
	CONSTRAINT "training_ratings_confirmed_check" CHECK ("training_ratings"."status" <> 'confirmed' or "training_ratings"."confirmed_level" is not null)
);
--> statement-breakpoint
CREATE INDEX "training_ratings_status_idx" ON "training_ratings" USING btree ("status");--> statement-breakpoint
CREATE TABLE "training_rating_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	"skill_id" uuid NOT NULL REFERENCES "training_skills"("id"),
	"kind" text NOT NULL,
	"level" integer NOT NULL,
	"actor_id" uuid REFERENCES "people"("id"),
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_rating_events_kind_check" CHECK ("training_rating_events"."kind" in ('self','confirm'))
);
--> statement-breakpoint
CREATE INDEX "training_rating_events_person_idx" ON "training_rating_events" USING btree ("person_id","at");--> statement-breakpoint
CREATE TABLE "training_certifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	"name" text NOT NULL,
	"issuer" text DEFAULT '' NOT NULL,
	"issued_on" date,
	"expires_on" date,
	"remind_days" integer DEFAULT 60 NOT NULL,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "training_certifications_person_idx" ON "training_certifications" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "training_certifications_expires_idx" ON "training_certifications" USING btree ("expires_on");--> statement-breakpoint
CREATE TABLE "training_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "training_sessions_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"uid" text NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"host_id" uuid NOT NULL REFERENCES "people"("id"),
	"organizer_id" uuid NOT NULL REFERENCES "people"("id"),
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"timezone" text NOT NULL,
	"store_id" uuid REFERENCES "stores"("id"),
	"room" text DEFAULT '' NOT NULL,
	"goals" text DEFAULT '' NOT NULL,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_sessions_status_check" CHECK ("training_sessions"."status" in ('scheduled','cancelled')),
	CONSTRAINT "training_sessions_time_check" CHECK ("training_sessions"."ends_at" > "training_sessions"."starts_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "training_sessions_number_key" ON "training_sessions" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "training_sessions_uid_key" ON "training_sessions" USING btree ("uid");--> statement-breakpoint
CREATE INDEX "training_sessions_host_idx" ON "training_sessions" USING btree ("host_id","starts_at");--> statement-breakpoint
CREATE INDEX "training_sessions_starts_idx" ON "training_sessions" USING btree ("starts_at");--> statement-breakpoint
CREATE TABLE "training_session_guests" (
	"session_id" uuid NOT NULL REFERENCES "training_sessions"("id"),
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	"response" text DEFAULT 'pending' NOT NULL,
	"responded_at" timestamp with time zone,
	CONSTRAINT "training_session_guests_pkey" PRIMARY KEY("session_id","person_id"),
	CONSTRAINT "training_session_guests_response_check" CHECK ("training_session_guests"."response" in ('pending','accepted','declined'))
);
--> statement-breakpoint
CREATE INDEX "training_session_guests_person_idx" ON "training_session_guests" USING btree ("person_id");--> statement-breakpoint
CREATE TABLE "training_session_skills" (
	"session_id" uuid NOT NULL REFERENCES "training_sessions"("id"),
	"skill_id" uuid NOT NULL REFERENCES "training_skills"("id"),
	CONSTRAINT "training_session_skills_pkey" PRIMARY KEY("session_id","skill_id")
);
--> statement-breakpoint
CREATE TABLE "training_reflections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL REFERENCES "training_sessions"("id"),
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	"learned" text NOT NULL,
	"redundancies" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "training_reflections_person_key" ON "training_reflections" USING btree ("session_id","person_id");--> statement-breakpoint
CREATE TABLE "training_reflection_ideas" (
	"reflection_id" uuid NOT NULL REFERENCES "training_reflections"("id"),
	"idea_id" uuid NOT NULL REFERENCES "ideas"("id"),
	CONSTRAINT "training_reflection_ideas_pkey" PRIMARY KEY("reflection_id","idea_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "training_reflection_ideas_idea_key" ON "training_reflection_ideas" USING btree ("idea_id");--> statement-breakpoint
-- Calendar invitations travel with their mail: the .ics (method, file name, content) for SMTP and the outbox.
ALTER TABLE "mail_messages" ADD COLUMN IF NOT EXISTS "ical_event" jsonb;
