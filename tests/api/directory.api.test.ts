/** The directory through HTTP: admins build the tree, enterprises and people; lists page by cursor. */
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEvents } from '../../db/schema';
import { withCreditCheckChar } from '../../domain/credit-code';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';

let h: ApiHarness;
let admin: Requester;

beforeAll(async () => {
  h = await startApiHarness('directory');
  admin = await h.as('admin');
});
afterAll(async () => h?.stop());

describe('directory', () => {
  it('builds the region tree level by level and refuses a wrong parent', async () => {
    const city = h.world.a.city.id;
    const county = await admin('POST', '/api/regions', { body: { id: 'county-new', name: '新区', level: 'county', parentId: city } });
    expect(county.status).toBe(201);
    expect(county.body.path).toBe(`/${city}/county-new/`);
    const gridUnderCity = await admin('POST', '/api/regions', { body: { id: 'grid-x', name: '网格', level: 'grid', parentId: city } });
    expect(gridUnderCity.status).toBe(422);
    expect(gridUnderCity.body.errors).toEqual([{ field: 'parentId', message: 'a grid belongs under a township, not a city' }]);
    expect((await admin('POST', '/api/regions', { body: { id: 'county-new', name: '重复', level: 'county', parentId: city } })).status).toBe(422);
    expect((await admin('POST', '/api/regions', { body: { id: 'bad id!', name: 'x', level: 'county', parentId: city } })).status).toBe(400);
  });

  it('creates an enterprise and its user, who can then sign in and sees only that enterprise', async () => {
    const created = await admin('POST', '/api/enterprises', {
      body: { name: '丙建材有限公司', creditCode: withCreditCheckChar('91320100MA1TEHT0X'), regionId: h.world.a.grid.id, responsibleLeaderId: h.world.users['leader-a'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await admin('POST', '/api/enterprises', { body: { name: 'x', creditCode: 'short', regionId: h.world.a.grid.id } })).status).toBe(400);
    const wrongLeader = await admin('POST', '/api/enterprises', {
      body: { name: '丁', creditCode: withCreditCheckChar('91320100MA1TEHT0Y'), regionId: h.world.a.grid.id, responsibleLeaderId: h.world.users['supervisor-a'] },
    });
    expect(wrongLeader.body.errors).toEqual([{ field: 'responsibleLeaderId', message: 'must be a leader within your jurisdiction' }]);

    const noEnterprise = await admin('POST', '/api/users', {
      body: { username: 'bing-user', displayName: '丙安全员', role: 'enterprise', regionId: h.world.a.grid.id, password: 'a long enough password' },
    });
    expect(noEnterprise.status).toBe(422);
    const user = await admin('POST', '/api/users', {
      body: { username: 'bing-user', displayName: '丙安全员', role: 'enterprise', regionId: h.world.a.grid.id, enterpriseId: created.body.id, password: 'a long enough password' },
    });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    expect(user.body).not.toHaveProperty('passwordHash');
    const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'bing-user', password: 'a long enough password' } });
    expect(login.status).toBe(200);
    const mine = await h.http.request('GET', '/api/enterprises', { token: login.body.token });
    expect(mine.body.items.map((e: { id: string }) => e.id)).toEqual([created.body.id]);

    // Every change is on the administrative chain, attributed to the admin.
    const events = await h.database.db.select().from(adminEvents).orderBy(asc(adminEvents.chainSeq));
    expect(events.filter((e) => e.actor === 'admin').map((e) => e.action)).toEqual(['region.created', 'enterprise.created', 'user.created']);
    expect(JSON.stringify(events)).not.toContain('a long enough password');
  });

  it('pages enterprises, regions and users by cursor', async () => {
    const all = await admin('GET', '/api/enterprises');
    expect(all.body.items.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await admin('GET', `/api/enterprises?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBe(1);
      seen.push(page.body.items[0]!.id);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((e: { id: string }) => e.id));

    const regions1 = await admin('GET', '/api/regions?limit=2');
    const regions2 = await admin('GET', `/api/regions?limit=2&cursor=${regions1.body.nextCursor}`);
    expect(regions2.body.items[0].path > regions1.body.items[1].path).toBe(true);
    const users1 = await admin('GET', '/api/users?limit=3');
    expect(users1.body.items).toHaveLength(3);
    expect(users1.body.nextCursor).toEqual(expect.any(String));
    expect((await admin('GET', '/api/enterprises?cursor=nonsense')).status).toBe(400);
  });

  it("limits each reader to their jurisdiction's subtree", async () => {
    const leaderA = await h.as('leader-a');
    const regions = await leaderA('GET', '/api/regions');
    expect(regions.body.items.map((r: { id: string }) => r.id).sort()).toEqual([h.world.a.county.id, h.world.a.township.id, h.world.a.grid.id].sort());
    const enterprises = await leaderA('GET', '/api/enterprises');
    expect(enterprises.body.items.map((e: { id: string }) => e.id)).toContain(h.world.enterpriseA);
    expect(enterprises.body.items.map((e: { id: string }) => e.id)).not.toContain(h.world.enterpriseB);
  });

  it('deactivates an account at once (its tokens stop working for good) and can restore it', async () => {
    const created = await admin('POST', '/api/users', {
      body: { username: 'temp-inspector', displayName: '临时执法员', role: 'supervisor', regionId: h.world.a.county.id, password: 'a long enough password' },
    });
    const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'temp-inspector', password: 'a long enough password' } });
    const token = login.body.token as string;
    expect((await h.http.request('GET', '/api/hazards', { token })).status).toBe(200);

    const off = await admin('PATCH', `/api/users/${created.body.id}`, { body: { active: false } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false });
    expect(off.body).not.toHaveProperty('passwordHash');
    expect((await h.http.request('GET', '/api/hazards', { token })).status).toBe(401);
    expect((await h.http.request('POST', '/api/auth/login', { body: { username: 'temp-inspector', password: 'a long enough password' } })).status).toBe(401);

    expect((await admin('PATCH', `/api/users/${created.body.id}`, { body: { active: true, displayName: '执法员' } })).body).toMatchObject({ active: true, displayName: '执法员' });
    // Active again, it signs in afresh: the sign-in from before stays ended.
    const again = await h.http.request('GET', '/api/hazards', { token });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('session-ended');
    const fresh = await h.http.request('POST', '/api/auth/login', { body: { username: 'temp-inspector', password: 'a long enough password' } });
    expect((await h.http.request('GET', '/api/hazards', { token: fresh.body.token })).status).toBe(200);

    expect((await admin('PATCH', `/api/users/${h.world.users.admin}`, { body: { active: false } })).status).toBe(422);
    expect((await admin('PATCH', `/api/users/${created.body.id}`, { body: {} })).status).toBe(400);
    expect((await (await h.as('leader-a'))('PATCH', `/api/users/${created.body.id}`, { body: { active: false } })).status).toBe(403);
  });

  it('revokes an API key at once; revoking again changes nothing', async () => {
    const issued = await admin('POST', '/api/api-keys', { body: { name: '管理员脚本' } });
    const withKey = () => h.http.request('GET', '/api/hazards', { headers: { 'x-api-key': issued.body.key } });
    expect((await withKey()).status).toBe(200);
    const revoked = await admin('POST', `/api/api-keys/${issued.body.id}/revocation`);
    expect(revoked.status).toBe(200);
    expect((await withKey()).status).toBe(401);
    const again = await admin('POST', `/api/api-keys/${issued.body.id}/revocation`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const actions = (await h.database.db.select().from(adminEvents).orderBy(asc(adminEvents.chainSeq))).map((e) => e.action);
    expect(actions.filter((a) => a === 'api_key.revoked')).toHaveLength(1);
  });
});
