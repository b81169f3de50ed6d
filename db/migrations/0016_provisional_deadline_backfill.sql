-- Rows written before the deadline and the later steps were told apart: the deadline is
-- provisional when it lies in a year without calendar data (a count into such a year ends in
-- it); whatever else was provisional is a later step. The next write of each row sets both exactly.
UPDATE "hazards" SET
  "deadline_provisional" = "provisional" AND EXTRACT(YEAR FROM "deadline")::int NOT IN (SELECT "year" FROM "calendar_years"),
  "later_steps_provisional" = "provisional"
WHERE "provisional";--> statement-breakpoint
UPDATE "notices" SET
  "deadline_provisional" = "provisional" AND EXTRACT(YEAR FROM "deadline")::int NOT IN (SELECT "year" FROM "calendar_years"),
  "later_steps_provisional" = "provisional" AND NOT (EXTRACT(YEAR FROM "deadline")::int NOT IN (SELECT "year" FROM "calendar_years"))
WHERE "provisional";
