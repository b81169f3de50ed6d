ALTER TABLE "users" ADD COLUMN "session_generation" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A token stands for the account as it was at sign-in. A new password (one that leaked, reset),
-- a deactivation (so a re-activation does not revive old tokens) or another role, region or
-- enterprise ends every sign-in before it. A reach change too: the principal is read afresh
-- anyway, but the pages keep who one is from the sign-in, and an inspector moved to another
-- county signs in as that county's inspector rather than carry on a tab opened for the old one.
-- In a trigger, not in each route, so no way of changing the account (another API process, an
-- operator's SQL, a route added later) leaves its sessions standing.
CREATE OR REPLACE FUNCTION duban_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.session_generation := OLD.session_generation + 1;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER users_end_sessions BEFORE UPDATE OF password_hash, active, role, region_id, enterprise_id ON users
  FOR EACH ROW
  WHEN ((OLD.password_hash, OLD.active, OLD.role, OLD.region_id, OLD.enterprise_id)
        IS DISTINCT FROM (NEW.password_hash, NEW.active, NEW.role, NEW.region_id, NEW.enterprise_id))
  EXECUTE FUNCTION duban_end_sessions();
