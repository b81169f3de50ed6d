/**
 * 催办 in the hazard and notice workflows on the time-skipping server, with real activities
 * writing to Postgres: an urge is recorded on the trail with its row and notifications; a second
 * within the quiet window is refused before history (and passed over when a bulk urge signals it),
 * allowed again once the window has passed; the mark survives continue-as-new; a settled case
 * takes no urge.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTimeline, verifyCaseChain } from '../../db/case-events';
import { noticeNotifications, notifications, urges } from '../../db/schema';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES, type HazardPolicy } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { hazardWorkflowId, registeredUpdate, reviewUpdate, submitRectificationUpdate, type HazardWorkflowInput } from '../../workflows/hazard.messages';
import { confirmCompletionUpdate, noticeIssuedUpdate, noticeWorkflowId, type NoticeWorkflowInput } from '../../workflows/notice.messages';
import { bulkUrgeSignal, urgeUpdate } from '../../workflows/urge.messages';
import type { TestDatabase } from '../support/database';
import { startTimeSkippingWorld, type TimeSkippingWorld } from '../support/time-skipping-world';
import { REGISTRATION, eventsOf as recordedEvents, refusal } from '../support/workflow-steps';

const POLICY: HazardPolicy = { reminderDaysBefore: [], escalation: [] };
const HOUR = 3_600_000;

let world: TimeSkippingWorld;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let enterpriseId: string;
let taskQueue: string;

beforeAll(async () => {
  world = await startTimeSkippingWorld('urge-wf');
  ({ env, database, enterpriseId, taskQueue } = world);
});
afterAll(async () => world?.stop());

async function startHazard(extra: Partial<HazardWorkflowInput> = {}) {
  const hazardId = randomUUID();
  const deadline = addDays(shanghaiDate(await env.currentTimeMs()), 20);
  const input: HazardWorkflowInput = { hazard: { hazardId, enterpriseId, grade: 'general', policy: POLICY, deadline }, registration: REGISTRATION, ...extra };
  const handle = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(hazardId), taskQueue, args: [input] });
  await handle.executeUpdate(registeredUpdate);
  return { hazardId, deadline, latest: () => env.client.workflow.getHandle(hazardWorkflowId(hazardId)) };
}

const eventsOf = (hazardId: string) => recordedEvents(database.db, hazardId);
const urgeRows = (itemId: string) => database.db.select().from(urges).where(eq(urges.itemId, itemId)).orderBy(asc(urges.urgedAt));

describe('urging a hazard (time-skipping)', () => {
  it('records the urge with its row and notifications, refuses another within the quiet window, and takes it after', async () => {
    const { hazardId, deadline, latest } = await startHazard();
    const answer = await latest().executeUpdate(urgeUpdate, { args: [{ by: 'leader-a', message: '尽快整改' }] });
    const events = await eventsOf(hazardId);
    expect(events.map((e) => [e.stepKey, e.type, e.actor])).toEqual([
      ['round-0/registered', 'registered', 'inspector-li'],
      ['round-1/urged-s2', 'urged', 'leader-a'],
    ]);
    expect(events[1]!.occurredAt.getTime()).toBe(answer.urgedAt);
    expect(events[1]!.data).toEqual({ message: '尽快整改', status: 'rectifying', deadline, overdue: false });
    expect(await urgeRows(hazardId)).toMatchObject([{ itemKind: 'hazard', stepKey: 'round-1/urged-s2', urgedBy: 'leader-a', message: '尽快整改', bulkUrgeId: null }]);
    const told = await database.db.select().from(notifications).where(and(eq(notifications.hazardId, hazardId), eq(notifications.kind, 'urge')));
    expect(told.map((n) => [n.stepKey, n.recipientRole]).sort()).toEqual([
      ['round-1/urged-s2/enterprise', 'enterprise'],
      ['round-1/urged-s2/supervisor', 'supervisor'],
    ]);

    const refused = await refusal(latest().executeUpdate(urgeUpdate, { args: [{ by: 'leader-city' }] }));
    expect(refused.type).toBe('StepNotAllowed');
    // A bulk urge's signal in the window is passed over: nothing recorded.
    await latest().signal(bulkUrgeSignal, { by: 'leader-city', message: '统一催办', bulkUrgeId: null });
    expect((await eventsOf(hazardId)).length).toBe(2);

    await env.sleep(24 * HOUR + 1000);
    await latest().executeUpdate(urgeUpdate, { args: [{ by: 'leader-city' }] });
    expect((await eventsOf(hazardId)).map((e) => e.type)).toEqual(['registered', 'urged', 'urged']);
    expect((await urgeRows(hazardId)).map((u) => u.urgedBy)).toEqual(['leader-a', 'leader-city']);
  });

  it('passes over a bulk urge that reaches a hazard before its registration is on record', async () => {
    const hazardId = randomUUID();
    const deadline = addDays(shanghaiDate(await env.currentTimeMs()), 20);
    const input: HazardWorkflowInput = { hazard: { hazardId, enterpriseId, grade: 'general', policy: POLICY, deadline }, registration: REGISTRATION };
    // The signal lands in the workflow's first activation, ahead of the registration.
    const handle = await env.client.workflow.signalWithStart('hazardWorkflow', {
      workflowId: hazardWorkflowId(hazardId),
      taskQueue,
      args: [input],
      signal: bulkUrgeSignal,
      signalArgs: [{ by: 'leader-a', message: '统一催办', bulkUrgeId: null }],
    });
    await handle.executeUpdate(registeredUpdate);
    await handle.executeUpdate(urgeUpdate, { args: [{ by: 'leader-city' }] });
    expect((await eventsOf(hazardId)).map((e) => [e.type, e.actor])).toEqual([
      ['registered', 'inspector-li'],
      ['urged', 'leader-city'],
    ]);
  });

  it('keeps the mark across continue-as-new', async () => {
    const { hazardId, latest } = await startHazard({ historyLimit: 5 });
    const firstRun = (await latest().describe()).runId;
    await latest().executeUpdate(urgeUpdate, { args: [{ by: 'leader-a' }] });
    await expect.poll(async () => (await latest().describe()).runId, { timeout: 10_000 }).not.toBe(firstRun);
    expect((await refusal(latest().executeUpdate(urgeUpdate, { args: [{ by: 'leader-a' }] }))).type).toBe('StepNotAllowed');
    expect((await eventsOf(hazardId)).map((e) => e.type)).toEqual(['registered', 'urged']);
  });

  it('urges from a bulk urge’s signal, and takes no urge once closed', async () => {
    const { hazardId, latest } = await startHazard();
    await latest().signal(bulkUrgeSignal, { by: 'leader-a', message: '统一催办', bulkUrgeId: null });
    await expect.poll(async () => (await eventsOf(hazardId)).length, { timeout: 10_000 }).toBe(2);
    expect((await eventsOf(hazardId))[1]).toMatchObject({ type: 'urged', actor: 'leader-a', data: { message: '统一催办' } });

    await env.sleep(25 * HOUR);
    await latest().executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e'], by: 'ent' }] });
    await latest().executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'sup' }] });
    // Closed: its workflow has completed, so nothing more reaches it.
    await expect(latest().executeUpdate(urgeUpdate, { args: [{ by: 'leader-a' }] })).rejects.toThrow();
    expect((await eventsOf(hazardId)).map((e) => e.type)).toEqual(['registered', 'urged', 'rectification_submitted', 'review_accepted']);
  });
});

describe('urging a notice (time-skipping)', () => {
  async function startNotice() {
    const noticeId = randomUUID();
    const rule = DEFAULT_POLICIES.general.deadline!;
    const input: NoticeWorkflowInput = {
      notice: { noticeId, enterpriseId: null, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds: [], rule },
      issue: {
        agency: `测${randomUUID().slice(0, 6)}应急`,
        enterpriseId: null,
        addressee: '测试镇人民政府',
        addresseeRegionId: null,
        regionPath: '/x/',
        title: '督促落实安全生产责任',
        requirements: '按期落实',
        legalBasis: rule.legalBasis,
        grade: 'general',
        policy: DEFAULT_NOTICE_POLICIES.general,
        policyId: null,
        issuedBy: 'inspector-li',
        hazardIds: [],
      },
    };
    const handle = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [input] });
    await handle.executeUpdate(noticeIssuedUpdate);
    return { noticeId, handle };
  }

  it('records the urge on the notice’s chain with its notifications, refuses a second, and none once closed', async () => {
    const { noticeId, handle } = await startNotice();
    await handle.executeUpdate(urgeUpdate, { args: [{ by: 'leader-a', message: '请按期落实' }] });
    const trail = await caseTimeline(database.db, 'notice', noticeId);
    expect(trail.map((e) => [e.type, e.actor])).toEqual([
      ['issued', 'inspector-li'],
      ['urged', 'leader-a'],
    ]);
    expect(trail[1]!.data).toMatchObject({ message: '请按期落实', status: 'issued', overdue: false });
    expect(await urgeRows(noticeId)).toMatchObject([{ itemKind: 'notice', urgedBy: 'leader-a', regionPath: '/x/', enterpriseId: null }]);
    const told = await database.db.select().from(noticeNotifications).where(and(eq(noticeNotifications.noticeId, noticeId), eq(noticeNotifications.kind, 'urge')));
    expect(told.map((n) => n.recipientRole).sort()).toEqual(['enterprise', 'supervisor']);
    expect(told[0]!.message).toMatch(/^【催办】督办通知“.+〔\d{4}〕1号 督促落实安全生产责任”/);
    expect(await verifyCaseChain(database.db, 'notice', noticeId)).toMatchObject({ broken: null });

    expect((await refusal(handle.executeUpdate(urgeUpdate, { args: [{ by: 'leader-city' }] }))).type).toBe('StepNotAllowed');
    await env.sleep(25 * HOUR);
    await handle.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已落实', by: 'sup' }] });
    await expect(handle.executeUpdate(urgeUpdate, { args: [{ by: 'leader-a' }] })).rejects.toThrow();
    expect((await caseTimeline(database.db, 'notice', noticeId)).map((e) => e.type)).toEqual(['issued', 'urged', 'closed']);
  });
});
