CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_type" text NOT NULL,
	"case_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"chain_seq" integer NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_step_uq" ON "case_events" USING btree ("case_type","case_id","step_key");--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_chain_uq" ON "case_events" USING btree ("case_type","case_id","chain_seq");