/**
 * Starting the judging of an uploaded stock file, and a confirmed stock import: its workflow
 * imports the batch page by page and starts the open hazards' workflows at the configured rate.
 * One workflow of each per batch: starting it again joins it.
 */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { stockImportWorkflow } from '../workflows/stock-import.workflow';
import type { stockJudgingWorkflow } from '../workflows/stock-judging.workflow';
import { stockImportWorkflowId, stockJudgingWorkflowId, type StockImportInput } from '../workflows/stock-import.messages';

/** Hazard workflows started per second unless configured (STOCK_IMPORT_RATE). */
export const DEFAULT_STOCK_IMPORT_RATE = 50;
export const STOCK_IMPORT_PAGE_SIZE = 200;

export async function startStockImport(client: Client, taskQueue: string, p: { importId: string; by: string; ratePerSecond: number; pageSize?: number }): Promise<string> {
  const workflowId = stockImportWorkflowId(p.importId);
  const input: StockImportInput = { importId: p.importId, by: p.by, ratePerSecond: p.ratePerSecond, pageSize: p.pageSize ?? STOCK_IMPORT_PAGE_SIZE };
  try {
    await client.workflow.start<typeof stockImportWorkflow>('stockImportWorkflow', {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    // Already ran to its end: the import is done, nothing to start.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return workflowId;
}

/** Starts the judging of an uploaded file's batch; starting it again joins the one running. */
export async function startStockJudging(client: Client, taskQueue: string, importId: string): Promise<void> {
  await client.workflow.start<typeof stockJudgingWorkflow>('stockJudgingWorkflow', {
    workflowId: stockJudgingWorkflowId(importId),
    taskQueue,
    args: [{ importId }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
