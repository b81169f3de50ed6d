/**
 * What every start of a case's workflow (hazard, notice, suspension) shares, and how the API asks
 * whether a start whose answer it lost got through.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';

export const CASE_START_OPTIONS = {
  // The same id again joins the running workflow (a retried request), never starts a second.
  workflowIdConflictPolicy: 'USE_EXISTING',
  workflowIdReusePolicy: 'REJECT_DUPLICATE',
  // A task handed to a worker that stops before running it is handed on after this long: shorter
  // than the API's wait for an answer, so a rolling restart costs a command a delay, not a 503.
  workflowTaskTimeout: '4 seconds',
} as const;

/**
 * Whether the workflow is running, and so will still record what it was started for: false when
 * Temporal has no such workflow or it has ended; null when Temporal could not be asked.
 */
export async function workflowRunning(client: Client, workflowId: string): Promise<boolean | null> {
  try {
    const { status } = await client.workflow.getHandle(workflowId).describe();
    return status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    return null;
  }
}
