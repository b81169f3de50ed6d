/**
 * The working-day calendar, a year at a time as published, and the publications that tell running
 * workflows about a year.
 */
import { boolean, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { hazards } from './hazards';
import { notices } from './notices';

/** The working-day calendar, a year at a time as published (see domain/work-calendar.ts). */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  source: text('source').notNull(),
  holidays: jsonb('holidays').notNull(),
  workdays: jsonb('workdays').notNull(),
  importedBy: text('imported_by').notNull(),
  importedAt: instant('imported_at').notNull().defaultNow(),
});

/**
 * A published year being told to the open hazards and notices it concerns: one row per
 * publication (workflow id), kept by the publication's workflow so an admin sees how far it got.
 */
export const calendarPublications = pgTable('calendar_publications', {
  id: text('id').primaryKey(),
  /** The first run of the publication's workflow: a later run with the same id starts afresh. */
  runId: text('run_id').notNull(),
  year: integer('year').notNull(),
  replaced: boolean('replaced').notNull(),
  /** The year as it was before this publication (null: first publication), to count what moves. */
  previous: jsonb('previous'),
  publishedBy: text('published_by').notNull(),
  publishedAt: instant('published_at').notNull(),
  /** Open hazards and notices the year concerned when the publication began. */
  concerned: integer('concerned').notNull(),
  hazardsTold: integer('hazards_told').notNull().default(0),
  noticesTold: integer('notices_told').notNull().default(0),
  /** Workflows that had ended before they were told (closed since the read model listed them). */
  alreadyEnded: integer('already_ended').notNull().default(0),
  /** Workflows a signal could not reach for another reason, after retries: looked at by a person. */
  failed: integer('failed').notNull().default(0),
  deadlinesMoved: integer('deadlines_moved').notNull().default(0),
  phase: text('phase', { enum: ['hazards', 'notices', 'done'] }).notNull(),
  doneAt: instant('done_at'),
  updatedAt: instant('updated_at').notNull(),
});
