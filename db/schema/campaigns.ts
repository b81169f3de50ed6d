/**
 * Campaigns (专项行动): a jurisdiction's drive to clear its stock of hazards by a target date.
 * Stock is what was found before the cut-off and still open at it; new is what is found after.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
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

/** Who a snapshot row counts for: every leader together (''), or one responsible leader (包联), or hazards of enterprises without one. */
export const ALL_LEADERS = '';
export const NO_LEADER = 'none';

/**
 * The burn-down as it stood at the end of each day: one row per campaign × day × region node (the
 * campaign's region and every node below it) × leader. A day's rows are final once the day has
 * ended; until then the day's row is provisional and retaken each hour. Final rows are never
 * rewritten, so an as-of answer for a past day is the same whenever it is asked. Every node's
 * all-leader row exists for every day taken (zeros included): a missing node row reads as zeros.
 */
export const campaignSnapshots = pgTable(
  'campaign_snapshots',
  {
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    day: date('day', { mode: 'string' }).notNull(),
    /** The region node the figures cover (its whole subtree), a path like `/city/county/`. */
    nodePath: text('node_path').notNull(),
    /** A leader's user id, NO_LEADER, or ALL_LEADERS. */
    leaderId: text('leader_id').notNull(),
    stockOpen: integer('stock_open').notNull(),
    stockClosed: integer('stock_closed').notNull(),
    stockVoided: integer('stock_voided').notNull(),
    stockOverdue: integer('stock_overdue').notNull(),
    newOpen: integer('new_open').notNull(),
    newClosed: integer('new_closed').notNull(),
    newVoided: integer('new_voided').notNull(),
    newOverdue: integer('new_overdue').notNull(),
    /** The day has ended and these figures are its last word. */
    final: boolean('final').notNull(),
    computedAt: instant('computed_at').notNull(),
  },
  (t) => [
    // A node's series (all leaders): the key's prefix. A day's nodes and leaders: the index below.
    primaryKey({ columns: [t.campaignId, t.nodePath, t.leaderId, t.day] }),
    index('campaign_snapshots_day_idx').on(t.campaignId, t.day, t.nodePath),
  ],
);
