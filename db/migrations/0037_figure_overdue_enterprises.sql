CREATE TABLE "figure_overdue_enterprises" (
	"node_path" text NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"overdue" integer NOT NULL,
	"major" integer NOT NULL,
	CONSTRAINT "figure_overdue_enterprises_node_path_enterprise_id_pk" PRIMARY KEY("node_path","enterprise_id")
);
--> statement-breakpoint
DROP INDEX "figure_open_aged_scope_idx";--> statement-breakpoint
CREATE INDEX "figure_overdue_enterprises_rank_idx" ON "figure_overdue_enterprises" USING btree ("overdue" DESC NULLS LAST,"major" DESC NULLS LAST,"enterprise_id");--> statement-breakpoint
CREATE INDEX "figure_overdue_enterprises_scope_idx" ON "figure_overdue_enterprises" USING btree ("node_path" text_pattern_ops);--> statement-breakpoint
-- The next fold ages both tables anew for its day (figure_open_aged no longer holds enterprises).
DELETE FROM "figure_open_aged" WHERE "dimension" = 'enterprise';--> statement-breakpoint
UPDATE "figure_folds" SET "aged" = NULL;
