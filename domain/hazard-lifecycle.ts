/**
 * The life of a hazard as a pure state machine: which commands are allowed in which state, and
 * what each step or command does to the state. The workflow drives it with time and messages;
 * everything here is deterministic and free of I/O, so workflows, the API and tests share it.
 */
import { currentSegment, extensionsOf, roundExtensions, type ExtensionState } from './extension';
import type { HazardGrade, HazardPolicy } from './policy';
import { planRound, type ScheduledStep } from './schedule';
import { dueInstant, isIsoDate, shanghaiDate, type IsoDate } from './shanghai-time';

export const HAZARD_STATUSES = ['rectifying', 'under_review', 'closed'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];

export interface Submission {
  evidence: string[];
  note: string;
  by: string;
  at: number;
}

export interface HazardState {
  hazardId: string;
  enterpriseId: string;
  grade: HazardGrade;
  policy: HazardPolicy;
  status: HazardStatus;
  /** Rectification round: 1 at first; each rejection starts the next. */
  round: number;
  deadline: IsoDate;
  roundStartedAt: number;
  /** Steps of the current round already fired, by key. */
  fired: string[];
  overdueSince: number | null;
  escalationLevel: number;
  submission: Submission | null;
  closedAt: number | null;
  /** Extensions: the pending request, and those granted (domain/extension.ts). */
  extension: ExtensionState;
  /** Rises with every change; the read model keeps only the newest change it has seen. */
  seq: number;
}

export interface NewHazard {
  hazardId: string;
  enterpriseId: string;
  grade: HazardGrade;
  policy: HazardPolicy;
  deadline: IsoDate;
}

export function initialState(hazard: NewHazard, now: number): HazardState {
  return {
    ...hazard,
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

/** A command refused: `not_allowed` when the hazard is in the wrong state, `invalid` for bad input. */
export interface Refusal {
  kind: 'not_allowed' | 'invalid';
  field?: string;
  /** The policy limit the command would break, e.g. `extension.maxCount`, and its value. */
  limit?: { name: string; value: number };
  message: string;
}

export interface SubmitCommand {
  /** Ids of the uploaded evidence files that make up the submitted set. */
  evidence: string[];
  note?: string;
  by: string;
  /** SHA-256 over the frozen set's manifest (ids, hashes, sizes, types). */
  manifestHash?: string;
}

export type ReviewCommand =
  | { decision: 'accept'; comment?: string; by: string }
  | { decision: 'reject'; reasons: string[]; newDeadline: IsoDate; by: string };

export function checkSubmit(state: HazardState, cmd: SubmitCommand): Refusal | null {
  if (state.status !== 'rectifying') {
    return { kind: 'not_allowed', message: `rectification cannot be submitted while the hazard is ${state.status}` };
  }
  if (!Array.isArray(cmd.evidence) || cmd.evidence.length === 0) {
    return { kind: 'invalid', field: 'evidence', message: 'at least one piece of evidence is required' };
  }
  if (cmd.evidence.some((ref) => typeof ref !== 'string' || ref.trim() === '')) {
    return { kind: 'invalid', field: 'evidence', message: 'evidence references must be non-empty' };
  }
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the submitting person is required' };
  return null;
}

export function checkReview(state: HazardState, cmd: ReviewCommand, now: number): Refusal | null {
  if (state.status !== 'under_review') {
    return { kind: 'not_allowed', message: `a review needs a submitted rectification; the hazard is ${state.status}` };
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
      return { kind: 'invalid', field: 'newDeadline', message: 'the new deadline cannot be in the past' };
    }
  }
  return null;
}

/**
 * Steps of the current round still to come, in order; empty unless the hazard is rectifying.
 * After an extension they are those of the round's newest segment (see domain/extension.ts).
 */
export function pendingSteps(state: HazardState): ScheduledStep[] {
  if (state.status !== 'rectifying') return [];
  const fired = new Set(state.fired);
  const { segment, startedAt } = currentSegment(state);
  return planRound(state.round, state.deadline, state.policy, startedAt, segment).filter((s) => !fired.has(s.key));
}

export function nextStep(state: HazardState): ScheduledStep | null {
  return pendingSteps(state)[0] ?? null;
}

export function fireStep(state: HazardState, step: ScheduledStep): HazardState {
  const next = { ...state, fired: [...state.fired, step.key], seq: state.seq + 1 };
  if (step.kind === 'overdue') next.overdueSince = step.at;
  if (step.kind === 'escalation') next.escalationLevel = Math.max(state.escalationLevel, step.level);
  return next;
}

/** Submits the rectification; a pending extension request lapses (there is no deadline left to move). */
export function submit(state: HazardState, cmd: SubmitCommand, now: number): HazardState {
  return {
    ...state,
    status: 'under_review',
    submission: { evidence: [...cmd.evidence], note: cmd.note ?? '', by: cmd.by, at: now },
    extension: { ...extensionsOf(state), pending: null },
    seq: state.seq + 1,
  };
}

export function review(state: HazardState, cmd: ReviewCommand, now: number): HazardState {
  if (cmd.decision === 'accept') {
    return { ...state, status: 'closed', closedAt: now, seq: state.seq + 1 };
  }
  // A rejection opens a new round against a new deadline: the ladder starts again from the bottom.
  return {
    ...state,
    status: 'rectifying',
    round: state.round + 1,
    deadline: cmd.newDeadline,
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
