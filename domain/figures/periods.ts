/** The reporting periods leaders compare: this week, month, quarter or year against the one before. */
import { addDays, type IsoDate } from '../shanghai-time';
import { weekday } from '../work-calendar';

export const PERIOD_KINDS = ['week', 'month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  kind: PeriodKind;
  /** First and last day, inclusive (Shanghai dates). */
  from: IsoDate;
  to: IsoDate;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The period of `kind` holding `date`; weeks run Monday to Sunday. */
export function periodOf(kind: PeriodKind, date: IsoDate): Period {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  if (kind === 'week') {
    const from = addDays(date, -((weekday(date) + 6) % 7));
    return { kind, from, to: addDays(from, 6) };
  }
  const [first, last] = kind === 'month' ? [m, m] : kind === 'quarter' ? [m - ((m - 1) % 3), m - ((m - 1) % 3) + 2] : [1, 12];
  return { kind, from: `${y}-${pad(first)}-01`, to: `${y}-${pad(last)}-${pad(lastDayOfMonth(y, last))}` };
}

export function previousPeriod(p: Period): Period {
  return periodOf(p.kind, addDays(p.from, -1));
}

/** The periods of `kind` from the one holding `from` to the one holding `to`, oldest first. */
export function periodsBetween(kind: PeriodKind, from: IsoDate, to: IsoDate, limit = 400): Period[] {
  const out: Period[] = [];
  for (let p = periodOf(kind, from); p.from <= to && out.length < limit; p = periodOf(kind, addDays(p.to, 1))) out.push(p);
  return out;
}
