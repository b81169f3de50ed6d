/**
 * The judging of a stock file (the dry run), behind its upload: the stored file is read row by row,
 * a page of rows at a time is judged against the database (one set of lookups per page) and
 * written down with its problems and the batch's totals in one transaction, so the report can be
 * shown and downloaded and the import later takes the valid rows from the database, not from the
 * file again. An interrupted judging resumes after the last page on record: rows before it are
 * read again but never judged or recorded twice. Only the natural keys seen so far are kept in
 * memory, to find rows repeated within the file.
 */
import { Transform, type Readable } from 'node:stream';
import type { Database } from '../db/client';
import type { StockJudgingFailure } from '../db/schema';
import {
  CategoryCache, finishValidation, importedKeys, judgedSoFar, recordJudgedPage, registeredKeys, stockLookups,
  type NewStockImportLine, type StockCounts, type StockImportRow,
} from '../db/stock-imports';
import { foldText, judgeStockRow, mapHeaders, normalizeText, verdictOf, type StockCells, type StockColumn, type StockProblem } from '../domain/stock-import';
import { shanghaiDate } from '../domain/shanghai-time';
import { clipText, storableText } from '../domain/storable-text';
import { csvRows } from '../sheets/csv-rows';
import { STOCK_IMPORT_LIMITS } from '../sheets/limits';
import { SheetTooLarge } from '../sheets/sheet-too-large';
import { xlsxRows } from '../sheets/xlsx-rows';


/** The file cannot be judged through: the batch fails with this reason (not retried). */
export class JudgingFailed extends Error {
  constructor(readonly failure: StockJudgingFailure) {
    super(failure.message);
  }
}

export interface JudgingProgress {
  /** The last row of the sheet on record. */
  row: number;
  rowsJudged: number;
  bytesJudged: number;
}

const blank = (cells: string[]) => cells.every((c) => normalizeText(c) === '');

/** Judges the stored file of a batch in `judging` from where it stands; answers the batch validated. */
export async function judgeStockFile(
  db: Database,
  batch: StockImportRow,
  file: Readable,
  opts: { signal?: AbortSignal; progress?: (p: JudgingProgress) => void; now?: () => number } = {},
): Promise<StockImportRow> {
  const now = opts.now ?? Date.now;
  let bytes = 0;
  const counted = file.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    }),
  );
  file.on('error', (e) => counted.destroy(e));
  const lines = batch.fileFormat === 'xlsx' ? xlsxRows(counted) : csvRows(counted);
  const { lastRow, seen } = await judgedSoFar(db, batch.id);
  // The day the file was uploaded: a judging resumed the next morning judges as it began.
  const today = shanghaiDate(batch.createdAt.getTime());
  const categories = new CategoryCache();
  const counts: StockCounts = { rowsTotal: batch.rowsTotal, rowsValid: batch.rowsValid, rowsDuplicate: batch.rowsDuplicate, rowsInvalid: batch.rowsInvalid, rowsOpen: batch.rowsOpen };
  let columns: Map<number, StockColumn> | null = null;
  let page: Array<{ rowNo: number; cells: StockCells }> = [];
  let lastRecorded = lastRow;

  const judgePage = async () => {
    const known = await stockLookups(
      db,
      {
        creditCodes: page.map((r) => foldText(r.cells.creditCode ?? '').toUpperCase()).filter(Boolean),
        enterpriseNames: page.map((r) => normalizeText(r.cells.enterpriseName ?? '')).filter(Boolean),
        supervisors: page.map((r) => normalizeText(r.cells.supervisor ?? '')).filter(Boolean),
        categories: page.map((r) => normalizeText(r.cells.category ?? '')).filter(Boolean),
      },
      categories,
    );
    const judged = page.map((r) => ({ ...r, ...judgeStockRow(r.cells, { today, reach: batch.regionPath, known }) }));
    const keyed = judged.filter((j) => j.naturalKey && j.hazard);
    const [imported, registered] = await Promise.all([
      importedKeys(db, keyed.map((j) => j.naturalKey!)),
      registeredKeys(db, keyed.map((j) => ({ enterpriseId: j.hazard!.enterpriseId, title: j.hazard!.title }))),
    ]);
    const before = { ...counts };
    const out: NewStockImportLine[] = judged.map((j) => {
      const found: StockProblem[] = [...j.problems];
      if (j.naturalKey) {
        const first = seen.get(j.naturalKey);
        if (first !== undefined) found.push({ column: 'title', code: 'duplicate-in-file', detail: String(first) });
        else seen.set(j.naturalKey, j.rowNo);
        if (imported.has(j.naturalKey)) found.push({ column: 'title', code: 'already-imported' });
        else if (registered.has(j.naturalKey)) found.push({ column: 'title', code: 'duplicate-existing' });
      }
      const verdict = j.hazard ? verdictOf(found) : 'invalid';
      counts.rowsTotal++;
      if (verdict === 'valid') {
        counts.rowsValid++;
        if (!j.hazard!.closedOn) counts.rowsOpen++;
      } else if (verdict === 'duplicate') counts.rowsDuplicate++;
      else counts.rowsInvalid++;
      return { importId: batch.id, rowNo: j.rowNo, cells: j.cells as Record<string, string>, problems: found, verdict, naturalKey: j.naturalKey, parsed: verdict === 'valid' ? j.hazard : null };
    });
    await recordJudgedPage(db, batch.id, out, before, counts, { bytesJudged: bytes, at: new Date(now()) });
    lastRecorded = page[page.length - 1]!.rowNo;
    page = [];
    opts.progress?.({ row: lastRecorded, rowsJudged: counts.rowsTotal, bytesJudged: bytes });
  };

  /** The next line of the file; a file that cannot be read as its kind fails the batch. */
  const nextLine = async () => {
    try {
      return await lines.next();
    } catch (error) {
      if (opts.signal?.aborted || !(error instanceof Error)) throw error;
      if (error instanceof SheetTooLarge) throw new JudgingFailed({ code: 'sheet-too-large', message: error.message });
      // The disk failing under the reader is not the file's fault: retried.
      if ('syscall' in error) throw error;
      throw new JudgingFailed({ code: 'sheet-unreadable', message: `the file cannot be read as ${batch.fileFormat}: ${clipText(error.message, 200)}` });
    }
  };
  let previousRow = 0;
  try {
    for (let next = await nextLine(); !next.done; next = await nextLine()) {
      const line = next.value;
      if (opts.signal?.aborted) throw opts.signal.reason;
      // Rows are kept by their number: a workbook numbering two rows alike (or back, or past what a
      // number is kept in) would have its rows' writes fail on every retry.
      if (!(line.rowNo > previousRow && line.rowNo <= STOCK_IMPORT_LIMITS.maxRowNo)) {
        throw new JudgingFailed({ code: 'sheet-unreadable', message: `the file cannot be read as ${batch.fileFormat}: row ${line.rowNo} comes after row ${previousRow}` });
      }
      previousRow = line.rowNo;
      if (!columns) {
        if (blank(line.cells)) continue;
        const mapped = mapHeaders(line.cells);
        if ('missing' in mapped) throw new JudgingFailed({ code: 'sheet-missing-columns', message: `the header row lacks columns: ${mapped.missing.join(', ')}`, columns: mapped.missing });
        columns = mapped.columns;
        continue;
      }
      // Judged and recorded before an interruption.
      if (line.rowNo <= lastRecorded || blank(line.cells)) continue;
      if (counts.rowsTotal + page.length >= STOCK_IMPORT_LIMITS.maxRows) {
        throw new JudgingFailed({ code: 'sheet-too-many-rows', message: `a file may hold at most ${STOCK_IMPORT_LIMITS.maxRows} rows` });
      }
      const cells: StockCells = {};
      // A NUL byte in a CSV would fail the row's write, and the judging with it, on every retry.
      for (const [i, key] of columns) cells[key] = storableText(line.cells[i] ?? '');
      page.push({ rowNo: line.rowNo, cells });
      if (page.length >= STOCK_IMPORT_LIMITS.pageRows) await judgePage();
    }
    if (!columns) throw new JudgingFailed({ code: 'sheet-empty', message: 'the file has no header row' });
    if (page.length) await judgePage();
  } finally {
    await lines.return(undefined).catch(() => undefined);
    counted.destroy();
  }
  return finishValidation(db, batch.id, counts, new Date(now()));
}
