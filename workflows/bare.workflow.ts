/**
 * A workflow with no business logic, only a number of activity calls: the benchmark's baseline
 * for what the same Temporal server and worker do with the same number of steps.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { touch } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

export async function bareWorkflow(steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) await touch(i);
  return steps;
}
