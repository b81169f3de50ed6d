/**
 * `npm run record-histories`: records the histories that the replay test keeps replaying, at
 * least one for every workflow kind (tests/replay/replay.test.ts fails on a kind without one).
 * Each scenario runs on the time-skipping server with real activities; the histories are
 * committed, so a later change to workflow code that would break running workflows
 * (non-determinism) fails CI. Re-record only when the old histories can no longer occur in
 * production, and keep the old files when they can: name the scenarios to record
 * (`npm run record-histories -- hazard-supervision`) so the others are left as they are. The
 * scenarios live beside this file, one module per workflow kind.
 *
 * Each scenario runs on a time-skipping server of its own, whose clock starts at the real time,
 * as when it is named alone. A server's clock only goes forward, and once a scenario's workflow has
 * ended the idle server skips ahead about ten years (to a timer the test server still holds, its
 * default run timeout it seems): on one shared server the eighth scenario or so began past 2100,
 * where no year can be imported nor an instrument numbered, and its activity retried for ever.
 * The scenarios share the database, the region and the enterprise, and one workflow bundle.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { useAuditKey } from '../db/audit-key';
import { createEnterprise, createRegion } from '../db/directory';
import { shanghaiDate } from '../domain/shanghai-time';
import { createDubanWorker } from '../temporal/create-worker';
import { LocalDiskStore } from '../evidence/store';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { startEmbeddedPostgres } from './toolchain/postgres';
import { startTimeSkipping, testServerExecutable } from './toolchain/temporal-servers';
import { historyToObject } from '../tests/replay/history-json';
import { buildWorkflowBundle } from './build-workflow-bundle';
import { recordBulkUrges } from './record-histories/bulk-urge';
import { recordCalendarPublications } from './record-histories/calendar-publication';
import { recordHazards } from './record-histories/hazard';
import { recordNotices } from './record-histories/notice';
import type { Recording, Scenario } from './record-histories/recording';
import { recordScheduled } from './record-histories/scheduled';
import { recordStockImports } from './record-histories/stock-import';
import { recordSuspensions } from './record-histories/suspension';

const OUT = fileURLToPath(new URL('../tests/replay/histories', import.meta.url));
Runtime.install({ logger: new DefaultLogger('WARN') });

const work = await mkdtemp(join(tmpdir(), 'duban-record-'));
await chmod(work, 0o711);
const pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), persistent: false });
const executable = await testServerExecutable(console.log);
const types = proto.temporal.api.enums.v1.IndexedValueType;
const typeOf = { Keyword: types.INDEXED_VALUE_TYPE_KEYWORD, Int: types.INDEXED_VALUE_TYPE_INT, Datetime: types.INDEXED_VALUE_TYPE_DATETIME } as const;
// A throwaway database: a throwaway audit key.
useAuditKey(randomBytes(32).toString('hex'));
await migrateDatabase(pg.url);
const database = connectDatabase(pg.url, 4);
const region = await createRegion(database.db, 'recorder', { id: 'replay-city', name: '回放市', level: 'city' });
const ent = await createEnterprise(database.db, 'recorder', { name: '回放企业', creditCode: 'REPLAY-0001', regionId: region.id });
const taskQueue = 'record-histories';
// Bundled once: each scenario's worker loads it.
const bundle = await buildWorkflowBundle(join(work, 'workflow-bundle.js'));
const files = new LocalDiskStore(join(work, 'files'));

const only = process.argv.slice(2);
/** The server of the scenario running now. */
let current: TestWorkflowEnvironment | null = null;

/** A time-skipping server of its own for one scenario, with duban's search attributes. */
async function scenarioServer(): Promise<TestWorkflowEnvironment> {
  const env = await startTimeSkipping(executable);
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([k, t]) => [k, typeOf[t]])),
  });
  return env;
}

async function record(name: string, scenario: Scenario) {
  if (only.length && !only.includes(name)) return;
  const env = await scenarioServer();
  current = env;
  // The server goes down whatever happens, so a failed scenario leaves no test server running.
  try {
    const worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, db: database.db, files, workflowBundlePath: bundle.path });
    const answered = await worker.runUntil(scenario);
    const runs = typeof answered === 'string' ? [{ file: name, workflowId: answered }] : answered;
    for (const run of runs) {
      const history = await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      await writeFile(join(OUT, `${run.file}.json`), `${JSON.stringify(historyToObject(history), null, 1)}\n`);
      console.log(`recorded ${run.file}: ${history.events?.length} events`);
    }
  } finally {
    current = null;
    await env.teardown();
  }
}

const rec: Recording = {
  get env() {
    if (!current) throw new Error('a time-skipping server runs only while a scenario does');
    return current;
  },
  db: database.db,
  region,
  ent,
  taskQueue,
  files,
  work,
  today: () => rec.env.currentTimeMs().then((t) => shanghaiDate(t)),
  record,
};

try {
  for (const kind of [recordHazards, recordSuspensions, recordNotices, recordStockImports, recordBulkUrges, recordCalendarPublications, recordScheduled]) await kind(rec);
} finally {
  await database.close();
  await pg.stop();
  await rm(work, { recursive: true, force: true });
}
