/**
 * Starting a bulk urge (催办 of every overdue item of an enterprise or a region): starts its
 * workflow, which counts what it concerns and urges each item in its own workflow, and answers
 * once the count is recorded. The urging goes on in the workflow, whatever becomes of the caller.
 */
import { randomUUID } from 'node:crypto';
import { Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { BulkUrgeScope } from '../domain/bulk-urge';
import { BULK_URGE_PREFIX, bulkUrgeStartedUpdate, type BulkUrgeInput } from '../workflows/urge.messages';
import type { bulkUrgeWorkflow } from '../workflows/bulk-urge.workflow';

/** Items read and urged per run of the workflow (each run's history holds about two events per item). */
export const DEFAULT_BULK_URGE_PAGE_SIZE = 100;

export interface StartedBulkUrge {
  bulkUrgeId: string;
  concerned: number;
  asOf: number;
}

export class BulkUrger {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly pageSize = DEFAULT_BULK_URGE_PAGE_SIZE,
  ) {}

  /**
   * `id`: fixed by the request's Idempotency-Key when it has one, so a retry joins the same bulk
   * urge. A retry after that bulk urge has finished answers null: it is not begun again (the
   * caller reads its record).
   */
  async start(p: { by: string; message: string; scope: BulkUrgeScope; id?: string }): Promise<StartedBulkUrge | null> {
    const bulkUrgeId = `${BULK_URGE_PREFIX}${p.id ?? randomUUID()}`;
    const input: BulkUrgeInput = { bulkUrgeId, by: p.by, message: p.message, scope: p.scope, pageSize: this.pageSize };
    const operation = new WithStartWorkflowOperation<typeof bulkUrgeWorkflow>('bulkUrgeWorkflow', {
      workflowId: bulkUrgeId,
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    try {
      const started = await this.client.workflow.executeUpdateWithStart(bulkUrgeStartedUpdate, { startWorkflowOperation: operation });
      return { bulkUrgeId, ...started };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return null;
      throw error;
    }
  }
}
