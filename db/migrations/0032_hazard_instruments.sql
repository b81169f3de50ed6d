CREATE TABLE "hazard_instruments" (
	"hazard_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"instrument_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hazard_instruments" ADD CONSTRAINT "hazard_instruments_hazard_id_hazards_id_fk" FOREIGN KEY ("hazard_id") REFERENCES "public"."hazards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hazard_instruments" ADD CONSTRAINT "hazard_instruments_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "hazard_instruments_step_uq" ON "hazard_instruments" USING btree ("hazard_id","step_key");