/**
 * One suspension for rectification (停产整顿), from the order to resumption or lifting. Time
 * drives the reminders, the review-overdue moment and the maximum; Updates drive the resumption
 * request, its review, extensions and lifting. The rules, and the events each change causes,
 * live in domain/ (suspension, suspension-changes); this file decides when to apply them and
 * records what they return. Only people end a suspension: the clock escalates, it never resumes
 * production.
 */
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { caseRecorder, command, RECORD_HEARTBEAT_TIMEOUT, RECORD_RETRY, runClock, singleLane } from './commands';
import type { Activities } from '../activities';
import { dueInstant } from '../domain/shanghai-time';
import { checkApply, checkExtend, checkLift, checkReviewResumption, initialState, isOpen, nextStep, snapshotOf, type SuspensionState } from '../domain/suspension';
import {
  extensionChange,
  liftChange,
  orderedEvent,
  resumptionRequestChange,
  resumptionReviewChange,
  stepChange,
  type SuspensionChange,
  type SuspensionRecord,
} from '../domain/suspension-changes';
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
  heartbeatTimeout: RECORD_HEARTBEAT_TIMEOUT,
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
  const { exclusive } = lane;

  /** Records one event with the state as it stands now (the first record also creates the suspension's row). */
  const record = caseRecorder({
    state: () => state,
    write: ({ key, event, ...extra }: SuspensionRecord, s) =>
      recordSuspensionStep({
        suspensionId: s.suspensionId,
        workflowId: workflowInfo().workflowId,
        stepKey: key,
        event,
        snapshot: snapshotOf(s, Date.now()),
        order: recorded ? undefined : suspension,
        ...extra,
      }),
    searchAttributes: (s) => [
      { key: DubanStatus, value: s.status },
      { key: DubanDeadline, value: new Date(dueInstant(s.plannedEnd)) },
      { key: DubanEscalationLevel, value: escalationLevel(s) },
      { key: DubanEnterprise, value: s.enterpriseId },
    ],
  });

  async function apply(change: SuspensionChange): Promise<void> {
    state = change.state;
    for (const event of change.events) await record(event);
  }

  const view = () => snapshotOf(state, Date.now());
  setHandler(suspensionStateQuery, view);
  setHandler(orderedUpdate, async () => {
    await condition(() => recorded);
    return view();
  });

  command(lane, applyResumptionUpdate, (cmd) => checkApply(state, cmd), async (cmd) => {
    await apply(resumptionRequestChange(state, cmd, Date.now()));
    return view();
  });

  command(lane, reviewResumptionUpdate, (cmd) => checkReviewResumption(state, cmd, Date.now()), async (cmd) => {
    await apply(resumptionReviewChange(state, cmd, Date.now()));
    return view();
  });

  command(lane, extendSuspensionUpdate, (cmd) => checkExtend(state, cmd, Date.now()), async (cmd) => {
    await apply(extensionChange(state, cmd, Date.now()));
    return view();
  });

  command(lane, liftSuspensionUpdate, (cmd) => checkLift(state, cmd), async (cmd) => {
    await apply(liftChange(state, cmd, Date.now()));
    return view();
  });

  if (!recorded) {
    await exclusive(async () => {
      await record(orderedEvent(state));
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
    await apply(stepChange(state, step, Date.now()));
  }
}
