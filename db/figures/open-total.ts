/**
 * A hazard list's total read from the leaders' kept figures instead of counted row by row, where
 * the list's filter is one figure_open holds: open hazards (all open, one open status, overdue,
 * an age bucket's deadlines) of a region's subtree, optionally of one grade or listing level.
 * figure_open has one row per node, grade, status, deadline and listing level, so a city's total
 * is a sum over a few thousand rows, not a walk over every matching hazard.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import type { HazardFilter } from '../hazard-queries';
import type { ListTotal } from '../list-count';
import { shanghaiDate, type IsoDate } from '../../domain/shanghai-time';

/** The figures' open stock: what figure_open_rows holds (every status but closed and void). */
const OPEN_STATUSES = new Set(['rectifying', 'under_review']);

/** Filters figure_open can answer; any other (an enterprise, an industry, a period…) needs the hazards themselves. */
const HELD = new Set<keyof HazardFilter>(['status', 'overdue', 'open', 'grade', 'regionPath', 'listingLevel', 'listed', 'deadlineFrom', 'deadlineTo']);

/**
 * Whether the figures hold this filter's total: it keeps to open hazards (open, overdue or an
 * open status) and filters on nothing figure_open lacks.
 */
export function figuresHold(f: HazardFilter): boolean {
  const set = (Object.keys(f) as Array<keyof HazardFilter>).filter((k) => f[k] !== undefined);
  if (!set.every((k) => HELD.has(k))) return false;
  if (f.open === false || f.overdue === false) return false;
  if (f.status !== undefined && !OPEN_STATUSES.has(f.status)) return false;
  return f.open === true || f.overdue === true || f.status !== undefined;
}

/**
 * The statement summing figure_open for a filter the figures hold, under `nodePath` (the
 * subtree the list is limited to), with the time of the last fold: the moment the sum describes.
 * Overdue as the list means it (rectifying, due_at ≤ now) is a deadline before today's Shanghai
 * date, since a hazard falls due at the end of its deadline day (dueInstant).
 */
export function openTotalStatement(db: Database, nodePath: string, f: HazardFilter, today: IsoDate) {
  const where: SQL[] = [sql`node_path = ${nodePath}`, sql`n <> 0`];
  if (f.status) where.push(sql`status = ${f.status}`);
  if (f.overdue === true) where.push(sql`status = 'rectifying' and deadline < ${today}::date`);
  if (f.grade) where.push(sql`grade = ${f.grade}`);
  if (f.listingLevel) where.push(sql`listing_level = ${f.listingLevel}`);
  if (f.listed !== undefined) where.push(f.listed ? sql`listing_level <> ''` : sql`listing_level = ''`);
  if (f.deadlineFrom) where.push(sql`deadline >= ${f.deadlineFrom}::date`);
  if (f.deadlineTo) where.push(sql`deadline <= ${f.deadlineTo}::date`);
  return sql`select coalesce(sum(n), 0)::bigint as n, (select folded_at from figure_folds where id = 1) as folded_at
    from figure_open where ${sql.join(where, sql` and `)}`;
}

/** The figures' total for the filter under the node, and when they were last folded (null: never). */
export async function openTotal(db: Database, nodePath: string, f: HazardFilter, today: IsoDate): Promise<{ n: number; foldedAt: Date | null }> {
  const { rows } = await db.execute<{ n: string | number; folded_at: Date | string | null }>(openTotalStatement(db, nodePath, f, today));
  const r = rows[0];
  return { n: Number(r?.n ?? 0), foldedAt: r?.folded_at ? new Date(r.folded_at) : null };
}

/** How long after the last fold a list still reads its total from the figures (the fold runs every 5 s). */
export const FIGURES_FRESH_MS = 60_000;

/**
 * A jurisdiction's list total from the figures, as of their last fold, when they hold the filter
 * and were folded lately; null when the hazards must be counted instead.
 */
export async function figuresTotal(db: Database, nodePath: string, f: HazardFilter, now: Date): Promise<ListTotal | null> {
  if (!figuresHold(f)) return null;
  const kept = await openTotal(db, nodePath, f, shanghaiDate(now.getTime()));
  if (!kept.foldedAt || now.getTime() - kept.foldedAt.getTime() > FIGURES_FRESH_MS) return null;
  return { total: kept.n, totalAtLeast: false, from: 'figures', asOf: kept.foldedAt, carried: false };
}
