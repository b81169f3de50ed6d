-- The application acts as the role duban_app (config DATABASE_ROLE): it reads and writes
-- records, but audit rows only ever get appended. A trigger refuses changes to audit rows for
-- every role, the owner included, so tampering needs a deliberate, visible act (and the hash
-- chain still shows it).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'duban_app') THEN
    CREATE ROLE duban_app NOLOGIN;
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO duban_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO duban_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO duban_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO duban_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO duban_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON hazard_events, admin_events FROM duban_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION duban_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows in % are append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER hazard_events_append_only BEFORE UPDATE OR DELETE ON hazard_events FOR EACH ROW EXECUTE FUNCTION duban_refuse_audit_change();
--> statement-breakpoint
CREATE TRIGGER hazard_events_no_truncate BEFORE TRUNCATE ON hazard_events FOR EACH STATEMENT EXECUTE FUNCTION duban_refuse_audit_change();
--> statement-breakpoint
CREATE TRIGGER admin_events_append_only BEFORE UPDATE OR DELETE ON admin_events FOR EACH ROW EXECUTE FUNCTION duban_refuse_audit_change();
--> statement-breakpoint
CREATE TRIGGER admin_events_no_truncate BEFORE TRUNCATE ON admin_events FOR EACH STATEMENT EXECUTE FUNCTION duban_refuse_audit_change();
