/** A workflow for tests only: runs one real recording activity and says how it ended. */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { HazardStepRecord } from '../../activities/hazard-records';

const { recordHazardStep } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  // Few, quick retries: a permanent failure must not use them.
  retry: { initialInterval: '50 milliseconds', backoffCoefficient: 1, maximumAttempts: 4 },
});

export async function recordProbeWorkflow(rec: HazardStepRecord) {
  try {
    await recordHazardStep(rec);
    return { ok: true as const };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause instanceof ApplicationFailure ? err.cause : null;
    return { ok: false as const, retryState: err.retryState, type: cause?.type ?? null, nonRetryable: cause?.nonRetryable ?? null, details: cause?.details ?? null };
  }
}
