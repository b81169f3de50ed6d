/** The whole API on the run's dev server and a database of its own, with a worker behind it. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../api/app';
import { HazardGateway } from '../../temporal/hazard-gateway';
import { createTestDatabase, type TestDatabase } from './database';
import { serve, type TestHttp } from './http';
import { devServerEnv, testWorker, uniqueTaskQueue } from './workflow-env';

export interface ApiHarness {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  http: TestHttp;
  gateway: HazardGateway;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startApiHarness(name: string): Promise<ApiHarness> {
  const [env, database] = await Promise.all([devServerEnv(), createTestDatabase()]);
  const taskQueue = uniqueTaskQueue(name);
  const worker: Worker = await testWorker(env, database.db, taskQueue);
  const running = worker.run();
  const gateway = new HazardGateway(env.client, taskQueue);
  const app = createApp({ db: database.db, temporal: env.client, hazards: gateway, log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), clock: Date.now });
  const http = await serve(app);
  return {
    env,
    database,
    http,
    gateway,
    taskQueue,
    async stop() {
      await http.close();
      worker.shutdown();
      await running;
      await env.teardown();
      await database.drop();
    },
  };
}
