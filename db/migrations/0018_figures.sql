CREATE TABLE "figure_closure_days" (
	"day" date NOT NULL,
	"node_path" text NOT NULL,
	"grade" text NOT NULL,
	"working_days" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "figure_closure_days_node_path_day_grade_working_days_pk" PRIMARY KEY("node_path","day","grade","working_days")
);
--> statement-breakpoint
CREATE TABLE "figure_days" (
	"day" date NOT NULL,
	"node_path" text NOT NULL,
	"depth" smallint NOT NULL,
	"grade" text NOT NULL,
	"registered" integer DEFAULT 0 NOT NULL,
	"repeats" integer DEFAULT 0 NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	"closed_on_time" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"became_overdue" integer DEFAULT 0 NOT NULL,
	"escalated" integer DEFAULT 0 NOT NULL,
	"voided" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "figure_days_node_path_day_grade_pk" PRIMARY KEY("node_path","day","grade")
);
--> statement-breakpoint
CREATE TABLE "figure_deltas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"sign" smallint DEFAULT 1 NOT NULL,
	"region_path" text NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"industry" text DEFAULT '' NOT NULL,
	"leader_id" text DEFAULT '' NOT NULL,
	"supervisor" text DEFAULT '' NOT NULL,
	"grade" text NOT NULL,
	"listing_level" text DEFAULT '' NOT NULL,
	"status" text,
	"deadline" date,
	"event" text,
	"day" date,
	"n" integer DEFAULT 1 NOT NULL,
	"on_time" smallint DEFAULT 0 NOT NULL,
	"order_day" date
);
--> statement-breakpoint
CREATE TABLE "figure_folds" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"folded_at" timestamp with time zone NOT NULL,
	"folded" bigint DEFAULT 0 NOT NULL,
	"rebuilt_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "figure_open" (
	"node_path" text NOT NULL,
	"depth" smallint NOT NULL,
	"grade" text NOT NULL,
	"status" text NOT NULL,
	"deadline" date NOT NULL,
	"listing_level" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "figure_open_node_path_grade_status_deadline_listing_level_pk" PRIMARY KEY("node_path","grade","status","deadline","listing_level")
);
--> statement-breakpoint
CREATE TABLE "figure_open_by" (
	"node_path" text NOT NULL,
	"dimension" text NOT NULL,
	"value" text NOT NULL,
	"grade" text NOT NULL,
	"status" text NOT NULL,
	"deadline" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "figure_open_by_node_path_dimension_value_grade_status_deadline_pk" PRIMARY KEY("node_path","dimension","value","grade","status","deadline")
);
--> statement-breakpoint
CREATE INDEX "figure_days_child_idx" ON "figure_days" USING btree ("depth","node_path" text_pattern_ops,"day");--> statement-breakpoint
CREATE INDEX "figure_open_child_idx" ON "figure_open" USING btree ("depth","node_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "figure_open_by_scope_idx" ON "figure_open_by" USING btree ("dimension","node_path" text_pattern_ops);