/**
 * What a hazard's changes put on record: each change of state comes with the events it causes,
 * shaped here so the workflow records them as they are. An event's payload and its step key are
 * a persisted schema (hashed into the audit chain; the key makes the recording idempotent): a
 * change here changes every record written after it.
 */
import type { CalendarChange } from './hazard-calendar';
import type { HazardState, NewHazard } from './hazard-state';
import type { HazardPolicy, RecipientRole } from './policy-types';
import { stepKey } from './schedule';
import type { UrgeRecord } from './urge';

/** Who did what, when, and the facts of it. */
export interface HazardEvent {
  type: string;
  actor: string;
  occurredAt: number;
  data: Record<string, unknown>;
}

/** The message a step sends to the people it concerns. */
export interface HazardNotification {
  kind: 'reminder' | 'escalation' | 'urge';
  recipientRole: RecipientRole;
  level: number | null;
  message: string;
  scheduledAt: number;
}

/** One record of a change: its step key, its event, and what else lands in the same transaction. */
export interface HazardRecord {
  key: string;
  event: HazardEvent;
  notification?: HazardNotification;
  /** A change of policy version rewrites the record's policy. */
  policyChange?: { policy: HazardPolicy; policyId: number };
  /** A submission freezes its evidence files into the round's set. */
  freezeEvidence?: { fileIds: string[]; round: number; manifestHash: string };
  /** An urge (催办) writes its own row and tells each of its recipients. */
  urge?: UrgeRecord;
}

/** A change of a hazard: the state it leaves and the records it causes, in order. */
export interface HazardChange {
  state: HazardState;
  events: HazardRecord[];
}

/** The first record of a hazard: what it was ordered with. */
export function registeredEvent(hazard: NewHazard, by: string, now: number): HazardRecord {
  return {
    key: stepKey(0, 'registered'),
    event: {
      type: 'registered',
      actor: by,
      occurredAt: now,
      data: {
        deadline: hazard.deadline,
        grade: hazard.grade,
        policy: hazard.policy,
        ...(hazard.deadlineRule ? { deadlineRule: hazard.deadlineRule } : {}),
        ...(hazard.listingLevel ? { listingLevel: hazard.listingLevel } : {}),
        ...(hazard.assignment ? { assignment: hazard.assignment } : {}),
      },
    },
  };
}

/** A published calendar year applied to the hazard, keyed by the state it left (`state`). */
export function calendarAppliedEvent(state: HazardState, change: CalendarChange, now: number): HazardRecord {
  return {
    key: stepKey(state.round, `calendar-${change.year}-s${state.seq}`),
    event: { type: 'calendar_applied', actor: 'system', occurredAt: now, data: { ...change } },
  };
}
