/**
 * Gives workflows the working-day calendar: the published years they ask for (a year without
 * data is simply absent, and dates counted into it are provisional).
 */
import { inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { calendarYears } from '../db/schema';
import type { YearCalendar } from '../domain/work-calendar';

export function createCalendarActivities(db: Database) {
  return {
    async calendarYears(years: number[]): Promise<YearCalendar[]> {
      const rows = await db.select().from(calendarYears).where(inArray(calendarYears.year, years));
      return rows
        .map((r) => ({ year: r.year, source: r.source, holidays: r.holidays as YearCalendar['holidays'], workdays: r.workdays as YearCalendar['workdays'] }))
        .sort((a, b) => a.year - b.year);
    },
  };
}
