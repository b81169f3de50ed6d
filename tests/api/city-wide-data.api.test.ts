/**
 * City-wide data — policies and the working-day calendar — apply to every county, so only the
 * administrators of the city (the root of the region tree) change them. A county's admin is
 * refused with 403 and nothing is written.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let cityAdmin: Requester;
let countyAdmin: Requester;

const year = Number(new Date().getUTCFullYear()) + 30;
const calendar = { year, source: `国务院办公厅关于${year}年部分节假日安排的通知`, holidays: [{ date: `${year}-01-01`, name: '元旦' }], workdays: [] };
const policy = (industry: string) => ({ grade: 'general', industry, policy: DEFAULT_POLICIES.general, note: '县级调整' });

async function counts() {
  const one = async (q: ReturnType<typeof sql>) => Number((await h.database.db.execute<{ n: number }>(q)).rows[0]!.n);
  return {
    policies: await one(sql`select count(*)::int as n from policies`),
    calendars: await one(sql`select count(*)::int as n from calendar_years where year = ${year}`),
    adminEvents: await one(sql`select count(*)::int as n from admin_events`),
  };
}

function expectRefusedAsCountyAdmin(res: HttpResponse) {
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 403, type: 'urn:duban:problem:forbidden', detail: expect.stringMatching(/only the city's administrators may change city-wide data/) });
}

beforeAll(async () => {
  h = await startApiHarness('city-wide-data');
  cityAdmin = await h.as('admin');
  const made = await cityAdmin('POST', '/api/users', { body: { username: 'admin-a', displayName: '甲县管理员', role: 'admin', regionId: h.world.a.county.id, password: PASSWORD } });
  expect(made.status).toBe(201);
  const signedIn = await h.http.request('POST', '/api/auth/login', { body: { username: 'admin-a', password: PASSWORD } });
  countyAdmin = (method, path, opts = {}) => h.http.request(method, path, { token: signedIn.body.token, ...opts });
});
afterAll(async () => h?.stop());

describe('city-wide data', () => {
  it('refuses a county admin a new policy version or calendar year with 403, and writes nothing', async () => {
    const before = await counts();
    expectRefusedAsCountyAdmin(await countyAdmin('POST', '/api/policies', { body: policy('甲县化工') }));
    expectRefusedAsCountyAdmin(await countyAdmin('POST', '/api/calendars', { body: calendar }));
    expect(await counts()).toEqual(before);
  });

  it('lets the city admin change both', async () => {
    const saved = await cityAdmin('POST', '/api/policies', { body: policy('全市化工') });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.createdBy).toBe('admin');
    const published = await cityAdmin('POST', '/api/calendars', { body: calendar });
    expect(published.status, JSON.stringify(published.body)).toBe(202);
    expect((await counts()).calendars).toBe(1);
  });

  it('still lets the county admin read them, and manage the county', async () => {
    expect((await countyAdmin('GET', '/api/policies')).status).toBe(200);
    expect((await countyAdmin('GET', '/api/calendars')).status).toBe(200);
    const grid = await countyAdmin('POST', '/api/regions', { body: { id: 'grid-a-new', name: '新网格', level: 'grid', parentId: h.world.a.township.id } });
    expect(grid.status, JSON.stringify(grid.body)).toBe(201);
  });
});
