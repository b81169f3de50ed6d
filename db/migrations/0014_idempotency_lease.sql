ALTER TABLE "idempotency_keys" ADD COLUMN "holder" text;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
-- Keys in progress before leases existed keep the grace they had (five minutes from their start).
UPDATE "idempotency_keys" SET "lease_until" = "created_at" + interval '300 seconds' WHERE "state" = 'in_progress';--> statement-breakpoint
-- Replay copies of answers that carried a secret (an issued API key, a log-in token) are scrubbed.
UPDATE "idempotency_keys" SET "response_body" = '{"secret": true}'::jsonb
WHERE "response_body"->>'text' LIKE '%"key":"dbk\_%' OR "response_body"->>'text' LIKE '%"tokenType":"Bearer"%';
