/**
 * When each reminder and escalation of one rectification round happens.
 *
 * - A reminder N days before the deadline goes out at the start of office hours on that day.
 * - The hazard becomes overdue the moment its deadline day ends.
 * - An escalation N days overdue fires at the start of office hours on the Nth day after the
 *   deadline day, so the person escalated to reads it at work, not at midnight. The policy's day
 *   unit says whether N counts working days (on the calendar) or calendar days; a working-day
 *   count into a year without calendar data is provisional (weekends only) and says so.
 * - Reminders count calendar days before the deadline: "3 days left" means three days.
 */
import type { HazardPolicy, RecipientRole } from './policy-types';
import { dayUnitOf } from './policy-rules';
import { addDays, dueInstant, shanghaiInstant, type IsoDate } from './shanghai-time';
import { countDays, WorkCalendar } from './work-calendar';

/** Start of office hours in Asia/Shanghai, when people-facing notices go out. */
export const OFFICE_HOUR = 9;

export type ScheduledStep =
  | { kind: 'reminder'; key: string; at: number; daysBefore: number; recipientRole: RecipientRole }
  | { kind: 'overdue'; key: string; at: number }
  | { kind: 'escalation'; key: string; at: number; afterDays: number; level: number; recipientRole: RecipientRole; provisional?: boolean }
  | { kind: 'review_overdue'; key: string; at: number; recipientRole: RecipientRole; provisional?: boolean };

/** A calendar without any year: every working-day count is provisional (weekends only). */
export const NO_CALENDAR = new WorkCalendar([]);

/** Keys are unique per hazard across rounds: they make the records of each step idempotent. */
export function stepKey(round: number, name: string): string {
  return `round-${round}/${name}`;
}

/**
 * The segment of a round after its Nth granted extension: the steps planned against the moved
 * deadline are keyed `round-R/ext-N/…`, so they never collide with the steps of the deadline
 * before it. A round without extensions has no segment and keeps its plain `round-R/…` keys.
 */
export function extensionSegment(granted: number): string | undefined {
  return granted > 0 ? `ext-${granted}` : undefined;
}

/**
 * The steps of one round (or of one segment of it, after an extension), in order. A reminder
 * whose time had already passed when the round (segment) began is left out (telling someone
 * "3 days left" on the last day is noise); overdue and escalation steps are always kept, so a
 * round that starts late catches up on them at once.
 */
export function planRound(
  round: number,
  deadline: IsoDate,
  policy: HazardPolicy,
  startedAt: number,
  segment?: string,
  calendar: WorkCalendar = NO_CALENDAR,
): ScheduledStep[] {
  const key = (name: string) => stepKey(round, segment ? `${segment}/${name}` : name);
  const steps: ScheduledStep[] = [];
  for (const daysBefore of policy.reminderDaysBefore) {
    const at = shanghaiInstant(addDays(deadline, -daysBefore), OFFICE_HOUR);
    if (at < startedAt) continue;
    steps.push({
      kind: 'reminder',
      key: key(`reminder-${daysBefore}d`),
      at,
      daysBefore,
      recipientRole: 'enterprise',
    });
  }
  steps.push({ kind: 'overdue', key: key('overdue'), at: dueInstant(deadline) });
  const unit = dayUnitOf(policy);
  for (const step of policy.escalation) {
    const day = countDays(calendar, deadline, step.afterDays, unit);
    steps.push({
      kind: 'escalation',
      key: key(`escalation-${step.afterDays}d`),
      at: shanghaiInstant(day.date, OFFICE_HOUR),
      afterDays: step.afterDays,
      level: step.level,
      recipientRole: step.recipientRole,
      ...(day.provisional ? { provisional: true } : {}),
    });
  }
  // Stable order: by time, and reminders given far ahead stay before nearer ones at equal times.
  return steps.sort((a, b) => a.at - b.at);
}
