/**
 * The leaders' figures: summary tables kept current from the hazards read model, so no figure
 * needs a GROUP BY over every hazard when someone asks.
 *
 * Triggers on `hazards` and `enterprises` (migration 0018) append each change's contribution to
 * `figure_deltas` in the writer's own transaction — an insert, so concurrent writers never wait on
 * one another's counters. A short, frequent fold (db/figures/fold.ts) adds the deltas into the
 * summary tables at every level of the region tree and stamps when it did; every answer carries
 * that stamp. `node_path` is a region path (`/city/county/…/`), one row per level the hazard
 * lies under, so a node's figures and its children's are each a handful of rows.
 */
import { bigint, bigserial, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';

/** One change's contribution, as the triggers wrote it, waiting to be folded. */
export const figureDeltas = pgTable('figure_deltas', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /**
   * `open`: the hazard joins (+1) or leaves (−1) the open stock; `closed`: it joins or leaves the
   * closed and void part of the ledger (with `open`, every hazard: figure_ledger); `day`: something
   * happened on `day`; `notice`: a supervision notice joins or leaves a status and ladder level.
   */
  kind: text('kind', { enum: ['open', 'closed', 'day', 'notice'] }).notNull(),
  sign: smallint('sign').notNull().default(1),
  regionPath: text('region_path').notNull(),
  /** Null only for a notice addressed to a government body instead of an enterprise. */
  enterpriseId: uuid('enterprise_id'),
  industry: text('industry').notNull().default(''),
  leaderId: text('leader_id').notNull().default(''),
  supervisor: text('supervisor').notNull().default(''),
  grade: text('grade').notNull(),
  listingLevel: text('listing_level').notNull().default(''),
  status: text('status'),
  deadline: date('deadline', { mode: 'string' }),
  /** Day deltas: what happened (registered, repeat, closed, reopened, overdue, escalated, voided), on which Shanghai day, how often. */
  event: text('event'),
  day: date('day', { mode: 'string' }),
  n: integer('n').notNull().default(1),
  /** Closures: rectified by the deadline, and the day the order was given (for working days to closure). */
  onTime: smallint('on_time').notNull().default(0),
  orderDay: date('order_day', { mode: 'string' }),
  /** Notice deltas: the notice's ladder level. */
  ladderLevel: smallint('ladder_level'),
});

/**
 * Every hazard under each region node by grade and status, closed and void ones too: the total of
 * a list of all hazards of a jurisdiction (or of one status or grade) read from a few rows instead
 * of counted. Folded from the `open` and `closed` deltas.
 */
export const figureLedger = pgTable(
  'figure_ledger',
  {
    nodePath: text('node_path').notNull(),
    depth: smallint('depth').notNull(),
    grade: text('grade').notNull(),
    status: text('status').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodePath, t.grade, t.status] })],
);

/** Supervision notices under each region node by status and ladder level: the notice list's totals. */
export const figureNotices = pgTable(
  'figure_notices',
  {
    nodePath: text('node_path').notNull(),
    depth: smallint('depth').notNull(),
    status: text('status').notNull(),
    ladderLevel: smallint('ladder_level').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodePath, t.status, t.ladderLevel] })],
);

/** Open hazards under each region node by grade, status, deadline and listing level. */
export const figureOpen = pgTable(
  'figure_open',
  {
    nodePath: text('node_path').notNull(),
    depth: smallint('depth').notNull(),
    grade: text('grade').notNull(),
    status: text('status').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    listingLevel: text('listing_level').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.nodePath, t.grade, t.status, t.deadline, t.listingLevel] }),
    index('figure_open_child_idx').using('btree', t.depth, t.nodePath.op('text_pattern_ops')),
  ],
);

/**
 * Open hazards under each region node by one other dimension: industry, responsible leader (包联)
 * or supervisor in charge; and by enterprise at the enterprise's own node only (the ranking).
 */
export const figureOpenBy = pgTable(
  'figure_open_by',
  {
    nodePath: text('node_path').notNull(),
    dimension: text('dimension', { enum: ['industry', 'leader', 'supervisor', 'enterprise'] }).notNull(),
    value: text('value').notNull(),
    grade: text('grade').notNull(),
    status: text('status').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.nodePath, t.dimension, t.value, t.grade, t.status, t.deadline] }),
    index('figure_open_by_scope_idx').using('btree', t.dimension, t.nodePath.op('text_pattern_ops')),
  ],
);

/**
 * figure_open_by's breakdowns (industry, leader, supervisor) aged for one day: each row's deadline collapsed as that day's reads collapse it
 * (db/figures/age-collapse.ts: open rows not overdue to the day itself, overdue ones to the last
 * deadline of their age bucket), so a city's breakdown by leader reads
 * a few rows per key instead of one per deadline. The fold keeps it with figure_open_by and ages it
 * anew when the day or the calendar changes the buckets (`figure_folds.aged`); reads use it only
 * when it is aged for their own day.
 */
export const figureOpenAged = pgTable(
  'figure_open_aged',
  {
    nodePath: text('node_path').notNull(),
    dimension: text('dimension', { enum: ['industry', 'leader', 'supervisor'] }).notNull(),
    value: text('value').notNull(),
    grade: text('grade').notNull(),
    status: text('status').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodePath, t.dimension, t.value, t.grade, t.status, t.deadline] })],
);

/**
 * Overdue hazards of each enterprise on the day figure_open_aged is aged for, at the node its
 * hazards lie at (an enterprise with records keeps its region): the ranking of enterprises by
 * overdue work reads the top of an index instead of adding up every enterprise under a node. Kept
 * by the fold and aged anew with figure_open_aged.
 */
export const figureOverdueEnterprises = pgTable(
  'figure_overdue_enterprises',
  {
    nodePath: text('node_path').notNull(),
    enterpriseId: uuid('enterprise_id').notNull(),
    overdue: integer('overdue').notNull(),
    major: integer('major').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.nodePath, t.enterpriseId] }),
    index('figure_overdue_enterprises_rank_idx').using('btree', t.overdue.desc(), t.major.desc(), t.enterpriseId),
    index('figure_overdue_enterprises_scope_idx').using('btree', t.nodePath.op('text_pattern_ops')),
  ],
);

/** What happened under each region node on each Shanghai day, by grade. */
export const figureDays = pgTable(
  'figure_days',
  {
    day: date('day', { mode: 'string' }).notNull(),
    nodePath: text('node_path').notNull(),
    depth: smallint('depth').notNull(),
    grade: text('grade').notNull(),
    registered: integer('registered').notNull().default(0),
    repeats: integer('repeats').notNull().default(0),
    closed: integer('closed').notNull().default(0),
    closedOnTime: integer('closed_on_time').notNull().default(0),
    reopened: integer('reopened').notNull().default(0),
    becameOverdue: integer('became_overdue').notNull().default(0),
    escalated: integer('escalated').notNull().default(0),
    voided: integer('voided').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.nodePath, t.day, t.grade] }),
    index('figure_days_child_idx').using('btree', t.depth, t.nodePath.op('text_pattern_ops'), t.day),
  ],
);

/** Closures under each node per day by working days from the order to closure: the median's histogram. */
export const figureClosureDays = pgTable(
  'figure_closure_days',
  {
    day: date('day', { mode: 'string' }).notNull(),
    nodePath: text('node_path').notNull(),
    grade: text('grade').notNull(),
    workingDays: integer('working_days').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodePath, t.day, t.grade, t.workingDays] })],
);

/** When the figures were last folded: the time every answer reports. One row. */
export const figureFolds = pgTable('figure_folds', {
  id: smallint('id').primaryKey().default(1),
  foldedAt: instant('folded_at').notNull(),
  /** Deltas folded since the summary was last rebuilt from the hazards themselves. */
  folded: bigint('folded', { mode: 'number' }).notNull().default(0),
  rebuiltAt: instant('rebuilt_at'),
  /**
   * Moves on whenever the summary's figures may have changed (a fold that folded something, an
   * ageing, a rebuild): answers computed at one version are the same until the next.
   */
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  /** The day and age buckets figure_open_aged is aged for (null: not aged yet). */
  aged: jsonb('aged').$type<{ today: string; buckets: Array<{ from: string | null; to: string }> }>(),
});
