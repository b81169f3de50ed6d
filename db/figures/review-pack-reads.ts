/**
 * Reads a review pack needs beyond the leaders' figures: the longest-overdue hazards themselves,
 * each enterprise's overdue facts, the grids' rows of the summary, and the campaigns over a region.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import { prefixPattern } from '../hazard-queries';
import { shanghaiInstant } from '../../domain/shanghai-time';
import type { DayTotals } from './read';

const num = (v: unknown) => Number(v ?? 0);

/**
 * The hazards under the node being rectified past their deadline on `today`, longest overdue
 * first. Walks `hazards_status_due_idx` in deadline order, so it stops after `limit` matches.
 */
export async function longestOverdue(db: Database, nodePath: string, today: string, limit: number) {
  const { rows } = await db.execute<{ id: string; title: string; grade: string; deadline: string; enterprise_id: string; enterprise_name: string }>(sql`
    select h.id, h.title, h.grade, h.deadline::text as deadline, e.id as enterprise_id, e.name as enterprise_name
    from hazards h join enterprises e on e.id = h.enterprise_id
    where h.status = 'rectifying' and h.due_at <= ${new Date(shanghaiInstant(today))}
      and h.region_path like ${prefixPattern(nodePath)}
    order by h.due_at, h.id
    limit ${limit}
  `);
  return rows.map((r) => ({ id: r.id, title: r.title, grade: r.grade, deadline: r.deadline, enterprise: { id: r.enterprise_id, name: r.enterprise_name } }));
}

/** Every enterprise under the node with hazards overdue on `today`: how many, how many major, the oldest major deadline. */
export async function enterprisesOverdue(db: Database, nodePath: string, today: string) {
  const { rows } = await db.execute<{ id: string; name: string; overdue: number; major: number; oldest_major: string | null }>(sql`
    select e.id, e.name, x.overdue, x.major, x.oldest_major from (
      select value as id, sum(n) as overdue, coalesce(sum(n) filter (where grade = 'major'), 0) as major,
        (min(deadline) filter (where grade = 'major'))::text as oldest_major
      from figure_open_by
      where dimension = 'enterprise' and node_path like ${prefixPattern(nodePath)}
        and status = 'rectifying' and deadline < ${today}::date and n <> 0
      group by value
    ) x join enterprises e on e.id = x.id::uuid
  `);
  return rows.map((r) => ({ id: r.id, name: r.name, overdue: num(r.overdue), overdueMajor: num(r.major), oldestMajorDeadline: r.oldest_major }));
}

/** The grids under the node. */
export async function gridsUnder(db: Database, nodePath: string) {
  const { rows } = await db.execute<{ id: string; name: string; path: string }>(sql`
    select id, name, path from regions where level = 'grid' and path like ${prefixPattern(nodePath)} order by path
  `);
  return rows;
}

/** Open hazards of every node at `depth` under the node (the grids, at the tree's fourth level). */
export async function openAtDepth(db: Database, nodePath: string, depth: number) {
  const { rows } = await db.execute<{ node_path: string; grade: string; status: string; deadline: string; n: number }>(sql`
    select node_path, grade, status, deadline::text as deadline, sum(n) as n from figure_open
    where depth = ${depth} and node_path like ${prefixPattern(nodePath)} and n <> 0
    group by node_path, grade, status, deadline
  `);
  return rows.map((r) => ({ nodePath: r.node_path, grade: r.grade, status: r.status, deadline: r.deadline, n: num(r.n) }));
}

/** Closures of every node at `depth` under the node from `from` to `to`, and how many on time. */
export async function closedAtDepth(db: Database, nodePath: string, depth: number, from: string, to: string): Promise<Map<string, Pick<DayTotals, 'closed' | 'closedOnTime'>>> {
  const { rows } = await db.execute<{ node_path: string; closed: number; closed_on_time: number }>(sql`
    select node_path, coalesce(sum(closed), 0) as closed, coalesce(sum(closed_on_time), 0) as closed_on_time from figure_days
    where depth = ${depth} and node_path like ${prefixPattern(nodePath)} and day between ${from}::date and ${to}::date
    group by node_path
  `);
  return new Map(rows.map((r) => [r.node_path, { closed: num(r.closed), closedOnTime: num(r.closed_on_time) }]));
}

/**
 * Campaigns covering the node (their region is the node or above it) still running on `from` or
 * later, each with its stock still open now: hazards under the node found before the cut-off.
 */
export async function campaignsOver(db: Database, nodePath: string, from: string) {
  const { rows } = await db.execute<{ id: string; name: string; region_id: string; cutoff: string; target: string; stock_open: number }>(sql`
    select c.id, c.name, c.region_id, c.cutoff::text as cutoff, c.target::text as target,
      (select count(*) from hazards h
        where h.region_path like ${prefixPattern(nodePath)} and h.status in ('rectifying', 'under_review')
          and h.created_at < (c.cutoff::timestamp at time zone 'Asia/Shanghai')) as stock_open
    from campaigns c
    where starts_with(${nodePath}, c.region_path) and c.target >= ${from}::date
    order by c.cutoff desc, c.id
    limit 5
  `);
  return rows.map((r) => ({ id: r.id, name: r.name, regionId: r.region_id, cutoff: r.cutoff, target: r.target, stockOpen: num(r.stock_open) }));
}
