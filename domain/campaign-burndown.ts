/**
 * The stock burn-down (存量清零) of a campaign, as pure rules: which days are taken, how a day's
 * counts per hazard region and leader roll up to every region node above them, and when the
 * stock reached zero. How a hazard stands at the end of a day is read from its events in db/.
 *
 * A day's figures are those at its last instant: what was closed on the day counts as closed,
 * and a deadline falling on the day is not yet overdue (it is due at the end of the day).
 */
import { addDays, daysBetween, type IsoDate } from './shanghai-time';

export const COHORTS = ['stock', 'new'] as const;
export type Cohort = (typeof COHORTS)[number];
export type StandingAtDayEnd = 'open' | 'closed' | 'void';

export interface CohortFigures {
  open: number;
  closed: number;
  voided: number;
  /** Open, being rectified, with a deadline before the day (a subset of `open`). */
  overdue: number;
}
export type DayFigures = Record<Cohort, CohortFigures>;

/** One group of the day's count: hazards of one region and leader that stand alike. */
export interface HazardGroup {
  regionPath: string;
  leaderId: string;
  cohort: Cohort;
  standing: StandingAtDayEnd;
  overdue: boolean;
  count: number;
}

/** What one run of the snapshot schedule took: campaigns followed, days made final, provisional days retaken. */
export interface SnapshotRun {
  campaigns: number;
  finalDays: number;
  provisionalDays: number;
}

/** Snapshots keep being taken this many days after the target, for stock closed late. */
export const DAYS_TAKEN_AFTER_TARGET = 31;

export const emptyFigures = (): DayFigures => ({
  stock: { open: 0, closed: 0, voided: 0, overdue: 0 },
  new: { open: 0, closed: 0, voided: 0, overdue: 0 },
});

export function addFigures(into: DayFigures, from: DayFigures): DayFigures {
  for (const c of COHORTS) {
    into[c].open += from[c].open;
    into[c].closed += from[c].closed;
    into[c].voided += from[c].voided;
    into[c].overdue += from[c].overdue;
  }
  return into;
}

/** `root` and every node path below it down to `path` (both `/a/b/`-style paths; `path` within `root`). */
export function nodesFrom(root: string, path: string): string[] {
  if (!path.startsWith(root)) return [];
  const out = [root];
  const rest = path.slice(root.length).split('/').filter(Boolean);
  let at = root;
  for (const id of rest) {
    at = `${at}${id}/`;
    out.push(at);
  }
  return out;
}

/** The key of one node × leader figure (leader '' for every leader together). */
export const figureKey = (nodePath: string, leaderId: string) => `${nodePath}\u0000${leaderId}`;

/**
 * The day's figures for the campaign's region and every node below it, all leaders together and
 * per leader. The root's all-leader figure is always there, zeros included.
 */
export function rollUp(root: string, groups: readonly HazardGroup[], allLeaders = ''): Map<string, DayFigures> {
  const out = new Map<string, DayFigures>([[figureKey(root, allLeaders), emptyFigures()]]);
  for (const g of groups) {
    for (const node of nodesFrom(root, g.regionPath)) {
      for (const leader of [allLeaders, g.leaderId]) {
        const key = figureKey(node, leader);
        const figures = out.get(key) ?? emptyFigures();
        out.set(key, figures);
        const cohort = figures[g.cohort];
        if (g.standing === 'open') cohort.open += g.count;
        else if (g.standing === 'closed') cohort.closed += g.count;
        else cohort.voided += g.count;
        if (g.overdue) cohort.overdue += g.count;
      }
    }
  }
  return out;
}

/** Every day from `from` to `to`, both included (none when `to` is before `from`). */
export function daysFrom(from: IsoDate, to: IsoDate): IsoDate[] {
  const n = daysBetween(from, to);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDays(from, i));
}

/** The last day a campaign's snapshots are taken for. */
export const lastDayTaken = (target: IsoDate) => addDays(target, DAYS_TAKEN_AFTER_TARGET);

/**
 * The days a run on `today` takes for a campaign: every ended day from the cut-off not yet final
 * (a new campaign's past is taken at once, from the hazards' events), and today's provisional row.
 */
export function daysToTake(
  campaign: { cutoff: IsoDate; target: IsoDate },
  today: IsoDate,
  finalDays: ReadonlySet<IsoDate>,
): { final: IsoDate[]; provisional: IsoDate | null } {
  const last = lastDayTaken(campaign.target);
  const yesterday = addDays(today, -1);
  const final = daysFrom(campaign.cutoff, yesterday < last ? yesterday : last).filter((d) => !finalDays.has(d));
  const provisional = today >= campaign.cutoff && today <= last ? today : null;
  return { final, provisional };
}

/**
 * The day from which the stock has stayed at zero through the end of the series (null: it is not
 * at zero on the series' last day). A stock reopened after reaching zero starts the count again.
 */
export function stockClearedOn(series: ReadonlyArray<{ day: IsoDate; stockOpen: number }>): IsoDate | null {
  let since: IsoDate | null = null;
  for (const { day, stockOpen } of series) {
    if (stockOpen > 0) since = null;
    else since ??= day;
  }
  return since;
}
