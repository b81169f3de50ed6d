/**
 * The campaign snapshot workflow and its schedule. On the time-skipping server: a campaign whose
 * cut-off is days past is taken back to its cut-off at the first run, today provisional; the next
 * night's run makes that day final with what happened late in it, and leaves every earlier day as
 * it was. On the dev server: the schedule is created, then updated in place when set up again, and
 * a triggered run writes the rows.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DubanWorker } from '../../temporal/create-worker';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBurndown } from '../../db/campaign-burndown';
import { createCampaign } from '../../db/campaigns';
import { campaignSnapshots, hazards } from '../../db/schema';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { HazardGateway } from '../../temporal/hazard-gateway';
import { addDays, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import { ensureCampaignSnapshotSchedule } from '../../temporal/campaign-snapshot-schedule';
import { campaignSnapshotWorkflow } from '../../workflows/campaign-snapshots.workflow';
import { appendEvents, insertHistory } from '../support/campaign-history';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertEnterprise, insertRegionChain } from '../support/fixtures';
import { devServerEnv, testWorker, uniqueTaskQueue } from '../support/workflow-env';
import { startTimeSkippingWorld, type TimeSkippingWorld } from '../support/time-skipping-world';
import { sleepUntil } from '../support/workflow-steps';

const HOUR = 3_600_000;

describe('the snapshot workflow', () => {
  let world: TimeSkippingWorld;
  beforeAll(async () => {
    world = await startTimeSkippingWorld('campaign-snapshots');
  });
  afterAll(async () => world?.stop());

  it('takes a past cut-off back to its first day, then makes each ended day final and leaves it so', async () => {
    const { env, database, taskQueue } = world;
    const db = database.db;
    // A client that does not skip time while it waits: a slow activity start must not let the
    // test server leap to some far timer. Time moves here only by the explicit sleep below.
    const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    const today = shanghaiDate(await env.currentTimeMs());
    const cutoff = addDays(today, -3);
    const regions = await insertRegionChain(db);
    const enterpriseId = (await db.query.enterprises.findFirst())!.id;
    await db.execute(`update enterprises set region_id = '${regions.grid.id}', region_path = '${regions.grid.path}' where id = '${enterpriseId}'`);
    const at = (day: string, hour: number) => shanghaiInstant(day, hour);
    const base = { enterpriseId, regionPath: regions.grid.path };
    // Stock closed the day after the cut-off; stock still open and overdue; a new hazard.
    await insertHistory(db, { ...base, foundAt: at(addDays(cutoff, -2), 9), registeredAt: at(addDays(cutoff, -2), 9), deadline: addDays(cutoff, 5), actions: [{ kind: 'submit', at: at(cutoff, 10) }, { kind: 'accept', at: at(addDays(cutoff, 1), 10) }] });
    const late = await insertHistory(db, { ...base, foundAt: at(addDays(cutoff, -1), 9), registeredAt: at(addDays(cutoff, -1), 9), deadline: addDays(cutoff, 1), actions: [] });
    await insertHistory(db, { ...base, foundAt: at(addDays(cutoff, 1), 9), registeredAt: at(addDays(cutoff, 1), 9), deadline: addDays(cutoff, 10), actions: [] });
    const campaign = (await createCampaign(db, 'admin', regions.city.path, { name: '百日清零', regionId: regions.city.id, cutoff, target: addDays(today, 30) }))!;

    const first = await client.workflow.execute(campaignSnapshotWorkflow, { taskQueue, workflowId: `campaign-snapshots-${randomBytes(4).toString('hex')}` });
    expect(first).toEqual({ campaigns: 1, finalDays: 3, provisionalDays: 1 });
    const pastDay = addDays(cutoff, 2);
    const past = await readBurndown(db, campaign, regions.city.path, pastDay, 'region');
    expect(past).toMatchObject({ provisional: false, complete: true, totals: { stock: { open: 1, closed: 1, overdue: 1 }, new: { open: 1, closed: 0, overdue: 0 } } });
    const now = await readBurndown(db, campaign, regions.city.path, today, 'region');
    expect(now).toMatchObject({ provisional: true, totals: { stock: { open: 1, overdue: 1 } } });
    const rowsBefore = await db.select().from(campaignSnapshots).where(and(eq(campaignSnapshots.campaignId, campaign.id))).orderBy(asc(campaignSnapshots.day), asc(campaignSnapshots.nodePath), asc(campaignSnapshots.leaderId));

    // Late in the day the overdue stock hazard is closed; the next run, just after midnight, makes the day final.
    const nextDay = addDays(today, 1);
    await sleepUntil(env, at(nextDay, 0) + 5 * 60_000);
    await appendEvents(db, late, [
      { key: 'a/submit', type: 'rectification_submitted', at: at(nextDay, 0) - 2 * HOUR, data: {} },
      { key: 'a/accept', type: 'review_accepted', at: at(nextDay, 0) - HOUR, data: {} },
    ]);
    const second = await client.workflow.execute(campaignSnapshotWorkflow, { taskQueue, workflowId: `campaign-snapshots-${randomBytes(4).toString('hex')}` });
    expect(second).toEqual({ campaigns: 1, finalDays: 1, provisionalDays: 1 });
    expect(await readBurndown(db, campaign, regions.city.path, today, 'region')).toMatchObject({
      provisional: false,
      stockCleared: true,
      stockClearedOn: today,
      totals: { stock: { open: 0, closed: 2, overdue: 0 } },
    });
    expect(await readBurndown(db, campaign, regions.city.path, pastDay, 'region')).toEqual(past);
    const rowsAfter = await db.select().from(campaignSnapshots).where(eq(campaignSnapshots.campaignId, campaign.id)).orderBy(asc(campaignSnapshots.day), asc(campaignSnapshots.nodePath), asc(campaignSnapshots.leaderId));
    expect(rowsAfter.filter((r) => r.day < today)).toEqual(rowsBefore.filter((r) => r.day < today));
  });
});

describe('the snapshot schedule', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  let worker: DubanWorker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('campaign-schedule');
  const scheduleId = `campaign-snapshots-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    [env, database] = await Promise.all([devServerEnv(), createTestDatabase()]);
    worker = await testWorker(env, database.app, taskQueue);
    running = worker.run();
  });
  afterAll(async () => {
    await env?.client.schedule.getHandle(scheduleId).delete().catch(() => {});
    worker?.shutdown();
    await running;
    await env?.teardown();
    await database?.drop();
  });

  it('is created once and updated in place when set up again; a run takes the snapshots as the app', async () => {
    expect(await ensureCampaignSnapshotSchedule(env.client, taskQueue, scheduleId)).toBe('created');
    expect(await ensureCampaignSnapshotSchedule(env.client, taskQueue, scheduleId)).toBe('updated');
    const handle = env.client.schedule.getHandle(scheduleId);
    const described = await handle.describe();
    expect(described.spec.timezone).toBe('Asia/Shanghai');
    expect(described.spec.calendars).toEqual([expect.objectContaining({ minute: [{ start: 5, end: 5, step: 1 }] })]);
    expect(described.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 24 * HOUR });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'campaignSnapshotWorkflow', taskQueue });

    const regions = await insertRegionChain(database.db);
    const today = shanghaiDate(Date.now());
    const campaign = (await createCampaign(database.db, 'admin', regions.city.path, { name: '清零', regionId: regions.city.id, cutoff: addDays(today, -1), target: addDays(today, 10) }))!;
    await handle.trigger();
    const deadline = Date.now() + 30_000;
    let days: string[] = [];
    while (Date.now() < deadline) {
      const rows = await database.db.select({ day: campaignSnapshots.day, final: campaignSnapshots.final }).from(campaignSnapshots).where(eq(campaignSnapshots.campaignId, campaign.id));
      days = rows.map((r) => `${r.day}:${r.final ? 'final' : 'provisional'}`).sort();
      if (days.length >= 2) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(days).toEqual([`${addDays(today, -1)}:final`, `${today}:provisional`]);
  });

  it('counts a hazard imported from a legacy ledger as stock: found before the cut-off, registered after it', async () => {
    const regions = await insertRegionChain(database.db);
    const enterpriseId = await insertEnterprise(database.db, '历史存量企业', regions.grid.id);
    const today = shanghaiDate(Date.now());
    const cutoff = addDays(today, -3);
    const foundAt = shanghaiInstant(addDays(cutoff, -20), 9);
    const hazardId = randomUUID();
    await new HazardGateway(env.client, taskQueue).start({
      hazard: { hazardId, enterpriseId, grade: 'general', policy: DEFAULT_POLICIES.general, deadline: addDays(cutoff, -5) },
      registration: { title: '历史存量隐患', description: '历史存量隐患导入', category: '消防安全', source: 'inspection', location: '', legalBasis: '', requiredMeasures: '', createdBy: 'importer', foundAt: new Date(foundAt).toISOString() },
    });
    const [row] = await database.db.select({ createdAt: hazards.createdAt }).from(hazards).where(eq(hazards.id, hazardId));
    expect(row!.createdAt.getTime()).toBe(foundAt);
    const campaign = (await createCampaign(database.db, 'admin', regions.city.path, { name: '清零', regionId: regions.city.id, cutoff, target: addDays(today, 10) }))!;
    await env.client.workflow.execute(campaignSnapshotWorkflow, { taskQueue, workflowId: `campaign-snapshots-${randomBytes(4).toString('hex')}` });
    expect((await readBurndown(database.db, campaign, regions.city.path, cutoff, 'region')).totals).toMatchObject({ stockTotal: 1, stock: { open: 1, overdue: 1 }, new: { open: 0 } });
  });
});
