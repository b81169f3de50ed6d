/**
 * The hazard workflow on the time-skipping server with real activities writing to Postgres:
 * reminders, the overdue moment and the ladder fire at their exact times; submission stops
 * them; rejection opens a new round; refused commands leave no trace in history.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazardEvents, hazards, notifications } from '../../db/schema';
import type { HazardPolicy } from '../../domain/policy';
import { planRound } from '../../domain/schedule';
import { addDays, dueInstant, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import {
  hazardStateQuery,
  hazardWorkflowId,
  registeredUpdate,
  reviewUpdate,
  submitRectificationUpdate,
  type HazardWorkflowInput,
} from '../../workflows/hazard.messages';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertEnterprise } from '../support/fixtures';
import { testWorker, timeSkippingEnv, uniqueTaskQueue } from '../support/workflow-env';

const POLICY: HazardPolicy = {
  reminderDaysBefore: [7, 3, 1],
  escalation: [
    { afterDays: 1, level: 1, recipientRole: 'supervisor_chief' },
    { afterDays: 3, level: 2, recipientRole: 'responsible_leader' },
    { afterDays: 7, level: 3, recipientRole: 'county_leader' },
  ],
};
const DAY = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let enterpriseId: string;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('hazard-wf');

beforeAll(async () => {
  [env, database] = await Promise.all([timeSkippingEnv(), createTestDatabase()]);
  enterpriseId = await insertEnterprise(database.db);
  worker = await testWorker(env, database.db, taskQueue);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

async function startHazard(deadline: string, extra: Partial<HazardWorkflowInput> = {}) {
  const hazardId = randomUUID();
  const input: HazardWorkflowInput = {
    hazard: { hazardId, enterpriseId, grade: 'major', policy: POLICY, deadline },
    registration: {
      title: '储罐区可燃气体报警器失效',
      description: '',
      category: '消防安全',
      source: 'inspection',
      location: '二号储罐区',
      legalBasis: '',
      requiredMeasures: '更换报警器并联动测试',
      createdBy: 'inspector-li',
    },
    ...extra,
  };
  const handle = await env.client.workflow.start('hazardWorkflow', {
    workflowId: hazardWorkflowId(hazardId),
    taskQueue,
    args: [input],
  });
  await handle.executeUpdate(registeredUpdate);
  return { hazardId, handle };
}

function eventsOf(hazardId: string) {
  return database.db
    .select()
    .from(hazardEvents)
    .where(eq(hazardEvents.hazardId, hazardId))
    .orderBy(asc(hazardEvents.occurredAt), asc(hazardEvents.id));
}

/** Sleeps the test server's clock forward to an instant. */
async function sleepUntil(instant: number) {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}

describe('hazard workflow (time-skipping)', () => {
  it('fires each reminder, the overdue moment and each escalation at its exact time, in order', async () => {
    const startedAt = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(startedAt), 30);
    const { hazardId, handle } = await startHazard(deadline);

    await sleepUntil(shanghaiInstant(addDays(deadline, 10)));

    const expected = planRound(1, deadline, POLICY, startedAt);
    expect(expected.map((s) => s.key)).toEqual([
      'round-1/reminder-7d',
      'round-1/reminder-3d',
      'round-1/reminder-1d',
      'round-1/overdue',
      'round-1/escalation-1d',
      'round-1/escalation-3d',
      'round-1/escalation-7d',
    ]);
    const events = (await eventsOf(hazardId)).filter((e) => e.type !== 'registered');
    expect(events.map((e) => e.stepKey)).toEqual(expected.map((s) => s.key));
    events.forEach((event, i) => {
      // Each step is recorded at the workflow time its timer fired: when it was due, give or
      // take the moment the server takes to hand the workflow its task.
      const lag = event.occurredAt.getTime() - expected[i]!.at;
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(1000);
    });
    // Concretely: the 7-day reminder at 09:00 Shanghai on D-7; overdue at the end of D.
    expect(expected[0]!.at).toBe(shanghaiInstant(addDays(deadline, -7), 9));
    expect(expected[3]!.at).toBe(dueInstant(deadline));
    expect(expected[4]!.at).toBe(shanghaiInstant(addDays(deadline, 1), 9));

    const sent = await database.db.select().from(notifications).where(eq(notifications.hazardId, hazardId));
    expect(sent.filter((n) => n.kind === 'reminder')).toHaveLength(3);
    expect(sent.filter((n) => n.kind === 'escalation').map((n) => [n.level, n.recipientRole])).toEqual([
      [1, 'supervisor_chief'],
      [2, 'responsible_leader'],
      [3, 'county_leader'],
    ]);

    const view = await handle.query(hazardStateQuery);
    expect(view).toMatchObject({ status: 'rectifying', overdue: true, escalationLevel: 3, next: null });
    const [row] = await database.db.select().from(hazards).where(eq(hazards.id, hazardId));
    expect(row).toMatchObject({ status: 'rectifying', escalationLevel: 3, nextStepKind: null });
    expect(row!.overdueSince!.getTime()).toBe(dueInstant(deadline));
    const reminders = sent.filter((n) => n.kind === 'reminder');
    expect(reminders.map((n) => n.scheduledAt.getTime())).toEqual(expected.slice(0, 3).map((s) => s.at));
    expect(reminders[0]!.message).toContain('还有 7 天');
  });

  it('stops every pending reminder and escalation once rectification is submitted', async () => {
    const startedAt = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(startedAt), 30);
    const { hazardId, handle } = await startHazard(deadline);

    await sleepUntil(shanghaiInstant(addDays(deadline, -5)));
    const view = await handle.executeUpdate(submitRectificationUpdate, {
      args: [{ evidence: ['evidence/sha256-abc'], note: '已更换', by: 'enterprise-wang' }],
    });
    expect(view).toMatchObject({ status: 'under_review', next: null });

    await sleepUntil(shanghaiInstant(addDays(deadline, 60)));
    const types = (await eventsOf(hazardId)).map((e) => e.stepKey);
    expect(types).toEqual(['round-0/registered', 'round-1/reminder-7d', 'round-1/submitted']);
    const submitted = (await eventsOf(hazardId)).at(-1)!;
    expect(submitted).toMatchObject({ type: 'rectification_submitted', actor: 'enterprise-wang' });
    expect((await handle.query(hazardStateQuery)).overdue).toBe(false);
  });

  it('starts a new round with a new deadline on rejection, and closes on acceptance', async () => {
    const startedAt = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(startedAt), 5);
    const { hazardId, handle } = await startHazard(deadline);

    await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], by: 'enterprise-wang' }] });
    const now = await env.currentTimeMs();
    const newDeadline = addDays(shanghaiDate(now), 10);
    const rejected = await handle.executeUpdate(reviewUpdate, {
      args: [{ decision: 'reject', reasons: ['照片不清晰'], newDeadline, by: 'inspector-li' }],
    });
    expect(rejected).toMatchObject({ status: 'rectifying', round: 2, deadline: newDeadline, escalationLevel: 0 });
    expect(rejected.next).toMatchObject({ kind: 'reminder', at: new Date(shanghaiInstant(addDays(newDeadline, -7), 9)).toISOString() });

    // The old deadline passes without effect; the new round's ladder runs against the new one.
    await sleepUntil(shanghaiInstant(addDays(newDeadline, 2)));
    const keys = (await eventsOf(hazardId)).map((e) => e.stepKey);
    expect(keys).not.toContain('round-1/overdue');
    expect(keys).toEqual(
      expect.arrayContaining(['round-1/reviewed', 'round-2/reminder-7d', 'round-2/overdue', 'round-2/escalation-1d']),
    );

    await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e2'], by: 'enterprise-wang' }] });
    const closed = await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'inspector-li' }] });
    expect(closed).toMatchObject({ status: 'closed', round: 2 });
    expect(await handle.result()).toMatchObject({ status: 'closed' });
    const [row] = await database.db.select().from(hazards).where(eq(hazards.id, hazardId));
    expect(row).toMatchObject({ status: 'closed', round: 2 });
    expect(row!.closedAt).not.toBeNull();
  });

  it('refuses commands not allowed now in the validator, leaving no trace in history', async () => {
    const deadline = addDays(shanghaiDate(await env.currentTimeMs()), 20);
    const { hazardId, handle } = await startHazard(deadline);
    const before = (await handle.fetchHistory()).events?.length ?? 0;

    const refusal = async (p: Promise<unknown>) => {
      const error = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      return cause as ApplicationFailure;
    };
    const empty = await refusal(handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: [], by: 'ent' }] }));
    expect(empty.type).toBe('InvalidCommand');
    const early = await refusal(handle.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'inspector-li' }] }));
    expect(early.type).toBe('StepNotAllowed');

    // The test server records the workflow tasks that ran the validators (a real server keeps
    // them speculative; the dev-server test asserts an unchanged history), but nothing else.
    const added = ((await handle.fetchHistory()).events ?? []).slice(before);
    expect(
      added.every((e) => e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes),
    ).toBe(true);
    expect((await eventsOf(hazardId)).map((e) => e.type)).toEqual(['registered']);
  });

  it('continues as new when history grows, keeping its state and not repeating steps', async () => {
    const startedAt = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(startedAt), 10);
    const { hazardId, handle } = await startHazard(deadline, { historyLimit: 15 });
    const firstRun = (await handle.describe()).runId;

    await sleepUntil(shanghaiInstant(addDays(deadline, 4)));
    const latest = env.client.workflow.getHandle(hazardWorkflowId(hazardId));
    expect((await latest.describe()).runId).not.toBe(firstRun);
    const view = await latest.query(hazardStateQuery);
    expect(view).toMatchObject({ status: 'rectifying', round: 1, escalationLevel: 2, overdue: true });

    const closed = await latest.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e'], by: 'ent' }] });
    expect(closed.status).toBe('under_review');
    const keys = (await eventsOf(hazardId)).map((e) => e.stepKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([
      'round-0/registered',
      'round-1/reminder-7d',
      'round-1/reminder-3d',
      'round-1/reminder-1d',
      'round-1/overdue',
      'round-1/escalation-1d',
      'round-1/escalation-3d',
      'round-1/submitted',
    ]);
    expect(startedAt + 4 * DAY).toBeLessThan(await env.currentTimeMs());
  });
});
