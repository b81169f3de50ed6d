CREATE TABLE "deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"workflow_id" text NOT NULL,
	"step_key" text NOT NULL,
	"channel" text DEFAULT 'inbox' NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"recipient_role" text NOT NULL,
	"message" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "recipient_resolutions" (
	"workflow_id" text NOT NULL,
	"step_key" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"recipient_role" text NOT NULL,
	"post" text,
	"found_at" text,
	"user_ids" jsonb NOT NULL,
	"unresolved" boolean NOT NULL,
	"resolved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recipient_resolutions_workflow_id_step_key_pk" PRIMARY KEY("workflow_id","step_key")
);
--> statement-breakpoint
CREATE TABLE "user_posts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"post" text NOT NULL,
	"assigned_by" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_posts" ADD CONSTRAINT "user_posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_dedup_uq" ON "deliveries" USING btree ("workflow_id","step_key","user_id","channel");--> statement-breakpoint
CREATE INDEX "deliveries_user_idx" ON "deliveries" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "deliveries_unread_idx" ON "deliveries" USING btree ("user_id") WHERE "deliveries"."read_at" is null;--> statement-breakpoint
CREATE INDEX "recipient_resolutions_subject_idx" ON "recipient_resolutions" USING btree ("subject_type","subject_id");