/** What a stock import's workflow is started with. */
export const STOCK_IMPORT_PREFIX = 'stock-import-';
export const stockImportWorkflowId = (importId: string) => `${STOCK_IMPORT_PREFIX}${importId}`;

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
