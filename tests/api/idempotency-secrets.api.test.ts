/**
 * Answers that carry a secret shown once (an issued API key, a log-in token) are never kept for
 * replay: the idempotency table holds a marker, and a retry under the same key is told the
 * secret was issued and cannot be shown again. Request fingerprints are keyed, so a stored one
 * cannot be used to test guesses at a password sent in the body.
 */
import { createHash, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../domain/audit-chain';
import { idempotencyKeys } from '../../db/schema';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let admin: Requester;

beforeAll(async () => {
  h = await startApiHarness('idempotency-secrets');
  admin = await h.as('admin');
});
afterAll(async () => h?.stop());

/** Every stored column of the key's rows, as text, read with SQL. */
async function storedRows(key: string): Promise<string> {
  const rows = await h.database.db.execute(sql`select * from idempotency_keys where key = ${key}`);
  return JSON.stringify(rows.rows);
}

describe('an answer carrying a secret', () => {
  it('is not kept: an issued API key is in no row, and a retry is told it cannot be shown again', async () => {
    const k = `issue-${randomUUID()}`;
    const request = { body: { name: `集成系统-${k}` }, headers: { 'idempotency-key': k } };
    const issued = await admin('POST', '/api/api-keys', request);
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const secret = issued.body.key as string;
    expect(secret).toMatch(/^dbk_/);

    const stored = await storedRows(k);
    expect(stored).toContain(k);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(4, 20));

    const retry = await admin('POST', '/api/api-keys', request);
    expect(retry.status).toBe(409);
    expect(retry.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ status: 409, type: 'urn:duban:problem:secret-not-repeated' });
    expect(retry.body.detail).toMatch(/shown only once/);
    expect(JSON.stringify(retry.body)).not.toContain(secret);

    // Issued once: the key works, and no second key was made by the retry.
    const me = await h.http.request('GET', '/api/auth/me', { headers: { 'x-api-key': secret } });
    expect(me.status).toBe(200);
    const keys = await h.database.db.execute(sql`select count(*)::int as n from api_keys where name = ${`集成系统-${k}`}`);
    expect(keys.rows[0]).toEqual({ n: 1 });
  });

  it('keeps a refusal of a secret-issuing route as any other answer', async () => {
    const k = `refused-${randomUUID()}`;
    const request = { body: { userId: randomUUID(), name: '无此人' }, headers: { 'idempotency-key': k } };
    const first = await admin('POST', '/api/api-keys', request);
    expect(first.status).toBe(422);
    const retry = await admin('POST', '/api/api-keys', request);
    expect(retry.status).toBe(422);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
  });

  it('keeps no log-in token, even when a signed-in caller logs in again with a key', async () => {
    const sup = await h.as('supervisor-a');
    const k = `login-${randomUUID()}`;
    const login = await sup('POST', '/api/auth/login', { body: { username: 'supervisor-b', password: PASSWORD }, headers: { 'idempotency-key': k } });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const token = login.body.token as string;
    expect(await storedRows(k)).not.toContain(token);
    expect(await storedRows(k)).not.toContain(token.split('.')[2]!);
    // Log-in keeps nothing under a key: a second one is a log-in of its own, not a replay.
    expect(await storedRows(k)).toBe('[]');
    const again = await sup('POST', '/api/auth/login', { body: { username: 'supervisor-b', password: PASSWORD }, headers: { 'idempotency-key': k } });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('fingerprints a request with a key of the server: a stored fingerprint is no plain hash of a password', async () => {
    const k = `user-${randomUUID()}`;
    const body = { username: `u${randomUUID().slice(0, 8)}`, displayName: '新用户', role: 'supervisor', regionId: h.world.a.county.id, password: 'correct horse battery' };
    const created = await admin('POST', '/api/users', { body, headers: { 'idempotency-key': k } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [row] = await h.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, k));
    const plain = createHash('sha256').update(`POST /api/users\n${canonicalJson(body)}`).digest('hex');
    expect(row!.requestHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.requestHash).not.toBe(plain);
    // The same request under the same key is still recognised as the same.
    const retry = await admin('POST', '/api/users', { body, headers: { 'idempotency-key': k } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });
});
