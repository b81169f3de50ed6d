/**
 * Gives workflows the working-day calendar: the published years they ask for (a year without
 * data is simply absent, and dates counted into it are provisional).
 */
import { calendarYearsAmong } from '../db/calendar';
import type { Database } from '../db/client';
import type { YearCalendar } from '../domain/work-calendar';

export function createCalendarActivities(db: Database) {
  return {
    calendarYears(years: number[]): Promise<YearCalendar[]> {
      return calendarYearsAmong(db, years);
    },
  };
}
