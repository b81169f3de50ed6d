CREATE TABLE "figure_open_aged" (
	"node_path" text NOT NULL,
	"dimension" text NOT NULL,
	"value" text NOT NULL,
	"grade" text NOT NULL,
	"status" text NOT NULL,
	"deadline" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "figure_open_aged_node_path_dimension_value_grade_status_deadline_pk" PRIMARY KEY("node_path","dimension","value","grade","status","deadline")
);
--> statement-breakpoint
ALTER TABLE "figure_folds" ADD COLUMN "aged" jsonb;--> statement-breakpoint
CREATE INDEX "figure_open_aged_scope_idx" ON "figure_open_aged" USING btree ("dimension","node_path" text_pattern_ops);