/**
 * Reads of the leaders' figures, for one region node: its own rows of the summary tables (or its
 * children's, for a breakdown), so every answer reads a few hundred rows whatever the city's size.
 * Ages are worked out here from deadlines and today's date, over the overdue rows only.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { prefixPattern } from '../hazard-queries';
import { workingDaysToClosure } from '../../domain/figures/closure-days';
import type { WorkCalendar } from '../../domain/work-calendar';

/**
 * Whose figures: a region node's, from the summary tables, or one enterprise's own, from its
 * hazards and their trail through the same views the summary is built from (an enterprise has
 * tens of hazards, so reading them is cheaper than keeping a summary per enterprise).
 */
export type At = { nodePath: string } | { enterpriseId: string };

export interface OpenCount {
  grade: string;
  status: string;
  deadline: string;
  listingLevel: string;
  n: number;
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * How open rows collapse on a day: those not overdue to `today`, and the overdue ones to the last
 * deadline of their age bucket (`buckets`: each bucket's deadlines, worked out from the calendar
 * for `today`). Every deadline of a bucket has that bucket's age, so the figures are the same, and
 * a city's node reads a few rows per key instead of one per deadline.
 */
export interface AgeCollapse {
  today: string;
  buckets: ReadonlyArray<{ from: string | null; to: string }>;
}

/** A row's deadline as the figures need it (see AgeCollapse); a deadline no bucket holds is kept. */
function deadlineOn(c: AgeCollapse): SQL {
  const toBucket = c.buckets.map((b) =>
    b.from === null ? sql`when deadline <= ${b.to}::date then ${b.to}::date` : sql`when deadline between ${b.from}::date and ${b.to}::date then ${b.to}::date`,
  );
  const overdue = toBucket.length ? sql`case ${sql.join(toBucket, sql` `)} else deadline end` : sql`deadline`;
  return sql`case when status = 'rectifying' and deadline < ${c.today}::date then ${overdue} else ${c.today}::date end`;
}

/**
 * Each read's statement, built apart from running it so its plan can be checked
 * (tests/integration/list-plans.test.ts); the functions below run them.
 */
export const figureStatements = {
  openAt(at: At, collapse: AgeCollapse): SQL {
    const from =
      'nodePath' in at
        ? sql`figure_open where node_path = ${at.nodePath} and n <> 0`
        : sql`(select grade, status, deadline, listing_level, 1 as n from figure_open_rows where enterprise_id = ${at.enterpriseId}) o`;
    return sql`select grade, status, ${deadlineOn(collapse)}::text as deadline, listing_level, sum(n) as n from ${from} group by 1, 2, 3, 4`;
  },
  openOfChildren(nodePath: string, collapse: AgeCollapse): SQL {
    return sql`
      select node_path, grade, status, ${deadlineOn(collapse)}::text as deadline, sum(n) as n from figure_open
      where depth = ${depthOf(nodePath) + 1} and node_path like ${prefixPattern(nodePath)} and n <> 0
      group by 1, 2, 3, 4`;
  },
  openByDimension(nodePath: string, dimension: Dimension, collapse: AgeCollapse): SQL {
    return sql`
      select value, grade, status, ${deadlineOn(collapse)}::text as deadline, sum(n) as n from figure_open_by
      where node_path = ${nodePath} and dimension = ${dimension} and n <> 0
      group by 1, 2, 3, 4`;
  },
  enterprisesByOverdue(nodePath: string, today: string, limit: number): SQL {
    return sql`
      select e.id, e.name, e.region_path, x.overdue, x.major, x.oldest from (
        select value as id, sum(n) as overdue, sum(n) filter (where grade = 'major') as major, min(deadline)::text as oldest
        from figure_open_by
        where dimension = 'enterprise' and node_path like ${prefixPattern(nodePath)}
          and status = 'rectifying' and deadline < ${today}::date and n <> 0
        group by value
        order by sum(n) desc, min(deadline), value
        limit ${limit}
      ) x join enterprises e on e.id = x.id::uuid
      order by x.overdue desc, x.oldest, e.id`;
  },
  enterprisesByRepeats(nodePath: string, from: string, to: string, limit: number): SQL {
    // Repeats are few: read from their own partial index, not from the summary.
    return sql`
      select e.id, e.name, e.region_path, x.repeats, x.latest from (
        select enterprise_id, count(*) as repeats, max(created_at) as latest from hazards
        where repeat_of is not null and region_path like ${prefixPattern(nodePath)}
          and created_at >= (${from}::date)::timestamp at time zone 'Asia/Shanghai'
          and created_at < (${to}::date + 1)::timestamp at time zone 'Asia/Shanghai'
        group by enterprise_id
        order by count(*) desc, max(created_at) desc
        limit ${limit}
      ) x join enterprises e on e.id = x.enterprise_id
      order by x.repeats desc, x.latest desc, e.id`;
  },
  daysAt(at: At, from: string, to: string | null, grade?: string): SQL {
    return sql`
      select ${DAY_SUMS} from ${dayRowsOf(at)}
      where day >= ${from}::date ${to ? sql`and day <= ${to}::date` : sql``}
        ${grade ? sql`and grade = ${grade}` : sql``}`;
  },
  daysOfChildren(nodePath: string, from: string, to: string): SQL {
    return sql`
      select node_path, ${DAY_SUMS} from figure_days
      where depth = ${depthOf(nodePath) + 1} and node_path like ${prefixPattern(nodePath)} and day between ${from}::date and ${to}::date
      group by node_path`;
  },
  daySeries(at: At, from: string, to: string): SQL {
    return sql`
      select day::text as day, ${DAY_SUMS} from ${dayRowsOf(at)}
      where day between ${from}::date and ${to}::date
      group by day order by day`;
  },
  closureDaysAt(at: At, from: string, to: string): SQL {
    return 'enterpriseId' in at
      ? sql`
        select order_day::text as order_day, day::text as day, count(*) as n from figure_event_days
        where enterprise_id = ${at.enterpriseId} and event = 'closed' and day between ${from}::date and ${to}::date
        group by 1, 2`
      : sql`
        select working_days, sum(n) as n from figure_closure_days
        where node_path = ${at.nodePath} and day between ${from}::date and ${to}::date
        group by working_days`;
  },
  openNoticesAt(nodePath: string, now: Date) {
    const pattern = prefixPattern(nodePath);
    return {
      counts: sql`
        select count(*) as open,
          count(*) filter (where status = 'issued' and sign_due_at is not null and sign_due_at <= ${now}) as unsigned_late,
          count(*) filter (where due_at <= ${now}) as overdue
        from notices where status <> 'closed' and region_path like ${pattern}`,
      ladder: sql`
        select i.kind, n.ladder_level as level, count(*) as n
        from notices n join instruments i on i.code = n.last_instrument_code
        where n.status <> 'closed' and n.region_path like ${pattern} and n.ladder_level > 0
        group by i.kind, n.ladder_level order by n.ladder_level`,
      decisions: sql`
        select d.kind, d.decider_role, count(*) as n, min(d.opened_at) as oldest
        from notice_decisions d join notices n on n.id = d.notice_id
        where d.status = 'pending' and n.region_path like ${pattern}
        group by d.kind, d.decider_role order by min(d.opened_at)`,
    };
  },
};

/** The open hazards by grade, status, deadline (overdue ones only, see deadlineOn) and listing level. */
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

export type Dimension = 'industry' | 'leader' | 'supervisor';

export interface DimensionOpen {
  value: string;
  grade: string;
  status: string;
  deadline: string;
  n: number;
}

/** The node's open hazards by industry, responsible leader or supervisor in charge. */
export async function openByDimension(db: Database, nodePath: string, dimension: Dimension, collapse: AgeCollapse): Promise<DimensionOpen[]> {
  const { rows } = await db.execute<{ value: string; grade: string; status: string; deadline: string; n: number }>(figureStatements.openByDimension(nodePath, dimension, collapse));
  return rows.map((r) => ({ value: r.value, grade: r.grade, status: r.status, deadline: r.deadline, n: num(r.n) }));
}

/** Enterprises under the node with the most overdue hazards on `today` (deadline before it). */
export async function enterprisesByOverdue(db: Database, nodePath: string, today: string, limit: number) {
  const { rows } = await db.execute<{ id: string; name: string; region_path: string; overdue: number; major: number; oldest: string }>(
    figureStatements.enterprisesByOverdue(nodePath, today, limit),
  );
  return rows.map((r) => ({ id: r.id, name: r.name, regionPath: r.region_path, overdue: num(r.overdue), major: num(r.major), oldestDeadline: r.oldest }));
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

const DAY_SUMS = sql`
  coalesce(sum(registered), 0) as registered, coalesce(sum(repeats), 0) as repeats,
  coalesce(sum(closed), 0) as closed, coalesce(sum(closed_on_time), 0) as closed_on_time,
  coalesce(sum(reopened), 0) as reopened, coalesce(sum(became_overdue), 0) as became_overdue,
  coalesce(sum(escalated), 0) as escalated, coalesce(sum(voided), 0) as voided`;

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

/**
 * Day rows (as figure_days has them) of `at`: the node's own, or the enterprise's counted from
 * the trail by the view the triggers append from, so both say the same of the same events.
 */
function dayRowsOf(at: At): SQL {
  if ('nodePath' in at) return sql`(select * from figure_days where node_path = ${at.nodePath}) d`;
  return sql`(
    select day, grade,
      count(*) filter (where event = 'registered') as registered, count(*) filter (where event = 'repeat') as repeats,
      count(*) filter (where event = 'closed') as closed, count(*) filter (where event = 'closed' and on_time = 1) as closed_on_time,
      count(*) filter (where event = 'reopened') as reopened, count(*) filter (where event = 'overdue') as became_overdue,
      count(*) filter (where event = 'escalated') as escalated, count(*) filter (where event = 'voided') as voided
    from figure_event_days where enterprise_id = ${at.enterpriseId} group by day, grade
  ) d`;
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

/** A region path's depth: '/city/' is 1. */
export function depthOf(path: string): number {
  return path.split('/').filter(Boolean).length;
}
