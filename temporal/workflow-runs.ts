/**
 * The runs of one workflow id, oldest first, with the number of events in each run's history:
 * from the latest run back through each run it continued (continue-as-new), as Temporal keeps them.
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { WorkflowRuns } from '../db/case-file';

/** Bounds the walk: a hazard continues as new a handful of times, never thousands. */
const MAX_RUNS = 500;

export async function workflowRuns(client: Client, workflowId: string): Promise<WorkflowRuns> {
  const runs: WorkflowRuns['runs'] = [];
  let runId: string | undefined;
  try {
    runId = (await client.workflow.getHandle(workflowId).describe()).runId;
  } catch (error) {
    // A hazard brought in as rows only (a seeded city) never had a workflow.
    if (error instanceof WorkflowNotFoundError) return { workflowId, runs };
    throw error;
  }
  const seen = new Set<string>();
  while (runId && !seen.has(runId) && runs.length < MAX_RUNS) {
    seen.add(runId);
    const handle: WorkflowHandle = client.workflow.getHandle(workflowId, runId);
    const [info, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    runs.unshift({ runId, status: info.status.name, startTime: info.startTime.toISOString(), closeTime: info.closeTime?.toISOString() ?? null, events: events.length });
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return { workflowId, runs };
}
