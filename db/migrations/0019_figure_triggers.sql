-- The leaders' figures (db/schema/figures.ts): every change to a hazard appends its contribution
-- to figure_deltas in the writer's own transaction; db/figures/fold.ts adds them up.

-- The region nodes a path lies under, with their depth: '/c/k/' gives ('/c/', 1), ('/c/k/', 2).
CREATE FUNCTION duban_path_nodes(p text) RETURNS TABLE (node_path text, depth smallint)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT left(p, i), (row_number() OVER (ORDER BY i))::smallint
  FROM generate_series(2, length(p)) AS i
  WHERE substr(p, i, 1) = '/'
$$;
--> statement-breakpoint
CREATE FUNCTION duban_shanghai_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT (t AT TIME ZONE 'Asia/Shanghai')::date $$;
--> statement-breakpoint
-- The open stock: a hazard leaves with what it was and comes back with what it is.
CREATE FUNCTION duban_hazard_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved boolean := TG_OP = 'INSERT' OR (OLD.status, OLD.deadline, OLD.grade, OLD.listing_level, OLD.assigned_supervisor, OLD.region_path)
                   IS DISTINCT FROM (NEW.status, NEW.deadline, NEW.grade, NEW.listing_level, NEW.assigned_supervisor, NEW.region_path);
  leaves boolean;
  joins boolean;
  e_industry text := '';
  e_leader text := '';
BEGIN
  -- Most updates (a reminder sent, a plan filed) move nothing the figures count: stop here.
  IF NOT moved THEN
    RETURN NULL;
  END IF;
  leaves := TG_OP = 'UPDATE' AND OLD.status NOT IN ('closed', 'void');
  joins := NEW.status NOT IN ('closed', 'void');
  IF NOT (leaves OR joins) THEN
    RETURN NULL;
  END IF;
  SELECT coalesce(e.industry, ''), coalesce(e.responsible_leader_id::text, '')
    INTO e_industry, e_leader FROM enterprises e WHERE e.id = NEW.enterprise_id;
  IF leaves THEN
    INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level, status, deadline)
    VALUES ('open', -1, OLD.region_path, OLD.enterprise_id, e_industry, e_leader, coalesce(OLD.assigned_supervisor, ''),
            OLD.grade, coalesce(OLD.listing_level, ''), OLD.status, OLD.deadline);
  END IF;
  IF joins THEN
    INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level, status, deadline)
    VALUES ('open', 1, NEW.region_path, NEW.enterprise_id, e_industry, e_leader, coalesce(NEW.assigned_supervisor, ''),
            NEW.grade, coalesce(NEW.listing_level, ''), NEW.status, NEW.deadline);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER hazards_figures AFTER INSERT OR UPDATE ON hazards
  FOR EACH ROW EXECUTE FUNCTION duban_hazard_figures();
--> statement-breakpoint
-- What happened on each day comes from the trail, so it is exact for any past day. The figure
-- an event type counts towards (null: none); 'registered' of a repeat counts as 'repeat' too.
CREATE FUNCTION duban_event_figure(event_type text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE event_type
    WHEN 'registered' THEN 'registered'
    WHEN 'review_accepted' THEN 'closed'
    WHEN 'reopened' THEN 'reopened'
    WHEN 'became_overdue' THEN 'overdue'
    WHEN 'escalated' THEN 'escalated'
    WHEN 'voided' THEN 'voided'
  END
$$;
--> statement-breakpoint
-- The day deltas of trail rows: the hazard as it stands when the event is appended (a closure is
-- appended before the row says closed; what it reads — submission, due time, order — it already says).
CREATE VIEW figure_event_days AS
  SELECT ev.id AS event_id, 'day'::text AS kind, 1::smallint AS sign, h.region_path, h.enterprise_id,
         coalesce(e.industry, '') AS industry, coalesce(e.responsible_leader_id::text, '') AS leader_id,
         ''::text AS supervisor, h.grade, ''::text AS listing_level, NULL::text AS status, NULL::date AS deadline,
         f.figure AS event, duban_shanghai_day(ev.occurred_at) AS day, 1 AS n,
         CASE WHEN f.figure = 'closed' AND h.submitted_at IS NOT NULL AND h.submitted_at <= h.due_at THEN 1 ELSE 0 END::smallint AS on_time,
         CASE WHEN f.figure = 'closed' THEN duban_shanghai_day(h.created_at) END AS order_day
  FROM hazard_events ev
  JOIN hazards h ON h.id = ev.hazard_id
  JOIN enterprises e ON e.id = h.enterprise_id
  CROSS JOIN LATERAL (
    SELECT duban_event_figure(ev.type) AS figure
    UNION ALL SELECT 'repeat' WHERE ev.type = 'registered' AND h.repeat_of IS NOT NULL
  ) f
  WHERE f.figure IS NOT NULL;
--> statement-breakpoint
CREATE FUNCTION duban_hazard_event_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF duban_event_figure(NEW.type) IS NOT NULL THEN
    INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level,
                               status, deadline, event, day, n, on_time, order_day)
    SELECT kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level,
           status, deadline, event, day, n, on_time, order_day
    FROM figure_event_days WHERE event_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER hazard_events_figures AFTER INSERT ON hazard_events
  FOR EACH ROW EXECUTE FUNCTION duban_hazard_event_figures();
--> statement-breakpoint
-- A new responsible leader or industry moves the enterprise's open hazards between rows.
CREATE FUNCTION duban_enterprise_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (OLD.industry, OLD.responsible_leader_id) IS NOT DISTINCT FROM (NEW.industry, NEW.responsible_leader_id) THEN
    RETURN NULL;
  END IF;
  INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level, status, deadline)
  SELECT 'open', s.sign, h.region_path, h.enterprise_id,
         CASE WHEN s.sign < 0 THEN coalesce(OLD.industry, '') ELSE coalesce(NEW.industry, '') END,
         CASE WHEN s.sign < 0 THEN coalesce(OLD.responsible_leader_id::text, '') ELSE coalesce(NEW.responsible_leader_id::text, '') END,
         coalesce(h.assigned_supervisor, ''), h.grade, coalesce(h.listing_level, ''), h.status, h.deadline
  FROM hazards h CROSS JOIN (VALUES (-1::smallint), (1::smallint)) AS s(sign)
  WHERE h.enterprise_id = NEW.id AND h.status NOT IN ('closed', 'void');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER enterprises_figures AFTER UPDATE OF industry, responsible_leader_id ON enterprises
  FOR EACH ROW EXECUTE FUNCTION duban_enterprise_figures();
--> statement-breakpoint
-- Lists behind the figures: the open hazards by deadline within a region, and the repeats.
CREATE INDEX hazards_open_region_due_idx ON hazards (region_path text_pattern_ops, deadline)
  WHERE status IN ('rectifying', 'under_review');
--> statement-breakpoint
CREATE INDEX hazards_repeat_region_idx ON hazards (region_path text_pattern_ops, created_at)
  WHERE repeat_of IS NOT NULL;
--> statement-breakpoint
INSERT INTO figure_folds (id, folded_at) VALUES (1, now()) ON CONFLICT DO NOTHING;
