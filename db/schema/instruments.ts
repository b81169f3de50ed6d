/**
 * Numbered instruments (notices, reminder cards, lists, letters, directives) and the gapless
 * counters behind their numbers.
 */
import { integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { notices } from './notices';

/** The last number issued per agency and year; its row lock makes numbering gapless. */
export const instrumentCounters = pgTable(
  'instrument_counters',
  {
    agency: text('agency').notNull(),
    year: integer('year').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [uniqueIndex('instrument_counters_agency_year_uq').on(t.agency, t.year)],
);

/** Every numbered instrument issued (notices, reminder cards, lists, letters, directives). */
export const instruments = pgTable(
  'instruments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agency: text('agency').notNull(),
    year: integer('year').notNull(),
    number: integer('number').notNull(),
    /** The full official form, e.g. 江北应急〔2026〕12号. */
    code: text('code').notNull().unique(),
    kind: text('kind').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedAt: instant('issued_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('instruments_agency_year_number_uq').on(t.agency, t.year, t.number)],
);
