CREATE TABLE "bulk_urges" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"urged_by" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_id" text NOT NULL,
	"reach_path" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"concerned" integer NOT NULL,
	"told" integer DEFAULT 0 NOT NULL,
	"already_ended" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"phase" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "urges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_kind" text NOT NULL,
	"item_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"region_path" text NOT NULL,
	"enterprise_id" uuid,
	"urged_by" text NOT NULL,
	"urged_at" timestamp with time zone NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"bulk_urge_id" text
);
--> statement-breakpoint
ALTER TABLE "urges" ADD CONSTRAINT "urges_bulk_urge_id_bulk_urges_id_fk" FOREIGN KEY ("bulk_urge_id") REFERENCES "public"."bulk_urges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_urges_by_idx" ON "bulk_urges" USING btree ("urged_by","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "urges_step_uq" ON "urges" USING btree ("item_kind","item_id","step_key");--> statement-breakpoint
CREATE INDEX "urges_by_idx" ON "urges" USING btree ("urged_by","urged_at","id");--> statement-breakpoint
CREATE INDEX "urges_time_idx" ON "urges" USING btree ("urged_at","id");--> statement-breakpoint
CREATE INDEX "urges_region_idx" ON "urges" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "urges_bulk_idx" ON "urges" USING btree ("bulk_urge_id");