/** The lifecycle benchmark's measurement at tiny N: it runs, drives real hazards to closure, reports both rates. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatResult, measureLifecycle } from '../../bench/lifecycle-measure';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('bench-smoke');
});
afterAll(async () => h?.stop());

it('measures the hazard life beside the bare baseline', async () => {
  const enterpriseId = h.world.enterpriseA;
  const token = async (user: 'supervisor-a' | 'enterprise-a') =>
    (await h.http.request('POST', '/api/auth/login', { body: { username: user, password: PASSWORD } })).body.token as string;
  const result = await measureLifecycle({
    n: 3,
    concurrency: 2,
    apiBaseUrl: h.http.baseUrl,
    enterpriseId,
    supervisorToken: await token('supervisor-a'),
    enterpriseToken: await token('enterprise-a'),
    client: h.env.client,
    taskQueue: h.taskQueue,
    costs: true,
    db: h.database.db,
    bareLocal: true,
  });
  expect(result.bare.count).toBe(3);
  expect(result.lifecycle.count).toBe(3);
  expect(result.bare.perSecond).toBeGreaterThan(0);
  expect(result.ratio).toBeCloseTo(result.lifecycle.perSecond / result.bare.perSecond, 10);
  const closed = await (await h.as('supervisor-a'))('GET', `/api/hazards?status=closed&enterpriseId=${enterpriseId}`);
  expect(closed.body.total).toBe(3);
  // Where a life's time goes: the API and worker here are in this process, the servers its children.
  const life = result.perLife!.life;
  expect(life.roundTrips).toBeGreaterThan(10);
  // The guard on what a life costs Postgres: 65 round trips until the recording step, the answers
  // and the account check were cut (bench/README.md, "Fewer round trips"), 44–48 then; 41 since the
  // evidence upload, the submission's read and the steps' recipients were cut, give or take the
  // account memo's misses on a slow machine (up to one a request).
  expect(life.roundTrips).toBeLessThanOrEqual(43);
  expect(life.transactions).toBeGreaterThan(3);
  expect(life.writes).toBeGreaterThan(3);
  expect(life.cpuSeconds.node).toBeGreaterThan(0);
  // The bare workflow writes nothing: what the phase saw of Postgres is the harness's own upkeep.
  expect(result.perLife!.bare.writes).toBeLessThan(life.writes);
  // A bare workflow of three activities: started, 3 × (scheduled, started, completed), the workflow tasks, completed.
  expect(result.history.bare.events).toBeGreaterThanOrEqual(14);
  expect(result.history.life.events).toBeGreaterThan(result.history.bare.events);
  expect(result.history.life.bytes).toBeGreaterThan(result.history.bare.bytes);
  expect(life.walBytes).toBeGreaterThan(1_000);
  // The second baseline, local activities: the same steps as markers in one workflow task, no activity events.
  expect(result.bareLocal!.rate.count).toBe(3);
  expect(result.bareLocal!.history.events).toBeLessThan(result.history.bare.events);
  expect(result.bareLocal!.ratio).toBeCloseTo(result.lifecycle.perSecond / result.bareLocal!.rate.perSecond, 10);
  expect(formatResult(result)).toMatch(/ratio lifecycle\/bare with local activities: \d+\.\d\d/);
  expect(formatResult(result)).toMatch(/ratio lifecycle\/baseline: \d+\.\d\d/);
  expect(formatResult(result)).toMatch(/hazard life via API +cpu node \d+ ms/);
});
