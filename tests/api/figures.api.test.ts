/**
 * The leaders' figures through HTTP: hazards registered through the API show in the figures of
 * every level above them once folded, never in another county's, and every figure's list query
 * gives back exactly the hazards it counts.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprises, hazards } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { registerFigureHazards } from '../support/figure-hazards';
import type { Requester } from '../support/http';

let h: ApiHarness;
let sup: Requester;
let city: Requester;
let leaderA: Requester;
const ids: Record<string, string> = {};
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('figures');
  [sup, city, leaderA] = await Promise.all([h.as('supervisor-a'), h.as('leader-city'), h.as('leader-a')]);
  await h.database.db.update(enterprises).set({ responsibleLeaderId: h.world.users['leader-a'], industry: '危险化学品' }).where(eq(enterprises.id, h.world.enterpriseA));
  Object.assign(ids, await registerFigureHazards(h, { ids: ['a1', 'a3'], daysAgo: 9 }));
}, 120_000);
afterAll(async () => h?.stop());

describe('figures through HTTP', () => {
  it('counts every level above a hazard, and says when', async () => {
    const res = await city('GET', '/api/figures/overview?period=month');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.open.value).toBe(4);
    expect(res.body.overdue).toMatchObject({ value: 2, major: 1 });
    expect(res.body.overdue.share).toBeCloseTo(0.5);
    expect(res.body.registered.value).toBeGreaterThanOrEqual(4);
    expect(Date.parse(res.body.computedAt)).toBeGreaterThan(Date.now() - 60_000);
    const byRegion = await city('GET', '/api/figures/breakdown?by=region');
    expect(byRegion.body.rows.map((r: { key: string; open: number; overdue: number }) => [r.key, r.open, r.overdue]).sort()).toEqual(
      [[h.world.a.county.id, 3, 2], [h.world.b.county.id, 1, 0]].sort(),
    );
  });

  it('keeps a county leader to their county', async () => {
    const own = await leaderA('GET', '/api/figures/overview');
    expect(own.body.region.id).toBe(h.world.a.county.id);
    expect(own.body.open.value).toBe(3);
    expect((await leaderA('GET', `/api/figures/overview?region=${h.world.b.county.id}`)).status).toBe(404);
    expect((await leaderA('GET', `/api/figures/breakdown?by=region&region=${h.world.a.city.id}`)).status).toBe(404);
    const ranking = await leaderA('GET', '/api/figures/enterprises?rank=overdue');
    expect(ranking.body.rows).toEqual([expect.objectContaining({ id: h.world.enterpriseA, overdue: 2, major: 1 })]);
    // A list filtered to another county's region is refused, not emptied.
    const list = await leaderA('GET', `/api/hazards?region=${h.world.b.county.id}`);
    expect(list.status).toBe(400);
    expect(list.body.errors[0].field).toBe('query.region');
  });

  it("gives an enterprise's people their own figures, opening onto their own list, and nothing of a region", async () => {
    const ent = await h.as('enterprise-a');
    const o = await ent('GET', '/api/figures/overview?period=month');
    expect(o.status, JSON.stringify(o.body)).toBe(200);
    expect(o.body.enterprise.id).toBe(h.world.enterpriseA);
    expect(o.body.region).toBeUndefined();
    expect(o.body).toMatchObject({ open: { value: 3 }, overdue: { value: 2, major: 1 } });
    expect(o.body.registered.value).toBe(3);
    expect(Date.parse(o.body.computedAt)).toBeGreaterThan(Date.now() - 60_000);
    const listed = await ent('GET', `/api/hazards?${o.body.overdue.list}`);
    expect(listed.body.items.map((x: { id: string }) => x.id).sort()).toEqual([ids.a1, ids.a3].sort());
    const ageing = (await ent('GET', '/api/figures/ageing')).body;
    expect(ageing.buckets.reduce((a: number, b: { total: number }) => a + b.total, 0)).toBe(2);
    const trend = (await ent('GET', '/api/figures/trend?interval=week')).body;
    expect(trend.points.reduce((a: number, p: { registered: number }) => a + p.registered, 0)).toBe(3);
    // Enterprise B's people see B's only; nobody's region and no jurisdiction's breakdown is theirs.
    const b = await (await h.as('enterprise-b'))('GET', '/api/figures/overview');
    expect(b.body).toMatchObject({ enterprise: { id: h.world.enterpriseB }, open: { value: 1 }, overdue: { value: 0 } });
    expect((await ent('GET', `/api/figures/overview?region=${h.world.a.grid.id}`)).status).toBe(404);
    expect((await ent('GET', '/api/figures/breakdown?by=region')).status).toBe(403);
    expect((await ent('GET', '/api/figures/notices')).status).toBe(403);
  });

  it('opens every figure onto exactly the hazards it counts', async () => {
    const count = async (query: string) => {
      const res = await city('GET', `/api/hazards?${query}&limit=200`);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
      return res.body.total as number;
    };
    const o = (await city('GET', '/api/figures/overview')).body;
    expect(await count(o.open.list)).toBe(o.open.value);
    expect(await count(o.overdue.list)).toBe(o.overdue.value);
    expect(await count(o.registered.list)).toBe(o.registered.value);
    expect(await count(o.majorListed.list)).toBe(o.majorListed.value);
    for (const level of o.majorListed.byLevel) expect(await count(level.list)).toBe(level.value);
    const ageing = (await city('GET', '/api/figures/ageing')).body;
    for (const b of ageing.buckets) {
      expect(await count(b.list), b.bucket).toBe(b.total);
      expect(await count(b.lists.major), b.bucket).toBe(b.major);
    }
    expect(ageing.buckets.find((b: { bucket: string }) => b.bucket === '4-7' || b.bucket === '8-15').total).toBe(2);
    for (const by of ['region', 'industry', 'leader', 'supervisor']) {
      const rows = (await city('GET', `/api/figures/breakdown?by=${by}`)).body.rows;
      expect(rows.length, by).toBeGreaterThan(0);
      for (const r of rows) {
        expect(await count(r.lists.open), `${by} ${r.key} open`).toBe(r.open);
        expect(await count(r.lists.overdue), `${by} ${r.key} overdue`).toBe(r.overdue);
      }
    }
    const leaders = (await city('GET', '/api/figures/breakdown?by=leader')).body.rows;
    expect(leaders).toContainEqual(expect.objectContaining({ key: h.world.users['leader-a'], label: 'leader-a', open: 3 }));
    expect(leaders).toContainEqual(expect.objectContaining({ key: '', label: null, open: 1 }));
  });

  it('gives the breakdown rows with the most overdue work up to a limit, saying how many there are', async () => {
    const top = (await city('GET', '/api/figures/breakdown?by=leader&limit=1')).body;
    expect(top.totalRows).toBe(2);
    expect(top.rows).toEqual([expect.objectContaining({ key: h.world.users['leader-a'], open: 3, overdue: 2 })]);
    const counties = (await city('GET', '/api/figures/breakdown?by=region&limit=1')).body;
    expect([counties.totalRows, counties.rows.map((r: { key: string }) => r.key)]).toEqual([2, [h.world.a.county.id]]);
    const all = (await city('GET', '/api/figures/breakdown?by=leader')).body;
    expect([all.totalRows, all.rows.length]).toEqual([2, 2]);
    for (const limit of ['0', '1001', 'x']) {
      const bad = await city('GET', `/api/figures/breakdown?by=leader&limit=${limit}`);
      expect(bad.status, limit).toBe(400);
      expect(bad.body.errors[0].field).toBe('query.limit');
    }
  });

  it('counts open notices and opens each figure onto the notices it counts', async () => {
    const issued = await sup('POST', '/api/notices', {
      body: { enterpriseId: h.world.enterpriseA, hazardIds: [ids.a2], title: '督促整改消防通道', requirements: '立即清理', deadline: addDays(today(), 5) },
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const f = (await city('GET', '/api/figures/notices')).body;
    expect(f.open).toBe(1);
    const count = async (query: string) => (await city('GET', `/api/notices?${query}`)).body.total as number;
    expect(await count(f.lists.open)).toBe(f.open);
    expect(await count(f.lists.unsigned)).toBe(f.unsignedPastDue);
    expect(await count(f.lists.overdue)).toBe(f.overdue);
    expect((await leaderA('GET', `/api/notices?region=${h.world.b.county.id}`)).status).toBe(400);
    expect((await city('GET', `/api/notices?region=${h.world.b.county.id}&open=true`)).body.total).toBe(0);
  });

  it('refuses a malformed question with the field that is wrong', async () => {
    const bad = await city('GET', '/api/figures/breakdown?by=colour');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.by');
    const range = await city('GET', '/api/figures/trend?from=2026-05-01&to=2026-04-01');
    expect(range.status).toBe(400);
    expect((await city('GET', '/api/hazards?age=2-3')).status).toBe(400);
    expect((await city('GET', '/api/hazards?campaign=00000000-0000-4000-8000-000000000000')).status).toBe(400);
  });
});
