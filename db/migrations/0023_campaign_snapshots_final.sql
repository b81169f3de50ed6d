-- A day's burn-down, once final, is the record of that day: the app may add rows and retake a
-- provisional row, never change a final one nor delete any.
REVOKE DELETE, TRUNCATE ON campaign_snapshots FROM duban_app;
--> statement-breakpoint
CREATE FUNCTION duban_keep_final_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.final THEN
    RAISE EXCEPTION 'campaign_snapshots: the final row of % for % is not rewritten', OLD.day, OLD.campaign_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER campaign_snapshots_final_kept BEFORE UPDATE ON campaign_snapshots FOR EACH ROW EXECUTE FUNCTION duban_keep_final_snapshot();
