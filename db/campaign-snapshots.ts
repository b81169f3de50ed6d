/**
 * The campaign burn-down's daily snapshots: how every hazard of a campaign stood at the end of a
 * day, read from its events (so a day before the campaign existed is as exact as yesterday), and
 * the rows that keep it. Taken by the snapshot schedule's activity; read by the API.
 *
 * How a hazard stands at an instant is its last event of these types before it: registered,
 * rejected on review or reopened → being rectified; submitted → under review (open); accepted →
 * closed; voided → void. A hazard found before any event of its own (imported from a legacy
 * ledger, its found time kept as created_at) stands open until its events say otherwise.
 */
import { and, asc, eq, gte, inArray, lte, ne, sql } from 'drizzle-orm';
import {
  DAYS_TAKEN_AFTER_TARGET,
  daysToTake,
  emptyFigures,
  rollUp,
  type Cohort,
  type DayFigures,
  type HazardGroup,
  type SnapshotRun,
  type StandingAtDayEnd,
} from '../domain/campaign-burndown';
import { addDays, shanghaiDate, shanghaiInstant, type IsoDate } from '../domain/shanghai-time';
import type { Database } from './client';
import { prefixPattern } from './hazard-queries';
import { ALL_LEADERS, campaigns, campaignSnapshots, NO_LEADER } from './schema';

export interface CampaignWindow {
  id: string;
  regionPath: string;
  cutoff: IsoDate;
  target: IsoDate;
}

const STANDING_TYPES = sql.raw(`('registered','rectification_submitted','review_accepted','review_rejected','reopened','voided')`);
const DEADLINE_TYPES = sql.raw(`('registered','review_rejected','reopened','extension_approved','calendar_applied')`);
/** The deadline an event sets (null: a calendar change that left the deadline where it was). */
const DEADLINE_OF = sql.raw(
  `case ev.type when 'registered' then ev.data->>'deadline' when 'calendar_applied' then ev.data->'deadline'->>'to' else ev.data->>'newDeadline' end`,
);

/**
 * The campaign's hazards as they stood at the end of each of `days`, counted by region, leader,
 * cohort and standing: one query for all of them. Each event of a hazard opens the span in which
 * it is the hazard's latest (until the next one's time); a day's end falls into one span, or
 * before the first (the hazard stands open, on its registered deadline).
 */
export async function hazardGroupsOn(db: Database, campaign: CampaignWindow, days: readonly IsoDate[]): Promise<Map<IsoDate, HazardGroup[]>> {
  const out = new Map<IsoDate, HazardGroup[]>(days.map((d) => [d, []]));
  if (!days.length) return out;
  const cutoffAt = new Date(shanghaiInstant(campaign.cutoff));
  const ends = days.map((d) => new Date(shanghaiInstant(addDays(d, 1))).toISOString());
  const lastEnd = new Date(Math.max(...ends.map((e) => Date.parse(e))));
  const { rows } = await db.execute<{ day: string; region_path: string; leader: string; cohort: Cohort; standing: StandingAtDayEnd; overdue: boolean; n: number }>(sql`
    -- The campaign's hazards found by the last day's end: new ones, and stock (open as the
    -- cut-off day began). Those closed before the cut-off drop out here.
    with members as materialized (
      select h.id, h.region_path, h.created_at,
             coalesce(first_deadline.deadline, h.deadline::text) as first_deadline,
             coalesce(e.responsible_leader_id::text, ${NO_LEADER}) as leader,
             case when h.created_at >= ${cutoffAt} then 'new' else 'stock' end as cohort
        from hazards h
        join enterprises e on e.id = h.enterprise_id
        left join lateral (
          select ev.type from hazard_events ev
           where h.created_at < ${cutoffAt} and ev.hazard_id = h.id and ev.type in ${STANDING_TYPES} and ev.occurred_at < ${cutoffAt}
           order by ev.chain_seq desc limit 1) at_cutoff on true
        left join lateral (
          select ${DEADLINE_OF} as deadline from hazard_events ev
           where ev.hazard_id = h.id and ev.type = 'registered'
           order by ev.chain_seq limit 1) first_deadline on true
       where h.region_path like ${prefixPattern(campaign.regionPath)} and h.created_at < ${lastEnd}
         and (h.created_at >= ${cutoffAt} or coalesce(at_cutoff.type, '') not in ('review_accepted', 'voided'))
    ),
    events as (
      select ev.hazard_id as id, ev.chain_seq, ev.occurred_at,
             case when ev.type in ${STANDING_TYPES} then ev.type end as standing_type,
             case when ev.type in ${DEADLINE_TYPES} then ${DEADLINE_OF} end as deadline
        from members m
        join hazard_events ev on ev.hazard_id = m.id
       where ev.occurred_at < ${lastEnd} and (ev.type in ${STANDING_TYPES} or ev.type in ${DEADLINE_TYPES})
    ),
    counted as (
      select *,
             count(standing_type) over (partition by id order by chain_seq) as standing_run,
             count(deadline) over (partition by id order by chain_seq) as deadline_run,
             min(occurred_at) over (partition by id order by chain_seq rows between 1 following and unbounded following) as later_at
        from events
    ),
    spans as (
      select id, occurred_at as from_at, later_at as until_at,
             first_value(standing_type) over (partition by id, standing_run order by chain_seq) as standing_type,
             first_value(deadline) over (partition by id, deadline_run order by chain_seq) as deadline
        from counted
    ),
    days as (
      select * from unnest(${pgArray(days)}::date[], ${pgArray(ends)}::timestamptz[]) as t(day, end_at)
    ),
    standing as (
      select t.day, m.region_path, m.leader, m.cohort,
             case s.standing_type when 'review_accepted' then 'closed' when 'voided' then 'void' else 'open' end as standing,
             coalesce(s.standing_type, 'registered') in ('registered', 'review_rejected', 'reopened')
               and coalesce(s.deadline, m.first_deadline)::date < t.day as overdue
        from days t
        join members m on m.created_at < t.end_at
        left join spans s on s.id = m.id and s.from_at < t.end_at and (s.until_at is null or s.until_at >= t.end_at)
    )
    select day::text as day, region_path, leader, cohort, standing, overdue, count(*)::int as n
      from standing
     group by day, region_path, leader, cohort, standing, overdue`);
  for (const r of rows) out.get(r.day)?.push({ regionPath: r.region_path, leaderId: r.leader, cohort: r.cohort, standing: r.standing, overdue: r.overdue, count: r.n });
  return out;
}

const figureColumns = (f: DayFigures) => ({
  stockOpen: f.stock.open,
  stockClosed: f.stock.closed,
  stockVoided: f.stock.voided,
  stockOverdue: f.stock.overdue,
  newOpen: f.new.open,
  newClosed: f.new.closed,
  newVoided: f.new.voided,
  newOverdue: f.new.overdue,
});

/**
 * Stores one day's figures. A final row already there is left as it is (the database refuses to
 * change one); a provisional row is retaken, and one whose node or leader no longer counts
 * anything is set to zeros.
 */
export async function storeDay(db: Database, campaign: CampaignWindow, day: IsoDate, groups: readonly HazardGroup[], final: boolean, computedAt: Date): Promise<void> {
  const figures = rollUp(campaign.regionPath, groups, ALL_LEADERS);
  const rows = [...figures].map(([key, f]) => {
    const [nodePath, leaderId] = key.split('\u0000') as [string, string];
    return { campaignId: campaign.id, day, nodePath, leaderId, ...figureColumns(f), final, computedAt };
  });
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000) {
      await tx
        .insert(campaignSnapshots)
        .values(rows.slice(i, i + 1000))
        .onConflictDoUpdate({
          target: [campaignSnapshots.campaignId, campaignSnapshots.nodePath, campaignSnapshots.leaderId, campaignSnapshots.day],
          set: {
            ...Object.fromEntries(Object.keys(figureColumns(emptyFigures())).map((c) => [c, sql.raw(`excluded.${snake(c)}`)])),
            final: sql`excluded.final`,
            computedAt: sql`excluded.computed_at`,
          },
          setWhere: eq(campaignSnapshots.final, false),
        });
    }
    await tx
      .update(campaignSnapshots)
      .set({ ...figureColumns(emptyFigures()), final, computedAt })
      .where(and(eq(campaignSnapshots.campaignId, campaign.id), eq(campaignSnapshots.day, day), eq(campaignSnapshots.final, false), ne(campaignSnapshots.computedAt, computedAt)));
  });
}

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A Postgres array literal of plain values (dates, ISO instants: nothing to quote). */
const pgArray = (values: readonly string[]) => `{${values.join(',')}}`;

/** Days counted by one query of a backfill. */
const DAYS_PER_QUERY = 31;

/**
 * One run of the snapshot schedule at `now`: for every campaign still being followed, every ended
 * day not yet final, then today's provisional row.
 */
export async function takeCampaignSnapshots(db: Database, now: number, onDay: (day: IsoDate) => void = () => {}): Promise<SnapshotRun> {
  const today = shanghaiDate(now);
  const active = await db
    .select({ id: campaigns.id, regionPath: campaigns.regionPath, cutoff: campaigns.cutoff, target: campaigns.target })
    .from(campaigns)
    .where(and(lte(campaigns.cutoff, today), gte(campaigns.target, addDays(today, -(DAYS_TAKEN_AFTER_TARGET + 1)))))
    .orderBy(asc(campaigns.createdAt));
  const run: SnapshotRun = { campaigns: active.length, finalDays: 0, provisionalDays: 0 };
  for (const campaign of active) {
    const finalDays = await db
      .selectDistinct({ day: campaignSnapshots.day })
      .from(campaignSnapshots)
      .where(and(eq(campaignSnapshots.campaignId, campaign.id), eq(campaignSnapshots.nodePath, campaign.regionPath), eq(campaignSnapshots.leaderId, ALL_LEADERS), eq(campaignSnapshots.final, true)));
    const due = daysToTake(campaign, today, new Set(finalDays.map((d) => d.day)));
    // A long backfill in batches: each batch one query, each day stored (and final) as it comes.
    for (let i = 0; i < due.final.length; i += DAYS_PER_QUERY) {
      const batch = due.final.slice(i, i + DAYS_PER_QUERY);
      const groups = await hazardGroupsOn(db, campaign, batch);
      for (const day of batch) {
        await storeDay(db, campaign, day, groups.get(day)!, true, new Date(now));
        run.finalDays++;
        onDay(day);
      }
    }
    if (due.provisional) {
      const groups = await hazardGroupsOn(db, campaign, [due.provisional]);
      await storeDay(db, campaign, due.provisional, groups.get(due.provisional)!, false, new Date(now));
      run.provisionalDays++;
    }
  }
  return run;
}

export interface SnapshotRow extends DayFigures {
  day: IsoDate;
  nodePath: string;
  leaderId: string;
  final: boolean;
  computedAt: Date;
}

const toRow = (r: typeof campaignSnapshots.$inferSelect): SnapshotRow => ({
  day: r.day,
  nodePath: r.nodePath,
  leaderId: r.leaderId,
  final: r.final,
  computedAt: r.computedAt,
  stock: { open: r.stockOpen, closed: r.stockClosed, voided: r.stockVoided, overdue: r.stockOverdue },
  new: { open: r.newOpen, closed: r.newClosed, voided: r.newVoided, overdue: r.newOverdue },
});

/** The all-leader rows of one node, day by day, from `from` to `to`. */
export async function nodeSeries(db: Database, campaignId: string, nodePath: string, from: IsoDate, to: IsoDate): Promise<SnapshotRow[]> {
  const rows = await db
    .select()
    .from(campaignSnapshots)
    .where(
      and(
        eq(campaignSnapshots.campaignId, campaignId),
        eq(campaignSnapshots.nodePath, nodePath),
        eq(campaignSnapshots.leaderId, ALL_LEADERS),
        gte(campaignSnapshots.day, from),
        lte(campaignSnapshots.day, to),
      ),
    )
    .orderBy(asc(campaignSnapshots.day));
  return rows.map(toRow);
}

/** The given nodes' all-leader rows of one day. */
export async function nodesOnDay(db: Database, campaignId: string, nodePaths: string[], day: IsoDate): Promise<SnapshotRow[]> {
  if (!nodePaths.length) return [];
  const rows = await db
    .select()
    .from(campaignSnapshots)
    .where(and(eq(campaignSnapshots.campaignId, campaignId), eq(campaignSnapshots.day, day), eq(campaignSnapshots.leaderId, ALL_LEADERS), inArray(campaignSnapshots.nodePath, nodePaths)));
  return rows.map(toRow);
}

/** One node's per-leader rows of one day. */
export async function leadersOnDay(db: Database, campaignId: string, nodePath: string, day: IsoDate): Promise<SnapshotRow[]> {
  const rows = await db
    .select()
    .from(campaignSnapshots)
    .where(and(eq(campaignSnapshots.campaignId, campaignId), eq(campaignSnapshots.day, day), eq(campaignSnapshots.nodePath, nodePath), ne(campaignSnapshots.leaderId, ALL_LEADERS)));
  return rows.map(toRow);
}
