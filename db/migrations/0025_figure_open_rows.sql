-- The open stock as figure rows: what rebuildFigures counts from, and what an enterprise's own
-- figures read (the hazards trigger writes the same row for each change: duban_hazard_figures).
CREATE VIEW figure_open_rows AS
  SELECT h.id AS hazard_id, h.region_path, h.enterprise_id, coalesce(e.industry, '') AS industry,
         coalesce(e.responsible_leader_id::text, '') AS leader_id, coalesce(h.assigned_supervisor, '') AS supervisor,
         h.grade, coalesce(h.listing_level, '') AS listing_level, h.status, h.deadline
  FROM hazards h JOIN enterprises e ON e.id = h.enterprise_id
  WHERE h.status NOT IN ('closed', 'void');
