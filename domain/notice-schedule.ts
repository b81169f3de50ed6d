/**
 * When each timed step of a supervision notice happens.
 *
 * - 签收: the enterprise signs within `signWithinDays` (in the policy's day unit) of the issue
 *   date; past the end of that day, `signEscalateTo` is told once.
 * - Overdue: the moment the deadline day ends.
 * - Each ladder step (an instrument, or a decision to open) fires at OFFICE_HOUR on the day
 *   `afterDays` (in the day unit) after the deadline day.
 * A moved deadline (extension) starts a new segment: its steps are keyed `ext-N/…` so they never
 * collide with the steps planned against an earlier deadline.
 */
import type { DecisionKind, InstrumentKind } from './instruments';
import type { DayUnit, NoticePolicy, RecipientRole } from './policy-types';
import { OFFICE_HOUR } from './schedule';
import { dueInstant, shanghaiInstant, type IsoDate } from './shanghai-time';
import { countDays, type WorkCalendar } from './work-calendar';

export type NoticeStep =
  | { kind: 'sign_escalation'; key: string; at: number; recipientRole: RecipientRole; provisional: boolean }
  | { kind: 'overdue'; key: string; at: number; provisional: false }
  | { kind: 'instrument'; key: string; at: number; afterDays: number; level: number; instrument: InstrumentKind; recipientRole: RecipientRole; provisional: boolean }
  | { kind: 'decision'; key: string; at: number; afterDays: number; decision: DecisionKind; deciderRole: RecipientRole; provisional: boolean };

export const SIGN_ESCALATION_KEY = 'sign-escalation';

/** The segment of the ladder after the Nth extension of the deadline (none before the first). */
export function noticeSegment(extensions: number): string {
  return extensions > 0 ? `ext-${extensions}/` : '';
}

/** The last day to sign: `signWithinDays` counted from the issue date. */
export function signDueDate(calendar: WorkCalendar, issuedOn: IsoDate, policy: NoticePolicy, unit: DayUnit) {
  return countDays(calendar, issuedOn, policy.signWithinDays, unit);
}

export function planSignEscalation(calendar: WorkCalendar, issuedOn: IsoDate, policy: NoticePolicy, unit: DayUnit): NoticeStep {
  const due = signDueDate(calendar, issuedOn, policy, unit);
  return { kind: 'sign_escalation', key: SIGN_ESCALATION_KEY, at: dueInstant(due.date), recipientRole: policy.signEscalateTo, provisional: due.provisional };
}

/** The overdue moment and the ladder against one deadline, in time order (instruments before decisions at equal times). */
export function planLadder(calendar: WorkCalendar, deadline: IsoDate, policy: NoticePolicy, unit: DayUnit, extensions: number): NoticeStep[] {
  const seg = noticeSegment(extensions);
  const atOffice = (afterDays: number) => {
    const day = countDays(calendar, deadline, afterDays, unit);
    return { at: shanghaiInstant(day.date, OFFICE_HOUR), provisional: day.provisional };
  };
  const steps: NoticeStep[] = [{ kind: 'overdue', key: `${seg}overdue`, at: dueInstant(deadline), provisional: false }];
  policy.ladder.forEach((s, i) => {
    steps.push({ kind: 'instrument', key: `${seg}ladder-${s.instrument}`, ...atOffice(s.afterDays), afterDays: s.afterDays, level: i + 1, instrument: s.instrument, recipientRole: s.recipientRole });
  });
  for (const s of policy.decisions) {
    steps.push({ kind: 'decision', key: `${seg}decision-${s.kind}`, ...atOffice(s.afterDays), afterDays: s.afterDays, decision: s.kind, deciderRole: s.deciderRole });
  }
  const rank = (s: NoticeStep) => (s.kind === 'overdue' ? 0 : s.kind === 'instrument' ? 1 : 2);
  return steps.sort((a, b) => a.at - b.at || rank(a) - rank(b));
}
