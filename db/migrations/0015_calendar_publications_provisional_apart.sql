CREATE TABLE "calendar_publications" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"year" integer NOT NULL,
	"replaced" boolean NOT NULL,
	"previous" jsonb,
	"published_by" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"concerned" integer NOT NULL,
	"hazards_told" integer DEFAULT 0 NOT NULL,
	"notices_told" integer DEFAULT 0 NOT NULL,
	"already_ended" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"deadlines_moved" integer DEFAULT 0 NOT NULL,
	"phase" text NOT NULL,
	"done_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "deadline_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "later_steps_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "deadline_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "later_steps_provisional" boolean DEFAULT false NOT NULL;