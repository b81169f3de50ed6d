/**
 * Keys belong to people: an API key acts as the person who made it, or as a service account that
 * an admin made for another system and that is named as such in every record it makes. Nobody
 * can make a credential that acts as another person.
 */
import { asc, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { recordAdminChange } from '../../db/admin-audit';
import { revokeKeysActingForOthers } from '../../db/directory';
import { adminEvents, apiKeys, users } from '../../db/schema';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let admin: Requester;
let supA: Requester;

const withKey = (key: string) => (method: string, path: string, body?: unknown) => h.http.request(method, path, { headers: { 'x-api-key': key }, body });
/** Refused by the database's own rule of that name. */
async function violates(write: PromiseLike<unknown>, constraint: string) {
  const error = await Promise.resolve(write).then(
    () => null,
    (e: { cause?: { constraint?: string } }) => e,
  );
  expect(error?.cause?.constraint).toBe(constraint);
}

const keyCount = async () => Number((await h.database.db.execute<{ n: number }>(sql`select count(*)::int as n from api_keys`)).rows[0]!.n);

async function newHazard(): Promise<string> {
  const res = await supA('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '配电箱未接地', category: '用电安全', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 10) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

beforeAll(async () => {
  h = await startApiHarness('service-accounts');
  [admin, supA] = await Promise.all([h.as('admin'), h.as('supervisor-a')]);
});
afterAll(async () => h?.stop());

describe('an API key acts as the person who made it', () => {
  it('refuses a key for another person with 422 naming userId, and makes nothing', async () => {
    const before = await keyCount();
    for (const userId of [h.world.users['leader-a'], h.world.users.admin]) {
      const res = await admin('POST', '/api/api-keys', { body: { userId, name: '冒名密钥' } });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'userId', message: expect.stringMatching(/service account/) }]);
    }
    expect(await keyCount()).toBe(before);
  });

  it('makes a key for the caller: it acts as the caller, and the caller is named in what it does', async () => {
    const res = await admin('POST', '/api/api-keys', { body: { name: '管理员脚本' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^dbk_/) });
    const me = await withKey(res.body.key)('GET', '/api/auth/me');
    expect(me.body).toMatchObject({ username: 'admin', kind: 'person', via: 'api_key' });
    const [row] = await h.database.db.select().from(apiKeys).where(eq(apiKeys.id, res.body.id));
    expect(row!.userId).toBe(h.world.users.admin);
  });
});

describe('keys made before keys belonged to people', () => {
  it('are revoked when the database is migrated if they act as someone other than their maker; the rest stay', async () => {
    const db = h.database.db;
    // As the old code made it: an admin's key acting as a leader.
    const legacy = await db.transaction(async (tx) => {
      const [row] = await tx.insert(apiKeys).values({ userId: h.world.users['leader-a'], name: '旧密钥', keyHash: `legacy-${Date.now()}` }).returning({ id: apiKeys.id });
      await recordAdminChange(tx, { actor: 'admin', action: 'api_key.created', subjectType: 'api_key', subjectId: row!.id, data: { userId: h.world.users['leader-a'], name: '旧密钥' } });
      return row!.id;
    });
    const own = await admin('POST', '/api/api-keys', { body: { name: '自用' } });
    expect(own.status).toBe(201);

    expect(await revokeKeysActingForOthers(db)).toEqual([legacy]);
    const keys = await db.select().from(apiKeys);
    expect(keys.find((k) => k.id === legacy)!.revokedAt).not.toBeNull();
    expect(keys.filter((k) => k.id !== legacy).every((k) => k.revokedAt === null)).toBe(true);
    expect((await withKey(own.body.key)('GET', '/api/auth/me')).status).toBe(200);
    const [event] = await db.select().from(adminEvents).where(eq(adminEvents.subjectId, legacy)).orderBy(desc(adminEvents.chainSeq)).limit(1);
    expect(event).toMatchObject({ actor: 'system', action: 'api_key.revoked', data: { userId: h.world.users['leader-a'], reason: expect.stringMatching(/someone other/) } });
    // Once none is left, nothing changes.
    expect(await revokeKeysActingForOthers(db)).toEqual([]);
  });
});

describe('service accounts', () => {
  let account: { id: string; username: string };
  let key: string;

  it('are made by an admin with a role and a jurisdiction, named as a system, without a password', async () => {
    const res = await admin('POST', '/api/service-accounts', {
      body: { name: 'ledger-a', system: '甲县台账系统', role: 'leader', regionId: h.world.a.county.id },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ username: 'system:ledger-a', displayName: '系统对接：甲县台账系统', kind: 'service', role: 'leader', regionId: h.world.a.county.id, active: true });
    expect(res.body).not.toHaveProperty('passwordHash');
    account = res.body;
    const issued = await admin('POST', `/api/service-accounts/${account.id}/api-keys`, { body: { name: '台账同步' } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^dbk_/) });
    key = issued.body.key;

    // Both are on the administrative chain, made by the admin.
    const events = await h.database.db.select().from(adminEvents).orderBy(asc(adminEvents.chainSeq));
    expect(events.filter((e) => e.subjectId === account.id || e.subjectId === issued.body.id).map((e) => [e.actor, e.action])).toEqual([
      ['admin', 'service_account.created'],
      ['admin', 'api_key.created'],
    ]);
  });

  it('name the service account, never a person, in the records its key makes', async () => {
    const id = await newHazard();
    const voided = await withKey(key)('POST', `/api/hazards/${id}/void`, { kind: 'misreport', reason: '系统核对：重复登记' });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body.voided).toMatchObject({ by: 'system:ledger-a' });
    expect(voided.body.timeline.at(-1)).toMatchObject({ type: 'voided', actor: 'system:ledger-a' });
    const me = await withKey(key)('GET', '/api/auth/me');
    expect(me.body).toMatchObject({ username: 'system:ledger-a', kind: 'service', role: 'leader', via: 'api_key' });
  });

  it('cannot sign in, and cannot be given a password', async () => {
    const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'system:ledger-a', password: PASSWORD } });
    expect(login.status).toBe(401);
    await violates(h.database.db.update(users).set({ passwordHash: 'x' }).where(eq(users.id, account.id)), 'users_service_has_no_password');
  });

  it('are the only accounts a key is made for on someone else’s behalf', async () => {
    const person = await admin('POST', `/api/service-accounts/${h.world.users['leader-a']}/api-keys`, { body: { name: '冒名密钥' } });
    expect(person.status).toBe(404);
    // No person can carry a service account's name, and no service account a person's.
    expect((await admin('POST', '/api/users', { body: { username: 'system:fake', displayName: '系统对接：假', role: 'leader', regionId: h.world.a.county.id } })).status).toBe(400);
    await violates(h.database.db.insert(users).values({ username: 'system:sneaky', displayName: '张三', role: 'leader', regionId: h.world.a.county.id, kind: 'service' }), 'users_service_named_as_such');
    await violates(h.database.db.insert(users).values({ username: 'system:person', displayName: '李四', role: 'leader', regionId: h.world.a.county.id }), 'users_service_named_as_such');
    await violates(h.database.db.insert(users).values({ username: 'sneaky', displayName: '系统对接：假', role: 'leader', regionId: h.world.a.county.id, kind: 'service' }), 'users_service_named_as_such');
  });

  it('keep their system name when renamed, and stop working when deactivated', async () => {
    const renamed = await admin('PATCH', `/api/users/${account.id}`, { body: { displayName: '甲县新台账系统' } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.displayName).toBe('系统对接：甲县新台账系统');
    expect((await admin('PATCH', `/api/users/${account.id}`, { body: { active: false } })).status).toBe(200);
    expect((await withKey(key)('GET', '/api/auth/me')).status).toBe(401);
  });

  it('are within the admin’s jurisdiction, like everything else an admin manages', async () => {
    const madeB = await admin('POST', '/api/service-accounts', { body: { name: 'ledger-b', system: '乙县台账系统', role: 'supervisor', regionId: h.world.b.county.id } });
    expect(madeB.status).toBe(201);
    expect((await admin('POST', '/api/users', { body: { username: 'admin-a', displayName: '甲县管理员', role: 'admin', regionId: h.world.a.county.id, password: PASSWORD } })).status).toBe(201);
    const signedIn = await h.http.request('POST', '/api/auth/login', { body: { username: 'admin-a', password: PASSWORD } });
    const adminA: Requester = (method, path, opts = {}) => h.http.request(method, path, { token: signedIn.body.token, ...opts });
    expect((await adminA('POST', `/api/service-accounts/${madeB.body.id}/api-keys`, { body: { name: 'x' } })).status).toBe(404);
    const outside = await adminA('POST', '/api/service-accounts', { body: { name: 'ledger-b2', system: '乙县系统', role: 'supervisor', regionId: h.world.b.county.id } });
    expect(outside.status).toBe(422);
    expect(outside.body.errors).toEqual([{ field: 'regionId', message: 'no such region within your jurisdiction' }]);
    // The name is taken once, whoever asks.
    const again = await admin('POST', '/api/service-accounts', { body: { name: 'ledger-b', system: '乙县台账系统', role: 'supervisor', regionId: h.world.b.county.id } });
    expect(again.status).toBe(422);
    expect(again.body.errors[0].field).toBe('name');
  });
});
