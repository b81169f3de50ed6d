/**
 * The judging of an uploaded stock file (its dry run), behind the upload's answer: one activity on
 * the stock import's queue that reads the stored file and records its rows page by page, beating
 * with the row reached. A worker killed under it is noticed by the missed beats and the activity
 * is tried again on another, which resumes after the last page on record. A file that cannot be
 * read through ends the batch `failed` inside the activity, not by a failure here.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createStockJudgingActivities, JudgingOutcome } from '../activities/stock-judging';
import { stockImportTaskQueue } from './stock-import.messages';

export async function stockJudgingWorkflow(input: { importId: string }): Promise<JudgingOutcome> {
  const { judgeStockImport } = proxyActivities<ReturnType<typeof createStockJudgingActivities>>({
    taskQueue: stockImportTaskQueue(workflowInfo().taskQueue),
    // 200,000 rows on a loaded machine take minutes; the beats, not this, notice a lost worker.
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '30 seconds',
    // Retried until it ends (a busy worker, the database away): its file stays stored meanwhile.
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  });
  return judgeStockImport(input);
}
