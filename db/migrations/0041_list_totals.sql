CREATE TABLE "figure_ledger" (
	"node_path" text NOT NULL,
	"depth" smallint NOT NULL,
	"grade" text NOT NULL,
	"status" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "figure_ledger_node_path_grade_status_pk" PRIMARY KEY("node_path","grade","status")
);
--> statement-breakpoint
CREATE TABLE "figure_notices" (
	"node_path" text NOT NULL,
	"depth" smallint NOT NULL,
	"status" text NOT NULL,
	"ladder_level" smallint NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "figure_notices_node_path_status_ladder_level_pk" PRIMARY KEY("node_path","status","ladder_level")
);
--> statement-breakpoint
ALTER TABLE "figure_deltas" ALTER COLUMN "enterprise_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "figure_deltas" ADD COLUMN "ladder_level" smallint;--> statement-breakpoint
-- Every hazard in the ledger's totals (figure_ledger): the open ones come and go with the `open`
-- deltas as before; closed and void ones with `closed` deltas, written when a hazard enters or
-- leaves that part of the ledger or moves within it (another region or grade).
CREATE OR REPLACE FUNCTION duban_hazard_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved boolean := TG_OP = 'INSERT' OR (OLD.status, OLD.deadline, OLD.grade, OLD.listing_level, OLD.assigned_supervisor, OLD.region_path)
                   IS DISTINCT FROM (NEW.status, NEW.deadline, NEW.grade, NEW.listing_level, NEW.assigned_supervisor, NEW.region_path);
  shut_moved boolean;
  leaves boolean;
  joins boolean;
  e_industry text := '';
  e_leader text := '';
BEGIN
  -- Most updates (a reminder sent, a plan filed) move nothing the figures count: stop here.
  IF NOT moved THEN
    RETURN NULL;
  END IF;
  shut_moved := (OLD.status, OLD.grade, OLD.region_path) IS DISTINCT FROM (NEW.status, NEW.grade, NEW.region_path);
  IF shut_moved AND OLD.status IN ('closed', 'void') THEN
    INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, grade, status)
    VALUES ('closed', -1, OLD.region_path, OLD.enterprise_id, OLD.grade, OLD.status);
  END IF;
  IF shut_moved AND NEW.status IN ('closed', 'void') THEN
    INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, grade, status)
    VALUES ('closed', 1, NEW.region_path, NEW.enterprise_id, NEW.grade, NEW.status);
  END IF;
  leaves := OLD.status NOT IN ('closed', 'void');
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
CREATE OR REPLACE FUNCTION duban_hazards_inserted_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level, status, deadline)
  SELECT 'open', 1, n.region_path, n.enterprise_id, coalesce(e.industry, ''), coalesce(e.responsible_leader_id::text, ''),
         coalesce(n.assigned_supervisor, ''), n.grade, coalesce(n.listing_level, ''), n.status, n.deadline
  FROM inserted_hazards n LEFT JOIN enterprises e ON e.id = n.enterprise_id
  WHERE n.status NOT IN ('closed', 'void');
  INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, grade, status)
  SELECT 'closed', 1, n.region_path, n.enterprise_id, n.grade, n.status
  FROM inserted_hazards n
  WHERE n.status IN ('closed', 'void');
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Notices: a delta when one is issued, and when it moves to another status, ladder level or region.
CREATE FUNCTION duban_notices_inserted_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, grade, status, ladder_level)
  SELECT 'notice', 1, n.region_path, n.enterprise_id, n.grade, n.status, n.ladder_level FROM inserted_notices n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION duban_notice_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (OLD.status, OLD.ladder_level, OLD.region_path) IS NOT DISTINCT FROM (NEW.status, NEW.ladder_level, NEW.region_path) THEN
    RETURN NULL;
  END IF;
  INSERT INTO figure_deltas (kind, sign, region_path, enterprise_id, grade, status, ladder_level)
  VALUES ('notice', -1, OLD.region_path, OLD.enterprise_id, OLD.grade, OLD.status, OLD.ladder_level),
         ('notice', 1, NEW.region_path, NEW.enterprise_id, NEW.grade, NEW.status, NEW.ladder_level);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER notices_inserted_figures AFTER INSERT ON notices
  REFERENCING NEW TABLE AS inserted_notices
  FOR EACH STATEMENT EXECUTE FUNCTION duban_notices_inserted_figures();
--> statement-breakpoint
CREATE TRIGGER notices_figures AFTER UPDATE OF status, ladder_level, region_path ON notices
  FOR EACH ROW EXECUTE FUNCTION duban_notice_figures();
--> statement-breakpoint
-- The totals as they stand: the open part as folded so far (the deltas still waiting add to both
-- figure_open and figure_ledger when folded), the closed part and the notices from their rows.
INSERT INTO figure_ledger (node_path, depth, grade, status, n)
SELECT node_path, depth, grade, status, sum(n) FROM figure_open GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO figure_ledger (node_path, depth, grade, status, n)
SELECT p.node_path, p.depth, h.grade, h.status, sum(h.n)
FROM (SELECT region_path, grade, status, count(*) AS n FROM hazards WHERE status IN ('closed', 'void') GROUP BY 1, 2, 3) h
CROSS JOIN LATERAL duban_path_nodes(h.region_path) p
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO figure_notices (node_path, depth, status, ladder_level, n)
SELECT p.node_path, p.depth, x.status, x.ladder_level, sum(x.n)
FROM (SELECT region_path, status, ladder_level, count(*) AS n FROM notices GROUP BY 1, 2, 3) x
CROSS JOIN LATERAL duban_path_nodes(x.region_path) p
GROUP BY 1, 2, 3, 4;
