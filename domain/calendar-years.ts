/**
 * Which calendar years a workflow still has to fetch. A workflow holds the years published when
 * it started; a date counted later (a new round, a review deadline, a moved deadline) may reach a
 * year published since. Such a date comes out provisional: the years its count crossed that the
 * workflow lacks are the ones to ask for before the date is planned.
 */
import { type IsoDate } from './shanghai-time';
import type { YearCalendar } from './work-calendar';

/** A count of days that came out provisional: from the day it started to the date it gave. */
export interface CountedSpan {
  from: IsoDate;
  to: IsoDate;
}

const yearOf = (date: IsoDate) => Number(date.slice(0, 4));

/** The years the spans cross that `held` lacks, in order. */
export function missingYears(held: readonly YearCalendar[] | undefined, spans: readonly CountedSpan[]): number[] {
  const have = new Set((held ?? []).map((y) => y.year));
  const wanted = new Set<number>();
  for (const { from, to } of spans) {
    for (let y = yearOf(from); y <= yearOf(to); y++) if (!have.has(y)) wanted.add(y);
  }
  return [...wanted].sort((a, b) => a - b);
}
