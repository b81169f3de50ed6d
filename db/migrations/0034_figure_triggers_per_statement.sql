-- New hazards and trail rows give their figure deltas once per statement, from the statement's
-- rows as a set: a page of a stock import (hundreds of rows in one insert) costs one join, not a
-- trigger call and a lookup per row. Updates stay per row (they come one at a time, and most move
-- nothing the figures count). What is written is what the row triggers wrote.
CREATE FUNCTION duban_hazards_inserted_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level, status, deadline)
  SELECT 'open', 1, n.region_path, n.enterprise_id, coalesce(e.industry, ''), coalesce(e.responsible_leader_id::text, ''),
         coalesce(n.assigned_supervisor, ''), n.grade, coalesce(n.listing_level, ''), n.status, n.deadline
  FROM inserted_hazards n LEFT JOIN enterprises e ON e.id = n.enterprise_id
  WHERE n.status NOT IN ('closed', 'void');
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER hazards_figures ON hazards;
--> statement-breakpoint
CREATE TRIGGER hazards_figures AFTER UPDATE ON hazards
  FOR EACH ROW EXECUTE FUNCTION duban_hazard_figures();
--> statement-breakpoint
CREATE TRIGGER hazards_inserted_figures AFTER INSERT ON hazards
  REFERENCING NEW TABLE AS inserted_hazards
  FOR EACH STATEMENT EXECUTE FUNCTION duban_hazards_inserted_figures();
--> statement-breakpoint
CREATE FUNCTION duban_hazard_events_inserted_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level,
                             status, deadline, event, day, n, on_time, order_day)
  SELECT kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level,
         status, deadline, event, day, n, on_time, order_day
  FROM figure_event_days
  WHERE event_id IN (SELECT id FROM inserted_events WHERE duban_event_figure(type) IS NOT NULL);
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER hazard_events_figures ON hazard_events;
--> statement-breakpoint
CREATE TRIGGER hazard_events_figures AFTER INSERT ON hazard_events
  REFERENCING NEW TABLE AS inserted_events
  FOR EACH STATEMENT EXECUTE FUNCTION duban_hazard_events_inserted_figures();
--> statement-breakpoint
DROP FUNCTION duban_hazard_event_figures();
