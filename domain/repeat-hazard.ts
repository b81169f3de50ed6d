/**
 * Repeat hazards (重复隐患): a new hazard is a repeat when the same enterprise has a closed hazard
 * of the same category whose closure lies within the policy's window before the registration.
 *
 * The window is counted in calendar months on Asia/Shanghai dates, by whole days: registered on
 * date D, a closure on any day from D minus N months (inclusive) up to the registration instant
 * counts. So with 12 months, registered 2026-11-28, a closure on 2025-11-28 (at any hour) is inside
 * and one on 2025-11-27 is not. When D minus N months has no such day (31 March − 1 month), the
 * window starts on the last day of that month (28/29 February): the window never reaches past a
 * whole month's end into the month before.
 */
import { shanghaiDate, shanghaiInstant, type IsoDate } from './shanghai-time';

export interface ClosedHazard {
  id: string;
  /** Milliseconds since the epoch. */
  closedAt: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `date` moved back by `months` calendar months, clamped to the end of a shorter month. */
export function monthsBefore(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first instant (Shanghai midnight) at which a closure still makes a registration at `registeredAt` a repeat. */
export function repeatWindowStart(registeredAt: number, months: number): number {
  return shanghaiInstant(monthsBefore(shanghaiDate(registeredAt), months));
}

/** Whether a closure at `closedAt` lies within the window before a registration at `registeredAt`. */
export function withinRepeatWindow(closedAt: number, registeredAt: number, months: number): boolean {
  return closedAt <= registeredAt && closedAt >= repeatWindowStart(registeredAt, months);
}

/**
 * The hazard a new registration repeats: of the enterprise's closed hazards of the same category,
 * the most recently closed within the window (ties: the greater id, so the answer is stable).
 */
export function repeatOf(closed: readonly ClosedHazard[], registeredAt: number, months: number): ClosedHazard | null {
  let best: ClosedHazard | null = null;
  for (const c of closed) {
    if (!withinRepeatWindow(c.closedAt, registeredAt, months)) continue;
    if (!best || c.closedAt > best.closedAt || (c.closedAt === best.closedAt && c.id > best.id)) best = c;
  }
  return best;
}
