/** What anyone asking about a hazard sees: its state now and what happens next, and when. */
import { isOverdue, nextStep, type HazardState, type HazardStatus, type Submission } from './hazard-lifecycle';
import type { ScheduledStep } from './schedule';
import { dueInstant, type IsoDate } from './shanghai-time';

export interface NextStepView {
  kind: ScheduledStep['kind'];
  at: string;
  level?: number;
  recipientRole?: string;
}

export interface HazardView {
  hazardId: string;
  status: HazardStatus;
  round: number;
  deadline: IsoDate;
  dueAt: string;
  overdue: boolean;
  overdueSince: string | null;
  escalationLevel: number;
  next: NextStepView | null;
  submission: (Omit<Submission, 'at'> & { at: string }) | null;
  closedAt: string | null;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function describeStep(step: ScheduledStep | null): NextStepView | null {
  if (!step) return null;
  const view: NextStepView = { kind: step.kind, at: new Date(step.at).toISOString() };
  if (step.kind === 'escalation') {
    view.level = step.level;
    view.recipientRole = step.recipientRole;
  }
  if (step.kind === 'reminder') view.recipientRole = step.recipientRole;
  return view;
}

export function viewOf(state: HazardState, now: number): HazardView {
  return {
    hazardId: state.hazardId,
    status: state.status,
    round: state.round,
    deadline: state.deadline,
    dueAt: new Date(dueInstant(state.deadline)).toISOString(),
    overdue: isOverdue(state, now),
    overdueSince: iso(state.overdueSince),
    escalationLevel: state.escalationLevel,
    next: describeStep(nextStep(state)),
    submission: state.submission ? { ...state.submission, at: new Date(state.submission.at).toISOString() } : null,
    closedAt: iso(state.closedAt),
  };
}

/** The fields of the read model a change sets; written whole, so a replayed write is harmless. */
export interface HazardSnapshot {
  status: HazardStatus;
  round: number;
  deadline: IsoDate;
  dueAt: number;
  overdueSince: number | null;
  escalationLevel: number;
  nextStepKind: ScheduledStep['kind'] | null;
  nextStepAt: number | null;
  submittedAt: number | null;
  closedAt: number | null;
  seq: number;
  updatedAt: number;
}

export function snapshotOf(state: HazardState, now: number): HazardSnapshot {
  const next = nextStep(state);
  return {
    status: state.status,
    round: state.round,
    deadline: state.deadline,
    dueAt: dueInstant(state.deadline),
    overdueSince: state.overdueSince,
    escalationLevel: state.escalationLevel,
    nextStepKind: next?.kind ?? null,
    nextStepAt: next?.at ?? null,
    submittedAt: state.submission?.at ?? null,
    closedAt: state.closedAt,
    seq: state.seq,
    updatedAt: now,
  };
}
