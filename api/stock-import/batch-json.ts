/** A stock import and its rows as the API's answers show them, with their schemas. */
import { z } from 'zod';
import type { StockImportLine, StockImportRow } from '../../db/stock-imports';
import { stockImportProgress, stockJudgingProgress } from '../../domain/stock-import-progress';

const problemSchema = z.object({ column: z.string(), code: z.string(), detail: z.string().optional() });
export const batchSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  fileSha256: z.string(),
  status: z.enum(['judging', 'failed', 'validated', 'importing', 'done']).describe('judging: the rows are being checked behind the upload; failed: the file could not be read through (see failure)'),
  createdBy: z.string(),
  createdAt: z.string(),
  counts: z.object({ total: z.number().int(), valid: z.number().int(), duplicate: z.number().int(), invalid: z.number().int(), open: z.number().int() }),
  fileBytes: z.number().int(),
  judging: z.object({
    rowsJudged: z.number().int(),
    fraction: z.number().describe('share of the file read, 0 to 1'),
    rowsPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    done: z.boolean(),
  }),
  failure: z.object({ code: z.string(), message: z.string(), columns: z.array(z.string()).optional() }).nullable(),
  committedBy: z.string().nullable(),
  committedAt: z.string().nullable(),
  progress: z.object({
    rowsDone: z.number().int(),
    rowsToDo: z.number().int(),
    hazardsCreated: z.number().int(),
    workflowsStarted: z.number().int(),
    workflowsToStart: z.number().int(),
    rowsPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    done: z.boolean(),
    finishedAt: z.string().nullable(),
  }),
});
export const lineSchema = z.object({
  row: z.number().int().describe('the row number in the sheet (the header is row 1)'),
  cells: z.record(z.string(), z.string()),
  problems: z.array(problemSchema),
  verdict: z.enum(['valid', 'duplicate', 'invalid', 'imported', 'skipped']),
  hazardId: z.uuid().nullable(),
});

/** A stock import as its answers show it: the file, its counts and how far its import has got. */
export function batchJson(b: StockImportRow) {
  const p = stockImportProgress({
    rowsValid: b.rowsValid,
    rowsOpen: b.rowsOpen,
    rowsDone: b.rowsDone,
    workflowsStarted: b.workflowsStarted,
    committedAt: b.committedAt?.getTime() ?? null,
    progressAt: b.progressAt?.getTime() ?? null,
    finishedAt: b.finishedAt?.getTime() ?? null,
  });
  return {
    id: b.id,
    fileName: b.fileName,
    fileSha256: b.fileSha256,
    status: b.status,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
    counts: { total: b.rowsTotal, valid: b.rowsValid, duplicate: b.rowsDuplicate, invalid: b.rowsInvalid, open: b.rowsOpen },
    fileBytes: b.fileBytes,
    judging: stockJudgingProgress({
      rowsJudged: b.rowsTotal,
      fileBytes: b.fileBytes,
      bytesJudged: b.bytesJudged,
      startedAt: b.judgingStartedAt?.getTime() ?? null,
      judgedAt: b.judgedAt?.getTime() ?? null,
      done: b.status !== 'judging',
    }),
    failure: b.failure ?? null,
    committedBy: b.committedBy,
    committedAt: b.committedAt?.toISOString() ?? null,
    progress: { ...p, hazardsCreated: b.hazardsCreated, finishedAt: b.finishedAt?.toISOString() ?? null },
  };
}

/** One row of the file as validated (GET /api/stock-imports/:id/rows). */
export const lineJson = (l: StockImportLine) => ({ row: l.rowNo, cells: l.cells, problems: l.problems, verdict: l.verdict, hazardId: l.hazardId });
