ALTER TABLE "hazards" ADD COLUMN "original_deadline" date;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "extension_pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "extension_request" jsonb;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "extensions_granted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "round_extensions" integer DEFAULT 0 NOT NULL;