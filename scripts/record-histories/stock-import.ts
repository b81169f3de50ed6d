/**
 * Stock import (存量导入) histories: the judging of an uploaded file behind its upload; an import
 * on its own task queue (patch stock-import-own-task-queue) with a hazard it started, lived to
 * closure; and, run by the code of their time, an import begun before it had that queue and one
 * begun when each start was a child.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { judgeStockFile } from '../../activities/stock-judge';
import { createEnterprise, createUser } from '../../db/directory';
import { hazards } from '../../db/schema';
import { createStockImport, markImporting } from '../../db/stock-imports';
import { withCreditCheckChar } from '../../domain/credit-code';
import { addDays } from '../../domain/shanghai-time';
import { startStockImport, startStockJudging } from '../../temporal/stock-import';
import { stockJudgingWorkflowId } from '../../workflows/stock-import.messages';
import { hazardWorkflowId, reviewUpdate, submitRectificationUpdate } from '../../workflows/hazard.messages';
import { stockCsv } from '../../tests/support/stock-sheet';
import { workerAtCommit } from './code-at-commit';
import type { Recording } from './recording';

/** The commit before imports had their own queue (890bf81), and the one whose imports started each hazard as a child (0395a13). */
const BEFORE_OWN_QUEUE = '890bf815678ef570741eba39b238776f1b892102';
const CHILD_STARTS = '0395a1305cc3dc40c1e64b5b64ae9bdaaa4654b7';

export async function recordStockImports(rec: Recording): Promise<void> {
  const { db, region, taskQueue, record, today } = rec;
  const creditCode = withCreditCheckChar('91330100MA2B0000A');
  const enterprise = await createEnterprise(db, 'recorder', { name: '回放存量企业', creditCode, regionId: region.id });
  const supervisor = 'replay-supervisor';
  await createUser(db, 'recorder', { username: supervisor, displayName: '回放监管员', role: 'supervisor', regionId: region.id, passwordHash: null });

  /** Three rows: one hazard due in ten days, one overdue, one already closed (imported, no workflow). */
  async function stockFile(label: string): Promise<Buffer> {
    const t = await today();
    const row = (n: number, found: number, deadline: number, closedOn: number | null) => [
      creditCode, '', `${label}${n}`, '消防安全', '一般', '', addDays(t, found), addDays(t, deadline), closedOn === null ? '未销号' : '已销号', closedOn === null ? '' : addDays(t, closedOn), supervisor,
    ];
    return stockCsv([row(1, -20, 10, null), row(2, -30, -3, null), row(3, -40, -10, -12)]);
  }

  /** A batch of `stockFile` judged (here, as the judging activity does) and confirmed. Answers the import's id. */
  async function confirmedBatch(label: string): Promise<string> {
    const csv = await stockFile(label);
    const now = await rec.env.currentTimeMs();
    const batch = await createStockImport(db, { fileName: `${label}.csv`, fileFormat: 'csv', fileSha256: createHash('sha256').update(csv).digest('hex'), fileBytes: csv.length, regionPath: region.path, createdBy: 'recorder', createdAt: new Date(now) });
    const judged = await judgeStockFile(db, batch, Readable.from([csv]), { now: () => now });
    if (judged.rowsValid !== 3) throw new Error(`the replay batch ${label} has invalid rows`);
    await markImporting(db, batch.id, 'recorder', new Date(now));
    return batch.id;
  }

  // A file judged behind its upload: stored, then read by the judging workflow's activity.
  await record('stock-judging', async () => {
    const csv = await stockFile('回放校验隐患');
    const stored = await rec.files.putStream(Readable.from([csv]));
    // Uploaded at the server's (skipped) time: the rows are judged as of that day.
    const createdAt = new Date(await rec.env.currentTimeMs());
    const batch = await createStockImport(db, { fileName: '回放校验.csv', fileFormat: 'csv', fileSha256: stored.sha256, fileBytes: stored.size, regionPath: region.path, createdBy: 'recorder', createdAt });
    await startStockJudging(rec.env.client, taskQueue, batch.id);
    const outcome = await rec.env.client.workflow.getHandle(stockJudgingWorkflowId(batch.id)).result();
    if (outcome !== 'validated') throw new Error(`the replay file was not validated: ${outcome}`);
    return stockJudgingWorkflowId(batch.id);
  });

  /** Imports a batch on `queue` (two rows a page, so a page's starts overlap the next page's import) and waits for its end. */
  async function imported(label: string, queue: string): Promise<string> {
    const importId = await confirmedBatch(label);
    const workflowId = await startStockImport(rec.env.client, queue, { importId, by: 'recorder', ratePerSecond: 50, pageSize: 2 });
    await rec.env.client.workflow.getHandle(workflowId).result();
    return workflowId;
  }

  // The import on its own queue; the hazard it started due in ten days, submitted and accepted.
  await record('stock-import', async () => {
    const workflowId = await imported('回放存量隐患', taskQueue);
    const [started] = await db.select({ id: hazards.id }).from(hazards).where(eq(hazards.title, '回放存量隐患1'));
    if (!started) throw new Error('the stock import did not import its first row');
    const h = rec.env.client.workflow.getHandle(hazardWorkflowId(started.id));
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: `enterprise-${enterprise.id}` }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: supervisor }] });
    await h.result();
    return [
      { file: 'stock-import', workflowId },
      { file: 'hazard-from-stock', workflowId: h.workflowId },
    ];
  });

  // Imports begun before the import had its own queue, and before its starts moved to an activity.
  for (const [name, commit] of [['stock-import-shared-queue', BEFORE_OWN_QUEUE], ['stock-import-child-starts', CHILD_STARTS]] as const) {
    await record(name, async () => {
      const earlier = await workerAtCommit(rec, commit);
      return earlier.worker.runUntil(() => imported(`回放${name}-`, earlier.taskQueue));
    });
  }
}
