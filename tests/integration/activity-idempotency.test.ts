/**
 * Activities are retried by Temporal; each must leave exactly the rows its first attempt left,
 * and a late write of an older change must not roll the read model back.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import type { HazardStepRecord } from '../../activities/hazard-records';
import { createUser } from '../../db/directory';
import { auditHeads, deliveries, enterprises, hazardEvents, hazardInstruments, hazards, instruments, notifications, recipientResolutions } from '../../db/schema';
import { verifyHazardChain } from '../../db/audit-verify';
import { hazardChain } from '../../db/hazard-events';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { initialState, fireStep, nextStep } from '../../domain/hazard-lifecycle';
import { snapshotOf } from '../../domain/hazard-view';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertEnterprise } from '../support/fixtures';

let database: TestDatabase;
let enterpriseId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  enterpriseId = await insertEnterprise(database.db);
});
afterAll(async () => database?.drop());

function scenario() {
  const hazardId = randomUUID();
  const now = Date.now();
  const state = initialState(
    { hazardId, enterpriseId, grade: 'general', policy: DEFAULT_POLICIES.general, deadline: addDays(shanghaiDate(now), -2) },
    now,
  );
  const registration: HazardStepRecord = {
    hazardId,
    workflowId: `hazard-${hazardId}`,
    stepKey: 'round-0/registered',
    event: { type: 'registered', actor: 'inspector-li', occurredAt: now, data: {} },
    snapshot: snapshotOf(state, now),
    registration: {
      enterpriseId,
      grade: 'general',
      policy: DEFAULT_POLICIES.general,
      title: '消防通道堵塞',
      description: '',
      category: '消防安全',
      source: 'grid_patrol',
      location: '',
      legalBasis: '',
      requiredMeasures: '',
      createdBy: 'inspector-li',
    },
  };
  const step = nextStep(state)!;
  const after = fireStep(state, step);
  const escalation = fireStep(after, nextStep(after)!);
  const escalationRecord: HazardStepRecord = {
    hazardId,
    workflowId: `hazard-${hazardId}`,
    stepKey: 'round-1/escalation-1d',
    event: { type: 'escalated', actor: 'system', occurredAt: now, data: { level: 1 } },
    snapshot: snapshotOf(escalation, now),
    notification: { kind: 'escalation', recipientRole: 'supervisor', level: 1, message: '逾期督办', scheduledAt: now },
  };
  return { hazardId, registration, escalationRecord, olderSnapshot: snapshotOf(after, now) };
}

describe('recordHazardStep', () => {
  it('leaves exactly one hazard, event and notification however often it is retried', async () => {
    const { recordHazardStep } = createActivities({ db: database.db });
    const { hazardId, registration, escalationRecord } = scenario();

    await recordHazardStep(registration);
    await recordHazardStep(registration);
    await Promise.all([recordHazardStep(escalationRecord), recordHazardStep(escalationRecord), recordHazardStep(escalationRecord)]);

    const rows = await database.db.select().from(hazards).where(eq(hazards.id, hazardId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ escalationLevel: 1, projectionSeq: escalationRecord.snapshot.seq });
    const events = await database.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId));
    expect(events.map((e) => e.stepKey).sort()).toEqual(['round-0/registered', 'round-1/escalation-1d']);
    const sent = await database.db.select().from(notifications).where(eq(notifications.hazardId, hazardId));
    expect(sent).toHaveLength(1);
    // Nobody in charge and no inspector over the hazard: recorded once as unresolved, delivered to nobody.
    const resolved = await database.db.select().from(recipientResolutions).where(eq(recipientResolutions.workflowId, `hazard-${hazardId}`));
    expect(resolved).toEqual([expect.objectContaining({ stepKey: 'round-1/escalation-1d', post: 'inspector', userIds: [], unresolved: true })]);
  });

  it('delivers a step once to each person it names, however often it is retried, in parallel too', async () => {
    const { recordHazardStep } = createActivities({ db: database.db });
    const { hazardId, registration, escalationRecord } = scenario();
    const [region] = await database.db.select({ regionId: enterprises.regionId }).from(enterprises).where(eq(enterprises.id, enterpriseId));
    const people = await Promise.all(
      [1, 2].map((n) => createUser(database.db, 'fixture', { username: `contact-${n}-${hazardId.slice(0, 8)}`, displayName: `联系人${n}`, role: 'enterprise', regionId: region!.regionId, enterpriseId, passwordHash: null })),
    );
    const reminder: HazardStepRecord = {
      ...escalationRecord,
      stepKey: 'round-1/reminder-1d',
      event: { type: 'reminded', actor: 'system', occurredAt: Date.now(), data: {} },
      notification: { kind: 'reminder', recipientRole: 'enterprise', level: null, message: '整改期限将至', scheduledAt: Date.now() },
    };
    await recordHazardStep(registration);
    await Promise.all([recordHazardStep(reminder), recordHazardStep(reminder), recordHazardStep(reminder)]);
    await recordHazardStep(reminder);
    const rows = await database.db.select().from(deliveries).where(eq(deliveries.workflowId, `hazard-${hazardId}`));
    expect(rows.map((r) => r.userId).sort()).toEqual(people.map((p) => p.id).sort());
    expect(rows.every((r) => r.stepKey === 'round-1/reminder-1d' && r.channel === 'inbox' && r.subjectId === hazardId && r.readAt === null)).toBe(true);
  });

  it('never lets an older change overwrite a newer one in the read model', async () => {
    const { recordHazardStep } = createActivities({ db: database.db });
    const { hazardId, registration, escalationRecord, olderSnapshot } = scenario();
    await recordHazardStep(registration);
    await recordHazardStep(escalationRecord);
    // The overdue step's write arrives late (a retry after the escalation already landed).
    await recordHazardStep({
      ...escalationRecord,
      stepKey: 'round-1/overdue',
      event: { type: 'became_overdue', actor: 'system', occurredAt: Date.now(), data: {} },
      snapshot: olderSnapshot,
      notification: undefined,
    });
    const [row] = await database.db.select().from(hazards).where(eq(hazards.id, hazardId));
    expect(row!.escalationLevel).toBe(1);
    expect(row!.projectionSeq).toBe(escalationRecord.snapshot.seq);
    const events = await database.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId));
    expect(events).toHaveLength(3);
  });

  it('keeps one chain in order, one head and one instrument when different steps and their retries race', async () => {
    const { recordHazardStep } = createActivities({ db: database.db });
    const { hazardId, registration, escalationRecord } = scenario();
    // The registration and its retry racing: the hazard's row and first link once.
    await Promise.all([recordHazardStep(registration), recordHazardStep(registration)]);
    const steps: HazardStepRecord[] = ['a', 'b', 'c', 'd'].map((k) => ({
      ...escalationRecord,
      stepKey: `round-1/note-${k}`,
      event: { type: 'noted', actor: 'system', occurredAt: Date.now(), data: { k } },
      notification: undefined,
    }));
    // A review served on paper: its instrument is numbered once, whichever attempt gets there first.
    const review: HazardStepRecord = { ...steps[0]!, stepKey: 'round-1/review', event: { type: 'review_accepted', actor: 'inspector-li', occurredAt: Date.now(), data: {} } };
    await Promise.all([...steps, ...steps, review, review, review].map((s) => recordHazardStep(s)));

    const events = await database.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId)).orderBy(hazardEvents.chainSeq);
    expect(events.map((e) => e.chainSeq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(events.map((e) => e.stepKey)).size).toBe(6);
    // Each link names the one before it, and the signed head is the last link.
    expect(await verifyHazardChain(database.db, hazardId)).toEqual({ rows: 6, broken: null });
    const [head] = await database.db.select().from(auditHeads).where(eq(auditHeads.chain, hazardChain(hazardId)));
    expect(head).toMatchObject({ seq: 6, hash: events[5]!.hash });
    const issued = await database.db.select().from(hazardInstruments).where(eq(hazardInstruments.hazardId, hazardId));
    expect(issued.map((i) => i.stepKey)).toEqual(['round-1/review']);
    const [instrument] = await database.db.select().from(instruments).where(eq(instruments.id, issued[0]!.instrumentId));
    expect(instrument).toMatchObject({ kind: 'review_opinion', subjectType: 'hazard', subjectId: hazardId });
  });
});
