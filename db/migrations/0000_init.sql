CREATE TABLE "enterprises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"credit_code" text NOT NULL,
	"region" text NOT NULL,
	"industry" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprises_credit_code_unique" UNIQUE("credit_code")
);
--> statement-breakpoint
CREATE TABLE "hazard_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"hazard_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hazards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"source" text NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"legal_basis" text DEFAULT '' NOT NULL,
	"required_measures" text DEFAULT '' NOT NULL,
	"grade" text NOT NULL,
	"policy" jsonb NOT NULL,
	"status" text NOT NULL,
	"round" integer NOT NULL,
	"deadline" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"overdue_since" timestamp with time zone,
	"escalation_level" integer NOT NULL,
	"next_step_kind" text,
	"next_step_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"projection_seq" integer NOT NULL,
	CONSTRAINT "hazards_workflow_id_unique" UNIQUE("workflow_id"),
	CONSTRAINT "hazards_round_positive" CHECK ("hazards"."round" >= 1)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"hazard_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"kind" text NOT NULL,
	"recipient_role" text NOT NULL,
	"level" integer,
	"message" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hazard_events" ADD CONSTRAINT "hazard_events_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazards" ADD CONSTRAINT "hazards_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "hazard_events_step_uq" ON "hazard_events" USING btree ("hazard_id","step_key");--> statement-breakpoint
CREATE INDEX "hazard_events_time_idx" ON "hazard_events" USING btree ("hazard_id","occurred_at");--> statement-breakpoint
CREATE INDEX "hazards_status_due_idx" ON "hazards" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "hazards_enterprise_idx" ON "hazards" USING btree ("enterprise_id","created_at");--> statement-breakpoint
CREATE INDEX "hazards_created_idx" ON "hazards" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_step_uq" ON "notifications" USING btree ("hazard_id","step_key");--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient_role","created_at");