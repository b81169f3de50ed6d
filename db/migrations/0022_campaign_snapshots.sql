CREATE TABLE "campaign_snapshots" (
	"campaign_id" uuid NOT NULL,
	"day" date NOT NULL,
	"node_path" text NOT NULL,
	"leader_id" text NOT NULL,
	"stock_open" integer NOT NULL,
	"stock_closed" integer NOT NULL,
	"stock_voided" integer NOT NULL,
	"stock_overdue" integer NOT NULL,
	"new_open" integer NOT NULL,
	"new_closed" integer NOT NULL,
	"new_voided" integer NOT NULL,
	"new_overdue" integer NOT NULL,
	"final" boolean NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "campaign_snapshots_campaign_id_node_path_leader_id_day_pk" PRIMARY KEY("campaign_id","node_path","leader_id","day")
);
--> statement-breakpoint
ALTER TABLE "campaign_snapshots" ADD CONSTRAINT "campaign_snapshots_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_snapshots_day_idx" ON "campaign_snapshots" USING btree ("campaign_id","day","node_path");