/** A workflow for tests only: one durable timer, and when it fired by the workflow's clock. */
import { sleep } from '@temporalio/workflow';

export async function timerProbeWorkflow(ms: number): Promise<{ startedAt: number; firedAt: number }> {
  const startedAt = Date.now();
  await sleep(ms);
  return { startedAt, firedAt: Date.now() };
}
