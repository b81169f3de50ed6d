/**
 * One supervision notice from issue to closure. Time drives the sign escalation and, once the
 * deadline has passed, the ladder of numbered instruments and the decisions it opens for people;
 * the hazards' outcome signals close it. The rules, and the events each change causes, live in
 * domain/ (notice-lifecycle, notice-changes); this file decides when to apply them and records
 * what they return through one idempotent activity.
 */
import { condition, continueAsNew, patched, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import { command, RECORD_HEARTBEAT_TIMEOUT, RECORD_RETRY, searchAttributeKeeper, refuse, runClock, singleLane } from './commands';
import type { Activities } from '../activities';
import {
  checkConfirmCompletion, checkDecide, checkExtendDeadline, checkSign, extendDeadline, nextNoticeStep, noticeSnapshot, noticeView, readyToClose,
  type NoticeState, type NoticeView,
} from '../domain/notice-lifecycle';
import {
  calendarChange, confirmationChange, decisionChange, extensionChange, hazardOutcomeChange, instrumentNumbered, issuedChange, noticeNumbered,
  settledAtIssueChange, settledChange, signChange, stepChange, withYears, yearFetchedEvent, type NoticeChange, type NoticeRecord,
} from '../domain/notice-changes';
import { quietOffsetMs } from '../domain/quiet-offset';
import { dueInstant, shanghaiDate } from '../domain/shanghai-time';
import { yearsFrom, type YearCalendar } from '../domain/work-calendar';
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
  confirmCompletionUpdate, decideUpdate, extendDeadlineUpdate, noticeIssuedUpdate, noticeStateQuery, signNoticeUpdate, type NoticeWorkflowInput,
} from './notice.messages';

const { recordNoticeStep, noticeHazardStatuses, calendarYears } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: RECORD_HEARTBEAT_TIMEOUT,
  // A record must land eventually: keep retrying through a database outage, with backoff.
  retry: RECORD_RETRY,
});

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
  const view = () => noticeView(current(), Date.now());

  /** Records one event with the state as it stands now; answers the number the record issued, if any. */
  async function record({ key, event, ...extra }: NoticeRecord): Promise<string | null> {
    const s = current();
    const { code } = await recordNoticeStep({
      noticeId: s.noticeId,
      workflowId: workflowInfo().workflowId,
      stepKey: key,
      event,
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
    return code;
  }

  /** Takes a change's state and records its events; answers the number the last of them issued, if any. */
  async function apply(change: NoticeChange): Promise<string | null> {
    state = change.state;
    let code: string | null = null;
    for (const event of change.events) code = await record(event);
    return code;
  }

  /** The calendar years `s` counted dates into without holding them (a year published after the notice took its calendar). */
  async function missingYears(s: NoticeState, patch: string = PATCHES.fetchMissingYears): Promise<YearCalendar[]> {
    const wanted = noticeYearsWanted(s);
    if (!wanted.length || !patched(patch)) return [];
    return calendarYears(wanted);
  }

  // Issue first, so every message queued behind it sees the recorded notice.
  const issuing = input.carried
    ? Promise.resolve()
    : exclusive(async () => {
        const years = await calendarYears(yearsFrom(shanghaiDate(Date.now())));
        const code = await apply(issuedChange(input.notice, years, issue, Date.now()));
        state = noticeNumbered(current(), code);
      });

  setHandler(noticeStateQuery, view);

  // Answers once the notice is recorded and its hazards told, so what a caller reads next is settled.
  let linked = input.carried !== undefined;
  setHandler(noticeIssuedUpdate, async () => {
    await issuing;
    await condition(() => linked);
    return view();
  });

  command(lane, signNoticeUpdate, (cmd) => checkSign(current(), cmd), async (cmd) => {
    await apply(signChange(current(), cmd, Date.now()));
    return view();
  });

  command(lane, decideUpdate, (cmd) => checkDecide(current(), cmd), async (cmd) => {
    await apply(decisionChange(current(), cmd, Date.now()));
    return view();
  });

  command(lane, extendDeadlineUpdate, (cmd) => checkExtendDeadline(current(), cmd, Date.now()), async (cmd) => {
    // The deadline moves at once (the clock plans against it while the years its ladder reaches
    // are fetched); the extension, with those years taken in, is recorded at the time they came.
    const before = current();
    state = extendDeadline(before, cmd);
    await apply(extensionChange(before, cmd, await missingYears(state), Date.now()));
    return view();
  });

  command(lane, confirmCompletionUpdate, (cmd) => checkConfirmCompletion(current(), cmd), async (cmd) => {
    await apply(confirmationChange(current(), cmd, Date.now()));
    return view();
  });

  // 催办: a notice still being issued is not yet urgeable (the lane puts the urge after the issue).
  acceptUrges(lane, (cmd) => (state ? checkUrge(state, cmd, Date.now()) : { kind: 'not_allowed', message: 'the notice is still being issued' }), async (cmd) => {
    const now = Date.now();
    await apply(noticeUrgeChange(current(), cmd, issue.title, now));
    return now;
  });

  // Handlers return the lane's promise, so allHandlersFinished waits for the change they queued.
  setHandler(hazardOutcomeSignal, (o) =>
    exclusive(async () => {
      if (!state) return;
      const change = hazardOutcomeChange(state, o, Date.now());
      if (!change.events.length) return;
      await apply(change);
      if (readyToClose(current())) await apply(settledChange(current(), Date.now()));
    }),
  );

  setHandler(calendarChangedSignal, (year) =>
    exclusive(async () => {
      if (!state || state.status === 'closed') return;
      await apply(calendarChange(state, year, Date.now()));
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
  return view();

  /** Tells each open hazard it belongs to this notice; hazards already settled (or whose workflow has ended) are settled here. */
  async function linkHazards(): Promise<void> {
    const ids = current().hazards.map((h) => h.hazardId);
    if (!ids.length) return;
    const statuses = new Map((await noticeHazardStatuses(ids)).map((r) => [r.hazardId, r.status]));
    for (const hazardId of ids) {
      let status = statuses.get(hazardId) ?? 'missing';
      if (status !== 'closed' && status !== 'void') {
        const told = await signalIfRunning(hazardWorkflowId(hazardId), attachNoticeSignal, { noticeId: current().noticeId, workflowId: workflowInfo().workflowId });
        if (told) continue;
        // Its workflow is no longer running: what the read model says now is its outcome.
        status = (await noticeHazardStatuses([hazardId]))[0]?.status ?? 'missing';
      }
      await apply(settledAtIssueChange(current(), hazardId, status, Date.now()));
    }
    if (readyToClose(current())) await apply(settledChange(current(), Date.now()));
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
      const years = await missingYears(current(), PATCHES.fetchYearsBeforeStep);
      state = withYears(current(), years);
      for (const { year } of years) await record(yearFetchedEvent(current(), year, Date.now()));
      if (years.length) return;
    }
    // A decision opens under an id made here (only then: each id drawn moves the run's random sequence).
    const decisionId = step.kind === 'decision' ? uuid4() : undefined;
    const code = await apply(stepChange(current(), step, issue.title, Date.now(), decisionId));
    if (step.kind === 'instrument') state = instrumentNumbered(current(), step.key, code);
  }
}
