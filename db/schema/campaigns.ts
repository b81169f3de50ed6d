/**
 * Campaigns (专项行动): a jurisdiction's drive to clear its stock of hazards by a target date.
 * Stock is what was found before the cut-off and still open at it; new is what is found after.
 */
import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { regions } from './directory';

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** The jurisdiction the campaign covers, and its path (a prefix of every hazard it counts). */
    regionId: text('region_id')
      .notNull()
      .references(() => regions.id),
    regionPath: text('region_path').notNull(),
    /** Hazards found before this day (Shanghai) and open at its start are the stock. */
    cutoff: date('cutoff', { mode: 'string' }).notNull(),
    /** The day the stock should reach zero (清零). */
    target: date('target', { mode: 'string' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('campaigns_region_idx').using('btree', t.regionPath.op('text_pattern_ops')),
    check('campaigns_target_after_cutoff', sql`${t.target} > ${t.cutoff}`),
  ],
);
