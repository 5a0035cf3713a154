-- District and regional people (district LP managers, regional directors) see every store of their
-- district or region: a person is attached to one store, one district, one region, or to none (HQ).
ALTER TABLE "people" ADD COLUMN IF NOT EXISTS "scope_district" text;
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN IF NOT EXISTS "scope_region" text;
--> statement-breakpoint
DO $$ BEGIN
  ALTER TABLE "people" ADD CONSTRAINT "people_one_territory_check" CHECK (num_nonnulls("store_id", "scope_district", "scope_region") <= 1);
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
