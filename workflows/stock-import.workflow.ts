/**
 * Imports a validated batch of stock, a page of rows at a time (each page one transaction in an
 * activity), and starts the workflow of each open hazard at no more than the batch's rate, so a
 * hundred thousand rows do not arrive at Temporal at once. The starts are an activity's (through
 * the worker's client), overlapping the next page's import: this workflow only waits for them, it
 * takes no task per start. Its place in the batch is in its own history: a crash of the API or a
 * worker only delays it. Some pages per run, then continue-as-new, so history stays bounded.
 */
import { ParentClosePolicy, patched, proxyActivities, sleep, startChild, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import type { hazardWorkflow } from './hazard.workflow';
import { RECORD_RETRY } from './commands';
import { PATCHES } from './patches';
import { stockHazardStart } from './stock-hazard-start';
import { stockImportTaskQueue, type StockImportInput } from './stock-import.messages';

/** The import's steps, on `taskQueue` (unset: this workflow's own, as imports begun before the import had its queue). */
const steps = (taskQueue?: string) =>
  proxyActivities<Activities>({
    startToCloseTimeout: '2 minutes',
    retry: RECORD_RETRY,
    ...(taskQueue ? { taskQueue } : {}),
  });

const PAGES_PER_RUN = 20;
const LEGACY_PAGES_PER_RUN = 5;

/** The starts of a page take count / rate seconds: the activity gets that and a margin, and beats meanwhile. */
function starter(count: number, ratePerSecond: number, taskQueue?: string) {
  return proxyActivities<Activities>({
    startToCloseTimeout: `${Math.ceil(count / ratePerSecond) + 60} seconds`,
    heartbeatTimeout: '30 seconds',
    retry: RECORD_RETRY,
    ...(taskQueue ? { taskQueue } : {}),
  }).startStockHazards;
}

export async function stockImportWorkflow(input: StockImportInput): Promise<{ workflowsStarted: number }> {
  if (!patched('stock-import-starts-in-activity')) return startingChildren(input);
  const { importId, by, ratePerSecond, pageSize } = input;
  // This workflow and the hazards it starts stay on the hazards' queue; only the import's own work moves.
  const hazardQueue = workflowInfo().taskQueue;
  const importQueue = patched(PATCHES.stockImportQueue) ? stockImportTaskQueue(hazardQueue) : undefined;
  const { importStockRows, finishStockImport } = steps(importQueue);
  let after = input.carried?.after ?? 0;
  let started = input.carried?.started ?? 0;
  // The previous page's starts, running while the next page is imported.
  let starting: Promise<number> | undefined;
  const settle = async () => {
    if (starting) started = await starting;
    starting = undefined;
  };

  for (let n = 0; n < PAGES_PER_RUN; n++) {
    const page = await importStockRows({ importId, by, after, limit: pageSize });
    await settle();
    if (page.open.length) {
      // A run begun before the import had its queue asks as it did then (its starts' queue is its own).
      const queues = importQueue ? { hazardQueue } : {};
      starting = starter(page.open.length, ratePerSecond, importQueue)({ importId, by, hazardIds: page.open, ratePerSecond, startedBefore: started, ...queues });
      // Awaited by `settle`; a failure meanwhile is not an unhandled one.
      starting.catch(() => undefined);
    }
    if (page.next === null) {
      await settle();
      await finishStockImport({ importId, by });
      return { workflowsStarted: started };
    }
    after = page.next;
  }
  await settle();
  return continueAsNew<typeof stockImportWorkflow>({ ...input, carried: { after, started } });
}

/** Imports begun before the starts moved to an activity: each open hazard a child started here. */
async function startingChildren(input: StockImportInput): Promise<{ workflowsStarted: number }> {
  const { importId, by, ratePerSecond, pageSize } = input;
  const { importStockPage, recordStockImportProgress, finishStockImport } = steps();
  let after = input.carried?.after ?? 0;
  let started = input.carried?.started ?? 0;
  const group = Math.max(1, Math.ceil(ratePerSecond / 5));

  for (let n = 0; n < LEGACY_PAGES_PER_RUN; n++) {
    const page = await importStockPage({ importId, by, after, limit: pageSize });
    for (let i = 0; i < page.open.length; i += group) {
      const begun = Date.now();
      const slice = page.open.slice(i, i + group);
      await Promise.all(
        slice.map(async (h) => {
          const start = stockHazardStart(h, page.policies, page.calendar, by);
          try {
            await startChild<typeof hazardWorkflow>('hazardWorkflow', {
              workflowId: start.workflowId,
              args: [start.input],
              parentClosePolicy: ParentClosePolicy.ABANDON,
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              typedSearchAttributes: start.typedSearchAttributes,
            });
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
        }),
      );
      started += slice.length;
      const due = begun + (slice.length / ratePerSecond) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    await recordStockImportProgress({ importId, workflowsStarted: started });
    if (page.next === null) {
      await finishStockImport({ importId, by });
      return { workflowsStarted: started };
    }
    after = page.next;
  }
  return continueAsNew<typeof stockImportWorkflow>({ ...input, carried: { after, started } });
}
