ALTER TABLE "hazards" ADD COLUMN "deadline_rule" jsonb;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "review_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "review_overdue_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "voided" jsonb;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "assigned_supervisor" text;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "enterprise_contact" text;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "delegate" text;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "listing_level" text;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "plan" jsonb;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "acceptances" jsonb;--> statement-breakpoint
ALTER TABLE "hazards" ADD COLUMN "reopenings" integer DEFAULT 0 NOT NULL;