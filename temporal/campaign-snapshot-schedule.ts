/**
 * The Temporal Schedule that takes the campaign burn-down's daily snapshots: every hour at five
 * past, Asia/Shanghai. The run at 00:05 makes the day just ended final; the others retake the
 * current day's provisional row. Set up by each worker as it starts: created when absent, brought
 * to this definition when present, so a change here reaches the cluster with the next deployment.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';

export const CAMPAIGN_SNAPSHOT_SCHEDULE_ID = 'campaign-snapshots';

export function campaignSnapshotSchedule(taskQueue: string, scheduleId = CAMPAIGN_SNAPSHOT_SCHEDULE_ID): ScheduleOptions {
  return {
    scheduleId,
    spec: { cronExpressions: ['5 * * * *'], timezone: 'Asia/Shanghai' },
    action: {
      type: 'startWorkflow',
      workflowType: 'campaignSnapshotWorkflow',
      workflowId: scheduleId,
      taskQueue,
      args: [],
      workflowExecutionTimeout: '2 hours',
    },
    policies: {
      // A long first backfill still running is not joined by a second run: the next one takes what is left.
      overlap: ScheduleOverlapPolicy.SKIP,
      // After an outage one late run is enough: each run takes every day not yet final.
      catchupWindow: '1 day',
    },
  };
}

/** Creates the schedule, or updates it to this definition if it exists; says which. */
export async function ensureCampaignSnapshotSchedule(client: Client, taskQueue: string, scheduleId = CAMPAIGN_SNAPSHOT_SCHEDULE_ID): Promise<'created' | 'updated'> {
  const wanted = campaignSnapshotSchedule(taskQueue, scheduleId);
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec: wanted.spec, action: wanted.action, policies: { ...previous.policies, ...wanted.policies } }));
  return 'updated';
}
