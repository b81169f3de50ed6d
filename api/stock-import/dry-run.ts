/**
 * The dry run of a stock import: the file is read row by row as it arrives, a page of rows at a
 * time is judged against the database (one set of lookups per page) and written down with its
 * problems, so the report can be shown and downloaded and the import later takes the valid rows
 * from the database, not from the file again. Only the natural keys seen so far are kept in
 * memory, to find rows repeated within the file.
 */
import type { Readable } from 'node:stream';
import type { Database } from '../../db/client';
import {
  appendStockImportRows, CategoryCache, createStockImport, dropStockImport, finishValidation, importedKeys, registeredKeys, stockLookups,
  type NewStockImportLine, type StockImportRow,
} from '../../db/stock-imports';
import { foldText, judgeStockRow, mapHeaders, normalizeText, verdictOf, type StockCells, type StockColumn, type StockProblem } from '../../domain/stock-import';
import { shanghaiDate } from '../../domain/shanghai-time';
import { Problem, problems } from '../problem';
import { csvRows } from './csv-rows';
import type { IncomingSheet } from './upload';
import { SheetTooLarge } from './sheet-too-large';
import { xlsxRows } from './xlsx-rows';

/** `concurrentReads`: files one API process reads at once; each may hold up to its unpacked limits in memory. */
export const STOCK_IMPORT_LIMITS = { maxBytes: 64 * 1024 * 1024, maxRows: 200_000, pageRows: 1000, concurrentReads: 2 };

interface SheetLine {
  rowNo: number;
  cells: string[];
}

function linesOf(format: 'xlsx' | 'csv', stream: Readable): AsyncGenerator<SheetLine> {
  return format === 'xlsx' ? xlsxRows(stream) : csvRows(stream);
}

const blank = (cells: string[]) => cells.every((c) => normalizeText(c) === '');

/** Reads, judges and records every row; answers the batch with its counts. */
export async function dryRun(
  db: Database,
  who: { username: string; regionPath: string },
  sheet: IncomingSheet,
  now: number,
  signal?: AbortSignal,
): Promise<StockImportRow> {
  const lines = linesOf(sheet.format, sheet.stream);
  let columns: Map<number, StockColumn> | null = null;
  let id: string | null = null;
  const today = shanghaiDate(now);
  const seen = new Map<string, number>();
  const categories = new CategoryCache();
  const counts = { rowsTotal: 0, rowsValid: 0, rowsDuplicate: 0, rowsInvalid: 0, rowsOpen: 0 };
  let page: Array<{ rowNo: number; cells: StockCells }> = [];

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
    const judged = page.map((r) => ({ ...r, ...judgeStockRow(r.cells, { today, reach: who.regionPath, known }) }));
    const keyed = judged.filter((j) => j.naturalKey && j.hazard);
    const [imported, registered] = await Promise.all([
      importedKeys(db, keyed.map((j) => j.naturalKey!)),
      registeredKeys(db, keyed.map((j) => ({ enterpriseId: j.hazard!.enterpriseId, title: j.hazard!.title }))),
    ]);
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
      return { importId: id!, rowNo: j.rowNo, cells: j.cells as Record<string, string>, problems: found, verdict, naturalKey: j.naturalKey, parsed: verdict === 'valid' ? j.hazard : null };
    });
    await appendStockImportRows(db, out);
    page = [];
  };

  /** The next line of the file; a file that cannot be read as its kind is the client's doing (422). */
  const nextLine = async () => {
    try {
      return await lines.next();
    } catch (error) {
      if (signal?.aborted || !(error instanceof Error) || 'status' in error) throw error;
      if (error instanceof SheetTooLarge) {
        throw new Problem(413, 'too-large', 'File too large', error.message, [{ field: 'file', message: error.message, code: 'sheet-too-large' }]).coded('sheet-too-large');
      }
      throw problems.unprocessable(`the file cannot be read as ${sheet.format}`, [{ field: 'file', message: error.message.slice(0, 200), code: 'sheet-unreadable' }], 'sheet-unreadable');
    }
  };
  try {
    for (let next = await nextLine(); !next.done; next = await nextLine()) {
      const line = next.value;
      if (signal?.aborted) throw signal.reason;
      if (!columns) {
        if (blank(line.cells)) continue;
        const mapped = mapHeaders(line.cells);
        if ('missing' in mapped) {
          throw problems.unprocessable(`the header row lacks columns: ${mapped.missing.join(', ')}`, mapped.missing.map((m) => ({ field: 'file', message: `missing column ${m}`, code: 'sheet-missing-columns' as const })), 'sheet-missing-columns');
        }
        columns = mapped.columns;
        id = await createStockImport(db, { fileName: sheet.name, fileFormat: sheet.format, regionPath: who.regionPath, createdBy: who.username });
        continue;
      }
      if (blank(line.cells)) continue;
      if (counts.rowsTotal + page.length >= STOCK_IMPORT_LIMITS.maxRows) {
        throw problems.unprocessable(`a file may hold at most ${STOCK_IMPORT_LIMITS.maxRows} rows`, [{ field: 'file', message: `more than ${STOCK_IMPORT_LIMITS.maxRows} rows`, code: 'sheet-too-many-rows' }], 'sheet-too-many-rows');
      }
      const cells: StockCells = {};
      for (const [i, key] of columns) cells[key] = line.cells[i] ?? '';
      page.push({ rowNo: line.rowNo, cells });
      if (page.length >= STOCK_IMPORT_LIMITS.pageRows) await judgePage();
    }
    if (!columns) throw problems.unprocessable('the file has no header row', [{ field: 'file', message: 'empty file', code: 'sheet-empty' }], 'sheet-empty');
    if (page.length) await judgePage();
  } catch (error) {
    if (id) await dropStockImport(db, id).catch(() => undefined);
    await lines.return(undefined).catch(() => undefined);
    throw error;
  }
  return finishValidation(db, id!, { fileSha256: sheet.sha256(), ...counts });
}
