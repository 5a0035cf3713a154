CREATE TABLE "idea_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"idea_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"from_state" text,
	"to_state" text,
	"owner_id" uuid,
	"body" text,
	"mentions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "idea_events_kind_check" CHECK ("idea_events"."kind" in ('submitted','state','owner','comment','votes_merged'))
);
--> statement-breakpoint
CREATE TABLE "idea_votes" (
	"idea_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idea_votes_pkey" PRIMARY KEY("idea_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "ideas" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "ideas_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"description" text NOT NULL,
	"category" text NOT NULL,
	"state" text DEFAULT 'submitted' NOT NULL,
	"store_id" uuid,
	"department_id" uuid,
	"author_id" uuid NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"owner_id" uuid,
	"vote_count" integer DEFAULT 0 NOT NULL,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"decline_reason" text,
	"duplicate_of_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ideas_category_check" CHECK ("ideas"."category" in ('technology','process','training','communication','store_operations','other')),
	CONSTRAINT "ideas_state_check" CHECK ("ideas"."state" in ('submitted','under_review','accepted','declined','duplicate','in_progress','done')),
	CONSTRAINT "ideas_decline_reason_check" CHECK ("ideas"."state" <> 'declined' or "ideas"."decline_reason" is not null),
	CONSTRAINT "ideas_duplicate_check" CHECK ("ideas"."state" <> 'duplicate' or "ideas"."duplicate_of_id" is not null),
	CONSTRAINT "ideas_vote_count_check" CHECK ("ideas"."vote_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "idea_events" ADD CONSTRAINT "idea_events_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_events" ADD CONSTRAINT "idea_events_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_events" ADD CONSTRAINT "idea_events_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_votes" ADD CONSTRAINT "idea_votes_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_votes" ADD CONSTRAINT "idea_votes_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_duplicate_of_id_ideas_id_fk" FOREIGN KEY ("duplicate_of_id") REFERENCES "public"."ideas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idea_events_idea_idx" ON "idea_events" USING btree ("idea_id","at");--> statement-breakpoint
CREATE INDEX "idea_votes_person_idx" ON "idea_votes" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ideas_number_key" ON "ideas" USING btree ("number");--> statement-breakpoint
CREATE INDEX "ideas_state_idx" ON "ideas" USING btree ("state");--> statement-breakpoint
CREATE INDEX "ideas_owner_idx" ON "ideas" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "ideas_author_idx" ON "ideas" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "ideas_search_idx" ON "ideas" USING gin (to_tsvector('english', "title" || ' ' || "description"));