/**
 * What one stock file may be: its bytes on the wire, its rows and their numbers, the rows judged
 * per page, and how many files one worker judges at once (each may hold up to a workbook's
 * unpacked limits in memory).
 */
export const STOCK_IMPORT_LIMITS = {
  maxBytes: 64 * 1024 * 1024,
  maxRows: 200_000,
  /** The last row number a row may have (row numbers are kept as Postgres integers). */
  maxRowNo: 2_147_483_647,
  pageRows: 1000,
  concurrentReads: 2,
};
