CREATE TABLE "suspension_instruments" (
	"suspension_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"instrument_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "suspension_instruments" ADD CONSTRAINT "suspension_instruments_suspension_id_suspensions_id_fk" FOREIGN KEY ("suspension_id") REFERENCES "public"."suspensions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspension_instruments" ADD CONSTRAINT "suspension_instruments_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "suspension_instruments_step_uq" ON "suspension_instruments" USING btree ("suspension_id","step_key");