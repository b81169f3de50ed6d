CREATE TABLE "inspection_findings" (
	"inspection_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"item" text NOT NULL,
	"result" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"category" text,
	"grade" text,
	"legal_basis" text DEFAULT '' NOT NULL,
	"required_measures" text DEFAULT '' NOT NULL,
	"hazard_id" uuid,
	CONSTRAINT "inspection_findings_hazard_id_unique" UNIQUE("hazard_id"),
	CONSTRAINT "inspection_findings_n_positive" CHECK ("inspection_findings"."n" >= 1),
	CONSTRAINT "inspection_findings_fail_has_category" CHECK ("inspection_findings"."result" <> 'fail' or "inspection_findings"."category" is not null)
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_path" text NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"inspectors" uuid[] NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"findings_count" integer NOT NULL,
	"failed_count" integer NOT NULL,
	"hazards_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "inspections_time_order" CHECK ("inspections"."started_at" <= "inspections"."ended_at")
);
--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "inspection_id" uuid;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "inspection_finding" integer;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "repeat_of" uuid;--> statement-breakpoint
ALTER TABLE "inspection_findings" ADD CONSTRAINT "inspection_findings_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_findings" ADD CONSTRAINT "inspection_findings_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_findings_n_uq" ON "inspection_findings" USING btree ("inspection_id","n");--> statement-breakpoint
CREATE INDEX "inspections_created_idx" ON "inspections" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "inspections_enterprise_idx" ON "inspections" USING btree ("enterprise_id","created_at");--> statement-breakpoint
CREATE INDEX "inspections_region_idx" ON "inspections" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
ALTER TABLE "hazards" ADD CONSTRAINT "hazards_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazards" ADD CONSTRAINT "hazards_repeat_of_hazards_id_fk" FOREIGN KEY ("repeat_of") REFERENCES "public"."hazards"("id") ON DELETE no action ON UPDATE no action;