CREATE INDEX "hazards_repeats_idx" ON "hazards" USING btree ("region_path" text_pattern_ops,"created_at","enterprise_id") WHERE "hazards"."repeat_of" is not null;--> statement-breakpoint
CREATE INDEX "instruments_kind_idx" ON "instruments" USING btree ("kind","code");--> statement-breakpoint
CREATE INDEX "inspections_pending_idx" ON "inspections" USING btree ("created_at","id") WHERE "inspections"."hazards_count" < "inspections"."failed_count";--> statement-breakpoint
CREATE INDEX "notices_open_issued_idx" ON "notices" USING btree ("issued_at","id") WHERE "notices"."status" <> 'closed';--> statement-breakpoint
-- Replaced by hazards_repeats_idx, which also holds the enterprise (migration 0019 made it by hand).
DROP INDEX IF EXISTS "hazards_repeat_region_idx";
