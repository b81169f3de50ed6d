CREATE TABLE "policies" (
	"id" serial PRIMARY KEY NOT NULL,
	"grade" text NOT NULL,
	"source" text,
	"industry" text,
	"version" integer NOT NULL,
	"policy" jsonb NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "policy_id" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "policies_scope_version_uq" ON "policies" USING btree ("grade",coalesce("source", ''),coalesce("industry", ''),"version");--> statement-breakpoint
ALTER TABLE "hazards" ADD CONSTRAINT "hazards_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;