/**
 * Campaigns through the API: an admin defines one within reach (clear problems for bad dates and
 * regions out of reach, an audit record for each); who sees which campaign; the burn-down limited
 * to the caller's part (a county leader never sees another county's part of the city's campaign);
 * enterprise users refused; a past day's figures unchanged by what happens later.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeCampaignSnapshots } from '../../db/campaign-snapshots';
import { createUser } from '../../db/directory';
import { adminEvents, enterprises } from '../../db/schema';
import { addDays, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { appendEvents, insertHistory } from '../support/campaign-history';
import { hashPassword } from '../../auth/passwords';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
const today = shanghaiDate(Date.now());
const cutoff = addDays(today, -4);
const at = (day: string, hour: number) => shanghaiInstant(day, hour);
let cityCampaign: string;
let countyACampaign: string;
let countyBCampaign: string;
let stockB: string;

beforeAll(async () => {
  h = await startApiHarness('campaigns');
  const { a, b } = h.world;
  await createUser(h.database.db, 'fixture', { username: 'admin-county-a', displayName: '甲县管理员', role: 'admin', regionId: a.county.id, passwordHash: await hashPassword(PASSWORD) });
  await h.database.db.update(enterprises).set({ responsibleLeaderId: h.world.users['leader-a'] }).where(eq(enterprises.id, h.world.enterpriseA));
  // Hazards are on record before the campaigns: a campaign's first snapshot may be taken at once.
  const inA = { enterpriseId: h.world.enterpriseA, regionPath: a.grid.path };
  const inB = { enterpriseId: h.world.enterpriseB, regionPath: b.grid.path };
  // County A: two stock hazards (one closed the day after the cut-off), one new. County B: one stock hazard, overdue.
  await insertHistory(h.database.db, { ...inA, foundAt: at(addDays(cutoff, -3), 9), registeredAt: at(addDays(cutoff, -3), 9), deadline: addDays(today, 5), actions: [{ kind: 'submit', at: at(cutoff, 9) }, { kind: 'accept', at: at(addDays(cutoff, 1), 9) }] });
  await insertHistory(h.database.db, { ...inA, foundAt: at(addDays(cutoff, -2), 9), registeredAt: at(addDays(cutoff, -2), 9), deadline: addDays(today, 5), actions: [] });
  await insertHistory(h.database.db, { ...inA, foundAt: at(addDays(cutoff, 1), 9), registeredAt: at(addDays(cutoff, 1), 9), deadline: addDays(today, 5), actions: [] });
  stockB = await insertHistory(h.database.db, { ...inB, foundAt: at(addDays(cutoff, -1), 9), registeredAt: at(addDays(cutoff, -1), 9), deadline: addDays(cutoff, 1), actions: [] });

  const admin = await h.as('admin');
  const define = async (name: string, regionId: string) => {
    const res = await admin('POST', '/api/campaigns', { body: { name, regionId, cutoff, target: addDays(today, 60) } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  cityCampaign = await define('全市隐患清零百日行动', a.city.id);
  countyACampaign = await define('甲县清零行动', a.county.id);
  countyBCampaign = await define('乙县清零行动', b.county.id);
  await takeCampaignSnapshots(h.database.app, Date.now());
});

afterAll(async () => h?.stop());

describe('defining a campaign', () => {
  it('refuses bad fields with the field and the reason', async () => {
    const admin = await h.as('admin');
    const base = { name: '清零', regionId: h.world.a.county.id, cutoff: '2026-03-01', target: '2026-06-30' };
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...base, name: ' ' }, 'name', /required/],
      [{ ...base, cutoff: '2026-02-30' }, 'cutoff', /calendar date/],
      [{ ...base, target: '30/06/2026' }, 'target', /calendar date/],
      [{ ...base, target: '2026-03-01' }, 'target', /after the cut-off/],
      [{ ...base, target: '2026-02-01' }, 'target', /after the cut-off/],
      [{ ...base, extra: 1 }, 'extra', /unknown field/],
    ];
    for (const [body, field, message] of cases) {
      const res = await admin('POST', '/api/campaigns', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      const error = res.body.errors.find((e: { field: string }) => e.field === field) ?? res.body.errors[0];
      expect(error.message).toMatch(message);
    }
  });

  it('takes only a region within the admin’s jurisdiction, and records who defined what', async () => {
    const countyAdmin = await h.as('admin-county-a' as never);
    const body = (regionId: string) => ({ name: '甲县专项', regionId, cutoff: '2026-03-01', target: '2026-06-30' });
    for (const regionId of [h.world.b.county.id, h.world.a.city.id, 'no-such-region']) {
      const res = await countyAdmin('POST', '/api/campaigns', { body: body(regionId) });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'regionId', message: 'no such region within your jurisdiction' }]);
    }
    const made = await countyAdmin('POST', '/api/campaigns', { body: body(h.world.a.township.id) });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ regionId: h.world.a.township.id, regionPath: h.world.a.township.path, createdBy: 'admin-county-a' });
    const [audit] = await h.database.db.select().from(adminEvents).where(and(eq(adminEvents.action, 'campaign.created'), eq(adminEvents.subjectId, made.body.id)));
    expect(audit).toMatchObject({ actor: 'admin-county-a', subjectType: 'campaign', data: { regionId: h.world.a.township.id, cutoff: '2026-03-01', target: '2026-06-30' } });
    expect((await (await h.as('supervisor-a'))('POST', '/api/campaigns', { body: body(h.world.a.county.id) })).status).toBe(403);
  });
});

describe('who sees which campaign', () => {
  it('lists campaigns covering the caller or within reach, never another county’s', async () => {
    const names = async (user: Parameters<ApiHarness['as']>[0]) => {
      const res = await (await h.as(user))('GET', '/api/campaigns');
      expect(res.status).toBe(200);
      return res.body.items.map((c: { id: string }) => c.id);
    };
    expect(await names('leader-city')).toEqual(expect.arrayContaining([cityCampaign, countyACampaign, countyBCampaign]));
    const a = await names('leader-a');
    expect(a).toEqual(expect.arrayContaining([cityCampaign, countyACampaign]));
    expect(a).not.toContain(countyBCampaign);
    const grid = await names('grid-a');
    expect(grid).toEqual(expect.arrayContaining([cityCampaign, countyACampaign]));
    expect(grid).not.toContain(countyBCampaign);
    expect(await names('supervisor-b')).not.toContain(countyACampaign);
    expect((await (await h.as('leader-a'))('GET', `/api/campaigns/${countyBCampaign}`)).status).toBe(404);
    expect((await (await h.as('leader-a'))('GET', `/api/campaigns/${countyBCampaign}/burndown`)).status).toBe(404);
  });

  it('takes as a hazard list’s cohort only a campaign the caller sees: another county’s answers as a missing one does', async () => {
    const leaderA = await h.as('leader-a');
    const missing = await leaderA('GET', '/api/hazards?campaign=00000000-0000-4000-8000-000000000000&cohort=stock');
    expect(missing.status).toBe(400);
    const other = await leaderA('GET', `/api/hazards?campaign=${countyBCampaign}&cohort=stock`);
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual(missing.body.errors);
    expect((await leaderA('GET', `/api/hazards?campaign=${countyACampaign}&cohort=stock`)).status).toBe(200);
    expect((await leaderA('GET', `/api/hazards?campaign=${cityCampaign}&cohort=stock`)).status).toBe(200);
  });

  it('refuses enterprise users: the figures are a jurisdiction’s', async () => {
    const enterprise = await h.as('enterprise-a');
    for (const path of ['/api/campaigns', `/api/campaigns/${cityCampaign}`, `/api/campaigns/${cityCampaign}/burndown`]) {
      expect((await enterprise('GET', path)).status).toBe(403);
    }
  });
});

describe('the burn-down within reach', () => {
  it('gives the city leader every county, and a county leader only its own part of the city’s campaign', async () => {
    const city = (await (await h.as('leader-city'))('GET', `/api/campaigns/${cityCampaign}/burndown`)).body;
    expect(city).toMatchObject({ asOf: today, provisional: true, complete: true, scope: { regionId: h.world.a.city.id } });
    expect(city.totals).toMatchObject({ stockTotal: 3, stock: { open: 2, closed: 1, overdue: 1 }, new: { open: 1, closed: 0, overdue: 0 } });
    expect(city.breakdown.map((b: { key: string }) => b.key).sort()).toEqual([h.world.a.county.id, h.world.b.county.id].sort());
    expect(Date.parse(city.computedAt)).not.toBeNaN();
    expect(city.series.map((s: { day: string }) => s.day)).toEqual([0, 1, 2, 3, 4].map((i) => addDays(cutoff, i)));

    const res = await (await h.as('leader-a'))('GET', `/api/campaigns/${cityCampaign}/burndown`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scope: { regionId: h.world.a.county.id }, totals: { stockTotal: 2, stock: { open: 1, closed: 1, overdue: 0 }, new: { open: 1 } } });
    expect(res.body.breakdown.map((b: { key: string }) => b.key)).toEqual([h.world.a.township.id]);
    const text = JSON.stringify(res.body);
    for (const foreign of [h.world.b.county.id, h.world.b.township.id, h.world.b.grid.id, h.world.b.county.name]) expect(text).not.toContain(foreign);

    const byLeader = await (await h.as('leader-a'))('GET', `/api/campaigns/${cityCampaign}/burndown?by=leader`);
    expect(byLeader.body.breakdown).toEqual([{ key: h.world.users['leader-a'], name: 'leader-a', figures: { stock: res.body.totals.stock, new: res.body.totals.new } }]);
    const cityByLeader = await (await h.as('leader-city'))('GET', `/api/campaigns/${cityCampaign}/burndown?by=leader`);
    expect(cityByLeader.body.breakdown.map((b: { key: string; figures: { stock: { open: number } } }) => [b.key, b.figures.stock.open])).toEqual([
      [h.world.users['leader-a'], 1],
      ['none', 1],
    ]);
    const grid = await (await h.as('grid-a'))('GET', `/api/campaigns/${cityCampaign}/burndown`);
    expect(grid.body).toMatchObject({ scope: { regionId: h.world.a.grid.id }, breakdown: [], totals: { stockTotal: 2 } });
  });

  it('answers as of the cut-off day, and refuses days before it or to come', async () => {
    const leader = await h.as('leader-city');
    const onCutoff = await leader('GET', `/api/campaigns/${cityCampaign}/burndown?asOf=${cutoff}`);
    expect(onCutoff.body).toMatchObject({ asOf: cutoff, provisional: false, totals: { stock: { open: 3, closed: 0 }, new: { open: 0 } } });
    expect(onCutoff.body.series).toHaveLength(1);
    for (const [asOf, status, field] of [[addDays(cutoff, -1), 422, 'query.asOf'], [addDays(today, 1), 422, 'query.asOf'], ['2026-13-01', 400, 'query.asOf']] as const) {
      const res = await leader('GET', `/api/campaigns/${cityCampaign}/burndown?asOf=${asOf}`);
      expect(res.status).toBe(status);
      expect(res.body.errors[0].field).toBe(field);
    }
    expect((await leader('GET', `/api/campaigns/${cityCampaign}/burndown?by=grade`)).status).toBe(400);
  });

  it('keeps a past day’s answer when later events arrive', async () => {
    const leader = await h.as('leader-city');
    const day = addDays(cutoff, 2);
    const before = await leader('GET', `/api/campaigns/${cityCampaign}/burndown?asOf=${day}&by=region`);
    // The overdue stock in county B is closed now, and a new hazard is found.
    await appendEvents(h.database.db, stockB, [
      { key: 'x/submit', type: 'rectification_submitted', at: Date.now() - 1000, data: {} },
      { key: 'x/accept', type: 'review_accepted', at: Date.now(), data: {} },
    ]);
    await insertHistory(h.database.db, { enterpriseId: h.world.enterpriseB, regionPath: h.world.b.grid.path, foundAt: Date.now(), registeredAt: Date.now(), deadline: addDays(today, 3), actions: [] });
    await takeCampaignSnapshots(h.database.app, Date.now() + 1000);
    const after = await leader('GET', `/api/campaigns/${cityCampaign}/burndown?asOf=${day}&by=region`);
    expect(after.body).toEqual(before.body);
    const now = await leader('GET', `/api/campaigns/${cityCampaign}/burndown`);
    expect(now.body.totals).toMatchObject({ stock: { open: 1, closed: 2, overdue: 0 }, new: { open: 2 } });
  });
});
