/**
 * Rows of the first worksheet of an .xlsx file as they stream in (exceljs' streaming reader,
 * bounded: one row at a time, never the whole workbook), each cell as the text a person sees in it.
 */
import type { Readable } from 'node:stream';
import { BoundedWorkbookReader, UNPACKED_LIMITS, type UnpackedLimits } from './xlsx-reader';

/** A date cell as its calendar day (spreadsheets have no time zone: the day is the one shown). */
function dayOf(d: Date): string {
  // Times of day round to the nearest second first, as a cell typed 2026-03-05 may hold 2026-03-04T23:59:59.999.
  const t = new Date(Math.round(d.getTime() / 1000) * 1000);
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** What a cell shows, as text; a formula counts by its cached result and is never evaluated. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return dayOf(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; formula?: string; sharedFormula?: string; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v || 'formula' in v || 'sharedFormula' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error !== undefined) return '';
  }
  return '';
}

export async function* xlsxRows(stream: Readable, limits: UnpackedLimits = UNPACKED_LIMITS): AsyncGenerator<{ rowNo: number; cells: string[] }> {
  // Styles are read so a number formatted as a date arrives as a date.
  const book = new BoundedWorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' }, limits);
  let first = true;
  for await (const sheet of book) {
    if (!first) {
      // Later sheets (such as the template's notes) are read through and dropped.
      for await (const _row of sheet) void _row;
      continue;
    }
    first = false;
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { rowNo: row.number, cells };
    }
  }
}
