/**
 * A workflow with no business logic, only a number of activity calls: the benchmark's baseline
 * for what the same Temporal server and worker do with the same number of steps.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { touch } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds' });

export async function bareWorkflow(steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) await touch(i);
  return steps;
}

/**
 * The same steps as local activities (run by the worker inside the workflow task, a marker in the
 * history instead of three events and a second task): what the baseline becomes if a life's
 * recording steps were made local, to weigh that change against the same change on its baseline.
 */
export async function bareLocalWorkflow(steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) await local.touch(i);
  return steps;
}
