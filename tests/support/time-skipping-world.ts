/** What each time-skipping workflow test file runs on: the test server, a database of its own with one enterprise, and a worker. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestDatabase, type TestDatabase } from './database';
import { insertEnterprise } from './fixtures';
import { testWorker, timeSkippingEnv, uniqueTaskQueue } from './workflow-env';

export interface TimeSkippingWorld {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  enterpriseId: string;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startTimeSkippingWorld(name: string): Promise<TimeSkippingWorld> {
  const taskQueue = uniqueTaskQueue(name);
  const [env, database] = await Promise.all([timeSkippingEnv(), createTestDatabase()]);
  const enterpriseId = await insertEnterprise(database.db);
  const worker = await testWorker(env, database.db, taskQueue);
  const running = worker.run();
  return {
    env,
    database,
    enterpriseId,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await database.drop();
    },
  };
}
