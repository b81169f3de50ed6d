/**
 * What one stock file may be: its bytes on the wire, its rows, the rows judged per page, and how
 * many files one worker judges at once (each may hold up to a workbook's unpacked limits in memory).
 */
export const STOCK_IMPORT_LIMITS = { maxBytes: 64 * 1024 * 1024, maxRows: 200_000, pageRows: 1000, concurrentReads: 2 };
