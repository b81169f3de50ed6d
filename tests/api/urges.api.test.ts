/**
 * 催办 through the API on real servers: a leader urges a hazard and a notice within reach (on the
 * item's trail and timeline, told to the enterprise and the supervisor), never one out of reach
 * (404), closed (409) or urged lately (409); a bulk urge over an enterprise's overdue items urges
 * exactly those in reach, in its own workflow; the list of urges says whether each item moved
 * since; and the escalations list holds only those addressed to the caller.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprises, idempotencyKeys, urges } from '../../db/schema';
import { DEFAULT_POLICIES, type HazardGrade } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { insertEnterprise } from '../support/fixtures';
import type { HttpResponse, Requester } from '../support/http';

let h: ApiHarness;
let sup: Requester;
let grid: Requester;
let supB: Requester;
let ent: Requester;
let leader: Requester;
let leaderCity: Requester;
let admin: Requester;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('urges-api');
  // leader-a is enterprise A's 包联 leader.
  await h.database.db.update(enterprises).set({ responsibleLeaderId: h.world.users['leader-a'] }).where(eq(enterprises.id, h.world.enterpriseA));
  [sup, grid, supB, ent, leader, leaderCity, admin] = (await Promise.all(
    (['supervisor-a', 'grid-a', 'supervisor-b', 'enterprise-a', 'leader-a', 'leader-city', 'admin'] as const).map((u) => h.as(u)),
  )) as Requester[] as [Requester, Requester, Requester, Requester, Requester, Requester, Requester];
});
afterAll(async () => h?.stop());

function expectProblem(res: HttpResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

async function register(enterpriseId = h.world.enterpriseA, as: Requester = sup): Promise<string> {
  const res = await as('POST', '/api/hazards', {
    body: { enterpriseId, title: '消防通道堆放杂物', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 15) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** A hazard whose deadline passed `daysAgo` days ago (imported stock): overdue at once. */
async function overdue(enterpriseId: string, opts: { daysAgo?: number; supervisor?: string; grade?: HazardGrade } = {}): Promise<string> {
  const hazardId = randomUUID();
  const grade = opts.grade ?? 'general';
  await h.gateway.start({
    hazard: {
      hazardId,
      enterpriseId,
      grade,
      policy: DEFAULT_POLICIES[grade],
      deadline: addDays(today(), -(opts.daysAgo ?? 3)),
      assignment: { supervisor: opts.supervisor ?? 'supervisor-a', enterpriseContact: null, delegate: null },
    },
    registration: { title: '危化品仓库超量储存', description: '', category: '危险化学品', source: 'inspection', location: '', legalBasis: '', requiredMeasures: '', createdBy: opts.supervisor ?? 'supervisor-a' },
  });
  return hazardId;
}

async function submit(id: string): Promise<void> {
  const up = await ent('POST', `/api/hazards/${id}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const res = await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [up.body.items[0].id], note: '已整改' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function myUrges(as: Requester = leader, query = ''): Promise<any[]> {
  const res = await as('GET', `/api/urges?limit=200${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

describe('urging one hazard', () => {
  it('records the urge on the hazard’s trail and tells the enterprise and the supervisor', async () => {
    const id = await register();
    const res = await leader('POST', `/api/hazards/${id}/urge`, { body: { message: '本周内务必完成整改' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ itemKind: 'hazard', itemId: id, urgedBy: 'leader-a', message: '本周内务必完成整改', urgedAt: expect.any(String) });

    const detail = (await sup('GET', `/api/hazards/${id}`)).body;
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual(['registered', 'urged']);
    expect(detail.timeline[1]).toMatchObject({
      type: 'urged',
      actor: 'leader-a',
      occurredAt: res.body.urgedAt,
      data: { message: '本周内务必完成整改', status: 'rectifying', deadline: addDays(today(), 15), overdue: false },
    });
    const told = detail.notifications.filter((n: { kind: string }) => n.kind === 'urge');
    expect(told.map((n: { recipientRole: string }) => n.recipientRole).sort()).toEqual(['enterprise', 'supervisor']);
    expect(told[0].message).toContain('【催办】隐患“消防通道堆放杂物”');
    expect(told[0].message).toContain('本周内务必完成整改');
    // The enterprise reads its own notification, and who urged.
    const asEnterprise = (await ent('GET', `/api/hazards/${id}`)).body;
    expect(asEnterprise.notifications.map((n: { kind: string; recipientRole: string }) => [n.kind, n.recipientRole])).toEqual([['urge', 'enterprise']]);
    expect(asEnterprise.timeline.at(-1)).toMatchObject({ type: 'urged', actor: 'leader-a' });

    // The audit chain of the hazard still verifies with the urge in it.
    const verify = await admin('GET', `/api/hazards/${id}/audit`);
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, rowsChecked: 2 });

    const listed = (await myUrges()).find((u) => u.itemId === id);
    expect(listed).toMatchObject({ itemKind: 'hazard', urgedBy: 'leader-a', message: '本周内务必完成整改', movedSince: false, firstMove: null, item: { status: 'rectifying', overdue: false } });
  });

  it('refuses an urge of the same hazard within the quiet window, by anyone, and records nothing', async () => {
    const id = await register();
    expect((await leader('POST', `/api/hazards/${id}/urge`, { body: {} })).status).toBe(200);
    expectProblem(await leader('POST', `/api/hazards/${id}/urge`, { body: { message: '再催' } }), 409);
    expectProblem(await leaderCity('POST', `/api/hazards/${id}/urge`, { body: {} }), 409);
    const detail = (await sup('GET', `/api/hazards/${id}`)).body;
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'urged')).toHaveLength(1);
    const rows = await h.database.db.select().from(urges).where(eq(urges.itemId, id));
    expect(rows).toHaveLength(1);
  });

  it('does not urge out of reach (404), nor for the wrong role (403), nor a closed hazard (409), nor with a bad message (400)', async () => {
    const inB = await register(h.world.enterpriseB, supB);
    expectProblem(await leader('POST', `/api/hazards/${inB}/urge`, { body: {} }), 404);
    expectProblem(await leader('POST', `/api/hazards/${randomUUID()}/urge`, { body: {} }), 404);
    const mine = await register();
    expectProblem(await sup('POST', `/api/hazards/${mine}/urge`, { body: {} }), 403);
    expectProblem(await ent('POST', `/api/hazards/${mine}/urge`, { body: {} }), 403);
    expectProblem(await leader('POST', `/api/hazards/${mine}/urge`, { body: { message: 'x'.repeat(501) } }), 400, 'message');
    expectProblem(await leader('POST', `/api/hazards/${mine}/urge`, { body: { note: '?' } }), 400);

    await submit(mine);
    const accepted = await sup('POST', `/api/hazards/${mine}/reviews`, { body: { decision: 'accept', comment: '整改到位' } });
    expect(accepted.body.status).toBe('closed');
    expectProblem(await leader('POST', `/api/hazards/${mine}/urge`, { body: {} }), 409);
    const rows = await h.database.db.select().from(urges).where(eq(urges.itemId, mine));
    expect(rows).toHaveLength(0);
  });

  it('replays an urge sent again under the same Idempotency-Key, urging once', async () => {
    const id = await register();
    const key = `urge-${randomUUID()}`;
    const first = await leader('POST', `/api/hazards/${id}/urge`, { body: { message: '尽快' }, headers: { 'idempotency-key': key } });
    const again = await leader('POST', `/api/hazards/${id}/urge`, { body: { message: '尽快' }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await h.database.db.select().from(urges).where(eq(urges.itemId, id))).toHaveLength(1);
  });

  it('marks an urged hazard as moved once the enterprise submits, not when the clock escalates it', async () => {
    const id = await overdue(h.world.enterpriseA, { daysAgo: 30 });
    await expect.poll(async () => (await sup('GET', `/api/hazards/${id}`)).body.escalationLevel, { timeout: 10_000 }).toBe(4);
    expect((await leader('POST', `/api/hazards/${id}/urge`, { body: { message: '逾期严重' } })).status).toBe(200);
    const before = (await myUrges()).find((u) => u.itemId === id);
    expect(before).toMatchObject({ movedSince: false, item: { overdue: true, status: 'rectifying' } });
    expect((await myUrges(leader, '&moved=false')).map((u) => u.itemId)).toContain(id);

    await submit(id);
    const after = (await myUrges()).find((u) => u.itemId === id);
    expect(after).toMatchObject({ movedSince: true, firstMove: { type: 'rectification_submitted', by: 'enterprise-a' }, item: { status: 'under_review', overdue: false } });
    expect((await myUrges(leader, '&moved=true')).map((u) => u.itemId)).toContain(id);
    expect((await myUrges(leader, '&moved=false')).map((u) => u.itemId)).not.toContain(id);
  });
});

describe('urging a notice', () => {
  it('records the urge on the notice’s trail, tells its recipients, and counts the signature as a move', async () => {
    const hazardId = await register();
    const issued = await sup('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId], title: '督促整改消防隐患', requirements: '立即清理' } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const id = issued.body.id as string;

    const res = await leader('POST', `/api/notices/${id}/urge`, { body: { message: '请即签收' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const detail = (await sup('GET', `/api/notices/${id}`)).body;
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual(['issued', 'urged']);
    expect(detail.timeline[1]).toMatchObject({ actor: 'leader-a', data: { message: '请即签收', status: 'issued', overdue: false } });
    expect(detail.notifications.filter((n: { kind: string }) => n.kind === 'urge').map((n: { recipientRole: string }) => n.recipientRole).sort()).toEqual(['enterprise', 'supervisor']);
    expectProblem(await leader('POST', `/api/notices/${id}/urge`, { body: {} }), 409);
    expectProblem(await sup('POST', `/api/notices/${id}/urge`, { body: {} }), 403);

    expect((await myUrges()).find((u) => u.itemId === id)).toMatchObject({ itemKind: 'notice', movedSince: false, item: { code: detail.code, status: 'issued' } });
    expect((await ent('POST', `/api/notices/${id}/sign`)).status).toBe(200);
    expect((await myUrges()).find((u) => u.itemId === id)).toMatchObject({ movedSince: true, firstMove: { type: 'signed', by: 'enterprise-a' }, item: { status: 'signed' } });
  });

  it('does not urge a notice out of reach (404)', async () => {
    const hazardId = await register(h.world.enterpriseB, supB);
    const issued = await supB('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseB, hazardIds: [hazardId], title: '督促整改', requirements: '立即清理' } });
    expect(issued.status).toBe(201);
    expectProblem(await leader('POST', `/api/notices/${issued.body.id}/urge`, { body: {} }), 404);
    expect((await leaderCity('POST', `/api/notices/${issued.body.id}/urge`, { body: {} })).status).toBe(200);
  });
});

describe('the list of urges', () => {
  it('holds the caller’s own urges by default, and everyone’s within reach with by=all', async () => {
    const a = await register();
    const b = await register(h.world.enterpriseB, supB);
    expect((await leaderCity('POST', `/api/hazards/${a}/urge`, { body: {} })).status).toBe(200);
    expect((await leaderCity('POST', `/api/hazards/${b}/urge`, { body: {} })).status).toBe(200);
    const cityOwn = (await myUrges(leaderCity)).map((u) => u.itemId);
    expect(cityOwn).toEqual(expect.arrayContaining([a, b]));
    expect(cityOwn).not.toContain((await myUrges(leader))[0]?.itemId ?? 'none');
    // leader-a sees the city leader's urge of A with by=all, never the one of B.
    const allA = (await myUrges(leader, '&by=all')).map((u) => u.itemId);
    expect(allA).toContain(a);
    expect(allA).not.toContain(b);
    expect((await myUrges(leader)).map((u) => u.itemId)).not.toContain(a);

    // Keyset pages, newest first, join up to the whole list.
    const whole = await myUrges(leader, '&by=all');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResponse = await leader('GET', `/api/urges?by=all&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(whole.map((u) => u.id));
    expectProblem(await leader('GET', '/api/urges?cursor=bm9wZQ'), 400, 'query.cursor');
    expectProblem(await sup('GET', '/api/urges'), 403);
  });
});

describe('bulk urge', () => {
  it('urges every overdue item of an enterprise within reach, passing over one urged lately, and reports its progress', async () => {
    const e = await insertEnterprise(h.database.db, '丙化工有限公司', h.world.a.grid.id);
    const [o1, o2, lately] = await Promise.all([overdue(e), overdue(e), overdue(e)]);
    const notYet = await register(e);
    const elsewhere = await overdue(h.world.enterpriseB, { supervisor: 'supervisor-b' });
    await expect.poll(async () => (await sup('GET', `/api/hazards?overdue=true&enterpriseId=${e}`)).body.total, { timeout: 10_000 }).toBe(3);
    expect((await leaderCity('POST', `/api/hazards/${lately}/urge`, { body: {} })).status).toBe(200);

    expectProblem(await leader('POST', '/api/urges', { body: { enterpriseId: h.world.enterpriseB, message: '统一催办' } }), 422, 'enterpriseId');
    expectProblem(await leader('POST', '/api/urges', { body: { regionId: h.world.b.county.id } }), 422, 'regionId');
    expectProblem(await leader('POST', '/api/urges', { body: { enterpriseId: e, regionId: h.world.a.grid.id } }), 400, 'enterpriseId');
    expectProblem(await sup('POST', '/api/urges', { body: { enterpriseId: e } }), 403);

    const res = await leader('POST', '/api/urges', { body: { enterpriseId: e, message: '统一催办：逾期隐患限期整改' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ bulkUrgeId: expect.stringMatching(/^urge-/), concerned: 3, progressUrl: `/api/bulk-urges/${res.body.bulkUrgeId}` });
    expect(res.headers.get('location')).toBe(res.body.progressUrl);

    await expect
      .poll(async () => (await leader('GET', res.body.progressUrl)).body, { timeout: 20_000 })
      .toMatchObject({ done: true, concerned: 3, told: 3, urged: 2, passedOver: 1, remaining: 0, failed: 0, alreadyEnded: 0 });
    const rows = await h.database.db.select().from(urges).where(eq(urges.bulkUrgeId, res.body.bulkUrgeId));
    expect(rows.map((r) => r.itemId).sort()).toEqual([o1, o2].sort());
    expect(rows.every((r) => r.urgedBy === 'leader-a' && r.message === '统一催办：逾期隐患限期整改')).toBe(true);
    for (const id of [notYet, elsewhere]) expect(await h.database.db.select().from(urges).where(eq(urges.itemId, id))).toHaveLength(0);
    const t = (await sup('GET', `/api/hazards/${o1}`)).body.timeline.at(-1);
    expect(t).toMatchObject({ type: 'urged', actor: 'leader-a', data: { bulkUrgeId: res.body.bulkUrgeId, overdue: true } });
    // Only the urging leader's jurisdiction reads the bulk urge.
    expectProblem(await supB('GET', res.body.progressUrl), 403);
    expect((await leaderCity('GET', res.body.progressUrl)).status).toBe(200);
    expectProblem(await leader('GET', '/api/bulk-urges/urge-nope'), 404);
  });

  it('answers a retry under the same Idempotency-Key with the same bulk urge, even once it has finished and its answer was lost', async () => {
    const e = await insertEnterprise(h.database.db, '己纺织有限公司', h.world.a.grid.id);
    const one = await overdue(e);
    await expect.poll(async () => (await sup('GET', `/api/hazards?overdue=true&enterpriseId=${e}`)).body.total, { timeout: 10_000 }).toBe(1);
    const key = `bulk-${randomUUID()}`;
    const first = await leader('POST', '/api/urges', { body: { enterpriseId: e }, headers: { 'idempotency-key': key } });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    await expect.poll(async () => (await leader('GET', first.body.progressUrl)).body.done, { timeout: 20_000 }).toBe(true);
    // The process that began it died before keeping its answer: the key is free again.
    await h.database.db.delete(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    const again = await leader('POST', '/api/urges', { body: { enterpriseId: e }, headers: { 'idempotency-key': key } });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(again.body).toEqual(first.body);
    expect((await h.database.db.select().from(urges).where(eq(urges.itemId, one))).map((u) => u.bulkUrgeId)).toEqual([first.body.bulkUrgeId]);
  });

  it('urges a region’s overdue items within reach only', async () => {
    const e = await insertEnterprise(h.database.db, '丁建材有限公司', h.world.a.township.id);
    const inA = await overdue(e);
    const inB = await overdue(h.world.enterpriseB, { supervisor: 'supervisor-b' });
    await expect.poll(async () => (await sup('GET', `/api/hazards?overdue=true&enterpriseId=${e}`)).body.total, { timeout: 10_000 }).toBe(1);
    const res = await leaderCity('POST', '/api/urges', { body: { regionId: h.world.a.township.id } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await expect.poll(async () => (await leaderCity('GET', res.body.progressUrl)).body.done, { timeout: 20_000 }).toBe(true);
    const urged = (await h.database.db.select().from(urges).where(eq(urges.bulkUrgeId, res.body.bulkUrgeId))).map((r) => r.itemId);
    expect(urged).toContain(inA);
    expect(urged).not.toContain(inB);
    // Everything urged lies under township A.
    const paths = (await h.database.db.select().from(urges).where(eq(urges.bulkUrgeId, res.body.bulkUrgeId))).map((r) => r.regionPath);
    expect(paths.every((p) => p.startsWith(h.world.a.township.path))).toBe(true);
  });
});

describe('escalations addressed to me', () => {
  it('lists, oldest first, only the escalations whose recipient role the caller holds for the item', async () => {
    const e = await insertEnterprise(h.database.db, '戊冶金有限公司', h.world.a.grid.id);
    await h.database.db.update(enterprises).set({ responsibleLeaderId: h.world.users['leader-a'] }).where(eq(enterprises.id, e));
    // A general hazard 30 working days late: supervisor (1), supervisor_chief (2), responsible_leader (3), county_leader (4).
    const mine = await overdue(e, { daysAgo: 45, supervisor: 'grid-a' });
    const other = await overdue(h.world.enterpriseB, { daysAgo: 45, supervisor: 'supervisor-b' });
    for (const id of [mine, other]) await expect.poll(async () => (await admin('GET', `/api/hazards/${id}`)).body.escalationLevel, { timeout: 15_000 }).toBe(4);

    const levels = async (as: Requester) => {
      const res = await as('GET', '/api/escalations?limit=200');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const at = res.body.items.map((x: { scheduledAt: string }) => x.scheduledAt);
      expect(at).toEqual([...at].sort());
      return res.body.items.filter((x: { itemId: string }) => x.itemId === mine || x.itemId === other).map((x: { itemId: string; level: number; recipientRole: string }) => [x.itemId === mine ? 'mine' : 'other', x.level, x.recipientRole]);
    };
    expect(await levels(grid)).toEqual([['mine', 1, 'supervisor']]);
    expect(await levels(sup)).toEqual([['mine', 2, 'supervisor_chief']]);
    expect(await levels(leader)).toEqual([
      ['mine', 3, 'responsible_leader'],
      ['mine', 4, 'county_leader'],
    ]);
    // The city leader is neither its county leader nor its 包联 leader; supervisor-b is in charge of the other.
    expect(await levels(leaderCity)).toEqual([]);
    expect(await levels(supB)).toEqual([['other', 1, 'supervisor']]);

    const first = await leader('GET', '/api/escalations?limit=1');
    expect(first.body.items[0]).toMatchObject({ itemKind: expect.any(String), item: { status: expect.any(String), overdue: expect.any(Boolean) } });
    const all = (await leader('GET', '/api/escalations?limit=200')).body.items;
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResponse = await leader('GET', `/api/escalations?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expectProblem(await ent('GET', '/api/escalations'), 403);
    expectProblem(await admin('GET', '/api/escalations'), 403);
    expectProblem(await leader('GET', '/api/escalations?cursor=bm9wZQ'), 400, 'query.cursor');
  });
});
