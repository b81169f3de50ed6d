/**
 * Inspections (执法检查/排查) and repeat hazards
 *
 * An inspection records who inspected which enterprise, where and when, with its checklist
 * findings in order; a failed finding may become a hazard, and that hazard keeps the link
 * (hazards.inspection_id + inspection_finding; the finding's hazard_id). Each creation and each
 * finding→hazard step is also in the case-event chain (case type 'inspection').
 */
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex, uuid, check, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { enterprises } from './directory';
import { hazards } from './hazards';

export const inspections = pgTable(
  'inspections',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** The enterprise's region path at the inspection: the jurisdiction that sees it. */
    regionPath: text('region_path').notNull(),
    location: text('location').notNull().default(''),
    startedAt: instant('started_at').notNull(),
    endedAt: instant('ended_at').notNull(),
    /** User ids of everyone who inspected, the recording supervisor first. */
    inspectors: uuid('inspectors').array().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
    findingsCount: integer('findings_count').notNull(),
    failedCount: integer('failed_count').notNull(),
    /** Findings that have become hazards so far. */
    hazardsCount: integer('hazards_count').notNull().default(0),
  },
  (t) => [
    index('inspections_created_idx').on(t.createdAt, t.id),
    index('inspections_enterprise_idx').on(t.enterpriseId, t.createdAt),
    index('inspections_region_idx').using('btree', t.regionPath.op('text_pattern_ops')),
    // Those with a failed finding not yet a hazard: few, listed newest first.
    index('inspections_pending_idx').on(t.createdAt, t.id).where(sql`${t.hazardsCount} < ${t.failedCount}`),
    check('inspections_time_order', sql`${t.startedAt} <= ${t.endedAt}`),
  ],
);

export const inspectionFindings = pgTable(
  'inspection_findings',
  {
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    /** Position in the checklist, from 1. */
    n: integer('n').notNull(),
    item: text('item').notNull(),
    result: text('result', { enum: ['pass', 'fail', 'not_applicable'] }).notNull(),
    note: text('note').notNull().default(''),
    category: text('category'),
    grade: text('grade', { enum: ['general', 'major'] }),
    legalBasis: text('legal_basis').notNull().default(''),
    requiredMeasures: text('required_measures').notNull().default(''),
    /** The hazard this finding became; set once, after the hazard exists. */
    hazardId: uuid('hazard_id')
      .unique()
      .references((): AnyPgColumn => hazards.id),
  },
  (t) => [
    uniqueIndex('inspection_findings_n_uq').on(t.inspectionId, t.n),
    check('inspection_findings_n_positive', sql`${t.n} >= 1`),
    check('inspection_findings_fail_has_category', sql`${t.result} <> 'fail' or ${t.category} is not null`),
  ],
);
