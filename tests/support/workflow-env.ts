/** Temporal environments for tests: the time-skipping server, or the shared dev server. */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTimeSkipping } from '../../scripts/toolchain/temporal-servers';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Database } from '../../db/client';
import { createDubanWorker, type DubanWorker, type DubanWorkerOptions } from '../../temporal/create-worker';
import { ACTIVITIES_ONLY } from '../../temporal/runtime-logging';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { temporal } from '@temporalio/proto';

let quiet = false;
/** The SDK logs every worker state change at INFO; tests only want warnings (not the import worker's expected one). */
export function quietRuntime(): void {
  if (quiet) return;
  quiet = true;
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, timestampNanos, message, meta }) => {
      if (message === ACTIVITIES_ONLY) return;
      process.stderr.write(`${new Date(Number(timestampNanos / 1_000_000n)).toISOString()} [${level}] ${message}${meta === undefined ? '' : ` ${inspect(meta)}`}\n`);
    }),
  });
}

const INDEXED_VALUE_TYPES = {
  Text: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/** The time-skipping server, with duban's search attributes registered as on a real cluster. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await startTimeSkipping(inject('testServer'));
  const searchAttributes = Object.fromEntries(
    Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, INDEXED_VALUE_TYPES[type]]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
  return env;
}

/** The run's dev server, reached as an existing server (search attributes registered at start). */
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
}

export function uniqueTaskQueue(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

export function testWorker(env: TestWorkflowEnvironment, db: Database, taskQueue: string, opts: Pick<DubanWorkerOptions, 'slots' | 'files'> = {}): Promise<DubanWorker> {
  return createDubanWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    db,
    workflowBundlePath: inject('workflowBundlePath'),
    ...opts,
  });
}
