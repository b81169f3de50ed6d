CREATE TABLE "stock_hazard_keys" (
	"natural_key" text PRIMARY KEY NOT NULL,
	"hazard_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row_no" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stock_import_rows" (
	"import_id" uuid NOT NULL,
	"row_no" integer NOT NULL,
	"cells" jsonb NOT NULL,
	"problems" jsonb NOT NULL,
	"verdict" text NOT NULL,
	"natural_key" text,
	"parsed" jsonb,
	"hazard_id" uuid,
	CONSTRAINT "stock_import_rows_import_id_row_no_pk" PRIMARY KEY("import_id","row_no")
);
--> statement-breakpoint
CREATE TABLE "stock_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_format" text NOT NULL,
	"region_path" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'validated' NOT NULL,
	"rows_total" integer DEFAULT 0 NOT NULL,
	"rows_valid" integer DEFAULT 0 NOT NULL,
	"rows_duplicate" integer DEFAULT 0 NOT NULL,
	"rows_invalid" integer DEFAULT 0 NOT NULL,
	"rows_open" integer DEFAULT 0 NOT NULL,
	"committed_by" text,
	"committed_at" timestamp with time zone,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"hazards_created" integer DEFAULT 0 NOT NULL,
	"workflows_started" integer DEFAULT 0 NOT NULL,
	"progress_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "stock_hazard_keys" ADD CONSTRAINT "stock_hazard_keys_import_id_stock_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."stock_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_import_rows" ADD CONSTRAINT "stock_import_rows_import_id_stock_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."stock_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stock_import_rows_verdict_idx" ON "stock_import_rows" USING btree ("import_id","verdict","row_no");--> statement-breakpoint
CREATE INDEX "stock_imports_region_idx" ON "stock_imports" USING btree ("region_path" text_pattern_ops,"created_at");