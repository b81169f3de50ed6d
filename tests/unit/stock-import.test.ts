/** The stock import's pure parts: the CSV record parser fed in pieces, encodings, dates, cut characters, verdicts. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvRecords, csvRows } from '../../sheets/csv-rows';
import { SheetTooLarge } from '../../sheets/sheet-too-large';
import { wholeUtf8Length } from '../../sheets/xlsx-reader';
import { mapHeaders, parseSheetDate, readStockRow, verdictOf } from '../../domain/stock-import';
import { stockJudgingProgress } from '../../domain/stock-import-progress';

const rowsOf = async (chunks: Buffer[]) => {
  const out: string[][] = [];
  for await (const r of csvRows(Readable.from(chunks))) out.push(r.cells);
  return out;
};

describe('CSV records', () => {
  it('reads quotes, doubled quotes, line breaks in quotes and CRLF, whatever the pieces', () => {
    const text = 'a,"b ""q"", c","x\r\ny"\r\n=1+1,,\n';
    const whole = new CsvRecords();
    const expected = [...whole.push(text), ...whole.end()];
    expect(expected).toEqual([['a', 'b "q", c', 'x\r\ny'], ['=1+1', '', '']]);
    for (let cut = 1; cut < text.length; cut++) {
      const p = new CsvRecords();
      expect([...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()]).toEqual(expected);
    }
  });

  it('refuses a record wider or longer than a sheet holds, wherever the pieces are cut, and reads one that fits', () => {
    const limits = { fields: 4, chars: 10 };
    const read = (text: string, cut: number) => {
      const p = new CsvRecords(limits);
      const out: string[][] = [];
      for (let i = 0; i < text.length; i += cut) out.push(...p.push(text.slice(i, i + cut)));
      return [...out, ...p.end()];
    };
    for (const cut of [1, 3, 100]) {
      expect(() => read('a,b\n,,,,\n', cut)).toThrow(new SheetTooLarge('a record of the file has more than 4 fields'));
      expect(() => read('a,b\n"never closed, and on and on', cut)).toThrow(new SheetTooLarge('a record of the file runs past 10 characters'));
      expect(() => read('x'.repeat(11), cut)).toThrow(SheetTooLarge);
      // The count starts again with each record: ten characters and four fields a record fit.
      expect(read('a,bb,ccc,d\n"e""",ff,g,hhh\n', cut)).toEqual([['a', 'bb', 'ccc', 'd'], ['e"', 'ff', 'g', 'hhh']]);
    }
  });

  it('drops a UTF-8 BOM and reads GBK when the bytes are not UTF-8', async () => {
    expect(await rowsOf([Buffer.from('\ufeff名称,日期\r\n你好,2026-01-01')])).toEqual([['名称', '日期'], ['你好', '2026-01-01']]);
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x2c, 0x31, 0x0d, 0x0a]); // 你好,1
    expect(await rowsOf([gbk.subarray(0, 3), gbk.subarray(3)])).toEqual([['你好', '1']]);
  });
});

it('cuts a chunk only between whole UTF-8 characters', () => {
  const b = Buffer.from('存量隐患');
  expect(wholeUtf8Length(b)).toBe(12);
  expect(wholeUtf8Length(b.subarray(0, 4))).toBe(3);
  expect(wholeUtf8Length(b.subarray(0, 5))).toBe(3);
  expect(wholeUtf8Length(b.subarray(0, 6))).toBe(6);
});

it('reads dates as ledgers write them', () => {
  expect(['2026-03-05', '2026/3/5', '2026.3.5', '2026年3月5日', '２０２６－０３－０５'].map(parseSheetDate)).toEqual(Array(5).fill('2026-03-05'));
  expect(parseSheetDate('2026-02-30')).toBeNull();
  expect(parseSheetDate('45000')).toBeNull();
});

it('maps headers, naming those missing', () => {
  expect(mapHeaders(['隐患名称'])).toEqual({ missing: expect.arrayContaining(['统一社会信用代码/企业名称', '整改期限']) });
  const ok = mapHeaders(['企业名称', '隐患名称*', '隐患类别', '隐患等级', '发现日期', '整改期限', '状态', '责任监管人员']);
  expect('columns' in ok && ok.columns.get(1)).toBe('title');
});

it('judges a row on its own, and tells duplicates from errors', () => {
  const { problems } = readStockRow({ enterpriseName: '甲', title: 'x', category: '消防安全', grade: '重大', foundOn: '2026-03-05', deadline: '2026-03-01', status: '已销号', supervisor: 's' }, '2026-04-01');
  expect(problems.map((p) => p.code)).toEqual(['listing-level-required', 'deadline-before-found', 'closed-without-date']);
  expect(verdictOf([{ column: 'title', code: 'already-imported' }])).toBe('duplicate');
  expect(verdictOf([{ column: 'title', code: 'already-imported' }, { column: 'foundOn', code: 'bad-date' }])).toBe('invalid');
});

it('refuses an open hazard’s deadline further ahead than any deadline the system sets (a ledger’s 9999-12-31), not a closed one’s', () => {
  const row = (deadline: string, status: string) =>
    readStockRow({ enterpriseName: '甲', title: 'x', category: '消防安全', grade: '一般', foundOn: '2026-03-05', deadline, status, closedOn: status === '已销号' ? '2026-03-20' : '', supervisor: 's' }, '2026-04-01').problems;
  expect(row('9999-12-31', '未销号')).toEqual([{ column: 'deadline', code: 'deadline-too-far', detail: '366' }]);
  expect(row('2027-04-03', '未销号')).toEqual([{ column: 'deadline', code: 'deadline-too-far', detail: '366' }]);
  expect(row('2027-04-02', '未销号')).toEqual([]);
  expect(row('9999-12-31', '已销号')).toEqual([]);
});

describe('the progress of a file judged behind its upload', () => {
  const at = (s: number) => 1_000_000 + s * 1000;
  it('has no rate before a page is judged, then the rate so far and the time the unread bytes take at it', () => {
    expect(stockJudgingProgress({ rowsJudged: 0, fileBytes: 1000, bytesJudged: 0, startedAt: null, judgedAt: null, done: false })).toEqual({ rowsJudged: 0, fraction: 0, rowsPerSecond: null, etaSeconds: null, done: false });
    // A quarter of the file in 10 s: three quarters more take 30 s.
    expect(stockJudgingProgress({ rowsJudged: 2000, fileBytes: 1000, bytesJudged: 250, startedAt: at(0), judgedAt: at(10), done: false })).toEqual({ rowsJudged: 2000, fraction: 0.25, rowsPerSecond: 200, etaSeconds: 30, done: false });
  });

  it('gives no estimate once the file is read through but its rows still come (a workbook’s sheet parked first), and none left when done', () => {
    expect(stockJudgingProgress({ rowsJudged: 1000, fileBytes: 1000, bytesJudged: 1000, startedAt: at(0), judgedAt: at(5), done: false }).etaSeconds).toBeNull();
    expect(stockJudgingProgress({ rowsJudged: 5000, fileBytes: 1000, bytesJudged: 1000, startedAt: at(0), judgedAt: at(20), done: true })).toEqual({ rowsJudged: 5000, fraction: 1, rowsPerSecond: 250, etaSeconds: 0, done: true });
  });
});
