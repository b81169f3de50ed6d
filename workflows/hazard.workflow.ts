/**
 * One hazard from order to verified closure. Time drives reminders, the overdue moment and the
 * escalation ladder; Updates drive submission and review. The rules themselves live in
 * domain/hazard-lifecycle; this file only decides when to apply them and records each change.
 */
import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { command, RECORD_RETRY, searchAttributeKeeper, runClock, singleLane } from './commands';
import type { Activities } from '../activities';
import type { HazardEventRecord, HazardStepRecord } from '../activities/hazard-records';
import {
  checkReview,
  checkSubmit,
  changePolicy,
  checkPolicyChange,
  checkVoid,
  fireStep,
  initialState,
  nextStep,
  reopen,
  review,
  submit,
  upgradeState,
  voidHazard,
  type HazardState,
} from '../domain/hazard-lifecycle';
import { applyCalendarYear, type CalendarChange } from '../domain/hazard-calendar';
import { hazardYearsWanted } from '../domain/hazard-years';
import { PATCHES } from './patches';
import { quietOffsetMs } from '../domain/quiet-offset';
import { dayUnitOf } from '../domain/policy-rules';
import { yearsFrom } from '../domain/work-calendar';
import { assign, checkAssignment } from '../domain/hazard-assignment';
import { checkAcceptance, checkPlan, filePlan, recordAcceptance } from '../domain/major-hazard';
import { calendarChangedSignal } from './calendar-signal';
import { attachNoticeSignal, hazardOutcomeSignal, signalIfRunning, type HazardOutcomeKind } from './notice-link';
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
import { escalationText, reminderText, reviewOverdueText } from '../domain/notification-text';
import { stepKey, type ScheduledStep } from '../domain/schedule';
import { daysBetween, dueInstant, shanghaiDate } from '../domain/shanghai-time';
import {
  assignUpdate,
  changePolicyUpdate,
  decideExtensionUpdate,
  filePlanUpdate,
  recordAcceptanceUpdate,
  voidUpdate,
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

  async function record(key: string, event: HazardEventRecord, extra: Pick<HazardStepRecord, 'notification' | 'freezeEvidence' | 'policyChange'> = {}) {
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
    keepSearchAttributes([
      { key: DubanStatus, value: state.status },
      { key: DubanDeadline, value: new Date(dueInstant(state.deadline)) },
      { key: DubanEscalationLevel, value: state.escalationLevel },
      { key: DubanEnterprise, value: state.enterpriseId },
    ]);
  }

  setHandler(hazardStateQuery, () => viewOf(state, Date.now()));

  const settled = () => state.status === 'closed' || state.status === 'void';

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
      state = { ...state, notices: [...(state.notices ?? []), link], seq: state.seq + 1 };
      await record(`notice-${link.noticeId}/attached`, {
        type: 'notice_attached',
        actor: 'system',
        occurredAt: Date.now(),
        data: { noticeId: link.noticeId },
      });
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
      await record(stepKey(state.round, `calendar-${year.year}-s${state.seq}`), {
        type: 'calendar_applied',
        actor: 'system',
        occurredAt: Date.now(),
        data: { ...applied.change },
      });
    }),
  );

  command(lane, voidUpdate, (cmd) => checkVoid(state, cmd), async (cmd) => {
    const now = Date.now();
    const was = state.status;
    state = voidHazard(state, cmd, now);
    await record(stepKey(state.round, 'voided'), {
      type: 'voided',
      actor: cmd.by,
      occurredAt: now,
      data: { kind: cmd.kind, reason: cmd.reason.trim(), statusBefore: was },
    });
    await tellNotices('void', cmd.by);
    return viewOf(state, Date.now());
  });

  command(lane, assignUpdate, (cmd) => checkAssignment(state, cmd), async (cmd) => {
    const now = Date.now();
    const changed = assign(state, cmd);
    state = changed.state;
    await record(stepKey(state.round, `assignment-s${state.seq}`), {
      type: cmd.kind === 'delegate' ? (cmd.to ? 'delegated' : 'delegation_withdrawn') : 'reassigned',
      actor: cmd.by,
      occurredAt: now,
      data: { role: cmd.kind === 'delegate' ? 'delegate' : cmd.role, from: changed.from, to: cmd.to, reason: cmd.reason.trim() },
    });
    return viewOf(state, Date.now());
  });

  command(lane, changePolicyUpdate, (cmd) => checkPolicyChange(state, cmd, registration.policyId ?? null), async (cmd) => {
    const now = Date.now();
    const from = state.policyId ?? registration.policyId ?? null;
    state = changePolicy(state, cmd);
    const key = stepKey(state.round, `policy-${cmd.policyId}-s${state.seq}`);
    await fetchMissingYears();
    await record(
      key,
      { type: 'policy_changed', actor: cmd.by, occurredAt: now, data: { fromPolicyId: from, toPolicyId: cmd.policyId, version: cmd.version, reason: cmd.reason.trim() } },
      { policyChange: { policy: cmd.policy, policyId: cmd.policyId } },
    );
    return viewOf(state, Date.now());
  });

  command(lane, filePlanUpdate, (cmd) => checkPlan(state, cmd), async (cmd) => {
    const now = Date.now();
    state = filePlan(state, cmd, now);
    const { by: _by, at: _at, ...plan } = state.plan!;
    await record(stepKey(state.round, `plan-v${plan.version}`), { type: 'plan_filed', actor: cmd.by, occurredAt: now, data: plan });
    return viewOf(state, Date.now());
  });

  command(lane, recordAcceptanceUpdate, (cmd) => checkAcceptance(state, cmd), async (cmd) => {
    const now = Date.now();
    state = recordAcceptance(state, cmd, now);
    const acceptance = state.acceptances!.at(-1)!;
    await record(stepKey(state.round, `acceptance-${cmd.party}-s${state.seq}`), {
      type: 'acceptance_recorded',
      actor: cmd.by,
      occurredAt: now,
      data: { round: acceptance.round, party: acceptance.party, passed: acceptance.passed, opinion: acceptance.opinion, signatory: acceptance.signatory },
    });
    return viewOf(state, Date.now());
  });

  // A reopening run answers its caller only once the reopening is on record.
  let reopenRecorded = !(input.reopen && state.status === 'closed');
  setHandler(registeredUpdate, async () => {
    await condition(() => registered && reopenRecorded);
    return viewOf(state, Date.now());
  });

  command(lane, submitRectificationUpdate, (cmd) => checkSubmit(state, cmd), async (cmd) => {
    const now = Date.now();
    const lapsed = extensionsOf(state).pending;
    state = submit(state, cmd, now);
    await fetchMissingYears();
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
  });

  command(lane, reviewUpdate, (cmd) => checkReview(state, cmd, Date.now()), async (cmd) => {
    const now = Date.now();
    const round = state.round;
    state = review(state, cmd, now);
    await fetchMissingYears();
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
    if (state.status === 'closed') await tellNotices('closed', cmd.by);
    return viewOf(state, Date.now());
  });

  command(lane, requestExtensionUpdate, (cmd) => checkExtensionRequest(state, cmd, Date.now()), async (cmd) => {
    const now = Date.now();
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
  });

  command(lane, decideExtensionUpdate, (cmd) => checkExtensionDecision(state, cmd, Date.now()), async (cmd) => {
    const now = Date.now();
    const request = extensionsOf(state).pending!;
    const previousDeadline = state.deadline;
    state = decideExtension(state, cmd, now);
    await fetchMissingYears();
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
  });

  // Starters that did not bring the calendar along (the API does) get it here, before any date is planned.
  if (!input.carried && state.calendar === undefined && dayUnitOf(state.policy) === 'working') {
    const years = await calendarYears(yearsFrom(shanghaiDate(Date.now())));
    state = { ...state, calendar: years };
  }

  if (!registered) {
    await exclusive(async () => {
      await record(stepKey(0, 'registered'), {
        type: 'registered',
        actor: registration.createdBy,
        occurredAt: Date.now(),
        data: {
          deadline: hazard.deadline,
          grade: hazard.grade,
          policy: hazard.policy,
          ...(hazard.deadlineRule ? { deadlineRule: hazard.deadlineRule } : {}),
          ...(hazard.listingLevel ? { listingLevel: hazard.listingLevel } : {}),
          ...(hazard.assignment ? { assignment: hazard.assignment } : {}),
        },
      });
      registered = true;
    });
  }

  if (input.reopen && state.status === 'closed') {
    const cmd = input.reopen;
    await exclusive(async () => {
      const closedAt = state.closedAt;
      state = reopen(state, cmd, cmd.at);
      await fetchMissingYears();
      await record(stepKey(state.round, 'reopened'), {
        type: 'reopened',
        actor: cmd.by,
        occurredAt: cmd.at,
        data: { reason: cmd.reason.trim(), newDeadline: cmd.newDeadline, closedAt, round: state.round },
      });
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
  return viewOf(state, Date.now());

  async function fireDueStep(key: string): Promise<void> {
    const step = nextStep(state);
    // A command may have moved the hazard on while this step waited for its turn.
    if (!step || step.key !== key || dueAt(step) > Date.now()) return;
    // A step counted into a year the run lacks fires only after asking for that year once more.
    if ('provisional' in step && step.provisional) {
      const changes = await fetchMissingYears(PATCHES.fetchYearsBeforeStep);
      for (const change of changes) {
        await record(stepKey(state.round, `calendar-${change.year}-s${state.seq}`), { type: 'calendar_applied', actor: 'system', occurredAt: Date.now(), data: { ...change } });
      }
      if (changes.length) return;
    }
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
    } else if (step.kind === 'review_overdue') {
      const submittedOn = shanghaiDate(state.submission!.at);
      const reviewDue = state.reviewDue!.date;
      await record(
        step.key,
        { ...base, type: 'review_overdue', data: { submittedAt: state.submission!.at, reviewDue, recipientRole: step.recipientRole, scheduledAt: step.at } },
        {
          notification: {
            kind: 'escalation',
            recipientRole: step.recipientRole,
            level: null,
            message: reviewOverdueText(title, submittedOn, reviewDue),
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
}
