/**
 * The burn-down as people read it: for one as-of day, the figures of the caller's part of a
 * campaign, broken down one region level below or by responsible leader, and the day-by-day
 * series since the cut-off. Read from the snapshot rows only (db/campaign-snapshots.ts).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { daysFrom, emptyFigures, stockClearedOn, type DayFigures } from '../domain/campaign-burndown';
import type { IsoDate } from '../domain/shanghai-time';
import type { Database } from './client';
import type { CampaignRow } from './campaigns';
import { leadersOnDay, nodeSeries, nodesOnDay, type SnapshotRow } from './campaign-snapshots';
import { NO_LEADER, regions, users } from './schema';

export type Breakdown = 'region' | 'leader';

export interface BreakdownItem {
  /** The region's id or the leader's user id (`none`: enterprises without a responsible leader). */
  key: string;
  name: string | null;
  figures: DayFigures;
}

export interface Burndown {
  asOf: IsoDate;
  by: Breakdown;
  /** The part of the campaign the figures cover: the campaign's region, or the caller's narrower one. */
  scope: { regionId: string; regionPath: string; name: string };
  /** When the as-of day's figures were taken; null when that day has not been taken yet. */
  computedAt: string | null;
  /** The as-of day is today and its figures are retaken until it ends. */
  provisional: boolean;
  /** Every day from the cut-off to the as-of day has been taken. */
  complete: boolean;
  totals: DayFigures & { stockTotal: number };
  stockCleared: boolean;
  stockClearedOn: IsoDate | null;
  breakdown: BreakdownItem[];
  series: Array<{ day: IsoDate; final: boolean; computedAt: string } & DayFigures>;
}

const figuresOf = (r: SnapshotRow | undefined): DayFigures => (r ? { stock: { ...r.stock }, new: { ...r.new } } : emptyFigures());

/** `scopePath`: the node the caller may see of the campaign (its region, or a node within it). */
export async function readBurndown(db: Database, campaign: CampaignRow, scopePath: string, asOf: IsoDate, by: Breakdown): Promise<Burndown> {
  const [scope] = await db.select().from(regions).where(eq(regions.path, scopePath));
  if (!scope) throw new Error(`no region at ${scopePath}`);
  const rows = await nodeSeries(db, campaign.id, scopePath, campaign.cutoff, asOf);
  // Days the campaign's own row marks as taken; a node with nothing to count that day reads as zeros.
  const taken = scopePath === campaign.regionPath ? rows : await nodeSeries(db, campaign.id, campaign.regionPath, campaign.cutoff, asOf);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const series = taken.map((t) => ({ day: t.day, final: t.final, computedAt: t.computedAt.toISOString(), ...figuresOf(byDay.get(t.day)) }));
  const last = taken.find((t) => t.day === asOf);
  const totals = figuresOf(byDay.get(asOf));
  const cleared = last ? stockClearedOn(series.map((s) => ({ day: s.day, stockOpen: s.stock.open }))) : null;
  return {
    asOf,
    by,
    scope: { regionId: scope.id, regionPath: scope.path, name: scope.name },
    computedAt: last ? last.computedAt.toISOString() : null,
    provisional: last ? !last.final : false,
    complete: taken.length === daysFrom(campaign.cutoff, asOf).length,
    totals: { ...totals, stockTotal: totals.stock.open + totals.stock.closed + totals.stock.voided },
    stockCleared: cleared !== null,
    stockClearedOn: cleared,
    breakdown: last ? await breakdownOf(db, campaign.id, scope.id, scopePath, asOf, by) : [],
    series,
  };
}

async function breakdownOf(db: Database, campaignId: string, scopeId: string, scopePath: string, day: IsoDate, by: Breakdown): Promise<BreakdownItem[]> {
  if (by === 'region') {
    const children = await db.select({ id: regions.id, name: regions.name, path: regions.path }).from(regions).where(eq(regions.parentId, scopeId)).orderBy(regions.path);
    const found = new Map((await nodesOnDay(db, campaignId, children.map((c) => c.path), day)).map((r) => [r.nodePath, r]));
    return children.map((c) => ({ key: c.id, name: c.name, figures: figuresOf(found.get(c.path)) }));
  }
  const rows = await leadersOnDay(db, campaignId, scopePath, day);
  const ids = rows.map((r) => r.leaderId).filter((id) => id !== NO_LEADER);
  const names = new Map(
    ids.length ? (await db.select({ id: users.id, name: users.displayName }).from(users).where(and(inArray(users.id, ids)))).map((u) => [u.id, u.name]) : [],
  );
  return rows
    .map((r) => ({ key: r.leaderId, name: names.get(r.leaderId) ?? null, figures: figuresOf(r) }))
    .sort((a, b) => b.figures.stock.open - a.figures.stock.open || (a.name ?? '￿').localeCompare(b.name ?? '￿'));
}
