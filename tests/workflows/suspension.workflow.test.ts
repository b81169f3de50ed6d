/**
 * The suspension workflow on the time-skipping server with real activities writing to Postgres:
 * reminders, the review-overdue escalation and the maximum escalation fire at their exact
 * instants; a resumption request, its rejection, an extension and an approval move the clock and
 * end it; refused commands leave no trace in history.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTimeline, verifyCaseChain } from '../../db/case-events';
import { suspensionNotifications, suspensions } from '../../db/schema';
import type { NewSuspension } from '../../domain/suspension';
import { addDays, dueInstant, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import {
  applyResumptionUpdate,
  extendSuspensionUpdate,
  liftSuspensionUpdate,
  orderedUpdate,
  reviewResumptionUpdate,
  suspensionStateQuery,
  suspensionWorkflowId,
  type SuspensionWorkflowInput,
} from '../../workflows/suspension.messages';
import type { TestDatabase } from '../support/database';
import { startTimeSkippingWorld, type TimeSkippingWorld } from '../support/time-skipping-world';

let world: TimeSkippingWorld;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let enterpriseId: string;
let taskQueue: string;

beforeAll(async () => {
  world = await startTimeSkippingWorld('suspension-wf');
  ({ env, database, enterpriseId, taskQueue } = world);
});

afterAll(async () => world?.stop());

async function order(plannedEndInDays: number, extra: Partial<NewSuspension> = {}, opts: Partial<SuspensionWorkflowInput> = {}) {
  const suspensionId = randomUUID();
  const today = shanghaiDate(await env.currentTimeMs());
  const suspension: NewSuspension = {
    suspensionId,
    enterpriseId,
    hazardId: null,
    origin: { type: 'notice_decision', id: 'notice-42' },
    documentNumber: '甲县应急停〔2026〕3号',
    reason: '重大事故隐患逾期未整改',
    scope: 'full',
    scopeNote: '',
    startsOn: today,
    plannedEnd: addDays(today, plannedEndInDays),
    maxDays: 60,
    orderedBy: 'supervisor-a',
    ...extra,
  };
  const handle = await env.client.workflow.start('suspensionWorkflow', {
    workflowId: suspensionWorkflowId(suspensionId),
    taskQueue,
    args: [{ suspension, ...opts } satisfies SuspensionWorkflowInput],
  });
  await handle.executeUpdate(orderedUpdate);
  return { suspensionId, handle, suspension };
}

const events = (id: string) => caseTimeline(database.db, 'suspension', id);
const notes = (id: string) =>
  database.db.select().from(suspensionNotifications).where(eq(suspensionNotifications.suspensionId, id)).orderBy(asc(suspensionNotifications.scheduledAt));
const row = async (id: string) => (await database.db.select().from(suspensions).where(eq(suspensions.id, id)))[0]!;

async function sleepUntil(instant: number) {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}

async function refusal(p: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

const nonTaskEvents = (list: Array<Record<string, unknown>>) =>
  list.filter((e) => !(e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes));

/** Each step is recorded at the workflow time its timer fired, give or take a task hand-over. */
function expectAt(occurredAt: Date, instant: number) {
  const lag = occurredAt.getTime() - instant;
  expect(lag).toBeGreaterThanOrEqual(0);
  expect(lag).toBeLessThan(1000);
}

const passed = { note: '整改完成', evidence: ['photo-1'], selfCheck: { passed: true, summary: '自查合格' }, by: 'enterprise-a' };

describe('suspension workflow (time-skipping)', () => {
  it('reminds, takes a request, a rejection, an extension and an approval; no timer fires after resumption', async () => {
    const { suspensionId, handle, suspension } = await order(30);
    const plannedEnd = suspension.plannedEnd;
    expect(await row(suspensionId)).toMatchObject({ status: 'suspended', plannedEnd, maxEnd: addDays(suspension.startsOn, 60), maxDays: 60, documentNumber: suspension.documentNumber, origin: suspension.origin });

    // Both reminders at 09:00 Shanghai, 7 and 1 days before the planned end.
    await sleepUntil(shanghaiInstant(addDays(plannedEnd, -1), 12));
    const sent = await notes(suspensionId);
    expect(sent.map((n) => [n.stepKey, n.kind, n.recipientRole, n.scheduledAt.getTime()])).toEqual([
      ['plan-1/reminder-7d', 'reminder', 'enterprise', shanghaiInstant(addDays(plannedEnd, -7), 9)],
      ['plan-1/reminder-1d', 'reminder', 'enterprise', shanghaiInstant(addDays(plannedEnd, -1), 9)],
    ]);
    const reminderEvents = (await events(suspensionId)).filter((e) => e.type === 'reminder_sent');
    expectAt(reminderEvents[0]!.occurredAt, shanghaiInstant(addDays(plannedEnd, -7), 9));
    expectAt(reminderEvents[1]!.occurredAt, shanghaiInstant(addDays(plannedEnd, -1), 9));
    expect(sent[0]!.message).toContain('还有 7 天');

    const asked = await handle.executeUpdate(applyResumptionUpdate, { args: [passed] });
    expect(asked).toMatchObject({ status: 'resumption_requested' });

    const newEnd = addDays(plannedEnd, 10);
    const rejected = await handle.executeUpdate(reviewResumptionUpdate, { args: [{ decision: 'reject', reasons: ['通风系统未整改'], plannedEnd: newEnd, by: 'supervisor-a' }] });
    expect(rejected).toMatchObject({ status: 'suspended', plannedEnd: newEnd, reviewOverdueSince: null });
    // The old planned end passes without an escalation: it moved.
    await sleepUntil(shanghaiInstant(addDays(plannedEnd, 2), 12));
    expect((await events(suspensionId)).map((e) => e.type)).not.toContain('review_overdue');

    const extendedEnd = addDays(plannedEnd, 20);
    const extended = await handle.executeUpdate(extendSuspensionUpdate, { args: [{ plannedEnd: extendedEnd, reason: '设备到货推迟', by: 'leader-a' }] });
    expect(extended).toMatchObject({ plannedEnd: extendedEnd, next: { kind: 'reminder', at: shanghaiInstant(addDays(extendedEnd, -7), 9) } });

    await sleepUntil(shanghaiInstant(addDays(extendedEnd, -7), 10));
    await handle.executeUpdate(applyResumptionUpdate, { args: [passed] });
    const resumed = await handle.executeUpdate(reviewResumptionUpdate, { args: [{ decision: 'approve', comment: '验收合格', by: 'supervisor-a' }] });
    expect(resumed).toMatchObject({ status: 'resumed', next: null });
    const result = await handle.result();
    expect(result.status).toBe('resumed');

    // Far past the planned and the maximum end: nothing more fires.
    await sleepUntil(dueInstant(addDays(suspension.startsOn, 70)));
    const timeline = await events(suspensionId);
    expect(timeline.map((e) => [e.stepKey, e.type, e.actor])).toEqual([
      ['ordered', 'ordered', 'supervisor-a'],
      ['plan-1/reminder-7d', 'reminder_sent', 'system'],
      ['plan-1/reminder-1d', 'reminder_sent', 'system'],
      ['request-1/requested', 'resumption_requested', 'enterprise-a'],
      ['request-1/reviewed', 'resumption_rejected', 'supervisor-a'],
      ['extension-1', 'extended', 'leader-a'],
      ['plan-3/reminder-7d', 'reminder_sent', 'system'],
      ['request-2/requested', 'resumption_requested', 'enterprise-a'],
      ['request-2/reviewed', 'resumption_approved', 'supervisor-a'],
    ]);
    expect(timeline[4]!.data).toMatchObject({ reasons: ['通风系统未整改'], previousPlannedEnd: plannedEnd, plannedEnd: newEnd });
    expect(timeline[5]!.data).toMatchObject({ previousPlannedEnd: newEnd, plannedEnd: extendedEnd, reason: '设备到货推迟' });
    expect(await verifyCaseChain(database.db, 'suspension', suspensionId)).toEqual({ rows: 9, broken: null });
    const final = await row(suspensionId);
    expect(final).toMatchObject({ status: 'resumed', plannedEnd: extendedEnd, reviewOverdueSince: null, nextStepKind: null });
    expect(final.resumedAt!.getTime()).toBe(timeline[8]!.occurredAt.getTime());
    expect(final.resumptionRequestedAt!.getTime()).toBe(timeline[7]!.occurredAt.getTime());
  });

  it('never resumed: overdue for review at the end of the planned end day, then the maximum escalation at the end of the maximum day; still suspended', async () => {
    const { suspensionId, handle, suspension } = await order(3, { maxDays: 10 });
    const { plannedEnd } = suspension;
    const maxEnd = addDays(suspension.startsOn, 10);

    await sleepUntil(dueInstant(maxEnd) + 60 * 60 * 1000);
    const timeline = await events(suspensionId);
    // The 7-day reminder's moment had passed when the order was given: only the 1-day one is sent.
    expect(timeline.map((e) => e.stepKey)).toEqual(['ordered', 'plan-1/reminder-1d', 'plan-1/review-overdue', 'maximum-reached']);
    expectAt(timeline[2]!.occurredAt, dueInstant(plannedEnd));
    expectAt(timeline[3]!.occurredAt, dueInstant(maxEnd));
    expect(timeline[2]).toMatchObject({ type: 'review_overdue', data: { recipientRole: 'supervisor_chief', plannedEnd } });
    expect(timeline[3]).toMatchObject({ type: 'maximum_reached', data: { recipientRole: 'county_leader', maxEnd, maxDays: 10 } });

    const sent = await notes(suspensionId);
    expect(sent.map((n) => [n.kind, n.recipientRole, n.scheduledAt.getTime()])).toEqual([
      ['reminder', 'enterprise', shanghaiInstant(addDays(plannedEnd, -1), 9)],
      ['escalation', 'supervisor_chief', dueInstant(plannedEnd)],
      ['escalation', 'county_leader', dueInstant(maxEnd)],
    ]);
    expect(sent[2]!.message).toContain('10 天');

    const view = await handle.query(suspensionStateQuery);
    expect(view).toMatchObject({ status: 'suspended', reviewOverdueSince: dueInstant(plannedEnd), maximumReachedAt: dueInstant(maxEnd), next: null });
    const r = await row(suspensionId);
    expect(r.status).toBe('suspended');
    expect(r.reviewOverdueSince!.getTime()).toBe(dueInstant(plannedEnd));
    expect(r.maximumReachedAt!.getTime()).toBe(dueInstant(maxEnd));

    // Past the maximum it still takes a leader's lifting, with its document number.
    const lifted = await handle.executeUpdate(liftSuspensionUpdate, { args: [{ documentNumber: '甲县应急解〔2026〕1号', reason: '停产决定撤销', by: 'leader-a' }] });
    expect(lifted.status).toBe('lifted');
    expect((await handle.result()).status).toBe('lifted');
    expect((await events(suspensionId)).at(-1)).toMatchObject({ type: 'lifted', actor: 'leader-a', data: { documentNumber: '甲县应急解〔2026〕1号' } });
  });

  it('refuses commands not allowed now and bad input in the validator, leaving no trace in history', async () => {
    const { suspensionId, handle, suspension } = await order(20, { maxDays: 30 });
    const before = (await handle.fetchHistory()).events ?? [];

    expect((await refusal(handle.executeUpdate(reviewResumptionUpdate, { args: [{ decision: 'approve', by: 'supervisor-a' }] }))).type).toBe('StepNotAllowed');
    const failed = await refusal(handle.executeUpdate(applyResumptionUpdate, { args: [{ ...passed, selfCheck: { passed: false, summary: '未完成' } }] }));
    expect(failed).toMatchObject({ type: 'InvalidCommand' });
    expect(failed.details).toEqual([{ field: 'selfCheck.passed', code: 'resumption-self-check-failed' }]);
    const tooFar = await refusal(handle.executeUpdate(extendSuspensionUpdate, { args: [{ plannedEnd: addDays(suspension.startsOn, 31), reason: '延长', by: 'leader-a' }] }));
    expect(tooFar.type).toBe('InvalidCommand');
    expect(tooFar.details).toEqual([{ field: 'plannedEnd', limit: { name: 'major.suspensionMaxDays', value: 30 }, code: 'suspension-max-days' }]);
    expect((await refusal(handle.executeUpdate(extendSuspensionUpdate, { args: [{ plannedEnd: suspension.plannedEnd, reason: '延长', by: 'leader-a' }] }))).details).toEqual([{ field: 'plannedEnd' }]);
    expect((await refusal(handle.executeUpdate(liftSuspensionUpdate, { args: [{ documentNumber: ' ', reason: '撤销', by: 'leader-a' }] }))).details).toEqual([{ field: 'documentNumber' }]);

    await handle.executeUpdate(applyResumptionUpdate, { args: [passed] });
    const pending = (await handle.fetchHistory()).events ?? [];
    expect((await refusal(handle.executeUpdate(applyResumptionUpdate, { args: [passed] }))).type).toBe('StepNotAllowed');
    const beyond = await refusal(
      handle.executeUpdate(reviewResumptionUpdate, { args: [{ decision: 'reject', reasons: ['不合格'], plannedEnd: addDays(suspension.startsOn, 31), by: 'supervisor-a' }] }),
    );
    expect(beyond.details).toEqual([{ field: 'plannedEnd', limit: { name: 'major.suspensionMaxDays', value: 30 }, code: 'suspension-max-days' }]);
    expect((await refusal(handle.executeUpdate(reviewResumptionUpdate, { args: [{ decision: 'reject', reasons: [], by: 'supervisor-a' }] }))).details).toEqual([{ field: 'reasons' }]);

    // The test server records workflow tasks for validators too, but nothing else.
    const after = (await handle.fetchHistory()).events ?? [];
    expect(before.length).toBeGreaterThan(0);
    expect(nonTaskEvents(after.slice(pending.length) as Array<Record<string, unknown>>)).toEqual([]);
    expect((await events(suspensionId)).map((e) => e.type)).toEqual(['ordered', 'resumption_requested']);
    expect((await row(suspensionId)).status).toBe('resumption_requested');
  });

  it('continues as new when history grows, keeping its state and not repeating steps', async () => {
    const { suspensionId, handle, suspension } = await order(8, { maxDays: 12 }, { historyLimit: 12 });
    for (let i = 1; i <= 3; i++) {
      await handle.executeUpdate(extendSuspensionUpdate, { args: [{ plannedEnd: addDays(suspension.plannedEnd, i), reason: `第${i}次延长`, by: 'leader-a' }] });
    }
    await sleepUntil(dueInstant(addDays(suspension.startsOn, 12)) + 1000);
    const latest = env.client.workflow.getHandle(suspensionWorkflowId(suspensionId));
    const view = await latest.query(suspensionStateQuery);
    expect(view).toMatchObject({ status: 'suspended', plannedEnd: addDays(suspension.plannedEnd, 3), maximumReachedAt: dueInstant(addDays(suspension.startsOn, 12)) });
    const keys = (await events(suspensionId)).map((e) => e.stepKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(['ordered', 'extension-1', 'extension-2', 'extension-3', 'plan-4/reminder-7d', 'plan-4/reminder-1d', 'plan-4/review-overdue', 'maximum-reached']);
    expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId);
  });
});
