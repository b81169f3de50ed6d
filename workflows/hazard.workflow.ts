/**
 * One hazard from order to verified closure. Time drives reminders, the overdue moment and the
 * escalation ladder; Updates drive submission and review. The rules themselves live in
 * domain/hazard-lifecycle; this file only decides when to apply them and records each change.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { HazardEventRecord, HazardStepRecord } from '../activities/hazard-records';
import {
  checkReview,
  checkSubmit,
  fireStep,
  initialState,
  nextStep,
  review,
  submit,
  upgradeState,
  type HazardState,
  type Refusal,
} from '../domain/hazard-lifecycle';
import {
  checkExtensionDecision,
  checkExtensionRequest,
  daysGrantedThisRound,
  decideExtension,
  extensionsOf,
  grantedThisRound,
  requestExtension,
  requestStepName,
} from '../domain/extension';
import { snapshotOf, viewOf, type HazardView } from '../domain/hazard-view';
import { escalationText, reminderText } from '../domain/notification-text';
import { stepKey, type ScheduledStep } from '../domain/schedule';
import { daysBetween, dueInstant } from '../domain/shanghai-time';
import {
  REFUSAL_TYPES,
  decideExtensionUpdate,
  hazardStateQuery,
  registeredUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  submitRectificationUpdate,
  type HazardWorkflowInput,
} from './hazard.messages';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from './search-attributes';

const { recordHazardStep } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A record must land eventually: keep retrying through a database outage, with backoff.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

function refuse(refusal: Refusal | null): void {
  if (!refusal) return;
  throw ApplicationFailure.create({
    type: REFUSAL_TYPES[refusal.kind],
    message: refusal.message,
    details: refusal.field ? [{ field: refusal.field, ...(refusal.limit ? { limit: refusal.limit } : {}) }] : [],
    nonRetryable: true,
  });
}

export async function hazardWorkflow(input: HazardWorkflowInput): Promise<HazardView> {
  const { hazard, registration } = input;
  let state: HazardState = input.carried ? upgradeState(input.carried) : initialState(hazard, Date.now());
  let registered = input.carried !== undefined;

  // Changes happen one at a time, in arrival order: a command queued behind a timer step sees
  // the state that step left, and the read model receives changes in sequence.
  let lane: Promise<unknown> = Promise.resolve();
  function exclusive<T>(change: () => Promise<T>): Promise<T> {
    const run = lane.then(change);
    lane = run.catch(() => undefined);
    return run;
  }

  async function record(key: string, event: HazardEventRecord, extra: Pick<HazardStepRecord, 'notification' | 'freezeEvidence'> = {}) {
    const workflowId = workflowInfo().workflowId;
    await recordHazardStep({
      hazardId: state.hazardId,
      workflowId,
      stepKey: key,
      event,
      snapshot: snapshotOf(state, Date.now()),
      registration: registered
        ? undefined
        : { ...registration, enterpriseId: hazard.enterpriseId, grade: hazard.grade, policy: hazard.policy },
      ...extra,
    });
    upsertSearchAttributes([
      { key: DubanStatus, value: state.status },
      { key: DubanDeadline, value: new Date(dueInstant(state.deadline)) },
      { key: DubanEscalationLevel, value: state.escalationLevel },
      { key: DubanEnterprise, value: state.enterpriseId },
    ]);
  }

  setHandler(hazardStateQuery, () => viewOf(state, Date.now()));

  setHandler(registeredUpdate, async () => {
    await condition(() => registered);
    return viewOf(state, Date.now());
  });

  setHandler(
    submitRectificationUpdate,
    (cmd) =>
      exclusive(async () => {
        // Checked again here: a change queued ahead of this one may have moved the state.
        refuse(checkSubmit(state, cmd));
        const now = Date.now();
        const lapsed = extensionsOf(state).pending;
        state = submit(state, cmd, now);
        await record(
          stepKey(state.round, 'submitted'),
          {
            type: 'rectification_submitted',
            actor: cmd.by,
            occurredAt: now,
            data: {
              evidence: cmd.evidence,
              note: cmd.note ?? '',
              lateBy: state.overdueSince ? now - state.overdueSince : 0,
              ...(cmd.manifestHash ? { manifestHash: cmd.manifestHash } : {}),
            },
          },
          cmd.manifestHash ? { freezeEvidence: { fileIds: cmd.evidence, round: state.round, manifestHash: cmd.manifestHash } } : {},
        );
        // The evidence is in: a request to move the deadline has nothing left to move.
        if (lapsed) {
          await record(stepKey(state.round, `${requestStepName(lapsed.number)}/lapsed`), {
            type: 'extension_lapsed',
            actor: cmd.by,
            occurredAt: now,
            data: {
              round: state.round,
              request: lapsed.number,
              requestedDeadline: lapsed.requestedDeadline,
              requestedBy: lapsed.by,
              because: 'rectification_submitted',
            },
          });
        }
        return viewOf(state, Date.now());
      }),
    { validator: (cmd) => refuse(checkSubmit(state, cmd)) },
  );

  setHandler(
    reviewUpdate,
    (cmd) =>
      exclusive(async () => {
        const now = Date.now();
        refuse(checkReview(state, cmd, now));
        const round = state.round;
        state = review(state, cmd, now);
        const event: HazardEventRecord =
          cmd.decision === 'accept'
            ? { type: 'review_accepted', actor: cmd.by, occurredAt: now, data: { round, comment: cmd.comment ?? '' } }
            : {
                type: 'review_rejected',
                actor: cmd.by,
                occurredAt: now,
                data: { round, reasons: cmd.reasons, newDeadline: cmd.newDeadline },
              };
        await record(stepKey(round, 'reviewed'), event);
        return viewOf(state, Date.now());
      }),
    { validator: (cmd) => refuse(checkReview(state, cmd, Date.now())) },
  );

  setHandler(
    requestExtensionUpdate,
    (cmd) =>
      exclusive(async () => {
        const now = Date.now();
        refuse(checkExtensionRequest(state, cmd, now));
        const currentDeadline = state.deadline;
        state = requestExtension(state, cmd, now);
        const request = extensionsOf(state).pending!;
        await record(stepKey(state.round, `${requestStepName(request.number)}/requested`), {
          type: 'extension_requested',
          actor: cmd.by,
          occurredAt: now,
          data: {
            round: state.round,
            request: request.number,
            requestedDeadline: request.requestedDeadline,
            reason: request.reason,
            currentDeadline,
            originalDeadline: extensionsOf(state).originalDeadline,
          },
        });
        return viewOf(state, Date.now());
      }),
    { validator: (cmd) => refuse(checkExtensionRequest(state, cmd, Date.now())) },
  );

  setHandler(
    decideExtensionUpdate,
    (cmd) =>
      exclusive(async () => {
        const now = Date.now();
        refuse(checkExtensionDecision(state, cmd, now));
        const request = extensionsOf(state).pending!;
        const previousDeadline = state.deadline;
        state = decideExtension(state, cmd, now);
        const base = {
          round: state.round,
          request: request.number,
          requestedDeadline: request.requestedDeadline,
          requestedBy: request.by,
        };
        const key = stepKey(state.round, `${requestStepName(request.number)}/${cmd.decision === 'approve' ? 'approved' : 'denied'}`);
        if (cmd.decision === 'approve') {
          // The deadline moved: the main loop wakes on the new seq and waits for the new plan.
          const granted = grantedThisRound(state).at(-1)!;
          await record(key, {
            type: 'extension_approved',
            actor: cmd.by,
            occurredAt: now,
            data: {
              ...base,
              extension: granted.number,
              previousDeadline,
              newDeadline: state.deadline,
              days: daysBetween(previousDeadline, state.deadline),
              totalDays: daysGrantedThisRound(state),
            },
          });
        } else {
          await record(key, { type: 'extension_denied', actor: cmd.by, occurredAt: now, data: { ...base, reason: cmd.reason.trim() } });
        }
        return viewOf(state, Date.now());
      }),
    { validator: (cmd) => refuse(checkExtensionDecision(state, cmd, Date.now())) },
  );

  if (!registered) {
    await exclusive(async () => {
      await record(stepKey(0, 'registered'), {
        type: 'registered',
        actor: registration.createdBy,
        occurredAt: Date.now(),
        data: { deadline: hazard.deadline, grade: hazard.grade, policy: hazard.policy },
      });
      registered = true;
    });
  }

  while (state.status !== 'closed') {
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
      await condition(allHandlersFinished);
      await lane;
      await continueAsNew<typeof hazardWorkflow>({ ...input, carried: state });
    }
  }
  await condition(allHandlersFinished);
  return viewOf(state, Date.now());

  async function fireDueStep(key: string): Promise<void> {
    const step = nextStep(state);
    // A command may have moved the hazard on while this step waited for its turn.
    if (!step || step.key !== key || step.at > Date.now()) return;
    state = fireStep(state, step);
    await recordStep(step);
  }

  async function recordStep(step: ScheduledStep): Promise<void> {
    const base = { occurredAt: Date.now(), actor: 'system' };
    const title = registration.title;
    if (step.kind === 'reminder') {
      await record(
        step.key,
        { ...base, type: 'reminder_sent', data: { daysBefore: step.daysBefore, scheduledAt: step.at } },
        {
          notification: {
            kind: 'reminder',
            recipientRole: step.recipientRole,
            level: null,
            message: reminderText(title, state.deadline, step.daysBefore),
            scheduledAt: step.at,
          },
        },
      );
    } else if (step.kind === 'overdue') {
      await record(step.key, { ...base, type: 'became_overdue', data: { deadline: state.deadline, round: state.round } });
    } else {
      await record(
        step.key,
        {
          ...base,
          type: 'escalated',
          data: { afterDays: step.afterDays, level: step.level, recipientRole: step.recipientRole, scheduledAt: step.at },
        },
        {
          notification: {
            kind: 'escalation',
            recipientRole: step.recipientRole,
            level: step.level,
            message: escalationText(title, state.deadline, step.afterDays, step.level),
            scheduledAt: step.at,
          },
        },
      );
    }
  }

  function shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (input.historyLimit !== undefined && info.historyLength > input.historyLimit);
  }
}
