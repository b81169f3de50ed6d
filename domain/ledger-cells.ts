/**
 * What a ledger's cells may hold. A spreadsheet evaluates text beginning with `=`, `+`, `-` or
 * `@` (and, after a tab or a line break, the same) as a formula once someone edits or re-saves
 * the cell, and the ledgers carry text that enterprises and the public wrote. Such text is
 * written with a leading apostrophe, the spreadsheets' own mark for "this is text".
 */

/** Characters that start a formula, also in their full-width forms an IME produces, and the whitespace that hides one. */
const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;
/** Characters XML 1.0 forbids: a workbook holding one does not open. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
/** The longest text one spreadsheet cell holds. */
export const CELL_TEXT_MAX = 32_767;

export function safeCellText(value: string): string {
  const clean = value.replace(XML_FORBIDDEN, '');
  const text = FORMULA_START.test(clean) ? `'${clean}` : clean;
  return text.length > CELL_TEXT_MAX ? `${text.slice(0, CELL_TEXT_MAX - 1)}…` : text;
}

/** How wide text shows, in character widths: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    width += code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || code >= 0x20000) ? 2 : 1;
  }
  return width;
}

/** A column's width: its widest line among the title and the values seen, within bounds a screen can show. */
export function columnWidth(samples: readonly string[], min = 6, max = 60): number {
  let widest = 0;
  for (const s of samples) for (const line of s.split('\n')) widest = Math.max(widest, displayWidth(line));
  return Math.min(max, Math.max(min, widest + 2));
}
