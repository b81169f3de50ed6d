/**
 * Urges (催办): one row per urge of one item, written with the item's own event, so a leader's
 * list of what they urged reads here; and the bulk urges, whose workflow keeps its progress in
 * its row as it goes.
 */
import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';

export const URGE_ITEM_KINDS = ['hazard', 'notice'] as const;

export const bulkUrges = pgTable(
  'bulk_urges',
  {
    /** The workflow id (`urge-<uuid>`). */
    id: text('id').primaryKey(),
    /** The first run of the bulk urge's workflow: a later run with the same id starts afresh. */
    runId: text('run_id').notNull(),
    urgedBy: text('urged_by').notNull(),
    scopeKind: text('scope_kind', { enum: ['enterprise', 'region'] }).notNull(),
    /** The enterprise's id or the region's id. */
    scopeId: text('scope_id').notNull(),
    /** The urging leader's jurisdiction when it began: nothing outside it is urged, or listed. */
    reachPath: text('reach_path').notNull(),
    message: text('message').notNull().default(''),
    /** Overdue is judged at this instant for the whole bulk urge. */
    asOf: instant('as_of').notNull(),
    concerned: integer('concerned').notNull(),
    told: integer('told').notNull().default(0),
    alreadyEnded: integer('already_ended').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    phase: text('phase', { enum: ['hazards', 'notices', 'done'] }).notNull(),
    startedAt: instant('started_at').notNull(),
    doneAt: instant('done_at'),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('bulk_urges_by_idx').on(t.urgedBy, t.startedAt)],
);

export const urges = pgTable(
  'urges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemKind: text('item_kind', { enum: URGE_ITEM_KINDS }).notNull(),
    itemId: uuid('item_id').notNull(),
    /** The step of the item's workflow that recorded it: with the item, it makes the write idempotent. */
    stepKey: text('step_key').notNull(),
    /** Copied from the item: who sees the urge (the item's jurisdiction and enterprise). */
    regionPath: text('region_path').notNull(),
    enterpriseId: uuid('enterprise_id'),
    urgedBy: text('urged_by').notNull(),
    urgedAt: instant('urged_at').notNull(),
    message: text('message').notNull().default(''),
    bulkUrgeId: text('bulk_urge_id').references(() => bulkUrges.id),
  },
  (t) => [
    uniqueIndex('urges_step_uq').on(t.itemKind, t.itemId, t.stepKey),
    index('urges_by_idx').on(t.urgedBy, t.urgedAt, t.id),
    index('urges_time_idx').on(t.urgedAt, t.id),
    index('urges_region_idx').using('btree', t.regionPath.op('text_pattern_ops')),
    index('urges_bulk_idx').on(t.bulkUrgeId),
  ],
);
