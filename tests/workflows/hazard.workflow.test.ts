/**
 * The hazard workflow on the time-skipping server with real activities writing to Postgres:
 * reminders, the overdue moment and the ladder fire at their exact times; submission stops
 * them; rejection opens a new round; an approved extension moves every pending timer, a denied
 * one moves none; refused commands leave no trace in history.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { asc, eq } from 'drizzle-orm';
import { quietOffsetMs } from '../../domain/quiet-offset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazards, notifications } from '../../db/schema';
import type { HazardPolicy } from '../../domain/policy';
import { planRound } from '../../domain/schedule';
import { addDays, dueInstant, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import {
  decideExtensionUpdate,
  hazardStateQuery,
  hazardWorkflowId,
  registeredUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  submitRectificationUpdate,
  type HazardWorkflowInput,
} from '../../workflows/hazard.messages';
import { SAMPLE_LADDER_POLICY as POLICY } from '../../scripts/sample-hazard';
import type { TestDatabase } from '../support/database';
import { startTimeSkippingWorld, type TimeSkippingWorld } from '../support/time-skipping-world';
import { REGISTRATION, eventsOf as recordedEvents, refusal, sleepUntil as sleepClockUntil } from '../support/workflow-steps';

const DAY = 24 * 60 * 60 * 1000;

let world: TimeSkippingWorld;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let enterpriseId: string;
let taskQueue: string;

beforeAll(async () => {
  world = await startTimeSkippingWorld('hazard-wf');
  ({ env, database, enterpriseId, taskQueue } = world);
});

afterAll(async () => world?.stop());

async function startHazard(deadline: string, extra: Partial<HazardWorkflowInput> = {}, policy: HazardPolicy = POLICY) {
  const hazardId = randomUUID();
  const input: HazardWorkflowInput = {
    hazard: { hazardId, enterpriseId, grade: 'major', policy, deadline },
    registration: REGISTRATION,
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

const eventsOf = (hazardId: string) => recordedEvents(database.db, hazardId);
const sleepUntil = (instant: number) => sleepClockUntil(env, instant);

/** History events other than workflow tasks (which the test server records for validators too). */
const nonTaskEvents = (events: Array<Record<string, unknown>>) =>
  events.filter((e) => !(e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes));

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
    // The overdue mark tells no one: it comes at the hazard's own offset after midnight.
    const quiet = quietOffsetMs(hazardWorkflowId(hazardId));
    events.forEach((event, i) => {
      // Each step is recorded at the workflow time its timer fired: when it was due, give or
      // take the moment the server takes to hand the workflow its task.
      const lag = event.occurredAt.getTime() - expected[i]!.at - (expected[i]!.kind === 'overdue' ? quiet : 0);
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
    // Steps that reach people keep their office hour; only the quiet mark moves, by less than five minutes.
    expect(quiet).toBeGreaterThanOrEqual(0);
    expect(quiet).toBeLessThan(5 * 60_000);
    expect(reminders[0]!.message).toContain('还有 7 天');
  });

  it('spreads the overdue marks of hazards due the same day by their own offsets; escalations stay at 09:00', async () => {
    const deadline = addDays(shanghaiDate(await env.currentTimeMs()), 3);
    const started = [await startHazard(deadline), await startHazard(deadline), await startHazard(deadline)];
    await sleepUntil(shanghaiInstant(addDays(deadline, 1), 10));
    const marks = new Set<number>();
    for (const { hazardId } of started) {
      const events = await eventsOf(hazardId);
      const overdue = events.find((e) => e.type === 'became_overdue')!;
      const lag = overdue.occurredAt.getTime() - dueInstant(deadline) - quietOffsetMs(hazardWorkflowId(hazardId));
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(1000);
      marks.add(overdue.occurredAt.getTime());
      const first = events.find((e) => e.stepKey === 'round-1/escalation-1d')!;
      expect(first.occurredAt.getTime() - shanghaiInstant(addDays(deadline, 1), 9)).toBeLessThan(1000);
    }
    // Three random ids share an offset with odds of about one in ten thousand.
    expect(marks.size).toBe(3);
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

describe('extensions (time-skipping)', () => {
  const ask = (requestedDeadline: string, reason = '报警器需厂家定制，到货约十天') => ({ requestedDeadline, reason, by: 'enterprise-wang' });
  const rowOf = async (hazardId: string) => (await database.db.select().from(hazards).where(eq(hazards.id, hazardId)))[0]!;
  const iso = (t: number) => new Date(t).toISOString();

  it('moves every pending timer to the approved deadline, at the exact instants planRound gives; nothing fires at the old deadline', async () => {
    const startedAt = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(startedAt), 20);
    const { hazardId, handle } = await startHazard(deadline);
    const oldPlan = planRound(1, deadline, POLICY, startedAt);

    // The 7-day reminder goes out for the old deadline; a day later the enterprise asks for 10 more days.
    await sleepUntil(shanghaiInstant(addDays(deadline, -6), 10));
    const newDeadline = addDays(deadline, 10);
    const asked = await handle.executeUpdate(requestExtensionUpdate, { args: [ask(newDeadline)] });
    expect(asked).toMatchObject({ deadline, extension: { pending: { number: 1, requestedDeadline: newDeadline, by: 'enterprise-wang' }, count: 0 } });
    expect(asked.next).toMatchObject({ kind: 'reminder', at: iso(oldPlan[1]!.at) });
    expect(await rowOf(hazardId)).toMatchObject({ extensionPending: true, extensionRequest: { requestedDeadline: newDeadline, by: 'enterprise-wang' }, deadline });

    // The supervisor approves the next day, before the old 3-day reminder.
    await sleepUntil(shanghaiInstant(addDays(deadline, -5), 11));
    const approved = await handle.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'approve', by: 'inspector-li' }] });
    const approvedAt = Date.parse(approved.extension.granted[0]!.at);
    const expected = planRound(1, newDeadline, POLICY, approvedAt, 'ext-1');
    expect(expected.map((s) => [s.key, s.at])).toEqual([
      ['round-1/ext-1/reminder-7d', shanghaiInstant(addDays(newDeadline, -7), 9)],
      ['round-1/ext-1/reminder-3d', shanghaiInstant(addDays(newDeadline, -3), 9)],
      ['round-1/ext-1/reminder-1d', shanghaiInstant(addDays(newDeadline, -1), 9)],
      ['round-1/ext-1/overdue', dueInstant(newDeadline)],
      ['round-1/ext-1/escalation-1d', shanghaiInstant(addDays(newDeadline, 1), 9)],
      ['round-1/ext-1/escalation-3d', shanghaiInstant(addDays(newDeadline, 3), 9)],
      ['round-1/ext-1/escalation-7d', shanghaiInstant(addDays(newDeadline, 7), 9)],
    ]);
    expect(approved).toMatchObject({
      deadline: newDeadline,
      dueAt: iso(dueInstant(newDeadline)),
      next: { kind: 'reminder', at: iso(expected[0]!.at) },
      extension: { pending: null, originalDeadline: deadline, count: 1, totalDays: 10 },
    });
    expect(await rowOf(hazardId)).toMatchObject({
      deadline: newDeadline,
      dueAt: new Date(dueInstant(newDeadline)),
      originalDeadline: deadline,
      extensionPending: false,
      extensionRequest: null,
      extensionsGranted: 1,
      roundExtensions: 1,
      nextStepKind: 'reminder',
      nextStepAt: new Date(expected[0]!.at),
    });

    await sleepUntil(shanghaiInstant(addDays(newDeadline, 10)));
    const events = await eventsOf(hazardId);
    expect(events.map((e) => e.stepKey)).toEqual([
      'round-0/registered',
      'round-1/reminder-7d',
      'round-1/extension-request-1/requested',
      'round-1/extension-request-1/approved',
      ...expected.map((s) => s.key),
    ]);
    const moved = events.slice(4);
    moved.forEach((event, i) => {
      const lag = event.occurredAt.getTime() - expected[i]!.at - (expected[i]!.kind === 'overdue' ? quietOffsetMs(hazardWorkflowId(hazardId)) : 0);
      expect(lag, event.stepKey).toBeGreaterThanOrEqual(0);
      expect(lag, event.stepKey).toBeLessThan(1000);
    });
    // Nothing of the old plan happened once the deadline had moved: at the old deadline's end
    // nothing at all; at its other instants only a step of the new plan that falls there too
    // (the old 3-day escalation and the new 7-day reminder are both at 09:00 on D+3).
    const at = (e: (typeof events)[number], t: number) => e.occurredAt.getTime() >= t && e.occurredAt.getTime() < t + 1000;
    expect(events.filter((e) => at(e, dueInstant(deadline)))).toEqual([]);
    for (const step of oldPlan.filter((s) => s.at > approvedAt)) {
      expect(events.filter((e) => at(e, step.at) && !e.stepKey.startsWith('round-1/ext-1/')), step.key).toEqual([]);
    }
    expect(events[2]).toMatchObject({
      type: 'extension_requested',
      actor: 'enterprise-wang',
      data: { round: 1, request: 1, requestedDeadline: newDeadline, currentDeadline: deadline, reason: '报警器需厂家定制，到货约十天' },
    });
    expect(events[3]).toMatchObject({
      type: 'extension_approved',
      actor: 'inspector-li',
      data: { round: 1, request: 1, extension: 1, previousDeadline: deadline, newDeadline, days: 10, totalDays: 10, requestedBy: 'enterprise-wang' },
    });

    const sent = await database.db.select().from(notifications).where(eq(notifications.hazardId, hazardId)).orderBy(asc(notifications.scheduledAt));
    expect(sent.map((n) => [n.stepKey, n.scheduledAt.getTime()])).toEqual([
      ['round-1/reminder-7d', oldPlan[0]!.at],
      ...expected.filter((s) => s.kind !== 'overdue').map((s) => [s.key, s.at]),
    ]);
    expect(sent.find((n) => n.stepKey === 'round-1/ext-1/reminder-3d')!.message).toContain(newDeadline);
    const row = await rowOf(hazardId);
    expect(row).toMatchObject({ escalationLevel: 3, nextStepKind: null });
    expect(row.overdueSince!.getTime()).toBe(dueInstant(newDeadline));
    expect(await handle.query(hazardStateQuery)).toMatchObject({ overdue: true, escalationLevel: 3, deadline: newDeadline });
  });

  it('keeps every timer where it was when the request is denied', async () => {
    const startedAt = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(startedAt), 10);
    const { hazardId, handle } = await startHazard(deadline);
    const plan = planRound(1, deadline, POLICY, startedAt);

    await handle.executeUpdate(requestExtensionUpdate, { args: [ask(addDays(deadline, 5))] });
    const denied = await handle.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'deny', reason: '整改措施可在期限内完成', by: 'inspector-li' }] });
    expect(denied).toMatchObject({ deadline, extension: { pending: null, count: 0, granted: [] }, next: { kind: 'reminder', at: iso(plan[0]!.at) } });

    await sleepUntil(shanghaiInstant(addDays(deadline, 10)));
    const events = await eventsOf(hazardId);
    expect(events.map((e) => e.stepKey)).toEqual([
      'round-0/registered',
      'round-1/extension-request-1/requested',
      'round-1/extension-request-1/denied',
      ...plan.map((s) => s.key),
    ]);
    events.slice(3).forEach((event, i) => {
      const lag = event.occurredAt.getTime() - plan[i]!.at - (plan[i]!.kind === 'overdue' ? quietOffsetMs(hazardWorkflowId(hazardId)) : 0);
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(1000);
    });
    expect(events[2]).toMatchObject({
      type: 'extension_denied',
      actor: 'inspector-li',
      data: { round: 1, request: 1, reason: '整改措施可在期限内完成', requestedBy: 'enterprise-wang' },
    });
    const row = await rowOf(hazardId);
    expect(row).toMatchObject({ deadline, originalDeadline: deadline, extensionPending: false, extensionsGranted: 0, escalationLevel: 3 });
    expect(row.overdueSince!.getTime()).toBe(dueInstant(deadline));
  });

  it('refuses requests beyond the limits and bad decisions in the validator, leaving no trace in history', async () => {
    const policy: HazardPolicy = { ...POLICY, extension: { maxCount: 1, maxTotalDays: 10, minLeadDays: 2 } };
    const deadline = addDays(shanghaiDate(await env.currentTimeMs()), 10);
    const { hazardId, handle } = await startHazard(deadline, {}, policy);
    const before = (await handle.fetchHistory()).events ?? [];

    const tooFar = await refusal(handle.executeUpdate(requestExtensionUpdate, { args: [ask(addDays(deadline, 11))] }));
    expect(tooFar.type).toBe('InvalidCommand');
    expect(tooFar.details).toEqual([{ field: 'requestedDeadline', limit: { name: 'extension.maxTotalDays', value: 10 }, code: 'extension-max-total-days' }]);
    const notLater = await refusal(handle.executeUpdate(requestExtensionUpdate, { args: [ask(deadline)] }));
    expect(notLater).toMatchObject({ type: 'InvalidCommand', details: [{ field: 'requestedDeadline' }] });
    const noReason = await refusal(handle.executeUpdate(requestExtensionUpdate, { args: [ask(addDays(deadline, 3), ' ')] }));
    expect(noReason).toMatchObject({ type: 'InvalidCommand', details: [{ field: 'reason' }] });
    const nothingPending = await refusal(handle.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'approve', by: 'inspector-li' }] }));
    expect(nothingPending.type).toBe('StepNotAllowed');

    const after = (await handle.fetchHistory()).events ?? [];
    const added = nonTaskEvents(after.slice(before.length) as Array<Record<string, unknown>>);
    expect(added).toEqual([]);
    expect((await eventsOf(hazardId)).map((e) => e.type)).toEqual(['registered']);

    // The one extension this policy allows: a second request while it is pending, an approval
    // later than requested and a denial without reason are refused; then the count is used up.
    await handle.executeUpdate(requestExtensionUpdate, { args: [ask(addDays(deadline, 4))] });
    const historyPending = (await handle.fetchHistory()).events ?? [];
    expect((await refusal(handle.executeUpdate(requestExtensionUpdate, { args: [ask(addDays(deadline, 5))] }))).type).toBe('StepNotAllowed');
    const later = await refusal(handle.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'approve', newDeadline: addDays(deadline, 5), by: 'inspector-li' }] }));
    expect(later).toMatchObject({ type: 'InvalidCommand', details: [{ field: 'newDeadline' }] });
    const bare = await refusal(handle.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'deny', reason: '', by: 'inspector-li' }] }));
    expect(bare).toMatchObject({ type: 'InvalidCommand', details: [{ field: 'reason' }] });
    expect(nonTaskEvents(((await handle.fetchHistory()).events ?? []).slice(historyPending.length) as Array<Record<string, unknown>>)).toEqual([]);

    const shorter = await handle.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'approve', newDeadline: addDays(deadline, 3), by: 'inspector-li' }] });
    expect(shorter).toMatchObject({ deadline: addDays(deadline, 3), extension: { count: 1, totalDays: 3 } });
    const used = await refusal(handle.executeUpdate(requestExtensionUpdate, { args: [ask(addDays(deadline, 6))] }));
    expect(used.details).toEqual([{ field: 'requestedDeadline', limit: { name: 'extension.maxCount', value: 1 }, code: 'extension-max-count' }]);
    expect((await eventsOf(hazardId)).map((e) => e.type)).toEqual(['registered', 'extension_requested', 'extension_approved']);

    // Too late: with two days' lead required, a deadline tomorrow cannot be extended any more.
    const soon = await startHazard(addDays(shanghaiDate(await env.currentTimeMs()), 1), {}, policy);
    const late = await refusal(soon.handle.executeUpdate(requestExtensionUpdate, { args: [ask(addDays(shanghaiDate(await env.currentTimeMs()), 5))] }));
    expect(late.details).toEqual([{ field: 'requestedDeadline', limit: { name: 'extension.minLeadDays', value: 2 }, code: 'extension-min-lead-days' }]);
    expect((await eventsOf(soon.hazardId)).map((e) => e.type)).toEqual(['registered']);
  });

  it('carries the extensions granted across continue-as-new', async () => {
    const deadline = addDays(shanghaiDate(await env.currentTimeMs()), 10);
    const { hazardId, handle } = await startHazard(deadline, { historyLimit: 15 });
    const firstRun = (await handle.describe()).runId;
    const newDeadline = addDays(deadline, 5);
    await handle.executeUpdate(requestExtensionUpdate, { args: [ask(newDeadline)] });
    await handle.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'approve', by: 'inspector-li' }] });

    await sleepUntil(shanghaiInstant(addDays(newDeadline, 4)));
    const latest = env.client.workflow.getHandle(hazardWorkflowId(hazardId));
    expect((await latest.describe()).runId).not.toBe(firstRun);
    const view = await latest.query(hazardStateQuery);
    expect(view).toMatchObject({ deadline: newDeadline, escalationLevel: 2, overdue: true, extension: { count: 1, totalDays: 5, originalDeadline: deadline } });
    // Overdue now: too late to ask again (the lead time), whatever the count allows.
    const late = await refusal(latest.executeUpdate(requestExtensionUpdate, { args: [ask(addDays(newDeadline, 5))] }));
    expect(late.details).toEqual([{ field: 'requestedDeadline', limit: { name: 'extension.minLeadDays', value: 1 }, code: 'extension-min-lead-days' }]);
    const keys = (await eventsOf(hazardId)).map((e) => e.stepKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.startsWith('round-1/ext-1/'))).toEqual([
      'round-1/ext-1/reminder-7d',
      'round-1/ext-1/reminder-3d',
      'round-1/ext-1/reminder-1d',
      'round-1/ext-1/overdue',
      'round-1/ext-1/escalation-1d',
      'round-1/ext-1/escalation-3d',
    ]);
  });

  it('lets a pending request lapse when the rectification is submitted, and records it', async () => {
    const deadline = addDays(shanghaiDate(await env.currentTimeMs()), 10);
    const { hazardId, handle } = await startHazard(deadline);
    await handle.executeUpdate(requestExtensionUpdate, { args: [ask(addDays(deadline, 3))] });
    const submitted = await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], by: 'enterprise-wang' }] });
    expect(submitted).toMatchObject({ status: 'under_review', deadline, extension: { pending: null, count: 0 } });
    const events = await eventsOf(hazardId);
    expect(events.map((e) => [e.stepKey, e.type])).toEqual([
      ['round-0/registered', 'registered'],
      ['round-1/extension-request-1/requested', 'extension_requested'],
      ['round-1/submitted', 'rectification_submitted'],
      ['round-1/extension-request-1/lapsed', 'extension_lapsed'],
    ]);
    expect(events[3]).toMatchObject({
      actor: 'enterprise-wang',
      data: { round: 1, request: 1, requestedDeadline: addDays(deadline, 3), because: 'rectification_submitted' },
    });
    expect(await rowOf(hazardId)).toMatchObject({ status: 'under_review', extensionPending: false, extensionRequest: null });
    expect((await refusal(handle.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'approve', by: 'inspector-li' }] }))).type).toBe('StepNotAllowed');
  });
});
