/**
 * A workflow start that failed may still have begun: the call can time out, or its connection
 * drop, after Temporal took it. Undoing what was recorded for it (a batch dropped, a confirmation
 * withdrawn) would then leave a workflow running on records that say it never began.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isWorkflowGone, temporalTrouble } from './service-errors';

/** How long the question may take, apart from the request's own budget (already spent). */
const ASK_MS = 2_000;

/**
 * After `error` from starting `workflowId`: 'not-started' when Temporal refused it or says there is
 * no such workflow, 'started' when it is there, 'unknown' when Temporal cannot be asked now.
 */
export async function startOutcome(client: Pick<Client, 'withDeadline' | 'workflow'>, workflowId: string, error: unknown): Promise<'started' | 'not-started' | 'unknown'> {
  if (temporalTrouble(error) !== 'unavailable') return 'not-started';
  try {
    await client.withDeadline(Date.now() + ASK_MS, () => client.workflow.getHandle(workflowId).describe());
    return 'started';
  } catch (asked) {
    return asked instanceof WorkflowNotFoundError || isWorkflowGone(asked) ? 'not-started' : 'unknown';
  }
}
