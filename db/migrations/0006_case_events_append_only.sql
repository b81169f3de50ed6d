-- Case events are audit rows like hazard events: appended, never changed (see 0001).
REVOKE UPDATE, DELETE, TRUNCATE ON case_events FROM duban_app;
--> statement-breakpoint
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events FOR EACH ROW EXECUTE FUNCTION duban_refuse_audit_change();
--> statement-breakpoint
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events FOR EACH STATEMENT EXECUTE FUNCTION duban_refuse_audit_change();
