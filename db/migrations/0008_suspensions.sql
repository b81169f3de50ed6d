CREATE TABLE "suspension_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"suspension_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"kind" text NOT NULL,
	"recipient_role" text NOT NULL,
	"message" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suspensions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_path" text NOT NULL,
	"hazard_id" uuid,
	"origin" jsonb,
	"document_number" text NOT NULL,
	"reason" text NOT NULL,
	"scope" text NOT NULL,
	"scope_note" text DEFAULT '' NOT NULL,
	"starts_on" date NOT NULL,
	"planned_end" date NOT NULL,
	"max_end" date NOT NULL,
	"max_days" integer NOT NULL,
	"status" text NOT NULL,
	"review_overdue_since" timestamp with time zone,
	"maximum_reached_at" timestamp with time zone,
	"resumption_requested_at" timestamp with time zone,
	"resumed_at" timestamp with time zone,
	"lifted_at" timestamp with time zone,
	"next_step_kind" text,
	"next_step_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"projection_seq" integer NOT NULL,
	CONSTRAINT "suspensions_workflow_id_unique" UNIQUE("workflow_id")
);
--> statement-breakpoint
ALTER TABLE "suspension_notifications" ADD CONSTRAINT "suspension_notifications_suspension_id_suspensions_id_fk" FOREIGN KEY ("suspension_id") REFERENCES "public"."suspensions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspensions" ADD CONSTRAINT "suspensions_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspensions" ADD CONSTRAINT "suspensions_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "suspension_notifications_step_uq" ON "suspension_notifications" USING btree ("suspension_id","step_key");--> statement-breakpoint
CREATE INDEX "suspensions_created_idx" ON "suspensions" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "suspensions_enterprise_idx" ON "suspensions" USING btree ("enterprise_id","created_at");--> statement-breakpoint
CREATE INDEX "suspensions_status_idx" ON "suspensions" USING btree ("status","planned_end");--> statement-breakpoint
CREATE INDEX "suspensions_region_idx" ON "suspensions" USING btree ("region_path" text_pattern_ops);