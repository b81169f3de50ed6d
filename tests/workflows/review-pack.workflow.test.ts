/**
 * The review pack workflow on the dev server: a scheduled run assembles the pack of the window
 * just ended, and an activity retried after its pack was stored still leaves one pack for the
 * region and period. The Schedule itself is created, brought to a new rhythm, triggered and removed.
 */
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { reviewPacks } from '../../db/schema';
import { periodJustEnded, periodSoFar } from '../../domain/figures/review-pack';
import { reviewPackContentSchema } from '../../domain/figures/review-pack-content';
import { shanghaiDate } from '../../domain/shanghai-time';
import { createDubanWorker, type DubanWorker } from '../../temporal/create-worker';
import { ensureReviewPackSchedule, removeReviewPackSchedule, reviewPackScheduleId, startReviewPack } from '../../temporal/review-pack-schedules';
import type { reviewPackWorkflow } from '../../workflows/review-pack.workflow';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertEnterprise, insertRegionChain } from '../support/fixtures';
import { devServerEnv, uniqueTaskQueue } from '../support/workflow-env';
import { inject } from 'vitest';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: DubanWorker;
let running: Promise<void>;
let taskQueue: string;
/** Attempts of the assembling activity, by region. */
const attempts = new Map<string, number>();

beforeAll(async () => {
  [env, database] = await Promise.all([devServerEnv(), createTestDatabase()]);
  taskQueue = uniqueTaskQueue('review-pack');
  const real = createActivities({ db: database.db });
  worker = await createDubanWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    db: database.db,
    workflowBundlePath: inject('workflowBundlePath'),
    overrides: {
      activities: {
        ...real,
        // The first attempt stores its pack and then fails, as a worker lost after the commit would.
        async assembleReviewPack(p: Parameters<typeof real.assembleReviewPack>[0]) {
          const id = await real.assembleReviewPack(p);
          attempts.set(p.regionId, (attempts.get(p.regionId) ?? 0) + 1);
          if (Context.current().info.attempt === 1) throw new Error('lost after the commit');
          return id;
        },
      },
    },
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

const packsOf = (regionId: string) => database.db.select().from(reviewPacks).where(eq(reviewPacks.regionId, regionId));

describe('review pack workflow', () => {
  it('assembles one pack of the window just ended, however often its activity is retried', async () => {
    const chain = await insertRegionChain(database.db);
    await insertEnterprise(database.db, '丙矿业', chain.grid.id);
    const result = await env.client.workflow.execute<typeof reviewPackWorkflow>('reviewPackWorkflow', {
      workflowId: `review-pack-test-${chain.county.id}`,
      taskQueue,
      args: [{ regionId: chain.county.id, everyMonths: 2 }],
    });
    const period = periodJustEnded(shanghaiDate(Date.now()), 2);
    expect(result.period).toEqual(period);
    expect(attempts.get(chain.county.id)).toBe(2);
    const packs = await packsOf(chain.county.id);
    expect(packs).toHaveLength(1);
    expect(packs[0]).toMatchObject({ id: result.packId, periodFrom: period.from, periodTo: period.to, assembledBy: 'system', regionPath: chain.county.path });
    const content = reviewPackContentSchema.parse(packs[0]!.content);
    expect(content.region.id).toBe(chain.county.id);
    expect(content.grids.map((g) => g.id)).toEqual([chain.grid.id]);
  }, 60_000);

  it('gives a pack asked for twice for the same period one row, by the last who asked', async () => {
    const chain = await insertRegionChain(database.db);
    const period = periodSoFar(shanghaiDate(Date.now()), 2);
    for (const by of ['leader-1', 'leader-2']) {
      const workflowId = await startReviewPack(env.client, taskQueue, chain.county.id, 2, period, by);
      await env.client.workflow.getHandle(workflowId).result();
    }
    const packs = await packsOf(chain.county.id);
    expect(packs.map((p) => [p.periodFrom, p.periodTo, p.assembledBy])).toEqual([[period.from, period.to, 'leader-2']]);
  }, 60_000);

  it('runs from its Schedule, which is created once and brought to a new rhythm in place', async () => {
    const chain = await insertRegionChain(database.db);
    expect(await ensureReviewPackSchedule(env.client, taskQueue, chain.county.id, 2)).toBe('created');
    expect(await ensureReviewPackSchedule(env.client, taskQueue, chain.county.id, 3)).toBe('updated');
    const handle = env.client.schedule.getHandle(reviewPackScheduleId(chain.county.id));
    const described = await handle.describe();
    expect(described.spec.timezone).toBe('Asia/Shanghai');
    // Next at 08:00 Shanghai on the 1st of January, April, July or October.
    const next = new Date(described.info.nextActionTimes[0]!.getTime() + 8 * 3600_000);
    expect([next.getUTCDate(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 8, 0]);
    expect([0, 3, 6, 9]).toContain(next.getUTCMonth());
    await handle.trigger();
    const period = periodJustEnded(shanghaiDate(Date.now()), 3);
    await expect.poll(async () => (await packsOf(chain.county.id)).map((p) => [p.periodFrom, p.periodTo]), { timeout: 30_000, interval: 250 }).toEqual([[period.from, period.to]]);
    await removeReviewPackSchedule(env.client, chain.county.id);
    await removeReviewPackSchedule(env.client, chain.county.id);
    await expect(handle.describe()).rejects.toThrow();
  }, 60_000);
});
