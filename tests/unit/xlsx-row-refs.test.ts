/**
 * Rows and cells a worksheet leaves unnumbered (legal in SpreadsheetML: `r` is optional on `<row>`
 * and `<c>`): a row counts on from the row before it, a cell from the cell before it in its row.
 * exceljs read such a row as row NaN and failed on such a cell.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { columnLetters, RowRefs, withRowRefs } from '../../sheets/row-refs';
import { xlsxRows } from '../../sheets/xlsx-rows';
import { handWorkbook } from '../support/zip';

const cell = (text: string, ref = '') => `<c${ref ? ` r="${ref}"` : ''} t="inlineStr"><is><t>${text}</t></is></c>`;

async function rowsOf(bytes: Buffer) {
  const rows: Array<{ rowNo: number; cells: string[] }> = [];
  for await (const row of xlsxRows(Readable.from([bytes]))) rows.push(row);
  return rows;
}

describe('a worksheet leaving row and cell numbers out', () => {
  it('numbers each row after the one before it and each cell after the one before it in its row', async () => {
    const sheet = [
      `<row>${cell('信用代码')}${cell('隐患名称')}</row>`,
      `<row spans="1:2">${cell('甲')}${cell('配电箱未接地')}</row>`,
      `<row r="5">${cell('乙', 'B5')}</row>`,
      `<row><c><v>7</v></c>${cell('丁', 'D6')}<c><v>9</v></c></row>`,
      `<row r="9"><c r="A9"><v>1</v></c></row>`,
      `<row/>`,
      `<row>${cell('末')}</row>`,
    ].join('');
    for (const order of ['sheet-first', 'strings-first'] as const) {
      const rows = await rowsOf(await handWorkbook({ rows: [], sheetFiller: sheet, order }));
      expect(rows.map((r) => r.rowNo), order).toEqual([1, 2, 5, 6, 9, 10, 11]);
      expect(rows.map((r) => r.cells), order).toEqual([['信用代码', '隐患名称'], ['甲', '配电箱未接地'], ['', '乙'], ['7', '', '', '丁', '9'], ['1'], [], ['末']]);
    }
  });

  it('fills references in whatever chunks the XML arrives, a tag cut across two', async () => {
    const xml = `<sheetData><row>${cell('甲')}<c/></row><row r="4" ht="20">${cell('乙')}</row><row>${cell('丙', 'C5')}${cell('丁')}</row></sheetData>`;
    const whole = new RowRefs().fill(Buffer.from(xml));
    expect(whole.toString()).toBe(
      `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c><c r="B1"/></row><row r="4" ht="20"><c r="A4" t="inlineStr"><is><t>乙</t></is></c></row><row r="5">${cell('丙', 'C5')}<c r="D5" t="inlineStr"><is><t>丁</t></is></c></row></sheetData>`,
    );
    for (const size of [1, 2, 3, 5, 7, 64]) {
      // Chunks of about `size` bytes, each ending on a whole character, as the reader hands them on.
      const chunks: Buffer[] = [];
      let pending = '';
      for (const ch of xml) {
        pending += ch;
        if (Buffer.byteLength(pending) >= size) {
          chunks.push(Buffer.from(pending));
          pending = '';
        }
      }
      if (pending) chunks.push(Buffer.from(pending));
      const out: Buffer[] = [];
      for await (const b of withRowRefs(Readable.from(chunks))) out.push(b);
      expect(Buffer.concat(out).toString(), `chunks of ${size}`).toBe(whole.toString());
    }
  });

  it('names columns past Z as a spreadsheet does', () => {
    expect([1, 26, 27, 52, 53, 702, 703, 16384].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
  });
});
