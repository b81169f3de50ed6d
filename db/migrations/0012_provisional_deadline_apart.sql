ALTER TABLE "hazards" ADD COLUMN "deadline_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "later_steps_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "deadline_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "later_steps_provisional" boolean DEFAULT false NOT NULL;