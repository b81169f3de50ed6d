/**
 * What admins change in the directory and the city-wide data, through HTTP: regions renamed and
 * given an agency short name, enterprises searched and edited (credit codes checked), passwords
 * reset, API keys listed, policy versions compared with the one before, calendar publications
 * listed. Bad input is a 4xx naming the field; out of reach is 404 (a county's admin, county B);
 * each change leaves its row in the administrative chain.
 */
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEvents } from '../../db/schema';
import { withCreditCheckChar } from '../../domain/credit-code';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';

let h: ApiHarness;
let admin: Requester;
/** An admin of county A only. */
let adminA: Requester;
let n = 0;
const code = () => withCreditCheckChar(`91320100MA${String(Date.now() % 1e6).padStart(6, '0')}${++n}`.slice(0, 17));

async function lastEvent(subjectId: string) {
  const [row] = await h.database.db.select().from(adminEvents).where(eq(adminEvents.subjectId, subjectId)).orderBy(desc(adminEvents.chainSeq)).limit(1);
  return row;
}

beforeAll(async () => {
  h = await startApiHarness('directory-changes');
  admin = await h.as('admin');
  const password = 'county admin password';
  const created = await admin('POST', '/api/users', { body: { username: 'admin-a', displayName: '甲县管理员', role: 'admin', regionId: h.world.a.county.id, password } });
  expect(created.status).toBe(201);
  const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'admin-a', password } });
  adminA = (method, path, opts = {}) => h.http.request(method, path, { token: login.body.token, ...opts });
});
afterAll(async () => h?.stop());

describe('regions', () => {
  it('are renamed and given an agency short name, on the record as before and after', async () => {
    const res = await adminA('PATCH', `/api/regions/${h.world.a.township.id}`, { body: { name: '甲镇（新）', agencyShortName: '甲镇应急' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: h.world.a.township.id, name: '甲镇（新）', agencyShortName: '甲镇应急' });
    const event = await lastEvent(h.world.a.township.id);
    expect(event).toMatchObject({ actor: 'admin-a', action: 'region.updated' });
    expect(event!.data).toEqual({ name: { before: h.world.a.township.name, after: '甲镇（新）' }, agencyShortName: { before: null, after: '甲镇应急' } });
    const cleared = await adminA('PATCH', `/api/regions/${h.world.a.township.id}`, { body: { agencyShortName: null } });
    expect(cleared.body.agencyShortName).toBeNull();
  });

  it('refuse bad input naming the field, and a region out of reach as a missing one', async () => {
    const bad = await adminA('PATCH', `/api/regions/${h.world.a.township.id}`, { body: { agencyShortName: '甲〔镇〕' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['agencyShortName']);
    expect((await adminA('PATCH', `/api/regions/${h.world.a.township.id}`, { body: {} })).status).toBe(400);
    const outOfReach = await adminA('PATCH', `/api/regions/${h.world.b.county.id}`, { body: { name: 'x' } });
    const nowhere = await adminA('PATCH', '/api/regions/no-such-region', { body: { name: 'x' } });
    expect(outOfReach.status).toBe(404);
    expect(outOfReach.body.detail).toBe(nowhere.body.detail);
    expect((await h.as('leader-city').then((l) => l('PATCH', `/api/regions/${h.world.a.grid.id}`, { body: { name: 'x' } }))).status).toBe(403);
  });
});

describe('enterprises', () => {
  let id: string;

  it('are refused with a mistyped credit code, naming the field and the check character', async () => {
    const good = code();
    const typo = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await adminA('POST', '/api/enterprises', { body: { name: '丁化工有限公司', creditCode: typo, regionId: h.world.a.grid.id } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'creditCode', code: expect.any(String), message: expect.stringMatching(/check character/) }]);
    const created = await adminA('POST', '/api/enterprises', { body: { name: '丁化工有限公司', creditCode: good, regionId: h.world.a.grid.id, responsibleLeaderId: h.world.users['leader-a'] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    id = created.body.id;
  });

  it('are found by part of the name or the beginning of the credit code, within reach only', async () => {
    const byName = await adminA('GET', `/api/enterprises?q=${encodeURIComponent('丁化')}`);
    expect(byName.body.items.map((e: { id: string }) => e.id)).toEqual([id]);
    const created = (await adminA('GET', `/api/enterprises/${id}`)).body;
    const byCode = await adminA('GET', `/api/enterprises?q=${created.creditCode.slice(0, 14).toLowerCase()}`);
    expect(byCode.body.items.map((e: { id: string }) => e.id)).toContain(id);
    expect((await adminA('GET', `/api/enterprises?q=${encodeURIComponent('乙机械')}`)).body.items).toEqual([]);
    expect((await admin('GET', `/api/enterprises?q=${encodeURIComponent('乙机械')}`)).body.items).toHaveLength(1);
  });

  it('are edited (leader, industry, person, region while nothing is on record), each change on the record', async () => {
    const res = await adminA('PATCH', `/api/enterprises/${id}`, { body: { industry: '危险化学品', responsiblePerson: '王五 13800000000', responsibleLeaderId: null, regionId: h.world.a.township.id } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ industry: '危险化学品', responsibleLeaderId: null, regionId: h.world.a.township.id, regionPath: h.world.a.township.path });
    const event = await lastEvent(id);
    expect(event).toMatchObject({ actor: 'admin-a', action: 'enterprise.updated' });
    expect(event!.data).toMatchObject({ responsibleLeaderId: { before: h.world.users['leader-a'], after: null }, industry: { before: null, after: '危险化学品' } });
  });

  it('refuse a leader who is none or out of reach, a region out of reach, and a move once records exist', async () => {
    const notLeader = await adminA('PATCH', `/api/enterprises/${id}`, { body: { responsibleLeaderId: h.world.users['supervisor-a'] } });
    expect(notLeader.status).toBe(422);
    expect(notLeader.body.errors[0].field).toBe('responsibleLeaderId');
    const region = await adminA('PATCH', `/api/enterprises/${id}`, { body: { regionId: h.world.b.grid.id } });
    expect(region.status).toBe(422);
    expect(region.body.errors[0].field).toBe('regionId');
    expect((await adminA('PATCH', `/api/enterprises/${id}`, { body: { creditCode: 'ABC' } })).body.errors[0].field).toBe('creditCode');
    expect((await adminA('PATCH', `/api/enterprises/${h.world.enterpriseB}`, { body: { industry: 'x' } })).status).toBe(404);

    const sup = await h.as('supervisor-a');
    const hazard = await sup('POST', '/api/hazards', {
      body: { enterpriseId: h.world.enterpriseA, title: '消防通道堵塞', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 10) },
    });
    expect(hazard.status, JSON.stringify(hazard.body)).toBe(201);
    const moved = await admin('PATCH', `/api/enterprises/${h.world.enterpriseA}`, { body: { regionId: h.world.a.township.id } });
    expect(moved.status).toBe(422);
    expect(moved.body.errors[0]).toMatchObject({ field: 'regionId', message: expect.stringMatching(/keeps its region/) });
  });
});

describe('users', () => {
  it('are listed by role, kind or a part of their names, within reach', async () => {
    const leaders = await adminA('GET', '/api/users?role=leader');
    expect(leaders.body.items.map((u: { username: string }) => u.username)).toEqual(['leader-a']);
    const cityLeaders = await admin('GET', '/api/users?role=leader');
    expect(cityLeaders.body.items.map((u: { username: string }) => u.username).sort()).toEqual(['leader-a', 'leader-city']);
    const found = await admin('GET', '/api/users?q=SUPERVISOR');
    expect(found.body.items.map((u: { username: string }) => u.username).sort()).toEqual(['supervisor-a', 'supervisor-b']);
    expect((await admin('GET', '/api/users?role=chief')).status).toBe(400);
  });

  it('get a new password from an admin: the old one stops working, nothing of it is recorded', async () => {
    const id = h.world.users['grid-a'];
    const short = await adminA('POST', `/api/users/${id}/password`, { body: { password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.errors[0].field).toBe('password');
    const res = await adminA('POST', `/api/users/${id}/password`, { body: { password: 'a brand new password' } });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('passwordHash');
    expect((await h.http.request('POST', '/api/auth/login', { body: { username: 'grid-a', password: 'a brand new password' } })).status).toBe(200);
    const event = await lastEvent(id);
    expect(event).toMatchObject({ actor: 'admin-a', action: 'user.password_reset', data: {} });
    expect((await adminA('POST', `/api/users/${h.world.users['supervisor-b']}/password`, { body: { password: 'a brand new password' } })).status).toBe(404);
  });

  it('refuse a password for a service account', async () => {
    const service = await adminA('POST', '/api/service-accounts', { body: { name: 'ledger-sync', system: '台账同步', role: 'supervisor', regionId: h.world.a.county.id } });
    const res = await adminA('POST', `/api/users/${service.body.id}/password`, { body: { password: 'a brand new password' } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('password');
  });
});

describe('API keys', () => {
  it('are listed within reach, names and dates only, revoked ones marked', async () => {
    const mine = await adminA('POST', '/api/api-keys', { body: { name: '甲县自用' } });
    const cityKey = await admin('POST', '/api/api-keys', { body: { name: '市局自用' } });
    await adminA('POST', `/api/api-keys/${mine.body.id}/revocation`);
    const listed = await adminA('GET', '/api/api-keys');
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((k: { id: string }) => k.id);
    expect(ids).toContain(mine.body.id);
    expect(ids).not.toContain(cityKey.body.id);
    expect(listed.body.items.find((k: { id: string }) => k.id === mine.body.id)).toMatchObject({ name: '甲县自用', username: 'admin-a', kind: 'person', revokedAt: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toMatch(/keyHash|dbk_/);
    expect((await admin('GET', '/api/api-keys')).body.items.map((k: { id: string }) => k.id)).toEqual(expect.arrayContaining([mine.body.id, cityKey.body.id]));
    expect((await (await h.as('leader-city'))('GET', '/api/api-keys')).status).toBe(403);
  });
});

describe('policies', () => {
  it('name the field a bad version breaks, and show a version against the one before', async () => {
    const industry = '差异测试行业';
    const first = await admin('POST', '/api/policies', { body: { grade: 'general', industry, policy: DEFAULT_POLICIES.general, note: '初版' } });
    expect(first.status).toBe(201);
    const changed = structuredClone(DEFAULT_POLICIES.general);
    changed.escalation[1]!.afterDays = 1;
    const bad = await admin('POST', '/api/policies', { body: { grade: 'general', industry, policy: changed } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'policy.escalation.1.afterDays', code: expect.any(String), message: 'escalation steps must come later one after another' }]);
    changed.escalation[1]!.afterDays = 2;
    changed.extension!.maxCount = 3;
    const second = await admin('POST', '/api/policies', { body: { grade: 'general', industry, policy: changed, note: '提前升级' } });
    expect(second.body.version).toBe(2);

    const shown = await (await h.as('supervisor-a'))('GET', `/api/policies/${second.body.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.previous).toMatchObject({ id: first.body.id, version: 1 });
    expect(shown.body).toMatchObject({ createdBy: 'admin', createdByName: 'admin' });
    expect(shown.body.changes).toEqual([
      { path: 'escalation.1.afterDays', before: 3, after: 2 },
      { path: 'extension.maxCount', before: 2, after: 3 },
    ]);
    const firstShown = await admin('GET', `/api/policies/${first.body.id}`);
    expect(firstShown.body).toMatchObject({ previous: null, changes: [] });
    expect((await admin('GET', '/api/policies/999999')).status).toBe(404);
    expect((await admin('GET', '/api/policies')).body.vocabulary.recipientRoles).toContain('supervisor_chief');
    expect((await adminA('POST', '/api/policies', { body: { grade: 'general', industry, policy: changed } })).status).toBe(403);
  });
});

describe('calendar publications', () => {
  it('are listed newest first with their progress; a bad day is named by its place', async () => {
    const year = Number(shanghaiDate(Date.now()).slice(0, 4)) + 25;
    const bad = await admin('POST', '/api/calendars', { body: { year, source: '测试', holidays: [{ date: `${year}-01-01`, name: '元旦' }, { date: `${year + 1}-01-02`, name: '错' }], workdays: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['holidays.1.date']);
    const published = await admin('POST', '/api/calendars', { body: { year, source: '测试', holidays: [{ date: `${year}-01-01`, name: '元旦' }], workdays: [] } });
    expect(published.status).toBe(202);
    const listed = await adminA('GET', '/api/calendars/publications');
    expect(listed.status).toBe(200);
    expect(listed.body.items[0]).toMatchObject({ publicationId: published.body.publicationId, year, publishedBy: 'admin', publishedByName: 'admin' });
    expect((await (await h.as('leader-city'))('GET', '/api/calendars/publications')).status).toBe(403);
  });
});
