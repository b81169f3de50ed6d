/**
 * The hazard workflow's notifications through the outbox, on the time-skipping server with real
 * activities: a reminder fired by its timer waits for the dispatcher; when the hazard is submitted
 * and closed first, the reminder is skipped, never sent; one still open goes once.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weComRobotAdapter } from '../../activities/channels/http-post';
import { dispatchOnce } from '../../activities/delivery-dispatcher';
import { createUser } from '../../db/directory';
import { setPreferences } from '../../db/outbox';
import { deliveries, enterprises } from '../../db/schema';
import { DEFAULT_PREFERENCES } from '../../domain/delivery-rules';
import type { HazardPolicy } from '../../domain/policy';
import { addDays, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import { hazardWorkflowId, registeredUpdate, reviewUpdate, submitRectificationUpdate, type HazardWorkflowInput } from '../../workflows/hazard.messages';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-endpoint';
import { startTimeSkippingWorld, type TimeSkippingWorld } from '../support/time-skipping-world';
import { REGISTRATION, eventsOf, sleepUntil } from '../support/workflow-steps';

const POLICY: HazardPolicy = { reminderDaysBefore: [7, 3], escalation: [{ afterDays: 1, level: 1, recipientRole: 'supervisor_chief' }] };

let world: TimeSkippingWorld;
let robot: FakeEndpoint;

beforeAll(async () => {
  [world, robot] = await Promise.all([startTimeSkippingWorld('outbox-wf'), startFakeEndpoint()]);
  const [e] = await world.database.db.select({ regionId: enterprises.regionId }).from(enterprises).where(eq(enterprises.id, world.enterpriseId));
  const contact = await createUser(world.database.db, 'fixture', { username: `contact-${randomUUID().slice(0, 8)}`, displayName: '安全员', role: 'enterprise', regionId: e!.regionId, enterpriseId: world.enterpriseId, passwordHash: null });
  await setPreferences(world.database.db, contact.id, { ...DEFAULT_PREFERENCES, channels: ['wecom'] }, 'fixture');
});
afterAll(async () => {
  await robot?.close();
  await world?.stop();
});

async function startHazard(deadline: string) {
  const hazardId = randomUUID();
  const input: HazardWorkflowInput = { hazard: { hazardId, enterpriseId: world.enterpriseId, grade: 'general', policy: POLICY, deadline }, registration: REGISTRATION };
  const handle = await world.env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(hazardId), taskQueue: world.taskQueue, args: [input] });
  await handle.executeUpdate(registeredUpdate);
  return { hazardId, handle };
}

const robotDeliveries = (hazardId: string) =>
  world.database.db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.subjectId, hazardId), eq(deliveries.channel, 'wecom')));
const dispatchNow = async () => dispatchOnce(world.database.db, new Map([['wecom', weComRobotAdapter(robot.url)]]), { now: () => new Date(nowMs) });
let nowMs = 0;

describe('notifications of a hazard through the outbox (time-skipping)', () => {
  it('never sends a reminder whose hazard was closed before it left; sends an open one once', async () => {
    const today = shanghaiDate(await world.env.currentTimeMs());
    const closing = await startHazard(addDays(today, 20));
    const open = await startHazard(addDays(today, 20));

    // The 7-day reminders fire at 09:00; the dispatcher has not run yet.
    await sleepUntil(world.env, shanghaiInstant(addDays(today, 13), 9, 30));
    expect((await eventsOf(world.database.db, closing.hazardId)).map((e) => e.stepKey)).toContain('round-1/reminder-7d');
    expect(await robotDeliveries(closing.hazardId)).toEqual([expect.objectContaining({ stepKey: 'round-1/reminder-7d', state: 'pending' })]);

    await closing.handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['evidence/sha256-abc'], by: 'enterprise-wang' }] });
    expect(await closing.handle.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'inspector-li' }] })).toMatchObject({ status: 'closed' });

    nowMs = await world.env.currentTimeMs();
    expect(await dispatchNow()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await dispatchNow()).toMatchObject({ claimed: 0 });
    expect(await robotDeliveries(closing.hazardId)).toEqual([expect.objectContaining({ state: 'skipped', skipReason: 'subject_closed', attempts: 0 })]);
    expect(await robotDeliveries(open.hazardId)).toEqual([expect.objectContaining({ stepKey: 'round-1/reminder-7d', state: 'sent', attempts: 1 })]);
    expect(robot.posts.map((p) => p.outcome)).toEqual(['accepted']);
    expect(robot.posts[0]!.key).toContain(hazardWorkflowId(open.hazardId));
  });
});
