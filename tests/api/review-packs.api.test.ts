/**
 * Review packs through HTTP: a pack asked for is assembled by the workflow and appears; a county
 * leader sees only their county's packs; the meeting rhythm is set by the city's administrators
 * only, audited, and moves the jurisdiction's Schedule.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../auth/passwords';
import { statementsOf } from '../../bench/phase-cost';
import { createUser } from '../../db/directory';
import { saveReviewPolicy } from '../../db/review-packs';
import { adminEvents } from '../../db/schema';
import { periodSoFar } from '../../domain/figures/review-pack';
import { shanghaiDate } from '../../domain/shanghai-time';
import { removeReviewPackSchedule, reviewPackScheduleId } from '../../temporal/review-pack-schedules';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { registerFigureHazards } from '../support/figure-hazards';
import type { Requester } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let sup: Requester;
let leaderCity: Requester;
let leaderA: Requester;
let admin: Requester;
const ids: Record<string, string> = {};
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('review-packs');
  [sup, leaderCity, leaderA, admin] = await Promise.all([h.as('supervisor-a'), h.as('leader-city'), h.as('leader-a'), h.as('admin')]);
  Object.assign(ids, await registerFigureHazards(h, { ids: ['a1', 'a2', 'a3', 'b1'], daysAgo: 40 }));
}, 120_000);

afterAll(async () => {
  if (h) for (const region of [h.world.a.county.id, h.world.b.county.id]) await removeReviewPackSchedule(h.env.client, region);
  await h?.stop();
});

async function assembled(as: Requester, regionId: string) {
  const started = await as('POST', '/api/review-packs', { body: { regionId } });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.headers.get('location')).toBe(`/api/review-packs/${started.body.id}`);
  await h.env.client.workflow.getHandle(started.body.workflowId).result();
  const pack = await as('GET', started.body.location);
  expect(pack.status, JSON.stringify(pack.body)).toBe(200);
  return pack.body;
}

describe('review packs through HTTP', () => {
  it('assembles a pack for the window so far, with the overdue hazards, 约谈 candidates and scorecards of the county only', async () => {
    const pack = await assembled(leaderA, h.world.a.county.id);
    expect(pack.period).toEqual(periodSoFar(today(), 2));
    expect(pack.assembledBy).toBe('leader-a');
    // Who assembled it, by display name beside the login name (the pages show the name).
    expect(pack.people).toEqual({ 'leader-a': 'leader-a' });
    const c = pack.content;
    expect(c.overdueTop.rows.map((r: { id: string }) => r.id).sort()).toEqual([ids.a1, ids.a2, ids.a3].sort());
    expect(c.overdueTop.rows.every((r: { workingDaysOverdue: number }) => r.workingDaysOverdue > 15)).toBe(true);
    expect(c.overview.overdue.value).toBe(3);
    expect(c.interviews.candidates).toEqual([
      expect.objectContaining({
        id: h.world.enterpriseA,
        overdue: 3,
        overdueMajor: 1,
        reasons: [expect.objectContaining({ kind: 'major-overdue' }), { kind: 'overdue', count: 3 }],
      }),
    ]);
    expect(c.grids).toEqual([expect.objectContaining({ id: h.world.a.grid.id, open: 3, overdue: 3, overdueMajor: 1 })]);
    // Every count opens onto exactly the hazards it counts.
    const total = async (query: string) => (await leaderA('GET', `/api/hazards?${query}&limit=200`)).body.total;
    expect(await total(c.overdueTop.list)).toBe(3);
    expect(await total(c.grids[0].lists.overdue)).toBe(3);
    expect(await total(c.interviews.candidates[0].lists.overdue)).toBe(3);

    const list = await leaderA('GET', '/api/review-packs');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(pack.id);
    expect(list.body.people).toMatchObject({ 'leader-a': 'leader-a' });
  }, 60_000);

  it('keeps a county leader to their county: another county refused to assemble, its packs missing and unlisted', async () => {
    expect((await leaderA('POST', '/api/review-packs', { body: { regionId: h.world.b.county.id } })).status).toBe(422);
    const packB = await assembled(leaderCity, h.world.b.county.id);
    expect(packB.content.overdueTop.rows.map((r: { id: string }) => r.id)).toEqual([ids.b1]);
    expect((await leaderA('GET', `/api/review-packs/${packB.id}`)).status).toBe(404);
    const listA = await leaderA('GET', '/api/review-packs?limit=100');
    expect(listA.body.items.every((i: { region: { id: string } }) => i.region.id === h.world.a.county.id)).toBe(true);
    const listCity = await leaderCity('GET', '/api/review-packs?limit=1');
    expect(listCity.body.items).toHaveLength(1);
    const next = await leaderCity('GET', `/api/review-packs?limit=1&cursor=${listCity.body.nextCursor}`);
    expect(next.body.items[0].id).not.toBe(listCity.body.items[0].id);
    expect((await leaderA('GET', `/api/review-packs?region=${h.world.b.county.id}`)).status).toBe(400);
    expect((await sup('POST', '/api/review-packs', { body: { regionId: h.world.a.county.id } })).status).toBe(403);
  }, 60_000);

  it('lets only the city administrators set a meeting rhythm, audited, and moves the schedule with it', async () => {
    const region = h.world.a.county.id;
    expect((await leaderCity('PUT', `/api/review-packs/policies/${region}`, { body: { everyMonths: 3 } })).status).toBe(403);
    const bad = await admin('PUT', `/api/review-packs/policies/${region}`, { body: { everyMonths: 5 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('everyMonths');
    const saved = await admin('PUT', `/api/review-packs/policies/${region}`, { body: { everyMonths: 3 } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ regionId: region, everyMonths: 3, active: true, updatedBy: 'admin', schedule: 'created' });
    const described = await h.env.client.schedule.getHandle(reviewPackScheduleId(region)).describe();
    expect(described.action).toMatchObject({ workflowType: 'reviewPackWorkflow', args: [{ regionId: region, everyMonths: 3 }] });
    const audit = await h.database.db.select().from(adminEvents).where(and(eq(adminEvents.subjectId, region), eq(adminEvents.action, 'review-pack-policy.saved')));
    expect(audit.map((e) => [e.actor, e.data])).toEqual([['admin', { everyMonths: 3, active: true }]]);
    // The window so far now follows the rhythm.
    const pack = await assembled(leaderA, region);
    expect(pack.period).toEqual(periodSoFar(today(), 3));
    const stopped = await admin('PUT', `/api/review-packs/policies/${region}`, { body: { everyMonths: 3, active: false } });
    expect(stopped.body.schedule).toBe('removed');
    await expect(h.env.client.schedule.getHandle(reviewPackScheduleId(region)).describe()).rejects.toThrow();
    expect((await admin('PUT', '/api/review-packs/policies/nope-region', { body: { everyMonths: 2 } })).status).toBe(404);
  }, 60_000);

  it('lists every jurisdiction’s meeting rhythm to the city administrators: the default where none was set, who set the others', async () => {
    expect((await leaderCity('GET', '/api/review-packs/policies')).status).toBe(403);
    const region = h.world.b.county.id;
    const before = await admin('GET', '/api/review-packs/policies');
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.intervals).toEqual([1, 2, 3, 4, 6, 12]);
    expect(before.body.items.find((p: { regionId: string }) => p.regionId === region)).toMatchObject({ regionName: expect.any(String), level: 'county', everyMonths: 2, active: true, configured: false, updatedBy: null });
    expect((await admin('PUT', `/api/review-packs/policies/${region}`, { body: { everyMonths: 6, active: false } })).status).toBe(200);
    const after = await admin('GET', '/api/review-packs/policies');
    expect(after.body.items.find((p: { regionId: string }) => p.regionId === region)).toMatchObject({ everyMonths: 6, active: false, configured: true, updatedBy: 'admin', updatedByName: expect.any(String), updatedAt: expect.any(String) });
  }, 60_000);

  it('lists to a county’s administrator the rhythms within the county only, chosen by the statement', async () => {
    const { a, b } = h.world;
    await createUser(h.database.db, 'fixture', { username: 'admin-county-a', displayName: '甲县管理员', role: 'admin', regionId: a.county.id, passwordHash: await hashPassword(PASSWORD) });
    const countyAdmin = await h.as('admin-county-a' as never);
    // A township's rhythm on each side: county B's is out of county A's reach.
    await saveReviewPolicy(h.database.db, 'fixture', a.township.id, 1, true);
    await saveReviewPolicy(h.database.db, 'fixture', b.township.id, 1, true);
    let listed: Awaited<ReturnType<Requester>> | undefined;
    const sent = await statementsOf(async () => (listed = await countyAdmin('GET', '/api/review-packs/policies')));
    expect(listed!.status, JSON.stringify(listed!.body)).toBe(200);
    expect(listed!.body.items.map((p: { regionId: string }) => p.regionId).sort()).toEqual([a.county.id, a.township.id].sort());
    // The reach is the statement's, by region path prefix (the regions' path index), not a filter over every row read.
    expect(sent.filter((text) => /from "regions" left join "review_pack_policies"/.test(text)).map((text) => /"regions"\."path" like \$\d+/.test(text))).toEqual([true]);
    const city = (await admin('GET', '/api/review-packs/policies')).body.items.map((p: { regionId: string }) => p.regionId);
    expect(city).toEqual(expect.arrayContaining([a.city.id, a.county.id, a.township.id, b.county.id, b.township.id]));
  }, 60_000);
});
