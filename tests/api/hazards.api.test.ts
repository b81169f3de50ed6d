/**
 * A hazard's whole life through HTTP, on the dev server and real Postgres, and every way a
 * request can be refused: the answer is problem+json naming the field, and nothing changes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, dueInstant, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { hazardListItemSchema, hazardSchema } from '../../api/hazard-json';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';
import { evidenceForm, SAMPLE_JPEG, SAMPLE_PNG } from '../../scripts/sample-files';

let h: ApiHarness;
let enterpriseId: string;
/** The county inspector and the enterprise's responsible person. */
let sup: Requester;
let ent: Requester;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('api');
  enterpriseId = h.world.enterpriseA;
  sup = await h.as('supervisor-a');
  ent = await h.as('enterprise-a');
});
afterAll(async () => h?.stop());

const newHazard = (over: Record<string, unknown> = {}) => ({
  enterpriseId,
  title: '配电室未配备绝缘垫',
  category: '电气安全',
  source: 'inspection',
  grade: 'general',
  deadline: addDays(today(), 15),
  requiredMeasures: '配备绝缘垫并张贴警示标识',
  ...over,
});

async function create(over: Record<string, unknown> = {}) {
  const res = await sup('POST', '/api/hazards', { body: newHazard(over) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; [k: string]: unknown };
}

/** Uploads one sample photo as the enterprise and returns its id, for a submission to name. */
async function upload(id: string): Promise<string> {
  const res = await ent('POST', `/api/hazards/${id}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.items[0].id as string;
}

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.stringMatching(/^urn:duban:problem:/) });
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

describe('a hazard through HTTP', () => {
  it('lives from registration through rejection and a second round to closure', async () => {
    const res = await sup('POST', '/api/hazards', { body: newHazard() });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    expect(res.headers.get('location')).toBe(`/api/hazards/${id}`);
    expect(res.body).toMatchObject({
      status: 'rectifying',
      round: 1,
      grade: 'general',
      overdue: false,
      escalationLevel: 0,
      createdBy: 'supervisor-a',
      next: { kind: 'reminder' },
      policy: DEFAULT_POLICIES.general,
      policyId: expect.any(Number),
    });
    expect(res.body.timeline).toEqual([expect.objectContaining({ type: 'registered', actor: 'supervisor-a' })]);

    const listed = await sup('GET', `/api/hazards?status=rectifying&enterpriseId=${enterpriseId}`);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(id);

    const photo = await upload(id);
    const submitted = await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [photo], note: '已配备' } });
    expect(submitted.status).toBe(200);
    // Under review, the reviewer's own deadline is what comes next (policy.review).
    expect(submitted.body).toMatchObject({ status: 'under_review', next: { kind: 'review_overdue' } });
    expect(submitted.body.reviewDueAt).toBe(submitted.body.next.at);

    const newDeadline = addDays(today(), 7);
    const rejected = await sup('POST', `/api/hazards/${id}/reviews`, {
      body: { decision: 'reject', reasons: ['未张贴警示标识'], newDeadline },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rectifying', round: 2, deadline: newDeadline });

    await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [await upload(id)] } });
    const accepted = await sup('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'accept', comment: '整改到位' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'closed', round: 2, closedAt: expect.any(String) });

    const detail = await sup('GET', `/api/hazards/${id}`);
    expect(detail.body.timeline.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
      ['registered', 'supervisor-a'],
      ['rectification_submitted', 'enterprise-a'],
      ['review_rejected', 'supervisor-a'],
      ['rectification_submitted', 'enterprise-a'],
      ['review_accepted', 'supervisor-a'],
    ]);
    expect(detail.body.timeline[2].data).toMatchObject({ reasons: ['未张贴警示标识'], newDeadline, round: 1 });

    const closedList = await sup('GET', `/api/hazards?status=closed`);
    expect(closedList.body.items.map((i: { id: string }) => i.id)).toContain(id);

    const again = await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [photo] } });
    expectProblem(again, 409);
  });

  it('lists overdue hazards from the read model, paginated with a cursor', async () => {
    // Imported stock: a hazard whose deadline passed before it entered the system.
    const overdueId = randomUUID();
    await h.gateway.start({
      hazard: { hazardId: overdueId, enterpriseId, grade: 'major', policy: DEFAULT_POLICIES.major, deadline: addDays(today(), -5) },
      registration: {
        title: '危化品仓库超量储存',
        description: '',
        category: '危险化学品',
        source: 'inspection',
        location: '',
        legalBasis: '',
        requiredMeasures: '',
        createdBy: 'inspector-zhao',
      },
    });
    // The ladder catches up at once: overdue, then each escalation already due.
    await expect
      .poll(async () => (await sup('GET', `/api/hazards/${overdueId}`)).body.escalationLevel, { timeout: 10_000 })
      .toBe(2);
    const overdue = await sup('GET', '/api/hazards?overdue=true');
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual([overdueId]);
    expect(overdue.body.items[0]).toMatchObject({ overdue: true, grade: 'major', overdueSince: expect.any(String) });

    // The enterprise sees that it was escalated, not the bureau's internal ladder.
    const asSupervisor = await sup('GET', `/api/hazards/${overdueId}`);
    expect(asSupervisor.body.policy).toEqual(DEFAULT_POLICIES.major);
    expect(asSupervisor.body.notifications.map((n: { recipientRole: string }) => n.recipientRole)).toEqual(['supervisor_chief', 'responsible_leader']);
    const asEnterprise = await ent('GET', `/api/hazards/${overdueId}`);
    expect(asEnterprise.body).not.toHaveProperty('policy');
    expect(asEnterprise.body.timeline[0]).toMatchObject({ type: 'registered' });
    expect(asEnterprise.body.timeline[0].data).not.toHaveProperty('policy');
    expect(asSupervisor.body.timeline[0].data.policy).toEqual(DEFAULT_POLICIES.major);
    // The limits its own requests are held to are the enterprise's to know.
    expect(asEnterprise.body.extension.limits).toEqual(DEFAULT_POLICIES.major.extension);
    expect(asEnterprise.body.notifications).toEqual([]);
    expect(asEnterprise.body.timeline.filter((e: { type: string }) => e.type === 'escalated').map((e: { data: unknown }) => e.data)).toEqual([
      { level: 1 },
      { level: 2 },
    ]);

    const notOverdue = await sup('GET', '/api/hazards?overdue=false');
    expect(notOverdue.body.items.map((i: { id: string }) => i.id)).not.toContain(overdueId);

    await create();
    await create();
    const all = await sup('GET', '/api/hazards');
    const page1 = await sup('GET', '/api/hazards?limit=2');
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.total).toBe(all.body.total);
    const page2 = await sup('GET', `/api/hazards?limit=2&cursor=${page1.body.nextCursor}`);
    const seen = [...page1.body.items, ...page2.body.items].map((i: { id: string }) => i.id);
    expect(seen).toEqual(all.body.items.slice(0, seen.length).map((i: { id: string }) => i.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('reports health of Postgres and Temporal', async () => {
    const res = await h.http.request('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'ok', temporal: 'ok' }, down: [] });
  });
});

describe('the documented answers', () => {
  it('describe every field a hazard and a list item carry (the OpenAPI is the contract clients are built on)', async () => {
    const { id } = await create();
    for (const as of [sup, ent]) {
      const one = await as('GET', `/api/hazards/${id}`);
      expect(one.status).toBe(200);
      const undocumented = Object.keys(one.body).filter((k) => !(k in hazardSchema.shape));
      expect(undocumented).toEqual([]);
      const parsed = hazardSchema.safeParse(one.body);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      const list = await as('GET', '/api/hazards?limit=5');
      const item = list.body.items.find((i: { id: string }) => i.id === id);
      expect(Object.keys(item).sort()).toEqual(Object.keys(hazardListItemSchema.shape).sort());
      const listed = hazardListItemSchema.strict().safeParse(item);
      expect(listed.success, JSON.stringify(listed.error?.issues)).toBe(true);
    }
  });
});

describe('refusals', () => {
  it('answers invalid bodies with 400 naming each field', async () => {
    const missing = await sup('POST', '/api/hazards', { body: newHazard({ title: undefined }) });
    expectProblem(missing, 400, 'title');
    const unknown = await sup('POST', '/api/hazards', { body: newHazard({ status: 'closed' }) });
    expectProblem(unknown, 400, 'status');
    const badDate = await sup('POST', '/api/hazards', { body: newHazard({ deadline: '2026-02-30' }) });
    expectProblem(badDate, 400, 'deadline');
    const badGrade = await sup('POST', '/api/hazards', { body: newHazard({ grade: 'huge' }) });
    expectProblem(badGrade, 400, 'grade');
    const badPolicy = await sup('POST', '/api/hazards', {
      body: newHazard({ policy: { reminderDaysBefore: [3], escalation: [] } }),
    });
    expectProblem(badPolicy, 400, 'policy');
    const malformed = await sup('POST', '/api/hazards', { raw: '{"title": ' });
    expectProblem(malformed, 400, 'body');
    const notJson = await sup('POST', '/api/hazards', { raw: 'title=x', headers: { 'content-type': 'text/plain' } });
    expectProblem(notJson, 400);
    const huge = await sup('POST', '/api/hazards', { body: newHazard({ description: 'x'.repeat(200_000) }) });
    expectProblem(huge, 413);
  });

  it('answers rules the request breaks with 422', async () => {
    expectProblem(await sup('POST', '/api/hazards', { body: newHazard({ deadline: addDays(today(), -1) }) }), 422, 'deadline');
    expectProblem(await sup('POST', '/api/hazards', { body: newHazard({ enterpriseId: randomUUID() }) }), 422, 'enterpriseId');
  });

  it('requires a signed-in person for every change and read', async () => {
    expectProblem(await h.http.request('POST', '/api/hazards', { body: newHazard() }), 401);
    expectProblem(await h.http.request('GET', '/api/hazards'), 401);
    expectProblem(await h.http.request('POST', '/api/hazards', { body: newHazard(), token: 'not-a-token' }), 401);
  });

  it('answers unknown hazards and routes with 404', async () => {
    expectProblem(await sup('GET', `/api/hazards/${randomUUID()}`), 404);
    expectProblem(await sup('GET', '/api/hazards/not-a-uuid'), 404);
    expectProblem(await ent('POST', `/api/hazards/${randomUUID()}/submissions`, { body: { evidence: [randomUUID()] } }), 404);
    expectProblem(await sup('POST', `/api/hazards/${randomUUID()}/reviews`, { body: { decision: 'accept' } }), 404);
    expectProblem(await sup('GET', '/api/nothing-here'), 404);
  });

  it('refuses a step not allowed now with 409 and leaves record and history untouched', async () => {
    const { id } = await create();
    const before = await sup('GET', `/api/hazards/${id}`);
    const handle = h.env.client.workflow.getHandle(hazardWorkflowId(id));
    const historyBefore = (await handle.fetchHistory()).events?.length;

    expectProblem(await sup('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'accept' } }), 409);

    const first = await upload(id);
    // Another file: the same photo again would be answered with the first's record.
    const second = (await ent('POST', `/api/hazards/${id}/evidence`, { raw: evidenceForm([{ name: '整改后.png', bytes: SAMPLE_PNG }]) })).body.items[0].id as string;
    await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [first] } });
    const submittedHistory = (await handle.fetchHistory()).events?.length;
    expectProblem(await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [second] } }), 409);
    expectProblem(
      await sup('POST', `/api/hazards/${id}/reviews`, {
        body: { decision: 'reject', reasons: ['x'], newDeadline: addDays(today(), -3) },
      }),
      422,
      'newDeadline',
    );
    expect((await handle.fetchHistory()).events?.length).toBe(submittedHistory);

    const after = await sup('GET', `/api/hazards/${id}`);
    expect(after.body.status).toBe('under_review');
    expect(after.body.timeline.map((e: { type: string }) => e.type)).toEqual(['registered', 'rectification_submitted']);
    expect(before.body.timeline).toHaveLength(1);
    expect(historyBefore).toBeLessThan(submittedHistory!);
  });

  it('refuses invalid commands and list queries with 400', async () => {
    const { id } = await create();
    expectProblem(await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [] } }), 400, 'evidence');
    expectProblem(await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [''] } }), 400, 'evidence.0');
    expectProblem(await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [randomUUID()] } }), 422, 'evidence');
    expectProblem(await sup('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'reject', newDeadline: addDays(today(), 3) } }), 400, 'reasons');
    expectProblem(await sup('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'maybe' } }), 400, 'decision');
    expectProblem(await sup('GET', '/api/hazards?limit=0'), 400, 'query.limit');
    expectProblem(await sup('GET', '/api/hazards?status=lost'), 400, 'query.status');
    expectProblem(await sup('GET', '/api/hazards?cursor=garbage'), 400, 'query.cursor');
    expectProblem(await sup('GET', '/api/hazards?bogus=1'), 400, 'query.bogus');
    const detail = await sup('GET', `/api/hazards/${id}`);
    expect(detail.body.timeline).toHaveLength(1);
  });
});

describe('extensions (延期) through HTTP', () => {
  const historyLength = async (id: string) => (await h.env.client.workflow.getHandle(hazardWorkflowId(id)).fetchHistory()).events?.length;
  const types = (res: { body: any }) => res.body.timeline.map((e: { type: string }) => e.type);

  it('the enterprise asks, a supervisor approves an earlier date: the deadline, its next step and the ledger move', async () => {
    const deadline = addDays(today(), 15);
    const { id } = await create({ deadline });
    const asked = await ent('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(today(), 25), reason: '绝缘垫需定制，到货约十天' } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body).toMatchObject({
      deadline,
      status: 'rectifying',
      extension: {
        pending: { requestedDeadline: addDays(today(), 25), reason: '绝缘垫需定制，到货约十天', requestedBy: 'enterprise-a', requestedAt: expect.any(String) },
        originalDeadline: deadline,
        grantedThisRound: 0,
        granted: 0,
      },
    });
    expect(asked.body.timeline.at(-1)).toMatchObject({ type: 'extension_requested', actor: 'enterprise-a', data: { requestedDeadline: addDays(today(), 25) } });
    const waiting = await sup('GET', '/api/hazards?extensionPending=true&limit=200');
    expect(waiting.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect(waiting.body.items.every((i: { extension: { pending: unknown } }) => i.extension.pending !== null)).toBe(true);

    const newDeadline = addDays(today(), 22);
    const approved = await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'approve', newDeadline } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({
      deadline: newDeadline,
      dueAt: new Date(dueInstant(newDeadline)).toISOString(),
      next: { kind: 'reminder', at: new Date(shanghaiInstant(addDays(newDeadline, -3), 9)).toISOString() },
      extension: { pending: null, originalDeadline: deadline, grantedThisRound: 1, granted: 1 },
    });
    expect(approved.body.timeline.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
      ['registered', 'supervisor-a'],
      ['extension_requested', 'enterprise-a'],
      ['extension_approved', 'supervisor-a'],
    ]);
    expect(approved.body.timeline[2]).toMatchObject({
      step: 'round-1/extension-request-1/approved',
      data: { previousDeadline: deadline, newDeadline, days: 7, totalDays: 7, requestedDeadline: addDays(today(), 25) },
    });
    expect((await sup('GET', '/api/hazards?extensionPending=true&limit=200')).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    // The enterprise sees the same record.
    expect((await ent('GET', `/api/hazards/${id}`)).body).toMatchObject({ deadline: newDeadline, extension: { granted: 1 } });
  });

  it('a denial keeps the deadline and its timers, and says why', async () => {
    const deadline = addDays(today(), 15);
    const { id } = await create({ deadline });
    const before = (await sup('GET', `/api/hazards/${id}`)).body;
    await ent('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(today(), 20), reason: '人手不足' } });
    const denied = await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'deny', reason: '整改工作量不大，期限内可完成' } });
    expect(denied.status, JSON.stringify(denied.body)).toBe(200);
    expect(denied.body).toMatchObject({ deadline, dueAt: before.dueAt, next: before.next, extension: { pending: null, grantedThisRound: 0, granted: 0 } });
    expect(denied.body.timeline.at(-1)).toMatchObject({ type: 'extension_denied', actor: 'supervisor-a', data: { reason: '整改工作量不大，期限内可完成' } });
  });

  it('refuses what is not allowed now (409), what breaks a rule or a limit (422), bad bodies (400), out of reach (404), changing nothing', async () => {
    const deadline = addDays(today(), 15);
    const { id } = await create({ deadline });
    const before = await historyLength(id);
    const request = (requestedDeadline: string, reason = '需要更多时间') => ent('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline, reason } });

    expectProblem(await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'approve' } }), 409);
    expectProblem(await request(deadline), 422, 'requestedDeadline');
    expectProblem(await request(addDays(today(), -1)), 422, 'requestedDeadline');
    const tooFar = await request(addDays(deadline, 31));
    expectProblem(tooFar, 422, 'requestedDeadline');
    expect(tooFar.body.errors[0].limit).toEqual({ name: 'extension.maxTotalDays', value: 30 });
    expect(tooFar.body.detail).toContain(addDays(deadline, 30));
    expectProblem(await request('2026-02-30'), 400, 'requestedDeadline');
    expectProblem(await ent('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(deadline, 3) } }), 400, 'reason');
    expectProblem(await ent('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(deadline, 3), reason: '  ' } }), 400, 'reason');
    expectProblem(await sup('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(deadline, 3), reason: 'x' } }), 403);
    expectProblem(await (await h.as('enterprise-b'))('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(deadline, 3), reason: 'x' } }), 404);
    expectProblem(await ent('POST', `/api/hazards/${randomUUID()}/extensions`, { body: { requestedDeadline: addDays(deadline, 3), reason: 'x' } }), 404);
    expect(await historyLength(id)).toBe(before);
    expect(types(await sup('GET', `/api/hazards/${id}`))).toEqual(['registered']);

    expect((await request(addDays(deadline, 5))).status).toBe(200);
    const pendingHistory = await historyLength(id);
    expectProblem(await request(addDays(deadline, 6)), 409);
    expectProblem(await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'approve', newDeadline: addDays(deadline, 6) } }), 422, 'newDeadline');
    expectProblem(await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'approve', newDeadline: deadline } }), 422, 'newDeadline');
    expectProblem(await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'deny' } }), 400, 'reason');
    expectProblem(await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'maybe' } }), 400, 'decision');
    expectProblem(await ent('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'approve' } }), 403);
    expectProblem(await (await h.as('supervisor-b'))('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'approve' } }), 404);
    expect(await historyLength(id)).toBe(pendingHistory);
    const pending = await sup('GET', `/api/hazards/${id}`);
    expect(types(pending)).toEqual(['registered', 'extension_requested']);
    expect(pending.body).toMatchObject({ deadline, extension: { pending: { requestedDeadline: addDays(deadline, 5) }, granted: 0 } });

    // Two extensions per round by default; the third request is refused naming the limit.
    await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'approve' } });
    await request(addDays(deadline, 8));
    await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'approve' } });
    const third = await request(addDays(deadline, 9));
    expectProblem(third, 422, 'requestedDeadline');
    expect(third.body.errors[0].limit).toEqual({ name: 'extension.maxCount', value: 2 });
    expect((await sup('GET', `/api/hazards/${id}`)).body).toMatchObject({ deadline: addDays(deadline, 8), extension: { grantedThisRound: 2, granted: 2, originalDeadline: deadline } });
  });

  it('lets a pending request lapse on submission; under review and once closed no extension can be asked for (409)', async () => {
    const { id } = await create();
    await ent('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(today(), 20), reason: '需要更多时间' } });
    const submitted = await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [await upload(id)] } });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'under_review', extension: { pending: null } });
    expect(types(submitted)).toEqual(['registered', 'extension_requested', 'rectification_submitted', 'extension_lapsed']);
    expectProblem(await ent('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(today(), 20), reason: 'x' } }), 409);
    expectProblem(await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'approve' } }), 409);
    await sup('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'accept' } });
    expectProblem(await ent('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(today(), 20), reason: 'x' } }), 409);
    expectProblem(await sup('POST', `/api/hazards/${id}/extension-decisions`, { body: { decision: 'deny', reason: 'x' } }), 409);
  });
});
