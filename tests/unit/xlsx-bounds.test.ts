/**
 * A workbook is a zip: a small upload can unpack to gigabytes. The reader counts every part as it
 * unpacks and stops past its limits (shared strings kept in memory, worksheets parked on disk
 * when they come before the strings, everything else read through), and past a text or tag
 * longer than any cell holds; a well-formed workbook in Excel's part order still reads whole.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { UNPACKED_LIMITS, WorkbookTooLarge } from '../../sheets/xlsx-reader';
import { xlsxRows } from '../../sheets/xlsx-rows';
import { handWorkbook, zipOf } from '../support/zip';

const KiB = 1024;
const small = { sharedStrings: 64 * KiB, worksheets: 64 * KiB, other: 64 * KiB, textRun: 8 * KiB };
const ROWS = [
  ['统一社会信用代码', '隐患名称'],
  ['91330100MA2A0000A1', '配电箱未接地，存在触电风险'],
];

let parkDir: string;
let tmpBefore: string | undefined;
beforeEach(async () => {
  // Parked worksheets go to the system's temporary folder: a folder of this test's own, to see it emptied.
  tmpBefore = process.env.TMPDIR;
  parkDir = await mkdtemp(join(tmpdir(), 'xlsx-bounds-'));
  process.env.TMPDIR = parkDir;
});
afterEach(async () => {
  if (tmpBefore === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpBefore;
  await rm(parkDir, { recursive: true, force: true });
});

async function read(bytes: Buffer, limits = small): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of xlsxRows(Readable.from([bytes]), limits)) rows.push(row.cells);
  return rows;
}

async function refusal(bytes: Buffer, limits = small): Promise<WorkbookTooLarge> {
  const error = await read(bytes, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkbookTooLarge);
  return error as WorkbookTooLarge;
}

it('reads a workbook whose sheet comes before its shared strings (Excel’s order), leaving nothing parked', async () => {
  for (const order of ['sheet-first', 'strings-first'] as const) {
    const bytes = await handWorkbook({ rows: ROWS, order, sheetFiller: { repeat: '<row r="9"/>', times: 1 } });
    expect(await read(bytes)).toEqual(ROWS.concat([[]]));
  }
  expect(await readdir(parkDir)).toEqual([]);
});

it('stops at the shared strings’ limit, however little the file weighs', async () => {
  const bytes = await handWorkbook({ rows: ROWS, order: 'strings-first', stringsFiller: { repeat: '<si><t>甲乙丙丁</t></si>', times: 20_000 } });
  expect(bytes.length).toBeLessThan(8 * KiB);
  const e = await refusal(bytes);
  expect(e.part).toBe('sharedStrings');
  expect(e.message).toBe('the workbook unpacks to more than 0.06 MB of shared strings');
});

it('stops a sheet parked on disk at the worksheets’ limit and removes what was parked', async () => {
  const bytes = await handWorkbook({ rows: ROWS, order: 'sheet-first', sheetFiller: { repeat: '<row r="3"><c r="A3"><v>1</v></c></row>', times: 10_000 } });
  expect((await refusal(bytes)).part).toBe('worksheets');
  expect(await readdir(parkDir)).toEqual([]);
});

it('stops a sheet read as it streams at the worksheets’ limit', async () => {
  const bytes = await handWorkbook({ rows: ROWS, order: 'strings-first', sheetFiller: { repeat: '<row r="3"><c r="A3"><v>1</v></c></row>', times: 10_000 } });
  expect((await refusal(bytes)).part).toBe('worksheets');
});

it('stops at a text or a tag longer than any cell holds, before the parser has gathered it', async () => {
  const longText = await handWorkbook({ rows: [...ROWS, ['x'.repeat(9 * KiB)]], order: 'strings-first' });
  expect((await refusal(longText)).part).toBe('text');
  const longTag = await handWorkbook({ rows: ROWS, order: 'sheet-first', sheetFiller: `<row r="3" spans="${'1'.repeat(9 * KiB)}"/>` });
  expect((await refusal(longTag)).part).toBe('text');
  // Text up to the limit is read.
  const fits = await handWorkbook({ rows: [...ROWS, ['y'.repeat(7 * KiB)]], order: 'strings-first' });
  expect((await read(fits))[2]).toEqual(['y'.repeat(7 * KiB)]);
});

it('counts the parts it does not read, too', async () => {
  const extra = [{ name: 'docProps/thumbnail.jpeg', segments: [{ repeat: '\u0000', times: 200 * KiB }] }];
  const bytes = await handWorkbook({ rows: ROWS, order: 'sheet-first', extra });
  expect((await refusal(bytes)).part).toBe('other');
  expect(await readdir(parkDir)).toEqual([]);
});

it('holds the product’s limits: a 2 MB file unpacking to 1 GB of strings is refused at 128 MB', async () => {
  const bytes = await handWorkbook({ rows: ROWS, order: 'strings-first', stringsFiller: { repeat: `<si><t>${'a'.repeat(1000)}</t></si>`, times: 1_000_000 } });
  expect(bytes.length).toBeLessThan(3 * 1024 * KiB);
  const e = await refusal(bytes, UNPACKED_LIMITS);
  expect(e.part).toBe('sharedStrings');
  expect(e.limit).toBe(128 * 1024 * KiB);
}, 60_000);

it('reads through a zip that is not a workbook to an error, not a hang', async () => {
  const notAWorkbook = await zipOf([{ name: 'hello.txt', segments: ['hello'] }]);
  expect(await read(notAWorkbook)).toEqual([]);
});

it('parks a worksheet whatever its number, however long (a name the disk would refuse is not taken from it)', async () => {
  const extra = [{ name: `xl/worksheets/sheet${'9'.repeat(300)}.xml`, segments: ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'] }];
  const bytes = await handWorkbook({ rows: ROWS, order: 'strings-first', extra });
  expect(await read(bytes)).toEqual(ROWS);
  expect(await readdir(parkDir)).toEqual([]);
});
