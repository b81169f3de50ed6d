/**
 * China's working-day calendar. Weekends are days off, except the make-up working days (调休)
 * the State Council names each year; public holidays are days off even on weekdays. The data is
 * published a year at a time (each November), so counting into a year without data falls back
 * to weekends only and says so: the result is provisional, never a silent guess.
 *
 * Pure and deterministic: workflows carry the years they need and compute with this module.
 */
import { addDays, isIsoDate, type IsoDate } from './shanghai-time';

export interface CalendarDay {
  date: IsoDate;
  name: string;
}

export interface YearCalendar {
  year: number;
  source: string;
  holidays: CalendarDay[];
  /** Make-up working days on weekends. */
  workdays: CalendarDay[];
}

/** What a count of days produced, and whether it relied on a year with no data. */
export interface CountedDate {
  date: IsoDate;
  provisional: boolean;
}

const yearOf = (date: IsoDate) => Number(date.slice(0, 4));

/** 0 = Sunday … 6 = Saturday, for a calendar date (no time zone involved). */
export function weekday(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Why a year's data cannot be loaded, or null when it is sound. */
export function checkYearCalendar(c: YearCalendar): string | null {
  if (!Number.isInteger(c.year) || c.year < 2000 || c.year > 2100) return 'year must be between 2000 and 2100';
  const seen = new Set<string>();
  for (const [kind, days] of [['holidays', c.holidays], ['workdays', c.workdays]] as const) {
    for (const day of days) {
      if (!isIsoDate(day.date)) return `${kind}: ${day.date} is not a date`;
      if (yearOf(day.date) !== c.year) return `${kind}: ${day.date} is not in ${c.year}`;
      if (seen.has(day.date)) return `${day.date} is listed twice`;
      seen.add(day.date);
      if (kind === 'workdays' && weekday(day.date) !== 0 && weekday(day.date) !== 6) {
        return `workdays: ${day.date} is a weekday; only weekend days can be made working days`;
      }
    }
  }
  return null;
}

export class WorkCalendar {
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();
  private readonly years = new Set<number>();
  /** Counts already made (from + n): the same few recur for every step planned on this calendar. */
  private readonly counted = new Map<string, CountedDate>();

  constructor(years: readonly YearCalendar[]) {
    for (const y of years) {
      this.years.add(y.year);
      for (const d of y.holidays) this.holidays.add(d.date);
      for (const d of y.workdays) this.workdays.add(d.date);
    }
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  /** Whether people work on `date`; provisional when its year has no data (weekends only). */
  isWorkingDay(date: IsoDate): { working: boolean; provisional: boolean } {
    const weekend = weekday(date) === 0 || weekday(date) === 6;
    if (!this.hasYear(yearOf(date))) return { working: !weekend, provisional: true };
    if (this.holidays.has(date)) return { working: false, provisional: false };
    if (this.workdays.has(date)) return { working: true, provisional: false };
    return { working: !weekend, provisional: false };
  }

  /**
   * The date `n` working days after `from` (not counting `from` itself): "rectify within 10
   * working days" of an order issued on `from`. n = 0 gives `from`, moved to the next working
   * day if it is not one.
   */
  addWorkingDays(from: IsoDate, n: number): CountedDate {
    const key = `${from}+${n}`;
    const known = this.counted.get(key);
    if (known) return { ...known };
    const counted = this.countWorkingDays(from, n);
    this.counted.set(key, counted);
    return { ...counted };
  }

  private countWorkingDays(from: IsoDate, n: number): CountedDate {
    if (!Number.isInteger(n) || n < 0) throw new RangeError('working days must be a whole number ≥ 0');
    let date = from;
    let provisional = false;
    let left = n;
    const step = () => {
      date = addDays(date, 1);
      const day = this.isWorkingDay(date);
      provisional ||= day.provisional;
      return day.working;
    };
    if (n === 0) {
      const today = this.isWorkingDay(date);
      provisional ||= today.provisional;
      if (!today.working) while (!step());
      return { date, provisional };
    }
    while (left > 0) if (step()) left--;
    return { date, provisional };
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: IsoDate, to: IsoDate): CountedDate & { days: number } {
    let days = 0;
    let provisional = false;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
      const day = this.isWorkingDay(d);
      provisional ||= day.provisional;
      if (day.working) days++;
    }
    return { date: to, days, provisional };
  }
}

/**
 * The date `n` days after `from`, counted in the policy's unit: working days on the calendar, or
 * plain calendar days (never provisional: they need no holiday data).
 */
export function countDays(calendar: WorkCalendar, from: IsoDate, n: number, unit: 'working' | 'calendar'): CountedDate {
  return unit === 'working' ? calendar.addWorkingDays(from, n) : { date: addDays(from, n), provisional: false };
}

/** The calendar years a workflow needs for dates from `from` on: that year and the next two. */
export function yearsFrom(from: IsoDate): number[] {
  const y = yearOf(from);
  return [y, y + 1, y + 2];
}
