/**
 * A sign-in ends when its account changes: a password reset by an admin (the old password may
 * have leaked, and with it a token), a deactivation (which a re-activation does not undo), or a
 * move to another region. Each refusal is a 401 `session-ended` problem; a fresh sign-in works,
 * other people's sign-ins and the person's API keys are untouched, and nothing new is written to
 * the administrative record beyond the change itself, attributed to the admin who made it.
 */
import { desc, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_MEMO_MS } from '../../api/middleware/authenticate';
import { hashPassword } from '../../auth/passwords';
import { issueToken } from '../../auth/tokens';
import { withCreditCheckChar } from '../../domain/credit-code';
import { adminEvents, users } from '../../db/schema';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let admin: Requester;
let n = 0;

const login = (username: string, password = PASSWORD) => h.http.request('POST', '/api/auth/login', { body: { username, password } });
const me = (token: string) => h.http.request('GET', '/api/auth/me', { token });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectEnded(res: HttpResponse) {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 401, type: 'urn:duban:problem:unauthenticated', code: 'session-ended', detail: expect.stringMatching(/sign in again/) });
}

/** A person of county A with a password, and a token from signing in. */
async function signedInPerson(role: 'supervisor' | 'admin' = 'supervisor', extra: Record<string, unknown> = {}) {
  const username = `person-${++n}`;
  const created = await admin('POST', '/api/users', { body: { username, displayName: username, role, regionId: h.world.a.county.id, password: PASSWORD, ...extra } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const signedIn = await login(username);
  expect(signedIn.status).toBe(200);
  const token = signedIn.body.token as string;
  expect((await me(token)).status).toBe(200);
  return { id: created.body.id as string, username, token };
}

async function lastAdminSeq(): Promise<number> {
  const [row] = await h.database.db.select({ seq: adminEvents.chainSeq }).from(adminEvents).orderBy(desc(adminEvents.chainSeq)).limit(1);
  return row?.seq ?? 0;
}

beforeAll(async () => {
  h = await startApiHarness('session-end');
  admin = await h.as('admin');
});
afterAll(async () => h?.stop());

describe('a password reset by an admin', () => {
  it('ends the sign-ins made with the old password; the new password signs in; the only record is the reset, by the admin', async () => {
    const person = await signedInPerson();
    const other = await h.as('supervisor-a');
    expect((await other('GET', '/api/auth/me')).status).toBe(200);
    const before = await lastAdminSeq();

    const reset = await admin('POST', `/api/users/${person.id}/password`, { body: { password: 'a new password after a leak' } });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).not.toHaveProperty('sessionGeneration');

    // At once through this process (the one that reset it), on any route.
    expectEnded(await me(person.token));
    expectEnded(await h.http.request('GET', '/api/hazards', { token: person.token }));
    expect((await login(person.username)).status).toBe(401);
    const fresh = await login(person.username, 'a new password after a leak');
    expect(fresh.status).toBe(200);
    expect((await me(fresh.body.token)).body).toMatchObject({ username: person.username, via: 'token' });
    expectEnded(await me(person.token));

    // Nobody else's sign-in ended.
    expect((await other('GET', '/api/auth/me')).status).toBe(200);
    expect((await admin('GET', '/api/auth/me')).status).toBe(200);

    const events = await h.database.db.select().from(adminEvents).where(gt(adminEvents.chainSeq, before));
    expect(events.map((e) => ({ actor: e.actor, action: e.action, subjectId: e.subjectId }))).toEqual([{ actor: 'admin', action: 'user.password_reset', subjectId: person.id }]);
  });

  it('leaves the person’s API keys standing: a key is a credential of its own', async () => {
    const person = await signedInPerson('admin');
    const key = await h.http.request('POST', '/api/api-keys', { token: person.token, body: { name: 'script' } });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const withKey = () => h.http.request('GET', '/api/auth/me', { headers: { 'x-api-key': key.body.key } });
    expect((await withKey()).status).toBe(200);

    expect((await admin('POST', `/api/users/${person.id}/password`, { body: { password: 'a new password after a leak' } })).status).toBe(200);
    expectEnded(await me(person.token));
    const still = await withKey();
    expect(still.status).toBe(200);
    expect(still.body).toMatchObject({ username: person.username, via: 'api_key' });
  });

  it('made outside this process ends the sign-in within the memo’s bound, and a sign-in after it is taken at once', async () => {
    const person = await signedInPerson();
    // Straight in the database, as another API process would; this process remembers the
    // account as it read it for the request above.
    await h.database.db.update(users).set({ passwordHash: await hashPassword('reset elsewhere, long enough') }).where(eq(users.id, person.id));
    const [row] = await h.database.db.select({ generation: users.sessionGeneration }).from(users).where(eq(users.id, person.id));
    // A token of the new generation, as the other process's log-in would issue, is not refused
    // on the strength of this process's older memo.
    const elsewhere = await issueToken(h.deps.tokens, person.id, row!.generation);
    expect((await me(elsewhere.token)).status).toBe(200);
    expectEnded(await me(person.token));

    const another = await signedInPerson();
    await h.database.db.update(users).set({ passwordHash: await hashPassword('reset elsewhere, long enough') }).where(eq(users.id, another.id));
    await pause(PRINCIPAL_MEMO_MS + 50);
    expectEnded(await me(another.token));
    expect((await login(another.username, 'reset elsewhere, long enough')).status).toBe(200);
  });
});

describe('deactivation', () => {
  it('ends the sign-ins for good: re-activated, the account signs in afresh and the old token stays refused', async () => {
    const person = await signedInPerson();
    const off = await admin('PATCH', `/api/users/${person.id}`, { body: { active: false } });
    expect(off.status).toBe(200);
    const refused = await me(person.token);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/not active/);

    const on = await admin('PATCH', `/api/users/${person.id}`, { body: { active: true } });
    expect(on.status).toBe(200);
    expect(on.body).not.toHaveProperty('sessionGeneration');
    expectEnded(await me(person.token));
    const fresh = await login(person.username);
    expect(fresh.status).toBe(200);
    expect((await me(fresh.body.token)).status).toBe(200);
    expectEnded(await me(person.token));
  });

  it('and re-activation made outside this process keep the old token refused once the memo has run out', async () => {
    const person = await signedInPerson();
    await h.database.db.update(users).set({ active: false }).where(eq(users.id, person.id));
    await h.database.db.update(users).set({ active: true }).where(eq(users.id, person.id));
    await pause(PRINCIPAL_MEMO_MS + 50);
    expectEnded(await me(person.token));
    expect((await login(person.username)).status).toBe(200);
  });

  it('a change that changes nothing (active again while active, a new display name) ends nobody’s sign-in', async () => {
    const person = await signedInPerson();
    expect((await admin('PATCH', `/api/users/${person.id}`, { body: { active: true, displayName: '改过名的人' } })).status).toBe(200);
    const still = await me(person.token);
    expect(still.status).toBe(200);
    expect(still.body.username).toBe(person.username);
  });
});

describe('a move to another region', () => {
  it('ends the sign-ins of an enterprise’s people when the enterprise moves; a fresh sign-in has the new reach', async () => {
    const credit = withCreditCheckChar(`91320100MA${String(Date.now() % 1e6).padStart(6, '0')}9`.slice(0, 17));
    const enterprise = await admin('POST', '/api/enterprises', { body: { name: '戊新材料有限公司', creditCode: credit, regionId: h.world.a.grid.id } });
    expect(enterprise.status, JSON.stringify(enterprise.body)).toBe(201);
    const username = `enterprise-person-${++n}`;
    const made = await admin('POST', '/api/users', {
      body: { username, displayName: '戊安全员', role: 'enterprise', regionId: h.world.a.grid.id, enterpriseId: enterprise.body.id, password: PASSWORD },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const token = (await login(username)).body.token as string;
    expect((await me(token)).body).toMatchObject({ regionId: h.world.a.grid.id });
    const bystander = await signedInPerson();

    const moved = await admin('PATCH', `/api/enterprises/${enterprise.body.id}`, { body: { regionId: h.world.a.township.id } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expectEnded(await me(token));
    const fresh = await login(username);
    expect(fresh.body.user).toMatchObject({ regionId: h.world.a.township.id });
    expect((await me(fresh.body.token)).body).toMatchObject({ regionId: h.world.a.township.id, regionPath: h.world.a.township.path });
    expect((await me(bystander.token)).status).toBe(200);
  });

  it('made in the database (role, region or enterprise) ends the sign-in too', async () => {
    const person = await signedInPerson();
    await h.database.db.update(users).set({ regionId: h.world.a.township.id }).where(eq(users.id, person.id));
    await pause(PRINCIPAL_MEMO_MS + 50);
    expectEnded(await me(person.token));
    const fresh = (await login(person.username)).body.token as string;
    await h.database.db.update(users).set({ role: 'leader' }).where(eq(users.id, person.id));
    await pause(PRINCIPAL_MEMO_MS + 50);
    expectEnded(await me(fresh));
  });
});
