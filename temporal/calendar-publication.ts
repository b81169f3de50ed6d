/**
 * Publishing a year of the working-day calendar: store it, then tell every open hazard holding a
 * provisional date, so each recomputes its dates and moves its timers (the workflow records what
 * moved). The answer says how many deadlines move, computed here by the same rule the workflows
 * apply: an import never changes dates silently.
 */
import { and, between, eq, inArray, or } from 'drizzle-orm';
import { calendarYearsAmong, importCalendarYear, yearCalendarSchema } from '../db/calendar';
import type { Database } from '../db/client';
import { hazards } from '../db/schema';
import { deadlineFromRule, type DeadlineBasis } from '../domain/hazard-calendar';
import { WorkCalendar } from '../domain/work-calendar';
import type { HazardGateway } from './hazard-gateway';
import { provisionalOpenNotices } from '../db/notice-queries';
import type { NoticeGateway } from './notice-gateway';

export interface CalendarPublication {
  year: number;
  replaced: boolean;
  /** Open hazards the year concerns (holding a provisional date, or, when a year is corrected, counted on it), and how many were told (the rest had just ended). */
  hazardsConcerned: number;
  told: number;
  /** Counted deadlines that the new year moves, with each hazard's old and new date. */
  deadlinesMoved: number;
  moves: Array<{ hazardId: string; from: string; to: string }>;
  /** Open supervision notices holding a provisional date, and how many were told (each records what moved). */
  noticesConcerned?: number;
  noticesTold?: number;
}

const TELL_AT_ONCE = 16;

export async function publishCalendarYear(db: Database, gateway: HazardGateway, actor: string, input: unknown, notices?: NoticeGateway): Promise<CalendarPublication> {
  const year = yearCalendarSchema.parse(input);
  const neighbours = [year.year - 1, year.year, year.year + 1];
  const before = new WorkCalendar(await calendarYearsAmong(db, neighbours));
  const stored = await importCalendarYear(db, actor, year);
  const after = new WorkCalendar(await calendarYearsAmong(db, neighbours));

  // A first publication settles provisional dates; a corrected year may move dates counted on the
  // old data too: every open hazard whose deadline lies where its counting can reach that year.
  const affected = stored.replaced
    ? or(eq(hazards.provisional, true), between(hazards.deadline, `${year.year - 1}-11-01`, `${year.year}-12-31`))
    : eq(hazards.provisional, true);
  const open = await db
    .select({ id: hazards.id, status: hazards.status, deadline: hazards.deadline, deadlineRule: hazards.deadlineRule })
    .from(hazards)
    .where(and(affected, inArray(hazards.status, ['rectifying', 'under_review'])));

  const moves: CalendarPublication['moves'] = [];
  for (const h of open) {
    const rule = h.deadlineRule as DeadlineBasis | null;
    // Only a deadline still as its rule counted it moves (an extension or rejection fixed a date).
    if (!rule || h.status !== 'rectifying' || deadlineFromRule(rule, before).date !== h.deadline) continue;
    const to = deadlineFromRule(rule, after).date;
    if (to !== h.deadline) moves.push({ hazardId: h.id, from: h.deadline, to });
  }

  let told = 0;
  for (let i = 0; i < open.length; i += TELL_AT_ONCE) {
    const batch = open.slice(i, i + TELL_AT_ONCE);
    const results = await Promise.all(batch.map((h) => gateway.calendarChanged(h.id, year)));
    told += results.filter(Boolean).length;
  }
  const result: CalendarPublication = { ...stored, hazardsConcerned: open.length, told, deadlinesMoved: moves.length, moves };
  if (!notices) return result;
  const provisional = await provisionalOpenNotices(db);
  let noticesTold = 0;
  for (let i = 0; i < provisional.length; i += TELL_AT_ONCE) {
    const results = await Promise.all(provisional.slice(i, i + TELL_AT_ONCE).map((id) => notices.calendarChanged(id, year)));
    noticesTold += results.filter(Boolean).length;
  }
  return { ...result, noticesConcerned: provisional.length, noticesTold };
}
