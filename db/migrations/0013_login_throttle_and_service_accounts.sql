CREATE TABLE "login_addresses" (
	"user_id" uuid NOT NULL,
	"address" text NOT NULL,
	"last_success_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_failed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "kind" text DEFAULT 'person' NOT NULL;--> statement-breakpoint
ALTER TABLE "login_addresses" ADD CONSTRAINT "login_addresses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "login_addresses_user_address_uq" ON "login_addresses" USING btree ("user_id","address");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_service_has_no_password" CHECK ("users"."kind" = 'person' or "users"."password_hash" is null);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_service_named_as_such" CHECK (("users"."kind" = 'service') = ("users"."username" like 'system:%') and ("users"."kind" = 'person' or "users"."display_name" like '系统对接：%'));