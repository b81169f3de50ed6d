/**
 * `npm run bench:history [-- --workflows 2000 --months 12 --history-limit 0 --cache 0 --settle 20]`:
 * worker RSS with N hazard workflows open on the dev server (sampled as they start and after they
 * settle, with the sticky cache's size), then on the time-skipping test server the history events
 * of a simple lifecycle and of a major hazard's year of extensions and rejections, run by run.
 * `--workflows 10000` / `100000` for the larger counts, `--workflows 0` for the histories alone; `--cache N` sets the worker's sticky cache
 * (maxCachedWorkflows; 0 keeps the SDK's default); `--history-limit N` continues the year's runs
 * as new past N events (0: only when the server suggests it, as in production).
 * Writes bench/results/history-<time>.json.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { testServerExecutable } from '../scripts/toolchain/temporal-servers';
import { createDubanWorker, WORKFLOWS_PATH } from '../temporal/create-worker';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { benchServers, say, writeResult } from './bench-servers';
import { formatHistory, majorHazardYear, simpleLifecycle, workerMemory } from './history-measure';

const { values } = parseArgs({
  options: {
    workflows: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '20' },
    months: { type: 'string', default: '12' },
    'history-limit': { type: 'string', default: '0' },
    cache: { type: 'string', default: '0' },
    settle: { type: 'string', default: '20' },
  },
});
const historyLimit = Number(values['history-limit']) || undefined;
const cache = Number(values.cache) || undefined;

Runtime.install({ logger: new DefaultLogger('WARN') });
const servers = await benchServers(10);
try {
  const { database } = servers;
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  const workflowBundlePath = join(servers.work, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle.code);
  const slots = { activities: 10, workflowTasks: 20 };
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  const loadBefore = load();

  // Worker memory on the dev server: the worker in this process, as worker.ts runs it (pool 10).
  const n = Number(values.workflows);
  let memory: Awaited<ReturnType<typeof workerMemory>> | undefined;
  if (n > 0) {
    const native = await NativeConnection.connect({ address: servers.temporalAddress });
    const connection = await Connection.connect({ address: servers.temporalAddress });
    const client = new Client({ connection });
    const taskQueue = `bench-history-${servers.stamp}`;
    const worker = await createDubanWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      db: database.db,
      workflowBundlePath,
      slots,
      overrides: cache ? { maxCachedWorkflows: cache } : {},
    });
    const running = worker.run();
    say(`starting ${n.toLocaleString('en')} hazard workflows on the dev server (load average ${loadBefore})`);
    memory = await workerMemory({ client, taskQueue, enterpriseId: servers.enterpriseId, db: database.db, worker, n, concurrency: Number(values.concurrency), settleSeconds: Number(values.settle), sampleMs: 1000 });
    worker.shutdown();
    await running;
    await connection.close();
    await native.close();
    console.log(formatHistory({ memory }));
  }

  // History sizes on the time-skipping server.
  say('history of a simple lifecycle and of a major hazard\'s year, on the time-skipping server');
  const env = await startTimeSkipping();
  servers.stops.push(() => env.teardown());
  const { temporal } = proto;
  const types = { Text: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT, Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT, Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME } as const;
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([k, t]) => [k, types[t]])) });
  const tsQueue = `bench-history-${servers.stamp}-ts`;
  const tsWorker = await createDubanWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue: tsQueue, db: database.db, workflowBundlePath, slots });
  const year = await tsWorker.runUntil(async () => {
    const start = { client: env.client, taskQueue: tsQueue, enterpriseId: servers.enterpriseId };
    const simple = await simpleLifecycle({ ...start, now: await env.currentTimeMs() });
    const y = await majorHazardYear({
      ...start,
      months: Number(values.months),
      historyLimit,
      now: () => env.currentTimeMs(),
      sleepUntil: async (instant) => {
        const now = await env.currentTimeMs();
        if (instant > now) await env.sleep(instant - now);
      },
    });
    return { simple, year: y };
  });
  const loadAfter = load();
  console.log(`load average before ${loadBefore}, after ${loadAfter}`);
  console.log(formatHistory(year));
  await writeResult('history', { workflows: n, cache: cache ?? null, slots, loadBefore, loadAfter, ...year, memory });
} finally {
  await servers.close();
}

/** The SDK gives the Java test server five seconds to answer, which a busy machine can miss: tried again. */
async function startTimeSkipping(attempts = 3): Promise<TestWorkflowEnvironment> {
  const executable = await testServerExecutable(say);
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
    } catch (err) {
      if (attempt >= attempts || !/did not start within/.test(String(err))) throw err;
    }
  }
}
