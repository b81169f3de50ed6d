/**
 * `npm run record-histories`: records the histories that the replay test keeps replaying.
 * Each scenario runs the current hazard workflow on the time-skipping server with real
 * activities; the histories are committed, so a later change to workflow code that would break
 * running workflows (non-determinism) fails CI. Re-record only when the old histories can no
 * longer occur in production, and keep the old files when they can.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { createEnterprise, createRegion } from '../db/directory';
import { DEFAULT_POLICIES } from '../domain/policy';
import { addDays, shanghaiDate } from '../domain/shanghai-time';
import { createDubanWorker } from '../temporal/create-worker';
import { hazardWorkflowId, registeredUpdate, reviewUpdate, submitRectificationUpdate, type HazardWorkflowInput } from '../workflows/hazard.messages';
import { DEFAULT_NOTICE_POLICIES } from '../domain/policy';
import { confirmCompletionUpdate, decideUpdate, noticeIssuedUpdate, noticeStateQuery, noticeWorkflowId, type NoticeWorkflowInput } from '../workflows/notice.messages';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { startEmbeddedPostgres } from './toolchain/postgres';
import { testServerExecutable } from './toolchain/temporal-servers';

import { historyToObject } from '../tests/replay/history-json';

const OUT = fileURLToPath(new URL('../tests/replay/histories', import.meta.url));
const DAY = 86_400_000;
Runtime.install({ logger: new DefaultLogger('WARN') });

const work = await mkdtemp(join(tmpdir(), 'duban-record-'));
await chmod(work, 0o711);
const pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), persistent: false });
const env = await TestWorkflowEnvironment.createTimeSkipping({
  server: { executable: await testServerExecutable(console.log) },
});
const types = proto.temporal.api.enums.v1.IndexedValueType;
const typeOf = { Keyword: types.INDEXED_VALUE_TYPE_KEYWORD, Int: types.INDEXED_VALUE_TYPE_INT, Datetime: types.INDEXED_VALUE_TYPE_DATETIME } as const;
await env.connection.operatorService.addSearchAttributes({
  namespace: 'default',
  searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([k, t]) => [k, typeOf[t]])),
});
await migrateDatabase(pg.url);
const database = connectDatabase(pg.url, 4);
const region = await createRegion(database.db, 'recorder', { id: 'replay-city', name: '回放市', level: 'city' });
const ent = await createEnterprise(database.db, 'recorder', { name: '回放企业', creditCode: 'REPLAY-0001', regionId: region.id });
const taskQueue = 'record-histories';
const worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, db: database.db });

function input(deadline: string, extra: Partial<HazardWorkflowInput> = {}): HazardWorkflowInput {
  const hazardId = randomUUID();
  return {
    hazard: { hazardId, enterpriseId: ent.id, grade: 'major', policy: DEFAULT_POLICIES.major, deadline },
    registration: {
      title: '回放场景隐患', description: '', category: '回放', source: 'inspection', location: '', legalBasis: '', requiredMeasures: '', createdBy: 'recorder',
    },
    ...extra,
  };
}

/** `npm run record-histories -- <name>…` records only the scenarios named (keeping the other files as they are). */
const only = process.argv.slice(2);

async function record(name: string, scenario: () => Promise<string>) {
  if (only.length && !only.includes(name)) return;
  const workflowId = await scenario();
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(join(OUT, `${name}.json`), `${JSON.stringify(historyToObject(history), null, 1)}\n`);
  console.log(`recorded ${name}: ${history.events?.length} events`);
}

await worker.runUntil(async () => {
  const today = () => env.currentTimeMs().then((t) => shanghaiDate(t));

  // Reminders, overdue, the whole ladder, a late submission, a rejection, a second round, closure.
  await record('hazard-full-life', async () => {
    const i = input(addDays(await today(), 10));
    const h = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
    await h.executeUpdate(registeredUpdate);
    await env.sleep(30 * DAY);
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: 'ent' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reasons: ['不合格'], newDeadline: addDays(await today(), 5), by: 'insp' }] });
    await env.sleep(2 * DAY);
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e2'], note: '', by: 'ent' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  });

  // Stock entered already overdue: the ladder catches up at once; closed on first review.
  await record('hazard-imported-overdue', async () => {
    const i = input(addDays(await today(), -8));
    const h = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
    await h.executeUpdate(registeredUpdate);
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e'], note: '', by: 'ent' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  });

  // A notice to a township: nothing to sign, overdue, the whole instrument ladder, a decision
  // opened and taken, closed by confirmation.
  await record('notice-full-life', async () => {
    const noticeId = randomUUID();
    const rule = DEFAULT_POLICIES.general.deadline!;
    const i: NoticeWorkflowInput = {
      notice: { noticeId, enterpriseId: null, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds: [], deadline: addDays(await today(), 3), rule },
      issue: {
        agency: '回放应急', enterpriseId: null, addressee: '回放市', addresseeRegionId: region.id, regionPath: region.path, title: '回放督办', requirements: '按期落实',
        legalBasis: rule.legalBasis, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, policyId: null, issuedBy: 'recorder', hazardIds: [],
      },
    };
    const h = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [i] });
    await h.executeUpdate(noticeIssuedUpdate);
    await env.sleep(40 * DAY);
    const [first] = (await h.query(noticeStateQuery)).decisions;
    await h.executeUpdate(decideUpdate, { args: [{ decisionId: first!.id, outcome: 'taken', documentNumber: '回放约〔2026〕1号', reason: '逾期', by: 'leader' }] });
    await h.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已落实', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  });
});

await env.teardown();
await database.close();
await pg.stop();
await rm(work, { recursive: true, force: true });
