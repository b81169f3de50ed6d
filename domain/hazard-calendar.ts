/**
 * Working-day time of one hazard: the calendar years its workflow holds, the deadline rule of the
 * current round (when the deadline was counted rather than given), the review deadline, and what
 * an imported year changes. A date counted into a year without data is provisional until that
 * year is imported; then it is recomputed, never silently kept.
 */
import type { DeadlineBasis, HazardState } from './hazard-state';
import type { HazardPolicy } from './policy-types';
import { dayUnitOf } from './policy-rules';
import { planRound } from './schedule';
import { shanghaiDate, type IsoDate } from './shanghai-time';
import { countDays, WorkCalendar, type CountedDate, type YearCalendar } from './work-calendar';
import { currentSegment } from './extension';

export type { DeadlineBasis } from './hazard-state';


/** One WorkCalendar per list of years: a hazard's state keeps its list for its whole life, and planning its steps counts on it again and again. */
const calendars = new WeakMap<readonly YearCalendar[], WorkCalendar>();

export function calendarOf(state: Pick<HazardState, 'calendar'>): WorkCalendar {
  if (!state.calendar) return new WorkCalendar([]);
  let calendar = calendars.get(state.calendar);
  if (!calendar) calendars.set(state.calendar, (calendar = new WorkCalendar(state.calendar)));
  return calendar;
}

/** The deadline a rule gives on a calendar. */
export function deadlineFromRule(basis: DeadlineBasis, calendar: WorkCalendar): CountedDate {
  return countDays(calendar, basis.from, basis.days, basis.unit);
}

/** When a submission must be reviewed by, if the policy sets a review time. */
export function reviewDueOf(policy: HazardPolicy, calendar: WorkCalendar, submittedAt: number): CountedDate | null {
  if (!policy.review) return null;
  return countDays(calendar, shanghaiDate(submittedAt), policy.review.withinDays, dayUnitOf(policy));
}

/**
 * Which dates of the hazard were counted into a year without calendar data: the deadline itself
 * (counted by the rule, still as the rule gave it, on an open hazard), and the steps after it (an
 * escalation still ahead, or the review deadline). Only the first makes the deadline 期限待定; the
 * second only means later steps may move when the year is published.
 */
export function provisionalDates(state: HazardState): { deadline: boolean; laterSteps: boolean } {
  const calendar = calendarOf(state);
  const open = state.status === 'rectifying' || state.status === 'under_review';
  const counted = state.deadlineRule ? deadlineFromRule(state.deadlineRule, calendar) : null;
  const deadline = open && counted !== null && counted.provisional && counted.date === state.deadline;
  let laterSteps = false;
  if (state.status === 'under_review') laterSteps = state.reviewDue?.provisional ?? false;
  else if (state.status === 'rectifying') {
    const { segment, startedAt } = currentSegment(state);
    const fired = new Set(state.fired);
    laterSteps = planRound(state.round, state.deadline, state.policy, startedAt, segment, calendar).some(
      (s) => !fired.has(s.key) && 'provisional' in s && s.provisional === true,
    );
  }
  return { deadline, laterSteps };
}

/** Whether any date the hazard now runs on is provisional: what a published year must be told to. */
export function isProvisional(state: HazardState): boolean {
  const { deadline, laterSteps } = provisionalDates(state);
  return deadline || laterSteps;
}

/** What importing a year did to a hazard: the deadline (and review deadline) before and after. */
export interface CalendarChange {
  year: number;
  deadline: { from: IsoDate; to: IsoDate } | null;
  reviewDue: { from: IsoDate; to: IsoDate } | null;
  provisionalBefore: boolean;
  provisionalAfter: boolean;
}

/**
 * Adds (or replaces) a year of the calendar and recomputes the dates counted on it. A counted
 * deadline moves only while it is still the one the rule gave (an extension or a rejection set
 * an explicit date instead); escalations still ahead are replanned from the state as always.
 */
export function applyCalendarYear(state: HazardState, year: YearCalendar): { state: HazardState; change: CalendarChange } {
  const provisionalBefore = isProvisional(state);
  const years = [...(state.calendar ?? []).filter((y) => y.year !== year.year), year].sort((a, b) => a.year - b.year);
  const before = calendarOf(state);
  const after = new WorkCalendar(years);
  let next: HazardState = { ...state, calendar: years, seq: state.seq + 1 };
  let deadline: CalendarChange['deadline'] = null;
  if (state.deadlineRule && state.status === 'rectifying' && state.deadline === deadlineFromRule(state.deadlineRule, before).date) {
    const to = deadlineFromRule(state.deadlineRule, after).date;
    if (to !== state.deadline) {
      deadline = { from: state.deadline, to };
      const ext = next.extension;
      next = {
        ...next,
        deadline: to,
        extension: ext && ext.originalDeadline === state.deadline ? { ...ext, originalDeadline: to } : ext,
      };
    }
  }
  let reviewDue: CalendarChange['reviewDue'] = null;
  if (state.status === 'under_review' && state.reviewDue?.provisional && state.submission) {
    const counted = reviewDueOf(state.policy, after, state.submission.at);
    if (counted) {
      if (counted.date !== state.reviewDue.date) reviewDue = { from: state.reviewDue.date, to: counted.date };
      next = { ...next, reviewDue: counted };
    }
  }
  return { state: next, change: { year: year.year, deadline, reviewDue, provisionalBefore, provisionalAfter: isProvisional(next) } };
}

/**
 * The deadline a new order carries: the date the person ordering gave, or else the one the
 * policy's rule counts from today (with the rule and legal basis kept beside it). Null when
 * neither exists: the caller must then ask for a date.
 */
export function orderDeadline(
  given: IsoDate | undefined,
  rule: HazardPolicy['deadline'],
  today: IsoDate,
  calendar: WorkCalendar,
): { deadline: IsoDate; rule: DeadlineBasis | null; provisional: boolean } | null {
  if (given) return { deadline: given, rule: null, provisional: false };
  if (!rule) return null;
  const basis: DeadlineBasis = { from: today, days: rule.days, unit: rule.unit, legalBasis: rule.legalBasis };
  const counted = deadlineFromRule(basis, calendar);
  return { deadline: counted.date, rule: basis, provisional: counted.provisional };
}
