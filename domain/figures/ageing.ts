/**
 * How long overdue work has been overdue, in working days, and the age buckets leaders read it in.
 * Ages are computed at read time from deadlines, so they move with the calendar, not with writes.
 */
import { addDays, type IsoDate } from '../shanghai-time';
import type { WorkCalendar } from '../work-calendar';

export interface AgeBucket {
  key: string;
  min: number;
  /** null: no upper bound. */
  max: number | null;
}

/** 1–3, 4–7, 8–15, 16–30 and more than 30 working days overdue. */
export const AGE_BUCKETS: readonly AgeBucket[] = [
  { key: '1-3', min: 1, max: 3 },
  { key: '4-7', min: 4, max: 7 },
  { key: '8-15', min: 8, max: 15 },
  { key: '16-30', min: 16, max: 30 },
  { key: '31+', min: 31, max: null },
];
export const AGE_BUCKET_KEYS = AGE_BUCKETS.map((b) => b.key) as [string, ...string[]];

/** A hazard is overdue from the day after its deadline (the deadline day itself is still in time). */
export function isOverdueOn(deadline: IsoDate, today: IsoDate): boolean {
  return deadline < today;
}

/**
 * Working days overdue on `today`: working days after the deadline up to and including today,
 * and at least 1 once overdue — a hazard that fell due before a weekend or holiday is overdue
 * from its first day, though no working day has yet passed. 0 when not overdue.
 */
export function overdueWorkingDays(calendar: WorkCalendar, deadline: IsoDate, today: IsoDate): number {
  if (!isOverdueOn(deadline, today)) return 0;
  return Math.max(1, calendar.workingDaysBetween(deadline, today).days);
}

export function ageBucketOf(days: number): AgeBucket | null {
  return AGE_BUCKETS.find((b) => days >= b.min && (b.max === null || days <= b.max)) ?? null;
}

export function bucketByKey(key: string): AgeBucket | null {
  return AGE_BUCKETS.find((b) => b.key === key) ?? null;
}

/**
 * The deadlines whose hazards are in `bucket` on `today`, as an inclusive range (`from` null: no
 * lower end), or null when no deadline is. An age never grows as the deadline moves later, so the
 * dates form one range: the list behind a bucket is a range condition on an index.
 */
export function deadlinesInBucket(calendar: WorkCalendar, today: IsoDate, bucket: AgeBucket): { from: IsoDate | null; to: IsoDate } | null {
  let to: IsoDate | null = null;
  // Walking back a day at a time, the working days after d grow by one when the day after d is worked.
  let working = 0;
  let d = addDays(today, -1);
  // Ages grow by at most one a day, so the bucket's far end is within (max + a few years of holidays) days.
  for (let guard = 0; guard < 4000; guard++, d = addDays(d, -1)) {
    if (calendar.isWorkingDay(addDays(d, 1)).working) working++;
    const age = Math.max(1, working);
    if (to === null && age >= bucket.min) to = d;
    if (bucket.max !== null && age > bucket.max) return to === null ? null : { from: addDays(d, 1), to };
    if (to !== null && bucket.max === null) return { from: null, to };
  }
  return to === null ? null : { from: null, to };
}

/**
 * The day's age buckets as ranges of deadlines, oldest last: what the figures collapse overdue rows
 * by (db/figures/age-collapse.ts). A bucket no deadline can be in is left out.
 */
export interface AgeCollapse {
  today: IsoDate;
  buckets: ReadonlyArray<{ from: IsoDate | null; to: IsoDate }>;
}

export function ageCollapse(calendar: WorkCalendar, today: IsoDate): AgeCollapse {
  return { today, buckets: AGE_BUCKETS.flatMap((b) => deadlinesInBucket(calendar, today, b) ?? []) };
}

/** The median of a histogram of whole numbers (null when empty): the lower middle for an even count. */
export function histogramMedian(counts: ReadonlyArray<{ value: number; n: number }>): number | null {
  const sorted = [...counts].filter((c) => c.n > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, c) => s + c.n, 0);
  if (!total) return null;
  let seen = 0;
  const middle = Math.ceil(total / 2);
  for (const c of sorted) {
    seen += c.n;
    if (seen >= middle) return c.value;
  }
  return null;
}
