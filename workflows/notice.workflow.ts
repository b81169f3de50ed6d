/**
 * One supervision notice from issue to closure. Time drives the sign escalation and, once the
 * deadline has passed, the ladder of numbered instruments and the decisions it opens for people;
 * the hazards' outcome signals close it. The rules live in domain/notice-lifecycle; this file
 * decides when to apply them and records each change through one idempotent activity.
 */
import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { command, RECORD_RETRY, searchAttributeKeeper, refuse, runClock, singleLane } from './commands';
import type { Activities } from '../activities';
import type { NoticeStepRecord } from '../activities/notice-records';
import {
  checkConfirmCompletion,
  checkDecide,
  checkExtendDeadline,
  checkSign,
  close,
  decide,
  extendDeadline,
  fireNoticeStep,
  initialNoticeState,
  isProvisional,
  nextNoticeStep,
  noticeSnapshot,
  noticeView,
  readyToClose,
  recalendar,
  settleHazard,
  sign,
  type NoticeState,
  type NoticeView,
} from '../domain/notice-lifecycle';
import type { NoticeStep } from '../domain/notice-schedule';
import { decisionText, instrumentText, signEscalationText } from '../domain/notice-text';
import { quietOffsetMs } from '../domain/quiet-offset';
import { dueInstant, shanghaiDate } from '../domain/shanghai-time';
import { yearsFrom } from '../domain/work-calendar';
import { noticeYearsWanted } from '../domain/notice-years';
import { PATCHES } from './patches';
import { checkUrge } from '../domain/urge';
import { noticeUrgeChange } from '../domain/notice-urge';
import { acceptUrges } from './urges';
import { calendarChangedSignal } from './calendar-signal';
import { hazardWorkflowId } from './hazard.messages';
import { attachNoticeSignal, hazardOutcomeSignal, signalIfRunning } from './notice-link';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from './search-attributes';
import {
  confirmCompletionUpdate,
  decideUpdate,
  extendDeadlineUpdate,
  noticeIssuedUpdate,
  noticeStateQuery,
  signNoticeUpdate,
  type NoticeWorkflowInput,
} from './notice.messages';

const { recordNoticeStep, noticeHazardStatuses, calendarYears } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A record must land eventually: keep retrying through a database outage, with backoff.
  retry: RECORD_RETRY,
});


const SETTLED = new Set(['closed', 'void']);

export async function noticeWorkflow(input: NoticeWorkflowInput): Promise<NoticeView> {
  const { issue } = input;
  let state: NoticeState | undefined = input.carried;

  // Changes happen one at a time, in arrival order (see hazard.workflow.ts).
  const lane = singleLane();
  const keepSearchAttributes = searchAttributeKeeper();
  const { exclusive } = lane;

  function current(): NoticeState {
    if (!state) refuse({ kind: 'not_allowed', message: 'the notice is still being issued' });
    return state!;
  }

  type Extra = Omit<NoticeStepRecord, 'noticeId' | 'workflowId' | 'stepKey' | 'event' | 'snapshot'>;
  async function record(key: string, type: string, actor: string, data: Record<string, unknown>, extra: Extra = {}) {
    const s = current();
    const result = await recordNoticeStep({
      noticeId: s.noticeId,
      workflowId: workflowInfo().workflowId,
      stepKey: key,
      event: { type, actor, occurredAt: Date.now(), data },
      snapshot: noticeSnapshot(s, Date.now()),
      ...extra,
    });
    // For operators in Temporal's own views; people's lists come from the read model.
    keepSearchAttributes([
      { key: DubanStatus, value: s.status },
      { key: DubanDeadline, value: new Date(dueInstant(s.deadline)) },
      { key: DubanEscalationLevel, value: s.ladderLevel },
      { key: DubanEnterprise, value: s.enterpriseId ?? '' },
    ]);
    return result;
  }

  /** A moved deadline may reach a year published after the notice took its calendar: fetch it and count again. */
  async function fetchMissingYears(patch: string = PATCHES.fetchMissingYears): Promise<number[]> {
    const wanted = noticeYearsWanted(current());
    if (!wanted.length || !patched(patch)) return [];
    const years = await calendarYears(wanted);
    for (const year of years) state = recalendar(current(), year).state;
    return years.map((y) => y.year);
  }

  // Issue first, so every message queued behind it sees the recorded notice.
  const issuing = input.carried
    ? Promise.resolve()
    : exclusive(async () => {
        const years = await calendarYears(yearsFrom(shanghaiDate(Date.now())));
        state = initialNoticeState(input.notice, years, Date.now());
        const { code } = await record('issued', 'issued', issue.issuedBy, {
          deadline: state.deadline,
          deadlineRule: state.deadlineRule,
          provisional: isProvisional(state),
          signDue: state.enterpriseId ? state.signDue : null,
          grade: state.grade,
          hazardIds: state.hazards.map((h) => h.hazardId),
          agency: issue.agency,
        }, { issue });
        state = { ...state, code: code ?? '' };
      });

  setHandler(noticeStateQuery, () => noticeView(current(), Date.now()));

  // Answers once the notice is recorded and its hazards told, so what a caller reads next is settled.
  let linked = input.carried !== undefined;
  setHandler(noticeIssuedUpdate, async () => {
    await issuing;
    await condition(() => linked);
    return noticeView(current(), Date.now());
  });

  command(lane, signNoticeUpdate, (cmd) => checkSign(current(), cmd), async (cmd) => {
    const now = Date.now();
    state = sign(current(), cmd, now);
    await record('signed', 'signed', cmd.by, { late: state.signedLate, signDue: state.signDue });
    return noticeView(state, Date.now());
  });

  command(lane, decideUpdate, (cmd) => checkDecide(current(), cmd), async (cmd) => {
    const now = Date.now();
    state = decide(current(), cmd, now);
    const d = state.decisions.find((x) => x.id === cmd.decisionId)!;
    await record(`${d.stepKey}/${d.status}`, `decision_${d.status}`, cmd.by, { decisionId: d.id, kind: d.kind, documentNumber: d.documentNumber, reason: d.reason }, {
      decisionDecided: { id: d.id, status: cmd.outcome, documentNumber: d.documentNumber, reason: d.reason!, decidedBy: cmd.by, decidedAt: now },
    });
    return noticeView(state, Date.now());
  });

  command(lane, extendDeadlineUpdate, (cmd) => checkExtendDeadline(current(), cmd, Date.now()), async (cmd) => {
    const previous = current().deadline;
    state = extendDeadline(current(), cmd);
    await fetchMissingYears();
    await record(`ext-${state.extensions}/extended`, 'deadline_extended', cmd.by, { from: previous, to: state.deadline, reason: cmd.reason.trim() });
    return noticeView(state, Date.now());
  });

  command(lane, confirmCompletionUpdate, (cmd) => checkConfirmCompletion(current(), cmd), async (cmd) => {
    await closeNotice(cmd.by, { because: 'completion_confirmed', reason: cmd.reason.trim() });
    return noticeView(current(), Date.now());
  });

  // 催办: a notice still being issued is not yet urgeable (the lane puts the urge after the issue).
  acceptUrges(lane, (cmd) => (state ? checkUrge(state, cmd, Date.now()) : { kind: 'not_allowed', message: 'the notice is still being issued' }), async (cmd) => {
    const now = Date.now();
    const change = noticeUrgeChange(current(), cmd, issue.title, now);
    state = change.state;
    await record(change.key, change.type, change.actor, change.data, { urge: change.urge });
    return now;
  });

  // Handlers return the lane's promise, so allHandlersFinished waits for the change they queued.
  setHandler(hazardOutcomeSignal, (o) =>
    exclusive(async () => {
      if (!state) return;
      const next = settleHazard(state, o.hazardId, o.outcome);
      if (next === state) return;
      state = next;
      const settlement = state.hazards.find((h) => h.hazardId === o.hazardId)!.settlement;
      await record(`hazard-${o.hazardId}/${state.seq}`, `hazard_${o.outcome}`, o.by || 'system', { hazardId: o.hazardId, outcome: o.outcome, at: o.at }, { hazardOutcome: { hazardId: o.hazardId, outcome: settlement } });
      if (readyToClose(state)) await closeNotice('system', { because: 'hazards_settled' });
    }),
  );

  setHandler(calendarChangedSignal, (year) =>
    exclusive(async () => {
      if (!state || state.status === 'closed') return;
      const wasProvisional = isProvisional(state);
      const { state: next, moved } = recalendar(state, year);
      state = next;
      if (moved.length) await record(`calendar-${year.year}/${state.seq}`, 'deadline_recomputed', 'system', { year: year.year, moved });
      else if (wasProvisional) await record(`calendar-${year.year}/${state.seq}`, 'calendar_applied', 'system', { year: year.year, provisional: isProvisional(state) });
    }),
  );

  await issuing;
  if (!input.carried) await exclusive(linkHazards);
  linked = true;

  await runClock(lane, {
    open: () => current().status !== 'closed',
    seq: () => current().seq,
    next: () => {
      const step = nextNoticeStep(current());
      return step && { key: step.key, at: dueAt(step) };
    },
    fire: fireDueStep,
    historyLimit: input.historyLimit,
    mayContinue: () => current().status !== 'closed',
    continueAsNew: () => continueAsNew<typeof noticeWorkflow>({ ...input, carried: current() }),
  });
  return noticeView(current(), Date.now());

  /** Tells each open hazard it belongs to this notice; hazards already settled (or whose workflow has ended) are settled here. */
  async function linkHazards(): Promise<void> {
    const ids = current().hazards.map((h) => h.hazardId);
    if (!ids.length) return;
    const settle = async (hazardId: string, status: string) => {
      if (!SETTLED.has(status)) return;
      const next = settleHazard(current(), hazardId, status as 'closed' | 'void');
      if (next === state) return;
      state = next;
      await record(`hazard-${hazardId}/${state.seq}`, `hazard_${status}`, 'system', { hazardId, outcome: status, atIssue: true }, { hazardOutcome: { hazardId, outcome: status as 'closed' | 'void' } });
    };
    const statuses = new Map((await noticeHazardStatuses(ids)).map((r) => [r.hazardId, r.status]));
    for (const hazardId of ids) {
      const status = statuses.get(hazardId) ?? 'missing';
      if (SETTLED.has(status)) {
        await settle(hazardId, status);
        continue;
      }
      const told = await signalIfRunning(hazardWorkflowId(hazardId), attachNoticeSignal, { noticeId: current().noticeId, workflowId: workflowInfo().workflowId });
      if (!told) {
        // Its workflow is no longer running: what the read model says now is its outcome.
        const [row] = await noticeHazardStatuses([hazardId]);
        await settle(hazardId, row?.status ?? 'missing');
      }
    }
    if (readyToClose(current())) await closeNotice('system', { because: 'hazards_settled' });
  }

  async function closeNotice(by: string, data: Record<string, unknown>): Promise<void> {
    const lapsed = current().decisions.filter((d) => d.status === 'pending').map((d) => d.id);
    state = close(current(), Date.now(), by);
    await record('closed', 'closed', by, { ...data, lapsedDecisions: lapsed }, { decisionsLapsed: lapsed });
  }

  /** When a step fires: the overdue mark tells no one, so it comes at this notice's own offset after its instant. */
  function dueAt(step: { kind: string; at: number }): number {
    return step.kind === 'overdue' && patched(PATCHES.spreadNoticeOverdue) ? step.at + quietOffsetMs(workflowInfo().workflowId) : step.at;
  }

  async function fireDueStep(key: string): Promise<void> {
    const step = nextNoticeStep(current());
    // A command may have moved the notice on while this step waited for its turn.
    if (!step || step.key !== key || step.at > Date.now()) return;
    // A step counted into a year the notice lacks fires only after asking for that year once more.
    if (step.provisional) {
      const years = await fetchMissingYears(PATCHES.fetchYearsBeforeStep);
      for (const year of years) {
        await record(`calendar-${year}/${current().seq}`, 'calendar_applied', 'system', { year, provisional: isProvisional(current()) });
      }
      if (years.length) return;
    }
    await recordStep(step);
  }

  async function recordStep(step: NoticeStep): Promise<void> {
    const s = current();
    const title = issue.title;
    if (step.kind === 'sign_escalation') {
      state = fireNoticeStep(s, step);
      await record(step.key, 'sign_escalated', 'system', { signDue: s.signDue, recipientRole: step.recipientRole, scheduledAt: step.at }, {
        notification: { kind: 'sign_escalation', recipientRole: step.recipientRole, message: signEscalationText(s.code, title, s.signDue), scheduledAt: step.at },
      });
    } else if (step.kind === 'overdue') {
      state = fireNoticeStep(s, step);
      await record(step.key, 'became_overdue', 'system', { deadline: s.deadline });
    } else if (step.kind === 'instrument') {
      state = fireNoticeStep(s, step);
      const { code } = await record(step.key, 'instrument_issued', 'system', { instrument: step.instrument, recipientRole: step.recipientRole, level: step.level, afterDays: step.afterDays, scheduledAt: step.at }, {
        instrument: { kind: step.instrument, recipientRole: step.recipientRole },
        notification: { kind: step.instrument, recipientRole: step.recipientRole, message: instrumentText(step.instrument, '{code}', s.code, title, s.deadline, step.afterDays), scheduledAt: step.at },
      });
      const issued = current();
      state = { ...issued, instruments: issued.instruments.map((i) => (i.stepKey === step.key ? { ...i, code: code ?? '' } : i)) };
    } else {
      const decisionId = uuid4();
      state = fireNoticeStep(s, step, { decisionId });
      await record(step.key, 'decision_opened', 'system', { decisionId, kind: step.decision, deciderRole: step.deciderRole, afterDays: step.afterDays, scheduledAt: step.at }, {
        decisionOpened: { id: decisionId, kind: step.decision, deciderRole: step.deciderRole, openedAt: step.at },
        notification: { kind: 'decision', recipientRole: step.deciderRole, message: decisionText(step.decision, s.code, title, s.deadline, step.afterDays), scheduledAt: step.at },
      });
    }
  }
}
