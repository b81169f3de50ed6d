/**
 * A workbook cut off part way (an upload stopped short, a file copied half): the reader fails
 * with the zip's error instead of waiting for ever on the part it was reading (the zip reader
 * fails the zip but left the part's stream open, and a stock judging held its slot heartbeating
 * until its two-hour timeout, attempt after attempt). No error escapes as an uncaught exception.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { xlsxRows } from '../../sheets/xlsx-rows';
import { handWorkbook } from '../support/zip';

const ROWS = [
  ['统一社会信用代码', '隐患名称'],
  ['91330100MA2A0000A1', '配电箱未接地，存在触电风险'],
];

async function outcome(bytes: Buffer): Promise<unknown> {
  const read = (async () => {
    for await (const row of xlsxRows(Readable.from([bytes]))) void row;
    return 'read';
  })().catch((e: unknown) => e);
  const stuck = new Promise((r) => setTimeout(() => r('stuck'), 5_000).unref());
  return Promise.race([read, stuck]);
}

const uncaught: unknown[] = [];
const keep = (e: unknown) => uncaught.push(e);
beforeAll(() => void process.on('uncaughtException', keep));
afterAll(() => void process.off('uncaughtException', keep));

it('fails on a workbook cut off inside any of its parts, never waits', { timeout: 120_000 }, async () => {
  const whole = await handWorkbook({ rows: ROWS, order: 'sheet-first', sheetFiller: { repeat: '<row r="9"><c r="A9"><v>1</v></c></row>', times: 2000 } });
  expect(await outcome(whole)).toBe('read');
  // Up to 94%: inside a part or between two (the last few per cent are the zip's directory, which
  // a streamed read does not need).
  for (let share = 0.02; share < 0.95; share += 0.04) {
    const result = await outcome(whole.subarray(0, Math.floor(whole.length * share)));
    expect(result, `cut at ${share.toFixed(2)}`).toBeInstanceOf(Error);
  }
  await new Promise((r) => setTimeout(r, 200));
  expect(uncaught).toEqual([]);
});
