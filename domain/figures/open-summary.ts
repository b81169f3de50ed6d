/**
 * What a set of open-hazard counts says on a given day: how many are open, under review, overdue,
 * and how long overdue by grade. Pure: the counts come from the summary tables, the day and the
 * calendar from the caller.
 */
import { AGE_BUCKETS, ageBucketOf, isOverdueOn } from './ageing';
import { addDays } from '../shanghai-time';
import type { IsoDate } from '../shanghai-time';
import type { WorkCalendar } from '../work-calendar';

export interface OpenCountRow {
  grade: string;
  status: string;
  deadline: IsoDate;
  listingLevel?: string;
  n: number;
}

export interface OpenSummary {
  open: number;
  rectifying: number;
  underReview: number;
  overdue: number;
  overdueMajor: number;
  major: number;
  /** Major hazards under listed supervision (挂牌督办), by listing level. */
  listed: Record<string, number>;
  /** Overdue hazards by age bucket and grade. */
  ageing: Record<string, { general: number; major: number }>;
}

export function emptyAgeing(): OpenSummary['ageing'] {
  return Object.fromEntries(AGE_BUCKETS.map((b) => [b.key, { general: 0, major: 0 }]));
}

/**
 * Ages by deadline on `today`, for many deadlines at once: walking back from today a day at a
 * time, the working days after a date grow by one whenever the day after it is worked, so each
 * day of the calendar is looked at once however many deadlines are asked about. Agrees with
 * overdueWorkingDays (checked in the unit tests).
 */
export function ageReader(calendar: WorkCalendar, today: IsoDate): (deadline: IsoDate) => number {
  const ages = new Map<IsoDate, number>();
  let reached = today;
  let workedAfter = 0;
  return (deadline) => {
    if (!isOverdueOn(deadline, today)) return 0;
    let age = ages.get(deadline);
    if (age !== undefined) return age;
    while (reached > deadline) {
      if (calendar.isWorkingDay(reached).working) workedAfter++;
      reached = addDays(reached, -1);
      ages.set(reached, Math.max(1, workedAfter));
    }
    return ages.get(deadline)!;
  };
}

/** Overdue means still being rectified after the deadline day (a submission awaiting review is not). */
export function isOverdueRow(row: Pick<OpenCountRow, 'status' | 'deadline'>, today: IsoDate): boolean {
  return row.status === 'rectifying' && isOverdueOn(row.deadline, today);
}

export function summarizeOpen(rows: readonly OpenCountRow[], ageOf: (deadline: IsoDate) => number, today: IsoDate): OpenSummary {
  const s: OpenSummary = { open: 0, rectifying: 0, underReview: 0, overdue: 0, overdueMajor: 0, major: 0, listed: {}, ageing: emptyAgeing() };
  for (const r of rows) {
    s.open += r.n;
    if (r.status === 'rectifying') s.rectifying += r.n;
    if (r.status === 'under_review') s.underReview += r.n;
    if (r.grade === 'major') {
      s.major += r.n;
      if (r.listingLevel) s.listed[r.listingLevel] = (s.listed[r.listingLevel] ?? 0) + r.n;
    }
    if (!isOverdueRow(r, today)) continue;
    s.overdue += r.n;
    if (r.grade === 'major') s.overdueMajor += r.n;
    const bucket = ageBucketOf(ageOf(r.deadline));
    if (bucket) s.ageing[bucket.key]![r.grade === 'major' ? 'major' : 'general'] += r.n;
  }
  return s;
}
