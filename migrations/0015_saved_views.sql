-- Saved list views: a person's named filter, sort and search of one list (the list's URL state).
CREATE TABLE IF NOT EXISTS "saved_views" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL REFERENCES "people"("id") ON DELETE CASCADE,
	"list_key" text NOT NULL,
	"name" text NOT NULL,
	"search" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "saved_views_person_list_name_key" ON "saved_views" ("person_id","list_key",lower("name"));
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "saved_views_one_default_key" ON "saved_views" ("person_id","list_key") WHERE "is_default";
