/**
 * JSON bodies are bounded in size and in depth before anything reads them: a body nested tens
 * of thousands deep is a 400 naming the problem on every POST route, with or without an
 * Idempotency-Key (whose fingerprint of the body once overflowed the stack: a 500).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';
import type { WorldUser } from '../support/world';

let h: ApiHarness;
let hazardId: string;

beforeAll(async () => {
  h = await startApiHarness('json-body');
  const sup = await h.as('supervisor-a');
  const created = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '深层嵌套', category: '综合', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 20) },
  });
  expect(created.status).toBe(201);
  hazardId = created.body.id;
});
afterAll(async () => h?.stop());

const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
/** The nesting inside a body that is otherwise well formed for the route. */
const inField = (field: string, nested: string) => `{"${field}":${nested}}`;

/** One POST route of each kind: creation, command, directory, public log-in. */
const routes: Array<{ path: () => string; as: WorldUser | null; field: string }> = [
  { path: () => '/api/hazards', as: 'supervisor-a', field: 'title' },
  { path: () => `/api/hazards/${hazardId}/reviews`, as: 'supervisor-a', field: 'comment' },
  { path: () => '/api/notices', as: 'supervisor-a', field: 'title' },
  { path: () => '/api/api-keys', as: 'admin', field: 'name' },
  { path: () => '/api/users', as: 'admin', field: 'displayName' },
  { path: () => '/api/auth/login', as: null, field: 'username' },
];

async function requester(as: WorldUser | null): Promise<Requester> {
  return as ? h.as(as) : h.http.request;
}

function expectTooDeep(res: HttpResponse, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 400, type: 'urn:duban:problem:invalid-request' });
  expect(res.body.errors).toEqual([{ field: 'body', message: expect.stringMatching(/nested deeper than \d+ levels/) }]);
}

describe('a deeply nested JSON body', () => {
  it('is a 400 naming the nesting on every POST route, with or without an Idempotency-Key', async () => {
    for (const route of routes) {
      const send = await requester(route.as);
      for (const raw of [arrays(50_000), objects(16_000), inField(route.field, arrays(50_000 - 10)), arrays(100)]) {
        for (const headers of [{}, { 'idempotency-key': `deep-${randomUUID()}` }] as Record<string, string>[]) {
          const res = await send('POST', route.path(), { raw, headers });
          expectTooDeep(res, `${route.path()} ${raw.length} bytes ${JSON.stringify(headers)}`);
        }
      }
    }
  });

  it('nested 100,000 deep (beyond the size limit too) is refused as too large, never a 500', async () => {
    const sup = await h.as('supervisor-a');
    for (const headers of [{}, { 'idempotency-key': `deep-${randomUUID()}` }] as Record<string, string>[]) {
      const res = await sup('POST', '/api/hazards', { raw: arrays(100_000), headers });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('still takes bodies nested as deep as any route needs', async () => {
    const sup = await h.as('supervisor-a');
    // Nesting within the limit reaches the route's own validation (the field's type), not the parser's.
    const res = await sup('POST', '/api/hazards', { raw: inField('title', arrays(20)), headers: { 'idempotency-key': `ok-${randomUUID()}` } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'title' })]));
  });
});
