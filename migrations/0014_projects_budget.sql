-- Technology projects with IT gates (M4) and the IT budget with LP priority alignment (M5).
CREATE TABLE IF NOT EXISTS "project_gate_templates" (
	"type" text NOT NULL,
	"gate" text NOT NULL,
	"items" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_gate_templates_pkey" PRIMARY KEY("type","gate")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"stage" text DEFAULT 'proposal' NOT NULL,
	"owner_id" uuid NOT NULL REFERENCES "people"("id"),
	"it_contact_id" uuid REFERENCES "people"("id"),
	"estimated_cost_cents" bigint,
	"target_date" date,
	"stage_since" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_type_check" CHECK ("type" in ('camera_rollout','eas','access_control','analytics','other')),
	CONSTRAINT "projects_stage_check" CHECK ("stage" in ('proposal','security_review','capacity_review','budget_approval','pilot','rollout','done','stopped'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "projects_number_key" ON "projects" ("number");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "projects_stage_idx" ON "projects" ("stage");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "projects_simple_search_idx" ON "projects" USING gin (to_tsvector('simple', "title" || ' ' || "description"));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "project_gates" (
	"project_id" uuid NOT NULL REFERENCES "projects"("id") ON DELETE cascade,
	"gate" text NOT NULL,
	"checklist" jsonb NOT NULL,
	"passed_at" timestamp with time zone,
	CONSTRAINT "project_gates_pkey" PRIMARY KEY("project_id","gate"),
	CONSTRAINT "project_gates_gate_check" CHECK ("gate" in ('security_review','capacity_review','budget_approval'))
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "project_signoffs" (
	"project_id" uuid NOT NULL REFERENCES "projects"("id") ON DELETE cascade,
	"gate" text NOT NULL,
	"side" text NOT NULL,
	"decision" text NOT NULL,
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_signoffs_pkey" PRIMARY KEY("project_id","gate","side"),
	CONSTRAINT "project_signoffs_side_check" CHECK ("side" in ('lp','it')),
	CONSTRAINT "project_signoffs_decision_check" CHECK ("decision" in ('approved','refused'))
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "project_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL REFERENCES "projects"("id") ON DELETE cascade,
	"kind" text NOT NULL,
	"gate" text,
	"from_stage" text,
	"to_stage" text,
	"decision" text,
	"body" text DEFAULT '' NOT NULL,
	"actor_id" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "project_events_project_idx" ON "project_events" ("project_id","created_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "project_milestones" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL REFERENCES "projects"("id") ON DELETE cascade,
	"title" text NOT NULL,
	"due_date" date NOT NULL,
	"done_on" date,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "project_milestones_project_idx" ON "project_milestones" ("project_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "project_stores" (
	"project_id" uuid NOT NULL REFERENCES "projects"("id") ON DELETE cascade,
	"store_id" uuid NOT NULL REFERENCES "stores"("id"),
	"status" text DEFAULT 'planned' NOT NULL,
	"done_on" date,
	CONSTRAINT "project_stores_pkey" PRIMARY KEY("project_id","store_id"),
	CONSTRAINT "project_stores_status_check" CHECK ("status" in ('planned','in_progress','done'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "project_stores_store_idx" ON "project_stores" ("store_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "project_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL REFERENCES "projects"("id") ON DELETE cascade,
	"kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"created_by" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_links_kind_check" CHECK ("kind" in ('request','device','camera_plan','idea'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "project_links_target_key" ON "project_links" ("project_id","kind","target_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lp_priorities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 100 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "lp_priorities_code_key" ON "lp_priorities" ("code");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "budget_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
	"fiscal_year" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"vendor" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"owner_id" uuid REFERENCES "people"("id"),
	"project_id" uuid REFERENCES "projects"("id"),
	"created_by" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budget_lines_kind_check" CHECK ("kind" in ('capex','opex')),
	CONSTRAINT "budget_lines_amount_check" CHECK ("amount_cents" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "budget_lines_number_key" ON "budget_lines" ("number");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "budget_lines_year_idx" ON "budget_lines" ("fiscal_year");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "budget_lines_project_idx" ON "budget_lines" ("project_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "budget_line_priorities" (
	"line_id" uuid NOT NULL REFERENCES "budget_lines"("id") ON DELETE cascade,
	"priority_id" uuid NOT NULL REFERENCES "lp_priorities"("id"),
	"share_percent" smallint NOT NULL,
	CONSTRAINT "budget_line_priorities_pkey" PRIMARY KEY("line_id","priority_id"),
	CONSTRAINT "budget_line_priorities_share_check" CHECK ("share_percent" between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pulse_rounds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"created_by" uuid REFERENCES "people"("id"),
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pulse_answers" (
	"round_id" uuid NOT NULL REFERENCES "pulse_rounds"("id") ON DELETE cascade,
	"person_id" uuid NOT NULL REFERENCES "people"("id"),
	"priority_id" uuid NOT NULL REFERENCES "lp_priorities"("id"),
	"department" text NOT NULL,
	"is_priority" boolean NOT NULL,
	"importance" smallint NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pulse_answers_pkey" PRIMARY KEY("round_id","person_id","priority_id"),
	CONSTRAINT "pulse_answers_importance_check" CHECK ("importance" between 1 and 5),
	CONSTRAINT "pulse_answers_department_check" CHECK ("department" in ('lp','it','infosec','security'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "pulse_answers_round_idx" ON "pulse_answers" ("round_id","department");
--> statement-breakpoint
-- The LP priorities named in the seeds; admins edit the list.
INSERT INTO "lp_priorities" ("id","code","name","description","position") VALUES
('0196a000-0000-7000-8000-000000000001','cashier_cctv','Cashier monitoring via CCTV','Cameras over registers and service desks, linked to POS exceptions.',10),
('0196a000-0000-7000-8000-000000000002','eas','Electronic article surveillance (EAS)','Pedestals, tags and alarm response at the doors.',20),
('0196a000-0000-7000-8000-000000000003','video_analytics','Video analytics','People counting, self-checkout and loitering analytics on store video.',30),
('0196a000-0000-7000-8000-000000000004','access_control','Access control','Badge readers on stockrooms, cash offices and receiving doors.',40),
('0196a000-0000-7000-8000-000000000005','orc','Organised retail crime','Case linking across stores, intelligence sharing with law enforcement.',50),
('0196a000-0000-7000-8000-000000000006','ecommerce_fraud','E-commerce fraud','Buy-online-pick-up-in-store and return fraud controls.',60),
('0196a000-0000-7000-8000-000000000007','data_analytics','Data analytics','Exception-based reporting, shrink dashboards and data feeds for LP.',70)
ON CONFLICT DO NOTHING;
