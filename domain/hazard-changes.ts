/**
 * The hazard's changes with what they put on record: each command and each due step applies its
 * rule (domain/hazard-lifecycle, extension, major-hazard, hazard-assignment) and returns the
 * state with the events it causes, shaped as they are recorded (domain/hazard-events). `now` is
 * the change's time.
 */
import { daysGrantedThisRound, decideExtension, extensionsOf, grantedThisRound, requestExtension, requestStepName } from './extension';
import type { ExtensionDecisionCommand, ExtensionRequestCommand } from './extension';
import { assign } from './hazard-assignment';
import type { HazardChange, HazardRecord } from './hazard-events';
import { changePolicy, fireStep, isOverdue, reopen, review, submit, voidHazard } from './hazard-lifecycle';
import type {
  AcceptanceCommand,
  AssignmentCommand,
  HazardState,
  PlanCommand,
  PolicyChangeCommand,
  ReopenCommand,
  ReviewCommand,
  SubmitCommand,
  VoidCommand,
} from './hazard-state';
import { filePlan, recordAcceptance } from './major-hazard';
import { escalationText, reminderText, reviewOverdueText } from './notification-text';
import { stepKey, type ScheduledStep } from './schedule';
import { daysBetween, dueInstant, shanghaiDate } from './shanghai-time';
import { markUrged, URGED_EVENT, urgeData, urgeRecord, urgeText, type UrgeCommand } from './urge';

export function voidChange(state: HazardState, cmd: VoidCommand, now: number): HazardChange {
  const next = voidHazard(state, cmd, now);
  return {
    state: next,
    events: [
      {
        key: stepKey(next.round, 'voided'),
        event: { type: 'voided', actor: cmd.by, occurredAt: now, data: { kind: cmd.kind, reason: cmd.reason.trim(), statusBefore: state.status } },
      },
    ],
  };
}

export function assignChange(state: HazardState, cmd: AssignmentCommand, now: number): HazardChange {
  const { state: next, from } = assign(state, cmd);
  return {
    state: next,
    events: [
      {
        key: stepKey(next.round, `assignment-s${next.seq}`),
        event: {
          type: cmd.kind === 'delegate' ? (cmd.to ? 'delegated' : 'delegation_withdrawn') : 'reassigned',
          actor: cmd.by,
          occurredAt: now,
          data: { role: cmd.kind === 'delegate' ? 'delegate' : cmd.role, from, to: cmd.to, reason: cmd.reason.trim() },
        },
      },
    ],
  };
}

/** `registeredPolicyId`: the version the hazard was registered with, until a change names another. */
export function policyChange(state: HazardState, cmd: PolicyChangeCommand, registeredPolicyId: number | null, now: number): HazardChange {
  const from = state.policyId ?? registeredPolicyId ?? null;
  const next = changePolicy(state, cmd);
  return {
    state: next,
    events: [
      {
        key: stepKey(next.round, `policy-${cmd.policyId}-s${next.seq}`),
        event: { type: 'policy_changed', actor: cmd.by, occurredAt: now, data: { fromPolicyId: from, toPolicyId: cmd.policyId, version: cmd.version, reason: cmd.reason.trim() } },
        policyChange: { policy: cmd.policy, policyId: cmd.policyId },
      },
    ],
  };
}

export function planChange(state: HazardState, cmd: PlanCommand, now: number): HazardChange {
  const next = filePlan(state, cmd, now);
  const { by: _by, at: _at, ...plan } = next.plan!;
  return { state: next, events: [{ key: stepKey(next.round, `plan-v${plan.version}`), event: { type: 'plan_filed', actor: cmd.by, occurredAt: now, data: plan } }] };
}

export function acceptanceChange(state: HazardState, cmd: AcceptanceCommand, now: number): HazardChange {
  const next = recordAcceptance(state, cmd, now);
  const acceptance = next.acceptances!.at(-1)!;
  return {
    state: next,
    events: [
      {
        key: stepKey(next.round, `acceptance-${cmd.party}-s${next.seq}`),
        event: {
          type: 'acceptance_recorded',
          actor: cmd.by,
          occurredAt: now,
          data: { round: acceptance.round, party: acceptance.party, passed: acceptance.passed, opinion: acceptance.opinion, signatory: acceptance.signatory },
        },
      },
    ],
  };
}

/** The submission, and the lapse of an extension request it leaves nothing to move for. */
export function submitChange(state: HazardState, cmd: SubmitCommand, now: number): HazardChange {
  const lapsed = extensionsOf(state).pending;
  const next = submit(state, cmd, now);
  const events: HazardRecord[] = [
    {
      key: stepKey(next.round, 'submitted'),
      event: {
        type: 'rectification_submitted',
        actor: cmd.by,
        occurredAt: now,
        data: {
          evidence: cmd.evidence,
          note: cmd.note ?? '',
          lateBy: next.overdueSince ? now - next.overdueSince : 0,
          ...(cmd.manifestHash ? { manifestHash: cmd.manifestHash } : {}),
        },
      },
      ...(cmd.manifestHash ? { freezeEvidence: { fileIds: cmd.evidence, round: next.round, manifestHash: cmd.manifestHash } } : {}),
    },
  ];
  if (lapsed) {
    events.push({
      key: stepKey(next.round, `${requestStepName(lapsed.number)}/lapsed`),
      event: {
        type: 'extension_lapsed',
        actor: cmd.by,
        occurredAt: now,
        data: { round: next.round, request: lapsed.number, requestedDeadline: lapsed.requestedDeadline, requestedBy: lapsed.by, because: 'rectification_submitted' },
      },
    });
  }
  return { state: next, events };
}

/**
 * Whether the round being closed was rectified by its deadline. The closure carries the verdict:
 * a later reopening gives the hazard a new deadline, and the figures must not judge the old
 * closure against it.
 */
function closedOnTime(state: HazardState): boolean {
  return state.submission !== null && state.submission.at <= dueInstant(state.deadline);
}

export function reviewChange(state: HazardState, cmd: ReviewCommand, now: number): HazardChange {
  const round = state.round;
  const next = review(state, cmd, now);
  const key = stepKey(round, 'reviewed');
  return {
    state: next,
    events: [
      cmd.decision === 'accept'
        ? { key, event: { type: 'review_accepted', actor: cmd.by, occurredAt: now, data: { round, comment: cmd.comment ?? '', onTime: closedOnTime(state) } } }
        : { key, event: { type: 'review_rejected', actor: cmd.by, occurredAt: now, data: { round, reasons: cmd.reasons, newDeadline: cmd.newDeadline } } },
    ],
  };
}

export function extensionRequestChange(state: HazardState, cmd: ExtensionRequestCommand, now: number): HazardChange {
  const next = requestExtension(state, cmd, now);
  const request = extensionsOf(next).pending!;
  return {
    state: next,
    events: [
      {
        key: stepKey(next.round, `${requestStepName(request.number)}/requested`),
        event: {
          type: 'extension_requested',
          actor: cmd.by,
          occurredAt: now,
          data: {
            round: next.round,
            request: request.number,
            requestedDeadline: request.requestedDeadline,
            reason: request.reason,
            currentDeadline: state.deadline,
            originalDeadline: extensionsOf(next).originalDeadline,
          },
        },
      },
    ],
  };
}

export function extensionDecisionChange(state: HazardState, cmd: ExtensionDecisionCommand, now: number): HazardChange {
  const request = extensionsOf(state).pending!;
  const next = decideExtension(state, cmd, now);
  const base = { round: next.round, request: request.number, requestedDeadline: request.requestedDeadline, requestedBy: request.by };
  const key = stepKey(next.round, `${requestStepName(request.number)}/${cmd.decision === 'approve' ? 'approved' : 'denied'}`);
  if (cmd.decision !== 'approve') {
    return { state: next, events: [{ key, event: { type: 'extension_denied', actor: cmd.by, occurredAt: now, data: { ...base, reason: cmd.reason.trim() } } }] };
  }
  const granted = grantedThisRound(next).at(-1)!;
  const data = {
    ...base,
    extension: granted.number,
    previousDeadline: state.deadline,
    newDeadline: next.deadline,
    days: daysBetween(state.deadline, next.deadline),
    totalDays: daysGrantedThisRound(next),
  };
  return { state: next, events: [{ key, event: { type: 'extension_approved', actor: cmd.by, occurredAt: now, data } }] };
}

/** Reopening a closed hazard; `cmd.at` is when it was asked for, the event's time. */
export function reopenChange(state: HazardState, cmd: ReopenCommand & { at: number }): HazardChange {
  const next = reopen(state, cmd, cmd.at);
  return {
    state: next,
    events: [
      {
        key: stepKey(next.round, 'reopened'),
        event: { type: 'reopened', actor: cmd.by, occurredAt: cmd.at, data: { reason: cmd.reason.trim(), newDeadline: cmd.newDeadline, closedAt: state.closedAt, round: next.round } },
      },
    ],
  };
}

/** A leader's urge (催办): on the trail, and told to the enterprise and the supervisor. `title`: the hazard's. */
export function urgeChange(state: HazardState, cmd: UrgeCommand, title: string, now: number): HazardChange {
  const next = markUrged(state, now);
  const overdue = isOverdue(state, now);
  return {
    state: next,
    events: [
      {
        key: stepKey(next.round, `urged-s${next.seq}`),
        event: { type: URGED_EVENT, actor: cmd.by, occurredAt: now, data: urgeData(cmd, { status: state.status, deadline: state.deadline, overdue }) },
        urge: urgeRecord(cmd, urgeText('hazard', title, state.deadline, overdue, cmd.message ?? '')),
      },
    ],
  };
}

/** The hazard joins a supervision notice. */
export function noticeAttachedChange(state: HazardState, link: { noticeId: string; workflowId: string }, now: number): HazardChange {
  return {
    state: { ...state, notices: [...(state.notices ?? []), link], seq: state.seq + 1 },
    events: [{ key: `notice-${link.noticeId}/attached`, event: { type: 'notice_attached', actor: 'system', occurredAt: now, data: { noticeId: link.noticeId } } }],
  };
}

/** A due step fires: the reminder, escalation or review-overdue notice it sends, or the overdue mark. `title`: the hazard's. */
export function stepChange(state: HazardState, step: ScheduledStep, title: string, now: number): HazardChange {
  const next = fireStep(state, step);
  const base = { occurredAt: now, actor: 'system' };
  let record: HazardRecord;
  if (step.kind === 'reminder') {
    record = {
      key: step.key,
      event: { ...base, type: 'reminder_sent', data: { daysBefore: step.daysBefore, scheduledAt: step.at } },
      notification: { kind: 'reminder', recipientRole: step.recipientRole, level: null, message: reminderText(title, next.deadline, step.daysBefore), scheduledAt: step.at },
    };
  } else if (step.kind === 'review_overdue') {
    const submittedAt = next.submission!.at;
    const reviewDue = next.reviewDue!.date;
    record = {
      key: step.key,
      event: { ...base, type: 'review_overdue', data: { submittedAt, reviewDue, recipientRole: step.recipientRole, scheduledAt: step.at } },
      notification: {
        kind: 'escalation',
        recipientRole: step.recipientRole,
        level: null,
        message: reviewOverdueText(title, shanghaiDate(submittedAt), reviewDue),
        scheduledAt: step.at,
      },
    };
  } else if (step.kind === 'overdue') {
    record = { key: step.key, event: { ...base, type: 'became_overdue', data: { deadline: next.deadline, round: next.round } } };
  } else {
    record = {
      key: step.key,
      event: { ...base, type: 'escalated', data: { afterDays: step.afterDays, level: step.level, recipientRole: step.recipientRole, scheduledAt: step.at } },
      notification: {
        kind: 'escalation',
        recipientRole: step.recipientRole,
        level: step.level,
        message: escalationText(title, next.deadline, step.afterDays, step.level),
        scheduledAt: step.at,
      },
    };
  }
  return { state: next, events: [record] };
}
