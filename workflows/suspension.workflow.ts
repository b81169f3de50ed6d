/**
 * One suspension for rectification (停产整顿), from the order to resumption or lifting. Time
 * drives the reminders, the review-overdue moment and the maximum; Updates drive the resumption
 * request, its review, extensions and lifting. The rules live in domain/suspension; this file
 * decides when to apply them and records each change. Only people end a suspension: the clock
 * escalates, it never resumes production.
 */
import {
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { command, RECORD_RETRY, searchAttributeKeeper, runClock, singleLane } from './commands';
import type { Activities } from '../activities';
import type { SuspensionEventRecord, SuspensionStepRecord } from '../activities/suspension-records';
import { dueInstant } from '../domain/shanghai-time';
import {
  applyResumption,
  checkApply,
  checkExtend,
  checkLift,
  checkReviewResumption,
  extend,
  fireStep,
  initialState,
  isOpen,
  lift,
  maximumReachedText,
  nextStep,
  reviewOverdueText,
  reviewResumption,
  snapshotOf,
  suspensionReminderText,
  type SuspensionState,
  type SuspensionStep,
} from '../domain/suspension';
import {
  applyResumptionUpdate,
  extendSuspensionUpdate,
  liftSuspensionUpdate,
  orderedUpdate,
  reviewResumptionUpdate,
  suspensionStateQuery,
  type SuspensionWorkflowInput,
} from './suspension.messages';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from './search-attributes';

const { recordSuspensionStep } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A record must land eventually: keep retrying through a database outage, with backoff.
  retry: RECORD_RETRY,
});


/** 0 on time, 1 once overdue for review, 2 once past the maximum: for operators' searches. */
const escalationLevel = (s: SuspensionState) => (s.maximumReachedAt !== null ? 2 : s.reviewOverdueSince !== null ? 1 : 0);

export async function suspensionWorkflow(input: SuspensionWorkflowInput): Promise<SuspensionState> {
  const { suspension } = input;
  let state: SuspensionState = input.carried ?? initialState(suspension, Date.now());
  let recorded = input.carried !== undefined;

  const lane = singleLane();
  const keepSearchAttributes = searchAttributeKeeper();
  const { exclusive } = lane;

  async function record(key: string, event: SuspensionEventRecord, extra: Pick<SuspensionStepRecord, 'notification'> = {}) {
    await recordSuspensionStep({
      suspensionId: state.suspensionId,
      workflowId: workflowInfo().workflowId,
      stepKey: key,
      event,
      snapshot: snapshotOf(state, Date.now()),
      order: recorded ? undefined : suspension,
      ...extra,
    });
    keepSearchAttributes([
      { key: DubanStatus, value: state.status },
      { key: DubanDeadline, value: new Date(dueInstant(state.plannedEnd)) },
      { key: DubanEscalationLevel, value: escalationLevel(state) },
      { key: DubanEnterprise, value: state.enterpriseId },
    ]);
  }

  const view = () => snapshotOf(state, Date.now());
  setHandler(suspensionStateQuery, view);
  setHandler(orderedUpdate, async () => {
    await condition(() => recorded);
    return view();
  });

  command(lane, applyResumptionUpdate, (cmd) => checkApply(state, cmd), async (cmd) => {
    const now = Date.now();
    state = applyResumption(state, cmd, now);
    const request = state.request!;
    await record(`request-${state.rejections + 1}/requested`, {
      type: 'resumption_requested',
      actor: cmd.by,
      occurredAt: now,
      data: { note: request.note, evidence: request.evidence, selfCheck: request.selfCheck, plannedEnd: state.plannedEnd },
    });
    return view();
  });

  command(lane, reviewResumptionUpdate, (cmd) => checkReviewResumption(state, cmd, Date.now()), async (cmd) => {
    const now = Date.now();
    const request = state.rejections + 1;
    const previousPlannedEnd = state.plannedEnd;
    state = reviewResumption(state, cmd, now);
    const event: SuspensionEventRecord =
      cmd.decision === 'approve'
        ? { type: 'resumption_approved', actor: cmd.by, occurredAt: now, data: { request, comment: cmd.comment ?? '' } }
        : {
            type: 'resumption_rejected',
            actor: cmd.by,
            occurredAt: now,
            data: { request, reasons: cmd.reasons, previousPlannedEnd, plannedEnd: state.plannedEnd },
          };
    await record(`request-${request}/reviewed`, event);
    return view();
  });

  command(lane, extendSuspensionUpdate, (cmd) => checkExtend(state, cmd, Date.now()), async (cmd) => {
    const now = Date.now();
    const previousPlannedEnd = state.plannedEnd;
    state = extend(state, cmd, now);
    await record(`extension-${state.extensions}`, {
      type: 'extended',
      actor: cmd.by,
      occurredAt: now,
      data: { previousPlannedEnd, plannedEnd: state.plannedEnd, reason: cmd.reason.trim(), maxEnd: state.maxEnd },
    });
    return view();
  });

  command(lane, liftSuspensionUpdate, (cmd) => checkLift(state, cmd), async (cmd) => {
    const now = Date.now();
    state = lift(state, cmd, now);
    await record('lifted', {
      type: 'lifted',
      actor: cmd.by,
      occurredAt: now,
      data: { documentNumber: cmd.documentNumber.trim(), reason: cmd.reason.trim() },
    });
    return view();
  });

  if (!recorded) {
    await exclusive(async () => {
      const s = state;
      await record('ordered', {
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
      });
      recorded = true;
    });
  }

  await runClock(lane, {
    open: () => isOpen(state),
    seq: () => state.seq,
    next: () => nextStep(state),
    fire: fireDueStep,
    historyLimit: input.historyLimit,
    continueAsNew: () => continueAsNew<typeof suspensionWorkflow>({ ...input, carried: state }),
  });
  return state;

  async function fireDueStep(key: string): Promise<void> {
    const step = nextStep(state);
    // A command may have moved the suspension on while this step waited for its turn.
    if (!step || step.key !== key || step.at > Date.now()) return;
    state = fireStep(state, step);
    await recordStep(step);
  }

  async function recordStep(step: SuspensionStep): Promise<void> {
    const base = { occurredAt: Date.now(), actor: 'system' };
    const s = state;
    const notify = (kind: 'reminder' | 'escalation', message: string) => ({
      notification: { kind, recipientRole: step.recipientRole, message, scheduledAt: step.at },
    });
    if (step.kind === 'reminder') {
      await record(
        step.key,
        { ...base, type: 'reminder_sent', data: { daysBefore: step.daysBefore, plannedEnd: s.plannedEnd, scheduledAt: step.at } },
        notify('reminder', suspensionReminderText(s.documentNumber, s.plannedEnd, step.daysBefore)),
      );
    } else if (step.kind === 'review_overdue') {
      await record(
        step.key,
        { ...base, type: 'review_overdue', data: { plannedEnd: s.plannedEnd, status: s.status, recipientRole: step.recipientRole, scheduledAt: step.at } },
        notify('escalation', reviewOverdueText(s.documentNumber, s.plannedEnd)),
      );
    } else {
      await record(
        step.key,
        { ...base, type: 'maximum_reached', data: { maxEnd: s.maxEnd, maxDays: s.maxDays, status: s.status, recipientRole: step.recipientRole, scheduledAt: step.at } },
        notify('escalation', maximumReachedText(s.documentNumber, s.maxEnd, s.maxDays)),
      );
    }
  }
}
