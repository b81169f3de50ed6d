ALTER TABLE "stock_imports" ADD COLUMN "file_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stock_imports" ADD COLUMN "bytes_judged" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stock_imports" ADD COLUMN "judging_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stock_imports" ADD COLUMN "judged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stock_imports" ADD COLUMN "failure" jsonb;