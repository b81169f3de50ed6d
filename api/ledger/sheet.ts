/**
 * One ledger (台账) as an .xlsx workbook streamed to the response: header rows saying what it
 * holds (title, time of export in Asia/Shanghai, who exported it, the filters, the row count),
 * then the column titles, frozen, then the rows as they are read a page at a time. exceljs'
 * streaming writer commits each row, so the workbook is never held in memory; the reading waits
 * for the client between pages, and stops when the client goes away.
 */
import { once } from 'node:events';
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { columnWidth, safeCellText } from '../../domain/ledger-cells';
import { shanghaiDate } from '../../domain/shanghai-time';
import type { Logger } from '../../logger';

export type Lang = 'zh' | 'en';
export interface Bilingual {
  zh: string;
  en: string;
}

/** `date`: a calendar day `YYYY-MM-DD`; `datetime`: an instant, shown at Shanghai wall-clock time. */
export type CellKind = 'text' | 'number' | 'date' | 'datetime' | 'percent';
export type CellInput = string | number | Date | null | undefined;

export interface LedgerColumn<R> {
  title: Bilingual;
  kind: CellKind;
  value: (row: R, lang: Lang) => CellInput;
}

export interface LedgerHead {
  title: Bilingual;
  /** ASCII stem of the file name, e.g. `hazards`. */
  fileStem: string;
  /** The filters as the reader should see them: label and value, already in the caller's language. */
  filters: Array<[string, string]>;
  exportedBy: string;
  exportedAt: number;
  rows: number;
  lang: Lang;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const FORMATS: Record<CellKind, string | undefined> = { text: undefined, number: '0', date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm', percent: '0.0%' };
const FIXED_WIDTH: Partial<Record<CellKind, number>> = { date: 12, datetime: 17 };

const HEAD_TEXT = {
  exportedAt: { zh: '导出时间', en: 'Exported at' },
  timeZone: { zh: '北京时间（Asia/Shanghai）', en: 'Asia/Shanghai (UTC+8)' },
  exportedBy: { zh: '导出人', en: 'Exported by' },
  rows: { zh: '行数', en: 'Rows' },
  filters: { zh: '筛选条件', en: 'Filters' },
  none: { zh: '无（全部）', en: 'none (all)' },
} satisfies Record<string, Bilingual>;

/** A Shanghai wall-clock time as the serial date a spreadsheet shows (spreadsheets have no time zones). */
export function shanghaiCellDate(instant: Date | number): Date {
  return new Date((typeof instant === 'number' ? instant : instant.getTime()) + SHANGHAI_OFFSET_MS);
}

/** A cell's value as written: dates as real dates, text made safe from formula evaluation. */
export function cellValue(kind: CellKind, value: CellInput): string | number | Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (kind === 'date') return typeof value === 'string' ? new Date(`${value}T00:00:00Z`) : shanghaiCellDate(value as Date);
  if (kind === 'datetime') return shanghaiCellDate(value as Date | number);
  if (typeof value === 'number') return value;
  return safeCellText(String(value));
}

/** How a value reads, to size its column. */
function sampleText(kind: CellKind, value: CellInput): string {
  if (value === null || value === undefined) return '';
  if (kind === 'percent' && typeof value === 'number') return `${(value * 100).toFixed(1)}%`;
  return String(value);
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook download's headers: its type, its file name (ASCII for old clients, the real one beside it), never cached. */
export function workbookHeaders(res: Response, file: { ascii: string; name: string }): void {
  res.setHeader('Content-Type', XLSX_TYPE);
  res.setHeader('Content-Disposition', `attachment; filename="${file.ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  res.setHeader('Cache-Control', 'no-store');
}

/** A small workbook made whole in memory (a template), sent as a download. */
export function sendWorkbook(res: Response, file: { ascii: string; name: string }, bytes: Buffer | Uint8Array): void {
  workbookHeaders(res, file);
  res.status(200).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export interface StreamResult {
  rows: number;
  /** False when the client went away before the last row. */
  complete: boolean;
}

/**
 * Writes the workbook to `res`. The first page is read before the answer starts, so the
 * columns fit what they hold and a failure there is still a problem+json answer.
 */
export async function streamLedger<R>(
  res: Response,
  head: LedgerHead,
  columns: readonly LedgerColumn<R>[],
  pages: AsyncIterator<R[]>,
  log: Logger,
): Promise<StreamResult> {
  const { lang } = head;
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  const first = await pages.next();
  const firstRows = first.done ? [] : first.value;
  const widths = columns.map((c) => FIXED_WIDTH[c.kind] ?? columnWidth([c.title[lang], ...firstRows.slice(0, 500).map((r) => sampleText(c.kind, c.value(r, lang)))]));
  // The header rows' labels sit in the first column: wide enough for them too.
  widths[0] = Math.max(widths[0] ?? 0, columnWidth(Object.values(HEAD_TEXT).map((t) => t[lang])));

  const stamp = shanghaiDate(head.exportedAt).replaceAll('-', '');
  res.status(200);
  workbookHeaders(res, { ascii: `${head.fileStem}-${stamp}.xlsx`, name: `${head.title[lang]}-${stamp}.xlsx` });
  res.setHeader('X-Ledger-Rows', String(head.rows));
  // A client gone mid-way makes writes fail: that ends the export, it is not an error of the server.
  res.on('error', () => gone.abort());

  const headRows: CellInput[][] = [[head.title[lang]], [HEAD_TEXT.exportedBy[lang], head.exportedBy], [HEAD_TEXT.rows[lang], head.rows]];
  const filterRows: CellInput[][] = head.filters.length
    ? head.filters.map(([label, value], i) => [i === 0 ? HEAD_TEXT.filters[lang] : null, label, value])
    : [[HEAD_TEXT.filters[lang], HEAD_TEXT.none[lang]]];
  // title, exported at, by, rows, the filters, then the column titles
  const titleRow = 1 + 1 + 2 + filterRows.length + 1;

  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  book.creator = 'duban';
  book.created = new Date(head.exportedAt);
  const sheet = book.addWorksheet(head.title[lang].slice(0, 31), { views: [{ state: 'frozen', xSplit: 0, ySplit: titleRow }] });
  sheet.columns = columns.map((c, i) => ({ key: `c${i}`, width: widths[i], style: FORMATS[c.kind] ? { numFmt: FORMATS[c.kind] } : {} }));

  const plain = (values: CellInput[]) => {
    const row = sheet.addRow(values.map((v) => (typeof v === 'string' ? safeCellText(v) : v ?? null)));
    // Header cells are text whatever their column holds.
    row.eachCell((cell) => void (cell.numFmt = typeof cell.value === 'number' ? '0' : '@'));
    return row;
  };
  const titleCell = plain(headRows[0]!);
  titleCell.font = { bold: true, size: 14 };
  titleCell.commit();
  const at = sheet.addRow([HEAD_TEXT.exportedAt[lang], shanghaiCellDate(head.exportedAt), HEAD_TEXT.timeZone[lang]]);
  at.getCell(1).numFmt = '@';
  at.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
  at.getCell(3).numFmt = '@';
  at.commit();
  for (const values of [...headRows.slice(1), ...filterRows]) plain(values).commit();
  const titles = plain(columns.map((c) => c.title[lang]));
  titles.font = { bold: true };
  titles.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF5' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  titles.commit();

  let written = 0;
  const write = (rows: R[]) => {
    for (const r of rows) {
      if (written >= head.rows) return;
      sheet.addRow(columns.map((c) => cellValue(c.kind, c.value(r, lang)))).commit();
      written++;
    }
  };
  try {
    write(firstRows);
    let next = first.done ? null : await pages.next();
    while (next && !next.done && !gone.signal.aborted && written < head.rows) {
      write(next.value);
      // Let the compressed bytes reach the client before reading more: memory stays one page deep.
      await new Promise((r) => setImmediate(r));
      if (res.writableNeedDrain && !gone.signal.aborted) await Promise.race([once(res, 'drain'), once(gone.signal, 'abort')]);
      if (gone.signal.aborted) break;
      next = await pages.next();
    }
    if (gone.signal.aborted) {
      await pages.return?.();
      log.info({ ledger: head.fileStem, rows: written, of: head.rows }, 'ledger export stopped: the client went away');
      return { rows: written, complete: false };
    }
    sheet.commit();
    await book.commit();
    return { rows: written, complete: true };
  } catch (error) {
    await pages.return?.().catch(() => undefined);
    // The answer has begun: a half-written workbook must not look like a whole one.
    log.error({ err: error, ledger: head.fileStem, rows: written }, 'ledger export failed part-way');
    res.destroy(error as Error);
    return { rows: written, complete: false };
  }
}
