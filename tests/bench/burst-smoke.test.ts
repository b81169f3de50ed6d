/** The burst benchmark's measurement at tiny K: both runs catch every hazard up and report their rates. */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { formatBurst, measureBurst } from '../../bench/burst-measure';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('burst-smoke');
});
afterAll(async () => h?.stop());

it('measures a burst of overdue hazards with default and with pool-sized worker options', async () => {
  const runs = await measureBurst({
    k: 4,
    client: h.env.client,
    connection: h.env.nativeConnection,
    namespace: h.env.namespace ?? 'default',
    db: h.database.app,
    enterpriseId: h.world.enterpriseA,
    poolSize: 3,
    workflowBundlePath: inject('workflowBundlePath'),
  });
  expect(runs.map((r) => [r.label, r.slots])).toEqual([
    ['default', null],
    ['tuned', { activities: 3, workflowTasks: 6 }],
  ]);
  for (const r of runs) {
    // Each hazard records its registration and at least its overdue step.
    expect(r.hazards).toBe(4);
    expect(r.records).toBeGreaterThanOrEqual(8);
    expect(r.recordsPerSecond).toBeCloseTo(r.records / r.seconds, 6);
  }
  // Every hazard of both runs is caught up: none has a step left due.
  const overdue = await (await h.as('supervisor-a'))('GET', `/api/hazards?overdue=true&enterpriseId=${h.world.enterpriseA}`);
  expect(overdue.body.total).toBe(8);
  expect(formatBurst(runs)).toMatch(/tuned +activities 3, workflow tasks 6: 4 hazards, \d+ records in \d+\.\d\d s/);
});
