/**
 * Publishing a year of the working-day calendar, durably: store it, then page through the open
 * hazards and notices it concerns (ids by keyset) and signal each workflow, so each recomputes
 * its dates and records what moved. One page per run, then continue-as-new, so history stays
 * bounded at any number of hazards; progress is written to Postgres after each page and answered
 * by a Query. A crash of the API or a worker only delays it.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NO_COUNTS, remainingOf, type PublicationCounts, type PublicationPhase, type PublicationStart, type PublicationTarget } from '../domain/calendar-publication';
import type { YearCalendar } from '../domain/work-calendar';
import { calendarChangedSignal } from './calendar-signal';
import { RECORD_RETRY } from './commands';
import { hazardWorkflowId } from './hazard.messages';
import { noticeWorkflowId } from './notice.messages';
import { publicationProgressQuery, publicationStartedUpdate, type CalendarPublicationInput } from './calendar-publication.messages';

const { beginCalendarPublication, calendarPublicationPage, recordCalendarPublicationProgress } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: RECORD_RETRY,
});

/** Tries of a signal that failed for a reason other than its workflow having ended. */
const SIGNAL_TRIES = 5;

type Outcome = 'told' | 'ended' | 'failed';

/**
 * The server answers a signal to a workflow that does not exist or has completed with "not
 * found"; only that means the item ended. Anything else is tried again, then counted as failed
 * (visible in the progress, never taken for an ended workflow).
 */
export function signalTargetEnded(err: unknown): boolean {
  const message = err instanceof Error ? `${err.message} ${(err.cause as Error | undefined)?.message ?? ''}` : String(err);
  return /not found/i.test(message);
}

async function tell(workflowId: string, year: YearCalendar): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await getExternalWorkflowHandle(workflowId).signal(calendarChangedSignal, year);
      return 'told';
    } catch (err) {
      if (signalTargetEnded(err)) return 'ended';
      if (attempt >= SIGNAL_TRIES) {
        log.warn('calendar publication could not tell a workflow', { workflowId, attempt, error: (err as Error).message });
        return 'failed';
      }
      await sleep(attempt * 5_000);
    }
  }
}

const NEXT_PHASE: Record<PublicationPhase, PublicationPhase> = { hazards: 'notices', notices: 'done', done: 'done' };
const TARGET: Record<Exclude<PublicationPhase, 'done'>, PublicationTarget> = { hazards: 'hazard', notices: 'notice' };

export async function calendarPublicationWorkflow(input: CalendarPublicationInput): Promise<PublicationCounts> {
  const { publicationId, year, pageSize } = input;
  const runId = input.carried?.runId ?? workflowInfo().firstExecutionRunId;
  let start: PublicationStart | undefined = input.carried?.start;
  let phase: PublicationPhase = input.carried?.phase ?? 'hazards';
  let after = input.carried?.after ?? null;
  let counts: PublicationCounts = input.carried?.counts ?? NO_COUNTS;

  setHandler(publicationStartedUpdate, async () => {
    await condition(() => start !== undefined);
    return start!;
  });
  setHandler(publicationProgressQuery, () => {
    const concerned = start?.concerned ?? 0;
    return {
      publicationId,
      year: year.year,
      replaced: start?.replaced ?? false,
      phase,
      concerned,
      ...counts,
      remaining: phase === 'done' ? 0 : remainingOf(concerned, counts),
      done: phase === 'done',
    };
  });

  if (!start) start = await beginCalendarPublication({ publicationId, runId, actor: input.actor, year, at: Date.now() });
  const begun = start;

  if (phase !== 'done') {
    const page = await calendarPublicationPage({ target: TARGET[phase], year: year.year, replaced: begun.replaced, previous: begun.previous, after, limit: pageSize });
    const workflowId = phase === 'hazards' ? hazardWorkflowId : noticeWorkflowId;
    const outcomes = await Promise.all(page.ids.map((id) => tell(workflowId(id), year)));
    const told = outcomes.filter((o) => o === 'told').length;
    counts = {
      hazardsTold: counts.hazardsTold + (phase === 'hazards' ? told : 0),
      noticesTold: counts.noticesTold + (phase === 'notices' ? told : 0),
      alreadyEnded: counts.alreadyEnded + outcomes.filter((o) => o === 'ended').length,
      failed: counts.failed + outcomes.filter((o) => o === 'failed').length,
      deadlinesMoved: counts.deadlinesMoved + page.moved,
    };
    if (page.next === null) {
      phase = NEXT_PHASE[phase];
      after = null;
    } else {
      after = page.next;
    }
    await recordCalendarPublicationProgress({ publicationId, runId, phase, counts, at: Date.now() });
  }
  if (phase === 'done') {
    await condition(allHandlersFinished);
    return counts;
  }
  await condition(allHandlersFinished);
  return continueAsNew<typeof calendarPublicationWorkflow>({ ...input, carried: { start: begun, runId, phase, after, counts } });
}
