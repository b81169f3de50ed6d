/** The calendar years a notice's provisional dates were counted across without holding them. */
import { missingYears, type CountedSpan } from './calendar-years';
import { pendingNoticeSteps, type NoticeState } from './notice-lifecycle';
import { shanghaiDate } from './shanghai-time';

export function noticeYearsWanted(s: NoticeState): number[] {
  if (s.dayUnit !== 'working' || s.status === 'closed') return [];
  const spans: CountedSpan[] = [];
  if (s.deadlineProvisional) spans.push({ from: s.issuedOn, to: s.deadline });
  for (const step of pendingNoticeSteps(s)) {
    if (step.provisional) spans.push({ from: step.kind === 'sign_escalation' ? s.issuedOn : s.deadline, to: shanghaiDate(step.at) });
  }
  return missingYears(s.calendar, spans);
}
