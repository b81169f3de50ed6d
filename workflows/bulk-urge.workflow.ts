/**
 * A bulk urge (催办) of every overdue hazard and notice of an enterprise or a region, within the
 * urging leader's reach: page through the overdue items (ids by keyset, overdue as of the moment
 * the bulk urge began) and signal each item's workflow, which judges and records its own urge
 * (an item urged within the quiet window, or settled meanwhile, is passed over). One page per
 * run, then continue-as-new, so history stays bounded at any number of items; progress is
 * written to Postgres after each page. A crash of the API or a worker only delays it.
 */
import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, log, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { bulkRemaining, type BulkUrgePhase } from '../domain/bulk-urge';
import type { UrgeCommand } from '../domain/urge';
import { signalTargetEnded } from './calendar-publication.workflow';
import { RECORD_RETRY } from './commands';
import { hazardWorkflowId } from './hazard.messages';
import { noticeWorkflowId } from './notice.messages';
import { bulkUrgeProgressQuery, bulkUrgeSignal, bulkUrgeStartedUpdate, type BulkUrgeCounts, type BulkUrgeInput } from './urge.messages';

const { beginBulkUrge, bulkUrgePage, recordBulkUrgeProgress } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: RECORD_RETRY,
});

/** Tries of a signal that failed for a reason other than its workflow having ended. */
const SIGNAL_TRIES = 5;

async function tell(workflowId: string, cmd: UrgeCommand): Promise<'told' | 'ended' | 'failed'> {
  for (let attempt = 1; ; attempt++) {
    try {
      await getExternalWorkflowHandle(workflowId).signal(bulkUrgeSignal, cmd);
      return 'told';
    } catch (err) {
      if (signalTargetEnded(err)) return 'ended';
      if (attempt >= SIGNAL_TRIES) {
        log.warn('bulk urge could not reach a workflow', { workflowId, attempt, error: (err as Error).message });
        return 'failed';
      }
      await sleep(attempt * 5_000);
    }
  }
}

const NO_COUNTS: BulkUrgeCounts = { told: 0, alreadyEnded: 0, failed: 0 };
const NEXT_PHASE: Record<BulkUrgePhase, BulkUrgePhase> = { hazards: 'notices', notices: 'done', done: 'done' };

export async function bulkUrgeWorkflow(input: BulkUrgeInput): Promise<BulkUrgeCounts> {
  const { bulkUrgeId, scope, pageSize } = input;
  const runId = input.carried?.runId ?? workflowInfo().firstExecutionRunId;
  let begun: { concerned: number; asOf: number } | undefined = input.carried?.begun;
  let phase: BulkUrgePhase = input.carried?.phase ?? 'hazards';
  let after = input.carried?.after ?? null;
  let counts = input.carried?.counts ?? NO_COUNTS;

  setHandler(bulkUrgeStartedUpdate, async () => {
    await condition(() => begun !== undefined);
    return begun!;
  });
  setHandler(bulkUrgeProgressQuery, () => ({
    bulkUrgeId,
    scope: { kind: scope.kind, id: scope.kind === 'enterprise' ? scope.enterpriseId : scope.regionId },
    message: input.message,
    urgedBy: input.by,
    phase,
    concerned: begun?.concerned ?? 0,
    ...counts,
    // The records know how many were urged; the workflow knows only what it told.
    urged: 0,
    passedOver: 0,
    remaining: phase === 'done' ? 0 : bulkRemaining(begun?.concerned ?? 0, counts),
    done: phase === 'done',
  }));

  begun ??= await beginBulkUrge({ bulkUrgeId, runId, by: input.by, message: input.message, scope, at: Date.now() });
  const started = begun;
  const { asOf } = started;

  if (phase !== 'done') {
    const target = phase === 'hazards' ? 'hazard' : 'notice';
    const page = await bulkUrgePage({ target, scope, asOf, after, limit: pageSize });
    const workflowId = target === 'hazard' ? hazardWorkflowId : noticeWorkflowId;
    const cmd: UrgeCommand = { by: input.by, message: input.message, bulkUrgeId };
    const outcomes = await Promise.all(page.ids.map((id) => tell(workflowId(id), cmd)));
    counts = {
      told: counts.told + outcomes.filter((o) => o === 'told').length,
      alreadyEnded: counts.alreadyEnded + outcomes.filter((o) => o === 'ended').length,
      failed: counts.failed + outcomes.filter((o) => o === 'failed').length,
    };
    if (page.next === null) {
      phase = NEXT_PHASE[phase];
      after = null;
    } else {
      after = page.next;
    }
    await recordBulkUrgeProgress({ bulkUrgeId, runId, phase, counts, at: Date.now() });
  }
  await condition(allHandlersFinished);
  if (phase === 'done') return counts;
  return continueAsNew<typeof bulkUrgeWorkflow>({ ...input, carried: { runId, begun: started, phase, after, counts } });
}
