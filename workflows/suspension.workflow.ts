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
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { drained, RECORD_RETRY, refuse, singleLane } from './commands';
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

  const { exclusive, isIdle } = singleLane();

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
    upsertSearchAttributes([
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

  setHandler(
    applyResumptionUpdate,
    (cmd) =>
      exclusive(async () => {
        // Checked again here: a change queued ahead of this one may have moved the state.
        refuse(checkApply(state, cmd));
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
      }),
    { validator: (cmd) => refuse(checkApply(state, cmd)) },
  );

  setHandler(
    reviewResumptionUpdate,
    (cmd) =>
      exclusive(async () => {
        const now = Date.now();
        refuse(checkReviewResumption(state, cmd, now));
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
      }),
    { validator: (cmd) => refuse(checkReviewResumption(state, cmd, Date.now())) },
  );

  setHandler(
    extendSuspensionUpdate,
    (cmd) =>
      exclusive(async () => {
        const now = Date.now();
        refuse(checkExtend(state, cmd, now));
        const previousPlannedEnd = state.plannedEnd;
        state = extend(state, cmd, now);
        await record(`extension-${state.extensions}`, {
          type: 'extended',
          actor: cmd.by,
          occurredAt: now,
          data: { previousPlannedEnd, plannedEnd: state.plannedEnd, reason: cmd.reason.trim(), maxEnd: state.maxEnd },
        });
        return view();
      }),
    { validator: (cmd) => refuse(checkExtend(state, cmd, Date.now())) },
  );

  setHandler(
    liftSuspensionUpdate,
    (cmd) =>
      exclusive(async () => {
        refuse(checkLift(state, cmd));
        const now = Date.now();
        state = lift(state, cmd, now);
        await record('lifted', {
          type: 'lifted',
          actor: cmd.by,
          occurredAt: now,
          data: { documentNumber: cmd.documentNumber.trim(), reason: cmd.reason.trim() },
        });
        return view();
      }),
    { validator: (cmd) => refuse(checkLift(state, cmd)) },
  );

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

  while (isOpen(state)) {
    const seen = state.seq;
    const step = nextStep(state);
    if (!step) {
      await condition(() => state.seq !== seen);
    } else {
      const wait = step.at - Date.now();
      const interrupted = wait > 0 && (await condition(() => state.seq !== seen, wait));
      if (!interrupted) await exclusive(() => fireDueStep(step.key));
    }
    if (shouldContinueAsNew()) {
      await drained(isIdle);
      await continueAsNew<typeof suspensionWorkflow>({ ...input, carried: state });
    }
  }
  await drained(isIdle);
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

  function shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (input.historyLimit !== undefined && info.historyLength > input.historyLimit);
  }
}
