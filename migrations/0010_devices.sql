CREATE TABLE "device_policy" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"security_vlans" integer[] DEFAULT '{40}' NOT NULL,
	"pos_vlans" integer[] DEFAULT '{20}' NOT NULL,
	"min_retention_days" integer DEFAULT 30 NOT NULL,
	"not_seen_days" integer DEFAULT 7 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_policy_single_check" CHECK ("id" = 1),
	CONSTRAINT "device_policy_numbers_check" CHECK ("min_retention_days" > 0 and "not_seen_days" > 0)
);
--> statement-breakpoint
INSERT INTO "device_policy" ("id") VALUES (1) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TABLE "device_models" (
	"id" uuid PRIMARY KEY NOT NULL,
	"vendor" text NOT NULL,
	"model" text NOT NULL,
	"type" text NOT NULL,
	"latest_firmware" text,
	"end_of_support" date,
	"advisories" text[] DEFAULT '{}' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_models_type_check" CHECK ("type" in ('camera','recorder','eas','alarm_panel','access_control','pos_register','switch'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "device_models_vendor_model_key" ON "device_models" USING btree (lower("vendor"),lower("model"));
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL REFERENCES "stores"("id"),
	"type" text NOT NULL,
	"name" text NOT NULL,
	"vendor" text DEFAULT '' NOT NULL,
	"model" text DEFAULT '' NOT NULL,
	"serial" text,
	"ip" text,
	"mac" text,
	"hostname" text,
	"vlan" integer,
	"firmware" text,
	"default_credentials_changed" text DEFAULT 'unknown' NOT NULL,
	"poe_class" integer,
	"poe_budget_w" integer,
	"stream_resolution" text,
	"stream_codec" text,
	"stream_fps" integer,
	"retention_days" integer,
	"install_date" date,
	"last_seen_at" timestamp with time zone,
	"missing_since" timestamp with time zone,
	"location" text DEFAULT '' NOT NULL,
	"covered_registers" text[] DEFAULT '{}' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "devices_type_check" CHECK ("type" in ('camera','recorder','eas','alarm_panel','access_control','pos_register','switch')),
	CONSTRAINT "devices_credentials_check" CHECK ("default_credentials_changed" in ('yes','no','unknown')),
	CONSTRAINT "devices_poe_class_check" CHECK ("poe_class" is null or "poe_class" between 0 and 8),
	CONSTRAINT "devices_vlan_check" CHECK ("vlan" is null or "vlan" between 1 and 4094),
	CONSTRAINT "devices_stream_codec_check" CHECK ("stream_codec" is null or "stream_codec" in ('h264','h265','mjpeg'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "devices_store_name_key" ON "devices" USING btree ("store_id",lower("name"));
--> statement-breakpoint
CREATE UNIQUE INDEX "devices_mac_key" ON "devices" USING btree ("mac") WHERE "mac" is not null;
--> statement-breakpoint
CREATE INDEX "devices_store_type_idx" ON "devices" USING btree ("store_id","type");
--> statement-breakpoint
CREATE INDEX "devices_ip_idx" ON "devices" USING btree ("store_id","ip");
--> statement-breakpoint
CREATE TABLE "device_findings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
	"device_id" uuid NOT NULL REFERENCES "devices"("id"),
	"store_id" uuid NOT NULL REFERENCES "stores"("id"),
	"rule" text NOT NULL,
	"severity" text NOT NULL,
	"detail" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"owner_department_id" uuid REFERENCES "departments"("id"),
	"owner_id" uuid REFERENCES "people"("id"),
	"due_date" date NOT NULL,
	"first_detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid REFERENCES "people"("id"),
	"resolution" text,
	"accepted_until" date,
	"accept_reason" text,
	"accepted_by" uuid REFERENCES "people"("id"),
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_findings_rule_check" CHECK ("rule" in ('default_credentials','firmware_behind','end_of_support','outside_security_vlan','retention_below_policy','not_seen')),
	CONSTRAINT "device_findings_severity_check" CHECK ("severity" in ('critical','high','medium','low')),
	CONSTRAINT "device_findings_state_check" CHECK ("state" in ('open','risk_accepted','resolved')),
	CONSTRAINT "device_findings_accept_check" CHECK ("state" <> 'risk_accepted' or ("accepted_until" is not null and "accept_reason" is not null and "accepted_by" is not null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "device_findings_device_rule_key" ON "device_findings" USING btree ("device_id","rule");
--> statement-breakpoint
CREATE UNIQUE INDEX "device_findings_number_key" ON "device_findings" USING btree ("number");
--> statement-breakpoint
CREATE INDEX "device_findings_store_state_idx" ON "device_findings" USING btree ("store_id","state");
--> statement-breakpoint
CREATE TABLE "device_posture_daily" (
	"store_id" uuid NOT NULL REFERENCES "stores"("id"),
	"day" date NOT NULL,
	"score" real NOT NULL,
	"devices" integer NOT NULL,
	"critical" integer NOT NULL,
	"high" integer NOT NULL,
	"medium" integer NOT NULL,
	"low" integer NOT NULL,
	CONSTRAINT "device_posture_daily_pkey" PRIMARY KEY("store_id","day")
);
--> statement-breakpoint
CREATE TABLE "device_scans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL REFERENCES "stores"("id"),
	"filename" text DEFAULT '' NOT NULL,
	"scanner_args" text DEFAULT '' NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"hosts_up" integer NOT NULL,
	"matched" integer NOT NULL,
	"new_hosts" integer NOT NULL,
	"missing" integer NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"imported_by" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "device_scans_store_idx" ON "device_scans" USING btree ("store_id","created_at");
--> statement-breakpoint
CREATE TABLE "device_scan_hosts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"scan_id" uuid NOT NULL REFERENCES "device_scans"("id"),
	"store_id" uuid NOT NULL REFERENCES "stores"("id"),
	"ip" text,
	"mac" text,
	"vendor" text,
	"hostname" text,
	"firmware" text,
	"services" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'new' NOT NULL,
	"device_id" uuid REFERENCES "devices"("id"),
	"decided_by" uuid REFERENCES "people"("id"),
	"decided_at" timestamp with time zone,
	CONSTRAINT "device_scan_hosts_state_check" CHECK ("state" in ('new','confirmed','dismissed'))
);
--> statement-breakpoint
CREATE INDEX "device_scan_hosts_scan_idx" ON "device_scan_hosts" USING btree ("scan_id");
--> statement-breakpoint
CREATE TABLE "camera_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL REFERENCES "stores"("id"),
	"name" text NOT NULL,
	"project" text DEFAULT '' NOT NULL,
	"offsite_percent" integer DEFAULT 100 NOT NULL,
	"switch_poe_budget_w" integer,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid REFERENCES "people"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "camera_plans_offsite_check" CHECK ("offsite_percent" between 0 and 100),
	CONSTRAINT "camera_plans_poe_check" CHECK ("switch_poe_budget_w" is null or "switch_poe_budget_w" >= 0)
);
--> statement-breakpoint
CREATE INDEX "camera_plans_store_idx" ON "camera_plans" USING btree ("store_id");
--> statement-breakpoint
ALTER TABLE "pos_register_cameras" ADD COLUMN IF NOT EXISTS "device_id" uuid REFERENCES "devices"("id") ON DELETE SET NULL;
