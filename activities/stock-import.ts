/**
 * The steps of a stock import's workflow: import a page of rows, start its open hazards'
 * workflows at the batch's rate, report progress, finish.
 */
import { Context, sleep } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Database } from '../db/client';
import { calendarYearsAmong } from '../db/calendar';
import { finishStockImport, importStockPage, openStockHazards, recordStockImportProgress, type StockPage, type StockRowsPage } from '../db/stock-import-pages';
import { shanghaiDate } from '../domain/shanghai-time';
import { yearsFrom, type YearCalendar } from '../domain/work-calendar';
import { stockHazardStart } from '../workflows/stock-hazard-start';

/** Starts go out in groups of a fifth of a second's worth, each group followed by the wait the rate asks for. */
export const startGroup = (ratePerSecond: number) => Math.max(1, Math.ceil(ratePerSecond / 5));

export function createStockImportActivities(db: Database) {
  const calendarNow = (now: number) => calendarYearsAmong(db, yearsFrom(shanghaiDate(now)));
  return {
    /** Imports the rows after `after` (up to `limit`) and answers the page's open hazards, by id. */
    async importStockRows(p: { importId: string; by: string; after: number; limit: number }): Promise<StockRowsPage> {
      return importStockPage(db, { ...p, now: Date.now() });
    },
    /**
     * Starts the workflows of these imported open hazards through the worker's client, no faster
     * than the rate, and records the count reached. A hazard whose workflow an earlier attempt
     * started is counted, not started again (its id is its hazard's, never reused). The hazards'
     * workflows go to `hazardQueue`, not this activity's queue (the import's own); unset in calls
     * scheduled before the import had its queue, when the two were one.
     */
    async startStockHazards(p: { importId: string; by: string; hazardIds: string[]; ratePerSecond: number; startedBefore: number; hazardQueue?: string }): Promise<number> {
      const ctx = Context.current();
      const [{ open, policies }, calendar] = await Promise.all([openStockHazards(db, p.hazardIds, p.by), calendarNow(Date.now())]);
      const group = startGroup(p.ratePerSecond);
      for (let i = 0; i < open.length; i += group) {
        const begun = Date.now();
        const slice = open.slice(i, i + group);
        await Promise.all(
          slice.map(async (h) => {
            const start = stockHazardStart(h, policies, calendar, p.by);
            try {
              await ctx.client.workflow.start('hazardWorkflow', {
                workflowId: start.workflowId,
                taskQueue: p.hazardQueue ?? ctx.info.taskQueue,
                args: [start.input],
                workflowIdReusePolicy: 'REJECT_DUPLICATE',
                typedSearchAttributes: start.typedSearchAttributes,
              });
            } catch (err) {
              if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
            }
          }),
        );
        ctx.heartbeat(i + slice.length);
        const due = begun + (slice.length / p.ratePerSecond) * 1000;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      const started = p.startedBefore + open.length;
      await recordStockImportProgress(db, { importId: p.importId, workflowsStarted: started, now: Date.now() });
      return started;
    },
    /** The step of imports begun before their workflows were started from an activity: rows and open hazards in full. */
    async importStockPage(p: { importId: string; by: string; after: number; limit: number }): Promise<StockPage & { calendar: YearCalendar[] }> {
      const now = Date.now();
      const page = await importStockPage(db, { ...p, now });
      const [open, calendar] = await Promise.all([openStockHazards(db, page.open, p.by), calendarNow(now)]);
      return { ...page, ...open, calendar };
    },
    async recordStockImportProgress(p: { importId: string; workflowsStarted: number }): Promise<void> {
      await recordStockImportProgress(db, { ...p, now: Date.now() });
    },
    async finishStockImport(p: { importId: string; by: string }): Promise<void> {
      await finishStockImport(db, { ...p, now: Date.now() });
    },
  };
}
