-- Chain heads only move forward and are never removed: the app role may insert and advance
-- them, not delete them; a trigger refuses a head going back or away even to the owner (who
-- must switch it off to do so: a deliberate, visible act, and a rolled-back head still has to
-- match the rows and carry a valid signature).
REVOKE DELETE, TRUNCATE ON audit_heads FROM duban_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION duban_refuse_head_rollback() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.chain <> OLD.chain OR NEW.seq <= OLD.seq THEN
    RAISE EXCEPTION 'audit head % only moves forward (% to %)', OLD.chain, OLD.seq, NEW.seq USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_heads_forward_only BEFORE UPDATE ON audit_heads FOR EACH ROW EXECUTE FUNCTION duban_refuse_head_rollback();
--> statement-breakpoint
CREATE TRIGGER audit_heads_append_only BEFORE DELETE ON audit_heads FOR EACH ROW EXECUTE FUNCTION duban_refuse_audit_change();
--> statement-breakpoint
CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON audit_heads FOR EACH STATEMENT EXECUTE FUNCTION duban_refuse_audit_change();
--> statement-breakpoint
-- Where unkeyed hashes end: rows up to these ids were written before the audit key existed.
-- The app only reads it; `npm run migrate` (with the key) signs the heads of those old chains
-- once and records when (db/audit-legacy.ts).
INSERT INTO audit_legacy (id, hazard_events_max_id, admin_events_max_id, case_events_max_id)
SELECT 1, (SELECT coalesce(max(id), 0) FROM hazard_events), (SELECT coalesce(max(id), 0) FROM admin_events), (SELECT coalesce(max(id), 0) FROM case_events);
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_legacy FROM duban_app;
--> statement-breakpoint
-- Hazards already in open notices are held by them.
INSERT INTO notice_claims (hazard_id, notice_id, claimed_by, claimed_at)
SELECT DISTINCT ON (nh.hazard_id) nh.hazard_id, n.id, n.issued_by, n.issued_at
FROM notice_hazards nh JOIN notices n ON n.id = nh.notice_id
WHERE n.status <> 'closed'
ORDER BY nh.hazard_id, n.issued_at
ON CONFLICT DO NOTHING;
