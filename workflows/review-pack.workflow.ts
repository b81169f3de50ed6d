/**
 * A review pack for a jurisdiction: started by its Schedule at the start of each meeting window
 * (the period is the window just ended, counted from the run's start), or by a request ahead of a
 * meeting (the period so far, given). One activity assembles and stores it; its retries replace
 * the same pack.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DEFAULT_REVIEW_INTERVAL, periodJustEnded, type PackPeriod } from '../domain/figures/review-pack';
import { shanghaiDate } from '../domain/shanghai-time';
import { RECORD_RETRY } from './commands';

export interface ReviewPackInput {
  regionId: string;
  everyMonths?: number;
  /** Given by a request; a scheduled run takes the window just ended. */
  period?: PackPeriod;
  /** `system` unless a person asked. */
  assembledBy?: string;
}

const { assembleReviewPack } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { ...RECORD_RETRY, maximumAttempts: 20 },
});

export async function reviewPackWorkflow(input: ReviewPackInput): Promise<{ packId: string; period: PackPeriod }> {
  const everyMonths = input.everyMonths ?? DEFAULT_REVIEW_INTERVAL;
  // Date.now() in a workflow is the time of the task, the same on every replay.
  const period = input.period ?? periodJustEnded(shanghaiDate(Date.now()), everyMonths);
  const previous = periodJustEnded(period.from, everyMonths);
  const packId = await assembleReviewPack({ regionId: input.regionId, period, previous, assembledBy: input.assembledBy ?? 'system' });
  return { packId, period };
}
