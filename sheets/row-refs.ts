/**
 * Row and cell references filled in where a worksheet leaves them out. SpreadsheetML makes `r`
 * optional on `<row>` and `<c>`: a row without it follows the row before, a cell without it the
 * cell before in its row. exceljs reads a missing row number as NaN and fails on a cell without
 * one, so the sheet's XML is given them, counted by position, before exceljs parses it.
 */

/** A row or cell start tag, with its attributes. */
const TAG = /<(row|c)(?=[\s/>])([^>]*)>/g;
const ROW_REF = /\sr\s*=\s*["'](\d+)["']/;
const CELL_REF = /\sr\s*=\s*["']([A-Za-z]+)\d*["']/;

/** A column's letters: 1 → A, 27 → AA. */
export function columnLetters(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

/** Counts rows and cells as the sheet's XML passes, writing in the references it leaves out. */
export class RowRefs {
  private row = 0;
  private col = 0;

  /** `xml` (whole tags only) with every row and cell start tag referenced: the same bytes when none lacked one. */
  fill(xml: Buffer): Buffer {
    let changed = false;
    const text = xml.toString('utf8').replace(TAG, (tag, name: string, attrs: string) => {
      if (name === 'row') {
        const r = ROW_REF.exec(attrs);
        this.col = 0;
        if (r) {
          this.row = Number(r[1]);
          return tag;
        }
        this.row += 1;
        changed = true;
        return `<row r="${this.row}"${attrs}>`;
      }
      const r = CELL_REF.exec(attrs);
      if (r) {
        this.col = columnNumber(r[1]!);
        return tag;
      }
      this.col += 1;
      changed = true;
      return `<c r="${columnLetters(this.col)}${this.row}"${attrs}>`;
    });
    return changed ? Buffer.from(text, 'utf8') : xml;
  }
}

/**
 * The sheet's XML (chunks cut at character boundaries) with its references filled in. A tag cut
 * at a chunk's end waits for the next (`<` and `>` are single bytes, so the cut is a character
 * boundary); the reader's budget already bounds how long a tag may run.
 */
export async function* withRowRefs(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const refs = new RowRefs();
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const all = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const lt = all.lastIndexOf(0x3c);
    const cut = lt !== -1 && all.indexOf(0x3e, lt) === -1 ? lt : all.length;
    rest = all.subarray(cut);
    if (cut) yield refs.fill(all.subarray(0, cut));
  }
  if (rest.length) yield refs.fill(rest);
}
