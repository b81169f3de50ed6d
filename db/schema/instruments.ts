/**
 * Numbered instruments (notices, reminder cards, lists, letters, directives) and the gapless
 * counters behind their numbers.
 */
import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { hazards } from './hazards';
import { suspensions } from './suspensions';

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
  (t) => [
    uniqueIndex('instruments_agency_year_number_uq').on(t.agency, t.year, t.number),
    // The notice list's filter on the ladder's latest instrument by kind: the codes of a kind.
    index('instruments_kind_idx').on(t.kind, t.code),
  ],
);

/**
 * The instruments a hazard's own steps issued (整改复查意见书 on a review, 延期审批意见 on an
 * extension decision), by workflow step: the step makes issuing idempotent.
 */
export const hazardInstruments = pgTable(
  'hazard_instruments',
  {
    hazardId: uuid('hazard_id')
      .notNull()
      .references(() => hazards.id),
    stepKey: text('step_key').notNull(),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => instruments.id),
  },
  (t) => [uniqueIndex('hazard_instruments_step_uq').on(t.hazardId, t.stepKey)],
);

/**
 * The instruments a suspension's steps issued (恢复生产经营审查意见书 on a decision on a resumption
 * request), by workflow step: the step makes issuing idempotent.
 */
export const suspensionInstruments = pgTable(
  'suspension_instruments',
  {
    suspensionId: uuid('suspension_id')
      .notNull()
      .references(() => suspensions.id),
    stepKey: text('step_key').notNull(),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => instruments.id),
  },
  (t) => [uniqueIndex('suspension_instruments_step_uq').on(t.suspensionId, t.stepKey)],
);
