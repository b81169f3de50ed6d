/**
 * Inspections through HTTP on the dev server and real Postgres: recording one (and every rule
 * that refuses it), a failed finding becoming a hazard in one step with the link kept both ways,
 * and repeat detection from registration through closure to the next registration.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingHazardId } from '../../api/routes/inspections';
import { loadCalendar } from '../../db/calendar';
import { verifyCaseChain } from '../../db/case-events';
import { hazards, inspectionFindings, inspections, users } from '../../db/schema';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { repeatWindowStart } from '../../domain/repeat-hazard';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { countDays } from '../../domain/work-calendar';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';

let h: ApiHarness;
let sup: Requester;
let supB: Requester;
let ent: Requester;
let entB: Requester;
const today = () => shanghaiDate(Date.now());
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

beforeAll(async () => {
  h = await startApiHarness('inspections');
  sup = await h.as('supervisor-a');
  supB = await h.as('supervisor-b');
  ent = await h.as('enterprise-a');
  entB = await h.as('enterprise-b');
});
afterAll(async () => h?.stop());

function expectProblem(res: HttpResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/** A category no other test uses, so repeat detection sees only this test's hazards. */
const category = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

const newInspection = (over: Record<string, unknown> = {}) => ({
  enterpriseId: h.world.enterpriseA,
  location: '一号厂房及配电室',
  startedAt: ago(90),
  endedAt: ago(30),
  coInspectors: [h.world.users['grid-a']],
  findings: [
    { item: '安全出口畅通', result: 'pass' },
    {
      item: '配电室未配备绝缘垫',
      result: 'fail',
      note: '配电柜前无绝缘垫',
      category: '电气安全',
      grade: 'general',
      legalBasis: '《安全生产法》第四十一条',
      requiredMeasures: '配备绝缘垫并张贴警示标识',
    },
    { item: '锅炉压力表校验', result: 'not_applicable' },
  ],
  ...over,
});

async function record(over: Record<string, unknown> = {}) {
  const res = await sup('POST', '/api/inspections', { body: newInspection(over) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; [k: string]: any };
}

async function closeHazard(id: string) {
  const up = await ent('POST', `/api/hazards/${id}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const submitted = await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [up.body.items[0].id] } });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  const accepted = await sup('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'accept', comment: '整改到位' } });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  expect(accepted.body.status).toBe('closed');
  return accepted.body as { closedAt: string };
}

async function registerHazard(as: Requester, over: Record<string, unknown>) {
  const res = await as('POST', '/api/hazards', {
    body: {
      enterpriseId: h.world.enterpriseA,
      title: '消防通道堵塞',
      source: 'grid_patrol',
      grade: 'general',
      deadline: addDays(today(), 10),
      ...over,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; isRepeat: boolean; repeatOf: string | null; [k: string]: unknown };
}

async function inspectionCount(): Promise<number> {
  const [row] = await h.database.db.select({ n: sql<number>`count(*)::int` }).from(inspections);
  return row!.n;
}

describe('who inspects beside whom', () => {
  it('offers the supervisors of the caller’s jurisdiction, not the caller, not another county’s, not leaders', async () => {
    const res = await sup('GET', '/api/inspectors');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ids = res.body.items.map((p: { id: string }) => p.id);
    expect(ids).toContain(h.world.users['grid-a']);
    for (const other of ['supervisor-a', 'supervisor-b', 'leader-a'] as const) expect(ids).not.toContain(h.world.users[other]);
    // Everyone offered can be recorded.
    const recorded = await sup('POST', '/api/inspections', { body: newInspection({ coInspectors: ids }) });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect((await ent('GET', '/api/inspectors')).status).toBe(403);
  });
});

describe('recording an inspection', () => {
  it('keeps who, where, when and the ordered checklist, and records it in the case chain', async () => {
    const startedAt = ago(120);
    const endedAt = ago(45);
    const res = await sup('POST', '/api/inspections', { body: newInspection({ startedAt, endedAt }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id as string;
    expect(res.headers.get('location')).toBe(`/api/inspections/${id}`);
    expect(res.body).toMatchObject({
      enterpriseId: h.world.enterpriseA,
      location: '一号厂房及配电室',
      startedAt,
      endedAt,
      inspectors: [h.world.users['supervisor-a'], h.world.users['grid-a']],
      findingsCount: 3,
      failedCount: 1,
      hazardsCount: 0,
      createdBy: 'supervisor-a',
    });
    // The inspectors by name, for the record the enterprise signs.
    const names = await h.database.db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.username, ['supervisor-a', 'grid-a']));
    const nameOf = (id: string) => names.find((n) => n.id === id)!.displayName;
    expect(res.body.inspectorNames).toEqual([h.world.users['supervisor-a'], h.world.users['grid-a']].map((id) => ({ id, displayName: nameOf(id) })));
    expect(res.body.findings.map((f: { n: number; result: string; hazard: unknown }) => [f.n, f.result, f.hazard])).toEqual([
      [1, 'pass', null],
      [2, 'fail', null],
      [3, 'not_applicable', null],
    ]);
    expect(res.body.findings[1]).toMatchObject({ category: '电气安全', grade: 'general', legalBasis: '《安全生产法》第四十一条', note: '配电柜前无绝缘垫' });
    expect(res.body.timeline).toEqual([expect.objectContaining({ type: 'inspection_recorded', actor: 'supervisor-a', step: 'recorded' })]);
    expect(await verifyCaseChain(h.database.db, 'inspection', id)).toEqual({ rows: 1, broken: null });

    // Seen within reach: the county, the city and the enterprise itself; not county B nor enterprise B.
    for (const who of [sup, ent, await h.as('leader-city'), await h.as('admin')]) {
      const list = await who('GET', '/api/inspections?limit=200');
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).toContain(id);
      expect((await who('GET', `/api/inspections/${id}`)).status).toBe(200);
    }
    for (const who of [supB, entB]) {
      const list = await who('GET', '/api/inspections?limit=200');
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
      expectProblem(await who('GET', `/api/inspections/${id}`), 404);
    }
  });

  it('refuses a record that breaks a rule with 422 naming the field, and writes nothing', async () => {
    const before = await inspectionCount();
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    expectProblem(await sup('POST', '/api/inspections', { body: newInspection({ endedAt: future }) }), 422, 'endedAt');
    expectProblem(await sup('POST', '/api/inspections', { body: newInspection({ startedAt: future, endedAt: future }) }), 422, 'startedAt');
    expectProblem(await sup('POST', '/api/inspections', { body: newInspection({ startedAt: ago(10), endedAt: ago(20) }) }), 422, 'endedAt');
    expectProblem(await sup('POST', '/api/inspections', { body: newInspection({ findings: [] }) }), 422, 'findings');
    expectProblem(
      await sup('POST', '/api/inspections', { body: newInspection({ findings: [{ item: '消防通道', result: 'fail' }] }) }),
      422,
      'findings.0.category',
    );
    expectProblem(
      await sup('POST', '/api/inspections', { body: newInspection({ findings: [{ item: '消防通道', result: 'pass', grade: 'major' }] }) }),
      422,
      'findings.0.grade',
    );
    // Another county's enterprise looks exactly like one that does not exist.
    const outOfReach = await sup('POST', '/api/inspections', { body: newInspection({ enterpriseId: h.world.enterpriseB }) });
    const missing = await sup('POST', '/api/inspections', { body: newInspection({ enterpriseId: randomUUID() }) });
    expectProblem(outOfReach, 422, 'enterpriseId');
    expect(missing.body).toEqual(outOfReach.body);
    expectProblem(await sup('POST', '/api/inspections', { body: newInspection({ coInspectors: [h.world.users['supervisor-b']] }) }), 422, 'coInspectors.0');
    expectProblem(await sup('POST', '/api/inspections', { body: newInspection({ coInspectors: [h.world.users['leader-a']] }) }), 422, 'coInspectors.0');
    expectProblem(
      await sup('POST', '/api/inspections', { body: newInspection({ coInspectors: [h.world.users['supervisor-a']] }) }),
      422,
      'coInspectors.0',
    );
    // Shape errors are a 400 naming the field.
    expectProblem(await sup('POST', '/api/inspections', { body: newInspection({ startedAt: '2026-11-28' }) }), 400, 'startedAt');
    expectProblem(
      await sup('POST', '/api/inspections', { body: newInspection({ findings: [{ item: '消防通道', result: 'broken' }] }) }),
      400,
      'findings.0.result',
    );
    expectProblem(await sup('POST', '/api/inspections', { body: newInspection({ inspector: 'x' }) }), 400, 'inspector');
    expect(await inspectionCount()).toBe(before);
    // Only supervisors inspect.
    expectProblem(await ent('POST', '/api/inspections', { body: newInspection() }), 403);
    expectProblem(await (await h.as('leader-a'))('POST', '/api/inspections', { body: newInspection() }), 403);
  });

  it('records once under one Idempotency-Key: the retry replays the first answer', async () => {
    const before = await inspectionCount();
    const opts = { body: newInspection(), headers: { 'idempotency-key': `inspection-${randomUUID()}` } };
    const first = await sup('POST', '/api/inspections', opts);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await sup('POST', '/api/inspections', opts);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('location')).toBe(`/api/inspections/${first.body.id}`);
    expect(await inspectionCount()).toBe(before + 1);
  });

  it('pages newest first with a cursor, and filters by enterprise and pending findings', async () => {
    const first = await record();
    const second = await record({ findings: [{ item: '安全出口畅通', result: 'pass' }] });
    const page1 = await sup('GET', `/api/inspections?limit=1&enterpriseId=${h.world.enterpriseA}`);
    expect(page1.body.items.map((i: { id: string }) => i.id)).toEqual([second.id]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    expect(page1.body).toMatchObject({ totalFrom: 'count', totalAsOf: null });
    // One recorded since: the next page states the first page's total, as of it, and counts nothing.
    await record();
    const page2 = await sup('GET', `/api/inspections?limit=1&enterpriseId=${h.world.enterpriseA}&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((i: { id: string }) => i.id)).toEqual([first.id]);
    expect(page2.body).toMatchObject({ total: page1.body.total, totalFrom: 'count', totalAsOf: expect.any(String) });
    expect((await sup('GET', `/api/inspections?limit=1&enterpriseId=${h.world.enterpriseA}`)).body.total).toBe(page1.body.total + 1);
    // With other filters the carried total is not theirs: counted again.
    const unfiltered = await sup('GET', `/api/inspections?limit=1&cursor=${page1.body.nextCursor}`);
    expect(unfiltered.body).toMatchObject({ totalAsOf: null });
    const pending = await sup('GET', '/api/inspections?pendingFindings=true&limit=200');
    const ids = pending.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(first.id);
    expect(ids).not.toContain(second.id);
    expectProblem(await sup('GET', '/api/inspections?cursor=bm90LWEtY3Vyc29y'), 400, 'query.cursor');
  });
});

describe('a finding becomes a hazard in one step', () => {
  it('registers the hazard from the finding, starts its workflow and links both ways', async () => {
    const insp = await record();
    const deadline = addDays(today(), 12);
    const res = await sup('POST', `/api/inspections/${insp.id}/findings/2/hazard`, { body: { deadline } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const hazardId = res.body.id as string;
    expect(hazardId).toBe(findingHazardId(insp.id, 2));
    expect(res.headers.get('location')).toBe(`/api/hazards/${hazardId}`);
    expect(res.body).toMatchObject({
      enterpriseId: h.world.enterpriseA,
      title: '配电室未配备绝缘垫',
      description: '配电柜前无绝缘垫',
      category: '电气安全',
      source: 'inspection',
      location: '一号厂房及配电室',
      legalBasis: '《安全生产法》第四十一条',
      requiredMeasures: '配备绝缘垫并张贴警示标识',
      grade: 'general',
      deadline,
      status: 'rectifying',
      inspection: { id: insp.id, finding: 2 },
      createdBy: 'supervisor-a',
    });

    const hazard = await sup('GET', `/api/hazards/${hazardId}`);
    expect(hazard.body).toMatchObject({ inspection: { id: insp.id, finding: 2 }, policy: DEFAULT_POLICIES.general });
    expect(hazard.body.timeline).toEqual([expect.objectContaining({ type: 'registered', actor: 'supervisor-a' })]);
    const described = await h.env.client.workflow.getHandle(hazardWorkflowId(hazardId)).describe();
    expect(described.status.name).toBe('RUNNING');

    const detail = await sup('GET', `/api/inspections/${insp.id}`);
    expect(detail.body.hazardsCount).toBe(1);
    expect(detail.body.findings[1].hazard).toEqual({ id: hazardId, status: 'rectifying', title: '配电室未配备绝缘垫', deadline });
    expect(detail.body.timeline.map((e: { type: string }) => e.type)).toEqual(['inspection_recorded', 'finding_became_hazard']);
    expect(detail.body.timeline[1]).toMatchObject({ actor: 'supervisor-a', data: { n: 2, hazardId } });
    expect(await verifyCaseChain(h.database.db, 'inspection', insp.id)).toEqual({ rows: 2, broken: null });
    // The enterprise sees the inspection and the hazard it led to.
    expect((await ent('GET', `/api/inspections/${insp.id}`)).body.findings[1].hazard.id).toBe(hazardId);
    const pending = await sup('GET', '/api/inspections?pendingFindings=true&limit=200');
    expect(pending.body.items.map((i: { id: string }) => i.id)).not.toContain(insp.id);

    // A second attempt is refused, naming the hazard; nothing else is registered.
    const again = await sup('POST', `/api/inspections/${insp.id}/findings/2/hazard`, { body: { deadline } });
    expectProblem(again, 409);
    expect(again.body.detail).toContain(hazardId);
    const [{ n }] = (await h.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(hazards)
      .where(eq(hazards.inspectionId, insp.id))) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('takes the overrides, and the policy time limit when no deadline is given (provisional when it reaches an unpublished year)', async () => {
    const calendar = await loadCalendar(h.database.db);
    const unlisted = await record();
    expectProblem(await sup('POST', `/api/inspections/${unlisted.id}/findings/2/hazard`, { body: { grade: 'major' } }), 422, 'listingLevel');
    expect((await sup('GET', `/api/inspections/${unlisted.id}`)).body.findings[1].hazard).toBeNull();
    for (const grade of ['general', 'major'] as const) {
      const insp = await record();
      const res = await sup('POST', `/api/inspections/${insp.id}/findings/2/hazard`, {
        body: { title: '配电室绝缘防护缺失', grade, description: '现场复核确认', ...(grade === 'major' ? { listingLevel: 'county' } : {}) },
      });
      const rule = DEFAULT_POLICIES[grade].deadline!;
      const counted = countDays(calendar, today(), rule.days, rule.unit);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      // Counted into a year without holiday data the date is provisional, shown as such, and recomputed when the year is published.
      expect(res.body).toMatchObject({
        title: '配电室绝缘防护缺失',
        grade,
        description: '现场复核确认',
        deadline: counted.date,
        deadlineRule: { from: today(), days: rule.days, unit: rule.unit, legalBasis: rule.legalBasis },
      });
      if (counted.provisional) expect(res.body.provisional).toBe(true);
    }
  });

  it('refuses a finding that did not fail (422), a missing finding (404), and leaves it unlinked', async () => {
    const insp = await record();
    const deadline = addDays(today(), 12);
    expectProblem(await sup('POST', `/api/inspections/${insp.id}/findings/1/hazard`, { body: { deadline } }), 422, 'n');
    expectProblem(await sup('POST', `/api/inspections/${insp.id}/findings/3/hazard`, { body: { deadline } }), 422, 'n');
    expectProblem(await sup('POST', `/api/inspections/${insp.id}/findings/4/hazard`, { body: { deadline } }), 404);
    expectProblem(await sup('POST', `/api/inspections/${insp.id}/findings/0/hazard`, { body: { deadline } }), 404);
    expectProblem(await sup('POST', `/api/inspections/${insp.id}/findings/x/hazard`, { body: { deadline } }), 404);
    // A past deadline fails the registration: the finding stays unlinked and no hazard exists.
    expectProblem(await sup('POST', `/api/inspections/${insp.id}/findings/2/hazard`, { body: { deadline: addDays(today(), -1) } }), 422, 'deadline');
    expectProblem(await sup('POST', `/api/inspections/${insp.id}/findings/2/hazard`, { body: { grade: 'severe' } }), 400, 'grade');
    const detail = await sup('GET', `/api/inspections/${insp.id}`);
    expect(detail.body.hazardsCount).toBe(0);
    expect(detail.body.findings[1].hazard).toBeNull();
    expect(await h.database.db.select().from(hazards).where(eq(hazards.id, findingHazardId(insp.id, 2)))).toEqual([]);
  });

  it('answers out of reach exactly like missing (404), and only to supervisors', async () => {
    const insp = await record();
    const body = { body: { deadline: addDays(today(), 12) } };
    const outOfReach = await supB('POST', `/api/inspections/${insp.id}/findings/2/hazard`, body);
    const missing = await supB('POST', `/api/inspections/${randomUUID()}/findings/2/hazard`, body);
    expectProblem(outOfReach, 404);
    expect(outOfReach.body.detail).toBe(missing.body.detail);
    expectProblem(await ent('POST', `/api/inspections/${insp.id}/findings/2/hazard`, body), 403);
    expect((await sup('GET', `/api/inspections/${insp.id}`)).body.hazardsCount).toBe(0);
  });

  it('gives the same hazard to a retry with the same Idempotency-Key, and to a retry after an unlinked start', async () => {
    const insp = await record();
    const opts = { body: { deadline: addDays(today(), 12) }, headers: { 'idempotency-key': `finding-${insp.id}` } };
    const first = await sup('POST', `/api/inspections/${insp.id}/findings/2/hazard`, opts);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const replay = await sup('POST', `/api/inspections/${insp.id}/findings/2/hazard`, opts);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);

    // As if the first attempt had started the hazard and died before linking the finding: the
    // next attempt links the same hazard rather than starting another.
    await h.database.db.update(inspectionFindings).set({ hazardId: null }).where(eq(inspectionFindings.inspectionId, insp.id));
    await h.database.db.update(inspections).set({ hazardsCount: 0 }).where(eq(inspections.id, insp.id));
    const retried = await sup('POST', `/api/inspections/${insp.id}/findings/2/hazard`, { body: { deadline: addDays(today(), 20) } });
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.body.id).toBe(first.body.id);
    expect(retried.body.deadline).toBe(first.body.deadline);
    const detail = await sup('GET', `/api/inspections/${insp.id}`);
    expect(detail.body).toMatchObject({ hazardsCount: 1 });
    expect(detail.body.findings[1].hazard.id).toBe(first.body.id);
    expect((await h.database.db.select().from(hazards).where(eq(hazards.inspectionId, insp.id))).length).toBe(1);
  });
});

describe('repeat hazards', () => {
  it('flags a hazard of the same enterprise and category closed within the window, and links the latest', async () => {
    const cat = category('消防安全');
    const older = await registerHazard(sup, { category: cat });
    expect(older).toMatchObject({ isRepeat: false, repeatOf: null });
    await closeHazard(older.id);
    const closed = await registerHazard(sup, { category: cat });
    expect(closed).toMatchObject({ isRepeat: true, repeatOf: older.id });
    await closeHazard(closed.id);

    // Two closures in the window: the newer one is the link.

    const repeat = await registerHazard(sup, { category: cat });
    expect(repeat).toMatchObject({ isRepeat: true, repeatOf: closed.id });
    expect((await sup('GET', `/api/hazards/${repeat.id}`)).body).toMatchObject({ isRepeat: true, repeatOf: closed.id });
    expect((await ent('GET', `/api/hazards/${repeat.id}`)).body).toMatchObject({ isRepeat: true, repeatOf: closed.id });

    const repeats = await sup('GET', `/api/hazards?repeat=true&limit=200`);
    const repeatIds = repeats.body.items.map((i: { id: string }) => i.id);
    expect(repeatIds).toContain(repeat.id);
    expect(repeatIds).not.toContain(older.id);
    expect(repeats.body.items.every((i: { isRepeat: boolean }) => i.isRepeat)).toBe(true);
    const others = await sup('GET', `/api/hazards?repeat=false&limit=200`);
    expect(others.body.items.map((i: { id: string }) => i.id)).toContain(older.id);
    expect(others.body.items.map((i: { id: string }) => i.id)).not.toContain(repeat.id);

    // Another category, or the same category at another enterprise, is no repeat.
    expect(await registerHazard(sup, { category: category('消防安全') })).toMatchObject({ isRepeat: false, repeatOf: null });
    expect(await registerHazard(supB, { category: cat, enterpriseId: h.world.enterpriseB })).toMatchObject({ isRepeat: false, repeatOf: null });

    // A finding's hazard is checked the same way.
    const insp = await record({ findings: [{ item: '灭火器过期', result: 'fail', category: cat }] });
    const fromFinding = await sup('POST', `/api/inspections/${insp.id}/findings/1/hazard`, { body: { deadline: addDays(today(), 5) } });
    expect(fromFinding.status, JSON.stringify(fromFinding.body)).toBe(201);
    expect(fromFinding.body).toMatchObject({ isRepeat: true, repeatOf: closed.id, inspection: { id: insp.id, finding: 1 } });
  });

  it('counts a closure on the window\'s first day (Shanghai) and not one an instant earlier', async () => {
    const cat = category('危化品储存');
    const old = await registerHazard(sup, { category: cat });
    await closeHazard(old.id);
    const months = DEFAULT_POLICIES.general.repeatWindowMonths!;
    // Closures before the window are moved back directly in the read model: the dev server's
    // clock cannot run a year ahead. The boundary is the start of the Shanghai day 12 months ago.
    const start = repeatWindowStart(Date.now(), months);
    await h.database.db.update(hazards).set({ closedAt: new Date(start - 1) }).where(eq(hazards.id, old.id));
    expect(await registerHazard(sup, { category: cat })).toMatchObject({ isRepeat: false, repeatOf: null });
    await h.database.db.update(hazards).set({ closedAt: new Date(start + 60_000) }).where(eq(hazards.id, old.id));
    expect(await registerHazard(sup, { category: cat })).toMatchObject({ isRepeat: true, repeatOf: old.id });
  });

  it('does not count a hazard that is not closed', async () => {
    const cat = category('有限空间');
    const open = await registerHazard(sup, { category: cat });
    expect(await registerHazard(sup, { category: cat })).toMatchObject({ isRepeat: false, repeatOf: null });
    expect((await sup('GET', `/api/hazards/${open.id}`)).body.status).toBe('rectifying');
  });
});
