/**
 * Review packs (双月督办会材料): the figures a jurisdiction's review meeting looks at, assembled for
 * a period and kept as they were, and which jurisdictions hold such a meeting and how often.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, jsonb, pgTable, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { regions } from './directory';

/** A jurisdiction's meeting rhythm; without a row the city and every county meet every two months. */
export const reviewPackPolicies = pgTable(
  'review_pack_policies',
  {
    regionId: text('region_id')
      .primaryKey()
      .references(() => regions.id),
    everyMonths: smallint('every_months').notNull().default(2),
    active: boolean('active').notNull().default(true),
    updatedBy: text('updated_by').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [check('review_pack_policies_every_months', sql`${t.everyMonths} between 1 and 12`)],
);

export const reviewPacks = pgTable(
  'review_packs',
  {
    id: uuid('id').primaryKey(),
    regionId: text('region_id')
      .notNull()
      .references(() => regions.id),
    /** Copied from the region: lists are scoped by prefix without a join. */
    regionPath: text('region_path').notNull(),
    /** First and last day of the period, inclusive (Shanghai dates). */
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    assembledAt: instant('assembled_at').notNull(),
    /** `system` for the scheduled packs, otherwise the user name of whoever asked for it. */
    assembledBy: text('assembled_by').notNull(),
    content: jsonb('content').notNull(),
  },
  (t) => [
    uniqueIndex('review_packs_region_period_uq').on(t.regionId, t.periodFrom, t.periodTo),
    index('review_packs_path_idx').using('btree', t.regionPath.op('text_pattern_ops'), t.assembledAt, t.id),
    index('review_packs_newest_idx').on(t.assembledAt, t.id),
  ],
);
