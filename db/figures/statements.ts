/**
 * The SQL of every figure read, built apart from running it (db/figures/read.ts runs them) so the
 * plan check can explain each as the API sends it (tests/integration/list-plans.test.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import { prefixPattern } from '../hazard-queries';
import { INSTRUMENT_KINDS } from '../../domain/instruments';
import type { AgeCollapse } from '../../domain/figures/ageing';
import { collapsedDeadline } from './age-collapse';

/**
 * Whose figures: a region node's, from the summary tables, or one enterprise's own, from its
 * hazards and their trail through the same views the summary is built from (an enterprise has
 * tens of hazards, so reading them is cheaper than keeping a summary per enterprise).
 */
export type At = { nodePath: string } | { enterpriseId: string };

export type Dimension = 'industry' | 'leader' | 'supervisor';

export const DAY_SUMS = sql`
  coalesce(sum(registered), 0) as registered, coalesce(sum(repeats), 0) as repeats,
  coalesce(sum(closed), 0) as closed, coalesce(sum(closed_on_time), 0) as closed_on_time,
  coalesce(sum(reopened), 0) as reopened, coalesce(sum(became_overdue), 0) as became_overdue,
  coalesce(sum(escalated), 0) as escalated, coalesce(sum(voided), 0) as voided`;

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

/**
 * Where the open rows by dimension are read from: figure_open_aged when the fold has aged it for the
 * reader's day and buckets, else figure_open_by (the same figures, a row per deadline).
 */
function openByTable(aged: boolean): SQL {
  return aged ? sql`figure_open_aged` : sql`figure_open_by`;
}

/**
 * Each read's statement, built apart from running it so its plan can be checked
 * (tests/integration/list-plans.test.ts); db/figures/read.ts runs them.
 */
export const figureStatements = {
  openAt(at: At, collapse: AgeCollapse): SQL {
    const from =
      'nodePath' in at
        ? sql`figure_open where node_path = ${at.nodePath} and n <> 0`
        : sql`(select grade, status, deadline, listing_level, 1 as n from figure_open_rows where enterprise_id = ${at.enterpriseId}) o`;
    return sql`select grade, status, ${collapsedDeadline(collapse)}::text as deadline, listing_level, sum(n) as n from ${from} group by 1, 2, 3, 4`;
  },
  openOfChildren(nodePath: string, collapse: AgeCollapse): SQL {
    return sql`
      select node_path, grade, status, ${collapsedDeadline(collapse)}::text as deadline, sum(n) as n from figure_open
      where depth = ${depthOf(nodePath) + 1} and node_path like ${prefixPattern(nodePath)} and n <> 0
      group by 1, 2, 3, 4`;
  },
  /**
   * The node's open rows by a dimension's values, each row with the number of values in all;
   * `limit`: of the values with the most overdue then open hazards only (ties: by value).
   */
  openByDimension(nodePath: string, dimension: Dimension, collapse: AgeCollapse, aged: boolean, limit?: number): SQL {
    const table = openByTable(aged);
    return sql`
      with rows as (
        select value, grade, status, deadline, n from ${table} where node_path = ${nodePath} and dimension = ${dimension} and n <> 0
      ),
      keys as (
        select value, sum(n) as open, coalesce(sum(n) filter (where status = 'rectifying' and deadline < ${collapse.today}::date), 0) as overdue
        from rows group by value
      ),
      chosen as (select value from keys order by overdue desc, open desc, value ${limit === undefined ? sql`` : sql`limit ${limit}`})
      select value, grade, status, ${collapsedDeadline(collapse)}::text as deadline, sum(n) as n, (select count(*) from keys) as keys
      from rows ${limit === undefined ? sql`` : sql`where value in (select value from chosen)`}
      group by 1, 2, 3, 4`;
  },
  /**
   * Enterprises under the node with the most overdue hazards on the collapse's day (ties: the most
   * major first), with the node their rows lie at: the top of figure_overdue_enterprises when it is
   * aged for that day, else added up from figure_open_by.
   */
  enterprisesByOverdue(nodePath: string, collapse: AgeCollapse, aged: boolean, limit: number): SQL {
    const ranked = aged
      ? sql`
        select node_path, enterprise_id as id, overdue, major from figure_overdue_enterprises
        where node_path like ${prefixPattern(nodePath)} and overdue > 0
        order by overdue desc, major desc, enterprise_id
        limit ${limit}`
      : sql`
        select min(node_path) as node_path, value::uuid as id, sum(n) as overdue, coalesce(sum(n) filter (where grade = 'major'), 0) as major
        from figure_open_by
        where dimension = 'enterprise' and node_path like ${prefixPattern(nodePath)}
          and status = 'rectifying' and deadline < ${collapse.today}::date and n <> 0
        group by value
        order by 3 desc, 4 desc, 2
        limit ${limit}`;
    return sql`
      select e.id, e.name, e.region_path, x.overdue, x.major, x.node_path from (${ranked}) x join enterprises e on e.id = x.id
      order by x.overdue desc, x.major desc, e.id`;
  },
  /** The oldest overdue deadline of each enterprise, by the nodes its rows lie at (the key leads with them). */
  oldestOverdue(keys: ReadonlyArray<{ nodePath: string; id: string }>, today: string): SQL {
    return sql`
      select value as id, min(deadline)::text as oldest from figure_open_by
      where (node_path, value) in (${sql.join(keys.map((k) => sql`(${k.nodePath}, ${k.id})`), sql`, `)})
        and dimension = 'enterprise' and status = 'rectifying' and deadline < ${today}::date and n <> 0
      group by value`;
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
      // A notice's latest instrument is one of its ladder's: naming the kinds keeps the join off
      // the many other instruments (hazards' opinions, decisions), read through instruments_kind_idx.
      ladder: sql`
        select i.kind, n.ladder_level as level, count(*) as n
        from notices n join instruments i on i.code = n.last_instrument_code and i.kind in (${sql.join(INSTRUMENT_KINDS.map((k) => sql`${k}`), sql`, `)})
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

/** A region path's depth: '/city/' is 1. */
export function depthOf(path: string): number {
  return path.split('/').filter(Boolean).length;
}
