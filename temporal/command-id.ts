/**
 * A command sent to a workflow as an Update under an id fixed by the request (user,
 * Idempotency-Key and request: see api/middleware/idempotency.ts). Sent again under the same id
 * — a retry after the process of the first attempt died, or two attempts racing — Temporal runs
 * it once and answers every sender with the first outcome, the first refusal included.
 *
 * What Temporal remembers, and so the limits of this: an Update id is known to the workflow run
 * that took it, while that run is open and after it closed until the namespace's retention ends;
 * a run takes at most 2,000 Updates (the server's default), and a run that continued as new does
 * not know the ids its predecessor took. A retry past those limits is a new command: the workflow
 * (or the route's checks) judges it afresh, as it would any second attempt.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';

export interface CommandId {
  updateId: string;
  /** An earlier attempt of the same request may have sent it already (its holder died or failed). */
  resumed: boolean;
}

export function updateOptions(command?: CommandId): { updateId?: string } {
  return command ? { updateId: command.updateId } : {};
}

/**
 * Whether an earlier attempt already sent this command to the workflow. Only a resumed request
 * asks (one round trip); a command still running is waited for. A command the workflow refused
 * throws that refusal again, as the first attempt's answer. Checks a route makes before sending
 * are about the state before the command, so after a true answer they are skipped: the command
 * has been carried out, and the route answers with the state it left.
 */
export async function sentBefore(handle: WorkflowHandle, command?: CommandId): Promise<boolean> {
  if (!command?.resumed) return false;
  try {
    await handle.getUpdateHandle(command.updateId).result();
    return true;
  } catch (error) {
    // No such Update in the run (or no such workflow): the command never got there.
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
