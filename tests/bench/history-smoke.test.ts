/** The history benchmark's measurements, small: history sizes on the time-skipping server, a worker's memory with a few workflows open on the dev server. */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeResult } from '../../bench/bench-servers';
import { formatHistory, majorHazardYear, simpleLifecycle, workerMemory } from '../../bench/history-measure';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertEnterprise } from '../support/fixtures';
import { startTimeSkippingWorld, type TimeSkippingWorld } from '../support/time-skipping-world';
import { devServerEnv, testWorker, uniqueTaskQueue } from '../support/workflow-env';

let world: TimeSkippingWorld;
let database: TestDatabase;
beforeAll(async () => {
  [world, database] = await Promise.all([startTimeSkippingWorld('history-bench-smoke'), createTestDatabase()]);
});
afterAll(async () => {
  await world?.stop();
  await database?.drop();
});

it('counts the events of a simple life and of a major hazard run by run, and samples a worker holding open workflows', async () => {
  const { env } = world;
  const start = { client: env.client, taskQueue: world.taskQueue, enterpriseId: world.enterpriseId };
  const simple = await simpleLifecycle({ ...start, now: await env.currentTimeMs() });
  expect(simple.events).toBeGreaterThan(5);
  const year = await majorHazardYear({
    ...start,
    months: 2,
    historyLimit: 40,
    now: () => env.currentTimeMs(),
    sleepUntil: async (instant) => {
      const now = await env.currentTimeMs();
      if (instant > now) await env.sleep(instant - now);
    },
  });
  expect(year.rounds).toBe(2);
  // A limit of 40 events splits two rounds of a major hazard's ladder into several runs.
  expect(year.runs.length).toBeGreaterThan(1);
  expect(year.total).toBe(year.runs.reduce((a, b) => a + b, 0));

  const dev = await devServerEnv();
  const taskQueue = uniqueTaskQueue('history-bench-memory');
  const enterpriseId = await insertEnterprise(database.db);
  const worker = await testWorker(dev, database.db, taskQueue);
  const memory = await worker.runUntil(workerMemory({ client: dev.client, taskQueue, enterpriseId, db: database.db, worker, n: 6, concurrency: 3, settleSeconds: 0.5, sampleMs: 200 }));
  expect(memory.workflows).toBe(6);
  expect(memory.settledRssMB).toBeGreaterThan(0);
  expect(memory.peakRssMB).toBeGreaterThanOrEqual(memory.settledRssMB);
  expect(memory.maxCachedWorkflows).toBeGreaterThan(0);
  expect(memory.samples.length).toBeGreaterThan(1);

  expect(formatHistory({ simple, year, memory })).toMatch(/events per run/);
  const file = await writeResult('history-smoke', { simple, year, memory });
  expect(JSON.parse(await readFile(file, 'utf8')).year.runs).toEqual(year.runs);
}, 180_000);
