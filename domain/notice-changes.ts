/**
 * A notice's changes with what they put on record: its issue, each command, each due step, each
 * hazard's outcome and each calendar year applies its rule (domain/notice-lifecycle) and returns
 * the state with the events it causes, shaped as the workflow records them. Payloads and step
 * keys are a persisted schema (hashed into the case's chain; the key makes the recording
 * idempotent). `now` is the change's time; an id the workflow makes (a decision's) is passed in;
 * a number the record issues (the notice's, an instrument's) is taken into the state afterwards.
 */
import type { UrgeRecord } from './urge';
import type { DecisionKind, InstrumentKind } from './instruments';
import {
  close,
  decide,
  extendDeadline,
  fireNoticeStep,
  initialNoticeState,
  isProvisional,
  recalendar,
  settleHazard,
  sign,
  type ConfirmCompletionCommand,
  type DecideCommand,
  type ExtendDeadlineCommand,
  type HazardSettlement,
  type NewNotice,
  type NoticeState,
  type SignCommand,
} from './notice-lifecycle';
import type { NoticeStep } from './notice-schedule';
import { decisionText, instrumentText, signEscalationText } from './notice-text';
import type { HazardGrade, NoticePolicy, RecipientRole } from './policy-types';
import type { YearCalendar } from './work-calendar';

/** What the first record writes of the notice: addressee, texts, agency, who issued it. */
export interface NoticeIssue {
  agency: string;
  enterpriseId: string | null;
  addressee: string | null;
  addresseeRegionId: string | null;
  regionPath: string;
  title: string;
  requirements: string;
  legalBasis: string;
  grade: HazardGrade;
  policy: NoticePolicy;
  policyId: number | null;
  issuedBy: string;
  hazardIds: string[];
}

/** Who did what, when, and the facts of it. */
export interface NoticeEvent {
  type: string;
  actor: string;
  occurredAt: number;
  data: Record<string, unknown>;
}

/** One record of a change: its step key, its event, and what else lands in the same transaction. */
export interface NoticeRecord {
  key: string;
  event: NoticeEvent;
  /** The first record only: creates the notice's record and issues its own number. */
  issue?: NoticeIssue;
  /** A ladder step: issue a numbered instrument of this kind under the notice's agency. */
  instrument?: { kind: InstrumentKind; recipientRole: RecipientRole };
  /** An instrument's message names its number as `{code}`, known only once it is recorded. */
  notification?: { kind: string; recipientRole: RecipientRole; message: string; scheduledAt: number };
  decisionOpened?: { id: string; kind: DecisionKind; deciderRole: RecipientRole; openedAt: number };
  decisionDecided?: { id: string; status: 'taken' | 'declined'; documentNumber: string | null; reason: string; decidedBy: string; decidedAt: number };
  /** Pending decisions that lapse as the notice closes. */
  decisionsLapsed?: string[];
  hazardOutcome?: { hazardId: string; outcome: HazardSettlement };
  /** An urge (催办): its row and its notifications. */
  urge?: UrgeRecord;
}

/** A change of a notice: the state it leaves and the records it causes, in order (none: nothing to record). */
export interface NoticeChange {
  state: NoticeState;
  events: NoticeRecord[];
}

const one = (state: NoticeState, record: NoticeRecord): NoticeChange => ({ state, events: [record] });

/** The notice issued on the calendar years it was counted with. */
export function issuedChange(notice: NewNotice, years: YearCalendar[], issue: NoticeIssue, now: number): NoticeChange {
  const s = initialNoticeState(notice, years, now);
  const data = {
    deadline: s.deadline,
    deadlineRule: s.deadlineRule,
    provisional: isProvisional(s),
    signDue: s.enterpriseId ? s.signDue : null,
    grade: s.grade,
    hazardIds: s.hazards.map((h) => h.hazardId),
    agency: issue.agency,
  };
  return one(s, { key: 'issued', event: { type: 'issued', actor: issue.issuedBy, occurredAt: now, data }, issue });
}

/** The notice's own number, as its first record issued it. */
export function noticeNumbered(s: NoticeState, code: string | null): NoticeState {
  return { ...s, code: code ?? '' };
}

/** An instrument's number, as the record of its step issued it. */
export function instrumentNumbered(s: NoticeState, stepKey: string, code: string | null): NoticeState {
  return { ...s, instruments: s.instruments.map((i) => (i.stepKey === stepKey ? { ...i, code: code ?? '' } : i)) };
}

export function signChange(state: NoticeState, cmd: SignCommand, now: number): NoticeChange {
  const s = sign(state, cmd, now);
  return one(s, { key: 'signed', event: { type: 'signed', actor: cmd.by, occurredAt: now, data: { late: s.signedLate, signDue: s.signDue } } });
}

export function decisionChange(state: NoticeState, cmd: DecideCommand, now: number): NoticeChange {
  const s = decide(state, cmd, now);
  const d = s.decisions.find((x) => x.id === cmd.decisionId)!;
  return one(s, {
    key: `${d.stepKey}/${d.status}`,
    event: { type: `decision_${d.status}`, actor: cmd.by, occurredAt: now, data: { decisionId: d.id, kind: d.kind, documentNumber: d.documentNumber, reason: d.reason } },
    decisionDecided: { id: d.id, status: cmd.outcome, documentNumber: d.documentNumber, reason: d.reason!, decidedBy: cmd.by, decidedAt: now },
  });
}

/** Calendar years fetched for dates the notice counted into them, taken in without a record of their own. */
export function withYears(state: NoticeState, years: readonly YearCalendar[]): NoticeState {
  return years.reduce((s, year) => recalendar(s, year).state, state);
}

/**
 * The deadline moves and the ladder restarts against it. `years`: the calendar years the moved
 * dates reach that the notice lacked, fetched for it (taken in after the move).
 */
export function extensionChange(state: NoticeState, cmd: ExtendDeadlineCommand, years: readonly YearCalendar[], now: number): NoticeChange {
  const s = withYears(extendDeadline(state, cmd), years);
  return one(s, {
    key: `ext-${s.extensions}/extended`,
    event: { type: 'deadline_extended', actor: cmd.by, occurredAt: now, data: { from: state.deadline, to: s.deadline, reason: cmd.reason.trim() } },
  });
}

/** The notice closes; decisions still pending lapse. `data`: why, for the record. */
function closing(state: NoticeState, by: string, data: Record<string, unknown>, now: number): NoticeChange {
  const lapsed = state.decisions.filter((d) => d.status === 'pending').map((d) => d.id);
  return one(close(state, now, by), {
    key: 'closed',
    event: { type: 'closed', actor: by, occurredAt: now, data: { ...data, lapsedDecisions: lapsed } },
    decisionsLapsed: lapsed,
  });
}

/** A notice without hazards closes on a supervisor's confirmation. */
export function confirmationChange(state: NoticeState, cmd: ConfirmCompletionCommand, now: number): NoticeChange {
  return closing(state, cmd.by, { because: 'completion_confirmed', reason: cmd.reason.trim() }, now);
}

/** A notice whose hazards are all closed or void closes by itself. */
export function settledChange(state: NoticeState, now: number): NoticeChange {
  return closing(state, 'system', { because: 'hazards_settled' }, now);
}

/** A hazard's outcome as it signalled it; nothing is recorded when it changes nothing. */
export function hazardOutcomeChange(
  state: NoticeState,
  o: { hazardId: string; outcome: 'closed' | 'void' | 'reopened'; at: number; by: string },
  now: number,
): NoticeChange {
  const s = settleHazard(state, o.hazardId, o.outcome);
  if (s === state) return { state, events: [] };
  const settlement = s.hazards.find((h) => h.hazardId === o.hazardId)!.settlement;
  return one(s, {
    key: `hazard-${o.hazardId}/${s.seq}`,
    event: { type: `hazard_${o.outcome}`, actor: o.by || 'system', occurredAt: now, data: { hazardId: o.hazardId, outcome: o.outcome, at: o.at } },
    hazardOutcome: { hazardId: o.hazardId, outcome: settlement },
  });
}

/**
 * A hazard found already closed or void as the notice links its hazards: `status` is what the
 * read model says of it. Any other status (open, missing) changes nothing.
 */
export function settledAtIssueChange(state: NoticeState, hazardId: string, status: string, now: number): NoticeChange {
  if (status !== 'closed' && status !== 'void') return { state, events: [] };
  const s = settleHazard(state, hazardId, status);
  if (s === state) return { state, events: [] };
  return one(s, {
    key: `hazard-${hazardId}/${s.seq}`,
    event: { type: `hazard_${status}`, actor: 'system', occurredAt: now, data: { hazardId, outcome: status, atIssue: true } },
    hazardOutcome: { hazardId, outcome: status },
  });
}

/**
 * A calendar year was published: dates counted into it are counted again. Recorded when a date
 * moved, or when the notice had provisional dates (whether it still has is recorded).
 */
export function calendarChange(state: NoticeState, year: YearCalendar, now: number): NoticeChange {
  const { state: s, moved } = recalendar(state, year);
  const key = `calendar-${year.year}/${s.seq}`;
  if (moved.length) return one(s, { key, event: { type: 'deadline_recomputed', actor: 'system', occurredAt: now, data: { year: year.year, moved } } });
  if (isProvisional(state)) return one(s, { key, event: { type: 'calendar_applied', actor: 'system', occurredAt: now, data: { year: year.year, provisional: isProvisional(s) } } });
  return { state: s, events: [] };
}

/** A calendar year fetched before a step counted into it fired, recorded against the state it left (`state`). */
export function yearFetchedEvent(state: NoticeState, year: number, now: number): NoticeRecord {
  return { key: `calendar-${year}/${state.seq}`, event: { type: 'calendar_applied', actor: 'system', occurredAt: now, data: { year, provisional: isProvisional(state) } } };
}

/**
 * A due step fires: the sign escalation, the overdue mark, a numbered instrument (its number
 * comes back from the record: the message says `{code}`) or a decision opened for people, under
 * `decisionId`. `title`: the notice's.
 */
export function stepChange(state: NoticeState, step: NoticeStep, title: string, now: number, decisionId?: string): NoticeChange {
  const base = { actor: 'system', occurredAt: now };
  const scheduledAt = step.at;
  if (step.kind === 'sign_escalation') {
    return one(fireNoticeStep(state, step), {
      key: step.key,
      event: { type: 'sign_escalated', ...base, data: { signDue: state.signDue, recipientRole: step.recipientRole, scheduledAt } },
      notification: { kind: 'sign_escalation', recipientRole: step.recipientRole, message: signEscalationText(state.code, title, state.signDue), scheduledAt },
    });
  }
  if (step.kind === 'overdue') {
    return one(fireNoticeStep(state, step), { key: step.key, event: { type: 'became_overdue', ...base, data: { deadline: state.deadline } } });
  }
  if (step.kind === 'instrument') {
    const { instrument: kind, recipientRole, level, afterDays } = step;
    return one(fireNoticeStep(state, step), {
      key: step.key,
      event: { type: 'instrument_issued', ...base, data: { instrument: kind, recipientRole, level, afterDays, scheduledAt } },
      instrument: { kind, recipientRole },
      notification: { kind, recipientRole, message: instrumentText(kind, '{code}', state.code, title, state.deadline, afterDays), scheduledAt },
    });
  }
  if (!decisionId) throw new Error(`a decision step (${step.key}) opens its decision under an id the workflow gives`);
  const { decision: kind, deciderRole, afterDays } = step;
  return one(fireNoticeStep(state, step, { decisionId }), {
    key: step.key,
    event: { type: 'decision_opened', ...base, data: { decisionId, kind, deciderRole, afterDays, scheduledAt } },
    decisionOpened: { id: decisionId, kind, deciderRole, openedAt: step.at },
    notification: { kind: 'decision', recipientRole: deciderRole, message: decisionText(kind, state.code, title, state.deadline, afterDays), scheduledAt },
  });
}
