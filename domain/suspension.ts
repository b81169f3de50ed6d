/**
 * Suspension for rectification (停产整顿) as a pure state machine with its own clock.
 *
 * The order names a planned end; the policy (major.suspensionMaxDays) caps how far that end may
 * ever be pushed. The enterprise is reminded before the planned end; when the planned end day
 * passes without an approved resumption the suspension is overdue for review and the
 * supervisor's chief is told; when the maximum day passes the county leader is told. Nobody is
 * ever resumed by the clock: only an approved resumption review (or a leader lifting the order)
 * ends a suspension. Days are calendar days, so no working-day calendar is involved.
 */
import type { RecipientRole } from './policy-types';
import type { Refusal, RefusalCode } from './refusal';
import { OFFICE_HOUR } from './schedule';
import { addDays, daysBetween, dueInstant, isIsoDate, shanghaiDate, shanghaiInstant, type IsoDate } from './shanghai-time';

export const SUSPENSION_STATUSES = ['suspended', 'resumption_requested', 'resumed', 'lifted'] as const;
export type SuspensionStatus = (typeof SUSPENSION_STATUSES)[number];
export const SUSPENSION_SCOPES = ['full', 'partial'] as const;
export type SuspensionScope = (typeof SUSPENSION_SCOPES)[number];

/** How far ahead of the order a suspension may start (a year, as for any deadline). */
export const MAX_START_AHEAD_DAYS = 366;
/** Days before the planned end on which the enterprise is reminded. */
export const SUSPENSION_REMINDER_DAYS = [7, 1] as const;
/** Told when the planned end passes unresumed, and when the maximum passes. */
export const REVIEW_OVERDUE_RECIPIENT: RecipientRole = 'supervisor_chief';
export const MAXIMUM_RECIPIENT: RecipientRole = 'county_leader';

export interface SuspensionOrigin {
  type: 'notice_decision';
  id: string;
}

export interface SuspensionOrder {
  enterpriseId: string;
  hazardId: string | null;
  origin: SuspensionOrigin | null;
  documentNumber: string;
  reason: string;
  scope: SuspensionScope;
  scopeNote: string;
  startsOn: IsoDate;
  plannedEnd: IsoDate;
}

export interface NewSuspension extends SuspensionOrder {
  suspensionId: string;
  /** major.suspensionMaxDays of the policy the order was given under. */
  maxDays: number;
  orderedBy: string;
}

export interface ResumptionRequest {
  note: string;
  evidence: string[];
  selfCheck: { passed: boolean; summary: string };
  by: string;
  at: number;
}

export interface SuspensionState extends NewSuspension {
  status: SuspensionStatus;
  maxEnd: IsoDate;
  /** Bumped whenever the planned end moves: the reminders and the review-overdue step of each
   * plan have their own keys, so steps of an earlier plan never collide with later ones. */
  plan: number;
  planStartedAt: number;
  fired: string[];
  reviewOverdueSince: number | null;
  maximumReachedAt: number | null;
  request: ResumptionRequest | null;
  resumptionRequestedAt: number | null;
  rejections: number;
  extensions: number;
  resumedAt: number | null;
  liftedAt: number | null;
  orderedAt: number;
  seq: number;
}

/**
 * The last day a suspension may run: startsOn plus the maximum in calendar days. As in Chinese
 * statutory periods, the first day is not counted (期间开始之日不计算在内).
 */
export function maxEndOf(startsOn: IsoDate, maxDays: number): IsoDate {
  return addDays(startsOn, maxDays);
}

const invalid = (field: string, message: string, limit?: Refusal['limit'], code?: RefusalCode): Refusal => ({ kind: 'invalid', field, message, ...(limit ? { limit } : {}), ...(code ? { code } : {}) });
const notAllowed = (message: string, code?: RefusalCode): Refusal => ({ kind: 'not_allowed', message, ...(code ? { code } : {}) });

function checkWithinMaximum(field: string, date: IsoDate, maxEnd: IsoDate, maxDays: number): Refusal | null {
  if (date > maxEnd) {
    return invalid(
      field,
      `${field} cannot be later than ${maxEnd}: a suspension lasts at most ${maxDays} days (major.suspensionMaxDays)`,
      { name: 'major.suspensionMaxDays', value: maxDays },
      'suspension-max-days',
    );
  }
  return null;
}

/** An order as given: starts today or later, plans to end no earlier than it starts, within the maximum. */
export function checkOrder(order: Pick<SuspensionOrder, 'startsOn' | 'plannedEnd' | 'documentNumber' | 'reason'>, maxDays: number, now: number): Refusal | null {
  const today = shanghaiDate(now);
  if (!isIsoDate(order.startsOn)) return invalid('startsOn', 'expected a calendar date YYYY-MM-DD');
  if (!isIsoDate(order.plannedEnd)) return invalid('plannedEnd', 'expected a calendar date YYYY-MM-DD');
  if (order.startsOn < today) return invalid('startsOn', `a suspension cannot start before today (${today})`);
  // An order takes effect soon after it is given; a start years away is a typing error.
  if (order.startsOn > addDays(today, MAX_START_AHEAD_DAYS)) return invalid('startsOn', `a suspension must start within ${MAX_START_AHEAD_DAYS} days of today`);
  if (order.plannedEnd < order.startsOn) return invalid('plannedEnd', `the planned end cannot be before the start (${order.startsOn})`);
  if (!order.documentNumber?.trim()) return invalid('documentNumber', 'the order document number is required');
  if (!order.reason?.trim()) return invalid('reason', 'a reason is required');
  return checkWithinMaximum('plannedEnd', order.plannedEnd, maxEndOf(order.startsOn, maxDays), maxDays);
}

export function initialState(s: NewSuspension, now: number): SuspensionState {
  return {
    ...s,
    status: 'suspended',
    maxEnd: maxEndOf(s.startsOn, s.maxDays),
    plan: 1,
    planStartedAt: now,
    fired: [],
    reviewOverdueSince: null,
    maximumReachedAt: null,
    request: null,
    resumptionRequestedAt: null,
    rejections: 0,
    extensions: 0,
    resumedAt: null,
    liftedAt: null,
    orderedAt: now,
    seq: 1,
  };
}

export const isOpen = (s: Pick<SuspensionState, 'status'>) => s.status === 'suspended' || s.status === 'resumption_requested';

// ---------------------------------------------------------------------------------------------
// The clock

export type SuspensionStep =
  | { kind: 'reminder'; key: string; at: number; daysBefore: number; recipientRole: RecipientRole }
  | { kind: 'review_overdue'; key: string; at: number; recipientRole: RecipientRole }
  | { kind: 'maximum_reached'; key: string; at: number; recipientRole: RecipientRole };

/**
 * The steps of the current plan (reminders, review overdue) and the maximum, in time order.
 * Reminders whose moment had already passed when the plan began are left out; the overdue and
 * maximum steps are always kept, so a late plan catches up on them at once.
 */
export function planSteps(s: Pick<SuspensionState, 'plan' | 'plannedEnd' | 'maxEnd' | 'planStartedAt'>): SuspensionStep[] {
  const key = (name: string) => `plan-${s.plan}/${name}`;
  const steps: SuspensionStep[] = [];
  for (const daysBefore of SUSPENSION_REMINDER_DAYS) {
    const at = shanghaiInstant(addDays(s.plannedEnd, -daysBefore), OFFICE_HOUR);
    if (at < s.planStartedAt) continue;
    steps.push({ kind: 'reminder', key: key(`reminder-${daysBefore}d`), at, daysBefore, recipientRole: 'enterprise' });
  }
  steps.push({ kind: 'review_overdue', key: key('review-overdue'), at: dueInstant(s.plannedEnd), recipientRole: REVIEW_OVERDUE_RECIPIENT });
  steps.push({ kind: 'maximum_reached', key: 'maximum-reached', at: dueInstant(s.maxEnd), recipientRole: MAXIMUM_RECIPIENT });
  return steps.sort((a, b) => a.at - b.at);
}

/** Steps still to come; none once the suspension has ended. */
export function pendingSteps(s: SuspensionState): SuspensionStep[] {
  if (!isOpen(s)) return [];
  const fired = new Set(s.fired);
  return planSteps(s).filter((step) => !fired.has(step.key));
}

export function nextStep(s: SuspensionState): SuspensionStep | null {
  return pendingSteps(s)[0] ?? null;
}

export function fireStep(s: SuspensionState, step: SuspensionStep): SuspensionState {
  const next = { ...s, fired: [...s.fired, step.key], seq: s.seq + 1 };
  if (step.kind === 'review_overdue') next.reviewOverdueSince = step.at;
  if (step.kind === 'maximum_reached') next.maximumReachedAt = step.at;
  return next;
}

/** Moves the planned end: a new plan, whose review-overdue moment is still ahead. */
function replan(s: SuspensionState, plannedEnd: IsoDate, now: number): SuspensionState {
  return { ...s, plannedEnd, plan: s.plan + 1, planStartedAt: now, reviewOverdueSince: null };
}

// ---------------------------------------------------------------------------------------------
// Commands

export interface ApplyResumptionCommand {
  note: string;
  evidence?: string[];
  selfCheck: { passed: boolean; summary: string };
  by: string;
}

export type ReviewResumptionCommand =
  | { decision: 'approve'; comment?: string; by: string }
  | { decision: 'reject'; reasons: string[]; plannedEnd?: IsoDate; by: string };

export interface ExtendCommand {
  plannedEnd: IsoDate;
  reason: string;
  by: string;
}

export interface LiftCommand {
  documentNumber: string;
  reason: string;
  by: string;
}

function checkOpen(s: SuspensionState, what: string): Refusal | null {
  return isOpen(s) ? null : notAllowed(`${what}: the suspension has ended (${s.status})`, 'suspension-ended');
}

export function checkApply(s: SuspensionState, cmd: ApplyResumptionCommand): Refusal | null {
  if (s.status === 'resumption_requested') return notAllowed('a resumption request already awaits review', 'resumption-pending');
  const closed = checkOpen(s, 'resumption cannot be requested');
  if (closed) return closed;
  if (!cmd.by) return invalid('by', 'the applicant is required');
  if (!cmd.selfCheck || typeof cmd.selfCheck.passed !== 'boolean') return invalid('selfCheck', 'the self-check result is required');
  // 复产申请 follows a passing self-check: an enterprise that found itself not ready is not asking yet.
  if (!cmd.selfCheck.passed) return invalid('selfCheck.passed', 'resumption can be requested only after a passing self-check', undefined, 'resumption-self-check-failed');
  if ((cmd.evidence ?? []).some((e) => typeof e !== 'string' || e.trim() === '')) return invalid('evidence', 'evidence references must be non-empty');
  return null;
}

export function applyResumption(s: SuspensionState, cmd: ApplyResumptionCommand, now: number): SuspensionState {
  return {
    ...s,
    status: 'resumption_requested',
    request: { note: cmd.note ?? '', evidence: [...(cmd.evidence ?? [])], selfCheck: { ...cmd.selfCheck }, by: cmd.by, at: now },
    resumptionRequestedAt: now,
    seq: s.seq + 1,
  };
}

export function checkReviewResumption(s: SuspensionState, cmd: ReviewResumptionCommand, now: number): Refusal | null {
  if (s.status !== 'resumption_requested') {
    return isOpen(s) ? notAllowed('no resumption request awaits review', 'resumption-no-request') : notAllowed(`the suspension has ended (${s.status})`, 'suspension-ended');
  }
  if (!cmd.by) return invalid('by', 'the reviewer is required');
  if (cmd.decision === 'reject') {
    if (!cmd.reasons?.length || cmd.reasons.some((r) => typeof r !== 'string' || r.trim() === '')) {
      return invalid('reasons', 'a rejection needs at least one reason');
    }
    if (cmd.plannedEnd !== undefined) return checkNewPlannedEnd(s, cmd.plannedEnd, now);
  }
  return null;
}

export function reviewResumption(s: SuspensionState, cmd: ReviewResumptionCommand, now: number): SuspensionState {
  if (cmd.decision === 'approve') return { ...s, status: 'resumed', resumedAt: now, seq: s.seq + 1 };
  const back: SuspensionState = { ...s, status: 'suspended', request: null, rejections: s.rejections + 1, seq: s.seq + 1 };
  return cmd.plannedEnd !== undefined && cmd.plannedEnd !== s.plannedEnd ? replan(back, cmd.plannedEnd, now) : back;
}

function checkNewPlannedEnd(s: SuspensionState, date: IsoDate, now: number): Refusal | null {
  if (typeof date !== 'string' || !isIsoDate(date)) return invalid('plannedEnd', 'expected a calendar date YYYY-MM-DD');
  const today = shanghaiDate(now);
  if (date < today) return invalid('plannedEnd', `the planned end cannot be in the past (today is ${today})`);
  return checkWithinMaximum('plannedEnd', date, s.maxEnd, s.maxDays);
}

export function checkExtend(s: SuspensionState, cmd: ExtendCommand, now: number): Refusal | null {
  const closed = checkOpen(s, 'the suspension cannot be extended');
  if (closed) return closed;
  if (!cmd.by) return invalid('by', 'the person extending is required');
  if (!cmd.reason?.trim()) return invalid('reason', 'a reason is required');
  if (typeof cmd.plannedEnd !== 'string' || !isIsoDate(cmd.plannedEnd)) return invalid('plannedEnd', 'expected a calendar date YYYY-MM-DD');
  if (cmd.plannedEnd <= s.plannedEnd) return invalid('plannedEnd', `an extension must move the planned end later than ${s.plannedEnd}`);
  return checkNewPlannedEnd(s, cmd.plannedEnd, now);
}

export function extend(s: SuspensionState, cmd: ExtendCommand, now: number): SuspensionState {
  return { ...replan(s, cmd.plannedEnd, now), extensions: s.extensions + 1, seq: s.seq + 1 };
}

export function checkLift(s: SuspensionState, cmd: LiftCommand): Refusal | null {
  const closed = checkOpen(s, 'the suspension cannot be lifted');
  if (closed) return closed;
  if (!cmd.by) return invalid('by', 'the leader lifting it is required');
  if (!cmd.documentNumber?.trim()) return invalid('documentNumber', 'the document number of the lifting decision is required');
  if (!cmd.reason?.trim()) return invalid('reason', 'a reason is required');
  return null;
}

export function lift(s: SuspensionState, _cmd: LiftCommand, now: number): SuspensionState {
  return { ...s, status: 'lifted', liftedAt: now, seq: s.seq + 1 };
}

// ---------------------------------------------------------------------------------------------
// What is shown

export interface SuspensionSnapshot {
  suspensionId: string;
  status: SuspensionStatus;
  plannedEnd: IsoDate;
  maxEnd: IsoDate;
  reviewOverdueSince: number | null;
  maximumReachedAt: number | null;
  resumptionRequestedAt: number | null;
  resumedAt: number | null;
  liftedAt: number | null;
  next: { kind: SuspensionStep['kind']; at: number } | null;
  updatedAt: number;
  seq: number;
}

export function snapshotOf(s: SuspensionState, now: number): SuspensionSnapshot {
  const next = nextStep(s);
  return {
    suspensionId: s.suspensionId,
    status: s.status,
    plannedEnd: s.plannedEnd,
    maxEnd: s.maxEnd,
    reviewOverdueSince: s.reviewOverdueSince,
    maximumReachedAt: s.maximumReachedAt,
    resumptionRequestedAt: s.resumptionRequestedAt,
    resumedAt: s.resumedAt,
    liftedAt: s.liftedAt,
    next: next ? { kind: next.kind, at: next.at } : null,
    updatedAt: now,
    seq: s.seq,
  };
}

/** Whole calendar days from today to the planned and the maximum end (negative once past). */
export function daysRemaining(s: { plannedEnd: IsoDate; maxEnd: IsoDate }, now: number): { plannedEnd: number; maxEnd: number } {
  const today = shanghaiDate(now);
  return { plannedEnd: daysBetween(today, s.plannedEnd), maxEnd: daysBetween(today, s.maxEnd) };
}

// ---------------------------------------------------------------------------------------------
// Words people read (Chinese)

export function suspensionReminderText(documentNumber: string, plannedEnd: IsoDate, daysBefore: number): string {
  return `【停产整顿提醒】依${documentNumber}停产整顿的计划结束日期为 ${plannedEnd}，距今还有 ${daysBefore} 天。整改完成并自查合格后，请提出复产申请。`;
}

export function reviewOverdueText(documentNumber: string, plannedEnd: IsoDate): string {
  return `【停产整顿逾期】依${documentNumber}停产整顿的计划结束日期 ${plannedEnd} 已过，尚未批准复产，请督促复产验收。`;
}

export function maximumReachedText(documentNumber: string, maxEnd: IsoDate, maxDays: number): string {
  return `【停产整顿超期】依${documentNumber}停产整顿已达最长期限 ${maxDays} 天（${maxEnd}），企业仍未复产，请研究处置。`;
}
