/**
 * A suspension's changes with what they put on record: each command and each due step applies its
 * rule (domain/suspension) and returns the state with the events it causes, shaped as the
 * workflow records them. Payloads and step keys are a persisted schema (hashed into the case's
 * chain; the key makes the recording idempotent). `now` is the change's time.
 */
import type { RecipientRole } from './policy-types';
import {
  applyResumption,
  extend,
  fireStep,
  lift,
  maximumReachedText,
  reviewOverdueText,
  reviewResumption,
  suspensionReminderText,
  type ApplyResumptionCommand,
  type ExtendCommand,
  type LiftCommand,
  type ReviewResumptionCommand,
  type SuspensionState,
  type SuspensionStep,
} from './suspension';

export interface SuspensionEvent {
  type: string;
  actor: string;
  occurredAt: number;
  data: Record<string, unknown>;
}

export interface SuspensionNotification {
  kind: 'reminder' | 'escalation';
  recipientRole: RecipientRole;
  message: string;
  scheduledAt: number;
}

/** One record of a change: its step key, its event, and the notification it sends, if any. */
export interface SuspensionRecord {
  key: string;
  event: SuspensionEvent;
  notification?: SuspensionNotification;
}

export interface SuspensionChange {
  state: SuspensionState;
  events: SuspensionRecord[];
}

/** The first record: the order as the suspension starts from it. */
export function orderedEvent(s: SuspensionState): SuspensionRecord {
  return {
    key: 'ordered',
    event: {
      type: 'ordered',
      actor: s.orderedBy,
      occurredAt: s.orderedAt,
      data: {
        enterpriseId: s.enterpriseId,
        hazardId: s.hazardId,
        origin: s.origin,
        documentNumber: s.documentNumber,
        reason: s.reason,
        scope: s.scope,
        scopeNote: s.scopeNote,
        startsOn: s.startsOn,
        plannedEnd: s.plannedEnd,
        maxDays: s.maxDays,
        maxEnd: s.maxEnd,
      },
    },
  };
}

export function resumptionRequestChange(state: SuspensionState, cmd: ApplyResumptionCommand, now: number): SuspensionChange {
  const next = applyResumption(state, cmd, now);
  const request = next.request!;
  return {
    state: next,
    events: [
      {
        key: `request-${next.rejections + 1}/requested`,
        event: {
          type: 'resumption_requested',
          actor: cmd.by,
          occurredAt: now,
          data: { note: request.note, evidence: request.evidence, selfCheck: request.selfCheck, plannedEnd: next.plannedEnd },
        },
      },
    ],
  };
}

export function resumptionReviewChange(state: SuspensionState, cmd: ReviewResumptionCommand, now: number): SuspensionChange {
  const request = state.rejections + 1;
  const next = reviewResumption(state, cmd, now);
  const key = `request-${request}/reviewed`;
  return {
    state: next,
    events: [
      cmd.decision === 'approve'
        ? { key, event: { type: 'resumption_approved', actor: cmd.by, occurredAt: now, data: { request, comment: cmd.comment ?? '' } } }
        : {
            key,
            event: { type: 'resumption_rejected', actor: cmd.by, occurredAt: now, data: { request, reasons: cmd.reasons, previousPlannedEnd: state.plannedEnd, plannedEnd: next.plannedEnd } },
          },
    ],
  };
}

export function extensionChange(state: SuspensionState, cmd: ExtendCommand, now: number): SuspensionChange {
  const next = extend(state, cmd, now);
  return {
    state: next,
    events: [
      {
        key: `extension-${next.extensions}`,
        event: { type: 'extended', actor: cmd.by, occurredAt: now, data: { previousPlannedEnd: state.plannedEnd, plannedEnd: next.plannedEnd, reason: cmd.reason.trim(), maxEnd: next.maxEnd } },
      },
    ],
  };
}

export function liftChange(state: SuspensionState, cmd: LiftCommand, now: number): SuspensionChange {
  return {
    state: lift(state, cmd, now),
    events: [{ key: 'lifted', event: { type: 'lifted', actor: cmd.by, occurredAt: now, data: { documentNumber: cmd.documentNumber.trim(), reason: cmd.reason.trim() } } }],
  };
}

/** A due step fires: a reminder, the review-overdue escalation or the maximum reached, each telling someone. */
export function stepChange(state: SuspensionState, step: SuspensionStep, now: number): SuspensionChange {
  const s = fireStep(state, step);
  const base = { occurredAt: now, actor: 'system' };
  const notify = (kind: SuspensionNotification['kind'], message: string): SuspensionNotification => ({ kind, recipientRole: step.recipientRole, message, scheduledAt: step.at });
  let record: SuspensionRecord;
  if (step.kind === 'reminder') {
    record = {
      key: step.key,
      event: { ...base, type: 'reminder_sent', data: { daysBefore: step.daysBefore, plannedEnd: s.plannedEnd, scheduledAt: step.at } },
      notification: notify('reminder', suspensionReminderText(s.documentNumber, s.plannedEnd, step.daysBefore)),
    };
  } else if (step.kind === 'review_overdue') {
    record = {
      key: step.key,
      event: { ...base, type: 'review_overdue', data: { plannedEnd: s.plannedEnd, status: s.status, recipientRole: step.recipientRole, scheduledAt: step.at } },
      notification: notify('escalation', reviewOverdueText(s.documentNumber, s.plannedEnd)),
    };
  } else {
    record = {
      key: step.key,
      event: { ...base, type: 'maximum_reached', data: { maxEnd: s.maxEnd, maxDays: s.maxDays, status: s.status, recipientRole: step.recipientRole, scheduledAt: step.at } },
      notification: notify('escalation', maximumReachedText(s.documentNumber, s.maxEnd, s.maxDays)),
    };
  }
  return { state: s, events: [record] };
}
