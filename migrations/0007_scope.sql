CREATE TABLE IF NOT EXISTS "department_module_access" (
	"department_id" uuid NOT NULL,
	"module" text NOT NULL,
	"access" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "department_module_access_pkey" PRIMARY KEY("department_id","module"),
	CONSTRAINT "department_module_access_access_check" CHECK ("department_module_access"."access" in ('none','read','work'))
);
--> statement-breakpoint
ALTER TABLE "department_module_access" ADD CONSTRAINT "department_module_access_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "department_module_access" ADD CONSTRAINT "department_module_access_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;
