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

/** The campaign's hazards as they stood at the end of `day`, counted by region, leader, cohort and standing. */
export async function hazardGroupsAt(db: Database, campaign: CampaignWindow, day: IsoDate): Promise<HazardGroup[]> {
  const cutoffAt = new Date(shanghaiInstant(campaign.cutoff));
  const dayEnd = new Date(shanghaiInstant(addDays(day, 1)));
  const { rows } = await db.execute<{ region_path: string; leader: string; cohort: Cohort; standing: StandingAtDayEnd; overdue: boolean; n: number }>(sql`
    -- The campaign's hazards found by the day's end: new ones, and stock (open as the cut-off day
    -- began). Those closed before the cut-off drop out here, before the per-day lookups.
    with members as materialized (
      select h.id, h.region_path, h.deadline,
             coalesce(e.responsible_leader_id::text, ${NO_LEADER}) as leader,
             case when h.created_at >= ${cutoffAt} then 'new' else 'stock' end as cohort
        from hazards h
        join enterprises e on e.id = h.enterprise_id
        left join lateral (
          select ev.type from hazard_events ev
           where h.created_at < ${cutoffAt} and ev.hazard_id = h.id and ev.type in ${STANDING_TYPES} and ev.occurred_at < ${cutoffAt}
           order by ev.chain_seq desc limit 1) at_cutoff on true
       where h.region_path like ${prefixPattern(campaign.regionPath)} and h.created_at < ${dayEnd}
         and (h.created_at >= ${cutoffAt} or coalesce(at_cutoff.type, '') not in ('review_accepted', 'voided'))
    ),
    standing as (
      select m.region_path, m.leader, m.cohort,
             case at_end.type when 'review_accepted' then 'closed' when 'voided' then 'void' else 'open' end as standing,
             coalesce(at_end.type, 'registered') in ('registered', 'review_rejected', 'reopened')
               and coalesce(deadline_at_end.deadline, first_deadline.deadline, m.deadline::text)::date < ${day}::date as overdue
        from members m
        left join lateral (
          select ev.type from hazard_events ev
           where ev.hazard_id = m.id and ev.type in ${STANDING_TYPES} and ev.occurred_at < ${dayEnd}
           order by ev.chain_seq desc limit 1) at_end on true
        left join lateral (
          select ${DEADLINE_OF} as deadline from hazard_events ev
           where ev.hazard_id = m.id and ev.type in ${DEADLINE_TYPES} and ev.occurred_at < ${dayEnd} and ${DEADLINE_OF} is not null
           order by ev.chain_seq desc limit 1) deadline_at_end on true
        left join lateral (
          select ${DEADLINE_OF} as deadline from hazard_events ev
           where ev.hazard_id = m.id and ev.type = 'registered'
           order by ev.chain_seq limit 1) first_deadline on true
    )
    select region_path, leader, cohort, standing, overdue, count(*)::int as n
      from standing
     group by region_path, leader, cohort, standing, overdue`);
  return rows.map((r) => ({ regionPath: r.region_path, leaderId: r.leader, cohort: r.cohort, standing: r.standing, overdue: r.overdue, count: r.n }));
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
export async function storeDay(db: Database, campaign: CampaignWindow, day: IsoDate, final: boolean, computedAt: Date): Promise<void> {
  const figures = rollUp(campaign.regionPath, await hazardGroupsAt(db, campaign, day), ALL_LEADERS);
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
    for (const day of due.final) {
      await storeDay(db, campaign, day, true, new Date(now));
      run.finalDays++;
      onDay(day);
    }
    if (due.provisional) {
      await storeDay(db, campaign, due.provisional, false, new Date(now));
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
