CREATE TABLE "notice_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"notice_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"decider_role" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"document_number" text,
	"reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notice_hazards" (
	"notice_id" uuid NOT NULL,
	"hazard_id" uuid NOT NULL,
	"outcome" text DEFAULT 'open' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_instruments" (
	"notice_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"instrument_id" uuid NOT NULL,
	"recipient_role" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notice_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"kind" text NOT NULL,
	"recipient_role" text NOT NULL,
	"message" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"code" text NOT NULL,
	"agency" text NOT NULL,
	"enterprise_id" uuid,
	"addressee" text,
	"addressee_region_id" text,
	"region_path" text NOT NULL,
	"title" text NOT NULL,
	"requirements" text NOT NULL,
	"legal_basis" text NOT NULL,
	"deadline" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"deadline_rule" jsonb,
	"provisional" boolean NOT NULL,
	"grade" text NOT NULL,
	"policy" jsonb NOT NULL,
	"policy_id" integer,
	"status" text NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" text,
	"sign_due_at" timestamp with time zone,
	"overdue_since" timestamp with time zone,
	"ladder_level" integer DEFAULT 0 NOT NULL,
	"last_instrument_code" text,
	"open_hazards" integer NOT NULL,
	"issued_by" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	"projection_seq" integer NOT NULL,
	CONSTRAINT "notices_workflow_id_unique" UNIQUE("workflow_id"),
	CONSTRAINT "notices_addressed" CHECK (("notices"."enterprise_id" is null) <> ("notices"."addressee" is null))
);
--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "agency_short_name" text;--> statement-breakpoint
ALTER TABLE "notice_decisions" ADD CONSTRAINT "notice_decisions_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_hazards" ADD CONSTRAINT "notice_hazards_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_hazards" ADD CONSTRAINT "notice_hazards_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_instruments" ADD CONSTRAINT "notice_instruments_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_instruments" ADD CONSTRAINT "notice_instruments_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_notifications" ADD CONSTRAINT "notice_notifications_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_addressee_region_id_regions_id_fk" FOREIGN KEY ("addressee_region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notice_decisions_notice_idx" ON "notice_decisions" USING btree ("notice_id","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notice_hazards_pair_uq" ON "notice_hazards" USING btree ("notice_id","hazard_id");--> statement-breakpoint
CREATE INDEX "notice_hazards_hazard_idx" ON "notice_hazards" USING btree ("hazard_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notice_instruments_step_uq" ON "notice_instruments" USING btree ("notice_id","step_key");--> statement-breakpoint
CREATE UNIQUE INDEX "notice_notifications_step_uq" ON "notice_notifications" USING btree ("notice_id","step_key");--> statement-breakpoint
CREATE INDEX "notice_notifications_recipient_idx" ON "notice_notifications" USING btree ("recipient_role","created_at");--> statement-breakpoint
CREATE INDEX "notices_region_idx" ON "notices" USING btree ("region_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "notices_enterprise_idx" ON "notices" USING btree ("enterprise_id","issued_at");--> statement-breakpoint
CREATE INDEX "notices_issued_idx" ON "notices" USING btree ("issued_at","id");--> statement-breakpoint
CREATE INDEX "notices_status_due_idx" ON "notices" USING btree ("status","due_at");