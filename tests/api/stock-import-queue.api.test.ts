/**
 * A stock import's activities run on the import's own task queue, so an import that takes a while
 * (its workflows started at a throttled rate) holds none of the slots the hazards' work needs: with
 * one activity slot on the hazards' queue, a hazard registered meanwhile is answered while the
 * import's starts are still running. The imported hazards' workflows run on the hazards' queue.
 */
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enterprises, hazards } from '../../db/schema';
import { withCreditCheckChar } from '../../domain/credit-code';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { stockImportTaskQueue, stockImportWorkflowId } from '../../workflows/stock-import.messages';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { stockCsv, uploadStock } from '../support/stock-sheet';

const code = withCreditCheckChar('91330100MA2A0000A');
const today = shanghaiDate(Date.now());
/** Open rows, started at RATE a second: the import's starts run OPEN / RATE seconds. */
const OPEN = 12;
const RATE = 2;

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('stock-import-queue', { workerSlots: { activities: 1, workflowTasks: 4 } });
  h.deps.stockImportRate = RATE;
  await h.database.db.update(enterprises).set({ creditCode: code }).where(eq(enterprises.id, h.world.enterpriseA));
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

it('runs the import on its own queue: a hazard registered meanwhile is answered while the import’s starts run', async () => {
  const admin = await h.as('admin');
  const rows = Array.from({ length: OPEN }, (_, i) => [code, '', `排队存量隐患${i}`, '消防安全', '一般', '', addDays(today, -20), addDays(today, 20), '未销号', '', 'supervisor-a']);
  const batch = await uploadStock(admin, stockCsv(rows), 'queue.csv');
  expect(batch.status).toBe(202);
  expect(batch.body.counts).toMatchObject({ valid: OPEN, open: OPEN });
  expect((await admin('POST', `/api/stock-imports/${batch.body.id}/import`)).status).toBe(202);

  const importRun = h.env.client.workflow.getHandle(stockImportWorkflowId(batch.body.id));
  const starting = async () => (await importRun.describe()).raw.pendingActivities?.some((a) => a.activityType?.name === 'startStockHazards') ?? false;
  for (let i = 0; i < 100 && !(await starting()); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await starting()).toBe(true);

  // The hazards' queue has one activity slot: were the import's starts on it, this would wait for them.
  const supervisor = await h.as('supervisor-a');
  const registered = await supervisor('POST', '/api/hazards', { body: { enterpriseId: h.world.enterpriseA, title: '导入期间登记', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today, 10) } });
  expect(registered.status).toBe(201);
  expect(await starting()).toBe(true);

  for (let i = 0; i < 300; i++) {
    const res = await admin('GET', `/api/stock-imports/${batch.body.id}`);
    if (res.status === 200 && res.body.progress.done) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const scheduled = new Map<string, string>();
  for (const e of (await importRun.fetchHistory()).events ?? []) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a) scheduled.set(a.activityType!.name!, a.taskQueue!.name!);
  }
  expect(Object.fromEntries(scheduled)).toEqual({
    importStockRows: stockImportTaskQueue(h.taskQueue),
    startStockHazards: stockImportTaskQueue(h.taskQueue),
    finishStockImport: stockImportTaskQueue(h.taskQueue),
  });
  const imported = await h.database.db.select({ id: hazards.id }).from(hazards).where(like(hazards.title, '排队存量隐患%'));
  expect(imported).toHaveLength(OPEN);
  const queues = await Promise.all(imported.map(async ({ id }) => (await h.env.client.workflow.getHandle(hazardWorkflowId(id)).describe()).taskQueue));
  expect(new Set(queues)).toEqual(new Set([h.taskQueue]));
}, 120_000);
