/**
 * The words a case's record is written in, listed in one place: the kinds of event on each kind
 * of case's timeline, the kinds of step its clock takes, and the kinds of notification it sends.
 * Records store them as plain text; readers (the pages' dictionary among them) need the whole
 * list to name each one, and a test holds the code that writes them to these lists.
 */
import { INSTRUMENT_KINDS, NOTICE_INSTRUMENT } from './instruments';

export const HAZARD_EVENT_TYPES = [
  'registered',
  'reminder_sent',
  'became_overdue',
  'escalated',
  'rectification_submitted',
  'review_accepted',
  'review_rejected',
  'review_overdue',
  'extension_requested',
  'extension_approved',
  'extension_denied',
  'extension_lapsed',
  'voided',
  'reopened',
  'reassigned',
  'delegated',
  'delegation_withdrawn',
  'plan_filed',
  'acceptance_recorded',
  'calendar_applied',
  'notice_attached',
  'policy_changed',
  'urged',
] as const;

export const NOTICE_EVENT_TYPES = [
  'issued',
  'signed',
  'sign_escalated',
  'became_overdue',
  'instrument_issued',
  'decision_opened',
  'decision_taken',
  'decision_declined',
  'deadline_extended',
  'deadline_recomputed',
  'calendar_applied',
  'hazard_closed',
  'hazard_void',
  'hazard_reopened',
  'closed',
  'urged',
] as const;

export const SUSPENSION_EVENT_TYPES = [
  'ordered',
  'reminder_sent',
  'review_overdue',
  'maximum_reached',
  'resumption_requested',
  'resumption_approved',
  'resumption_rejected',
  'extended',
  'lifted',
] as const;

/** The next step a hazard's clock will take (ScheduledStep kinds in schedule.ts). */
export const HAZARD_STEP_KINDS = ['reminder', 'overdue', 'escalation', 'review_overdue'] as const;
/** The next step a notice's clock will take (NoticeStep kinds in notice-schedule.ts). */
export const NOTICE_STEP_KINDS = ['sign_escalation', 'overdue', 'instrument', 'decision'] as const;
/** The next step a suspension's clock will take (SuspensionStep kinds in suspension.ts). */
export const SUSPENSION_STEP_KINDS = ['reminder', 'review_overdue', 'maximum_reached'] as const;

/** What a hazard or a suspension sends (HazardNotification kinds). */
export const HAZARD_NOTIFICATION_KINDS = ['reminder', 'escalation', 'urge'] as const;
/** What a notice sends: its sign escalation, each instrument of the ladder, a decision to take, an urge. */
export const NOTICE_NOTIFICATION_KINDS = ['sign_escalation', 'decision', ...INSTRUMENT_KINDS, 'urge'] as const;

/** The instruments a notice may carry: the order it is issued as, then the ladder's. */
export const NOTICE_INSTRUMENTS = [NOTICE_INSTRUMENT, ...INSTRUMENT_KINDS] as const;
