/**
 * Imports a validated batch of stock, a page of rows at a time (each page one transaction in an
 * activity), and starts the workflow of each open hazard at no more than the batch's rate, so a
 * hundred thousand rows do not arrive at Temporal at once. Its place in the batch is in its own
 * history: a crash of the API or a worker only delays it. A few pages per run, then
 * continue-as-new, so history stays bounded.
 */
import { ParentClosePolicy, proxyActivities, sleep, startChild, continueAsNew } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import type { hazardWorkflow } from './hazard.workflow';
import { hazardWorkflowId, type HazardWorkflowInput } from './hazard.messages';
import { RECORD_RETRY } from './commands';
import { dueInstant } from '../domain/shanghai-time';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from './search-attributes';
import type { StockImportInput } from './stock-import.messages';

const { importStockPage, recordStockImportProgress, finishStockImport } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: RECORD_RETRY,
});

const PAGES_PER_RUN = 5;

export async function stockImportWorkflow(input: StockImportInput): Promise<{ workflowsStarted: number }> {
  const { importId, by, ratePerSecond, pageSize } = input;
  let after = input.carried?.after ?? 0;
  let started = input.carried?.started ?? 0;
  // Starts go out in small groups, each group followed by the wait the rate asks for.
  const group = Math.max(1, Math.ceil(ratePerSecond / 5));

  for (let n = 0; n < PAGES_PER_RUN; n++) {
    const page = await importStockPage({ importId, by, after, limit: pageSize });
    for (let i = 0; i < page.open.length; i += group) {
      const begun = Date.now();
      const slice = page.open.slice(i, i + group);
      await Promise.all(
        slice.map(async (h) => {
          const policy = h.policyId !== null ? page.policies[String(h.policyId)] : undefined;
          if (!policy) throw new Error(`hazard ${h.hazardId} has no policy on record`);
          const args: HazardWorkflowInput = {
            hazard: {
              hazardId: h.hazardId,
              enterpriseId: h.enterpriseId,
              grade: h.grade,
              policy,
              deadline: h.deadline,
              calendar: page.calendar,
              ...(h.listingLevel ? { listingLevel: h.listingLevel } : {}),
              assignment: { supervisor: h.supervisor, enterpriseContact: null, delegate: null },
            },
            registration: { title: h.title, description: '', category: h.category, source: 'inspection', location: '', legalBasis: '', requiredMeasures: '', createdBy: by, policyId: h.policyId, foundAt: h.foundAt },
          };
          try {
            await startChild<typeof hazardWorkflow>('hazardWorkflow', {
              workflowId: hazardWorkflowId(h.hazardId),
              args: [args],
              parentClosePolicy: ParentClosePolicy.ABANDON,
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              typedSearchAttributes: [
                { key: DubanStatus, value: 'rectifying' },
                { key: DubanDeadline, value: new Date(dueInstant(h.deadline)) },
                { key: DubanEscalationLevel, value: 0 },
                { key: DubanEnterprise, value: h.enterpriseId },
              ],
            });
          } catch (err) {
            // Started by an earlier run of this import (its history ended before it counted it).
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
