/**
 * Printed instruments through the API on real servers: each kind's PDF read back with poppler
 * (title, official number, enterprise, the deadline in Chinese date form), the font embedded as
 * a subset, the same bytes on every download (and the SHA-256 the response names), and reach:
 * another enterprise gets 404, an enterprise never an instrument or decision kept inside.
 */
import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueInstrument } from '../../db/instrument-numbers';
import { appendCaseEvent } from '../../db/case-events';
import { instruments, noticeDecisions, noticeInstruments, regions, suspensionInstruments } from '../../db/schema';
import { chineseDate } from '../../domain/documents/page';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';
import { pdfFonts, pdfText } from '../support/pdf-text';
import type { WorldUser } from '../support/world';

let h: ApiHarness;
let supA: Requester;
let entA: Requester;
const today = () => shanghaiDate(Date.now());
const tokens = new Map<string, string>();

let notice: { id: string; code: string; deadline: string };
let hazardId: string;
const ladder: Record<string, { code: string; to: string }> = {};
let decisionTaken: string;
let decisionPending: string;

async function download(user: WorldUser, path: string, headers: Record<string, string> = {}) {
  if (!tokens.has(user)) {
    const res = await h.http.request('POST', '/api/auth/login', { body: { username: user, password: 'correct horse battery staple' } });
    tokens.set(user, res.body.token);
  }
  const res = await fetch(h.http.baseUrl + path, { headers: { authorization: `Bearer ${tokens.get(user)}`, ...headers } });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function pdf(user: WorldUser, path: string) {
  const { res, bytes } = await download(user, path);
  expect(res.status, new TextDecoder().decode(bytes)).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  return { res, bytes, text: pdfText(bytes) };
}

const instrumentPath = (ref: string) => `/api/instruments/${encodeURIComponent(ref)}/pdf`;

beforeAll(async () => {
  h = await startApiHarness('documents');
  await h.database.db.update(regions).set({ agencyShortName: '甲县应急' }).where(eq(regions.id, h.world.a.county.id));
  [supA, entA] = await Promise.all([h.as('supervisor-a'), h.as('enterprise-a')]);
  const reg = await supA('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '配电柜未接地', category: '电气安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 20), location: '二号车间', legalBasis: '《安全生产法》第四十一条' },
  });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  hazardId = reg.body.id;
  const issued = await supA('POST', '/api/notices', {
    body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId], title: '督促整改电气隐患', requirements: '立即对配电柜做保护接地', deadline: addDays(today(), 10) },
  });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  notice = issued.body;
  expect((await entA('POST', `/api/notices/${notice.id}/sign`)).status).toBe(200);

  // The ladder's instruments as the notice workflow's activity records them: numbered, by step, each to its recipient.
  const steps: Array<[string, string]> = [
    ['reminder_card', 'enterprise'],
    ['list', 'supervisor_chief'],
    ['supervision_letter', 'responsible_leader'],
    ['directive', 'enterprise'],
  ];
  await h.database.db.transaction(async (tx) => {
    for (const [kind, to] of steps) {
      const row = await issueInstrument(tx, { agency: '甲县应急', year: Number(today().slice(0, 4)), kind, subjectType: 'notice', subjectId: notice.id, issuedBy: 'system' });
      await tx.insert(noticeInstruments).values({ noticeId: notice.id, stepKey: `ladder/${kind}`, instrumentId: row.id, recipientRole: to });
      ladder[kind] = { code: row.code, to };
    }
  });
  decisionTaken = randomUUID();
  decisionPending = randomUUID();
  // Decisions as the notice workflow's activity records them: one taken by the county leader, one still pending.
  await h.database.db.insert(noticeDecisions).values([
    {
      id: decisionTaken,
      noticeId: notice.id,
      kind: 'warning_interview',
      deciderRole: 'county_leader',
      openedAt: new Date(Date.now() - 3600_000),
      status: 'taken',
      documentNumber: '甲县应急约〔2026〕1号',
      reason: '逾期未整改，约谈企业主要负责人',
      decidedBy: 'leader-a',
      decidedAt: new Date(),
    },
    { id: decisionPending, noticeId: notice.id, kind: 'penalty', deciderRole: 'supervisor_chief', openedAt: new Date(), status: 'pending' },
  ]);
});
afterAll(async () => h?.stop());

describe('the rectification order (责令限期整改指令书)', () => {
  it('prints the title, the official number, the enterprise, the deadline in Chinese form, its rule and basis, and who signed for it', async () => {
    const { text, bytes, res } = await pdf('enterprise-a', instrumentPath(notice.code));
    expect(notice.code).toMatch(/^甲县应急〔\d{4}〕\d+号$/);
    for (const part of ['责令限期整改指令书', notice.code, '甲化工有限公司', chineseDate(notice.deadline), '配电柜未接地', '立即对配电柜做保护接地', '签收记录', 'enterprise-a于']) {
      expect(text).toContain(part);
    }
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent(notice.code));
    const fonts = pdfFonts(bytes);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.embedded && f.subset), JSON.stringify(fonts)).toBe(true);
    // A subset, not the 15 MB font.
    expect(bytes.length).toBeLessThan(400_000);
  });

  it('is the same bytes on every download, and says their SHA-256', async () => {
    const first = await pdf('supervisor-a', instrumentPath(notice.code));
    const [byId] = await h.database.db.select({ id: instruments.id }).from(instruments).where(eq(instruments.code, notice.code));
    const second = await pdf('supervisor-a', instrumentPath(byId!.id));
    const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(hash(second.bytes)).toBe(hash(first.bytes));
    expect(first.res.headers.get('etag')).toBe(`"sha256-${hash(first.bytes)}"`);
    expect(first.res.headers.get('repr-digest')).toBe(`sha-256=:${createHash('sha256').update(first.bytes).digest('base64')}:`);
    const again = await download('supervisor-a', instrumentPath(notice.code), { 'if-none-match': first.res.headers.get('etag')! });
    expect(again.res.status).toBe(304);
  });

  it('is not found by another enterprise or a supervisor of another county', async () => {
    expect((await download('enterprise-b', instrumentPath(notice.code))).res.status).toBe(404);
    expect((await download('supervisor-b', instrumentPath(notice.code))).res.status).toBe(404);
    expect((await download('enterprise-a', instrumentPath('甲县应急〔1999〕1号'))).res.status).toBe(404);
  });
});

describe('the ladder instruments', () => {
  it('prints each with its title and number, addressed to its recipient', async () => {
    const titles: Record<string, string> = { reminder_card: '督办提示卡', list: '督办清单', supervision_letter: '督办函', directive: '督办指令' };
    for (const [kind, { code, to }] of Object.entries(ladder)) {
      const { text } = await pdf('supervisor-a', instrumentPath(code));
      expect(text).toContain(titles[kind]!);
      expect(text).toContain(code);
      expect(text).toContain(notice.code);
      expect(text).toContain('甲化工有限公司');
      expect(text).toContain(chineseDate(notice.deadline));
      if (to === 'responsible_leader') expect(text).toContain('企业包联领导');
    }
  });

  it('shows an enterprise only the instruments addressed to it', async () => {
    expect((await download('enterprise-a', instrumentPath(ladder.reminder_card!.code))).res.status).toBe(200);
    expect((await download('enterprise-a', instrumentPath(ladder.directive!.code))).res.status).toBe(200);
    expect((await download('enterprise-a', instrumentPath(ladder.list!.code))).res.status).toBe(404);
    expect((await download('enterprise-a', instrumentPath(ladder.supervision_letter!.code))).res.status).toBe(404);
  });
});

describe("a notice's decisions", () => {
  it('prints a decision taken, with its document number and who took it; never one still pending', async () => {
    const { text } = await pdf('enterprise-a', `/api/notices/${notice.id}/decisions/${decisionTaken}/pdf`);
    for (const part of ['约谈通知书', '甲县应急约〔2026〕1号', '甲化工有限公司', '逾期未整改，约谈企业主要负责人', 'leader-a']) expect(text).toContain(part);
    expect((await download('supervisor-a', `/api/notices/${notice.id}/decisions/${decisionPending}/pdf`)).res.status).toBe(404);
    expect((await download('enterprise-a', `/api/notices/${notice.id}/decisions/${decisionPending}/pdf`)).res.status).toBe(404);
    expect((await download('enterprise-b', `/api/notices/${notice.id}/decisions/${decisionTaken}/pdf`)).res.status).toBe(404);
  });
});

describe("a hazard's own instruments", () => {
  it('numbers the extension decision and the review outcome, and prints each', async () => {
    const asked = await entA('POST', `/api/hazards/${hazardId}/extensions`, { body: { requestedDeadline: addDays(today(), 30), reason: '接地材料需定制' } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const granted = await supA('POST', `/api/hazards/${hazardId}/extension-decisions`, { body: { decision: 'approve', newDeadline: addDays(today(), 25) } });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    const up = await entA('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
    expect(up.status).toBe(201);
    expect((await entA('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [up.body.items[0].id] } })).status).toBe(200);
    const rejected = await supA('POST', `/api/hazards/${hazardId}/reviews`, { body: { decision: 'reject', reasons: ['接地电阻未检测'], newDeadline: addDays(today(), 28) } });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);

    const listed = await entA('GET', `/api/hazards/${hazardId}/documents`);
    expect(listed.status).toBe(200);
    const titles = listed.body.documents.map((d: { title: string }) => d.title);
    expect(titles).toEqual(expect.arrayContaining(['责令限期整改指令书', '督办提示卡', '督办指令', '延期审批意见书', '整改复查意见书', '约谈通知书']));
    // A decision is listed under the title its page is printed with.
    const interview = listed.body.documents.find((d: { title: string }) => d.title === '约谈通知书');
    expect(interview.href).toBe(`/api/notices/${notice.id}/decisions/${decisionTaken}/pdf`);
    expect((await pdf('enterprise-a', interview.href)).text).toContain(interview.title);
    expect(titles).not.toContain('督办清单');
    const internal = (await supA('GET', `/api/hazards/${hazardId}/documents`)).body.documents.map((d: { title: string }) => d.title);
    expect(internal).toEqual(expect.arrayContaining(['督办清单', '督办函']));

    const extension = listed.body.documents.find((d: { title: string }) => d.title === '延期审批意见书');
    expect(extension.number).toMatch(/^甲县应急〔\d{4}〕\d+号$/);
    const ext = await pdf('enterprise-a', extension.href);
    for (const part of ['延期审批意见书', extension.number, '甲化工有限公司', chineseDate(addDays(today(), 25)), '配电柜未接地', '《安全生产法》第四十一条']) expect(ext.text).toContain(part);

    const review = listed.body.documents.find((d: { title: string }) => d.title === '整改复查意见书');
    const rev = await pdf('enterprise-a', review.href);
    for (const part of ['整改复查意见书', review.number, '甲化工有限公司', '接地电阻未检测', chineseDate(addDays(today(), 28))]) expect(rev.text).toContain(part);
    expect((await download('enterprise-b', review.href)).res.status).toBe(404);
  });
});

describe('a suspension', () => {
  it('prints the order and the decision on resumption; another enterprise gets 404', async () => {
    const sup = supA;
    const created = await sup('POST', '/api/suspensions', {
      body: { enterpriseId: h.world.enterpriseA, documentNumber: '甲县应急停〔2026〕3号', reason: '重大事故隐患逾期未整改', scope: 'partial', scopeNote: '二号车间停产', startsOn: today(), plannedEnd: addDays(today(), 60) },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const order = await pdf('enterprise-a', `/api/suspensions/${id}/pdf`);
    for (const part of ['责令停产停业整顿决定书', '甲县应急停〔2026〕3号', '甲化工有限公司', chineseDate(addDays(today(), 60)), '二号车间停产']) expect(order.text).toContain(part);
    expect((await download('enterprise-b', `/api/suspensions/${id}/pdf`)).res.status).toBe(404);

    const passed = { note: '隐患已整改', evidence: ['photo-1'], selfCheck: { passed: true, summary: '自查合格' } };
    expect((await entA('POST', `/api/suspensions/${id}/resumption-requests`, { body: passed })).status).toBe(200);
    expect((await sup('POST', `/api/suspensions/${id}/resumption-review`, { body: { decision: 'approve', comment: '复查合格' } })).status).toBe(200);
    const docs = (await entA('GET', `/api/suspensions/${id}/documents`)).body.documents;
    expect(docs.map((d: { title: string }) => d.title)).toEqual(['责令停产停业整顿决定书', '恢复生产经营审查意见书']);
    const resumed = await pdf('enterprise-a', docs[1].href);
    for (const part of ['恢复生产经营审查意见书', '同意你单位恢复生产经营', '甲县应急停〔2026〕3号', '复查合格']) expect(resumed.text).toContain(part);
    expect((await download('enterprise-a', `/api/suspensions/${id}/decisions/1/pdf`)).res.status).toBe(404);
  });

  it('numbers each decision on a resumption request when it is recorded, and prints and lists it under that number', async () => {
    const created = await supA('POST', '/api/suspensions', {
      body: { enterpriseId: h.world.enterpriseA, hazardId, documentNumber: '甲县应急停〔2026〕4号', reason: '重大事故隐患逾期未整改', scope: 'full', startsOn: today(), plannedEnd: addDays(today(), 30) },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const passed = { note: '隐患已整改', evidence: ['photo-1'], selfCheck: { passed: true, summary: '自查合格' } };
    expect((await entA('POST', `/api/suspensions/${id}/resumption-requests`, { body: passed })).status).toBe(200);
    const rejected = await supA('POST', `/api/suspensions/${id}/resumption-review`, { body: { decision: 'reject', reasons: ['安全设施未恢复'], plannedEnd: addDays(today(), 40) } });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect((await entA('POST', `/api/suspensions/${id}/resumption-requests`, { body: passed })).status).toBe(200);
    const approved = await supA('POST', `/api/suspensions/${id}/resumption-review`, { body: { decision: 'approve', comment: '复查合格' } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    // The number is in the decision's entry of the trail, as hashed into the suspension's chain.
    const numbered = approved.body.timeline.filter((e: { type: string }) => e.type.startsWith('resumption_') && e.type !== 'resumption_requested');
    expect(numbered.map((e: { type: string }) => e.type)).toEqual(['resumption_rejected', 'resumption_approved']);
    const numbers = numbered.map((e: { data: { documentNumber?: string } }) => e.data.documentNumber);
    for (const n of numbers) expect(n).toMatch(/^甲县应急〔\d{4}〕\d+号$/);
    expect(new Set(numbers).size).toBe(2);

    const docs = (await entA('GET', `/api/suspensions/${id}/documents`)).body.documents;
    expect(docs.map((d: { title: string; number: string | null }) => [d.title, d.number])).toEqual([
      ['责令停产停业整顿决定书', '甲县应急停〔2026〕4号'],
      ['恢复生产经营审查意见书', numbers[0]],
      ['恢复生产经营审查意见书', numbers[1]],
    ]);
    const refusal = await pdf('enterprise-a', docs[1].href);
    for (const part of ['恢复生产经营审查意见书', numbers[0], '不同意恢复生产经营', '安全设施未恢复', '甲县应急停〔2026〕4号']) expect(refusal.text).toContain(part);
    const consent = await pdf('enterprise-a', docs[2].href);
    for (const part of ['恢复生产经营审查意见书', numbers[1], '同意你单位恢复生产经营']) expect(consent.text).toContain(part);

    // Found by its number as every other instrument is, within the suspension's reach only.
    const byNumber = await pdf('enterprise-a', instrumentPath(numbers[1]));
    expect(byNumber.bytes).toEqual(consent.bytes);
    expect((await download('enterprise-b', instrumentPath(numbers[1]))).res.status).toBe(404);
    expect((await download('supervisor-b', instrumentPath(numbers[1]))).res.status).toBe(404);

    // The hazard it was ordered on lists them among its documents, and its case file among its instruments.
    const ofHazard = (await entA('GET', `/api/hazards/${hazardId}/documents`)).body.documents as Array<{ title: string; number: string | null; href: string }>;
    expect(ofHazard.filter((d) => numbers.includes(d.number)).map((d) => d.href)).toEqual([docs[1].href, docs[2].href]);
    expect(ofHazard.find((d) => d.number === '甲县应急停〔2026〕4号')?.title).toBe('责令停产停业整顿决定书');
    const file = (await supA('GET', `/api/hazards/${hazardId}/case-file.json`)).body;
    const issued = file.instruments.filter((i: { code: string }) => numbers.includes(i.code));
    expect(issued.map((i: { title: string; subject: string }) => [i.title, i.subject])).toEqual([
      ['恢复生产经营审查意见书', `suspension:${id}`],
      ['恢复生产经营审查意见书', `suspension:${id}`],
    ]);
    const decided = file.decisions.filter((d: { kind: string }) => d.kind === 'resumption_rejected' || d.kind === 'resumption_approved');
    expect(decided.map((d: { data: { documentNumber: string } }) => d.data.documentNumber)).toEqual(numbers);
  });
  it('lists a decision recorded before decisions were numbered as issued before numbering, giving it no number afterwards', async () => {
    const created = await supA('POST', '/api/suspensions', {
      body: { enterpriseId: h.world.enterpriseA, hazardId, documentNumber: '甲县应急停〔2026〕5号', reason: '重大事故隐患逾期未整改', scope: 'full', startsOn: today(), plannedEnd: addDays(today(), 30) },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const issuedBefore = await h.database.db.select({ id: instruments.id }).from(instruments);
    // A refusal as recorded before migration 0039: on the chain, without a number.
    await h.database.db.transaction((tx) =>
      appendCaseEvent(tx, { caseType: 'suspension', caseId: id, stepKey: 'review-before-numbering', type: 'resumption_rejected', actor: 'supervisor-a', occurredAt: Date.now(), data: { reasons: ['安全设施未恢复'], plannedEnd: addDays(today(), 40) } }),
    );

    const docs = (await entA('GET', `/api/suspensions/${id}/documents`)).body.documents as Array<{ title: string; number: string | null; numberNote: string | null; href: string }>;
    expect(docs.map((d) => [d.title, d.number, d.numberNote])).toEqual([
      ['责令停产停业整顿决定书', '甲县应急停〔2026〕5号', null],
      ['恢复生产经营审查意见书', null, 'issued-before-numbering'],
    ]);
    const ofHazard = (await entA('GET', `/api/hazards/${hazardId}/documents`)).body.documents as typeof docs;
    expect(ofHazard.find((d) => d.href === docs[1]!.href)?.numberNote).toBe('issued-before-numbering');
    // Numbered decisions carry no note.
    expect(ofHazard.filter((d) => d.number !== null).every((d) => d.numberNote === null)).toBe(true);
    // It still prints, as it was served; no number was taken for it.
    const printed = await pdf('enterprise-a', docs[1]!.href);
    for (const part of ['恢复生产经营审查意见书', '不同意恢复生产经营', '甲县应急停〔2026〕5号']) expect(printed.text).toContain(part);
    expect(await h.database.db.select({ id: instruments.id }).from(instruments)).toHaveLength(issuedBefore.length);
    expect(await h.database.db.select().from(suspensionInstruments).where(eq(suspensionInstruments.suspensionId, id))).toEqual([]);
  });
});
