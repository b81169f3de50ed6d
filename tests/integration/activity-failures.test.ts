/**
 * A recording activity that breaks a rule of the database ends at once as a non-retryable failure
 * (naming the database code), instead of being retried until its attempts run out; a missing
 * record likewise. The real activity, worker, dev server and Postgres.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HazardStepRecord } from '../../activities/hazard-records';
import { initialState } from '../../domain/hazard-lifecycle';
import { snapshotOf } from '../../domain/hazard-view';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { createDubanWorker, type DubanWorker } from '../../temporal/create-worker';
import { PERMANENT_FAILURE_TYPE } from '../../temporal/activity-failures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { buildWorld, type World } from '../support/world';
import { devServerEnv, uniqueTaskQueue } from '../support/workflow-env';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let world: World;
let worker: DubanWorker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('activity-failures');

beforeAll(async () => {
  [env, database] = await Promise.all([devServerEnv(), createTestDatabase()]);
  world = await buildWorld(database.db);
  worker = await createDubanWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    db: database.app,
    overrides: { workflowsPath: fileURLToPath(new URL('../support/record-probe.workflow.ts', import.meta.url)) },
  });
  running = worker.run();
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await database?.drop();
});

function registration(enterpriseId: string, round: number): HazardStepRecord {
  const hazardId = randomUUID();
  const state = initialState({ hazardId, enterpriseId, grade: 'general', policy: DEFAULT_POLICIES.general, deadline: addDays(shanghaiDate(Date.now()), 10) }, Date.now());
  return {
    hazardId,
    workflowId: `hazard-${hazardId}`,
    stepKey: 'r1/registered',
    event: { type: 'registered', actor: 'supervisor-a', occurredAt: Date.now(), data: {} },
    snapshot: { ...snapshotOf(state, Date.now()), round },
    registration: {
      enterpriseId,
      grade: 'general',
      policy: DEFAULT_POLICIES.general,
      title: '探针',
      description: '',
      category: '消防安全',
      source: 'inspection',
      location: '',
      legalBasis: '',
      requiredMeasures: '',
      createdBy: 'supervisor-a',
    },
  };
}

async function probe(rec: HazardStepRecord) {
  const handle = await env.client.workflow.start('recordProbeWorkflow', { workflowId: `probe-${rec.hazardId}`, taskQueue, args: [rec] });
  const result = await handle.result();
  let attempts = 0;
  for (const e of (await handle.fetchHistory()).events ?? []) if (e.activityTaskStartedEventAttributes) attempts = Math.max(attempts, e.activityTaskStartedEventAttributes.attempt ?? 0);
  return { result, attempts };
}

it('ends a constraint violation (a round below 1) at the first attempt, not retried', async () => {
  const { result, attempts } = await probe(registration(world.enterpriseA, 0));
  expect(result).toMatchObject({ ok: false, type: PERMANENT_FAILURE_TYPE, nonRetryable: true, details: [{ code: '23514' }] });
  expect(attempts).toBe(1);
});

it('ends a missing record at the first attempt', async () => {
  const { result, attempts } = await probe(registration(randomUUID(), 1));
  expect(result).toMatchObject({ ok: false, type: PERMANENT_FAILURE_TYPE, nonRetryable: true, details: [{ name: 'MissingRecordError' }] });
  expect(attempts).toBe(1);
});

it('records a sound step as before', async () => {
  expect((await probe(registration(world.enterpriseA, 1))).result).toEqual({ ok: true });
});
