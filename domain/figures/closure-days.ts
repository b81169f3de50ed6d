/** Working days from a hazard's order to its closure, as the leaders' figures count them. */
import type { IsoDate } from '../shanghai-time';
import type { WorkCalendar } from '../work-calendar';

/**
 * Working days after the order day up to and including the closure day: an order closed the same
 * day took 0. Years without published data count weekends only, as deadlines do.
 */
export function workingDaysToClosure(calendar: WorkCalendar, orderDay: IsoDate, closedDay: IsoDate): number {
  return calendar.workingDaysBetween(orderDay, closedDay).days;
}
