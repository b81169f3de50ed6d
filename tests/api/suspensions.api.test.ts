/**
 * Suspensions for rectification (停产整顿) through HTTP, on the dev server and real Postgres:
 * ordering, the resumption request and its review, extension and lifting, and every way a
 * request is refused — problem+json naming the field (and the policy limit), nothing changed;
 * enterprise users act only for their own enterprise, everyone only within reach.
 */
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, noticeDecisions, suspensions } from '../../db/schema';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { suspensionWorkflowId } from '../../workflows/suspension.messages';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';
import { overdueNotice } from '../support/overdue-notice';

let h: ApiHarness;
let sup: Requester;
let supB: Requester;
let ent: Requester;
let entB: Requester;
let leader: Requester;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('suspensions');
  [sup, supB, ent, entB, leader] = await Promise.all([h.as('supervisor-a'), h.as('supervisor-b'), h.as('enterprise-a'), h.as('enterprise-b'), h.as('leader-a')]);
});
afterAll(async () => h?.stop());

const order = (over: Record<string, unknown> = {}) => ({
  enterpriseId: h.world.enterpriseA,
  documentNumber: '甲县应急停〔2026〕3号',
  reason: '重大事故隐患逾期未整改',
  scope: 'partial',
  scopeNote: '二号车间停产',
  startsOn: today(),
  plannedEnd: addDays(today(), 60),
  ...over,
});

async function create(over: Record<string, unknown> = {}, as: Requester = sup) {
  const res = await as('POST', '/api/suspensions', { body: order(over) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; [k: string]: any };
}

function expectProblem(res: HttpResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.stringMatching(/^urn:duban:problem:/) });
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

const suspensionCount = async () => (await h.database.db.select({ n: count() }).from(suspensions))[0]!.n;
const eventCount = async (id: string) => (await h.database.db.select({ n: count() }).from(caseEvents).where(eq(caseEvents.caseId, id)))[0]!.n;
const passed = { note: '隐患已整改', evidence: ['photo-1', 'report-2'], selfCheck: { passed: true, summary: '自查合格' } };

describe('ordering a suspension', () => {
  it('orders one with its maximum from the stored major policy, and shows it with its timeline and days remaining', async () => {
    const s = await create();
    expect(s).toMatchObject({
      enterpriseId: h.world.enterpriseA,
      hazardId: null,
      origin: null,
      documentNumber: '甲县应急停〔2026〕3号',
      scope: 'partial',
      scopeNote: '二号车间停产',
      status: 'suspended',
      startsOn: today(),
      plannedEnd: addDays(today(), 60),
      maxDays: 183,
      maxEnd: addDays(today(), 183),
      daysRemaining: { plannedEnd: 60, maxEnd: 183 },
      reviewOverdue: false,
      createdBy: 'supervisor-a',
      next: { kind: 'reminder' },
    });
    expect(s.timeline).toEqual([expect.objectContaining({ step: 'ordered', type: 'ordered', actor: 'supervisor-a' })]);
    const read = await ent('GET', `/api/suspensions/${s.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: s.id, status: 'suspended' });
    const wf = await h.env.client.workflow.getHandle(suspensionWorkflowId(s.id)).describe();
    expect(wf.status.name).toBe('RUNNING');
  });

  it("carries out a notice's taken 停产整顿 decision, once: the notice links to it; a second order, a pending one, another kind are refused", async () => {
    const { noticeId } = await overdueNotice(h);
    const decision = async (kind: string, status: 'taken' | 'pending') => {
      const id = randomUUID();
      await h.database.db.insert(noticeDecisions).values({ id, noticeId, kind, deciderRole: 'bureau_director', openedAt: new Date(), status });
      return id;
    };
    const [taken, pending, penalty, raced] = [await decision('suspension', 'taken'), await decision('suspension', 'pending'), await decision('penalty', 'taken'), await decision('suspension', 'taken')];
    const origin = (id: string) => ({ origin: { type: 'notice_decision', id } });

    const s = await create(origin(taken));
    expect(s.origin).toEqual({ type: 'notice_decision', id: taken });
    const notice = await sup('GET', `/api/notices/${noticeId}`);
    expect(notice.body.decisions.find((d: { id: string }) => d.id === taken)).toMatchObject({ kind: 'suspension', status: 'taken', suspensionId: s.id });
    expect(notice.body.decisions.find((d: { id: string }) => d.id === raced).suspensionId).toBeNull();

    const before = await suspensionCount();
    const again = await leader('POST', '/api/suspensions', { body: order(origin(taken)) });
    expectProblem(again, 409, 'origin.id');
    expect(again.body.code).toBe('decision-already-carried-out');
    for (const [id, code] of [[pending, 'decision-not-carried-out'], [penalty, 'decision-not-carried-out'], [randomUUID(), 'unknown-decision']] as const) {
      const res = await sup('POST', '/api/suspensions', { body: order(origin(id)) });
      expectProblem(res, 422, 'origin.id');
      expect(res.body.code).toBe(code);
    }
    expectProblem(await sup('POST', '/api/suspensions', { body: order(origin('notice-7')) }), 400, 'origin.id');
    // Another county's supervisor orders enterprise B: the decision of county A's notice is not theirs to carry out.
    expectProblem(await supB('POST', '/api/suspensions', { body: order({ enterpriseId: h.world.enterpriseB, ...origin(raced) }) }), 422, 'origin.id');
    expect(await suspensionCount()).toBe(before);

    // Orders from the same decision sent at once: exactly one goes out.
    const racing = await Promise.all(Array.from({ length: 6 }, () => sup('POST', '/api/suspensions', { body: order(origin(raced)) })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await suspensionCount()).toBe(before + 1);
  });

  it("names the decision it carries out only to readers of the decision's notice: not to the enterprise nor the grid when the notice is the township bureau's", async () => {
    const grid = await h.as('grid-a');
    const reg = await sup('POST', '/api/hazards', {
      body: { enterpriseId: h.world.enterpriseA, title: '涂装车间通风失效', category: '工贸安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 20), location: '涂装车间' },
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const notice = await sup('POST', '/api/notices', {
      body: { addressee: { regionId: h.world.a.township.id, department: '安监办' }, hazardIds: [reg.body.id], title: '督促乡镇督导涂装车间停产整顿', requirements: '督导停产整顿' },
    });
    expect(notice.status, JSON.stringify(notice.body)).toBe(201);
    const decisionId = randomUUID();
    await h.database.db.insert(noticeDecisions).values({ id: decisionId, noticeId: notice.body.id, kind: 'suspension', deciderRole: 'bureau_director', openedAt: new Date(), status: 'taken' });
    const s = await create({ hazardId: reg.body.id, origin: { type: 'notice_decision', id: decisionId }, documentNumber: '甲县应急停〔2026〕9号' });
    expect(s.origin).toEqual({ type: 'notice_decision', id: decisionId });
    const ordered = (body: { [k: string]: any }) => (body.timeline as Array<{ type: string; data: Record<string, unknown> }>).find((e) => e.type === 'ordered')!.data.origin;
    expect(ordered(s)).toEqual({ type: 'notice_decision', id: decisionId });

    for (const [who, as] of [['enterprise', ent], ['grid', grid]] as const) {
      expect((await as('GET', `/api/notices/${notice.body.id}`)).status, who).toBe(404);
      const read = await as('GET', `/api/suspensions/${s.id}`);
      expect(read.status, who).toBe(200);
      expect(read.body.origin, who).toBeNull();
      expect(ordered(read.body), who).toBeNull();
      const listed = await as('GET', '/api/suspensions?limit=100');
      expect(listed.body.items.find((i: { id: string }) => i.id === s.id).origin, who).toBeNull();
      for (const name of [decisionId, notice.body.id]) expect(JSON.stringify([read.body, listed.body]), who).not.toContain(name);
    }
    // The county's supervisor reads the notice, and the order names the decision to them, in the list too.
    const listed = await sup('GET', '/api/suspensions?limit=100');
    expect(listed.body.items.find((i: { id: string }) => i.id === s.id).origin).toEqual({ type: 'notice_decision', id: decisionId });
    // The hazard's case file holds the order's chain: the grid's shows the order withheld, without the decision.
    type Chain = { chain: string; entries: Array<{ withheld?: boolean; content: { type: string; data: Record<string, unknown> } }> };
    const orderedEntry = (file: { audit: Chain[] }) => file.audit.find((c) => c.chain === `suspension:${s.id}`)!.entries.find((e) => e.content.type === 'ordered')!;
    const ofGrid = await grid('GET', `/api/hazards/${reg.body.id}/case-file.json`);
    expect(ofGrid.status).toBe(200);
    expect(orderedEntry(ofGrid.body)).toMatchObject({ withheld: true, content: { data: { origin: null } } });
    for (const name of [decisionId, notice.body.id]) expect(JSON.stringify(ofGrid.body)).not.toContain(name);
    const ofCounty = await sup('GET', `/api/hazards/${reg.body.id}/case-file.json`);
    expect(orderedEntry(ofCounty.body).withheld).toBeUndefined();
    expect(orderedEntry(ofCounty.body).content.data.origin).toEqual({ type: 'notice_decision', id: decisionId });
    // Another county reaches neither.
    expect((await supB('GET', `/api/suspensions/${s.id}`)).status).toBe(404);
    expect((await supB('GET', `/api/notices/${notice.body.id}`)).status).toBe(404);
  });

  it('replays an order sent again with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const first = await sup('POST', '/api/suspensions', { body: order(), headers: { 'idempotency-key': key } });
    const again = await sup('POST', '/api/suspensions', { body: order(), headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('refuses a planned end past the maximum, a start before today, a planned end before the start; nothing is created', async () => {
    const before = await suspensionCount();
    const tooLong = await sup('POST', '/api/suspensions', { body: order({ plannedEnd: addDays(today(), 184) }) });
    expectProblem(tooLong, 422, 'plannedEnd');
    expect(tooLong.body.errors[0]).toMatchObject({ field: 'plannedEnd', limit: { name: 'major.suspensionMaxDays', value: 183 } });
    expect(tooLong.body.errors[0].message).toContain(addDays(today(), 183));
    expectProblem(await sup('POST', '/api/suspensions', { body: order({ startsOn: addDays(today(), -1) }) }), 422, 'startsOn');
    expectProblem(await sup('POST', '/api/suspensions', { body: order({ startsOn: addDays(today(), 5), plannedEnd: addDays(today(), 4) }) }), 422, 'plannedEnd');
    expectProblem(await sup('POST', '/api/suspensions', { body: order({ documentNumber: ' ' }) }), 400, 'documentNumber');
    expectProblem(await sup('POST', '/api/suspensions', { body: order({ scope: 'most' }) }), 400, 'scope');
    expect(await suspensionCount()).toBe(before);
  });

  it('orders only within reach: enterprises and hazards outside it are unknown; enterprises and grid-less roles may not order', async () => {
    const before = await suspensionCount();
    expectProblem(await supB('POST', '/api/suspensions', { body: order() }), 422, 'enterpriseId');
    expectProblem(await sup('POST', '/api/suspensions', { body: order({ enterpriseId: randomUUID() }) }), 422, 'enterpriseId');
    const hazardB = await supB('POST', '/api/hazards', {
      body: { enterpriseId: h.world.enterpriseB, title: '乙厂隐患', category: '消防安全', source: 'inspection', grade: 'major', listingLevel: 'county', deadline: addDays(today(), 20) },
    });
    expect(hazardB.status).toBe(201);
    // A hazard of another enterprise (and out of reach) is refused exactly like a missing one.
    const other = await sup('POST', '/api/suspensions', { body: order({ hazardId: hazardB.body.id }) });
    const missing = await sup('POST', '/api/suspensions', { body: order({ hazardId: randomUUID() }) });
    expectProblem(other, 422, 'hazardId');
    expect(other.body.errors).toEqual(missing.body.errors);
    expectProblem(await ent('POST', '/api/suspensions', { body: order() }), 403);
    expectProblem(await (await h.as('admin'))('POST', '/api/suspensions', { body: order() }), 403);
    expect(await suspensionCount()).toBe(before);
  });
});

describe('resumption', () => {
  it('the enterprise asks once after a passing self-check; a rejection past the maximum changes nothing; rejection goes back; approval resumes', async () => {
    const s = await create();
    expectProblem(await ent('POST', `/api/suspensions/${s.id}/resumption-requests`, { body: { ...passed, selfCheck: { passed: false, summary: '尚未完成' } } }), 422, 'selfCheck.passed');
    // Another enterprise does not see it at all; a supervisor may not ask for the enterprise.
    expectProblem(await entB('POST', `/api/suspensions/${s.id}/resumption-requests`, { body: passed }), 404);
    expectProblem(await sup('POST', `/api/suspensions/${s.id}/resumption-requests`, { body: passed }), 403);
    expectProblem(await sup('POST', `/api/suspensions/${s.id}/resumption-review`, { body: { decision: 'approve' } }), 409);

    const asked = await ent('POST', `/api/suspensions/${s.id}/resumption-requests`, { body: passed });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body).toMatchObject({ status: 'resumption_requested', resumptionRequestedAt: expect.any(String) });
    expect(asked.body.timeline.at(-1)).toMatchObject({ type: 'resumption_requested', actor: 'enterprise-a', data: { evidence: ['photo-1', 'report-2'], selfCheck: { passed: true } } });
    expectProblem(await ent('POST', `/api/suspensions/${s.id}/resumption-requests`, { body: passed }), 409);

    const events = await eventCount(s.id);
    const beyond = await sup('POST', `/api/suspensions/${s.id}/resumption-review`, {
      body: { decision: 'reject', reasons: ['通风未整改'], plannedEnd: addDays(today(), 184) },
    });
    expectProblem(beyond, 422, 'plannedEnd');
    expect(beyond.body.errors[0].limit).toEqual({ name: 'major.suspensionMaxDays', value: 183 });
    expectProblem(await sup('POST', `/api/suspensions/${s.id}/resumption-review`, { body: { decision: 'reject', reasons: [] } }), 400, 'reasons');
    expectProblem(await supB('POST', `/api/suspensions/${s.id}/resumption-review`, { body: { decision: 'approve' } }), 404);
    expectProblem(await ent('POST', `/api/suspensions/${s.id}/resumption-review`, { body: { decision: 'approve' } }), 403);
    expect(await eventCount(s.id)).toBe(events);
    expect((await sup('GET', `/api/suspensions/${s.id}`)).body.status).toBe('resumption_requested');

    const newEnd = addDays(today(), 90);
    const rejected = await sup('POST', `/api/suspensions/${s.id}/resumption-review`, { body: { decision: 'reject', reasons: ['通风未整改'], plannedEnd: newEnd } });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'suspended', plannedEnd: newEnd, daysRemaining: { plannedEnd: 90 } });
    expect(rejected.body.timeline.at(-1)).toMatchObject({ type: 'resumption_rejected', actor: 'supervisor-a', data: { reasons: ['通风未整改'], plannedEnd: newEnd } });

    await ent('POST', `/api/suspensions/${s.id}/resumption-requests`, { body: passed });
    const approved = await leader('POST', `/api/suspensions/${s.id}/resumption-review`, { body: { decision: 'approve', comment: '验收合格' } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'resumed', resumedAt: expect.any(String), next: null });
    expect(approved.body.timeline.map((e: { type: string }) => e.type)).toEqual(['ordered', 'resumption_requested', 'resumption_rejected', 'resumption_requested', 'resumption_approved']);

    // Ended: every command is a 409 and nothing changes.
    const final = await eventCount(s.id);
    expectProblem(await ent('POST', `/api/suspensions/${s.id}/resumption-requests`, { body: passed }), 409);
    expectProblem(await sup('POST', `/api/suspensions/${s.id}/extend`, { body: { plannedEnd: addDays(today(), 100), reason: '延长' } }), 409);
    expectProblem(await leader('POST', `/api/suspensions/${s.id}/lift`, { body: { documentNumber: '甲县应急解〔2026〕1号', reason: '撤销' } }), 409);
    expect(await eventCount(s.id)).toBe(final);
  });
});

describe('extending and lifting', () => {
  it('extends later within the maximum by a supervisor or leader; refuses past, earlier and too far; a leader lifts it with a document number', async () => {
    const s = await create();
    const events = await eventCount(s.id);
    const tooFar = await sup('POST', `/api/suspensions/${s.id}/extend`, { body: { plannedEnd: addDays(today(), 184), reason: '设备未到' } });
    expectProblem(tooFar, 422, 'plannedEnd');
    expect(tooFar.body.errors[0]).toMatchObject({ limit: { name: 'major.suspensionMaxDays', value: 183 } });
    expectProblem(await sup('POST', `/api/suspensions/${s.id}/extend`, { body: { plannedEnd: addDays(today(), 59), reason: '设备未到' } }), 422, 'plannedEnd');
    expectProblem(await sup('POST', `/api/suspensions/${s.id}/extend`, { body: { plannedEnd: addDays(today(), 70) } }), 400, 'reason');
    expectProblem(await ent('POST', `/api/suspensions/${s.id}/extend`, { body: { plannedEnd: addDays(today(), 70), reason: '请求延长' } }), 403);
    expectProblem(await supB('POST', `/api/suspensions/${s.id}/extend`, { body: { plannedEnd: addDays(today(), 70), reason: '设备未到' } }), 404);
    expect(await eventCount(s.id)).toBe(events);

    const extended = await sup('POST', `/api/suspensions/${s.id}/extend`, { body: { plannedEnd: addDays(today(), 183), reason: '设备未到' } });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    expect(extended.body).toMatchObject({ plannedEnd: addDays(today(), 183), daysRemaining: { plannedEnd: 183, maxEnd: 183 } });
    expect(extended.body.timeline.at(-1)).toMatchObject({ type: 'extended', actor: 'supervisor-a', data: { reason: '设备未到', previousPlannedEnd: addDays(today(), 60) } });

    const lift = { documentNumber: '甲县应急解〔2026〕1号', reason: '停产决定依法撤销' };
    expectProblem(await sup('POST', `/api/suspensions/${s.id}/lift`, { body: lift }), 403);
    expectProblem(await leader('POST', `/api/suspensions/${s.id}/lift`, { body: { ...lift, documentNumber: '' } }), 400, 'documentNumber');
    const lifted = await leader('POST', `/api/suspensions/${s.id}/lift`, { body: lift });
    expect(lifted.status, JSON.stringify(lifted.body)).toBe(200);
    expect(lifted.body).toMatchObject({ status: 'lifted', liftedAt: expect.any(String), next: null });
    expect(lifted.body.timeline.at(-1)).toMatchObject({ type: 'lifted', actor: 'leader-a', data: lift });
    expectProblem(await leader('POST', `/api/suspensions/${s.id}/lift`, { body: lift }), 409);
  });
});

describe('lists and reach', () => {
  it('lists within reach only, filtered by status and enterprise, page by page', async () => {
    const b = await create({ enterpriseId: h.world.enterpriseB }, supB);
    const a = await create();
    const all = async (as: Requester, q = '') => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res: HttpResponse = await as('GET', `/api/suspensions?limit=2${q}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        ids.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return ids;
    };
    const rows = await h.database.db.select({ id: suspensions.id, enterpriseId: suspensions.enterpriseId, status: suspensions.status }).from(suspensions);
    const ofA = rows.filter((r) => r.enterpriseId === h.world.enterpriseA).map((r) => r.id).sort();
    expect((await all(sup)).sort()).toEqual(ofA);
    expect((await all(ent)).sort()).toEqual(ofA);
    expect(await all(entB)).toEqual([b.id]);
    expect(await all(supB)).toEqual([b.id]);
    expect((await all(await h.as('leader-city'))).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(await all(sup, `&enterpriseId=${h.world.enterpriseB}`)).toEqual([]);
    expect((await all(sup, '&status=suspended')).sort()).toEqual(rows.filter((r) => r.enterpriseId === h.world.enterpriseA && r.status === 'suspended').map((r) => r.id).sort());
    expect(await all(sup, '&status=suspended')).toContain(a.id);
    // A later page states the first page's total, as of it, and counts nothing.
    const city = await h.as('leader-city');
    const page1 = (await city('GET', '/api/suspensions?limit=1')).body;
    expect(page1).toMatchObject({ total: rows.length, totalFrom: 'count', totalAsOf: null });
    await create({ enterpriseId: h.world.enterpriseB }, supB);
    const page2 = (await city('GET', `/api/suspensions?limit=1&cursor=${page1.nextCursor}`)).body;
    expect(page2).toMatchObject({ total: rows.length, totalFrom: 'count', totalAsOf: expect.any(String) });
    expect((await city('GET', '/api/suspensions?limit=1')).body.total).toBe(rows.length + 1);
    expectProblem(await sup('GET', '/api/suspensions?status=paused'), 400, 'query.status');
    expectProblem(await sup('GET', '/api/suspensions?cursor=abc'), 400, 'query.cursor');
    expectProblem(await sup('GET', `/api/suspensions/${b.id}`), 404);
    expectProblem(await ent('GET', `/api/suspensions/${b.id}`), 404);
    expectProblem(await sup('GET', `/api/suspensions/${randomUUID()}`), 404);
  });
});

describe('the maximum by policy', () => {
  it("takes the linked hazard's own policy, else the newest stored major policy", async () => {
    const hazard = await sup('POST', '/api/hazards', {
      body: { enterpriseId: h.world.enterpriseA, title: '储罐区报警器失效', category: '危险化学品', source: 'inspection', grade: 'major', listingLevel: 'county', deadline: addDays(today(), 30) },
    });
    expect(hazard.status).toBe(201);
    const admin = await h.as('admin');
    const shorter = { ...DEFAULT_POLICIES.major, major: { ...DEFAULT_POLICIES.major.major!, suspensionMaxDays: 90 } };
    expect((await admin('POST', '/api/policies', { body: { grade: 'major', policy: shorter, note: '停产整顿最长90天' } })).status).toBe(201);

    const refused = await sup('POST', '/api/suspensions', { body: order({ plannedEnd: addDays(today(), 100) }) });
    expectProblem(refused, 422, 'plannedEnd');
    expect(refused.body.errors[0].limit).toEqual({ name: 'major.suspensionMaxDays', value: 90 });
    const unlinked = await create({ plannedEnd: addDays(today(), 90) });
    expect(unlinked).toMatchObject({ maxDays: 90, maxEnd: addDays(today(), 90) });

    // The hazard keeps the version it started with: 183 days.
    const linked = await create({ hazardId: hazard.body.id, plannedEnd: addDays(today(), 100) });
    expect(linked).toMatchObject({ hazardId: hazard.body.id, maxDays: 183, maxEnd: addDays(today(), 183) });
  });
});
