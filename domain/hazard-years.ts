/** The calendar years a hazard's provisional dates were counted across without holding them. */
import { missingYears, type CountedSpan } from './calendar-years';
import { calendarOf, deadlineFromRule } from './hazard-calendar';
import { pendingSteps, type HazardState } from './hazard-lifecycle';
import { dayUnitOf } from './policy-rules';
import { shanghaiDate } from './shanghai-time';

export function hazardYearsWanted(state: HazardState): number[] {
  if (dayUnitOf(state.policy) !== 'working') return [];
  const spans: CountedSpan[] = [];
  if (state.status === 'rectifying') {
    for (const step of pendingSteps(state)) {
      if (step.kind === 'escalation' && step.provisional) spans.push({ from: state.deadline, to: shanghaiDate(step.at) });
    }
    if (state.deadlineRule) {
      const counted = deadlineFromRule(state.deadlineRule, calendarOf(state));
      if (counted.provisional) spans.push({ from: state.deadlineRule.from, to: counted.date });
    }
  }
  if (state.status === 'under_review' && state.reviewDue?.provisional && state.submission) {
    spans.push({ from: shanghaiDate(state.submission.at), to: state.reviewDue.date });
  }
  return missingYears(state.calendar, spans);
}
