/**
 * One hazard from order to verified closure. Time drives reminders, the overdue moment and the
 * escalation ladder; Updates drive submission and review. The rules, and the events each change
 * causes, live in domain/ (hazard-changes); this file decides when to apply them and records
 * what they return.
 */
import { condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { command, RECORD_HEARTBEAT_TIMEOUT, RECORD_RETRY, searchAttributeKeeper, runClock, singleLane } from './commands';
import type { Activities } from '../activities';
import { checkReview, checkSubmit, checkPolicyChange, checkVoid, initialState, nextStep, upgradeState, type HazardState } from '../domain/hazard-lifecycle';
import {
  acceptanceChange, assignChange, extensionDecisionChange, extensionRequestChange, noticeAttachedChange,
  planChange, policyChange, reopenChange, reviewChange, stepChange, submitChange, urgeChange, voidChange,
} from '../domain/hazard-changes';
import { checkUrge } from '../domain/urge';
import { acceptUrges } from './urges';
import { calendarAppliedEvent, registeredEvent, type HazardChange, type HazardRecord } from '../domain/hazard-events';
import { applyCalendarYear, type CalendarChange } from '../domain/hazard-calendar';
import { hazardYearsWanted } from '../domain/hazard-years';
import { PATCHES } from './patches';
import { quietOffsetMs } from '../domain/quiet-offset';
import { dayUnitOf } from '../domain/policy-rules';
import { yearsFrom } from '../domain/work-calendar';
import { checkAssignment } from '../domain/hazard-assignment';
import { checkAcceptance, checkPlan } from '../domain/major-hazard';
import { calendarChangedSignal } from './calendar-signal';
import { attachNoticeSignal, hazardOutcomeSignal, signalIfRunning, type HazardOutcomeKind } from './notice-link';
import { checkExtensionDecision, checkExtensionRequest } from '../domain/extension';
import { snapshotOf, viewOf, type HazardView } from '../domain/hazard-view';
import { dueInstant, shanghaiDate } from '../domain/shanghai-time';
import {
  assignUpdate, changePolicyUpdate, decideExtensionUpdate, filePlanUpdate, recordAcceptanceUpdate, voidUpdate,
  hazardStateQuery, registeredUpdate, requestExtensionUpdate, reviewUpdate, submitRectificationUpdate, type HazardWorkflowInput,
} from './hazard.messages';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from './search-attributes';

const { recordHazardStep } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: RECORD_HEARTBEAT_TIMEOUT,
  // A record must land eventually: keep retrying through a database outage, with backoff.
  retry: RECORD_RETRY,
});

const { calendarYears } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: RECORD_RETRY,
});

export async function hazardWorkflow(input: HazardWorkflowInput): Promise<HazardView> {
  const { hazard, registration } = input;
  let state: HazardState = input.carried ? upgradeState(input.carried) : initialState(hazard, Date.now());
  let registered = input.carried !== undefined;

  const lane = singleLane();
  const keepSearchAttributes = searchAttributeKeeper();
  const { exclusive } = lane;

  /** Records one event with the state as it stands now (the first record also creates the hazard's row). */
  async function record({ key, event, ...extra }: HazardRecord) {
    await recordHazardStep({
      hazardId: state.hazardId,
      workflowId: workflowInfo().workflowId,
      stepKey: key,
      event,
      snapshot: snapshotOf(state, Date.now()),
      registration: registered
        ? undefined
        : { ...registration, enterpriseId: hazard.enterpriseId, grade: hazard.grade, policy: hazard.policy },
      ...extra,
    });
    keepSearchAttributes([
      { key: DubanStatus, value: state.status },
      { key: DubanDeadline, value: new Date(dueInstant(state.deadline)) },
      { key: DubanEscalationLevel, value: state.escalationLevel },
      { key: DubanEnterprise, value: state.enterpriseId },
    ]);
  }

  /**
   * Takes a change's state and records its events. `fetchYears`: the change counted new dates;
   * the years they reach are fetched first, so its records carry the snapshot counted on them.
   */
  async function apply(change: HazardChange, fetchYears = false): Promise<void> {
    state = change.state;
    if (fetchYears) await fetchMissingYears();
    for (const event of change.events) await record(event);
  }

  const settled = () => state.status === 'closed' || state.status === 'void';
  const view = () => viewOf(state, Date.now());
  setHandler(hazardStateQuery, view);

  /** Tells every notice the hazard belongs to; a notice already closed no longer listens. */
  async function tellNotices(outcome: HazardOutcomeKind, by: string): Promise<void> {
    for (const link of state.notices ?? []) {
      // A notice that has ended read the hazard's state from the records when it could.
      await signalIfRunning(link.workflowId, hazardOutcomeSignal, { hazardId: state.hazardId, outcome, at: Date.now(), by });
    }
  }

  /**
   * A date counted just now may reach a year published after this run took its calendar (the
   * publication told only runs provisional then): fetch the years it lacks and count again.
   */
  async function fetchMissingYears(patch: string = PATCHES.fetchMissingYears): Promise<CalendarChange[]> {
    const wanted = hazardYearsWanted(state);
    if (!wanted.length || !patched(patch)) return [];
    const changes: CalendarChange[] = [];
    for (const year of await calendarYears(wanted)) {
      const applied = applyCalendarYear(state, year);
      state = applied.state;
      changes.push(applied.change);
    }
    return changes;
  }

  setHandler(attachNoticeSignal, (link) =>
    exclusive(async () => {
      if (state.notices?.some((n) => n.noticeId === link.noticeId)) return;
      await apply(noticeAttachedChange(state, link, Date.now()));
      if (settled()) {
        await signalIfRunning(link.workflowId, hazardOutcomeSignal, { hazardId: state.hazardId, outcome: state.status === 'void' ? 'void' : 'closed', at: Date.now(), by: 'system' });
      }
    }),
  );

  setHandler(calendarChangedSignal, (year) =>
    exclusive(async () => {
      if (settled()) return;
      const applied = applyCalendarYear(state, year);
      state = applied.state;
      await record(calendarAppliedEvent(state, applied.change, Date.now()));
    }),
  );

  command(lane, voidUpdate, (cmd) => checkVoid(state, cmd), async (cmd) => {
    await apply(voidChange(state, cmd, Date.now()));
    await tellNotices('void', cmd.by);
    return view();
  });

  command(lane, assignUpdate, (cmd) => checkAssignment(state, cmd), async (cmd) => {
    await apply(assignChange(state, cmd, Date.now()));
    return view();
  });

  command(lane, changePolicyUpdate, (cmd) => checkPolicyChange(state, cmd, registration.policyId ?? null), async (cmd) => {
    await apply(policyChange(state, cmd, registration.policyId ?? null, Date.now()), true);
    return view();
  });

  command(lane, filePlanUpdate, (cmd) => checkPlan(state, cmd), async (cmd) => {
    await apply(planChange(state, cmd, Date.now()));
    return view();
  });

  command(lane, recordAcceptanceUpdate, (cmd) => checkAcceptance(state, cmd), async (cmd) => {
    await apply(acceptanceChange(state, cmd, Date.now()));
    return view();
  });

  const urgeRefusal = { kind: 'not_allowed', message: 'the hazard is still being registered' } as const;
  acceptUrges(lane, (cmd) => (registered ? checkUrge(state, cmd, Date.now()) : urgeRefusal), async (cmd) => {
    const now = Date.now();
    await apply(urgeChange(state, cmd, registration.title, now));
    return now;
  });

  // A reopening run answers its caller only once the reopening is on record.
  let reopenRecorded = !(input.reopen && state.status === 'closed');
  setHandler(registeredUpdate, async () => {
    await condition(() => registered && reopenRecorded);
    return view();
  });

  command(lane, submitRectificationUpdate, (cmd) => checkSubmit(state, cmd), async (cmd) => {
    // A pending extension request lapses with the submission: the change records both.
    await apply(submitChange(state, cmd, Date.now()), true);
    return view();
  });

  command(lane, reviewUpdate, (cmd) => checkReview(state, cmd, Date.now()), async (cmd) => {
    await apply(reviewChange(state, cmd, Date.now()), true);
    if (state.status === 'closed') await tellNotices('closed', cmd.by);
    return view();
  });

  command(lane, requestExtensionUpdate, (cmd) => checkExtensionRequest(state, cmd, Date.now()), async (cmd) => {
    await apply(extensionRequestChange(state, cmd, Date.now()));
    return view();
  });

  // An approval moves the deadline: the main loop wakes on the new seq and waits for the new plan.
  command(lane, decideExtensionUpdate, (cmd) => checkExtensionDecision(state, cmd, Date.now()), async (cmd) => {
    await apply(extensionDecisionChange(state, cmd, Date.now()), true);
    return view();
  });

  // Starters that did not bring the calendar along (the API does) get it here, before any date is planned.
  if (!input.carried && state.calendar === undefined && dayUnitOf(state.policy) === 'working') {
    const years = await calendarYears(yearsFrom(shanghaiDate(Date.now())));
    state = { ...state, calendar: years };
  }

  if (!registered) {
    await exclusive(async () => {
      await record(registeredEvent(hazard, registration.createdBy, Date.now()));
      registered = true;
    });
  }

  if (input.reopen && state.status === 'closed') {
    const cmd = input.reopen;
    await exclusive(async () => {
      await apply(reopenChange(state, cmd), true);
      reopenRecorded = true;
      await tellNotices('reopened', cmd.by);
    });
  }

  /** When a step fires: the overdue mark tells no one, so it comes at this case's own offset after its instant. */
  function dueAt(step: { kind: string; at: number }): number {
    return step.kind === 'overdue' && patched(PATCHES.spreadOverdue) ? step.at + quietOffsetMs(workflowInfo().workflowId) : step.at;
  }

  await runClock(lane, {
    open: () => !settled(),
    seq: () => state.seq,
    next: () => {
      const step = nextStep(state);
      return step && { key: step.key, at: dueAt(step) };
    },
    fire: fireDueStep,
    historyLimit: input.historyLimit,
    continueAsNew: () => {
      const { reopen: _done, ...rest } = input;
      return continueAsNew<typeof hazardWorkflow>({ ...rest, carried: state });
    },
  });
  return view();

  async function fireDueStep(key: string): Promise<void> {
    const step = nextStep(state);
    // A command may have moved the hazard on while this step waited for its turn. Its own instant
    // decides whether it is due (the clock's timer already held a quiet step back): a comparison
    // with the offset time would hang on the millisecond the timer fired at, on replay as well.
    if (!step || step.key !== key || step.at > Date.now()) return;
    // A step counted into a year the run lacks fires only after asking for that year once more.
    if ('provisional' in step && step.provisional) {
      const changes = await fetchMissingYears(PATCHES.fetchYearsBeforeStep);
      for (const change of changes) await record(calendarAppliedEvent(state, change, Date.now()));
      if (changes.length) return;
    }
    await apply(stepChange(state, step, registration.title, Date.now()));
  }
}
