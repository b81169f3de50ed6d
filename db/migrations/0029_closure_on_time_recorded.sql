-- A closure's "on time" is the verdict its review recorded (review_accepted's data.onTime): the
-- hazard row may since have been reopened with a new deadline, and a rebuild or an enterprise's own
-- figures must judge the closure as the fold did when it was appended. Closures recorded before the
-- verdict was kept fall back to the row, as before.
CREATE OR REPLACE VIEW figure_event_days AS
  SELECT ev.id AS event_id, 'day'::text AS kind, 1::smallint AS sign, h.region_path, h.enterprise_id,
         coalesce(e.industry, '') AS industry, coalesce(e.responsible_leader_id::text, '') AS leader_id,
         ''::text AS supervisor, h.grade, ''::text AS listing_level, NULL::text AS status, NULL::date AS deadline,
         f.figure AS event, duban_shanghai_day(ev.occurred_at) AS day, 1 AS n,
         CASE WHEN f.figure = 'closed' AND coalesce((ev.data ->> 'onTime')::boolean,
                                                    h.submitted_at IS NOT NULL AND h.submitted_at <= h.due_at)
              THEN 1 ELSE 0 END::smallint AS on_time,
         CASE WHEN f.figure = 'closed' THEN duban_shanghai_day(h.created_at) END AS order_day
  FROM hazard_events ev
  JOIN hazards h ON h.id = ev.hazard_id
  JOIN enterprises e ON e.id = h.enterprise_id
  CROSS JOIN LATERAL (
    SELECT duban_event_figure(ev.type) AS figure
    UNION ALL SELECT 'repeat' WHERE ev.type = 'registered' AND h.repeat_of IS NOT NULL
  ) f
  WHERE f.figure IS NOT NULL;
