/**
 * Review packs on Temporal: one Schedule per jurisdiction that holds a review meeting
 * (`review-pack-<regionId>`), at 08:00 Asia/Shanghai on the first day of each meeting window,
 * starting the pack workflow for the window just ended; and packs asked for ahead of a meeting.
 * Each worker brings the schedules to the policies as it starts (created when absent, updated
 * when present, deleted where a jurisdiction stopped meeting); a saved policy brings its own.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Database } from '../db/client';
import { reviewPolicies } from '../db/review-packs';
import { reviewCron, type PackPeriod } from '../domain/figures/review-pack';
import type { ReviewPackInput, reviewPackWorkflow } from '../workflows/review-pack.workflow';

export const REVIEW_PACK_PREFIX = 'review-pack-';

export function reviewPackScheduleId(regionId: string): string {
  return `${REVIEW_PACK_PREFIX}${regionId}`;
}

export function reviewPackSchedule(taskQueue: string, regionId: string, everyMonths: number): ScheduleOptions {
  const scheduleId = reviewPackScheduleId(regionId);
  const input: ReviewPackInput = { regionId, everyMonths };
  return {
    scheduleId,
    spec: { cronExpressions: [reviewCron(everyMonths)], timezone: 'Asia/Shanghai' },
    action: { type: 'startWorkflow', workflowType: 'reviewPackWorkflow', workflowId: scheduleId, taskQueue, args: [input], workflowExecutionTimeout: '1 day' },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // A worker down over the 1st still yields the pack when it is back within a few days.
      catchupWindow: '7 days',
    },
  };
}

/** Creates the region's schedule, or brings an existing one to this definition; says which. */
export async function ensureReviewPackSchedule(client: Client, taskQueue: string, regionId: string, everyMonths: number): Promise<'created' | 'updated'> {
  const wanted = reviewPackSchedule(taskQueue, regionId, everyMonths);
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule
    .getHandle(wanted.scheduleId)
    .update((previous) => ({ ...previous, spec: wanted.spec, action: wanted.action, policies: { ...previous.policies, ...wanted.policies } }));
  return 'updated';
}

/** Deletes the region's schedule; none there is fine. */
export async function removeReviewPackSchedule(client: Client, regionId: string): Promise<void> {
  try {
    await client.schedule.getHandle(reviewPackScheduleId(regionId)).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/** The schedule a region's policy wants: its rhythm while active, none otherwise. */
export async function applyReviewPolicy(client: Client, taskQueue: string, policy: { regionId: string; everyMonths: number; active: boolean }) {
  if (policy.active) return ensureReviewPackSchedule(client, taskQueue, policy.regionId, policy.everyMonths);
  await removeReviewPackSchedule(client, policy.regionId);
  return 'removed' as const;
}

/** Brings every jurisdiction's schedule to its policy; counts what it did. */
export async function setUpReviewPackSchedules(client: Client, db: Database, taskQueue: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const policy of await reviewPolicies(db)) {
    if (!policy.active && !policy.configured) continue;
    const outcome = await applyReviewPolicy(client, taskQueue, policy);
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

/**
 * A pack asked for now: one workflow per region and period, so requests arriving together join
 * the one running, and a later request runs again (the pack is replaced with newer figures).
 */
export async function startReviewPack(client: Client, taskQueue: string, regionId: string, everyMonths: number, period: PackPeriod, by: string): Promise<string> {
  const workflowId = `${REVIEW_PACK_PREFIX}${regionId}-${period.from}-${period.to}`;
  const input: ReviewPackInput = { regionId, everyMonths, period, assembledBy: by };
  await client.workflow.start<typeof reviewPackWorkflow>('reviewPackWorkflow', {
    workflowId,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return workflowId;
}
