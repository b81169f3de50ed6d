CREATE TABLE "audit_heads" (
	"chain" text PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"hash" text NOT NULL,
	"mac" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_legacy" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"hazard_events_max_id" bigint NOT NULL,
	"admin_events_max_id" bigint NOT NULL,
	"case_events_max_id" bigint NOT NULL,
	"sealed_at" timestamp with time zone,
	CONSTRAINT "audit_legacy_one_row" CHECK ("audit_legacy"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "notice_claims" (
	"hazard_id" uuid PRIMARY KEY NOT NULL,
	"notice_id" uuid NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Rows already there were hashed unkeyed (version 1); new rows always say how they were hashed.
ALTER TABLE "admin_events" ADD COLUMN "hash_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "admin_events" ALTER COLUMN "hash_version" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "hash_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "case_events" ALTER COLUMN "hash_version" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "hazard_events" ADD COLUMN "hash_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "hazard_events" ALTER COLUMN "hash_version" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "notice_claims" ADD CONSTRAINT "notice_claims_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE no action ON UPDATE no action;