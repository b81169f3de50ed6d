/**
 * The life of a hazard as a pure state machine: which commands are allowed in which state, and
 * what each step or command does to the state. The workflow drives it with time and messages;
 * everything here is deterministic and free of I/O, so workflows, the API and tests share it.
 */
import { currentSegment, extensionsOf, roundExtensions } from './extension';
import { calendarOf, reviewDueOf } from './hazard-calendar';
import { VOID_KINDS, type HazardState, type NewHazard, type PolicyChangeCommand, type ReopenCommand, type ReviewCommand, type SubmitCommand, type VoidCommand } from './hazard-state';
import { acceptancesOutstanding, planMissing } from './major-hazard';
import type { Refusal } from './refusal';
import { MAX_OFFSET_DAYS } from './policy-rules';
import { planRound, stepKey, type ScheduledStep } from './schedule';

// The state and command types live in hazard-state.ts; they are named here too for existing readers.
export { HAZARD_STATUSES, VOID_KINDS } from './hazard-state';
export type { HazardState, HazardStatus, NewHazard, PolicyChangeCommand, ReopenCommand, ReviewCommand, SubmitCommand, Submission, VoidCommand, VoidKind, VoidRecord } from './hazard-state';
export type { Refusal } from './refusal';
import { addDays, dueInstant, isIsoDate, shanghaiDate, type IsoDate } from './shanghai-time';









/** `registeredPolicyId`: the version the hazard was registered with, until a change names another. */
export function checkPolicyChange(state: HazardState, cmd: PolicyChangeCommand, registeredPolicyId: number | null = null): Refusal | null {
  if (!isOpen(state)) return { kind: 'not_allowed', message: `only an open hazard moves to another policy version; it is ${state.status}` };
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the person making the change is required' };
  if (typeof cmd.reason !== 'string' || cmd.reason.trim() === '') return { kind: 'invalid', field: 'reason', message: 'a reason is required' };
  if (cmd.policyId === (state.policyId ?? registeredPolicyId)) return { kind: 'invalid', field: 'policyId', message: 'the hazard already runs on this policy version' };
  return null;
}

/**
 * The hazard runs on the new version from now on: the steps still ahead are planned by it (an
 * escalation whose day has already passed under the new ladder fires at once); what was sent stays.
 */
export function changePolicy(state: HazardState, cmd: PolicyChangeCommand): HazardState {
  return { ...state, policy: cmd.policy, policyId: cmd.policyId, seq: state.seq + 1 };
}


export function initialState(hazard: NewHazard, now: number): HazardState {
  return {
    ...hazard,
    // Optional fields stay absent unless given, so states of plain hazards look as they always did.
    status: 'rectifying',
    round: 1,
    roundStartedAt: now,
    fired: [],
    overdueSince: null,
    escalationLevel: 0,
    submission: null,
    closedAt: null,
    extension: roundExtensions(hazard.deadline),
    seq: 1,
  };
}

/**
 * A state carried over (continue-as-new) from a run of code that predates extensions lacks
 * their record: it starts empty, against the deadline of the round as it stands.
 */
export function upgradeState(state: HazardState): HazardState {
  return state.extension ? state : { ...state, extension: extensionsOf(state) };
}




export function checkSubmit(state: HazardState, cmd: SubmitCommand): Refusal | null {
  if (state.status !== 'rectifying') {
    return { kind: 'not_allowed', code: 'submission-not-rectifying', message: `rectification cannot be submitted while the hazard is ${state.status}` };
  }
  const noPlan = planMissing(state);
  if (noPlan) return noPlan;
  if (!Array.isArray(cmd.evidence) || cmd.evidence.length === 0) {
    return { kind: 'invalid', field: 'evidence', code: 'evidence-required', message: 'at least one piece of evidence is required' };
  }
  if (cmd.evidence.some((ref) => typeof ref !== 'string' || ref.trim() === '')) {
    return { kind: 'invalid', field: 'evidence', message: 'evidence references must be non-empty' };
  }
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the submitting person is required' };
  return null;
}

export function checkReview(state: HazardState, cmd: ReviewCommand, now: number): Refusal | null {
  if (state.status !== 'under_review') {
    return { kind: 'not_allowed', code: 'review-not-submitted', message: `a review needs a submitted rectification; the hazard is ${state.status}` };
  }
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the reviewer is required' };
  if (cmd.decision === 'reject') {
    if (!cmd.reasons?.length || cmd.reasons.some((r) => typeof r !== 'string' || r.trim() === '')) {
      return { kind: 'invalid', field: 'reasons', message: 'a rejection needs at least one reason' };
    }
    if (typeof cmd.newDeadline !== 'string' || !isIsoDate(cmd.newDeadline)) {
      return { kind: 'invalid', field: 'newDeadline', message: 'the new deadline must be a date (YYYY-MM-DD)' };
    }
    if (cmd.newDeadline < shanghaiDate(now)) {
      return { kind: 'invalid', field: 'newDeadline', code: 'deadline-in-past', message: 'the new deadline cannot be in the past' };
    }
    if (tooFar(cmd.newDeadline, now)) return { kind: 'invalid', field: 'newDeadline', code: 'deadline-too-far', message: FAR_MESSAGE };
  }
  if (cmd.decision === 'accept') {
    const outstanding = acceptancesOutstanding(state);
    if (outstanding.length) {
      return { kind: 'not_allowed', code: 'acceptances-outstanding', message: `a major hazard is accepted only after ${outstanding.join(' and ')} acceptance passed` };
    }
  }
  return null;
}

/** A deadline further than a year ahead is a typing error, and no timer should be planned for it. */
const tooFar = (date: IsoDate, now: number) => date > addDays(shanghaiDate(now), MAX_OFFSET_DAYS);
const FAR_MESSAGE = `the new deadline must be within ${MAX_OFFSET_DAYS} days`;

const isOpen = (state: HazardState) => state.status === 'rectifying' || state.status === 'under_review';

export function checkVoid(state: HazardState, cmd: VoidCommand): Refusal | null {
  if (!isOpen(state)) return { kind: 'not_allowed', message: `only an open hazard can be voided; it is ${state.status}` };
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the person voiding is required' };
  if (!(VOID_KINDS as readonly string[]).includes(cmd.kind)) return { kind: 'invalid', field: 'kind', message: 'void as misreport (误报) or exempt (豁免)' };
  if (typeof cmd.reason !== 'string' || cmd.reason.trim() === '') return { kind: 'invalid', field: 'reason', message: 'voiding needs a reason' };
  return null;
}

/** Void (误报/豁免): the hazard leaves the ledger's open work; its history stays. */
export function voidHazard(state: HazardState, cmd: VoidCommand, now: number): HazardState {
  return {
    ...state,
    status: 'void',
    voided: { kind: cmd.kind, reason: cmd.reason.trim(), by: cmd.by, at: now },
    extension: { ...extensionsOf(state), pending: null },
    seq: state.seq + 1,
  };
}

export function checkReopen(state: HazardState, cmd: ReopenCommand, now: number): Refusal | null {
  if (state.status !== 'closed') return { kind: 'not_allowed', message: `only a closed hazard can be reopened; it is ${state.status}` };
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the person reopening is required' };
  if (typeof cmd.reason !== 'string' || cmd.reason.trim() === '') return { kind: 'invalid', field: 'reason', message: 'reopening needs a reason' };
  if (typeof cmd.newDeadline !== 'string' || !isIsoDate(cmd.newDeadline)) {
    return { kind: 'invalid', field: 'newDeadline', message: 'the new deadline must be a date (YYYY-MM-DD)' };
  }
  if (cmd.newDeadline < shanghaiDate(now)) return { kind: 'invalid', field: 'newDeadline', code: 'deadline-in-past', message: 'the new deadline cannot be in the past' };
  if (tooFar(cmd.newDeadline, now)) return { kind: 'invalid', field: 'newDeadline', code: 'deadline-too-far', message: FAR_MESSAGE };
  return null;
}

/** Reopening reverses the closure: a new round against a new deadline, the closure kept on record. */
export function reopen(state: HazardState, cmd: ReopenCommand, now: number): HazardState {
  return {
    ...state,
    status: 'rectifying',
    round: state.round + 1,
    deadline: cmd.newDeadline,
    deadlineRule: null,
    roundStartedAt: now,
    fired: [],
    overdueSince: null,
    escalationLevel: 0,
    submission: null,
    closedAt: null,
    reviewDue: null,
    reviewOverdueSince: null,
    extension: roundExtensions(cmd.newDeadline, extensionsOf(state)),
    reopenings: (state.reopenings ?? 0) + 1,
    seq: state.seq + 1,
  };
}

/** The step that waits for the reviewer: due at the end of the review deadline day. */
export function reviewStep(state: HazardState): ScheduledStep | null {
  if (state.status !== 'under_review' || !state.reviewDue || !state.policy.review) return null;
  return {
    kind: 'review_overdue',
    key: stepKey(state.round, 'review-overdue'),
    at: dueInstant(state.reviewDue.date),
    recipientRole: state.policy.review.escalateTo,
    ...(state.reviewDue.provisional ? { provisional: true } : {}),
  };
}

/**
 * Steps of the current round still to come, in order; empty unless the hazard is rectifying.
 * After an extension they are those of the round's newest segment (see domain/extension.ts).
 */
export function pendingSteps(state: HazardState): ScheduledStep[] {
  const fired = new Set(state.fired);
  if (state.status === 'under_review') {
    const step = reviewStep(state);
    return step && !fired.has(step.key) ? [step] : [];
  }
  if (state.status !== 'rectifying') return [];
  const { segment, startedAt } = currentSegment(state);
  return planRound(state.round, state.deadline, state.policy, startedAt, segment, calendarOf(state)).filter((s) => !fired.has(s.key));
}

export function nextStep(state: HazardState): ScheduledStep | null {
  return pendingSteps(state)[0] ?? null;
}

export function fireStep(state: HazardState, step: ScheduledStep): HazardState {
  const next = { ...state, fired: [...state.fired, step.key], seq: state.seq + 1 };
  if (step.kind === 'overdue') next.overdueSince = step.at;
  if (step.kind === 'escalation') next.escalationLevel = Math.max(state.escalationLevel, step.level);
  if (step.kind === 'review_overdue') next.reviewOverdueSince = step.at;
  return next;
}

/** Submits the rectification; a pending extension request lapses (there is no deadline left to move). */
export function submit(state: HazardState, cmd: SubmitCommand, now: number): HazardState {
  return {
    ...state,
    status: 'under_review',
    submission: { evidence: [...cmd.evidence], note: cmd.note ?? '', by: cmd.by, at: now },
    extension: { ...extensionsOf(state), pending: null },
    // Policies without a review time (older versions) leave the reviewer unhurried, as before.
    ...(state.policy.review ? { reviewDue: reviewDueOf(state.policy, calendarOf(state), now), reviewOverdueSince: null } : {}),
    seq: state.seq + 1,
  };
}

export function review(state: HazardState, cmd: ReviewCommand, now: number): HazardState {
  const reviewed = state.reviewDue !== undefined ? { reviewDue: null, reviewOverdueSince: null } : {};
  if (cmd.decision === 'accept') {
    return { ...state, ...reviewed, status: 'closed', closedAt: now, seq: state.seq + 1 };
  }
  // A rejection opens a new round against a new deadline: the ladder starts again from the bottom.
  return {
    ...state,
    status: 'rectifying',
    ...reviewed,
    round: state.round + 1,
    deadline: cmd.newDeadline,
    ...(state.deadlineRule ? { deadlineRule: null } : {}),
    roundStartedAt: now,
    fired: [],
    overdueSince: null,
    escalationLevel: 0,
    submission: null,
    // A new round, a new order: its own original deadline and a fresh allowance of extensions.
    extension: roundExtensions(cmd.newDeadline, extensionsOf(state)),
    seq: state.seq + 1,
  };
}

/**
 * Overdue is a fact about time, not a state: true while the enterprise still owes the
 * rectification past the deadline's end. Once evidence is in, the wait is the reviewer's.
 */
export function isOverdue(state: Pick<HazardState, 'status' | 'deadline'>, now: number): boolean {
  return state.status === 'rectifying' && now >= dueInstant(state.deadline);
}
