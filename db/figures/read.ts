/**
 * Reads of the leaders' figures, for one region node: its own rows of the summary tables (or its
 * children's, for a breakdown), so every answer reads a few hundred rows whatever the city's size.
 * Ages are worked out here from deadlines and today's date, over the overdue rows only.
 */
import { inArray, sql } from 'drizzle-orm';
import { users } from '../schema';
import type { Database } from '../client';
import { CALENDAR_STAMP } from '../calendar';
import { workingDaysToClosure } from '../../domain/figures/closure-days';
import type { AgeCollapse } from '../../domain/figures/ageing';
import type { WorkCalendar } from '../../domain/work-calendar';
import { figureStatements, type At, type Dimension } from './statements';

export { depthOf, figureStatements, type At, type Dimension } from './statements';

export interface OpenCount {
  grade: string;
  status: string;
  deadline: string;
  listingLevel: string;
  n: number;
}

const num = (v: unknown) => Number(v ?? 0);

/** The open hazards by grade, status, deadline (overdue ones collapsed: age-collapse.ts) and listing level. */
export async function openAt(db: Database, at: At, collapse: AgeCollapse): Promise<OpenCount[]> {
  const { rows } = await db.execute<{ grade: string; status: string; deadline: string; listing_level: string; n: number }>(figureStatements.openAt(at, collapse));
  return rows.map((r) => ({ grade: r.grade, status: r.status, deadline: r.deadline, listingLevel: r.listing_level, n: num(r.n) }));
}

export interface ChildOpen {
  nodePath: string;
  grade: string;
  status: string;
  deadline: string;
  n: number;
}

/** The open hazards of each child of the node (one level down). */
export async function openOfChildren(db: Database, nodePath: string, collapse: AgeCollapse): Promise<ChildOpen[]> {
  const { rows } = await db.execute<{ node_path: string; grade: string; status: string; deadline: string; n: number }>(figureStatements.openOfChildren(nodePath, collapse));
  return rows.map((r) => ({ nodePath: r.node_path, grade: r.grade, status: r.status, deadline: r.deadline, n: num(r.n) }));
}

export interface DimensionOpen {
  value: string;
  grade: string;
  status: string;
  deadline: string;
  n: number;
}

/**
 * The node's open hazards by industry, responsible leader or supervisor in charge (`aged`: read
 * figure_open_aged), of the `limit` values with the most overdue work when given, and how many values there are.
 */
export async function openByDimension(
  db: Database,
  nodePath: string,
  dimension: Dimension,
  collapse: AgeCollapse,
  aged: boolean,
  limit?: number,
): Promise<{ rows: DimensionOpen[]; values: number }> {
  const { rows } = await db.execute<{ value: string; grade: string; status: string; deadline: string; n: number; keys: number }>(
    figureStatements.openByDimension(nodePath, dimension, collapse, aged, limit),
  );
  return { rows: rows.map((r) => ({ value: r.value, grade: r.grade, status: r.status, deadline: r.deadline, n: num(r.n) })), values: num(rows[0]?.keys) };
}

/** Enterprises under the node with the most overdue hazards on the collapse's day, each with its oldest overdue deadline. */
export async function enterprisesByOverdue(db: Database, nodePath: string, collapse: AgeCollapse, aged: boolean, limit: number) {
  const { rows } = await db.execute<{ id: string; name: string; region_path: string; overdue: number; major: number; node_path: string }>(
    figureStatements.enterprisesByOverdue(nodePath, collapse, aged, limit),
  );
  if (!rows.length) return [];
  // The exact oldest deadline of the few ranked, from their own rows.
  const keys = rows.map((r) => ({ nodePath: r.node_path, id: r.id }));
  const { rows: oldest } = await db.execute<{ id: string; oldest: string }>(figureStatements.oldestOverdue(keys, collapse.today));
  const oldestOf = new Map(oldest.map((r) => [r.id, r.oldest]));
  return rows.map((r) => ({ id: r.id, name: r.name, regionPath: r.region_path, overdue: num(r.overdue), major: num(r.major), oldestDeadline: oldestOf.get(r.id) ?? '' }));
}

/** Enterprises under the node with the most hazards registered as repeats from `from` to `to`. */
export async function enterprisesByRepeats(db: Database, nodePath: string, from: string, to: string, limit: number) {
  const { rows } = await db.execute<{ id: string; name: string; region_path: string; repeats: number; latest: string }>(
    figureStatements.enterprisesByRepeats(nodePath, from, to, limit),
  );
  return rows.map((r) => ({ id: r.id, name: r.name, regionPath: r.region_path, repeats: num(r.repeats) }));
}

export interface DayTotals {
  registered: number;
  repeats: number;
  closed: number;
  closedOnTime: number;
  reopened: number;
  becameOverdue: number;
  escalated: number;
  voided: number;
}

type DayRow = Record<'registered' | 'repeats' | 'closed' | 'closed_on_time' | 'reopened' | 'became_overdue' | 'escalated' | 'voided', number>;

function dayTotals(r: DayRow | undefined): DayTotals {
  return {
    registered: num(r?.registered),
    repeats: num(r?.repeats),
    closed: num(r?.closed),
    closedOnTime: num(r?.closed_on_time),
    reopened: num(r?.reopened),
    becameOverdue: num(r?.became_overdue),
    escalated: num(r?.escalated),
    voided: num(r?.voided),
  };
}

/** What happened from `from` to `to` (inclusive; `to` null: up to now), optionally of one grade. */
export async function daysAt(db: Database, at: At, from: string, to: string | null, grade?: string): Promise<DayTotals> {
  const { rows } = await db.execute<DayRow>(figureStatements.daysAt(at, from, to, grade));
  return dayTotals(rows[0]);
}

/** The same for each child of the node. */
export async function daysOfChildren(db: Database, nodePath: string, from: string, to: string): Promise<Map<string, DayTotals>> {
  const { rows } = await db.execute<DayRow & { node_path: string }>(figureStatements.daysOfChildren(nodePath, from, to));
  return new Map(rows.map((r) => [r.node_path, dayTotals(r)]));
}

/** Day by day, for a trend. */
export async function daySeries(db: Database, at: At, from: string, to: string): Promise<Array<DayTotals & { day: string }>> {
  const { rows } = await db.execute<DayRow & { day: string }>(figureStatements.daySeries(at, from, to));
  return rows.map((r) => ({ day: r.day, ...dayTotals(r) }));
}

/** Closures from `from` to `to` by working days from order to closure (the calendar counts an enterprise's own). */
export async function closureDaysAt(db: Database, at: At, from: string, to: string, calendar: () => Promise<WorkCalendar>) {
  if ('enterpriseId' in at) {
    const { rows } = await db.execute<{ order_day: string; day: string; n: number }>(figureStatements.closureDaysAt(at, from, to));
    const cal = await calendar();
    const histogram = new Map<number, number>();
    for (const r of rows) {
      const days = workingDaysToClosure(cal, r.order_day, r.day);
      histogram.set(days, (histogram.get(days) ?? 0) + num(r.n));
    }
    return [...histogram].map(([value, n]) => ({ value, n }));
  }
  const { rows } = await db.execute<{ working_days: number; n: number }>(figureStatements.closureDaysAt(at, from, to));
  return rows.map((r) => ({ value: num(r.working_days), n: num(r.n) }));
}

export interface ReadingState {
  /** When the figures were last folded (null: never). */
  foldedAt: Date | null;
  /** The summary's version (figure_folds.version): its figures are the same until it moves. */
  version: number;
  /** The day and buckets figure_open_aged is aged for (null: never aged). */
  aged: AgeCollapse | null;
  /** The calendar imports' stamp (db/calendar.ts CALENDAR_STAMP). */
  calendarStamp: string;
  /** The last change to the directory (regions, people, enterprises: each is recorded in the admin chain), whose names answers show. */
  directoryStamp: number;
}

/** What an answer needs to know before reading figures, in one round trip. */
export async function readingState(db: Database): Promise<ReadingState> {
  const { rows } = await db.execute<{ folded_at: Date | null; version: string | null; aged: AgeCollapse | null; calendar: string; directory: string | null }>(sql`
    select f.folded_at, f.version, f.aged, ${CALENDAR_STAMP} as calendar, (select max(id) from admin_events) as directory
    from (select 1) one left join figure_folds f on f.id = 1`);
  const r = rows[0];
  return {
    foldedAt: r?.folded_at ? new Date(r.folded_at) : null,
    version: Number(r?.version ?? 0),
    aged: r?.aged ?? null,
    calendarStamp: r?.calendar ?? '',
    directoryStamp: Number(r?.directory ?? 0),
  };
}

/** The notices under the node that are still open: few, so read from the records themselves. */
export async function openNoticesAt(db: Database, nodePath: string, now: Date) {
  const s = figureStatements.openNoticesAt(nodePath, now);
  const [counts, ladder, decisions] = await Promise.all([
    db.execute<{ open: number; unsigned_late: number; overdue: number }>(s.counts),
    db.execute<{ kind: string; level: number; n: number }>(s.ladder),
    db.execute<{ kind: string; decider_role: string; n: number; oldest: Date }>(s.decisions),
  ]);
  const c = counts.rows[0];
  return {
    open: num(c?.open),
    unsignedPastDue: num(c?.unsigned_late),
    overdue: num(c?.overdue),
    byInstrument: ladder.rows.map((r) => ({ instrument: r.kind, level: num(r.level), n: num(r.n) })),
    pendingDecisions: decisions.rows.map((r) => ({ kind: r.kind, deciderRole: r.decider_role, n: num(r.n), oldestOpenedAt: new Date(r.oldest).toISOString() })),
  };
}

/** What people read for each value of a breakdown: a leader's or supervisor's name (an industry is its own). */
export async function labelsOf(db: Database, by: Dimension, values: string[]): Promise<Map<string, string>> {
  const known = values.filter(Boolean);
  if (by === 'industry' || !known.length) return new Map(known.map((v) => [v, v]));
  const uuid = /^[0-9a-f-]{36}$/i;
  const rows =
    by === 'leader'
      ? await db.select({ key: users.id, name: users.displayName }).from(users).where(inArray(users.id, known.filter((v) => uuid.test(v))))
      : await db.select({ key: users.username, name: users.displayName }).from(users).where(inArray(users.username, known));
  return new Map(rows.map((r) => [r.key, r.name]));
}
