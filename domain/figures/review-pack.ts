/**
 * The review meeting (双月督办会): which period a pack covers, and which enterprises the meeting
 * should consider calling in for a warning interview (约谈). Pure: facts come from the figures.
 */
import { addDays, type IsoDate } from '../shanghai-time';

/** Meetings every 1, 2, 3, 4, 6 or 12 months: windows that tile the year, starting in January. */
export const REVIEW_INTERVALS = [1, 2, 3, 4, 6, 12] as const;
export type ReviewInterval = (typeof REVIEW_INTERVALS)[number];
export const DEFAULT_REVIEW_INTERVAL: ReviewInterval = 2;

export interface PackPeriod {
  /** First and last day, inclusive (Shanghai dates). */
  from: IsoDate;
  to: IsoDate;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The whole window of `everyMonths` months holding `date` (Jan–Feb, Mar–Apr, … for two). */
export function reviewWindowOf(date: IsoDate, everyMonths: number): PackPeriod {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const first = 1 + Math.floor((m - 1) / everyMonths) * everyMonths;
  const last = Math.min(first + everyMonths - 1, 12);
  return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(last)}-${pad(lastDayOfMonth(y, last))}` };
}

/** The window that ended before the one holding `today`: what a scheduled meeting reviews. */
export function periodJustEnded(today: IsoDate, everyMonths: number): PackPeriod {
  return reviewWindowOf(addDays(reviewWindowOf(today, everyMonths).from, -1), everyMonths);
}

/** The current window up to `today`: a pack asked for ahead of a meeting. */
export function periodSoFar(today: IsoDate, everyMonths: number): PackPeriod {
  return { from: reviewWindowOf(today, everyMonths).from, to: today };
}

/** The cron expression of a jurisdiction's schedule: 08:00 on the 1st of each window's first month. */
export function reviewCron(everyMonths: number): string {
  return `0 8 1 ${everyMonths === 1 ? '*' : `1/${everyMonths}`} *`;
}

// ---------------------------------------------------------------------------------------------
// Warning interview (约谈) candidates

export interface EnterpriseFacts {
  id: string;
  name: string;
  /** Hazards being rectified past their deadline now, and the major ones among them. */
  overdue: number;
  overdueMajor: number;
  /** Working days the longest-overdue major hazard is past its deadline (null: none overdue). */
  majorOverdueWorkingDays: number | null;
  /** Hazards registered in the period as repeats of closed ones. */
  repeats: number;
}

export interface InterviewRule {
  /** A major hazard overdue more than this many working days. */
  majorOverdueDays: number;
  /** At least this many hazards overdue. */
  overdue: number;
  /** At least this many repeats in the period. */
  repeats: number;
}

export const INTERVIEW_RULE: InterviewRule = { majorOverdueDays: 15, overdue: 3, repeats: 2 };

export type InterviewReason =
  | { kind: 'major-overdue'; workingDays: number }
  | { kind: 'overdue'; count: number }
  | { kind: 'repeats'; count: number };

export type InterviewCandidate = EnterpriseFacts & { reasons: InterviewReason[] };

export function interviewReasons(f: EnterpriseFacts, rule: InterviewRule = INTERVIEW_RULE): InterviewReason[] {
  const reasons: InterviewReason[] = [];
  if (f.majorOverdueWorkingDays !== null && f.majorOverdueWorkingDays > rule.majorOverdueDays) reasons.push({ kind: 'major-overdue', workingDays: f.majorOverdueWorkingDays });
  if (f.overdue >= rule.overdue) reasons.push({ kind: 'overdue', count: f.overdue });
  if (f.repeats >= rule.repeats) reasons.push({ kind: 'repeats', count: f.repeats });
  return reasons;
}

/** The enterprises meeting any part of the rule, those with the most reasons and overdue first. */
export function interviewCandidates(facts: readonly EnterpriseFacts[], rule: InterviewRule = INTERVIEW_RULE): InterviewCandidate[] {
  return facts
    .map((f) => ({ ...f, reasons: interviewReasons(f, rule) }))
    .filter((c) => c.reasons.length > 0)
    .sort((a, b) => b.reasons.length - a.reasons.length || b.overdueMajor - a.overdueMajor || b.overdue - a.overdue || b.repeats - a.repeats || a.name.localeCompare(b.name, 'zh') || a.id.localeCompare(b.id));
}

/** Merges the overdue facts and the repeat counts of the same enterprises into one fact each. */
export function mergeFacts(
  overdue: ReadonlyArray<Omit<EnterpriseFacts, 'repeats'>>,
  repeats: ReadonlyArray<{ id: string; name: string; repeats: number }>,
): EnterpriseFacts[] {
  const byId = new Map<string, EnterpriseFacts>(overdue.map((o) => [o.id, { ...o, repeats: 0 }]));
  for (const r of repeats) {
    const f = byId.get(r.id);
    if (f) f.repeats = r.repeats;
    else byId.set(r.id, { id: r.id, name: r.name, overdue: 0, overdueMajor: 0, majorOverdueWorkingDays: null, repeats: r.repeats });
  }
  return [...byId.values()];
}
