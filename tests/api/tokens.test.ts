/**
 * Attacks on the ways in: forged, foreign, stale and malformed tokens; API keys; log-in
 * guessing. Every refusal is a 401 (or 429) problem+json that says nothing about which part was
 * wrong beyond what the caller already knows.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_CLAIM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../auth/tokens';
import { PRINCIPAL_MEMO_MS } from '../../api/middleware/authenticate';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { apiKeys, users } from '../../db/schema';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let admin: Requester;
let supA: Requester;
let supB: Requester;
let hazardA: string;
let hazardB: string;

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function expectProblem(res: HttpResponse, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.stringMatching(/^urn:duban:problem:/) });
}

const bearer = (token: string, path = '/api/auth/me') => h.http.request('GET', path, { token });
const withHeaders = (headers: Record<string, string>, path = '/api/auth/me') => h.http.request('GET', path, { headers });

/** Claims of a token the API would accept for `sub` (an account never changed), minus or plus what a test changes. */
function claims(sub: string, over: Record<string, unknown> = {}) {
  return { sub, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now(), exp: now() + 600, [SESSION_CLAIM]: 0, ...over };
}

/** HS256 with the API's own secret, assembled by hand so any claim can be left out or bent. */
function signed(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }, secret: Uint8Array = h.deps.tokens.secret, hmac = 'sha256') {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hmac, secret).update(input).digest('base64url')}`;
}

const newHazard = (enterpriseId: string) => ({
  enterpriseId,
  title: '消防通道堵塞',
  category: '消防安全',
  source: 'inspection',
  grade: 'general',
  deadline: addDays(shanghaiDate(Date.now()), 10),
});

/** Waits for a fresh rate-limit window if the current one ends within `margin` seconds. */
async function freshWindow(windowSeconds: number, margin: number) {
  const left = windowSeconds * 1000 - (Date.now() % (windowSeconds * 1000));
  if (left < margin * 1000) await new Promise((r) => setTimeout(r, left + 50));
}

async function createLoginUser(username: string, role = 'supervisor'): Promise<string> {
  const res = await admin('POST', '/api/users', {
    body: { username, displayName: username, role, regionId: h.world.a.county.id, password: PASSWORD },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const login = (username: string, password: string) => h.http.request('POST', '/api/auth/login', { body: { username, password } });

beforeAll(async () => {
  h = await startApiHarness('tokens');
  [admin, supA, supB] = await Promise.all([h.as('admin'), h.as('supervisor-a'), h.as('supervisor-b')]);
  const [a, b] = await Promise.all([
    supA('POST', '/api/hazards', { body: newHazard(h.world.enterpriseA) }),
    supB('POST', '/api/hazards', { body: newHazard(h.world.enterpriseB) }),
  ]);
  expect(a.status).toBe(201);
  expect(b.status).toBe(201);
  hazardA = a.body.id;
  hazardB = b.body.id;
});
afterAll(async () => h?.stop());

describe('bearer tokens', () => {
  it('accepts a token the API issued, and one assembled the same way with its secret (the control)', async () => {
    const me = await (await h.as('supervisor-a'))('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'supervisor-a', via: 'token' });
    const handmade = await bearer(signed(claims(h.world.users['supervisor-a'])));
    expect(handmade.status).toBe(200);
    expect(handmade.body.username).toBe('supervisor-a');
  });

  it('refuses an unsigned token (alg: none), however it is spelled', async () => {
    const sub = h.world.users.admin;
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const token = `${b64({ alg, typ: 'JWT' })}.${b64(claims(sub))}.`;
      expectProblem(await bearer(token), 401);
      // Even with a signature part that would verify under HS256.
      const input = `${b64({ alg, typ: 'JWT' })}.${b64(claims(sub))}`;
      expectProblem(await bearer(`${input}.${createHmac('sha256', h.deps.tokens.secret).update(input).digest('base64url')}`), 401);
    }
  });

  it('refuses a token signed with another key', async () => {
    const sub = h.world.users.admin;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(randomBytes(32));
    expectProblem(await bearer(token), 401);
    // A tampered payload under the real signature.
    const real = signed(claims(h.world.users['enterprise-a']));
    const [head, , sig] = real.split('.');
    expectProblem(await bearer(`${head}.${b64(claims(sub))}.${sig}`), 401);
  });

  it('refuses other algorithms than HS256, including RS256 confusion and an embedded key', async () => {
    const sub = h.world.users.admin;
    // RS256 label, HMAC-signed with the shared secret (the classic key-confusion forgery).
    expectProblem(await bearer(signed(claims(sub), { alg: 'RS256', typ: 'JWT' })), 401);
    // A genuine RS256 token from a key the API never saw, with and without the key in the header.
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const rs = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setSubject(sub).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(privateKey);
    expectProblem(await bearer(rs), 401);
    const jwk = await exportJWK(publicKey);
    const embedded = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', jwk }).setSubject(sub).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(privateKey);
    expectProblem(await bearer(embedded), 401);
    // The right secret under a stronger HMAC is still not the algorithm the API issues.
    expectProblem(await bearer(signed(claims(sub), { alg: 'HS512', typ: 'JWT' }, h.deps.tokens.secret, 'sha512')), 401);
    expectProblem(await bearer(signed(claims(sub), { alg: 'HS384', typ: 'JWT' }, h.deps.tokens.secret, 'sha384')), 401);
  });

  it('refuses the wrong issuer or audience', async () => {
    const sub = h.world.users.admin;
    expectProblem(await bearer(signed(claims(sub, { iss: 'someone-else' }))), 401);
    expectProblem(await bearer(signed(claims(sub, { iss: undefined }))), 401);
    expectProblem(await bearer(signed(claims(sub, { aud: 'another-api' }))), 401);
    expectProblem(await bearer(signed(claims(sub, { aud: undefined }))), 401);
  });

  it('refuses expired, not yet valid, too old and expiry-less tokens', async () => {
    const sub = h.world.users.admin;
    const expired = await bearer(signed(claims(sub, { iat: now() - 1200, exp: now() - 60 })));
    expectProblem(expired, 401);
    expect(expired.body.detail).toBe('token expired');
    expectProblem(await bearer(signed(claims(sub, { exp: undefined }))), 401);
    expectProblem(await bearer(signed(claims(sub, { iat: undefined }))), 401);
    expectProblem(await bearer(signed(claims(sub, { nbf: now() + 600 }))), 401);
    // Issued long ago with a far expiry: older than any token the API would issue.
    expectProblem(await bearer(signed(claims(sub, { iat: now() - 7200, exp: now() + 3600 }))), 401);
    expectProblem(await bearer(signed(claims(sub, { exp: String(now() + 600) }))), 401);
  });

  it('refuses tokens without a known, active subject', async () => {
    expectProblem(await bearer(signed(claims(randomUUID()))), 401);
    expectProblem(await bearer(signed(claims('admin'))), 401);
    expectProblem(await bearer(signed(claims(`${h.world.users.admin}' or '1'='1`))), 401);
    expectProblem(await bearer(signed(claims(h.world.users.admin, { sub: undefined }))), 401);
    expectProblem(await bearer(signed(claims(h.world.users.admin, { sub: 42 }))), 401);
  });

  it('refuses a token without a session generation (issued before sign-ins could end) and one of another generation than the account’s', async () => {
    const sub = h.world.users['supervisor-a'];
    for (const gen of [undefined, 1, -1, '0']) {
      const res = await bearer(signed(claims(sub, { [SESSION_CLAIM]: gen })));
      expectProblem(res, 401);
      expect(res.body.code, String(gen)).toBe('session-ended');
    }
    // The control: the account's own generation.
    expect((await bearer(signed(claims(sub)))).status).toBe(200);
  });

  it('stops an account deactivated outside this process within the memo’s bound: its token, its API key and its log-in', async () => {
    // An admin of county A, with a key of their own.
    const id = await createLoginUser('leaving-sup', 'admin');
    const signedIn = await login('leaving-sup', PASSWORD);
    expect(signedIn.status).toBe(200);
    const token = signedIn.body.token as string;
    const key = await h.http.request('POST', '/api/api-keys', { token, body: { name: 'leaving' } });
    expect(key.status).toBe(201);
    expect((await bearer(token)).status).toBe(200);
    expect((await withHeaders({ 'x-api-key': key.body.key })).status).toBe(200);

    // Straight in the database, as another API process would: this one sees it once its memo of
    // the account (read by the requests above) has run out. Through this process it is at once
    // (directory.api.test.ts).
    await h.database.db.update(users).set({ active: false }).where(eq(users.id, id));
    await new Promise((resolve) => setTimeout(resolve, PRINCIPAL_MEMO_MS + 50));

    expectProblem(await bearer(token), 401);
    expectProblem(await bearer(token, `/api/hazards/${hazardA}`), 401);
    expectProblem(await withHeaders({ 'x-api-key': key.body.key }), 401);
    const refused = await login('leaving-sup', PASSWORD);
    expectProblem(refused, 401);
    const wrong = await login('supervisor-a', 'not the password');
    expect(refused.body).toEqual(wrong.body);
  });

  it('refuses garbage and malformed Authorization headers', async () => {
    for (const token of ['garbage', 'a.b.c', '..', 'eyJhbGciOiJIUzI1NiJ9', `${b64({ alg: 'HS256' })}.${b64('not json')}.x`, 'x'.repeat(5000)]) {
      expectProblem(await bearer(token), 401);
    }
    for (const authorization of ['Bearer', 'Bearer ', 'Basic YWRtaW46cGFzc3dvcmQ=', 'Token abc', `Bearer${signed(claims(h.world.users.admin))}`, 'ApiKey', 'ApiKey ']) {
      expectProblem(await withHeaders({ authorization }), 401);
    }
    // A token only where an API key belongs is no key.
    expectProblem(await withHeaders({ 'x-api-key': signed(claims(h.world.users.admin)) }), 401);
    // Tokens are read from the header only, never from the query string.
    expectProblem(await h.http.request('GET', `/api/auth/me?access_token=${signed(claims(h.world.users.admin))}`), 401);
  });
});

describe('API keys', () => {
  let keyB: string;
  let serviceB: string;

  beforeAll(async () => {
    // Another system of county B, acting as a supervisor there.
    const account = await admin('POST', '/api/service-accounts', { body: { name: 'ledger-b', system: '乙县台账系统', role: 'supervisor', regionId: h.world.b.county.id } });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    serviceB = account.body.id;
    const res = await admin('POST', `/api/service-accounts/${serviceB}/api-keys`, { body: { name: 'county B ledger sync' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^dbk_/) });
    keyB = res.body.key;
  });

  it('acts as its account, with that account’s reach, by X-Api-Key or Authorization: ApiKey', async () => {
    for (const headers of [{ 'x-api-key': keyB }, { authorization: `ApiKey ${keyB}` }, { authorization: `apikey ${keyB}` }] as Record<string, string>[]) {
      const as = (method: string, path: string, body?: unknown) => h.http.request(method, path, { headers, body });
      const me = await as('GET', '/api/auth/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ username: 'system:ledger-b', kind: 'service', role: 'supervisor', via: 'api_key' });
      const list = await as('GET', '/api/hazards?limit=200');
      expect(list.status).toBe(200);
      const ids = list.body.items.map((i: { id: string }) => i.id);
      expect(ids).toContain(hazardB);
      expect(ids).not.toContain(hazardA);
      expect(list.body.items.every((i: { enterpriseId: string }) => i.enterpriseId === h.world.enterpriseB)).toBe(true);
      expect((await as('GET', `/api/hazards/${hazardB}`)).status).toBe(200);
      const foreign = await as('GET', `/api/hazards/${hazardA}`);
      expectProblem(foreign, 404);
      expect(JSON.stringify(foreign.body)).not.toContain(h.world.enterpriseA);
      const enterprises = await as('GET', '/api/enterprises');
      expect(enterprises.body.items.map((e: { id: string }) => e.id)).toEqual([h.world.enterpriseB]);
      // Its role's limits hold too.
      expectProblem(await as('GET', '/api/users'), 403);
    }
    const created = await h.http.request('POST', '/api/hazards', { headers: { 'x-api-key': keyB }, body: newHazard(h.world.enterpriseB) });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('system:ledger-b');
    expectProblem(await h.http.request('POST', '/api/hazards', { headers: { 'x-api-key': keyB }, body: newHazard(h.world.enterpriseA) }), 422);
  });

  it('refuses a wrong, altered or revoked key, and does not fall back to a token beside it', async () => {
    expectProblem(await withHeaders({ 'x-api-key': `dbk_${randomBytes(32).toString('base64url')}` }), 401);
    expectProblem(await withHeaders({ 'x-api-key': `${keyB.slice(0, -1)}${keyB.endsWith('A') ? 'B' : 'A'}` }), 401);
    expectProblem(await withHeaders({ 'x-api-key': keyB.toUpperCase() }), 401);
    expectProblem(await withHeaders({ authorization: 'ApiKey wrong' }), 401);
    const validToken = signed(claims(h.world.users.admin));
    expectProblem(await withHeaders({ 'x-api-key': 'wrong', authorization: `Bearer ${validToken}` }), 401);

    const extra = await admin('POST', `/api/service-accounts/${serviceB}/api-keys`, { body: { name: 'to revoke' } });
    expect((await withHeaders({ 'x-api-key': extra.body.key })).status).toBe(200);
    await h.database.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, extra.body.id));
    expectProblem(await withHeaders({ 'x-api-key': extra.body.key }), 401);
  });

  it('keeps only a hash of the key, never the key itself', async () => {
    const rows = await h.database.db.select().from(apiKeys);
    expect(rows.length).toBeGreaterThan(0);
    const hashOfB = createHash('sha256').update(keyB).digest('hex');
    expect(rows.map((r) => r.keyHash)).toContain(hashOfB);
    const secretPart = keyB.slice(4);
    // Nowhere in the keys table, the administrative audit trail, or any other text column.
    for (const table of ['api_keys', 'admin_events', 'users', 'idempotency_keys']) {
      const dump = await h.database.db.execute(sql.raw(`select coalesce(json_agg(t)::text, '') as dump from ${table} t`));
      const text = String(dump.rows[0]?.dump ?? '');
      expect(text, table).not.toContain(secretPart);
    }
  });
});

describe('log-in', () => {
  it('answers a wrong password and an unknown user identically', async () => {
    const wrong = await login('supervisor-b', 'not the password');
    const unknown = await login(`nobody-${randomBytes(3).toString('hex')}`, 'not the password');
    const unknownRight = await login(`nobody-${randomBytes(3).toString('hex')}`, PASSWORD);
    for (const res of [wrong, unknown, unknownRight]) expectProblem(res, 401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknownRight.body).toEqual(wrong.body);
    expect(unknown.headers.get('content-type')).toBe(wrong.headers.get('content-type'));
    expect(unknown.headers.get('content-length')).toBe(wrong.headers.get('content-length'));
    expect(JSON.stringify(wrong.body)).not.toMatch(/password_hash|argon|stack/i);
  });

  it('slows one account down after 5 failures with 429 and Retry-After, whatever the case of the name; others are not affected', async () => {
    const username = 'guessed-sup';
    await createLoginUser(username);
    for (let i = 1; i <= 5; i++) expectProblem(await login(username, `guess-${i}`), 401);
    // From an address this account never signed in from, not even the right password is tried.
    const slowed = await login(username, PASSWORD);
    expectProblem(slowed, 429);
    const retryAfter = Number(slowed.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 900, String(retryAfter)).toBe(true);
    // Case does not open a second allowance.
    expectProblem(await login(username.toUpperCase(), PASSWORD), 429);
    // Other accounts are not affected.
    expect((await login('supervisor-a', PASSWORD)).status).toBe(200);
  });

  it('limits one address to 30 failed log-ins a minute with 429 and Retry-After, for accounts new to it', async () => {
    await createLoginUser('first-time-sup');
    await freshWindow(60, 10);
    // Start the minute's count from zero, whatever earlier tests did.
    await h.database.db.execute(sql`delete from rate_limits where key like 'login:%'`);
    for (let i = 1; i <= 30; i++) expectProblem(await login(`spray-${i}-${randomBytes(2).toString('hex')}`, 'x'), 401);
    const blocked = await login('first-time-sup', PASSWORD);
    expectProblem(blocked, 429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter > 0 && retryAfter <= 60, String(retryAfter)).toBe(true);
    expect(blocked.body.detail).toMatch(/too many/);
    // Successful log-ins do not count: someone who signed in here before still gets in.
    expect((await login('supervisor-a', PASSWORD)).status).toBe(200);
    await h.database.db.execute(sql`delete from rate_limits`);
  });
});
