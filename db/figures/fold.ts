/**
 * Keeps the leaders' figures (db/schema/figures.ts) current: `foldFigures` adds the deltas the
 * triggers appended since the last fold into the summary tables, at every level of the region
 * tree; `rebuildFigures` recomputes them from the hazards themselves (after a bulk load, or when
 * the summary was never built). One fold at a time: the others skip.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import { loadCalendar } from '../calendar';
import { workingDaysToClosure } from '../../domain/figures/closure-days';
import { ageCollapse, type AgeCollapse } from '../../domain/figures/ageing';
import { shanghaiDate } from '../../domain/shanghai-time';
import type { WorkCalendar } from '../../domain/work-calendar';
import { collapsedDeadline, sameCollapse } from './age-collapse';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const FOLD_LOCK = sql`hashtext('duban.figures')`;
const BATCH = 20_000;

interface ClosureGroup {
  node_path: string;
  day: string;
  grade: string;
  order_day: string;
  n: number;
}

export interface FoldOptions {
  /** Deltas per transaction. */
  batch?: number;
  /** The moment the fold ages the open rows for (its Shanghai day); now by default. */
  now?: number;
}

/** Folds what is waiting, a batch at a time; returns how many deltas it folded (0: none, or another fold is running). */
export async function foldFigures(db: Database, o: FoldOptions = {}): Promise<number> {
  const batch = o.batch ?? BATCH;
  const today = shanghaiDate(o.now ?? Date.now());
  let calendar: WorkCalendar | undefined;
  let total = 0;
  for (;;) {
    const folded = await db.transaction(async (tx) => {
      const [lock] = (await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${FOLD_LOCK}) as ok`)).rows;
      if (!lock?.ok) return -1;
      calendar ??= await loadCalendar(tx as unknown as Database);
      return foldBatch(tx, batch, await agedFor(tx, ageCollapse(calendar, today)));
    });
    if (folded < 0) return total;
    total += folded;
    if (folded < batch) return total;
  }
}

/**
 * Ages figure_open_aged and figure_overdue_enterprises for the collapse's day when they are aged for
 * another (the day turned, or the calendar moved a bucket): anew from figure_open_by, under the fold's lock. Rows a fold left at
 * zero go at the same time (reads skip them), so a fold never scans a whole table for them.
 */
async function agedFor(tx: Tx, collapse: AgeCollapse): Promise<AgeCollapse> {
  const [row] = (await tx.execute<{ aged: AgeCollapse | null }>(sql`select aged from figure_folds where id = 1`)).rows;
  if (sameCollapse(row?.aged, collapse)) return collapse;
  // Truncated, and written in key order so each node's rows lie together: a city's breakdown then
  // reads a few pages, not a page per row. Readers wait for this (seconds, once a day).
  await tx.execute(sql`truncate figure_open_aged, figure_overdue_enterprises`);
  await tx.execute(sql`
    insert into figure_open_aged (node_path, dimension, value, grade, status, deadline, n)
    select node_path, dimension, value, grade, status, ${collapsedDeadline(collapse)}, sum(n) from figure_open_by
    where dimension <> 'enterprise'
    group by 1, 2, 3, 4, 5, 6
    order by 1, 2, 3, 4, 5, 6
  `);
  await tx.execute(sql`
    insert into figure_overdue_enterprises (node_path, enterprise_id, overdue, major)
    select node_path, value::uuid, sum(n), coalesce(sum(n) filter (where grade = 'major'), 0) from figure_open_by
    where dimension = 'enterprise' and status = 'rectifying' and deadline < ${collapse.today}::date
    group by 1, 2
    order by 1, 2
  `);
  await tx.execute(sql`
    insert into figure_folds (id, folded_at, aged, version) values (1, now(), ${JSON.stringify(collapse)}::jsonb, 1)
    on conflict (id) do update set aged = excluded.aged, version = figure_folds.version + 1
  `);
  return collapse;
}

async function foldBatch(tx: Tx, batch: number, collapse: AgeCollapse): Promise<number> {
  // One statement takes the batch and adds it to every table, so each delta counts exactly once.
  const { rows } = await tx.execute<{ folded: number; closures: ClosureGroup[] | null }>(sql`
    with d as (
      delete from figure_deltas where id in (select id from figure_deltas order by id limit ${batch}) returning *
    ),
    nodes as (
      select d.*, p.node_path, p.depth from d cross join lateral duban_path_nodes(d.region_path) p
    ),
    open_rows as (
      insert into figure_open (node_path, depth, grade, status, deadline, listing_level, n)
      select node_path, depth, grade, status, deadline, listing_level, sum(sign)
      from nodes where kind = 'open'
      group by node_path, depth, grade, status, deadline, listing_level
      on conflict (node_path, grade, status, deadline, listing_level) do update set n = figure_open.n + excluded.n
      returning 1
    ),
    by_source as (
      select node_path, 'industry' as dimension, industry as value, grade, status, deadline, sign from nodes where kind = 'open'
      union all select node_path, 'leader', leader_id, grade, status, deadline, sign from nodes where kind = 'open'
      union all select node_path, 'supervisor', supervisor, grade, status, deadline, sign from nodes where kind = 'open'
      union all select region_path, 'enterprise', enterprise_id::text, grade, status, deadline, sign from d where kind = 'open'
    ),
    by_rows as (
      insert into figure_open_by (node_path, dimension, value, grade, status, deadline, n)
      select node_path, dimension, value, grade, status, deadline, sum(sign) from by_source
      group by node_path, dimension, value, grade, status, deadline
      on conflict (node_path, dimension, value, grade, status, deadline) do update set n = figure_open_by.n + excluded.n
      returning 1
    ),
    aged_rows as (
      insert into figure_open_aged (node_path, dimension, value, grade, status, deadline, n)
      select node_path, dimension, value, grade, status, ${collapsedDeadline(collapse)}, sum(sign) from by_source
      where dimension <> 'enterprise'
      group by 1, 2, 3, 4, 5, 6
      on conflict (node_path, dimension, value, grade, status, deadline) do update set n = figure_open_aged.n + excluded.n
      returning 1
    ),
    enterprise_rows as (
      insert into figure_overdue_enterprises (node_path, enterprise_id, overdue, major)
      select region_path, enterprise_id, sum(sign), coalesce(sum(sign) filter (where grade = 'major'), 0) from d
      where kind = 'open' and status = 'rectifying' and deadline < ${collapse.today}::date
      group by 1, 2
      on conflict (node_path, enterprise_id) do update
        set overdue = figure_overdue_enterprises.overdue + excluded.overdue, major = figure_overdue_enterprises.major + excluded.major
      returning 1
    ),
    ledger_rows as (
      insert into figure_ledger (node_path, depth, grade, status, n)
      select node_path, depth, grade, status, sum(sign) from nodes where kind in ('open', 'closed')
      group by 1, 2, 3, 4
      on conflict (node_path, grade, status) do update set n = figure_ledger.n + excluded.n
      returning 1
    ),
    notice_rows as (
      insert into figure_notices (node_path, depth, status, ladder_level, n)
      select node_path, depth, status, ladder_level, sum(sign) from nodes where kind = 'notice'
      group by 1, 2, 3, 4
      on conflict (node_path, status, ladder_level) do update set n = figure_notices.n + excluded.n
      returning 1
    ),
    day_rows as (
      insert into figure_days (day, node_path, depth, grade, registered, repeats, closed, closed_on_time, reopened, became_overdue, escalated, voided)
      select day, node_path, depth, grade,
        coalesce(sum(n) filter (where event = 'registered'), 0), coalesce(sum(n) filter (where event = 'repeat'), 0),
        coalesce(sum(n) filter (where event = 'closed'), 0), coalesce(sum(n * on_time) filter (where event = 'closed'), 0),
        coalesce(sum(n) filter (where event = 'reopened'), 0), coalesce(sum(n) filter (where event = 'overdue'), 0),
        coalesce(sum(n) filter (where event = 'escalated'), 0), coalesce(sum(n) filter (where event = 'voided'), 0)
      from (
        select day, node_path, depth, grade, event, on_time, n from nodes where kind = 'day'
      ) x
      group by day, node_path, depth, grade
      on conflict (node_path, day, grade) do update set
        registered = figure_days.registered + excluded.registered,
        repeats = figure_days.repeats + excluded.repeats,
        closed = figure_days.closed + excluded.closed,
        closed_on_time = figure_days.closed_on_time + excluded.closed_on_time,
        reopened = figure_days.reopened + excluded.reopened,
        became_overdue = figure_days.became_overdue + excluded.became_overdue,
        escalated = figure_days.escalated + excluded.escalated,
        voided = figure_days.voided + excluded.voided
      returning 1
    )
    select
      (select count(*) from d)::int as folded,
      (select (select count(*) from open_rows) + (select count(*) from by_rows) + (select count(*) from aged_rows) + (select count(*) from enterprise_rows)
        + (select count(*) from ledger_rows) + (select count(*) from notice_rows) + (select count(*) from day_rows)) as touched,
      (select json_agg(c) from (
        select node_path, day::text as day, grade, order_day::text as order_day, sum(n)::int as n
        from nodes where kind = 'day' and event = 'closed'
        group by node_path, day, grade, order_day
      ) c) as closures
  `);
  const folded = Number(rows[0]?.folded ?? 0);
  await addClosureDays(tx, rows[0]?.closures ?? []);
  await tx.execute(sql`
    insert into figure_folds (id, folded_at, folded, version) values (1, now(), ${folded}, 1)
    on conflict (id) do update set folded_at = now(), folded = figure_folds.folded + ${folded},
      version = figure_folds.version + ${folded > 0 ? 1 : 0}
  `);
  return folded;
}

/** Closures by working days from order to closure, counted on the working-day calendar. */
async function addClosureDays(tx: Tx, groups: ClosureGroup[]): Promise<void> {
  if (!groups.length) return;
  const calendar = await loadCalendar(tx as unknown as Database);
  const merged = new Map<string, { node: string; day: string; grade: string; days: number; n: number }>();
  for (const g of groups) {
    const days = workingDaysToClosure(calendar, g.order_day, g.day);
    const key = `${g.node_path}|${g.day}|${g.grade}|${days}`;
    const row = merged.get(key) ?? { node: g.node_path, day: g.day, grade: g.grade, days, n: 0 };
    row.n += Number(g.n);
    merged.set(key, row);
  }
  const rows = [...merged.values()];
  for (let i = 0; i < rows.length; i += 5_000) {
    const part = rows.slice(i, i + 5_000);
    await tx.execute(sql`
      insert into figure_closure_days (node_path, day, grade, working_days, n)
      select node, day, grade, days, n
      from json_to_recordset(${JSON.stringify(part)}::json) as x(node text, day date, grade text, days int, n int)
      on conflict (node_path, day, grade, working_days) do update set n = figure_closure_days.n + excluded.n
    `);
  }
}

/**
 * Recomputes every figure from the hazards (the notices' totals from the notices): used after a
 * bulk load that bypassed the triggers and when a database is migrated to a version with figures.
 * Writers wait while it runs.
 */
export async function rebuildFigures(db: Database, o: Pick<FoldOptions, 'now'> = {}): Promise<void> {
  // A writer caught between the table locks below makes Postgres end one side of a deadlock: when it
  // ends this side, nothing was written, and the rebuild starts again once the writer has committed.
  for (let attempt = 1; ; attempt++) {
    try {
      return await rebuildOnce(db, shanghaiDate(o.now ?? Date.now()));
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      if (code !== DEADLOCK || attempt >= 5) throw error;
    }
  }
}

const DEADLOCK = '40P01';

async function rebuildOnce(db: Database, today: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FOLD_LOCK})`);
    // Blocks writes to hazards, their trail, enterprises and notices (their triggers would add deltas)
    // until it commits; taken in the order writers take them (the trail before the read model).
    await tx.execute(sql`lock table hazard_events, hazards, enterprises, notices in share mode`);
    await tx.execute(sql`truncate figure_deltas, figure_open, figure_open_by, figure_open_aged, figure_overdue_enterprises, figure_days, figure_closure_days, figure_ledger, figure_notices`);
    await tx.execute(sql`update figure_folds set aged = null, version = version + 1 where id = 1`);
    await tx.execute(sql`
      insert into figure_deltas (kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level, status, deadline)
      select 'open', 1, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level, status, deadline
      from figure_open_rows
    `);
    // Past days from the trail, as its trigger counts them when each event is appended.
    await tx.execute(sql`
      insert into figure_deltas (kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level,
                                 status, deadline, event, day, n, on_time, order_day)
      select kind, sign, region_path, enterprise_id, industry, leader_id, supervisor, grade, listing_level,
             status, deadline, event, day, n, on_time, order_day
      from figure_event_days
    `);
    // The ledger's closed part and the notices by their groups, not a delta per row: most of a
    // city's hazards are closed. The open part comes with the open deltas below.
    await tx.execute(sql`
      insert into figure_ledger (node_path, depth, grade, status, n)
      select p.node_path, p.depth, h.grade, h.status, sum(h.n)
      from (select region_path, grade, status, count(*) as n from hazards where status in ('closed', 'void') group by 1, 2, 3) h
      cross join lateral duban_path_nodes(h.region_path) p
      group by 1, 2, 3, 4
    `);
    await tx.execute(sql`
      insert into figure_notices (node_path, depth, status, ladder_level, n)
      select p.node_path, p.depth, x.status, x.ladder_level, sum(x.n)
      from (select region_path, status, ladder_level, count(*) as n from notices group by 1, 2, 3) x
      cross join lateral duban_path_nodes(x.region_path) p
      group by 1, 2, 3, 4
    `);
    const collapse = await agedFor(tx, ageCollapse(await loadCalendar(tx as unknown as Database), today));
    for (;;) if ((await foldBatch(tx, 200_000, collapse)) < 200_000) break;
    await tx.execute(sql`update figure_folds set rebuilt_at = now(), folded = 0 where id = 1`);
  });
}

/** Builds the figures from the hazards once, on the first migration that brings them. */
export async function rebuildFiguresIfNeverBuilt(db: Database): Promise<void> {
  const { rows } = await db.execute<{ rebuilt_at: Date | null }>(sql`select rebuilt_at from figure_folds where id = 1`);
  if (!rows[0]?.rebuilt_at) await rebuildFigures(db);
}
