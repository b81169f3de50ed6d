CREATE TABLE "suspension_origins" (
	"decision_id" uuid PRIMARY KEY NOT NULL,
	"suspension_id" uuid NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suspension_origins_suspension_id_unique" UNIQUE("suspension_id")
);
--> statement-breakpoint
ALTER TABLE "suspension_origins" ADD CONSTRAINT "suspension_origins_decision_id_notice_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."notice_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Suspensions already ordered from a decision hold it, the first ordered one where there are several.
INSERT INTO "suspension_origins" ("decision_id", "suspension_id", "claimed_by", "claimed_at")
SELECT DISTINCT ON (d.id) d.id, s.id, s.created_by, s.created_at
FROM "suspensions" s
JOIN "notice_decisions" d ON d.id::text = s.origin ->> 'id'
WHERE s.origin ->> 'type' = 'notice_decision'
ORDER BY d.id, s.created_at, s.id;
