/**
 * Temporal refusing work for load: a workflow takes only so many updates in flight at once. On a
 * dev server of this file's own whose limit is lowered to one, concurrent commands to one hazard
 * really meet it; each caller gets an answer, a refused one 429 problem+json with Retry-After
 * (never a 500, never silence), and a refused request's Idempotency-Key is free to be used again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { DevServer } from '../../scripts/toolchain/dev-server';
import { obtainDevServer } from '../../scripts/toolchain/temporal-servers';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';

let server: DevServer;
let h: ApiHarness;
let sup: Requester;
let ent: Requester;

beforeAll(async () => {
  server = await obtainDevServer({ searchAttributes: { ...SEARCH_ATTRIBUTES }, dynamicConfig: { 'history.maxInFlightUpdates': 1 } });
  h = await startApiHarness('update-limit', { temporalAddress: server.address });
  sup = await h.as('supervisor-a');
  ent = await h.as('enterprise-a');
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await server?.stop();
}, 60_000);

const today = () => shanghaiDate(Date.now());

describe('the limit of updates in flight on one workflow', () => {
  it('answers a command over the limit with 429 and Retry-After at once, and lets its key be used again', async () => {
    const created = await sup('POST', '/api/hazards', {
      body: {
        enterpriseId: h.world.enterpriseA,
        title: '叉车通道堆放杂物',
        category: '场所安全',
        source: 'inspection',
        grade: 'general',
        deadline: addDays(today(), 15),
        requiredMeasures: '清理通道并划线',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;

    // Commands at once to the same hazard: requests, each under its own key.
    const send = (key: string, i: number) =>
      ent('POST', `/api/hazards/${id}/extensions`, {
        body: { requestedDeadline: addDays(today(), 20 + i), reason: `设备到货延迟 ${i}` },
        headers: { 'idempotency-key': key },
      });
    const keys = Array.from({ length: 12 }, () => randomUUID());
    const started = Date.now();
    const answers: HttpResponse[] = await Promise.all(keys.map((key, i) => send(key, i)));
    // Everyone is answered, promptly: the SDK does not sit out a long backoff on the limit.
    expect(Date.now() - started).toBeLessThan(10_000);

    const statuses = answers.map((a) => a.status);
    const seen = `statuses: ${statuses.join(', ')}`;
    for (const a of answers) expect([200, 409, 429], `${seen}; ${JSON.stringify(a.body)}`).toContain(a.status);
    // One request is taken; the rest find it pending (409) or the workflow busy (429). (A taken
    // request may itself hear 429, when the SDK re-sends its update while the server holds it.)
    expect(statuses.filter((s) => s === 200).length, seen).toBeLessThanOrEqual(1);
    const limited = answers.map((a, i) => ({ a, i })).filter(({ a }) => a.status === 429);
    expect(limited.length, seen).toBeGreaterThan(0);
    for (const { a } of limited) {
      expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(a.body).toMatchObject({ type: 'urn:duban:problem:too-many-requests', status: 429 });
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    // Retried under the same key, the command is taken up afresh (one request is now pending:
    // 409), not answered with a remembered 429.
    const { i } = limited[0]!;
    const again = await send(keys[i]!, i);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status, JSON.stringify(again.body)).toBe(409);
  }, 60_000);
});
