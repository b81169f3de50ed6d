/**
 * One run of the campaign snapshot schedule (temporal/campaign-snapshot-schedule.ts): takes the
 * day's burn-down figures of every campaign still followed. The run's own start time is "now", so
 * a run caught up late still knows which day it stood for.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SnapshotRun } from '../domain/campaign-burndown';
import { RECORD_RETRY } from './commands';

const { snapshotCampaigns } = proxyActivities<Activities>({
  // A first backfill of a long-past cut-off takes one query per day; progress is kept per day.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: RECORD_RETRY,
});

export async function campaignSnapshotWorkflow(): Promise<SnapshotRun> {
  return snapshotCampaigns({ at: Date.now() });
}
