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

export interface StockJudgingCounts {
  rowsJudged: number;
  fileBytes: number;
  bytesJudged: number;
  startedAt: number | null;
  judgedAt: number | null;
  done: boolean;
}

export interface StockJudgingProgress {
  rowsJudged: number;
  /** Parts of the file read, 0 to 1. */
  fraction: number;
  rowsPerSecond: number | null;
  /** Seconds left at the pace the file has been read so far (0 when done, null while unknown). */
  etaSeconds: number | null;
  done: boolean;
}

/**
 * How far the judging of a file has come. The rows a file holds are known only at its end, so the
 * time left is the share of its bytes still unread at the pace so far; a workbook whose sheet is
 * read through before its rows (parked on disk first) shows no estimate until its rows come.
 */
export function stockJudgingProgress(c: StockJudgingCounts): StockJudgingProgress {
  const elapsed = c.startedAt !== null && c.judgedAt !== null ? (c.judgedAt - c.startedAt) / 1000 : 0;
  const rate = elapsed > 0 && c.rowsJudged > 0 ? c.rowsJudged / elapsed : null;
  const fraction = c.done ? 1 : c.fileBytes > 0 ? Math.min(1, c.bytesJudged / c.fileBytes) : 0;
  const eta = c.done ? 0 : rate !== null && fraction > 0 && fraction < 1 ? Math.ceil((elapsed * (1 - fraction)) / fraction) : null;
  return { rowsJudged: c.rowsJudged, fraction: Math.round(fraction * 1000) / 1000, rowsPerSecond: rate === null ? null : Math.round(rate * 10) / 10, etaSeconds: eta, done: c.done };
}
