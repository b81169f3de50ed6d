/**
 * The life of a supervision notice (督办通知) as a pure state machine: issued → signed → closed,
 * with the sign escalation, the overdue ladder of instruments and the decisions it opens. The
 * workflow drives it with time and messages; everything here is deterministic and free of I/O.
 */
import type { DecisionKind, InstrumentKind } from './instruments';
import { DEFAULT_NOTICE_POLICIES } from './policy-defaults';
import { POST_RANKS, postOf } from './posts';
import type { DayUnit, DeadlineRule, HazardGrade, HazardPolicy, NoticePolicy, RecipientRole } from './policy-types';
import type { Refusal } from './refusal';
import { planLadder, planSignEscalation, signDueDate, type NoticeStep } from './notice-schedule';
import { dueInstant, isIsoDate, shanghaiDate, type IsoDate } from './shanghai-time';
import { countDays, WorkCalendar, type YearCalendar } from './work-calendar';

export const NOTICE_STATUSES = ['issued', 'signed', 'closed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];
export type HazardSettlement = 'open' | 'closed' | 'void';
export const DECISION_STATUSES = ['pending', 'taken', 'declined', 'lapsed'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export interface NoticeDecision {
  id: string;
  kind: DecisionKind;
  deciderRole: RecipientRole;
  stepKey: string;
  openedAt: number;
  status: DecisionStatus;
  documentNumber: string | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: number | null;
}

export interface IssuedInstrument {
  stepKey: string;
  kind: InstrumentKind;
  recipientRole: RecipientRole;
  code: string;
  at: number;
}

export interface NoticeState {
  noticeId: string;
  /** The notice's own instrument number, once issued. */
  code: string;
  /** The enterprise addressed, or null for a notice to a government body or department. */
  enterpriseId: string | null;
  grade: HazardGrade;
  policy: NoticePolicy;
  dayUnit: DayUnit;
  issuedOn: IsoDate;
  issuedAt: number;
  deadline: IsoDate;
  /** The rule the deadline was computed by (null: given by the issuer or moved by an extension). */
  deadlineRule: DeadlineRule | null;
  deadlineProvisional: boolean;
  signDue: IsoDate;
  signProvisional: boolean;
  /** Published calendar years the dates were counted with. */
  calendar: YearCalendar[];
  status: NoticeStatus;
  signedBy: string | null;
  signedAt: number | null;
  signedLate: boolean;
  hazards: Array<{ hazardId: string; settlement: HazardSettlement }>;
  /** Extensions of the deadline so far: the ladder's current segment. */
  extensions: number;
  fired: string[];
  overdueSince: number | null;
  ladderLevel: number;
  instruments: IssuedInstrument[];
  decisions: NoticeDecision[];
  closedAt: number | null;
  closedBy: string | null;
  seq: number;
}

export interface NewNotice {
  noticeId: string;
  enterpriseId: string | null;
  grade: HazardGrade;
  policy: NoticePolicy;
  dayUnit: DayUnit;
  hazardIds: string[];
  /** The issuer's deadline; absent: computed from `rule`. */
  deadline?: IsoDate;
  rule: DeadlineRule;
}

/** The notice policy a stored hazard policy version gives a grade (versions without the section: the defaults). */
export function noticePolicyOf(policy: Pick<HazardPolicy, 'notice'> | null | undefined, grade: HazardGrade): NoticePolicy {
  return policy?.notice ?? DEFAULT_NOTICE_POLICIES[grade];
}

/** A notice is major when any of its hazards is. */
export function noticeGrade(hazardGrades: readonly HazardGrade[]): HazardGrade {
  return hazardGrades.includes('major') ? 'major' : 'general';
}

/** The dates a notice is issued with: its deadline (given, or counted by the rule) and the last day to sign. */
export interface NoticeDates {
  issuedOn: IsoDate;
  deadline: IsoDate;
  /** The rule that counted the deadline (null: the issuer gave it). */
  deadlineRule: DeadlineRule | null;
  deadlineProvisional: boolean;
  signDue: IsoDate;
  signProvisional: boolean;
}

/**
 * The dates of a notice issued at `now` on the calendar of `years`. Issuing and previewing both
 * count here, so what a person is shown before issuing is what the notice gets.
 */
export function noticeDates(n: Pick<NewNotice, 'deadline' | 'rule' | 'policy' | 'dayUnit' | 'enterpriseId'>, years: YearCalendar[], now: number): NoticeDates {
  const calendar = new WorkCalendar(years);
  const issuedOn = shanghaiDate(now);
  const computed = n.deadline ? null : countDays(calendar, issuedOn, n.rule.days, n.rule.unit);
  const sign = signDueDate(calendar, issuedOn, n.policy, n.dayUnit);
  return {
    issuedOn,
    deadline: n.deadline ?? computed!.date,
    deadlineRule: computed ? n.rule : null,
    deadlineProvisional: computed?.provisional ?? false,
    signDue: sign.date,
    signProvisional: n.enterpriseId !== null && sign.provisional,
  };
}

export function initialNoticeState(n: NewNotice, years: YearCalendar[], now: number): NoticeState {
  const dates = noticeDates(n, years, now);
  return {
    noticeId: n.noticeId,
    code: '',
    enterpriseId: n.enterpriseId,
    grade: n.grade,
    policy: n.policy,
    dayUnit: n.dayUnit,
    issuedOn: dates.issuedOn,
    issuedAt: now,
    deadline: dates.deadline,
    deadlineRule: dates.deadlineRule,
    deadlineProvisional: dates.deadlineProvisional,
    signDue: dates.signDue,
    signProvisional: dates.signProvisional,
    calendar: years,
    status: 'issued',
    signedBy: null,
    signedAt: null,
    signedLate: false,
    hazards: n.hazardIds.map((hazardId) => ({ hazardId, settlement: 'open' })),
    extensions: 0,
    fired: [],
    overdueSince: null,
    ladderLevel: 0,
    instruments: [],
    decisions: [],
    closedAt: null,
    closedBy: null,
    seq: 1,
  };
}

export const calendarOf = (s: NoticeState) => new WorkCalendar(s.calendar);
export const openHazards = (s: NoticeState) => s.hazards.filter((h) => h.settlement === 'open').length;
/**
 * Which dates of the notice were counted into a year without calendar data: the deadline itself
 * (期限待定), or only other dates (the sign-by date while unsigned, steps of the ladder ahead).
 */
export function provisionalNoticeDates(s: NoticeState): { deadline: boolean; laterSteps: boolean } {
  if (s.status === 'closed') return { deadline: false, laterSteps: false };
  const laterSteps = (s.status === 'issued' && s.signProvisional) || pendingNoticeSteps(s).some((st) => st.provisional);
  return { deadline: s.deadlineProvisional, laterSteps };
}
export const isProvisional = (s: NoticeState) => {
  const p = provisionalNoticeDates(s);
  return p.deadline || p.laterSteps;
};

/** Steps still to come, in time order: the sign escalation until signed, then the ladder of the current deadline. */
export function pendingNoticeSteps(s: NoticeState): NoticeStep[] {
  if (s.status === 'closed') return [];
  const cal = calendarOf(s);
  const fired = new Set(s.fired);
  const steps: NoticeStep[] = [];
  if (s.enterpriseId !== null && s.status === 'issued') steps.push(planSignEscalation(cal, s.issuedOn, s.policy, s.dayUnit));
  steps.push(...planLadder(cal, s.deadline, s.policy, s.dayUnit, s.extensions));
  return steps.filter((st) => !fired.has(st.key)).sort((a, b) => a.at - b.at);
}

export function nextNoticeStep(s: NoticeState): NoticeStep | null {
  return pendingNoticeSteps(s)[0] ?? null;
}

/** Applies a timed step; an instrument step takes the code the activity issued, a decision step the new decision's id. */
export function fireNoticeStep(s: NoticeState, step: NoticeStep, extra: { code?: string; decisionId?: string } = {}): NoticeState {
  const next: NoticeState = { ...s, fired: [...s.fired, step.key], seq: s.seq + 1 };
  if (step.kind === 'overdue') next.overdueSince = step.at;
  if (step.kind === 'instrument') {
    next.ladderLevel = Math.max(s.ladderLevel, step.level);
    next.instruments = [...s.instruments, { stepKey: step.key, kind: step.instrument, recipientRole: step.recipientRole, code: extra.code ?? '', at: step.at }];
  }
  if (step.kind === 'decision') {
    next.decisions = [
      ...s.decisions,
      {
        id: extra.decisionId ?? step.key,
        kind: step.decision,
        deciderRole: step.deciderRole,
        stepKey: step.key,
        openedAt: step.at,
        status: 'pending',
        documentNumber: null,
        reason: null,
        decidedBy: null,
        decidedAt: null,
      },
    ];
  }
  return next;
}

/** A command refused: `not_allowed` when the notice is in the wrong state, `invalid` for bad input. */
/** A notice refuses commands as every workflow does (domain/refusal.ts). */
export type NoticeRefusal = Refusal;

export interface SignCommand {
  by: string;
}
export interface DecideCommand {
  decisionId: string;
  outcome: 'taken' | 'declined';
  documentNumber?: string;
  reason: string;
  by: string;
}
export interface ExtendDeadlineCommand {
  newDeadline: IsoDate;
  reason: string;
  by: string;
}
export interface ConfirmCompletionCommand {
  reason: string;
  by: string;
}

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

function closedRefusal(s: NoticeState): NoticeRefusal | null {
  return s.status === 'closed' ? { kind: 'not_allowed', message: 'the notice is closed' } : null;
}

export function checkSign(s: NoticeState, cmd: SignCommand): NoticeRefusal | null {
  if (s.enterpriseId === null) return { kind: 'not_allowed', message: 'a notice to a government body is not signed for by an enterprise' };
  if (s.status === 'signed') return { kind: 'not_allowed', message: 'the notice is already signed for' };
  return closedRefusal(s) ?? (blank(cmd.by) ? { kind: 'invalid', field: 'by', message: 'the signer is required' } : null);
}

export function sign(s: NoticeState, cmd: SignCommand, now: number): NoticeState {
  return { ...s, status: 'signed', signedBy: cmd.by, signedAt: now, signedLate: now >= dueInstant(s.signDue), signProvisional: false, seq: s.seq + 1 };
}

export function checkDecide(s: NoticeState, cmd: DecideCommand): NoticeRefusal | null {
  const d = s.decisions.find((x) => x.id === cmd.decisionId);
  if (!d) return { kind: 'invalid', field: 'decisionId', message: 'no such decision on this notice' };
  if (d.status !== 'pending') return { kind: 'not_allowed', message: `the decision is ${d.status}, no longer pending` };
  if (cmd.outcome !== 'taken' && cmd.outcome !== 'declined') return { kind: 'invalid', field: 'outcome', message: 'taken or declined' };
  if (blank(cmd.reason)) return { kind: 'invalid', field: 'reason', message: 'a decision needs a reason' };
  if (cmd.outcome === 'taken' && blank(cmd.documentNumber)) {
    return { kind: 'invalid', field: 'documentNumber', message: 'a decision taken needs the number of its document' };
  }
  if (blank(cmd.by)) return { kind: 'invalid', field: 'by', message: 'the decider is required' };
  return null;
}

export function decide(s: NoticeState, cmd: DecideCommand, now: number): NoticeState {
  return {
    ...s,
    decisions: s.decisions.map((d) =>
      d.id === cmd.decisionId
        ? { ...d, status: cmd.outcome, documentNumber: cmd.outcome === 'taken' ? cmd.documentNumber!.trim() : null, reason: cmd.reason.trim(), decidedBy: cmd.by, decidedAt: now }
        : d,
    ),
    seq: s.seq + 1,
  };
}

export function checkExtendDeadline(s: NoticeState, cmd: ExtendDeadlineCommand, now: number): NoticeRefusal | null {
  const closed = closedRefusal(s);
  if (closed) return closed;
  if (typeof cmd.newDeadline !== 'string' || !isIsoDate(cmd.newDeadline)) return { kind: 'invalid', field: 'newDeadline', message: 'a date (YYYY-MM-DD)' };
  if (cmd.newDeadline <= s.deadline) return { kind: 'invalid', field: 'newDeadline', message: `must be later than the current deadline ${s.deadline}` };
  if (cmd.newDeadline < shanghaiDate(now)) return { kind: 'invalid', field: 'newDeadline', message: 'cannot be in the past' };
  if (blank(cmd.reason)) return { kind: 'invalid', field: 'reason', message: 'an extension needs a reason' };
  if (blank(cmd.by)) return { kind: 'invalid', field: 'by', message: 'the person extending is required' };
  return null;
}

/** The ladder restarts against the new deadline, in a new segment: nothing overdue any more. */
export function extendDeadline(s: NoticeState, cmd: ExtendDeadlineCommand): NoticeState {
  return { ...s, deadline: cmd.newDeadline, deadlineRule: null, deadlineProvisional: false, extensions: s.extensions + 1, overdueSince: null, ladderLevel: 0, seq: s.seq + 1 };
}

export function checkConfirmCompletion(s: NoticeState, cmd: ConfirmCompletionCommand): NoticeRefusal | null {
  const closed = closedRefusal(s);
  if (closed) return closed;
  if (s.hazards.length > 0) return { kind: 'not_allowed', message: 'a notice with hazards closes when its hazards are closed or void' };
  if (blank(cmd.reason)) return { kind: 'invalid', field: 'reason', message: 'a confirmation needs a reason' };
  if (blank(cmd.by)) return { kind: 'invalid', field: 'by', message: 'the person confirming is required' };
  return null;
}

/** Records a hazard's outcome; returns the state unchanged when the hazard is not on the notice or nothing changed. */
export function settleHazard(s: NoticeState, hazardId: string, outcome: 'closed' | 'void' | 'reopened'): NoticeState {
  const settlement: HazardSettlement = outcome === 'reopened' ? 'open' : outcome;
  const h = s.hazards.find((x) => x.hazardId === hazardId);
  if (!h || h.settlement === settlement || s.status === 'closed') return s;
  return { ...s, hazards: s.hazards.map((x) => (x.hazardId === hazardId ? { ...x, settlement } : x)), seq: s.seq + 1 };
}

/** A notice with hazards closes when none is open; one without closes only by confirmation. */
export function readyToClose(s: NoticeState): boolean {
  return s.status !== 'closed' && s.hazards.length > 0 && openHazards(s) === 0;
}

/** Closes the notice; decisions still pending lapse. */
export function close(s: NoticeState, now: number, by: string): NoticeState {
  return {
    ...s,
    status: 'closed',
    closedAt: now,
    closedBy: by,
    decisions: s.decisions.map((d) => (d.status === 'pending' ? { ...d, status: 'lapsed' as const } : d)),
    seq: s.seq + 1,
  };
}

/**
 * A calendar year was published: computed dates counted into it are counted again. Returns the
 * new state and what moved (old → new), for the record.
 */
export function recalendar(s: NoticeState, year: YearCalendar): { state: NoticeState; moved: Array<{ what: 'deadline' | 'signDue'; from: IsoDate; to: IsoDate }> } {
  const years = [...s.calendar.filter((y) => y.year !== year.year), year].sort((a, b) => a.year - b.year);
  const cal = new WorkCalendar(years);
  const next: NoticeState = { ...s, calendar: years };
  const moved: Array<{ what: 'deadline' | 'signDue'; from: IsoDate; to: IsoDate }> = [];
  if (s.deadlineProvisional && s.deadlineRule) {
    const d = countDays(cal, s.issuedOn, s.deadlineRule.days, s.deadlineRule.unit);
    next.deadline = d.date;
    next.deadlineProvisional = d.provisional;
    if (d.date !== s.deadline) moved.push({ what: 'deadline', from: s.deadline, to: d.date });
  }
  if (s.signProvisional) {
    const d = signDueDate(cal, s.issuedOn, s.policy, s.dayUnit);
    next.signDue = d.date;
    next.signProvisional = d.provisional;
    if (d.date !== s.signDue) moved.push({ what: 'signDue', from: s.signDue, to: d.date });
  }
  next.seq = s.seq + 1;
  return { state: next, moved };
}

/** What the read model and the Query show. */
export interface NoticeSnapshot {
  status: NoticeStatus;
  deadline: IsoDate;
  dueAt: number;
  deadlineRule: DeadlineRule | null;
  provisional: boolean;
  // Absent in snapshots written before the deadline and the other dates were told apart.
  deadlineProvisional?: boolean;
  laterStepsProvisional?: boolean;
  signDueAt: number | null;
  signedAt: number | null;
  signedBy: string | null;
  overdueSince: number | null;
  ladderLevel: number;
  openHazards: number;
  closedAt: number | null;
  updatedAt: number;
  seq: number;
}

export function noticeSnapshot(s: NoticeState, now: number): NoticeSnapshot {
  const provisional = provisionalNoticeDates(s);
  return {
    status: s.status,
    deadline: s.deadline,
    dueAt: dueInstant(s.deadline),
    deadlineRule: s.deadlineRule,
    provisional: provisional.deadline || provisional.laterSteps,
    deadlineProvisional: provisional.deadline,
    laterStepsProvisional: provisional.laterSteps,
    signDueAt: s.enterpriseId === null ? null : dueInstant(s.signDue),
    signedAt: s.signedAt,
    signedBy: s.signedBy,
    overdueSince: s.overdueSince,
    ladderLevel: s.ladderLevel,
    openHazards: openHazards(s),
    closedAt: s.closedAt,
    updatedAt: now,
    seq: s.seq,
  };
}

export interface NoticeView extends NoticeSnapshot {
  noticeId: string;
  code: string;
  hazards: NoticeState['hazards'];
  instruments: IssuedInstrument[];
  decisions: NoticeDecision[];
  next: { kind: NoticeStep['kind']; key: string; at: number } | null;
}

export function noticeView(s: NoticeState, now: number): NoticeView {
  const next = nextNoticeStep(s);
  return {
    ...noticeSnapshot(s, now),
    noticeId: s.noticeId,
    code: s.code,
    hazards: s.hazards,
    instruments: s.instruments,
    decisions: s.decisions,
    next: next ? { kind: next.kind, key: next.key, at: next.at } : null,
  };
}

/**
 * Which kind of user takes a decision the policy addresses to a recipient role: the leaders'
 * roles are leaders' to decide, the supervisor and the supervisor's chief are supervisors'.
 */
export function decidingUserRole(deciderRole: string): 'leader' | 'supervisor' | null {
  if (deciderRole === 'supervisor' || deciderRole === 'supervisor_chief') return 'supervisor';
  if (deciderRole === 'responsible_leader' || deciderRole === 'county_leader' || deciderRole === 'city_leader') return 'leader';
  const post = postOf(deciderRole);
  const role = post ? POST_RANKS[post].role : null;
  return role === 'enterprise' ? null : role;
}
