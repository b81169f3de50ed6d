/**
 * The suspension activity is retried by Temporal: each step must leave exactly the rows its
 * first attempt left (one case event, one notification), and a late write of an older change
 * must not roll the read model back. A decision on resumption takes exactly one official number.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import type { SuspensionStepRecord } from '../../activities/suspension-records';
import { caseTimeline, verifyCaseChain } from '../../db/case-events';
import { instrumentCounters, instruments, suspensionNotifications, suspensions } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { applyResumption, fireStep, initialState, nextStep, reviewResumption, snapshotOf, type NewSuspension } from '../../domain/suspension';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertEnterprise } from '../support/fixtures';

let database: TestDatabase;
let enterpriseId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  enterpriseId = await insertEnterprise(database.db);
});
afterAll(async () => database?.drop());

describe('recordSuspensionStep', () => {
  it('records each step once however often it is retried, in parallel too, and keeps the newest projection', async () => {
    const { recordSuspensionStep } = createActivities({ db: database.app });
    const now = Date.now();
    const today = shanghaiDate(now);
    const order: NewSuspension = {
      suspensionId: randomUUID(),
      enterpriseId,
      hazardId: null,
      origin: null,
      documentNumber: '甲县应急停〔2026〕5号',
      reason: '重大事故隐患',
      scope: 'full',
      scopeNote: '',
      startsOn: today,
      plannedEnd: addDays(today, 1),
      maxDays: 30,
      orderedBy: 'supervisor-a',
    };
    let state = initialState(order, now);
    const base = { suspensionId: order.suspensionId, workflowId: `suspension-${order.suspensionId}` };
    const ordered: SuspensionStepRecord = {
      ...base,
      stepKey: 'ordered',
      event: { type: 'ordered', actor: 'supervisor-a', occurredAt: now, data: { plannedEnd: order.plannedEnd } },
      snapshot: snapshotOf(state, now),
      order,
    };
    await Promise.all([recordSuspensionStep(ordered), recordSuspensionStep(ordered), recordSuspensionStep(ordered)]);

    const step = nextStep(state)!;
    state = fireStep(state, step);
    const reminder: SuspensionStepRecord = {
      ...base,
      stepKey: step.key,
      event: { type: 'reminder_sent', actor: 'system', occurredAt: step.at, data: {} },
      snapshot: snapshotOf(state, now),
      notification: { kind: 'reminder', recipientRole: 'enterprise', message: '提醒', scheduledAt: step.at },
    };
    state = applyResumption(state, { note: '', selfCheck: { passed: true, summary: '合格' }, by: 'enterprise-a' }, now);
    const requested: SuspensionStepRecord = {
      ...base,
      stepKey: 'request-1/requested',
      event: { type: 'resumption_requested', actor: 'enterprise-a', occurredAt: now, data: {} },
      snapshot: snapshotOf(state, now),
    };
    await recordSuspensionStep(requested);
    // The reminder's retry arrives after the newer change: its event is kept, its snapshot loses.
    await Promise.all([recordSuspensionStep(reminder), recordSuspensionStep(reminder)]);

    const timeline = await caseTimeline(database.db, 'suspension', order.suspensionId);
    expect(timeline.map((e) => e.stepKey)).toEqual(['ordered', 'request-1/requested', step.key]);
    expect(await verifyCaseChain(database.db, 'suspension', order.suspensionId)).toEqual({ rows: 3, broken: null });
    expect(await database.db.select().from(suspensionNotifications).where(eq(suspensionNotifications.suspensionId, order.suspensionId))).toHaveLength(1);
    const [row] = await database.db.select().from(suspensions).where(eq(suspensions.id, order.suspensionId));
    expect(row).toMatchObject({ status: 'resumption_requested', projectionSeq: state.seq, maxEnd: addDays(today, 30), createdBy: 'supervisor-a' });

    // The decision on the request takes one official number, however often (and however concurrently) its record is retried.
    const before = await database.db.select().from(instrumentCounters);
    state = reviewResumption(state, { decision: 'approve', comment: '复查合格', by: 'supervisor-a' }, now);
    const reviewed: SuspensionStepRecord = {
      ...base,
      stepKey: 'request-1/reviewed',
      event: { type: 'resumption_approved', actor: 'supervisor-a', occurredAt: now, data: { request: 1, comment: '复查合格' } },
      snapshot: snapshotOf(state, now),
    };
    await Promise.all([recordSuspensionStep(reviewed), recordSuspensionStep(reviewed), recordSuspensionStep(reviewed)]);
    await recordSuspensionStep(reviewed);
    const issued = await database.db.select().from(instruments).where(and(eq(instruments.subjectType, 'suspension'), eq(instruments.subjectId, order.suspensionId)));
    expect(issued).toHaveLength(1);
    expect(issued[0]!.code).toMatch(/〔\d{4}〕\d+号$/);
    const counters = await database.db.select().from(instrumentCounters);
    const taken = (rows: typeof counters) => rows.reduce((n, c) => n + c.lastNumber, 0);
    expect(taken(counters) - taken(before)).toBe(1);
    const decided = (await caseTimeline(database.db, 'suspension', order.suspensionId)).filter((e) => e.stepKey === 'request-1/reviewed');
    expect(decided).toHaveLength(1);
    expect(decided[0]!.data).toEqual({ request: 1, comment: '复查合格', documentNumber: issued[0]!.code });
    expect(await verifyCaseChain(database.db, 'suspension', order.suspensionId)).toEqual({ rows: 4, broken: null });
  });
});
