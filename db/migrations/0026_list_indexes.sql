CREATE INDEX "enterprises_leader_idx" ON "enterprises" USING btree ("responsible_leader_id");--> statement-breakpoint
CREATE INDEX "enterprises_industry_idx" ON "enterprises" USING btree ("industry");--> statement-breakpoint
CREATE INDEX "hazards_open_created_idx" ON "hazards" USING btree ("created_at","id") WHERE "hazards"."status" in ('rectifying', 'under_review');--> statement-breakpoint
CREATE INDEX "hazards_major_created_idx" ON "hazards" USING btree ("created_at","id") WHERE "hazards"."grade" = 'major';--> statement-breakpoint
CREATE INDEX "hazards_extension_pending_idx" ON "hazards" USING btree ("created_at","id") WHERE "hazards"."extension_pending";--> statement-breakpoint
CREATE INDEX "hazards_closed_idx" ON "hazards" USING btree ("closed_at") WHERE "hazards"."closed_at" is not null;--> statement-breakpoint
CREATE INDEX "hazards_supervisor_idx" ON "hazards" USING btree ("assigned_supervisor","created_at");