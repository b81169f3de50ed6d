CREATE INDEX "hazards_rectifying_due_idx" ON "hazards" USING btree ("due_at","region_path","created_at","id") WHERE "hazards"."status" = 'rectifying';--> statement-breakpoint
-- Vacuum the hazards after ~1% of them changed (defaults: 20%, months at a city's pace), so the
-- visibility map stays fresh and index-only reads (the overdue page) skip the rows.
ALTER TABLE "hazards" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);
