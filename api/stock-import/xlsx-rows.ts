/**
 * Rows of the first worksheet of an .xlsx file as they stream in (exceljs' streaming reader:
 * one row at a time, never the whole workbook), each cell as the text a person sees in it.
 */
import { Transform, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/** Where the last whole UTF-8 character of `b` ends: a character cut at the end waits for the next chunk. */
export function wholeUtf8Length(b: Buffer): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const byte = b[b.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? b.length - back : b.length;
  }
  return b.length;
}

/** Chunks re-cut at character boundaries. */
async function* alignedChunks(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const all = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const end = wholeUtf8Length(all);
    rest = all.subarray(end);
    if (end) yield all.subarray(0, end);
  }
  if (rest.length) yield rest;
}

function alignedStream(): Transform {
  let rest: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const all = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const end = wholeUtf8Length(all);
      rest = all.subarray(end);
      done(null, end ? all.subarray(0, end) : undefined);
    },
    flush(done) {
      done(null, rest.length ? rest : undefined);
    },
  });
}

/**
 * exceljs 4.4.0's streaming reader decodes each inflated chunk as text on its own, so a Chinese
 * character split across two chunks comes out as U+FFFD. Its shared strings and worksheets are
 * handed over here re-cut at character boundaries.
 */
class WholeCharacterWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  _parseSharedStrings(entry: Readable) {
    const parent = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as { _parseSharedStrings(e: Readable): unknown };
    return parent._parseSharedStrings.call(this, entry.pipe(alignedStream()));
  }
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string) {
    const parent = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as { _parseWorksheet(i: AsyncIterable<Buffer>, n: string): unknown };
    return parent._parseWorksheet.call(this, alignedChunks(iterator), sheetNo);
  }
}

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

export async function* xlsxRows(stream: Readable): AsyncGenerator<{ rowNo: number; cells: string[] }> {
  // Styles are read so a number formatted as a date arrives as a date.
  const book = new WholeCharacterWorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
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
