/**
 * A hazard list's total read from the leaders' kept figures instead of counted row by row. Two
 * tables hold list totals: figure_ledger, every hazard by node, grade and status (a list of all
 * hazards of a jurisdiction, of one status, grade, open or not: a dozen rows a node), and
 * figure_open, the open ones by node, grade, status, deadline and listing level (overdue, an age
 * bucket's deadlines, a listing level: a city's total a sum over a few thousand rows, not a walk
 * over every matching hazard).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import type { HazardFilter } from '../hazard-queries';
import type { ListTotal } from '../list-count';
import { shanghaiDate, type IsoDate } from '../../domain/shanghai-time';
import { keptSumStatement, keptTotal } from './kept-total';

/** The figures' open stock: what figure_open_rows holds (every status but closed and void). */
const OPEN_STATUSES = ['rectifying', 'under_review'];

/** The filters set (a key given as undefined is no filter). */
const setKeys = (f: HazardFilter) => (Object.keys(f) as Array<keyof HazardFilter>).filter((k) => f[k] !== undefined);

/** Filters figure_ledger answers: any status, open or not, a grade, a region's subtree. */
const LEDGER_HELD = new Set<keyof HazardFilter>(['status', 'open', 'grade', 'regionPath']);

/** Filters figure_open can answer; any other (an enterprise, an industry, a period…) needs the hazards themselves. */
const OPEN_HELD = new Set<keyof HazardFilter>(['status', 'overdue', 'open', 'grade', 'regionPath', 'listingLevel', 'listed', 'deadlineFrom', 'deadlineTo']);

/** Whether figure_ledger holds this filter's total: it filters on status, openness, grade and region only. */
export function ledgerHolds(f: HazardFilter): boolean {
  return setKeys(f).every((k) => LEDGER_HELD.has(k));
}

/**
 * Whether figure_open holds this filter's total: it keeps to open hazards (open, overdue or an
 * open status) and filters on nothing figure_open lacks.
 */
export function figuresHold(f: HazardFilter): boolean {
  if (!setKeys(f).every((k) => OPEN_HELD.has(k))) return false;
  if (f.open === false || f.overdue === false) return false;
  if (f.status !== undefined && !OPEN_STATUSES.includes(f.status)) return false;
  return f.open === true || f.overdue === true || f.status !== undefined;
}

/** The statement summing figure_ledger for a filter it holds, under `nodePath`. */
export function ledgerTotalStatement(nodePath: string, f: HazardFilter): SQL {
  const where: SQL[] = [];
  if (f.status) where.push(sql`status = ${f.status}`);
  if (f.grade) where.push(sql`grade = ${f.grade}`);
  if (f.open !== undefined) where.push(f.open ? sql`status in ('rectifying', 'under_review')` : sql`status not in ('rectifying', 'under_review')`);
  return keptSumStatement(sql`figure_ledger`, nodePath, where, ['open', 'closed']);
}

/**
 * The statement summing figure_open for a filter the figures hold, under `nodePath` (the
 * subtree the list is limited to), with the time of the last fold: the moment the sum describes.
 * Overdue as the list means it (rectifying, due_at ≤ now) is a deadline before today's Shanghai
 * date, since a hazard falls due at the end of its deadline day (dueInstant).
 */
export function openTotalStatement(db: Database, nodePath: string, f: HazardFilter, today: IsoDate): SQL {
  const where: SQL[] = [sql`n <> 0`];
  if (f.status) where.push(sql`status = ${f.status}`);
  if (f.overdue === true) where.push(sql`status = 'rectifying' and deadline < ${today}::date`);
  if (f.grade) where.push(sql`grade = ${f.grade}`);
  if (f.listingLevel) where.push(sql`listing_level = ${f.listingLevel}`);
  if (f.listed !== undefined) where.push(f.listed ? sql`listing_level <> ''` : sql`listing_level = ''`);
  if (f.deadlineFrom) where.push(sql`deadline >= ${f.deadlineFrom}::date`);
  if (f.deadlineTo) where.push(sql`deadline <= ${f.deadlineTo}::date`);
  return keptSumStatement(sql`figure_open`, nodePath, where, ['open']);
}

/**
 * The statement a first page reads its total with under `nodePath`: figure_ledger's few rows where
 * it holds the filter, else figure_open's; null when neither does and the hazards must be counted.
 */
export function keptHazardTotalStatement(db: Database, nodePath: string, f: HazardFilter, today: IsoDate): SQL | null {
  if (ledgerHolds(f)) return ledgerTotalStatement(nodePath, f);
  return figuresHold(f) ? openTotalStatement(db, nodePath, f, today) : null;
}

/**
 * A jurisdiction's list total from the figures, as of their last fold, when they hold the filter
 * and were folded lately; null when the hazards must be counted instead.
 */
export function figuresTotal(db: Database, nodePath: string, f: HazardFilter, now: Date): Promise<ListTotal | null> {
  return keptTotal(db, keptHazardTotalStatement(db, nodePath, f, shanghaiDate(now.getTime())), now);
}
