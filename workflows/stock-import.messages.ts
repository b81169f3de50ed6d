/** What a stock import's workflow is started with. */
export const STOCK_IMPORT_PREFIX = 'stock-import-';
export const stockImportWorkflowId = (importId: string) => `${STOCK_IMPORT_PREFIX}${importId}`;

/**
 * The task queue a stock import's activities run on, beside the hazards' own (`main`): its own
 * worker there, with few slots, so a long import never takes the slots the hazards' work needs.
 * Derived, so the workflow and every worker agree on it without another setting.
 */
export const stockImportTaskQueue = (main: string) => `${main}-stock-import`;

export interface StockImportInput {
  importId: string;
  /** Who confirmed the import: the hazards are registered in their name. */
  by: string;
  /** Hazard workflows started per second at most, so Temporal and the worker keep pace. */
  ratePerSecond: number;
  /** Rows taken per page (one transaction each). */
  pageSize: number;
  /** Where the previous run stopped (continue-as-new). */
  carried?: { after: number; started: number };
}

/** The judging of an uploaded file (its dry run), one workflow per batch. */
export const STOCK_JUDGING_PREFIX = 'stock-judging-';
export const stockJudgingWorkflowId = (importId: string) => `${STOCK_JUDGING_PREFIX}${importId}`;
