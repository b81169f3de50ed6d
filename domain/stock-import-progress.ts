/**
 * How far an import of stock has come: rows taken, hazards whose workflows have started, the rate
 * since the import began and the time left at that rate.
 */
export interface StockImportCounts {
  rowsValid: number;
  rowsOpen: number;
  rowsDone: number;
  workflowsStarted: number;
  committedAt: number | null;
  progressAt: number | null;
  finishedAt: number | null;
}

export interface StockImportProgress {
  rowsDone: number;
  rowsToDo: number;
  workflowsStarted: number;
  workflowsToStart: number;
  /** Rows per second since the import began (null before any progress). */
  rowsPerSecond: number | null;
  /** Seconds left at that rate (0 when done, null while unknown). */
  etaSeconds: number | null;
  done: boolean;
}

export function stockImportProgress(c: StockImportCounts): StockImportProgress {
  const done = c.finishedAt !== null;
  const until = c.finishedAt ?? c.progressAt;
  const elapsed = c.committedAt !== null && until !== null ? (until - c.committedAt) / 1000 : 0;
  const rate = elapsed > 0 && c.rowsDone > 0 ? c.rowsDone / elapsed : null;
  const left = Math.max(0, c.rowsValid - c.rowsDone);
  return {
    rowsDone: c.rowsDone,
    rowsToDo: c.rowsValid,
    workflowsStarted: c.workflowsStarted,
    workflowsToStart: c.rowsOpen,
    rowsPerSecond: rate === null ? null : Math.round(rate * 10) / 10,
    etaSeconds: done ? 0 : rate ? Math.ceil(left / rate) : null,
    done,
  };
}
