/** What anyone asking about a hazard sees: its state now and what happens next, and when. */
import {
  daysGrantedThisRound,
  extensionPolicyOf,
  extensionsOf,
  grantedThisRound,
  latestExtendedDeadline,
  type GrantedExtension,
} from './extension';
import { isOverdue, nextStep, type HazardState, type HazardStatus, type Submission, type VoidRecord } from './hazard-lifecycle';
import { provisionalDates, type DeadlineBasis } from './hazard-calendar';
import { assignmentOf, type Assignment } from './hazard-assignment';
import { acceptancesOutstanding, roundAcceptances, type Acceptance, type ListingLevel, type PlanRecord } from './major-hazard';
import type { ExtensionPolicy } from './policy-types';
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
  extension: ExtensionView;
  /** Some date counted into a calendar year not yet published (either of the two below). */
  provisional: boolean;
  /** The deadline itself was so counted (期限待定). */
  deadlineProvisional: boolean;
  /** Only steps after it (escalations ahead, the review deadline) were: they may move. */
  laterStepsProvisional: boolean;
  deadlineRule: DeadlineBasis | null;
  reviewDue: IsoDate | null;
  reviewOverdue: boolean;
  voided: (Omit<VoidRecord, 'at'> & { at: string }) | null;
  assignment: Assignment;
  listingLevel: ListingLevel | null;
  plan: (Omit<PlanRecord, 'at'> & { at: string }) | null;
  /** Major hazards: this round's acceptances by party, and the parties still to pass. */
  acceptances: Array<Omit<Acceptance, 'at'> & { at: string }>;
  acceptancesOutstanding: string[];
  reopenings: number;
}

/** The pending request, if any, and what has been granted: this round against its limits, and ever. */
export interface ExtensionView {
  pending: { number: number; requestedDeadline: IsoDate; reason: string; by: string; at: string } | null;
  /** The deadline this round was ordered with. */
  originalDeadline: IsoDate;
  /** Granted in this round, and the calendar days they added. */
  count: number;
  totalDays: number;
  /** The latest date this round's deadline may still be extended to. */
  latestDeadline: IsoDate;
  limits: ExtensionPolicy;
  granted: Array<Omit<GrantedExtension, 'at'> & { at: string }>;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function describeStep(step: ScheduledStep | null): NextStepView | null {
  if (!step) return null;
  const view: NextStepView = { kind: step.kind, at: new Date(step.at).toISOString() };
  if (step.kind === 'escalation') {
    view.level = step.level;
    view.recipientRole = step.recipientRole;
  }
  if (step.kind === 'reminder' || step.kind === 'review_overdue') view.recipientRole = step.recipientRole;
  return view;
}

export function extensionViewOf(state: HazardState): ExtensionView {
  const ext = extensionsOf(state);
  return {
    pending: ext.pending ? { ...ext.pending, at: new Date(ext.pending.at).toISOString() } : null,
    originalDeadline: ext.originalDeadline,
    count: grantedThisRound(state).length,
    totalDays: daysGrantedThisRound(state),
    latestDeadline: latestExtendedDeadline(state),
    limits: extensionPolicyOf(state.policy),
    granted: ext.granted.map((g) => ({ ...g, at: new Date(g.at).toISOString() })),
  };
}

export function viewOf(state: HazardState, now: number): HazardView {
  const provisional = provisionalDates(state);
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
    extension: extensionViewOf(state),
    provisional: provisional.deadline || provisional.laterSteps,
    deadlineProvisional: provisional.deadline,
    laterStepsProvisional: provisional.laterSteps,
    deadlineRule: state.deadlineRule ?? null,
    reviewDue: state.reviewDue?.date ?? null,
    reviewOverdue: state.reviewOverdueSince != null,
    voided: state.voided ? { ...state.voided, at: new Date(state.voided.at).toISOString() } : null,
    assignment: assignmentOf(state),
    listingLevel: state.listingLevel ?? null,
    plan: state.plan ? { ...state.plan, at: new Date(state.plan.at).toISOString() } : null,
    acceptances: Object.values(roundAcceptances(state)).map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
    acceptancesOutstanding: acceptancesOutstanding(state),
    reopenings: state.reopenings ?? 0,
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
  /** The deadline the current round was ordered with, before extensions. */
  originalDeadline: IsoDate;
  /** The request awaiting a decision, for the ledger and the record. */
  extensionRequest: { requestedDeadline: IsoDate; reason: string; by: string; at: number } | null;
  /** Extensions granted: in the hazard's whole life, and in the current round. */
  extensionsGranted: number;
  roundExtensions: number;
  // Absent in snapshots written by older workflow code.
  provisional?: boolean;
  // Absent in snapshots written before the deadline and the later steps were told apart.
  deadlineProvisional?: boolean;
  laterStepsProvisional?: boolean;
  deadlineRule?: DeadlineBasis | null;
  reviewDueAt?: number | null;
  reviewOverdueSince?: number | null;
  voided?: VoidRecord | null;
  assignment?: Assignment;
  listingLevel?: ListingLevel | null;
  plan?: PlanRecord | null;
  acceptances?: Acceptance[];
  reopenings?: number;
  seq: number;
  updatedAt: number;
}

export function snapshotOf(state: HazardState, now: number): HazardSnapshot {
  const next = nextStep(state);
  const ext = extensionsOf(state);
  const provisional = provisionalDates(state);
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
    originalDeadline: ext.originalDeadline,
    extensionRequest: ext.pending
      ? { requestedDeadline: ext.pending.requestedDeadline, reason: ext.pending.reason, by: ext.pending.by, at: ext.pending.at }
      : null,
    extensionsGranted: ext.granted.length,
    roundExtensions: grantedThisRound(state).length,
    provisional: provisional.deadline || provisional.laterSteps,
    deadlineProvisional: provisional.deadline,
    laterStepsProvisional: provisional.laterSteps,
    deadlineRule: state.deadlineRule ?? null,
    reviewDueAt: state.reviewDue ? dueInstant(state.reviewDue.date) : null,
    reviewOverdueSince: state.reviewOverdueSince ?? null,
    voided: state.voided ?? null,
    assignment: assignmentOf(state),
    listingLevel: state.listingLevel ?? null,
    plan: state.plan ?? null,
    acceptances: Object.values(roundAcceptances(state)),
    reopenings: state.reopenings ?? 0,
    seq: state.seq,
    updatedAt: now,
  };
}
