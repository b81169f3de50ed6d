CREATE TABLE "review_pack_policies" (
	"region_id" text PRIMARY KEY NOT NULL,
	"every_months" smallint DEFAULT 2 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_pack_policies_every_months" CHECK ("review_pack_policies"."every_months" between 1 and 12)
);
--> statement-breakpoint
CREATE TABLE "review_packs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"region_id" text NOT NULL,
	"region_path" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"assembled_at" timestamp with time zone NOT NULL,
	"assembled_by" text NOT NULL,
	"content" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_pack_policies" ADD CONSTRAINT "review_pack_policies_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_packs" ADD CONSTRAINT "review_packs_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "review_packs_region_period_uq" ON "review_packs" USING btree ("region_id","period_from","period_to");--> statement-breakpoint
CREATE INDEX "review_packs_path_idx" ON "review_packs" USING btree ("region_path" text_pattern_ops,"assembled_at","id");--> statement-breakpoint
CREATE INDEX "review_packs_newest_idx" ON "review_packs" USING btree ("assembled_at","id");