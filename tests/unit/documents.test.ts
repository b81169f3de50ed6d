/**
 * What goes on a printed page, and the case file's own check, without servers: Chinese dates and
 * deadline rules as an instrument states them, a page built from a record, and every way a case
 * file can fail to match (an entry changed, relinked, missing from the database, the signature).
 */
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, KEYED, linkMac } from '../../domain/audit-chain';
import { checkCaseFile, signCaseFile, type CaseFile, type ChainEntry, type UnsignedCaseFile } from '../../domain/case-file';
import { caseFileDocument } from '../../domain/documents/case-file-page';
import { hazardInstrumentDocument } from '../../domain/documents/hazard-instruments';
import { chineseDate, chineseDateTimeOf, deadlineRuleText } from '../../domain/documents/page';
import { DEFAULT_FONTS, documentFonts } from '../../documents/fonts';
import { loadFonts, renderPdf } from '../../documents/pdf';
import { pdfText } from '../support/pdf-text';
import { parseConfig } from '../../config';

const KEY = 'k'.repeat(40);

describe('dates and rules on a page', () => {
  it('writes dates as GB/T 9704 does: Arabic numerals, no padding, Shanghai time', () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日');
    expect(chineseDateTimeOf(Date.UTC(2026, 11, 31, 16, 30))).toBe('2027年1月1日 00:30');
    expect(deadlineRuleText({ days: 10, unit: 'working' })).toBe('自下达之日起10个工作日内');
    expect(deadlineRuleText({ days: 30, unit: 'calendar', from: '2026-03-02' })).toBe('自2026年3月2日起30日内');
    expect(deadlineRuleText(null)).toBe('由承办人员确定');
  });

  it('builds a review opinion from the record: number, addressee, reasons, new deadline, reviewer by name', () => {
    const doc = hazardInstrumentDocument(
      'review_opinion',
      { code: '甲县应急〔2026〕7号', agency: '甲县应急', issuedAt: Date.UTC(2026, 2, 1, 2), event: { type: 'review_rejected', actor: 'wang', occurredAt: Date.UTC(2026, 2, 1, 2), data: { round: 1, reasons: ['未检测', '无记录'], newDeadline: '2026-03-20' } } },
      { id: 'h', title: '配电柜未接地', category: '电气', location: '', enterpriseName: '甲化工', legalBasis: '《安全生产法》', requiredMeasures: '', deadlineRule: null },
      { wang: '王建国' },
    );
    expect(doc).toMatchObject({ title: '整改复查意见书', number: '甲县应急〔2026〕7号', addressee: '甲化工', dateText: '2026年3月1日', madeAt: Date.UTC(2026, 2, 1, 2) });
    const text = JSON.stringify(doc.body);
    for (const part of ['未检测；无记录', '2026年3月20日', '王建国', '《安全生产法》']) expect(text).toContain(part);
  });
});

describe("the case file's printed decisions", () => {
  it('names each decision by its title, as the JSON twin and the instruments table do; one not taken by the title it would carry', async () => {
    const decided = (kind: string, status: string, title: string | null, extra: Record<string, unknown> = {}) => ({ kind, status, title, decidedBy: null, decidedAt: null, ...extra });
    const file: CaseFile = {
      format: 'duban-case-file/1',
      hazard: { id: 'h', title: '配电柜未接地' },
      people: { wang: '王建国' },
      timeline: [],
      evidence: [],
      decisions: [
        decided('review_accepted', 'taken', '整改复查意见书', { decidedBy: 'wang', decidedAt: '2026-03-01T02:00:00.000Z' }),
        decided('suspension', 'taken', '责令停产停业整顿决定书', { documentNumber: '甲县应急〔2026〕9号', decidedBy: 'wang', decidedAt: '2026-03-02T02:00:00.000Z' }),
        decided('penalty', 'pending', null),
      ],
      instruments: [],
      audit: [],
      workflow: { workflowId: 'hazard-h', runs: [], events: 0 },
      asOf: '2026-03-02T02:00:00.000Z',
      signature: 'f'.repeat(64),
    };
    const text = pdfText(await renderPdf(caseFileDocument(file, '甲县应急'), DEFAULT_FONTS));
    const decisions = text.slice(text.indexOf('三、决定'), text.indexOf('四、文书'));
    for (const title of ['整改复查意见书', '责令停产停业整顿决定书', '行政处罚决定书']) expect(decisions).toContain(title);
    for (const raw of ['review_accepted', 'suspension', 'penalty', '复查通过']) expect(decisions).not.toContain(raw);
  });
});

function chain(name: string, n: number): ChainEntry[] {
  const out: ChainEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = { case: name, seq, step: `s${seq}`, type: 'registered', actor: 'wang', occurredAt: new Date(seq * 1000).toISOString(), data: { n: seq } };
    const hash = linkMac(KEY, prev, content);
    out.push({ seq, content, prevHash: prev, hash, version: KEYED });
    prev = hash;
  }
  return out;
}

function file(entries: ChainEntry[]): UnsignedCaseFile {
  return {
    format: 'duban-case-file/1',
    hazard: { id: 'h1', title: '隐患' },
    people: {},
    timeline: [],
    evidence: [],
    decisions: [],
    instruments: [],
    audit: [{ chain: 'hazard:h1', entries }],
    workflow: { workflowId: 'hazard-h1', runs: [], events: 0 },
    asOf: new Date(0).toISOString(),
  };
}

describe("the case file's check", () => {
  const stored = new Map([['hazard:h1', chain('hazard:h1', 3)]]);

  it('passes a file as made, even when the database has gained entries since', () => {
    const signed = signCaseFile(KEY, file(chain('hazard:h1', 2)));
    expect(checkCaseFile(KEY, signed, stored)).toEqual([]);
  });

  it('names the entry whose content was changed, and the signature', () => {
    const signed = signCaseFile(KEY, file(chain('hazard:h1', 3)));
    const tampered = structuredClone(signed);
    tampered.audit[0]!.entries[1]!.content.actor = 'li';
    expect(checkCaseFile(KEY, tampered, stored)).toEqual([
      { where: 'hazard:h1 #2', reason: 'its content does not hash to the hash it carries (changed in the file)' },
      { where: 'hazard:h1 #2', reason: 'differs from the database (content)' },
      { where: 'signature', reason: expect.stringContaining('does not cover the file') },
    ]);
  });

  it('names an entry rehashed under the key yet not the database’s, and one the database does not hold', () => {
    const forged = chain('hazard:h1', 4);
    const other = new Map([['hazard:h1', chain('hazard:h1', 3).map((e, i) => (i === 2 ? { ...e, hash: 'f'.repeat(64) } : e))]]);
    const problems = checkCaseFile(KEY, signCaseFile(KEY, file(forged)), other);
    expect(problems).toEqual([
      { where: 'hazard:h1 #3', reason: 'differs from the database (hash)' },
      { where: 'hazard:h1 #4', reason: 'is not in the database' },
    ]);
  });

  it('refuses a file signed under another key', () => {
    const signed = signCaseFile('x'.repeat(40), file(chain('hazard:h1', 1)));
    expect(checkCaseFile(KEY, signed, stored).map((p) => p.where)).toEqual(['signature']);
  });
});

describe('the fonts printed documents use', () => {
  it('are Noto Serif SC from npm unless a bureau names its own by path; a path that cannot be read stops the start', () => {
    expect(documentFonts(parseConfig({}))).toEqual(DEFAULT_FONTS);
    expect(DEFAULT_FONTS.regular).toMatch(/NotoSerifSC_400Regular\.ttf$/);
    expect(() => loadFonts(DEFAULT_FONTS)).not.toThrow();
    expect(documentFonts(parseConfig({ DOCUMENT_FONT_PATH: '/srv/fonts/fangsong.ttf' }))).toEqual({ regular: '/srv/fonts/fangsong.ttf', bold: '/srv/fonts/fangsong.ttf' });
    expect(documentFonts(parseConfig({ DOCUMENT_FONT_PATH: '/a.ttf', DOCUMENT_TITLE_FONT_PATH: '/b.otf' }))).toEqual({ regular: '/a.ttf', bold: '/b.otf' });
    expect(() => loadFonts({ regular: '/nonexistent/font.ttf', bold: '/nonexistent/font.ttf' })).toThrow(/ENOENT/);
  });
});
